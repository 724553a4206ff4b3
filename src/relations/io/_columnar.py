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

from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations._arrow import numpy_of, scalar
from relations._timeline.columns import from_table
from relations.formats.arrow import TABLE_COLUMNS
from relations.formats.layout import QUANTITY_FIELDS, json_objects
from relations.formats.records import Unsupported, json_numbers
from relations.record import dumps as compact_json

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["ENGINE_PREFIXES", "columnar_timeline", "is_engine_column", "record_columns"]

_DERIVED = frozenset({"earliest", "latest", "lo", "hi", "precision"})
_LISTS = ("actors", "claimed_by", "tags", "links")
_JSON = ("quantities", "measures", "sources", "extra")
# The text columns: any other type (numbers, NaN-filled floats) is left to the row reader.
_TEXT = frozenset({"id", "when", "kind", "title", "status", "summary", "location"})
_NUMBERS = ("value", "low", "high")
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


def _text_dictionary(t: pa.DataType) -> bool:
    return bool(pa.types.is_dictionary(t) and pa.types.is_string(t.value_type))


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


def _any_valid(arrays: list[pa.Array]) -> pa.Array:
    out = pc.is_valid(arrays[0])
    for a in arrays[1:]:
        out = pc.or_(out, pc.is_valid(a))
    return out


def _struct(fields: list[tuple[str, pa.Array]], n: int) -> pa.Array:
    """A struct column of the ``(name, array)`` fields (each with a value in some row), null
    where none has one; the null type if there are no fields (as Arrow's JSON reader types
    them)."""
    if not fields:
        return pa.nulls(n)
    valid = _any_valid([a for _, a in fields])
    return pa.StructArray.from_arrays(
        [a for _, a in fields], names=[k for k, _ in fields], mask=pc.invert(valid)
    )


def _engine_struct(
    engine: pa.Table, column: str, rows: pa.Array
) -> tuple[pa.Array, list[Any]] | None:
    """Column ``column`` (``quantities``/``measures``) as a struct column built from the
    layout's typed engine columns of ``engine``, and the parts of its JSON text in the
    ``rows`` where that is not null (see :func:`_from_engine`); None when the engine columns
    cannot give it."""
    prefix = "quantity." if column == "quantities" else "measure."
    found = {c[len(prefix) :]: c for c in engine.column_names if c.startswith(prefix)}
    if not found:
        return None

    def array(name: str) -> pa.Array:
        col = engine.column(name)
        return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()

    n = engine.num_rows
    parts: list[Any] = []
    if column == "measures":
        fields = [(m, array(found[m])) for m in sorted(found)]
        fields = [(m, a) for m, a in fields if a.null_count < n]
        for m, a in fields:
            parts += _optional(["," + compact_json(m) + ":", json_numbers(a.filter(rows))])
        return _struct(fields, n), parts
    inner = []
    for name in sorted({k.rpartition(".")[0] for k in found}):
        if not name:
            return None
        # (a column not there is taken as nulls: the check against the text confirms it)
        value, low, high, unit, approximate = (
            array(found[c]) if c in found else pa.nulls(n, pa.string())
            for c in (f"{name}.{f}" for f in QUANTITY_FIELDS)
        )
        numbers = [(f, a) for f, a in zip(_NUMBERS, (value, low, high), strict=True)]
        fields = [(f, a) for f, a in [*numbers, ("approximate", approximate)] if a.null_count < n]
        if not fields or fields[0][0] == "approximate":
            continue  # (no row has this quantity: the writer writes none)
        # The fields in the order Quantity.to_dict writes them; null where the writer
        # writes no member: no unit, or no number known (the unit alone is no quantity).
        known = _any_valid([a for f, a in fields if f != "approximate"])
        mask = pc.invert(pc.and_(pc.is_valid(unit), known))
        fields.insert(0, ("unit", unit))
        struct = pa.StructArray.from_arrays(
            [a for _, a in fields], names=[f for f, _ in fields], mask=mask
        )
        if struct.null_count == n:
            continue  # (no row has this quantity: the text must not either)
        units = unit.filter(rows)
        if not pa.types.is_string(units.type) or not _plain_texts(units):
            return None
        member = ["," + compact_json(name) + ':{"unit":"', units, '"']
        for f, a in fields[1:]:
            a = a.filter(rows)
            if f == "approximate":  # (written only when true)
                yes = pc.fill_null(a, scalar(False))
                member.append(pc.if_else(yes, scalar(',"approximate":true'), scalar("")))
            else:
                member += _optional([f',"{f}":', json_numbers(a)])
        parts += _optional([*member, "}"])
        inner.append((name, struct))
    return _struct(inner, n), parts


def _optional(parts: list[Any]) -> list[Any]:
    """``parts`` (texts and text arrays) as they are if no array has a null, else joined
    into one array with "" where one has (a member or field the writer leaves out)."""
    if not any(isinstance(p, pa.Array) and p.null_count for p in parts):
        return parts
    return [pc.fill_null(_join(parts), scalar(""))]


def _join(parts: list[Any]) -> pa.Array:
    # (texts as scalars built from buffers: a Python text would import pandas)
    args = [scalar(p) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, scalar(""))


