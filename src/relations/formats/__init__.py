"""The library's own layouts, both directions, with no Timeline: writers, tables, exporters.

Every function here takes events (a Timeline is one; any iterable of events will do) or gives
events back, and none needs the Timeline class, so the Timeline's own methods (``to_jsonl``,
``to_csv``, ``to_arrow``, ``to_mermaid``, ...) are thin forwarders to them. Reading files
into Timelines is :mod:`relations.io`, which re-exports these writers under the names it has
always had.

- :mod:`relations.formats.jsonl`: :func:`write_jsonl`, the canonical JSON Lines file;
- :mod:`relations.formats.csv`: the flat CSV layout (:data:`~relations.formats.csv.COLUMNS`)
  and :func:`write_csv`;
- :mod:`relations.formats.arrow`: Arrow, pandas and polars tables (:func:`to_arrow`,
  :func:`to_pandas`, :func:`to_polars`) and back (:func:`events_from_pandas`);
- :mod:`relations.formats.exporters`: :func:`to_timelinejs`, :func:`to_mermaid`,
  :func:`to_vis`, :func:`to_markdown`;
- :mod:`relations.formats.atomic`: :func:`atomic_write`, the file writer all of them use;
- :mod:`relations.formats.records`, :mod:`relations.formats.lines`,
  :mod:`relations.formats.flat`: the same outputs made from the Arrow columns of a
  column-backed Timeline (no Event built; byte for byte the same).

>>> import io
>>> from relations import Event
>>> buf = io.StringIO()
>>> write_jsonl([Event("2024", "trade", ["RUS"], "Trade", id="t")], buf)
1
"""

from __future__ import annotations

from relations.formats.arrow import (
    TABLE_COLUMNS,
    events_from_pandas,
    to_arrow,
    to_pandas,
    to_polars,
)
from relations.formats.atomic import PathOrFile, Progress, atomic_write
from relations.formats.csv import write_csv
from relations.formats.exporters import to_markdown, to_mermaid, to_timelinejs, to_vis
from relations.formats.jsonl import write_jsonl

__all__ = [
    "TABLE_COLUMNS",
    "PathOrFile",
    "Progress",
    "atomic_write",
    "events_from_pandas",
    "to_arrow",
    "to_markdown",
    "to_mermaid",
    "to_pandas",
    "to_polars",
    "to_timelinejs",
    "to_vis",
    "write_csv",
    "write_jsonl",
]
