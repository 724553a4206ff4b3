"""The layout's record columns made column-wise from a table of canonical records.

A Timeline read by the columnar readers holds its events as an Arrow table of canonical
records (the fields of ``Event.to_dict()``, typed as Arrow's JSON reader types them: lists,
structs for ``quantities``/``measures``/``extra``, a list of structs for ``sources``).
:func:`layout_records` turns such a table into the table :func:`relations.formats.arrow.to_arrow`
writes, with array operations, so that writing a million events does not build a million
:class:`~relations.Event` objects: every value is what the Event built from the same row
writes (the tests compare the two paths byte for byte). Distinct dates and list items are
read once each; JSON text is assembled from the columns' text (a value is encoded by Python
only where Arrow's text would differ: a string with characters JSON escapes, a float outside
``1e-4 <= |x| < 1e9``, a source).

>>> import pyarrow as pa
>>> t = pa.table({"id": ["t"], "when": ["2024-06"], "kind": ["trade"],
...               "actors": [["RUS", "PRK"]], "title": ["T"], "tags": [["b", "a", "b"]],
...               "measures": pa.array([{"tone": 1.5, "n": 3}])})
>>> row = layout_records(t).to_pylist()[0]
>>> row["earliest"], row["precision"], row["tags"], row["measures"], row["status"]
(datetime.date(2024, 6, 1), 'month', ['a', 'b'], '{"n":3,"tone":1.5}', 'reported')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations._arrow import scalar
from relations.actors import resolve_code
from relations.events import Source, Status
from relations.formats.layout import record_schema
from relations.record import dumps as compact_json
from relations.when import When, ordinal

__all__ = [
    "HasRecordTable",
    "Unsupported",
    "json_numbers",
    "json_strings",
    "layout_of",
    "layout_records",
]

_EPOCH = ordinal(1970, 1, 1)
_FIRST_DAY, _LAST_DAY = ordinal(1, 1, 1), ordinal(9999, 12, 31)
_QUANTITY_NUMBERS = ("value", "low", "high")
# Characters JSON escapes (compact_json writes the rest of a string as it is).
_ESCAPED = r'[\x00-\x1f"\\]'
_TEXT = pa.string()


class Unsupported(Exception):
    """A column this module cannot convert exactly (the caller writes from the events)."""


@runtime_checkable
class HasRecordTable(Protocol):
    """Events that can give their canonical records as one Arrow table (a Timeline held as
    columns does: :meth:`relations.timeline.Timeline.record_table`); the writers then make
    their output from its columns, with no Event built."""

    def record_table(self) -> Any:
        """The records in order as an Arrow table, or None if not held as columns."""


def layout_of(events: object) -> pa.Table | None:
    """The layout's record columns made from ``events``' own Arrow columns, or None (then
    the writer reads the events one by one)."""
    if not isinstance(events, HasRecordTable):
        return None
    records = events.record_table()
    if records is None:
        return None
    try:
        return layout_records(records)
    except Unsupported:
        return None


def layout_records(records: pa.Table) -> pa.Table:
    """The record columns of the layout (:func:`relations.formats.layout.record_schema`) for
    ``records``, a table of canonical records in the order to write; raises
    :class:`Unsupported` for a column it cannot convert exactly."""
    n = records.num_rows
    have = set(records.column_names)

    def column(name: str) -> pa.Array | None:
        if name not in have:
            return None
        col = records.column(name)
        return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col

    def text(name: str) -> pa.Array:
        col = column(name)
        if col is None or not pa.types.is_string(col.type):
            raise Unsupported(name)
        return col

    when, lo, hi, precision = _dates(cast_dictionary(column("when")))
    out: dict[str, Any] = {
        "id": text("id"),
        "when": when,
        "earliest": _days(lo),
        "latest": _days(hi),
        "lo": pa.array(lo),
        "hi": pa.array(hi),
        "precision": precision,
        "kind": text("kind"),
        "actors": _list(column("actors"), n),
        "title": text("title"),
    }
    directed = column("directed")
    out["directed"] = (
        pa.array(np.zeros(n, dtype=bool)) if directed is None else pc.fill_null(directed, False)
    )
    status = column("status")
    out["status"] = (
        pa.array([Status.REPORTED.value] * n, _TEXT) if status is None else _status(status)
    )
    summary = column("summary")
    out["summary"] = pa.array([""] * n, _TEXT) if summary is None else pc.fill_null(summary, "")
    location = column("location")
    out["location"] = (
        pa.nulls(n, _TEXT)
        if location is None
        else pc.if_else(pc.equal(location, ""), pa.scalar(None, _TEXT), location)
    )
    out["claimed_by"] = _claimed_by(column("claimed_by"), n)
    out["tags"] = _sorted_distinct(_list(column("tags"), n))
    out["links"] = _links(_list(column("links"), n))
    out["quantities"] = _quantities(column("quantities"), n)
    out["measures"] = _measures(column("measures"), n)
    out["sources"] = _sources(column("sources"), n)
    out["extra"] = _extra(column("extra"), n)
    schema = record_schema()
    for f in schema:
        if out[f.name].type != f.type:
            raise Unsupported(f.name)
    return pa.Table.from_arrays([out[f.name] for f in schema], schema=schema)


def cast_dictionary(col: pa.Array | None) -> pa.DictionaryArray:
    """``col`` dictionary-encoded (as it is, if it already is)."""
    if col is None:
        raise Unsupported("when")
    if pa.types.is_dictionary(col.type):
        return col
    return pc.dictionary_encode(col)


# ---- dates ------------------------------------------------------------------------------------


def _dates(
    when: pa.DictionaryArray,
) -> tuple[pa.Array, np.ndarray[Any, Any], np.ndarray[Any, Any], pa.Array]:
    """Canonical date text, ``lo``, ``hi`` and precision of each row: each distinct date read once."""
    if when.null_count or not pa.types.is_string(when.dictionary.type):
        raise Unsupported("when")
    parsed = [When.coerce(w) for w in when.dictionary.to_pylist()]
    codes = when.indices.to_numpy(zero_copy_only=False)
    lo = np.array([w.lo for w in parsed], dtype=np.int64)[codes]
    hi = np.array([w.hi for w in parsed], dtype=np.int64)[codes]
    idx = pa.array(codes)
    texts = pa.array([str(w) for w in parsed], _TEXT).take(idx)
    precisions = pa.array([w.precision.name.lower() for w in parsed], _TEXT).take(idx)
    return texts, lo, hi, precisions


def _days(days: np.ndarray[Any, Any]) -> pa.Array:
    """Day ordinals as ``date32`` (days since 1970-01-01), null outside years 1-9999."""
    outside = (days < _FIRST_DAY) | (days > _LAST_DAY)
    since = np.where(outside, 0, days - _EPOCH).astype(np.int32)
    return pa.array(since, type=pa.int32(), mask=outside).cast(pa.date32())


# ---- lists of text ------------------------------------------------------------------------


def _list(col: pa.Array | None, n: int) -> pa.ListArray:
    """A ``list<string>`` column with an empty list for a null (an absent field)."""
    names = pa.list_(_TEXT)
    if col is None:
        return pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, np.int32)), pa.array([], _TEXT))
    if not (pa.types.is_list(col.type) or pa.types.is_large_list(col.type)):
        raise Unsupported(str(col.type))
    if not pa.types.is_string(col.type.value_type):
        raise Unsupported(str(col.type))
    values = pc.list_flatten(col)
    if values.null_count:
        raise Unsupported("a null in a list")
    lengths = pc.fill_null(pc.list_value_length(col), 0).to_numpy(zero_copy_only=False)
    return _rebuild(lengths, values, names)


def _rebuild(lengths: np.ndarray[Any, Any], values: pa.Array, names: pa.DataType) -> pa.ListArray:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), values, type=names)


def _claimed_by(col: pa.Array | None, n: int) -> pa.ListArray:
    """Actor codes as the event holds them (each distinct code resolved once)."""
    lists = _list(col, n)
    values = lists.values
    if not len(values):
        return lists
    enc = pc.dictionary_encode(values)
    codes = [resolve_code(c) for c in enc.dictionary.to_pylist()]
    if codes == enc.dictionary.to_pylist():
        return lists
    lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
    return _rebuild(lengths, pa.array(codes, _TEXT).take(enc.indices), lists.type)


def _by_row(lists: pa.ListArray) -> tuple[np.ndarray[Any, Any], pa.Array, np.ndarray[Any, Any]]:
    """Each item's row, the items sorted by (row, text), and where an item equals the one
    before it in the same row."""
    parents = pc.list_parent_indices(lists)
    order = pc.sort_indices(
        pa.table({"p": parents, "v": lists.values}),
        sort_keys=[("p", "ascending"), ("v", "ascending")],
    )
    p = parents.take(order).to_numpy(zero_copy_only=False)
    v = lists.values.take(order)
    repeat = np.zeros(len(p), dtype=bool)
    if len(p) > 1:
        same = pc.equal(v[1:], v[:-1]).to_numpy(zero_copy_only=False)
        repeat[1:] = same & (p[1:] == p[:-1])
    return p, v, repeat


def _sorted_distinct(lists: pa.ListArray) -> pa.ListArray:
    """Each row's list sorted and without repeats (as ``Event.tags``); code point order is
    UTF-8 byte order, the order Arrow sorts text in."""
    if not len(lists.values):
        return lists
    p, v, repeat = _by_row(lists)
    keep = ~repeat
    lengths = np.bincount(p[keep], minlength=len(lists))
    return _rebuild(lengths, v.filter(pa.array(keep)), lists.type)


def _links(lists: pa.ListArray) -> pa.ListArray:
    """Each row's list without repeats, first occurrences kept in order (as ``Event.links``)."""
    if not len(lists.values):
        return lists
    p, _, repeat = _by_row(lists)
    if not repeat.any():
        return lists
    rows = set(np.unique(p[repeat]).tolist())
    py = lists.to_pylist()
    return pa.array(
        [list(dict.fromkeys(x)) if i in rows else x for i, x in enumerate(py)], lists.type
    )


