"""The flat layout's table made column-wise from a layout table (a column-backed Timeline's).

:func:`flat_arrow` gives the table :func:`relations.formats.arrow.to_arrow` with
``layout="flat"`` makes from events (:func:`relations.formats.csv.flat_header` and
``flat_row``): the record columns without JSON text, then a column per quantity field,
measure, first-source field and extra key, typed by :func:`flat_kind`. Quantities and
measures come from the engine columns; sources (few rows have them) are read row by row.

>>> import pyarrow as pa
>>> from relations.formats.records import layout_records
>>> t = layout_records(pa.table({"id": ["t"], "when": ["2024"], "kind": ["trade"],
...     "actors": [["RUS"]], "title": ["T"],
...     "quantities": pa.array([{"usd": {"unit": "USD", "value": 5}}]),
...     "extra": pa.array([{"cameo": "061"}])}))
>>> flat = flat_arrow(t)
>>> flat.column_names[14:], flat.column("quantity.usd.value").to_pylist()
(['quantity.usd.value', 'quantity.usd.unit', 'extra.cameo'], [5.0])
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations.formats.csv import FLAT_COLUMNS
from relations.formats.layout import QUANTITY_FIELDS, engine_columns, json_objects
from relations.formats.records import json_numbers
from relations.record import dumps as compact_json

__all__ = ["flat_arrow", "flat_kind"]

_LISTS = ("actors", "claimed_by", "tags", "links")
_SOURCE_FIELDS = ("publisher", "title", "url", "published", "quote")
_TEXT = pa.string()


def flat_kind(name: str) -> str:
    """How a flat column is typed in Arrow and polars: date, list, bool, number or text.

    >>> flat_kind("earliest"), flat_kind("quantity.usd.value"), flat_kind("quantity.usd.unit")
    ('date', 'number', 'text')
    """
    if name in ("earliest", "latest"):
        return "date"
    if name in _LISTS:
        return "list"
    if name == "directed" or name.endswith(".approximate"):
        return "bool"
    if (name.startswith("quantity.") and not name.endswith(".unit")) or name.startswith("measure."):
        return "number"
    return "text"


def flat_arrow(layout: pa.Table, *, measures_as_text: bool = False) -> pa.Table:
    """The flat layout of a layout record table; ``measures_as_text``: the ``measure.M``
    columns as the text of the numbers (as the pandas flat frame has them)."""
    engine = engine_columns(layout)
    n = layout.num_rows
    cols: dict[str, Any] = {name: _column(layout, name) for name in FLAT_COLUMNS}
    names = engine.column_names
    quantities = sorted(
        {c[len("quantity.") :].rsplit(".", 1)[0] for c in names if c.startswith("quantity.")}
    )
    for q in quantities:
        for f in QUANTITY_FIELDS:
            a = _column(engine, f"quantity.{q}.{f}")
            if f == "approximate":
                a = pc.fill_null(a, False)
                if not pc.any(a).as_py():
                    continue
            elif f != "unit" and a.null_count == n:
                continue
            if f in ("value", "low", "high"):
                a = a.cast(pa.float64(), safe=False)
            cols[f"quantity.{q}.{f}"] = a
    for c in sorted(c for c in names if c.startswith("measure.")):
        a = _column(engine, c)
        cols[c] = json_numbers(a) if measures_as_text else a.cast(pa.float64(), safe=False)
    cols.update(_sources(_column(layout, "sources"), n))
    cols.update(_extra(_column(layout, "extra"), n))
    for name, a in cols.items():
        if flat_kind(name) == "bool" and pa.types.is_string(a.type):
            cols[name] = pc.fill_null(pc.equal(a, "true"), False)
    return pa.Table.from_arrays(list(cols.values()), names=list(cols))


def _column(table: pa.Table, name: str) -> Any:
    col = table.column(name)
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def _spread(values: list[Any], at: np.ndarray[Any, Any], n: int) -> pa.Array:
    """Text ``values`` at rows ``at`` of ``n`` (null elsewhere, and for an empty text)."""
    mask = np.zeros(n, dtype=bool)
    mask[at] = True
    texts = pa.array([v if v else None for v in values], _TEXT)
    return pc.replace_with_mask(pa.nulls(n, _TEXT), pa.array(mask), texts)


def _sources(col: pa.Array, n: int) -> dict[str, pa.Array]:
    """``source.F`` of each row's first source and ``sources.more`` (the others, as JSON)."""
    at = np.flatnonzero(pc.is_valid(col).to_numpy(zero_copy_only=False))
    if not len(at):
        return {}
    rows = [json.loads(t) for t in col.take(pa.array(at)).to_pylist()]
    out = {}
    for f in _SOURCE_FIELDS:
        if any(f in r[0] for r in rows):
            out[f"source.{f}"] = _spread([str(r[0].get(f, "")) for r in rows], at, n)
    if any(len(r) > 1 for r in rows):
        out["sources.more"] = _spread([compact_json(r[1:]) if r[1:] else "" for r in rows], at, n)
    return out


def _extra(col: pa.Array, n: int) -> dict[str, pa.Array]:
    """``extra.K`` per key (sorted), null where the row has none or an empty text."""
    valid = pc.is_valid(col)
    at = np.flatnonzero(valid.to_numpy(zero_copy_only=False))
    if not len(at):
        return {}
    texts = col.take(pa.array(at))
    parsed = json_objects(texts)
    out = {}
    if parsed is not None and all(pa.types.is_string(t) for t in parsed.schema.types):
        for k in sorted(parsed.column_names):
            v = parsed.column(k).combine_chunks()
            v = pc.if_else(pc.equal(v, ""), pa.scalar(None, _TEXT), v)
            out[f"extra.{k}"] = pc.replace_with_mask(pa.nulls(n, _TEXT), valid, v)
        return out
    rows = [json.loads(t) for t in texts.to_pylist()]
    for k in sorted({k for r in rows for k in r}):
        out[f"extra.{k}"] = _spread([r.get(k, "") for r in rows], at, n)
    return out
