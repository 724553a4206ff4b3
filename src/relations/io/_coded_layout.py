"""A layout batch (version 2) from a block's record columns, without an Event per row.

:func:`from_record` is what :func:`relations.io._layout_batch.from_gdelt` is for GDELT, for
any fast path that gives :class:`relations.io._coded_columns.RecordColumns` (ICEWS): the
record's struct columns (``measures``, ``sources``, ``extra``) become the canonical writer's
JSON text (keys in its order, null values left out) with Arrow string kernels, and the
engine columns (``source``, ``target``, ``measure.NAME``) are the typed values.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from relations.io._coded_columns import RecordColumns
from relations.io._layout_batch import layout_schema
from relations.when import ordinal

__all__ = ["from_record"]

_TEXT = pa.string()


def _escaped(a: pa.Array) -> pa.Array:
    """Text as the inside of a JSON string (control characters never reach here: clean()
    refused them)."""
    if pc.any(pc.or_(pc.match_substring(a, '"'), pc.match_substring(a, "\\"))).as_py():
        a = pc.replace_substring(pc.replace_substring(a, "\\", "\\\\"), '"', '\\"')
    return a


_EPOCH, _FIRST, _LAST = ordinal(1970, 1, 1), ordinal(1, 1, 1), ordinal(9999, 12, 31)


def _dates(day: pa.Array) -> pa.Array:
    """Day numbers as dates (null outside years 1-9999, which date32 cannot hold)."""
    inside = pc.and_(pc.greater_equal(day, _FIRST), pc.less_equal(day, _LAST))
    return pc.cast(pc.if_else(inside, pc.subtract(day, _EPOCH), None), pa.int32()).cast(pa.date32())


@functools.lru_cache(maxsize=16)
def _schema(measures: tuple[tuple[str, bool], ...]) -> pa.Schema:
    return layout_schema(measures)


def _numbers(a: pa.Array) -> pa.Array:
    """Numbers as the canonical writer writes them (``compact_json``: finite numbers, so
    their ``repr``), each distinct value formatted once."""
    enc = pc.dictionary_encode(a)
    texts = [repr(v) for v in enc.dictionary.to_pylist()]  # what json writes for int, float
    return pa.array(texts, _TEXT).take(enc.indices)


def _struct_json(a: pa.Array, text: bool) -> pa.Array:
    """A struct column as JSON objects of its non-null fields (in field order; null where
    every field is): fields of text as JSON strings, else as JSON numbers. Each field gives
    one ``,"key":value`` piece, and the pieces are joined once (never pairwise, which copies
    the growing text once per field)."""
    pieces = []
    for f in a.type:
        v = a.field(f.name)
        if text:
            pieces.append(pc.binary_join_element_wise(f',"{f.name}":"', _escaped(v), '"', ""))
        else:
            pieces.append(pc.binary_join_element_wise(f',"{f.name}":', _numbers(v), ""))
    if not pieces:
        return pa.nulls(len(a), _TEXT)
    body = pc.binary_join_element_wise(*pieces, "", null_handling="replace")
    text_of = pc.binary_join_element_wise(pc.binary_replace_slice(body, 0, 1, "{"), "}", "")
    return pc.if_else(pc.equal(body, ""), pa.scalar(None, _TEXT), text_of)


def from_record(cols: RecordColumns, measures: Sequence[tuple[str, bool]]) -> pa.RecordBatch:
    """A block's record columns as a layout batch; ``measures`` are the dataset's
    ``(measure name, is a count)`` pairs (the ``measure.*`` columns)."""
    schema = _schema(tuple(measures))
    record = cols.record.combine_chunks()
    n = record.num_rows

    def column(name: str) -> pa.Array:
        return record.column(name).chunk(0) if n else pa.array([], record.schema.field(name).type)

    empty_list = pa.array([[]], pa.list_(_TEXT)).take(pa.array([0] * n, pa.int32()))
    m = column("measures")
    src = column("sources")
    one = _struct_json(pc.list_flatten(src), text=True)  # one source a row, where there is one
    has = pc.is_valid(src)
    idx = pc.subtract(pc.cumulative_sum(pc.cast(has, pa.int64())), 1)
    wrapped = pc.binary_join_element_wise("[", one, "]", "")
    sources = (
        pc.if_else(has, pc.take(wrapped, pc.max_element_wise(idx, 0)), pa.nulls(n, _TEXT))
        if len(one)
        else pa.nulls(n, _TEXT)
    )
    arrays: dict[str, Any] = {
        "id": column("id"),
        "when": column("when"),
        "earliest": _dates(cols.lo),
        "latest": _dates(cols.hi),
        "lo": cols.lo,
        "hi": cols.hi,
        "precision": cols.precision,
        "kind": column("kind"),
        "actors": column("actors"),
        "title": column("title"),
        "directed": pc.fill_null(column("directed"), False),
        "status": pa.repeat(pa.scalar("reported", _TEXT), n),
        "summary": pa.repeat(pa.scalar("", _TEXT), n),
        "location": column("location"),
        "claimed_by": empty_list,
        "tags": empty_list,
        "links": empty_list,
        "quantities": pa.nulls(n, _TEXT),
        "measures": _struct_json(m, text=False),
        "sources": sources,
        "extra": _struct_json(column("extra"), text=True),
        "source": cols.source,
        "target": cols.target,
    }
    for name, _ in measures:
        arrays[f"measure.{name}"] = m.field(name)
    return pa.RecordBatch.from_arrays([arrays[f.name] for f in schema], schema=schema)
