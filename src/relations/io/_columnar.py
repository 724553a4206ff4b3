"""A table of the columnar layout (or of its record columns) to a column-backed Timeline.

:func:`columnar_timeline` maps a table with the columns of :data:`TABLE_COLUMNS` (Arrow,
or pandas/polars converted to Arrow) to the shape of the JSON Lines reader's records, which
:func:`relations._timeline.columns.from_table` checks column-wise and holds without building
one Event per row: the derived and engine columns dropped, the JSON text columns parsed by
Arrow's JSON reader into struct columns, and each default value (an empty list or summary,
``directed`` false, status ``reported``) made null, as it is absent from a record. It gives
None whenever anything needs the row-by-row reader, which then reports every problem as it
always has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations._timeline.arrow_values import numpy_of, scalar
from relations._timeline.columns import from_table
from relations.formats.arrow import TABLE_COLUMNS
from relations.formats.layout import json_objects

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["ENGINE_PREFIXES", "columnar_timeline", "is_engine_column", "record_columns"]

_DERIVED = frozenset({"earliest", "latest", "lo", "hi", "precision"})
_LISTS = ("actors", "claimed_by", "tags", "links")
_JSON = ("quantities", "measures", "sources", "extra")
# The text columns: any other type (numbers, NaN-filled floats) is left to the row reader.
_TEXT = frozenset({"id", "when", "kind", "title", "status", "summary", "location"})
ENGINE_PREFIXES = ("quantity.", "measure.")
_ZERO32 = pa.Array.from_buffers(pa.int32(), 1, [None, pa.py_buffer(bytes(4))])[0]


def is_engine_column(name: str) -> bool:
    """True for the engine columns of the layout (``source``, ``target``, ``quantity.*``,
    ``measure.*``)."""
    return name in ("source", "target") or name.startswith(ENGINE_PREFIXES)


def record_columns(table: pa.Table) -> pa.Table:
    """``table`` without the layout's engine columns (Part 1 is authoritative)."""
    return table.select([c for c in table.column_names if not is_engine_column(c)])


def _plain_type(t: pa.DataType) -> pa.DataType:
    """Large and view text/list types as their plain forms (pandas and polars give them)."""
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return pa.string()
    if pa.types.is_large_list(t) or pa.types.is_list_view(t) or pa.types.is_list(t):
        v = t.value_type
        plain = pa.string() if pa.types.is_null(v) else _plain_type(v)
        if pa.types.is_list(t) and plain == v:
            return t  # (a list's item name, "element" in Parquet, does not matter)
        return pa.list_(plain)
    return t


def _parse_json(col: pa.Array) -> pa.Array | None:
    """A JSON text column as one struct (or list) column, nulls kept; None if Arrow cannot."""
    if pa.types.is_null(col.type):
        return col
    if not pa.types.is_string(col.type):
        return None
    valid = numpy_of(pc.is_valid(col))
    texts = pc.drop_null(col)
    if len(texts) == 0:
        return pa.nulls(len(col))
    # A JSON array (sources) is not a row of JSON Lines: each is read as {"v": [...]}.
    wrap = not pc.all(pc.starts_with(texts, "{")).as_py()
    if wrap:
        if not pc.all(pc.starts_with(texts, "[")).as_py():
            return None
        texts = pc.binary_join_element_wise(scalar('{"v":'), texts, scalar("}"), scalar(""))
    parsed = json_objects(texts)
    if parsed is None or parsed.num_columns == 0:
        return None
    if wrap:
        arr = parsed.column("v").combine_chunks()
    else:
        arr = pa.StructArray.from_arrays(
            [c.combine_chunks() for c in parsed.columns], names=parsed.column_names
        )
    idx = np.cumsum(valid, dtype=np.int64) - 1
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return arr.take(pa.Array.from_buffers(pa.int64(), len(idx), [bitmap, pa.py_buffer(idx)]))


def _nullify(col: pa.Array, empty: pa.Array) -> pa.Array:
    return pc.if_else(empty, pa.nulls(1, col.type)[0], col)


def record_table(table: pa.Table) -> pa.Table | None:
    """``table`` in the shape of the JSON Lines reader's records, or None."""
    names = table.column_names
    if len(set(names)) != len(names) or not set(names) <= set(TABLE_COLUMNS):
        return None
    if any(c not in names for c in ("id", "when", "kind", "actors", "title")):
        return None
    out_names, arrays = [], []
    for name in names:
        if name in _DERIVED:
            continue
        chunked = table.column(name)
        col = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
        t = _plain_type(col.type)
        if t != col.type:
            col = col.cast(t)
        if name in _TEXT and not (pa.types.is_string(col.type) or pa.types.is_null(col.type)):
            return None
        if name == "directed" and not (pa.types.is_boolean(col.type) or pa.types.is_null(col.type)):
            return None
        if name in _JSON:
            parsed = _parse_json(col)
            if parsed is None:
                return None
            if pa.types.is_null(parsed.type):
                continue
            col = parsed
        elif name in _LISTS:
            if not pa.types.is_list(col.type):
                return None
            if name != "actors":
                col = _nullify(col, pc.equal(pc.list_value_length(col), _ZERO32))
        elif name == "summary" and pa.types.is_string(col.type):
            col = _nullify(col, pc.equal(col, scalar("")))
        elif name == "status" and pa.types.is_string(col.type):
            col = _nullify(col, pc.equal(col, scalar("reported")))
        elif name == "directed" and pa.types.is_boolean(col.type):
            col = _nullify(col, pc.invert(pc.fill_null(col, scalar(True))))
        if col.null_count == len(col) and name not in ("id", "when", "kind", "actors", "title"):
            continue
        out_names.append(name)
        arrays.append(col)
    return pa.Table.from_arrays(arrays, names=out_names)


def columnar_timeline(table: pa.Table) -> Timeline | None:
    """A column-backed Timeline of ``table`` (no Event built), or None (use the row path)."""
    from relations._timeline import Timeline

    try:
        records = record_table(record_columns(table))
    except (pa.ArrowException, ValueError, TypeError):
        return None
    if records is None or records.num_rows == 0:
        return None
    cols = from_table(records)
    if cols is None:
        return None
    return Timeline._from_columns(cols)
