"""PLOVER JSON Lines read by Arrow's JSON reader and mapped column-wise (``import_plover``'s
fast path).

:func:`read_columns` reads the whole file with :func:`pyarrow.json.read_json` (the date-like
fields with an explicit text type: Arrow would read ``"2024-06-19"`` as a timestamp), maps
each PLOVER field to the canonical record's column as the row reader
(:mod:`relations.io.plover`) maps it, and hands the table to
:func:`relations._timeline.columns.from_table`. Whatever depends on a record's text is worked
out once per distinct value, in Python, with the row reader's own functions (dates, event
categories, entities, contexts, locations); long texts are stripped by Arrow where Arrow and
Python agree (no white space or non-ASCII character at either end) and by Python otherwise.

It gives None (the row reader then reads the file, so every error, line number and report is
that reader's) for anything it cannot vouch for: a stream that cannot be rewound, a JSON
array, a blank or over-long line, a record over several lines, text that is not UTF-8, a
value of a type the row reader would turn into text in its own way, a record that is an
error (unknown category or actor, missing field, bad date, negative count, repeated id), or
both spellings of one field (``actor``/``source``) in one file.

>>> import io
>>> rec = (b'{"id": "r1", "date": "2024-06-19", "actor": [{"code": "RUS"}], '
...        b'"recipient": [{"code": "PRK"}], "event": "AGREE", "size": {"dead": 2}}\\n')
>>> from relations.io._report import Tally
>>> tl = read_columns(io.BytesIO(rec), Tally("<stream>", "raise", None, None), 1 << 20)
>>> e = tl[0]
>>> e.id, e.actors, e.directed, e.title, e.quantities["dead"].value
('plover-r1', ('RUS', 'PRK'), True, 'AGREE', 2)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from relations._arrow import ints, numpy_of, scalar, texts
from relations._timeline.columns import from_table
from relations.errors import RelationsError
from relations.events import SCHEMA_VERSION, Event
from relations.io._actors import NameIndex
from relations.io._coded_timeline import ImportedColumns, binary_source
from relations.io._importing import day_from_digits
from relations.io._lines import PathOrFile
from relations.io._plover_fields import ENTITY_TEXTS, KINDS, entity_code, plover_texts
from relations.io._pool import system_pool
from relations.io._report import Tally
from relations.record import decode_event, trusted_event
from relations.when import When

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["PloverColumns", "read_columns"]

_TEXT = pa.string()
# The fields that hold dates or times as text (the others inferred: numbers stay numbers).
_PARSE = pj.ParseOptions(
    explicit_schema=pa.schema(
        [(k, _TEXT) for k in ("date", "enddate", "text", "time", "endtime", "coded_date")]
        + [("dateCoded", _TEXT)]
    ),
    unexpected_field_behavior="infer",
)
_SEP, _SEP2 = "\x1f", "\x1e"  # joins texts for one lookup per distinct value; checked absent
_S_SEP, _S_EMPTY, _S_FALSE = scalar(_SEP), scalar(""), scalar(False)
# The bytes that may start or end white space Python's str.strip() removes (ASCII white space,
# the separators 0x1c-0x1f, and any byte of a non-ASCII character).
_EDGE_BYTE = np.zeros(256, dtype=bool)
_EDGE_BYTE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True  # (spaces: see _strip)
_EDGE_BYTE[128:] = True
# The extra fields taken as they are (text, or a number or boolean as Python writes it).
_SIMPLE = ("quad_code", "event_scale", "time", "endtime", "link", "coder", "language")
_SIMPLE_MORE = ("version", "comment")


_CONSTANT = re.compile(rb"[:,\[]\s*-?(?:NaN|Inf)")  # (Arrow also reads Inf)


class _Rows(Exception):
    """A record the columns cannot vouch for: the row reader reads the file."""


def read_columns(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """The PLOVER JSON Lines ``source`` as a column-backed Timeline, or None (see the module
    documentation)."""
    from relations._timeline import Timeline

    data = _contents(source)
    if data is None:
        return None
    try:
        cols = _columns(data, max_line_bytes)
    except (_Rows, RelationsError, pa.ArrowException, ValueError, TypeError):
        cols = None
    if cols is None:
        return None
    if tally.progress is None:
        tally.records += len(cols)
    else:
        for _ in range(len(cols)):  # counted as the row reader counts, progress included
            tally.record()
    return Timeline._from_columns(cols)


def _contents(source: PathOrFile) -> bytes | None:
    """The bytes of ``source`` (a file is left where it was, for the row reader), or None
    for a source that cannot be rewound."""
    opened = binary_source(source)
    if opened is None:
        return None
    f, close = opened
    try:
        at = f.tell()
        data = f.read()
        f.seek(at)
        return data
    finally:
        if close:
            f.close()


def _record_lines(data: bytes, max_line_bytes: int) -> np.ndarray[Any, Any] | None:
    """The start of each record line (a line that is not empty), or None if a line is too
    long or does not start with ``{`` (a blank line of spaces, a record over several lines,
    a byte-order mark, a JSON array)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(buf)]))
    if starts[-1] == len(buf):
        starts, stops = starts[:-1], stops[:-1]
    lengths = stops - starts
    cr = (lengths > 0) & (buf[np.maximum(stops - 1, 0)] == 13)
    content = lengths - cr
    if not len(content) or int(content.max()) > max_line_bytes:
        return None
    records: np.ndarray[Any, Any] = starts[content > 0]
    if not len(records) or not bool((buf[records] == ord("{")).all()):
        return None
    return records


