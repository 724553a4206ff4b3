"""The canonical JSON Lines text of a layout record table, made column-wise.

:func:`json_lines` gives, for each row of the table :func:`relations.formats.records.layout_records`
makes, exactly the line :func:`relations.record.encode_event` writes for the row's event
(the same keys in the same order, defaults left out, the same escaping), assembled with
Arrow's string kernels; :func:`relations.formats.jsonl.write_jsonl` writes a column-backed
Timeline with it.

>>> from collections.abc import Callable

import pyarrow as pa
>>> from relations.formats.records import layout_records
>>> t = layout_records(pa.table({"id": ["t"], "when": ["2024"], "kind": ["trade"],
...                              "actors": [["RUS", "PRK"]], "title": ["T"],
...                              "directed": [True], "tags": [["b", "a"]]}))
>>> json_lines(t).to_pylist()
['{"schema":1,"id":"t","when":"2024","kind":"trade","actors":["RUS","PRK"],"title":"T","directed":true,"tags":["a","b"]}']
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from relations.events import SCHEMA_VERSION, Status
from relations.formats.records import json_strings

__all__ = ["json_lines"]

_TEXT = pa.string()
_NULL = pa.scalar(None, _TEXT)
# What write_jsonl escapes beyond JSON: characters some line splitters break lines at.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _column(table: pa.Table, name: str) -> pa.Array:
    col = table.column(name)
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def _list_json(col: pa.ListArray) -> pa.Array:
    """Each list of text as a JSON array."""
    items = json_strings(col.values)
    quoted = pa.ListArray.from_arrays(col.offsets, items)
    inner = pc.binary_join(quoted, ",")
    return pc.binary_join_element_wise(pa.scalar("["), inner, pa.scalar("]"), "")


def _member(
    key: str, value: Callable[[], pa.Array], present: pa.Array | None = None
) -> pa.Array | None:
    """``,"key":value`` where ``present`` (default: where ``value`` is not null), else ``""``;
    None when no row has the member (``value`` is then not computed)."""
    if present is not None and not pc.any(present).as_py():
        return None
    v = value()
    if present is None and v.null_count == len(v):
        return None
    text = pc.binary_join_element_wise(pa.scalar(f',"{key}":'), v, "")
    if present is not None:
        text = pc.if_else(present, text, _NULL)
    return pc.fill_null(text, "")


def json_lines(table: pa.Table) -> pa.Array:
    """One canonical JSON text per row of a layout record table (no newline)."""
    c = {name: _column(table, name) for name in table.column_names}
    head = pa.scalar(f'{{"schema":{SCHEMA_VERSION},"id":')
    summary, status = c["summary"], c["status"]
    parts = [
        pc.binary_join_element_wise(head, json_strings(c["id"]), ""),
        _member("when", lambda: json_strings(c["when"])),
        _member("kind", lambda: json_strings(c["kind"])),
        _member("actors", lambda: _list_json(c["actors"])),
        _member("title", lambda: json_strings(c["title"])),
        pc.if_else(c["directed"], ',"directed":true', "")
        if pc.any(c["directed"]).as_py()
        else None,
        _member("summary", lambda: json_strings(summary), pc.not_equal(summary, "")),
        _member("location", lambda: json_strings(c["location"])),
        _member(
            "status",
            lambda: json_strings(status),
            pc.not_equal(status, Status.REPORTED.value),
        ),
        _list_member("claimed_by", c["claimed_by"]),
        _member("quantities", lambda: c["quantities"]),
        _member("measures", lambda: c["measures"]),
        _member("sources", lambda: c["sources"]),
        _list_member("tags", c["tags"]),
        _list_member("links", c["links"]),
        _member("extra", lambda: c["extra"]),
    ]
    used = [p for p in parts if p is not None]
    lines = pc.binary_join_element_wise(*used, pa.scalar("}"), "")  # the last is the separator
    if not pc.all(pc.string_is_ascii(lines)).as_py():
        for char, escaped in _LINE_BREAKS.items():
            lines = pc.replace_substring(lines, char, escaped)
    return lines


def _list_member(key: str, col: pa.ListArray) -> pa.Array | None:
    """``,"key":[...]`` for a non-empty list, else ``""`` (None if no list has an item)."""
    present = pc.greater(pc.list_value_length(col), 0)
    return _member(key, lambda: _list_json(col), present)
