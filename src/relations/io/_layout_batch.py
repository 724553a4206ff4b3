"""Record batches in the columnar layout (version 2) from imported columns or from events.

The layout is :func:`relations.formats.arrow.arrow_schema`'s 21 record columns followed by
the engine columns ``source``, ``target`` and one ``measure.NAME`` column per measure (see
``docs/reference/columnar-layout.md``). :func:`from_gdelt` builds a batch from a block's
columns without an Event per row (the JSON text columns ``measures``, ``sources`` and
``extra`` are composed with Arrow string kernels, in the canonical writer's key order);
:func:`from_events` builds the same batch from events (the blocks read row by row).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from relations.events import Event
from relations.formats.arrow import to_arrow
from relations.formats.jsonl import compact_json
from relations.formats.layout import layout_schema as _layout_schema
from relations.formats.layout import quantity_columns
from relations.io._gdelt_columns import MEASURES, GdeltColumns
from relations.io._text_bytes import byte_table, cells_with_any, has_any_byte
from relations.when import ordinal

__all__ = ["GDELT_MEASURES", "from_events", "from_gdelt", "layout_schema"]

_EPOCH = ordinal(1970, 1, 1)
_FIRST_DAY, _LAST_DAY = ordinal(1, 1, 1), ordinal(9999, 12, 31)
_TEXT = pa.string()


def layout_schema(
    measures: Sequence[tuple[str, bool]], quantities: Sequence[str] = ()
) -> pa.Schema:
    """The layout's schema (:func:`relations.formats.layout.layout_schema`) for these
    ``(measure name, is a count)`` pairs and quantity names (whole-number quantities, as the
    importers make them).

    >>> [f.name for f in layout_schema([("tone", False)], ["fatalities"])][-3:]
    ['quantity.fatalities.unit', 'quantity.fatalities.approximate', 'measure.tone']
    """
    integers = [f"measure.{m}" for m, count in measures if count]
    integers += [c for q in quantities for c in quantity_columns(q)[:3]]
    schema: pa.Schema = _layout_schema(quantities, [m for m, _ in measures], integers=integers)
    return schema


#: The measures of an imported GDELT file: (name, is a count).
GDELT_MEASURES = [(m, count) for _, m, count in MEASURES]


def _escaped(a: pa.Array) -> pa.Array:
    """Text escaped for a JSON string literal (control characters never reach here: see
    _gdelt_columns._clean)."""
    if has_any_byte(a, b'"\\'):
        a = pc.replace_substring(pc.replace_substring(a, "\\", "\\\\"), '"', '\\"')
    return a


def _few_values(a: pa.Array, text: Callable[[Any], str]) -> pa.Array | None:
    """``text`` of each row's value (null for null), made once per distinct value, when the
    column has few (at most a quarter of its rows, judged first on its first rows); else None."""
    head = a.slice(0, 1024)
    if pc.count_distinct(head).as_py() * 4 > len(head):
        return None
    codes = pc.dictionary_encode(a)  # floats: -0.0 and 0.0 are two values here
    if len(codes.dictionary) * 4 > len(a):
        return None
    return pa.array([text(v) for v in codes.dictionary.to_pylist()], _TEXT).take(codes.indices)


def _text_member(key: str, a: pa.Array) -> pa.Array:
    """``"key":"text"`` of each row (null where the text is null)."""
    few = _few_values(a, lambda v: f'"{key}":{compact_json(v)}')
    if few is not None:
        return few
    return pc.binary_join_element_wise(f'"{key}":"', _escaped(a), '"', "")


def _code_fragments(cols: GdeltColumns, keys: tuple[int, ...], names: tuple[str, ...]) -> pa.Array:
    """``"name":"value",...`` of the CAMEO code's facts, made once per distinct code."""
    texts = [
        ",".join(f'"{n}":{compact_json(f[k])}' for n, k in zip(names, keys, strict=True))
        for f in cols.code_facts
    ]
    return pa.array(texts, _TEXT).take(pa.array(cols.code_index))


_POINT_OR_WORD = byte_table(b".eEn")  # Arrow writes 8.0 as "8", 1e20 as "1e+20", nan, inf


def _float_texts(a: pa.Array) -> pa.Array:
    """Each float as the canonical writer writes it (Python's ``repr``); null for null.

    Few distinct values (a score, a place's coordinates) are formatted by Python once each.
    Otherwise Arrow's text is used where it is Python's (a point added to a whole number:
    ``8`` → ``8.0``), which holds for 1e-4 <= |x| < 1e9 and 0; the rare others (Arrow
    writes ``0.00001`` and ``1e+10`` where Python writes ``1e-05`` and ``10000000000.0``) are
    formatted by Python.
    """
    few = _few_values(a, compact_json)
    if few is not None:
        return few
    text = pc.cast(a, _TEXT)
    bare = pa.array(~cells_with_any(text, _POINT_OR_WORD))
    text = pc.binary_join_element_wise(text, pc.if_else(bare, ".0", ""), "")
    size = pc.abs(a)
    odd = pc.or_(pc.greater_equal(size, 1e9), pc.and_(pc.less(size, 1e-4), pc.not_equal(size, 0)))
    odd = pc.fill_null(odd, False)
    if pc.any(odd).as_py():
        exact = [compact_json(v) for v in pc.filter(a, odd).to_pylist()]
        text = pc.replace_with_mask(text, odd, pa.array(exact, _TEXT))
    return text


def _number_member(key: str, a: pa.Array) -> pa.Array:
    """``"key":number`` of each row, as the canonical writer writes the number; null where
    the number is null."""
    text = _float_texts(a) if pa.types.is_floating(a.type) else pc.cast(a, _TEXT)
    return pc.binary_join_element_wise(f'"{key}":', text, "")


