"""JSON Lines: the canonical file format, one event record (``Event.to_dict()``) per line.

A file is UTF-8 text with one JSON object per line, in the schema published as
``relations/io/event.schema.json`` (see :func:`relations.io.event_schema`). Blank lines are
ignored; every other line must be a record. Writing is :func:`relations.formats.jsonl.write_jsonl`
(re-exported here).

>>> import io
>>> tl = read_jsonl(io.StringIO('{"when": "2024", "kind": "trade", "actors": ["RUS"], "title": "ok"}'))
>>> len(tl), write_jsonl(tl, io.StringIO())
(1, 1)

Reading streams the file (one line in memory at a time) and follows the ``errors=`` policy of
:mod:`relations.io` (``"raise"``, ``"skip"`` or ``"collect"``); every error names the file,
the line and, where known, the field. Writing is atomic: the file is written beside the
target and renamed over it only when complete.
"""

from __future__ import annotations

import json
import json.scanner
import mmap
import os
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.json as pj

from relations._timeline import Timeline
from relations._timeline.columns import Columns, from_table
from relations.errors import ParseError, RelationsError, location_prefix
from relations.events import Event
from relations.formats.jsonl import write_jsonl
from relations.io._contract import finish as finish  # re-exported: readers' helpers
from relations.io._contract import paused_gc as paused_gc
from relations.io._contract import reader
from relations.io._lines import MAX_LINE_BYTES, PathOrFile, counted_lines, open_source
from relations.io._pool import system_pool
from relations.io._report import PROGRESS_EVERY, Tally
from relations.record import decode_event

__all__ = ["read_jsonl", "write_jsonl"]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_DECODE = _DECODER.decode
_SCAN = json.scanner.make_scanner(cast(Any, _DECODER))  # typeshed types its argument oddly
# Errors a malformed record can raise from deep inside plain-Python conversions; each is
# reported as InvalidEvent with the record's location instead of escaping as itself.
_FOREIGN = (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError)


def parse_line(text: str, name: str, n: int) -> Any:
    """Decode one JSON line; a ParseError names the file, line and column.

    >>> parse_line('{"a": 1}', "x.jsonl", 1)
    {'a': 1}
    >>> parse_line('{"a": NaN}', "x.jsonl", 2)
    Traceback (most recent call last):
    ...
    relations.errors.ParseError: x.jsonl:2: not valid JSON: NaN is not valid JSON
    """
    try:
        return _DECODE(text)
    except json.JSONDecodeError as e:
        raise ParseError(
            f"{location_prefix(file=name, line=n)}not valid JSON: {e.msg} (column {e.colno})"
        ) from None
    except (ValueError, RecursionError) as e:
        raise ParseError(f"{location_prefix(file=name, line=n)}not valid JSON: {e}") from None


#: ``Event.from_dict`` with the record's location; foreign exceptions become InvalidEvent.
record_to_event: Callable[[Any, str, int], Event] = decode_event


def iter_records(
    source: PathOrFile,
    tally: Tally,
    *,
    max_line_bytes: int = MAX_LINE_BYTES,
    convert: Callable[[Any, str, int], Event] = record_to_event,
) -> Iterator[tuple[int, Event]]:
    """Yield ``(line, convert(record))`` for each good line; bad lines go to ``tally.problem``."""
    name = tally.file
    scan = _SCAN
    with open_source(source) as f:
        for n, text in counted_lines(f, tally, max_line_bytes):
            try:
                # The C scanner directly: json.loads adds two regex passes per line.
                d, end = scan(text, 0)
                if end != len(text) and not text[end:].isspace():
                    raise ValueError("extra data")
            except (StopIteration, ValueError, RecursionError):
                try:
                    d = parse_line(text, name, n)  # leading blanks, or a located error
                except ParseError as e:
                    tally.problem(n, e)
                    continue
            try:
                yield n, convert(d, name, n)
            except RelationsError as e:
                tally.problem(n, e)


