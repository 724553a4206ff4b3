"""JSON Lines: the canonical file format, one event record (``Event.to_dict()``) per line.

A file is UTF-8 text with one JSON object per line, in the schema published as
``relations/io/event.schema.json`` (see :func:`relations.io.event_schema`). Blank lines are
ignored; every other line must be a record.

>>> import tempfile, pathlib
>>> from relations import Event, timeline
>>> path = pathlib.Path(tempfile.mkdtemp()) / "events.jsonl"
>>> tl = timeline.of(Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"],
...                        "Treaty signed", id="treaty"))
>>> write_jsonl(tl, path)
1
>>> path.read_text(encoding="utf-8")
'{"schema":1,"id":"treaty","when":"2024-06-19","kind":"agreement.treaty.signed","actors":["RUS","PRK"],"title":"Treaty signed"}\\n'
>>> read_jsonl(path) == tl
True

Reading streams the file (one line in memory at a time) and follows the ``errors=`` policy of
:mod:`relations.io` (``"raise"``, ``"skip"`` or ``"collect"``); every error names the file,
the line and, where known, the field. Writing is atomic: the file is written beside the
target and renamed over it only when complete.
"""

from __future__ import annotations

import contextlib
import gc
import json
import json.scanner
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from relations.errors import (
    DuplicateEvent,
    InvalidEvent,
    ParseError,
    RelationsError,
    location_prefix,
)
from relations.events import Event, event_order
from relations.io._actors import ensure_registered
from relations.io._atomic import open_sink
from relations.io._lines import MAX_LINE_BYTES, PathOrFile, numbered_lines, open_source, source_name
from relations.io._report import ErrorPolicy, Progress, ReadIssue, ReadReport, Tally
from relations.record import decode_event

if TYPE_CHECKING:
    from relations.timeline import Timeline

__all__ = ["read_jsonl", "write_jsonl"]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_DECODE = _DECODER.decode
_SCAN = json.scanner.make_scanner(cast(Any, _DECODER))  # typeshed types its argument oddly
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
# Characters that some line splitters (str.splitlines, JavaScript) treat as line breaks;
# JSON allows them raw inside strings, so they are written escaped to keep one record a line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
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


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk load (restored afterwards).

    Loading creates millions of small objects and no reference cycles; with the collector
    running, its repeated full passes over the growing heap cost several times the parsing
    itself (measured: 5x for ``json.loads`` of 200 000 records).

    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def finish(
    items: Iterable[tuple[int, Event]], tally: Tally, *, report: bool
) -> Timeline | tuple[Timeline, ReadReport]:
    """Collect ``(line, event)`` pairs into a Timeline and the report (every reader uses it).

    An event repeated with the same id and content is kept once (counted in
    ``report.duplicates``); a different event reusing an id is a DuplicateEvent for its line,
    handled by the policy (the first one is kept).
    """
    from relations.timeline import Timeline

    by_id: dict[str, Event] = {}
    setdefault = by_id.setdefault
    with paused_gc():
        for n, e in items:
            old = setdefault(e.id, e)
            if old is not e:
                if old == e:
                    tally.duplicates += 1
                else:
                    tally.problem(
                        n,
                        DuplicateEvent(
                            f"{location_prefix(file=tally.file, line=n, field='id')}id "
                            f"{e.id!r} is already used by a different event earlier in the file"
                        ),
                    )
        events = sorted(by_id.values(), key=event_order)
        tl = Timeline._from_sorted(events)
    rep = tally.report(len(events), want_report=report)
    return (tl, rep) if report else tl


@overload
def read_jsonl(
    source: PathOrFile,
    *,
    errors: ErrorPolicy = ...,
    progress: Progress | None = ...,
    on_error: Callable[[ReadIssue], object] | None = ...,
    max_line_bytes: int = ...,
    report: Literal[False] = ...,
) -> Timeline: ...
@overload
def read_jsonl(
    source: PathOrFile,
    *,
    errors: ErrorPolicy = ...,
    progress: Progress | None = ...,
    on_error: Callable[[ReadIssue], object] | None = ...,
    max_line_bytes: int = ...,
    report: Literal[True],
) -> tuple[Timeline, ReadReport]: ...
def read_jsonl(
    source: PathOrFile,
    *,
    errors: ErrorPolicy = "raise",
    progress: Progress | None = None,
    on_error: Callable[[ReadIssue], object] | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
    report: bool = False,
) -> Timeline | tuple[Timeline, ReadReport]:
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
    ensure_registered()  # files written from imported data name CAMEO regions
    tally = Tally(source_name(source), errors, progress, on_error)
    return finish(iter_records(source, tally, max_line_bytes=max_line_bytes), tally, report=report)


def write_jsonl(
    events: Iterable[Event],
    target: PathOrFile,
    *,
    progress: Progress | None = None,
) -> int:
    """Write events as JSON Lines (compact, UTF-8, keys in schema order); return the count.

    Text is written as UTF-8, except U+0085, U+2028 and U+2029, which are escaped
    (``\\u2028``) so that no tool splitting lines on them breaks a record.

    ``events`` is a Timeline or any iterable of Events. A path is written atomically: a
    temporary file beside it is written, fsync'ed and renamed over the target, so an error
    part way leaves the old file untouched. An open file is written as it is.

    >>> import io
    >>> from relations import Event
    >>> buf = io.StringIO()
    >>> write_jsonl([Event("2024", "trade", ["RUS"], "Trade", id="t")], buf)
    1
    >>> buf.getvalue()
    '{"schema":1,"id":"t","when":"2024","kind":"trade","actors":["RUS"],"title":"Trade"}\\n'
    """
    encode = _ENCODE
    count = 0
    with open_sink(target) as f:
        write = f.write
        for e in events:
            if not isinstance(e, Event):
                raise InvalidEvent(f"item {count} to write is not an Event: {e!r}")
            line = encode(e.to_dict())
            if not line.isascii():
                line = line.translate(_LINE_BREAKS)
            write(line)
            write("\n")
            count += 1
            if progress is not None and count % 10_000 == 0:
                progress(count)
    if progress is not None:
        progress(count)
    return count