# ---- JSON text ----------------------------------------------------------------------------


def json_strings(col: pa.Array) -> pa.Array:
    """Each text as a JSON string literal (as :func:`compact_json` writes it); nulls stay."""
    quoted = pc.binary_join_element_wise(pa.scalar('"'), col, pa.scalar('"'), "")
    if not _may_escape(col):
        return quoted
    escape = pc.fill_null(pc.match_substring_regex(col, _ESCAPED), False)
    if not pc.any(escape).as_py():
        return quoted
    at = np.flatnonzero(escape.to_numpy(zero_copy_only=False))
    fixed = [compact_json(s) for s in col.take(pa.array(at)).to_pylist()]
    return pc.replace_with_mask(quoted, escape, pa.array(fixed, _TEXT))


def _may_escape(col: pa.Array) -> bool:
    """False if no text of ``col`` holds a byte JSON escapes (one scan of its data buffer)."""
    if not pa.types.is_string(col.type) or len(col) == 0:
        return True
    data = col.buffers()[2]
    if data is None:
        return False
    b = np.frombuffer(data, dtype=np.uint8)
    return bool(((b < 0x20) | (b == 0x22) | (b == 0x5C)).any())


_F_ZERO, _F_SMALL, _F_LARGE = scalar(0.0), scalar(1e-4), scalar(1e9)
_POINT_ZERO, _EMPTY, _YES = scalar(".0"), scalar(""), scalar(True)


