"""Timeline methods for rendering (to_text, to_svg, to_html, ...); implementation in relations.render.

Kept in a mixin so that :class:`~relations.timeline.Timeline` stays one readable class while
each concern lives in its own module; the methods import their implementation lazily, so the
timeline module never imports a higher layer at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from relations.render._common import LaneSpec
    from relations.timeline import Timeline

__all__ = ["RenderMethods"]

#: Timelines larger than this are not drawn automatically by Jupyter (it shows the repr);
#: call ``to_svg()`` or ``to_html()`` to draw them anyway.
REPR_MAX_EVENTS = 2000

#: ``str(tl)`` shows at most this many events (the first and last halves).
STR_MAX_EVENTS = 100


class RenderMethods:
    """Mixin for :class:`~relations.timeline.Timeline`: text, SVG and HTML views.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"],
    ...                        "Treaty signed"))
    >>> print(tl)
    2024-06-19  19 Jun 2024  RUS · PRK  Treaty signed
    """

    __slots__ = ()

    def _tl(self) -> Timeline:
        return cast("Timeline", self)

    def to_text(
        self,
        *,
        width: int = 100,
        limit: int | None = None,
        title: str | None = None,
        words: bool = True,
    ) -> str:
        """One aligned line per event: EDTF date, date in words, actors, title.

        See :func:`relations.render.to_text` for the arguments.

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-10~", "military.deployment", ["PRK", "RUS"],
        ...                        "Troops sent to Kursk", directed=True, status="estimated"))
        >>> print(tl.to_text(width=70))
        2024-10~  c. Oct 2024  PRK → RUS  Troops sent to Kursk [estimate]
        """
        from relations.render.text import to_text

        return to_text(self._tl(), width=width, limit=limit, title=title, words=words)

    def __str__(self) -> str:
        """The text view (:meth:`to_text`), showing at most 100 events."""
        return self.to_text(limit=STR_MAX_EVENTS)

    def to_svg(
        self,
        *,
        title: str | None = None,
        subtitle: str | None = None,
        width: int = 1200,
        lanes: LaneSpec = "kind",
        scale: str = "auto",
        labels: bool | None = None,
        max_label_chars: int = 40,
        selection: str | None = None,
        colors: Mapping[str, str] | None = None,
        dense: bool | None = None,
    ) -> str:
        """A self-contained SVG timeline chart (see :func:`relations.render.to_svg`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06", "diplomacy.visit", ["RUS", "PRK"], "Visit"))
        >>> tl.to_svg(title="One visit").count('class="rl-event"')
        1
        """
        from relations.render.svg import to_svg

        return to_svg(
            self._tl(),
            title=title,
            subtitle=subtitle,
            width=width,
            lanes=lanes,
            scale=scale,
            labels=labels,
            max_label_chars=max_label_chars,
            selection=selection,
            colors=colors,
            dense=dense,
        )

    def to_html(
        self,
        *,
        title: str | None = None,
        subtitle: str | None = None,
        width: int = 1200,
        lanes: LaneSpec = "kind",
        scale: str = "auto",
        labels: bool | None = None,
        max_label_chars: int = 40,
        selection: str | None = None,
        colors: Mapping[str, str] | None = None,
        dense: bool | None = None,
    ) -> str:
        """One self-contained HTML page: the chart, a tooltip per event, a table of events
        (see :func:`relations.render.to_html`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06", "diplomacy.visit", ["RUS", "PRK"], "Visit"))
        >>> tl.to_html().startswith("<!DOCTYPE html>")
        True
        """
        from relations.render.html import to_html

        return to_html(
            self._tl(),
            title=title,
            subtitle=subtitle,
            width=width,
            lanes=lanes,
            scale=scale,
            labels=labels,
            max_label_chars=max_label_chars,
            selection=selection,
            colors=colors,
            dense=dense,
        )

    def save_chart(
        self,
        path: str | os.PathLike[str],
        *,
        title: str | None = None,
        subtitle: str | None = None,
        width: int = 1200,
        lanes: LaneSpec = "kind",
        scale: str = "auto",
        labels: bool | None = None,
        max_label_chars: int = 40,
        selection: str | None = None,
        colors: Mapping[str, str] | None = None,
        dense: bool | None = None,
    ) -> None:
        """Write the chart to ``path``: SVG for ``.svg``, the HTML page for ``.html``/``.htm``,
        and PNG or PDF (converted from the SVG; needs ``pip install "relations[png]"``) for
        ``.png`` and ``.pdf``.

        The file is written beside the target and then renamed, so an interrupted write never
        leaves half a chart. Raises :class:`~relations.errors.InvalidArgument` for any other suffix.

        >>> import pathlib, tempfile
        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06", "diplomacy.visit", ["RUS", "PRK"], "Visit"))
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "chart.svg"
        >>> tl.save_chart(out)
        >>> out.read_text(encoding="utf-8").startswith("<svg")
        True
        """
        from relations.errors import InvalidArgument

        suffix = os.path.splitext(os.fspath(path))[1].lower()
        options = {
            "title": title,
            "subtitle": subtitle,
            "width": width,
            "lanes": lanes,
            "scale": scale,
            "labels": labels,
            "max_label_chars": max_label_chars,
            "selection": selection,
            "colors": colors,
            "dense": dense,
        }
        if suffix == ".svg":
            text = self.to_svg(**options)  # type: ignore[arg-type]
        elif suffix in (".html", ".htm"):
            text = self.to_html(**options)  # type: ignore[arg-type]
        elif suffix in (".png", ".pdf"):
            from relations.render.convert import save_converted

            save_converted(self.to_svg(**options), path, suffix[1:])  # type: ignore[arg-type]
            return
        else:
            raise InvalidArgument(
                f"{os.fspath(path)!r}: a chart is saved as .svg, .html, .png or .pdf"
            )
        from relations.io._atomic import atomic_write

        with atomic_write(path) as f:
            f.write(text)

    def _repr_svg_(self) -> str | None:
        """Jupyter: the chart as SVG (None, so the repr shows, above 2000 events)."""
        if len(self._tl()) > REPR_MAX_EVENTS:
            return None
        return self.to_svg()

    def _repr_html_(self) -> str | None:
        """Jupyter: the chart in a scrolling box (no script; None above 2000 events)."""
        tl = self._tl()
        if len(tl) > REPR_MAX_EVENTS:
            return None
        from relations.render.html import html_fragment

        return html_fragment(tl)