def _columns(data: bytes, max_line_bytes: int) -> PloverColumns | None:
    if not data:
        return None
    starts = _record_lines(data, max_line_bytes)
    if starts is None:
        return None
    if (b"NaN" in data or b"Inf" in data) and _CONSTANT.search(data):
        return None  # Arrow reads NaN and Infinity, which are not JSON (the row reader says so)
    if not data.isascii():
        try:  # Arrow keeps invalid UTF-8 as it is; the row reader reports it with its line
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    with system_pool():
        try:
            table = pj.read_json(pa.BufferReader(data), parse_options=_PARSE)
        except (pa.ArrowException, ValueError):
            return None
        if table.num_rows != len(starts):
            return None
        full = _Mapping(table, data, starts, b"null" in data).records()
        checked = [c for c in ("directed", "tags", "quantities") if c in full.column_names]
        base = from_table(full.select(["id", "when", "kind", "actors", "title", *checked]))
    if base is None:
        return None
    cols = PloverColumns.extend(base, full, base.row_order())
    cols._built[:] = [None] * len(cols)  # (built from the checked columns only: rebuilt whole)
    return cast(PloverColumns, cols)


# ---- reading columns ---------------------------------------------------------------------------


def _column(parent: pa.Table | pa.Array | None, name: str) -> pa.Array | None:
    """Field ``name`` of a table or struct array; None if absent or null everywhere."""
    if parent is None:
        return None
    if isinstance(parent, pa.Table):
        if name not in parent.column_names:
            return None
        col = parent.column(name).combine_chunks()
    else:
        i = parent.type.get_field_index(name)
        if i < 0:
            return None
        col = pc.struct_field(parent, [i])
    if pa.types.is_temporal(col.type):
        raise _Rows(name)  # text Arrow read as a date: its own text is lost
    if pa.types.is_null(col.type) or col.null_count == len(col):
        return None
    return col


def _struct(parent: pa.Table | pa.Array | None, name: str) -> pa.Array | None:
    """A field that the row reader reads only when it is an object."""
    col = _column(parent, name)
    return col if col is not None and pa.types.is_struct(col.type) else None


def _text(parent: pa.Table | pa.Array | None, name: str) -> pa.Array | None:
    """A text field (None if absent or null everywhere; a value of another type: rows)."""
    col = _column(parent, name)
    if col is not None and not pa.types.is_string(col.type):
        raise _Rows(name)
    return col


def _truthy(col: pa.Array | None) -> pa.Array | None:
    """A text column with ``""`` as null (``value or ...`` in the row reader)."""
    if col is None:
        return None
    return pc.if_else(pc.equal(col, _S_EMPTY), pa.scalar(None, _TEXT), col)


def _no_sep(*cols: pa.Array | None) -> None:
    for col in cols:
        if col is not None and pc.any(pc.match_substring(col, _SEP)).as_py():
            raise _Rows("separator")