def json_numbers(col: pa.Array) -> pa.Array:
    """Each number as Python's ``json`` writes it (``repr``); nulls stay."""
    t = col.type
    if pa.types.is_int64(t):
        return pc.cast(col, _TEXT)
    if not pa.types.is_float64(t):
        raise Unsupported(str(t))
    text = pc.cast(col, _TEXT)
    # Arrow writes the same shortest digits as repr; in this range also in the same notation,
    # but without repr's ".0" on a whole number.
    # (the constants are Arrow scalars: a Python value given to a kernel imports pandas)
    size = pc.abs(col)
    plain = pc.or_(
        pc.equal(size, _F_ZERO),
        pc.and_(pc.greater_equal(size, _F_SMALL), pc.less(size, _F_LARGE)),
    )
    whole = pc.invert(pc.match_substring_regex(text, r"[.e]"))
    text = pc.if_else(whole, pc.binary_join_element_wise(text, _POINT_ZERO, _EMPTY), text)
    other = pc.and_(pc.is_valid(col), pc.invert(pc.fill_null(plain, _YES)))
    if pc.any(other).as_py():
        at = np.flatnonzero(other.to_numpy(zero_copy_only=False))
        fixed = [repr(x) for x in col.take(pa.array(at)).to_pylist()]
        text = pc.replace_with_mask(text, other, pa.array(fixed, _TEXT))
    return text


def _map(parts: list[tuple[str, pa.Array]], n: int) -> pa.Array:
    """JSON text of a mapping per row (null for none): keys sorted, as a FrozenMap holds them."""
    return _members(sorted(parts, key=lambda p: p[0])) if parts else pa.nulls(n, _TEXT)


def _members(parts: list[tuple[str, pa.Array]]) -> pa.Array:
    """JSON object text per row from ``(key, JSON value text)`` pairs, keys in the order given
    and a null value's member left out; null where every value is null."""
    if not parts:
        raise Unsupported("no members")
    # Each member is written with a leading comma (empty for a null value), the members are
    # concatenated and the first comma dropped (Arrow's null_handling="skip" of
    # binary_join_element_wise drops rows whose values are all null, so it is not used).
    members = [
        pc.binary_join_element_wise(pa.scalar("," + compact_json(k) + ":"), v, "") for k, v in parts
    ]
    valid = pc.is_valid(members[0])
    for m in members[1:]:
        valid = pc.or_(valid, pc.is_valid(m))
    filled = [pc.fill_null(m, "") for m in members]
    joined = filled[0] if len(filled) == 1 else pc.binary_join_element_wise(*filled, "")
    body = pc.utf8_slice_codeunits(joined, 1)
    obj = pc.binary_join_element_wise(pa.scalar("{"), body, pa.scalar("}"), "")
    return pc.if_else(valid, obj, pa.scalar(None, _TEXT))