_TEXT, _TEXTS = pa.string(), pa.list_(pa.string())
# (a source's date "2024-06-19" would be inferred as a timestamp)
_SOURCES = pa.list_(
    pa.struct([(k, _TEXT) for k in ("publisher", "title", "url", "published", "quote")])
)
# Every field whose type is known, so that no text is read as a date (the others inferred).
_PARSE = pj.ParseOptions(
    explicit_schema=pa.schema(
        [
            ("schema", pa.int64()),
            ("id", _TEXT),
            ("when", _TEXT),
            ("kind", _TEXT),
            ("actors", _TEXTS),
            ("title", _TEXT),
            ("summary", _TEXT),
            ("status", _TEXT),
            ("claimed_by", _TEXTS),
            ("tags", _TEXTS),
            ("links", _TEXTS),
            ("directed", pa.bool_()),
            ("location", _TEXT),
            ("sources", _SOURCES),
        ]
    ),
    unexpected_field_behavior="infer",
)


def _line_ends(data: bytes | mmap.mmap) -> np.ndarray[Any, Any]:
    """The offset of every newline in ``data`` (one pass, in blocks: no file-sized temporary).

    >>> _line_ends(b"ab\\ncd\\n\\n").tolist()
    [2, 5, 6]
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 22
    parts = [np.flatnonzero(buf[s : s + step] == 10) + s for s in range(0, len(buf), step)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


class _RawRecords:
    """``raw(row)`` for :func:`~relations._timeline.columns.from_table`: file row ``row``'s
    record parsed from its own line of the mapped file ``view`` (``ends``: the newline
    offsets), for the rows Arrow's values cannot give exactly (a JSON ``3`` in a float field
    reads as ``3.0``); ``lines(rows)`` gives those rows' lines as text, to search many at
    once."""

    def __init__(self, view: mmap.mmap, name: str, ends: np.ndarray[Any, Any]) -> None:
        self._view, self._name, self._ends = view, name, ends

    def __call__(self, row: int) -> Any:
        m, ends = self._view, self._ends
        start = int(ends[row - 1]) + 1 if row else 0
        end = int(ends[row]) if row < len(ends) else len(m)
        return parse_line(m[start:end].decode("utf-8"), self._name, row + 1)

    def lines(self, rows: np.ndarray[Any, Any]) -> pa.Array:
        """The lines of file rows ``rows`` (each with its newline, if it has one), as text."""
        m, ends = self._view, self._ends
        tail = [len(m)] if not len(ends) or int(ends[-1]) + 1 < len(m) else []
        offsets = np.concatenate(([0], ends + 1, tail)).astype(np.int64)
        lines = pa.LargeStringArray.from_buffers(
            len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(m)
        )
        at = np.ascontiguousarray(rows, dtype=np.int64)
        return lines.take(pa.Array.from_buffers(pa.int64(), len(at), [None, pa.py_buffer(at)]))


def _mapped(source: str | os.PathLike[str]) -> mmap.mmap | None:
    """The file mapped read-only, or None (empty, not a regular file, not readable): its
    pages are the system's file cache, not a copy (reading 160 MB into a bytes object cost
    more CPU than every check below together)."""
    try:
        with open(source, "rb") as f:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None


def read_columns(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """A JSON Lines file read by Arrow's C++ reader straight into columns, or None.

    Only a path whose every line is a record (no blank lines, none longer than
    ``max_line_bytes``, no ``null``) is read this way; the records are then checked column
    by column (:func:`relations._timeline.columns.from_table`). None whenever anything needs
    the record-by-record reader, which then reads the file and reports each problem with
    its line, under the same ``errors=`` policy.
    """
    if not isinstance(source, str | os.PathLike):
        return None
    data = _mapped(source)
    if data is None:
        return None
    # (not closed here but unmapped with its last reference: a view Arrow still held, after
    # an interrupt say, would otherwise read unmapped memory)
    cols = _mapped_columns(data, os.fspath(source), max_line_bytes)
    del data
    if cols is None:
        return None
    n = len(cols)
    for k in range(PROGRESS_EVERY, n + 1, PROGRESS_EVERY):  # progress as the line reader says it
        tally.records = k - 1
        tally.record()
    tally.records = n
    return Timeline._from_columns(cols)


def _mapped_columns(data: mmap.mmap, name: str, max_line_bytes: int) -> Columns | None:
    """:func:`read_columns` of a mapped file (``name``: its path, for messages)."""
    ends = _line_ends(data)
    n_lines = _line_count(data, ends, max_line_bytes)
    if n_lines is None:
        return None
    with system_pool():  # (the pages the parser freed are given back: see io/_pool.py)
        try:
            table = pj.read_json(pa.BufferReader(data), parse_options=_PARSE)
        except (pa.ArrowException, ValueError):
            return None
        if hasattr(mmap, "MADV_DONTNEED"):  # the file's pages leave this process's memory
            data.madvise(mmap.MADV_DONTNEED)  # (a later read of a line maps it again)
        if table.num_rows != n_lines:
            return None
        cols = from_table(table, raw=_RawRecords(data, name, ends))
        del table  # the columns not kept are freed before the pool's trim (io/_pool.py)
    return cols


def _line_count(data: mmap.mmap, ends: np.ndarray[Any, Any], max_line_bytes: int) -> int | None:
    """The number of lines of ``data`` (newline offsets ``ends``) if every one can be a
    record the columnar path reads as the line reader would (none blank or longer than
    ``max_line_bytes``, no ``null``, UTF-8 throughout), else None."""
    if data.find(b"null") >= 0:
        return None
    tail = len(data) - (int(ends[-1]) + 1 if len(ends) else 0)  # an unterminated last line
    lengths = np.diff(ends)  # each line's bytes, newline included (the first: ends[0] + 1)
    if (len(ends) and (ends[0] == 0 or ends[0] >= max_line_bytes)) or tail > max_line_bytes:
        return None  # a blank first line, or one too long
    if len(lengths) and (lengths.min() == 1 or lengths.max() > max_line_bytes):
        return None  # a blank line, or one too long
    if int(np.frombuffer(data, dtype=np.uint8).max()) >= 0x80:
        try:  # Arrow keeps invalid UTF-8 as it is; the line reader reports it with its line
            str(memoryview(data), "utf-8")
        except UnicodeDecodeError:
            return None
    return len(ends) + (tail > 0)


@partial(reader, columnar=read_columns)
def read_jsonl(
    source: PathOrFile, tally: Tally, max_line_bytes: int
) -> Iterator[tuple[int, Event]]:
    """Read a JSON Lines file of event records into a Timeline.

    Args:
        source: a path, or an open file (binary or text).
        errors: ``"raise"`` (default) raises the first bad line's error; ``"skip"`` skips
            bad lines and counts them; ``"collect"`` skips them and keeps every problem.
        progress: called with the number of records read so far (every 10 000 and at the end).
        on_error: called with a :class:`ReadIssue` for each skipped line.
        max_line_bytes: longer lines are a ParseError (default 16 MiB).
        report: also return a :class:`ReadReport` (records, loaded, skipped, issues).

    Returns:
        The Timeline, or ``(Timeline, ReadReport)`` with ``report=True``.

    Raises:
        ParseError: not UTF-8, not JSON, a line too long (file:line in the message).
        InvalidEvent: a record with a bad field (file:line: field 'x': ...).
        InvalidDate: a bad date (its subclass of ValueError, also located).

    >>> import io
    >>> data = io.BytesIO(b'{"when": "2024", "kind": "trade", "actors": ["RUS"], "title": "ok"}\\n'
    ...                   b'{"when": "2024-02-30", "kind": "trade", "actors": ["RUS"], "title": "x"}\\n')
    >>> tl, rep = read_jsonl(data, errors="collect", report=True)
    >>> len(tl), rep.skipped, rep.issues[0].message
    (1, 1, "<stream>:2: ...invalid date '2024-02-30'...")
    """
    return iter_records(source, tally, max_line_bytes=max_line_bytes)
