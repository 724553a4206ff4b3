"""The reader contract: the one signature, and the one ending, of every reader and importer.

:func:`read_jsonl`, :func:`read_csv` and the importers (``import_gdelt``, ``import_icews``,
``import_acled``, ``import_plover``) all take a source and the same keyword arguments, and
return a Timeline, or ``(Timeline, ReadReport)`` with ``report=True``: that is
:class:`Reader`, stated once here, with the shared keywords in :class:`ReadOptions` (a reader
with keywords of its own, such as ``read_csv(columns=)``, states its two overloads with
``**options: Unpack[ReadOptions]``). Each is made by :func:`reader` from the one thing that
differs between them: a function that yields ``(line, event)`` pairs from a source, handing
bad records to the :class:`~relations.io._report.Tally`. :func:`finish` turns those pairs
into the Timeline and the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal, Protocol, TypedDict, cast, overload

from relations._gc import paused
from relations.errors import DuplicateEvent, location_prefix
from relations.events import Event, event_order
from relations.formats.atomic import PathOrFile, Progress
from relations.io._actors import ensure_registered
from relations.io._lines import MAX_LINE_BYTES, source_name
from relations.io._report import ErrorPolicy, ReadIssue, ReadReport, Tally

if TYPE_CHECKING:
    from typing import Unpack

    from relations._timeline import Timeline

__all__ = [
    "Columnar",
    "EventSource",
    "ReadOptions",
    "Reader",
    "finish",
    "paused_gc",
    "reader",
    "unique",
]

paused_gc = paused
"""The former name of ``relations._gc.paused``, the one garbage-collector pause."""

EventSource = Callable[[PathOrFile, Tally, int], Iterable[tuple[int, Event]]]
"""What a reader does that others do not: ``(source, tally, max_line_bytes)`` to
``(line, event)`` pairs, with bad records handed to ``tally.problem``."""


class ReadOptions(TypedDict, total=False):
    """The keyword arguments every reader takes besides ``report``, documented once at
    :func:`relations.io.read_jsonl`: ``errors``, ``progress``, ``on_error``, ``max_line_bytes``."""

    errors: ErrorPolicy
    progress: Progress | None
    on_error: Callable[[ReadIssue], object] | None
    max_line_bytes: int


class Reader(Protocol):
    """A reader or importer: ``source`` (a path, or an open file) to a Timeline.

    The keyword arguments (:class:`ReadOptions`) are documented once, at
    :func:`relations.io.read_jsonl`. ``reader(source)`` is a ``Timeline``;
    ``reader(source, report=True)`` is ``tuple[Timeline, ReadReport]``.
    """

    @overload
    def __call__(
        self, source: PathOrFile, *, report: Literal[False] = ..., **options: Unpack[ReadOptions]
    ) -> Timeline: ...
    @overload
    def __call__(
        self, source: PathOrFile, *, report: Literal[True], **options: Unpack[ReadOptions]
    ) -> tuple[Timeline, ReadReport]: ...


Columnar = Callable[[PathOrFile, Tally, int], "Timeline | None"]
"""A reader's fast path: the whole source read into columns, or None (then ``events`` runs)."""


def reader(events: EventSource, columnar: Columnar | None = None) -> Reader:
    """The public reader made from ``events``, taking its name, module and docstring.

    The reader registers the importers' built-in actors (CAMEO regions, ``UNSPECIFIED``:
    files written from imported data name them), counts records and applies the error policy
    through a :class:`~relations.io._report.Tally`, and ends with :func:`finish`.

    >>> from relations import Event
    >>> @reader
    ... def read_one(source, tally, max_line_bytes):
    ...     '''One event, whatever the source.'''
    ...     tally.record()
    ...     yield 1, Event("2024", "trade", ["RUS"], "Trade", id="t")
    >>> read_one.__name__, read_one.__doc__, len(read_one("x"))
    ('read_one', 'One event, whatever the source.', 1)
    >>> read_one("x", report=True)[1]
    ReadReport(file='x', records=1, loaded=1, skipped=0, issues=(), duplicates=0)
    """

    def read(
        source: PathOrFile,
        *,
        errors: ErrorPolicy = "raise",
        progress: Progress | None = None,
        on_error: Callable[[ReadIssue], object] | None = None,
        max_line_bytes: int = MAX_LINE_BYTES,
        report: bool = False,
    ) -> Timeline | tuple[Timeline, ReadReport]:
        ensure_registered()
        tally = Tally(source_name(source), errors, progress, on_error)
        if columnar is not None:
            tl = columnar(source, tally, max_line_bytes)
            if tl is not None:
                rep = tally.report(len(tl), want_report=report)
                return (tl, rep) if report else tl
            tally = Tally(source_name(source), errors, progress, on_error)
        return finish(events(source, tally, max_line_bytes), tally, report=report)

    # Not functools.wraps: the signature users see is the reader's, not that of ``events``.
    read.__name__ = events.__name__
    read.__qualname__ = events.__qualname__
    read.__module__ = events.__module__  # doctest and the docs find it in its own module
    read.__doc__ = events.__doc__
    return cast(Reader, read)


def finish(
    items: Iterable[tuple[int, Event]], tally: Tally, *, report: bool
) -> Timeline | tuple[Timeline, ReadReport]:
    """Collect ``(line, event)`` pairs into a Timeline and the report (every reader uses it).

    An event repeated with the same id and content is kept once (counted in
    ``report.duplicates``); a different event reusing an id is a DuplicateEvent for its line,
    handled by the policy (the first one is kept).
    """
    from relations._timeline import Timeline

    with paused():
        events = sorted(unique(items, tally), key=event_order)
        tl = Timeline._from_sorted(events)
    rep = tally.report(len(events), want_report=report)
    return (tl, rep) if report else tl


def unique(items: Iterable[tuple[int, Event]], tally: Tally) -> list[Event]:
    """The events of ``(line, event)`` pairs, in first-seen order, each id once.

    An event repeated with the same id and content is kept once (counted in
    ``tally.duplicates``); a different event reusing an id is a DuplicateEvent for its line,
    handled by the policy (the first one is kept).
    """
    by_id: dict[str, Event] = {}
    setdefault = by_id.setdefault
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
    return list(by_id.values())
