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
from collections.abc import Callable, Iterator
from typing import Any, cast

from relations.errors import ParseError, RelationsError, location_prefix
from relations.events import Event
from relations.formats.jsonl import write_jsonl
from relations.io._contract import finish as finish  # re-exported: readers' helpers
from relations.io._contract import paused_gc as paused_gc
from relations.io._contract import reader
from relations.io._lines import MAX_LINE_BYTES, PathOrFile, numbered_lines, open_source
from relations.io._report import Tally
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
        for n, text in numbered_lines(f, name, max_line_bytes):
            if isinstance(text, ParseError):
                tally.record()
                tally.problem(n, text)
                continue
            if not text or text.isspace():
                continue
            tally.record()
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


@reader
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