def _strip(col: pa.Array) -> pa.Array:
    """Python's ``str.strip()`` of each text: the texts with white space or a non-ASCII byte
    at either end (where Arrow's idea of white space may differ) by Python, the rest as is."""
    for trimmed in (False, True):
        _, offsets, data = col.buffers()
        if data is None or not len(data) or not len(col):
            return col
        off = np.frombuffer(offsets, np.int32, len(col) + 1, col.offset * 4)
        buf = np.frombuffer(data, np.uint8)
        starts, ends = off[:-1], off[1:]
        full = ends > starts
        first = buf[np.where(full, starts, 0)]
        last = buf[np.where(full, ends - 1, 0)]
        if trimmed or not (full & ((first == 32) | (last == 32))).any():
            break
        col = pc.utf8_trim(col, " ")  # plain spaces by Arrow: both agree on them
    edge = full & (_EDGE_BYTE[first] | _EDGE_BYTE[last])
    if not edge.any():
        return col
    mask = pa.Array.from_buffers(
        pa.bool_(), len(col), [None, pa.py_buffer(np.packbits(edge, bitorder="little"))]
    )
    fixed = [v.strip() for v in pc.filter(col, mask).to_pylist()]
    return pc.replace_with_mask(col, mask, texts(fixed))


def _combos(parts: Sequence[pa.Array | None], n: int) -> tuple[list[tuple[Any, ...]], Any]:
    """The distinct combinations of the parts' values (None for a null, or a part that is
    None) and each row's combination (``int64`` codes)."""
    combos: list[tuple[Any, ...]] = [()]
    codes = np.zeros(n, dtype=np.int64)
    for part in parts:
        if part is None:
            combos = [(*c, None) for c in combos]
            continue
        enc = pc.dictionary_encode(part, null_encoding="encode")
        values = enc.dictionary.to_pylist()
        joint = codes * len(values) + numpy_of(enc.indices).astype(np.int64)
        uniq, codes = np.unique(joint, return_inverse=True)
        codes = codes.astype(np.int64, copy=False).reshape(-1)
        k = len(values)
        combos = [(*combos[u // k], values[u % k]) for u in uniq.tolist()]
    return combos, codes


def _combined(
    parts: Sequence[pa.Array | None], fn: Callable[..., Sequence[str]], n: int, rows: int
) -> list[pa.Array]:
    """The ``n`` texts ``fn`` gives for each row's values of ``parts`` (one call per
    distinct combination)."""
    combos, codes = _combos(parts, rows)
    results = [fn(*c) for c in combos]
    take = ints(codes)
    return [texts([r[i] for r in results]).take(take) for i in range(n)]


def _mapped(col: pa.Array, fn: Callable[[str], Sequence[str]], n: int) -> list[pa.Array]:
    """The ``n`` texts ``fn`` gives for each row's value, worked out once per distinct value
    (a null row stays null)."""
    enc = pc.dictionary_encode(col)
    results = [fn(v) for v in enc.dictionary.to_pylist()]
    return [texts([r[i] for r in results]).take(enc.indices) for i in range(n)]


def _joined(col: pa.Array) -> pa.Array:
    """A text or list-of-text column as text (lists joined by the separator), or rows."""
    if pa.types.is_string(col.type):
        return col
    if pa.types.is_list(col.type) and pa.types.is_string(col.type.value_type):
        items = pc.list_flatten(col)
        if items.null_count:
            raise _Rows("null in a list")
        _no_sep(items)
        return pc.binary_join(col, _S_SEP)
    raise _Rows(str(col.type))


def _values(v: str, is_list: bool) -> Any:
    """A value of :func:`_joined` back as the row reader's value (a list, or text)."""
    if not is_list:
        return v
    return v.split(_SEP) if v else []


def _list_of(offsets: np.ndarray[Any, Any], values: pa.Array) -> pa.Array:
    off = np.ascontiguousarray(offsets, dtype=np.int32)
    return pa.ListArray.from_arrays(
        pa.Array.from_buffers(pa.int32(), len(off), [None, pa.py_buffer(off)]), values
    )


class _Raw:
    """The record lines as text, for the numbers Arrow reads as floats (``8`` and ``8.0``
    both become 8.0; the row reader writes ``"8"`` and ``"8.0"``)."""

    def __init__(self, data: bytes, starts: np.ndarray[Any, Any]) -> None:
        offsets = np.append(starts, len(data)).astype(np.int64)
        self.lines = pa.Array.from_buffers(
            pa.large_string(), len(starts), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        )

    def number_texts(self, key: str, col: pa.Array) -> pa.Array:
        """Top-level field ``key`` (a float column) as Python writes each number: a number
        with a fraction as ``repr`` writes the float (Arrow reads JSON numbers exactly, as
        Python does); a whole one from its text (``8`` is an int, ``8.0`` a float)."""
        if not pc.all(pc.is_finite(pc.drop_null(col))).as_py():
            raise _Rows(key)  # NaN or Infinity: not JSON (the row reader reports it)
        valid = pc.fill_null(pc.equal(pc.floor(col), col), _S_FALSE)
        (out,) = _mapped(col, lambda x: (repr(x),), 1)
        if not pc.any(valid).as_py():
            return out
        lines = pc.filter(self.lines, valid)
        name = re.escape(json.dumps(key))
        if not pc.all(pc.equal(pc.count_substring_regex(lines, name + r"\s*:"), 1)).as_py():
            raise _Rows(key)  # the name also inside an object: not worth telling apart
        found = pc.struct_field(
            pc.extract_regex(lines, name + r"\s*:\s*(?P<v>-?[0-9][-+.0-9eE]*)"), "v"
        )
        if found.null_count:
            raise _Rows(key)
        (words,) = _mapped(found.cast(_TEXT), lambda t: (str(json.loads(t)),), 1)
        return pc.replace_with_mask(out, valid, words)


# ---- the PLOVER mapping ------------------------------------------------------------------------


class _Mapping:
    """The canonical record columns of a table of PLOVER records (see the module docs of
    :mod:`relations.io.plover` for what each comes from)."""

    def __init__(self, table: pa.Table, data: bytes, starts: Any, has_null: bool) -> None:
        self.t = table
        self.n = table.num_rows
        self.raw = _Raw(data, starts)
        self.has_null = has_null  # (absent and null differ for the fields spelled two ways)
        self.index = NameIndex()

    def either(self, name: str, old: str) -> pa.Array | None:
        """``d.get(name, d.get(old))``: where ``name`` is null, ``old`` (if no record may
        have written ``"name": null``)."""
        a, b = _column(self.t, name), _column(self.t, old)
        if a is None or b is None:
            return a if b is None else b
        if self.has_null or a.type != b.type:
            raise _Rows(name)
        return pc.coalesce(a, b)

    def records(self) -> pa.Table:
        t, n = self.t, self.n
        rid = _column(t, "id")
        if rid is None or rid.null_count:
            raise _Rows("id")
        if pa.types.is_int64(rid.type):
            rid = rid.cast(_TEXT)
        elif pa.types.is_string(rid.type):
            if pc.any(pc.equal(rid, _S_EMPTY)).as_py():
                raise _Rows("id")
            rid = _strip(rid)
        else:
            raise _Rows("id")
        out: dict[str, pa.Array | None] = {
            "id": pc.binary_join_element_wise(scalar("plover-"), rid, _S_EMPTY),
            "when": self.when(),
        }
        kind, category, plover_event = self.kinds()
        out["kind"] = kind
        actors, directed, actor_text, recipient_text = self.actors()
        out["actors"] = actors
        text = _truthy(self.event_text())
        out["title"] = (
            category
            if text is None
            else pc.binary_join_element_wise(category, text, scalar(": "), null_handling="skip")
        )
        out["directed"] = pc.if_else(directed, scalar(True), pa.scalar(None, pa.bool_()))
        summary = _text(t, "text")
        out["summary"] = None if summary is None else _truthy(_strip(summary))
        out["location"] = self.location()
        out["quantities"] = self.quantities()
        cite = _struct(t, "cite_info")
        out["sources"] = self.sources(cite)
        contexts, tags = self.multi("context", tags=True)
        out["tags"] = tags
        extra: dict[str, pa.Array | None] = {
            "source_dataset": pa.repeat(scalar("plover"), n),
            "source_event_id": rid,
            "plover_event": plover_event,
            "mode": self.multi("mode")[0],
            "context": contexts,
            "actor_text": actor_text,
            "recipient_text": recipient_text,
            "coded_date": self.simple(self.either("coded_date", "dateCoded"), "coded_date"),
            "codebook": self.simple(_column(cite, "codebook"), "codebook", top=False),
        }
        for key in (*_SIMPLE, *_SIMPLE_MORE):
            extra[key] = self.simple(_column(t, key), key)
        names = sorted(k for k, v in extra.items() if v is not None)
        out["extra"] = pa.StructArray.from_arrays([extra[k] for k in names], names=names)
        keep = [k for k, v in out.items() if v is not None and (v.null_count < n or k == "id")]
        return pa.table([out[k] for k in keep], names=keep)

    def when(self) -> pa.Array:
        date = _text(self.t, "date")
        if date is None or date.null_count or pc.any(pc.equal(date, _S_EMPTY)).as_py():
            raise _Rows("date")
        end = _text(self.t, "enddate")

        def when(d: str, e: str | None) -> tuple[str]:
            start = day_from_digits(d, file="", line=0, field="date")
            w = start
            if e:
                stop = day_from_digits(e, file="", line=0, field="enddate")
                if stop != start:
                    w = When.between(start, stop)
            return (str(w),)

        return _combined([date, end], when, 1, self.n)[0]

    def kinds(self) -> list[pa.Array]:
        ev = _column(self.t, "event")
        if ev is None or ev.null_count:
            raise _Rows("event")
        is_list = not pa.types.is_string(ev.type)
        key = _joined(ev)

        def kind(v: str) -> tuple[str, str, str]:
            value = _values(v, is_list)
            if value in ("", []):
                raise _Rows("event")  # missing
            categories = plover_texts(value)
            category = categories[0].upper() if categories else ""
            k = KINDS.get(category)
            if k is None:
                raise _Rows("event")
            return k, category, ",".join(categories)

        return _mapped(key, kind, 3)

    def event_text(self) -> pa.Array | None:
        raw = self.either("event_text", "eventText")
        if raw is None:
            return None
        if pa.types.is_string(raw.type):
            return _strip(raw)
        if pa.types.is_list(raw.type) and pa.types.is_null(raw.type.value_type):
            if len(pc.list_flatten(raw)):
                raise _Rows("event_text")
            return None
        key = _joined(raw)

        def text(v: str) -> tuple[str]:
            return ("; ".join(s.strip() for s in _values(v, True) if s.strip()),)

        return _mapped(key, text, 1)[0]

    def entities(self, name: str, old: str) -> tuple[np.ndarray[Any, Any], pa.Array, pa.Array]:
        """Each row's entity offsets, and each entity's actor code and text."""
        t, n = self.t, self.n
        if name in t.column_names and old in t.column_names:
            raise _Rows(name)  # ("name" in d) per record: not told apart by the columns
        empty = np.zeros(n + 1, dtype=np.int64), texts([]), texts([])
        if name not in t.column_names and old not in t.column_names:
            return empty
        col = t.column(name if name in t.column_names else old).combine_chunks()
        typ = col.type
        if pa.types.is_null(typ) or col.null_count == n:
            return empty
        if pa.types.is_string(typ):  # "" is no entity; other text is an error
            if pc.any(pc.not_equal(col, _S_EMPTY)).as_py():
                raise _Rows(name)
            return empty
        if pa.types.is_list(typ):
            lengths = numpy_of(pc.fill_null(pc.list_value_length(col), 0))
            values = pc.list_flatten(col)
            if pa.types.is_null(values.type):
                if len(values):
                    raise _Rows(name)
                return empty
        elif pa.types.is_struct(typ):
            lengths = numpy_of(pc.is_valid(col)).astype(np.int64)
            values = pc.drop_null(col)
        else:
            raise _Rows(name)
        if not pa.types.is_struct(values.type) or values.null_count:
            raise _Rows(name)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        parts = []
        for field in ("code", *ENTITY_TEXTS):
            part = _column(values, field)
            text = part is not None and pa.types.is_string(part.type)
            parts.append(part if text else None)  # (not text: the row reader ignores it)
        index = self.index

        def actor(code: str | None, *words: str | None) -> tuple[str, str]:
            text = next((w.strip() for w in words if w and w.strip()), "")
            found = entity_code(index, code, text)
            if found is None:
                raise _Rows("unknown actor")
            return found, text

        codes, words = _combined(parts, actor, 2, len(values))
        return offsets, codes, words

    def actors(self) -> tuple[pa.Array, pa.Array, pa.Array | None, pa.Array | None]:
        a_off, a_codes, a_texts = self.entities("actor", "source")
        r_off, r_codes, r_texts = self.entities("recipient", "target")
        if (np.diff(a_off) == 0).any():
            raise _Rows("actor")  # missing
        sides = pc.binary_join_element_wise(
            pc.binary_join(_list_of(a_off, a_codes), _S_SEP),
            pc.binary_join(_list_of(r_off, r_codes), _S_SEP),
            scalar(_SEP2),
        )

        def combine(v: str) -> tuple[str, str]:
            doers, _, done_to = v.partition(_SEP2)
            a = doers.split(_SEP)
            r = done_to.split(_SEP) if done_to else []
            actors = list(dict.fromkeys(a + r))
            directed = len(a) == 1 and bool(r) and len(actors) >= 2
            return _SEP.join(actors), "1" if directed else ""

        joined, directed = _mapped(sides, combine, 2)
        return (
            pc.split_pattern(joined, _SEP),
            pc.equal(directed, scalar("1")),
            self.entity_texts(a_off, a_texts),
            self.entity_texts(r_off, r_texts),
        )

    def entity_texts(self, offsets: np.ndarray[Any, Any], words: pa.Array) -> pa.Array | None:
        """Each row's non-empty entity texts joined by ``"; "`` (null where none)."""
        keep = numpy_of(pc.not_equal(words, _S_EMPTY)) if len(words) else np.zeros(0, bool)
        if not keep.any():
            return None
        counts = np.concatenate(([0], np.cumsum(keep)))[offsets]
        joined = pc.binary_join(_list_of(counts, pc.filter(words, keep)), scalar("; "))
        return _truthy(joined)

    def multi(self, name: str, *, tags: bool = False) -> tuple[pa.Array | None, pa.Array | None]:
        """A multi-value field (``context``, ``mode``) as its comma-joined extra text, and
        (``tags``) as a list."""
        col = _column(self.t, name)
        if col is None:
            return None, None
        if pa.types.is_list(col.type) and pa.types.is_null(col.type.value_type):
            if len(pc.list_flatten(col)):
                raise _Rows(name)
            return None, None
        is_list = not pa.types.is_string(col.type)
        key = _joined(col)

        def values(v: str) -> tuple[str, str]:
            items = plover_texts(_values(v, is_list))
            if any(_SEP in i for i in items):
                raise _Rows(name)
            return ",".join(items), _SEP.join(sorted(set(items)))  # (tags: as Event keeps them)

        text, items = _mapped(key, values, 2)
        text = _truthy(text)
        if not tags:
            return text, None
        return text, pc.split_pattern(_truthy(items), _SEP)

    def simple(self, col: pa.Array | None, key: str, *, top: bool = True) -> pa.Array | None:
        """A value kept in ``extra`` as ``str(value)`` (objects, lists and ``""`` left out)."""
        if col is None:
            return None
        typ = col.type
        if pa.types.is_string(typ):
            return _truthy(col)
        if pa.types.is_int64(typ):
            return col.cast(_TEXT)
        if pa.types.is_boolean(typ):
            return pc.if_else(col, scalar("True"), scalar("False"))
        if pa.types.is_float64(typ) and top:
            return self.raw.number_texts(key, col)
        if pa.types.is_struct(typ) or pa.types.is_list(typ):
            return None
        raise _Rows(key)

    def location(self) -> pa.Array | None:
        loc = _struct(self.t, "event_loc")
        if loc is None:
            return None
        fields = ("resolved_place", "extracted_place", "city", "district", "province", "country")
        parts = [_text(loc, f) for f in fields]
        if all(p is None for p in parts):
            return None

        def place(resolved: str | None, extracted: str | None, *rest: str | None) -> tuple[str]:
            return (resolved or extracted or ", ".join(p for p in rest if p),)

        return _truthy(_combined(parts, place, 1, self.n)[0])

    def quantities(self) -> pa.Array | None:
        size = _struct(self.t, "size")
        if size is None:
            return None
        names, arrays = [], []
        for i in range(size.type.num_fields):
            f = size.type.field(i)
            col = pc.struct_field(size, [i])
            if pa.types.is_null(f.type) or col.null_count == len(col):
                continue
            if pa.types.is_string(f.type) and not pc.any(pc.not_equal(col, _S_EMPTY)).as_py():
                continue  # "" is no value
            if not pa.types.is_int64(f.type) or not f.name:
                raise _Rows("size")
            if pc.any(pc.less(col, scalar(0))).as_py():
                raise _Rows("size")  # a negative count: an error
            unit = pc.if_else(pc.is_valid(col), scalar("people"), pa.scalar(None, _TEXT))
            q = pa.StructArray.from_arrays(
                [unit, col], names=["unit", "value"], mask=pc.is_null(col)
            )
            names.append(f.name)
            arrays.append(q)
        if not names:
            return None
        order = sorted(range(len(names)), key=names.__getitem__)
        any_q = pc.is_valid(arrays[0])
        for a in arrays[1:]:
            any_q = pc.or_(any_q, pc.is_valid(a))
        return pa.StructArray.from_arrays(
            [arrays[i] for i in order], names=[names[i] for i in order], mask=pc.invert(any_q)
        )

    def sources(self, cite: pa.Array | None) -> pa.Array | None:
        t, n = self.t, self.n
        publisher = pc.coalesce(
            *(
                _truthy(_text(p, k)) if _text(p, k) is not None else pa.nulls(n, _TEXT)
                for p, k in ((cite, "publication"), (t, "publication"), (cite, "corpus"))
            )
        )
        if publisher.null_count == n:
            return None
        publisher = _truthy(_strip(publisher))
        valid = pc.is_valid(publisher)
        urls = [_truthy(_text(p, "url")) for p in (cite, t)]
        url = pc.coalesce(*(u if u is not None else pa.nulls(n, _TEXT) for u in urls))
        web = pc.or_(pc.starts_with(url, "http://"), pc.starts_with(url, "https://"))
        url = pc.if_else(pc.fill_null(web, _S_FALSE), url, pa.scalar(None, _TEXT))
        title = _truthy(_text(cite, "title"))
        if title is None:
            title = pa.nulls(n, _TEXT)
        one = pa.StructArray.from_arrays(
            [publisher, title, url], names=["publisher", "title", "url"]
        )
        return pa.ListArray.from_arrays(
            ints(np.arange(n + 1)).cast(pa.int32()), one, mask=pc.invert(valid)
        )


# ---- events on demand --------------------------------------------------------------------------


class PloverColumns(ImportedColumns):
    """Imported PLOVER columns: an event is decoded from its canonical record (the whole
    table ``full``) the first time it is touched."""

    __slots__ = ()

    def event(self, pos: int) -> Event:
        """The event at ``pos``, built from its row the first time it is asked for."""
        return self._build([pos])[0]

    def events(self) -> tuple[Event, ...]:
        """Every event, in order (the ones not built yet are built in bulk, and kept)."""
        return tuple(self._build(range(len(self))))

    def _build(self, positions: Sequence[int]) -> list[Event]:
        built = self._built
        todo = [p for p in positions if built[p] is None]
        if todo:
            rows = self.full.take(ints(self.perm[np.asarray(todo, dtype=np.int64)]))
            for p, row in zip(todo, rows.to_pylist(), strict=True):
                built[p] = _event(row)
        return [cast(Event, built[p]) for p in positions]


def _event(row: dict[str, Any]) -> Event:
    """The event of a row of the record table (every value checked when imported); the
    nulls Arrow gives absent fields are left out."""
    d: dict[str, Any] = {"schema": SCHEMA_VERSION}
    for k, v in row.items():
        if v is None:
            continue
        if k in ("extra", "quantities"):  # (a quantity's own unit and value are both set)
            v = {name: x for name, x in v.items() if x is not None}
        elif k == "sources":
            v = [{name: x for name, x in s.items() if x is not None} for s in v]
        d[k] = v
    return trusted_event(d) or decode_event(d)