def _struct_fields(col: pa.Array) -> list[tuple[str, pa.Array]]:
    """The fields of a struct column, each null where the row's struct is null; fields of
    the null type (no row has a value) are left out."""
    if not pa.types.is_struct(col.type):
        raise Unsupported(str(col.type))
    out = []
    for i in range(col.type.num_fields):
        f = col.type.field(i)
        if pa.types.is_null(f.type):
            continue
        out.append((f.name, pc.struct_field(col, [i])))
    return out


_Build = Callable[[pa.Array, int], pa.Array]


def _sparse(build: _Build) -> Callable[[pa.Array | None, int], pa.Array]:
    """``build`` (a struct column's JSON text) run on the rows that have a value only (most
    rows of a sparse column have none), the result spread back over every row."""

    def run(col: pa.Array | None, n: int) -> pa.Array:
        if col is None:
            return pa.nulls(n, _TEXT)
        valid = pc.is_valid(col)
        k = col.null_count
        if k == 0:
            return build(col, n)
        if k == n:
            return pa.nulls(n, _TEXT)
        text = build(col.filter(valid), n - k)
        return pc.replace_with_mask(pa.nulls(n, _TEXT), valid, text)

    return run


@_sparse
def _quantities(col: pa.Array, n: int) -> pa.Array:
    parts = []
    for name, q in _struct_fields(col):
        fields = dict(_struct_fields(q))
        unit = fields.pop("unit", None)
        if unit is None or not set(fields) <= {*_QUANTITY_NUMBERS, "approximate"}:
            raise Unsupported(f"quantity {name!r}")
        inner = [("unit", json_strings(unit))]
        for part in _QUANTITY_NUMBERS:
            if part in fields:
                inner.append((part, json_numbers(fields[part])))
        approx = fields.get("approximate")
        if approx is not None:
            if not pa.types.is_boolean(approx.type):
                raise Unsupported("approximate")
            yes = pc.fill_null(approx, False)
            inner.append(("approximate", pc.if_else(yes, "true", pa.scalar(None, _TEXT))))
        numbers = [pc.is_valid(v) for k, v in inner[1:] if k in _QUANTITY_NUMBERS]
        known = numbers[0] if numbers else pa.array(np.zeros(n, dtype=bool))
        for x in numbers[1:]:
            known = pc.or_(known, x)
        if pc.any(pc.and_(known, pc.is_null(unit))).as_py():
            raise Unsupported(f"quantity {name!r} without a unit")
        text = pc.if_else(known, _members(inner), pa.scalar(None, _TEXT))
        parts.append((name, text))
    return _map(parts, n)


@_sparse
def _measures(col: pa.Array, n: int) -> pa.Array:
    return _map([(name, json_numbers(v)) for name, v in _struct_fields(col)], n)


@_sparse
def _extra(col: pa.Array, n: int) -> pa.Array:
    parts = []
    for name, v in _struct_fields(col):
        if not pa.types.is_string(v.type):
            raise Unsupported(f"extra {name!r}")
        parts.append((name, json_strings(v)))
    return _map(parts, n)


def _sources(col: pa.Array | None, n: int) -> pa.Array:
    """Sources row by row (few rows have them; a source's fields are normalised as Source
    normalises them)."""
    if col is None:
        return pa.nulls(n, _TEXT)
    if not pa.types.is_list(col.type):
        raise Unsupported(str(col.type))
    valid = pc.fill_null(pc.greater(pc.list_value_length(col), 0), False)
    at = np.flatnonzero(valid.to_numpy(zero_copy_only=False))
    texts = [
        compact_json([Source.from_dict(_present(s)).to_dict() for s in row])
        for row in col.take(pa.array(at)).to_pylist()
    ]
    out = pa.nulls(n, _TEXT)
    return pc.replace_with_mask(out, valid, pa.array(texts, _TEXT)) if texts else out


def _present(d: dict[str, Any]) -> dict[str, Any]:
    """A struct row without the nulls of fields it does not have."""
    return {k: v for k, v in d.items() if v is not None}


def _status(col: pa.Array) -> pa.Array:
    filled = pc.fill_null(col, Status.REPORTED.value)
    known = {s.value for s in Status}
    if not set(pc.unique(filled).to_pylist()) <= known:
        raise Unsupported("status")
    return filled
