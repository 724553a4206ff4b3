"""Timeline methods for rendering (to_text, to_svg, to_html, ...); implementation in relations.render.

Kept in a mixin so that :class:`~relations.timeline.Timeline` stays one readable class while
each concern lives in its own module; the methods import their implementation lazily, so the
timeline module never imports a higher layer at import time.
"""

from __future__ import annotations

__all__ = ["RenderMethods"]


class RenderMethods:
    """Mixin for :class:`~relations.timeline.Timeline`."""

    __slots__ = ()
