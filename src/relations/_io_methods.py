"""Timeline methods for interchange (write_jsonl, to_arrow, to_pandas, ...); implementation in relations.io.

Kept in a mixin so that :class:`~relations.timeline.Timeline` stays one readable class while
each concern lives in its own module; the methods import their implementation lazily, so the
timeline module never imports a higher layer at import time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    from relations.timeline import Timeline

__all__ = ["IOMethods"]


class IOMethods:
    """Mixin for :class:`~relations.timeline.Timeline`: files, dataframes and exporters."""

    __slots__ = ()

    # ---- canonical files ---------------------------------------------------------------------

    def write_jsonl(
        self,
        path: str | os.PathLike[str] | IO[str] | IO[bytes],
        *,
        progress: Callable[[int], object] | None = None,
    ) -> int:
        """Write the events as JSON Lines (atomically, for a path); return how many.

        See :func:`relations.io.write_jsonl`; read back with ``timeline.read_jsonl``.

        >>> import pathlib, tempfile
        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024", "trade", ["RUS"], "Trade", id="t"))
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.jsonl"
        >>> tl.write_jsonl(path), timeline.read_jsonl(path) == tl
        (1, True)
        """
        from relations.io.jsonl import write_jsonl

        return write_jsonl(_self(self), path, progress=progress)

    def write_csv(
        self,
        path: str | os.PathLike[str] | IO[str] | IO[bytes],
        *,
        progress: Callable[[int], object] | None = None,
    ) -> int:
        """Write the events as CSV in the documented flat layout (atomically, for a path).

        See :func:`relations.io.write_csv` for the columns; read back with
        ``timeline.read_csv``.

        >>> import pathlib, tempfile
        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024", "trade", ["RUS", "PRK"], "Trade, goods", id="t"))
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
        >>> tl.write_csv(path), timeline.read_csv(path) == tl
        (1, True)
        """
        from relations.io.csv import write_csv

        return write_csv(_self(self), path, progress=progress)

    # ---- dataframes --------------------------------------------------------------------------

    def to_arrow(self) -> Any:
        """The events as a ``pyarrow.Table`` with the fixed schema of :mod:`relations.io.arrow`.

        Needs ``pip install "relations[arrow]"``.

        >>> import pytest; _ = pytest.importorskip("pyarrow")
        >>> from relations import Event, timeline
        >>> timeline.of(Event("2024", "trade", ["RUS"], "Trade")).to_arrow().num_rows
        1
        """
        from relations.io.arrow import to_arrow

        return to_arrow(_self(self))

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream protocol: ``pyarrow.table(tl)``, ``polars.DataFrame(tl)``,
        DuckDB (``duckdb.sql("select * from tl")``) and ``pandas.DataFrame.from_arrow(tl)``
        (pandas 3) read a Timeline directly. Needs pyarrow.

        >>> import pytest; pa = pytest.importorskip("pyarrow")
        >>> from relations import Event, timeline
        >>> pa.table(timeline.of(Event("2024", "trade", ["RUS"], "Trade"))).column_names[:3]
        ['id', 'when', 'earliest']
        """
        from relations.io.arrow import to_arrow

        stream: object = to_arrow(_self(self)).__arrow_c_stream__(requested_schema)
        return stream

    def to_pandas(self) -> Any:
        """The events as a ``pandas.DataFrame`` (one row per event; columns and dtypes fixed,
        see :mod:`relations.io.arrow`). Needs ``pip install "relations[pandas]"``.

        >>> import pytest; _ = pytest.importorskip("pandas")
        >>> from relations import Event, timeline
        >>> df = timeline.of(Event("2024-06", "trade", ["RUS", "PRK"], "Trade")).to_pandas()
        >>> df.loc[0, ["when", "precision"]].tolist()
        ['2024-06', 'month']
        """
        from relations.io.arrow import to_pandas

        return to_pandas(_self(self))

    def to_polars(self) -> Any:
        """The events as a ``polars.DataFrame`` (columns and types in :mod:`relations.io.arrow`).
        Needs ``pip install "relations[polars]"``.

        >>> import pytest; _ = pytest.importorskip("polars")
        >>> from relations import Event, timeline
        >>> timeline.of(Event("2024", "trade", ["RUS"], "Trade")).to_polars().height
        1
        """
        from relations.io.arrow import to_polars

        return to_polars(_self(self))

    @classmethod
    def from_pandas(cls, df: Any) -> Timeline:
        """A Timeline from a DataFrame with the table columns (``when``, ``kind``, ``actors``,
        ``title`` required); the inverse of :meth:`to_pandas`. See
        :func:`relations.io.from_pandas`.

        >>> import pytest; _ = pytest.importorskip("pandas")
        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06~", "trade", ["RUS", "PRK"], "Trade", tags=["x"]))
        >>> timeline.Timeline.from_pandas(tl.to_pandas()) == tl
        True
        """
        from relations.io.arrow import from_pandas

        return from_pandas(df)

    # ---- exporters ---------------------------------------------------------------------------

    def to_timelinejs(
        self, *, title: str | None = None, group_by: Literal["actors", "kind"] | None = None
    ) -> dict[str, Any]:
        """The events as TimelineJS 3 JSON (partial dates for year- and month-only events).

        See :func:`relations.io.to_timelinejs`.

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06", "trade", ["RUS"], "Trade", id="t"))
        >>> tl.to_timelinejs()["events"][0]["start_date"]
        {'year': 2024, 'month': 6}
        """
        from relations.io.exporters import to_timelinejs

        return to_timelinejs(_self(self), title=title, group_by=group_by)

    def to_mermaid(
        self,
        *,
        title: str | None = None,
        bucket: Literal["day", "month", "year"] | None = None,
    ) -> str:
        """The events as a Mermaid ``timeline`` diagram. See :func:`relations.io.to_mermaid`.

        >>> from relations import Event, timeline
        >>> print(timeline.of(Event("2024", "trade", ["RUS"], "Trade: up")).to_mermaid())
        timeline
            2024 : Trade#58; up
        """
        from relations.io.exporters import to_mermaid

        return to_mermaid(_self(self), title=title, bucket=bucket)

    def to_vis(self, *, group_by: Literal["actors", "kind"] | None = "actors") -> dict[str, Any]:
        """The events as vis-timeline items and groups. See :func:`relations.io.to_vis`.

        >>> from relations import Event, timeline
        >>> timeline.of(Event("2024-06-19", "trade", ["RUS"], "Trade", id="t")).to_vis()["items"]
        [{'id': 't', 'content': 'Trade', 'title': '2024-06-19: Trade', 'start': '2024-06-19', 'type': 'point', 'group': 'RUS'}]
        """
        from relations.io.exporters import to_vis

        return to_vis(_self(self), group_by=group_by)

    def to_markdown(self, *, sources: bool = True) -> str:
        """The events as a Markdown table (text escaped). See :func:`relations.io.to_markdown`.

        >>> from relations import Event, timeline
        >>> print(timeline.of(Event("2024", "trade", ["RUS"], "A | B")).to_markdown(sources=False))
        | When | Kind | Actors | Title |
        |---|---|---|---|
        | 2024 | trade | RUS | A \\| B |
        """
        from relations.io.exporters import to_markdown

        return to_markdown(_self(self), sources=sources)


def _self(obj: IOMethods) -> Timeline:
    return cast("Timeline", obj)