def _json_object(members: list[pa.Array]) -> pa.Array:
    """``{member,...}`` of the non-null members (in the given order); null if none."""
    if all(m.null_count == 0 for m in members):  # every member on every row: one pass
        commas = [piece for m in members for piece in (",", m)][1:]
        return pc.binary_join_element_wise("{", *commas, "}", "")
    # Each member as ",member", nulls as "", joined in one pass, the first comma made "{".
    # (Not null_handling="skip": pyarrow 26 drops the rows where every member is null.)
    pieces = [pc.binary_join_element_wise(",", m, "") for m in members]
    body = pc.binary_join_element_wise(*pieces, "", null_handling="replace")
    text = pc.binary_join_element_wise(pc.binary_replace_slice(body, 0, 1, "{"), "}", "")
    return pc.if_else(pc.equal(body, ""), pa.scalar(None, _TEXT), text)


def _days(day: pa.Array) -> pa.Array:
    inside = pc.and_(pc.greater_equal(day, _FIRST_DAY), pc.less_equal(day, _LAST_DAY))
    since = pc.cast(pc.subtract(day, _EPOCH), pa.int32())
    return pc.cast(pc.if_else(inside, since, pa.scalar(None, pa.int32())), pa.date32())


def from_gdelt(cols: GdeltColumns) -> pa.RecordBatch:
    """A block's GDELT columns as a layout batch (no Event is built)."""
    n = len(cols.id)
    schema = layout_schema(GDELT_MEASURES)
    empty_list = (
        pa.array([[]], pa.list_(_TEXT)).take(pa.array([0] * n))
        if n
        else pa.array([], pa.list_(_TEXT))
    )
    m = cols.measures
    measure_values = {k: m.field(k) for k, _ in GDELT_MEASURES}
    e = cols.extra
    # keys in sorted order (as the canonical writer writes them); the CAMEO code's facts and
    # the constant dataset name as fragments made once per distinct value
    parts: dict[str, pa.Array] = {}
    for f in e.type:
        if f.name in ("cameo", "cameo_root", "goldstein", "quad_class", "source_dataset"):
            continue
        parts[f.name] = _text_member(f.name, e.field(f.name))
    fragments = {
        "cameo": _code_fragments(cols, (2, 3), ("cameo", "cameo_root")),
        "goldstein": _code_fragments(cols, (5,), ("goldstein",)),
        "quad_class": _code_fragments(cols, (4,), ("quad_class",)),
    }
    dataset = e.field("source_dataset")[0].as_py() if n else ""
    fragments["quad_class"] = pc.binary_join_element_wise(
        fragments["quad_class"], f',"source_dataset":{compact_json(dataset)}', ""
    )
    pieces = [{**parts, **fragments}[key] for key in sorted([*parts, *fragments])]
    body = pc.binary_join_element_wise(*pieces, ",", null_handling="skip")
    extra_json = pc.binary_join_element_wise("{", body, "}", "")
    src = pc.list_flatten(cols.sources)
    has = pc.is_valid(cols.sources)
    one = _json_object([_text_member(f.name, src.field(f.name)) for f in src.type])
    sources_json = pa.array([None] * n, _TEXT)
    if len(src):
        wrapped = pc.binary_join_element_wise("[", one, "]", "")
        if len(src) == n:  # a source on every row
            sources_json = wrapped
        else:
            idx = pc.subtract(pc.cumulative_sum(pc.cast(has, pa.int64())), 1)
            sources_json = pc.if_else(
                has, pc.take(wrapped, pc.max_element_wise(idx, 0)), sources_json
            )
    arrays: dict[str, Any] = {
        "id": cols.id,
        "when": cols.when,
        "earliest": _days(cols.lo),
        "latest": _days(cols.hi),
        "lo": cols.lo,
        "hi": cols.hi,
        "precision": cols.precision,
        "kind": cols.kind,
        "actors": cols.actors,
        "title": cols.title,
        "directed": cols.directed,
        "status": pa.repeat(pa.scalar("reported", _TEXT), n),
        "summary": pa.repeat(pa.scalar("", _TEXT), n),
        "location": cols.location,
        "claimed_by": empty_list,
        "tags": empty_list,
        "links": empty_list,
        "quantities": pa.nulls(n, _TEXT),
        "measures": _json_object([_number_member(k, v) for k, v in measure_values.items()]),
        "sources": sources_json,
        "extra": extra_json,
        "source": cols.source,
        "target": cols.target,
    }
    for k, _ in GDELT_MEASURES:
        arrays[f"measure.{k}"] = measure_values[k]
    return pa.RecordBatch.from_arrays([arrays[f.name] for f in schema], schema=schema)


def from_events(events: Sequence[Event], schema: pa.Schema) -> pa.RecordBatch:
    """Events as a batch of ``schema`` (the layout; its ``measure.*`` columns say which)."""
    table = to_arrow(events)
    arrays = [table.column(f.name) for f in table.schema]
    arrays.append(pa.array([e.actors[0] if e.directed else None for e in events], _TEXT))
    arrays.append(pa.array([e.actors[1] if e.directed else None for e in events], _TEXT))
    for f in schema:
        if f.name.startswith("measure."):
            name = f.name.removeprefix("measure.")
            arrays.append(pa.array([e.measures.get(name) for e in events], f.type))
        elif f.name.startswith("quantity."):
            name, part = f.name.removeprefix("quantity.").rsplit(".", 1)
            got = [e.quantities.get(name) for e in events]
            arrays.append(pa.array([None if q is None else getattr(q, part) for q in got], f.type))
    if not events:
        return pa.RecordBatch.from_pylist([], schema=schema)
    return pa.Table.from_arrays(arrays, schema=schema).combine_chunks().to_batches()[0]