def _text_buffers(a: pa.Array) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The offsets (from 0) and the bytes of a string array."""
    offsets = np.frombuffer(a.buffers()[1], np.int32)[a.offset : a.offset + len(a) + 1]
    data = a.buffers()[2]
    raw = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
    return offsets - offsets[0], raw[offsets[0] : offsets[-1]]


def _same_members(written: pa.Array, text: pa.Array) -> bool:
    """True if each row of ``written`` (the members, each after a comma, then ``}``) is the
    object of ``text`` (``{``, the members, ``}``) but for its first byte (no nulls)."""
    if len(written) != len(text):
        return False
    w_at, w = _text_buffers(written)
    t_at, t = _text_buffers(text)
    if not np.array_equal(w_at, t_at):
        return False
    starts = t_at[:-1][np.diff(t_at) > 0]
    if not ((w[starts] == ord(",")).all() and (t[starts] == ord("{")).all()):
        return False
    t = t.copy()
    t[starts] = ord(",")
    return bool(np.array_equal(w, t))


def _plain_texts(col: pa.Array) -> bool:
    """True if JSON writes each (distinct) text of ``col`` as it is, between quotes."""
    return all(compact_json(u) == f'"{u}"' for u in pc.unique(pc.drop_null(col)).to_pylist())


def _from_engine(engine: pa.Table | None, column: str, text: pa.Array) -> pa.Array | None:
    """``text``, the JSON column ``column`` of Part 1, as the struct column the layout's
    engine columns give, if they give exactly that text; else None (then the text is
    parsed: Part 1 is authoritative).

    The check writes the text of each row that has one from the engine columns as the
    writer does (each member after a comma, the first comma then compared with the ``{``).
    """
    if engine is None or not pa.types.is_string(text.type):
        return None
    rows = pc.is_valid(text)
    try:
        got = _engine_struct(engine, column, rows)
        if got is None:
            return None
        built, parts = got
        texts = pc.drop_null(text)
        if not parts:
            same = len(texts) == 0
        elif isinstance(parts[0], str):  # (a first member every row has: its comma is "{")
            written = _join(["{" + parts[0][1:], *parts[1:], "}"])
            same = written.equals(texts)
        else:
            written = _join([*parts, "}"])
            same = written.null_count == 0 and _same_members(written, texts)
    except (Unsupported, pa.ArrowException):
        return None
    # (equal texts: each row with a text has a member, so the struct is not null there;
    # equal null counts then say it is null exactly where the text is)
    return built if same and built.null_count == text.null_count else None


def _nullify(col: pa.Array, empty: pa.Array) -> pa.Array:
    return pc.if_else(empty, pa.nulls(1, col.type)[0], col)


def _all_default(name: str, col: pa.Array) -> bool:
    """True if every row of optional column ``name`` is null or its default (one cheap
    kernel: the row-wise nulling is then skipped)."""
    if col.null_count == len(col):
        return True
    if name in _LISTS:
        total = pc.sum(pc.list_value_length(col)).as_py()
        return not total
    if name == "directed":
        return not pc.any(col).as_py()
    default = {"summary": "", "status": "reported"}[name]
    mm = pc.min_max(col)
    low, high = mm["min"].as_py(), mm["max"].as_py()
    return low is None or low == high == default


def record_table(table: pa.Table, engine: pa.Table | None = None) -> pa.Table | None:
    """``table`` in the shape of the JSON Lines reader's records, or None.

    ``engine``, when given, holds the layout's engine columns of the same rows: the
    ``quantities``/``measures`` structs are then built from them whenever they give the
    text of ``table`` exactly (else the text is parsed)."""
    names = table.column_names
    if len(set(names)) != len(names) or not set(names) <= set(TABLE_COLUMNS):
        return None
    if any(c not in names for c in ("id", "when", "kind", "actors", "title")):
        return None
    out_names: list[str] = []
    arrays: list[pa.Array | pa.ChunkedArray] = []
    for name in names:
        if name in _DERIVED:
            continue
        chunked = table.column(name)
        if name in ("when", "kind") and _text_dictionary(chunked.type):
            # (kept as read: from_table takes the dictionary a Parquet column has)
            out_names.append(name)
            arrays.append(chunked)
            continue
        col = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
        if name == "status" and _text_dictionary(col.type):
            col = col.cast(pa.string())
        t = _plain_type(col.type)
        if t != col.type:
            col = col.cast(t)
        if name in _TEXT and not (pa.types.is_string(col.type) or pa.types.is_null(col.type)):
            return None
        if name == "directed" and not (pa.types.is_boolean(col.type) or pa.types.is_null(col.type)):
            return None
        if name in _JSON:
            parsed = _from_engine(engine, name, col) if name in ("quantities", "measures") else None
            if parsed is None:
                parsed = _parse_json(col)
            if parsed is None:
                return None
            if pa.types.is_null(parsed.type):
                continue
            col = parsed
        elif name in _LISTS:
            if not pa.types.is_list(col.type):
                return None
            if name != "actors" and _all_default(name, col):
                continue
            if name != "actors":
                col = _nullify(col, pc.equal(pc.list_value_length(col), _ZERO32))
        elif name in ("summary", "status", "directed") and _all_default(name, col):
            continue
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
    """A column-backed Timeline of ``table`` (no Event built), or None (use the row path).

    ``table`` may hold the layout's engine columns: ``quantities``/``measures`` are then
    taken from them when they agree with the record columns' text."""
    from relations._timeline import Timeline

    try:
        records = record_table(record_columns(table), table)
    except (pa.ArrowException, ValueError, TypeError, KeyError):  # (KeyError: a name twice)
        return None
    if records is None or records.num_rows == 0:
        return None
    cols = from_table(records)
    if cols is None:
        return None
    return Timeline._from_columns(cols)
