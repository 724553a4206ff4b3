"""The canonical records of a column-backed timeline as one Arrow table, in timeline order.

This is the one place the writers read a :class:`~relations._timeline.columns.Columns`; it
uses only ``column_names`` and ``column(name)`` (each record field in timeline order, as
plain Arrow), or, for an importer's columns, ``full`` and ``perm`` (the whole record table in
file order and each position's row in it).

>>> import pyarrow as pa
>>> from relations._timeline.columns import from_table
>>> cols = from_table(pa.table({"id": ["b", "a"], "when": ["2024", "2023"],
...                             "kind": ["trade", "visit"], "actors": [["RUS"], ["PRK"]],
...                             "title": ["B", "A"]}))
>>> t = record_table(cols, None)
>>> t.column("id").to_pylist(), t.column("kind").to_pylist(), t.column("actors").to_pylist()
(['a', 'b'], ['visit', 'trade'], [['PRK'], ['RUS']])
>>> record_table(cols, np.array([1])).column("id").to_pylist()
['b']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from relations._arrow import ints
from relations._timeline.columns import Columns

__all__ = ["record_table"]


def record_table(cols: Columns, positions: np.ndarray[Any, Any] | None) -> pa.Table | None:
    """The records of ``cols`` (at ascending ``positions``; all if None), in timeline order,
    with ``kind`` (text) and ``actors`` (``list<string>``) columns made from their codes;
    None for columns whose events are not made from these records."""
    full, perm = getattr(cols, "full", None), getattr(cols, "perm", None)
    if full is not None and perm is not None:
        # An importer's columns (relations.io._gdelt_timeline.ImportedColumns): every record
        # field in ``full``, in file order, and the file row of each position in ``perm``.
        return full.take(ints(perm if positions is None else perm[positions]))
    if type(cols) is not Columns:
        return None  # columns of another kind: the writers read their events
    # The writers' column order: the held fields, then kind and actors (made from codes).
    names = [n for n in cols.column_names if n not in ("kind", "actors")] + ["kind", "actors"]
    take = None if positions is None else ints(positions)
    columns = [cols.column(n) for n in names]
    if take is not None:
        columns = [c.take(take) for c in columns]
    return pa.table(columns, names=names)
