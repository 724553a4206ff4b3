"""Show a timeline: a terminal view, SVG and HTML charts, and series as tables and charts.

Everything here is dependency-free and escapes every piece of text it draws. The same
functions back ``tl.to_text()``, ``str(tl)``, ``tl.to_svg()``, ``tl.to_html()`` and the
pictures Jupyter shows for a Timeline.

>>> from relations.events import Event
>>> events = [Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed"),
...           Event("2024-10~", "military.deployment", ["PRK", "RUS"], "Troops to Kursk",
...                 directed=True, status="estimated")]
>>> print(to_text(events))
2024-06-19  19 Jun 2024  RUS · PRK  Treaty signed
2024-10~    c. Oct 2024  PRK → RUS  Troops to Kursk [estimate]
>>> to_svg(events).startswith("<svg")
True
>>> to_html(events).startswith("<!DOCTYPE html>")
True
>>> print(series_to_text({"2023": 2, "2024": 5}, width=30))
2023  2  ████████▍
2024  5  █████████████████████
"""

from __future__ import annotations

from relations.render._words import when_in_words
from relations.render.html import html_fragment, to_html
from relations.render.series_svg import series_to_svg
from relations.render.svg import to_svg
from relations.render.text import series_to_text, to_text

__all__ = [
    "html_fragment",
    "series_to_svg",
    "series_to_text",
    "to_html",
    "to_svg",
    "to_text",
    "when_in_words",
]
