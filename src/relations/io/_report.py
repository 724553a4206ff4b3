"""What a reader did with each record: the ``errors=`` policy, progress, and the read report.

Every reader and importer in :mod:`relations.io` shares this machinery, so they all behave the
same way:

- ``errors="raise"`` (the default): the first bad record raises its error (a
  :class:`~relations.ParseError`, :class:`~relations.InvalidEvent`,
  :class:`~relations.InvalidDate`, ...) whose message starts with ``file:line:``;
- ``errors="skip"``: bad records are skipped and counted; the report keeps the first
  :data:`KEPT_WHEN_SKIPPING` problems (constant memory however many there are);
- ``errors="collect"``: bad records are skipped and every problem is kept in the report.

Skipped records are never lost silently: ask for the :class:`ReadReport` (``report=True``),
pass ``on_error=`` (called with each :class:`ReadIssue` as it happens), or you get one
:class:`SkippedRecordsWarning` at the end naming how many records were skipped and the first
problem.

``progress=`` is called with the number of records read so far, every
:data:`PROGRESS_EVERY` records and once at the end.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Literal

import attrs

from relations.errors import InvalidArgument, RelationsError, RelationsWarning
from relations.formats.atomic import Progress

__all__ = [
    "KEPT_WHEN_SKIPPING",
    "PROGRESS_EVERY",
    "ErrorPolicy",
    "Progress",
    "ReadIssue",
    "ReadReport",
    "SkippedRecordsWarning",
]

ErrorPolicy = Literal["raise", "skip", "collect"]
"""What a reader does with a bad record: raise, skip (and count), or collect (and keep)."""

#: How many problems a report keeps under ``errors="skip"`` (all are counted).
KEPT_WHEN_SKIPPING = 10
#: A progress callback is called every this many records (and once at the end).
PROGRESS_EVERY = 10_000

_POLICIES = ("raise", "skip", "collect")


class SkippedRecordsWarning(RelationsWarning, UserWarning):
    """Records were skipped and the caller asked neither for the report nor for ``on_error``.

    >>> issubclass(SkippedRecordsWarning, UserWarning), issubclass(SkippedRecordsWarning, RelationsWarning)
    (True, True)
    """


@attrs.frozen
class ReadIssue:
    """One record that could not be read: where it is, and the error it raised.

    ``message`` is the error's message, which already starts with ``file:line:``.

    >>> from relations import ParseError
    >>> issue = ReadIssue("events.jsonl", 3, ParseError("events.jsonl:3: not valid JSON"))
    >>> issue.line, issue.message
    (3, 'events.jsonl:3: not valid JSON')
    """

    file: str
    line: int
    error: RelationsError = attrs.field(eq=False)

    @property
    def message(self) -> str:
        """The error message (it names the file, line and, where known, the field)."""
        return str(self.error)


@attrs.frozen
class ReadReport:
    """What a read or import did: records seen, events loaded, records skipped, and why.

    ``records`` counts data records (JSON lines, CSV or TSV rows; blank lines and the header
    are not records); ``loaded`` the events in the resulting Timeline; ``skipped`` the records
    left out because of an error; ``duplicates`` the records that repeated an event already
    read (same id, same content: kept once, as a Timeline does); ``issues`` the problems kept
    (all of them under ``errors="collect"``, the first :data:`KEPT_WHEN_SKIPPING` under
    ``errors="skip"``). So ``records == loaded + skipped + duplicates``.

    >>> r = ReadReport("a.jsonl", records=3, loaded=2, skipped=1)
    >>> r.ok, str(r)
    (False, 'a.jsonl: 2 of 3 records loaded, 1 skipped')
    """

    file: str
    records: int
    loaded: int
    skipped: int
    issues: tuple[ReadIssue, ...] = ()
    duplicates: int = 0

    @property
    def ok(self) -> bool:
        """True if no record was skipped.

        >>> ReadReport("a.jsonl", records=1, loaded=1, skipped=0).ok
        True
        """
        return self.skipped == 0

    def __str__(self) -> str:
        text = f"{self.file}: {self.loaded} of {self.records} records loaded"
        if self.skipped:
            text += f", {self.skipped} skipped"
        if self.duplicates:
            text += f", {self.duplicates} repeated"
        return text


def check_policy(errors: object) -> ErrorPolicy:
    """Validate an ``errors=`` argument.

    >>> check_policy("skip")
    'skip'
    """
    if errors not in _POLICIES:
        raise InvalidArgument(f"errors must be 'raise', 'skip' or 'collect', not {errors!r}")
    return errors  # type: ignore[return-value]  # checked just above


def _drop_frames(error: BaseException) -> None:
    """Clear the tracebacks of ``error`` and of the errors it was raised from or during (and
    drop a context that ``raise ... from`` hides anyway).

    A skipped record's error is kept for its message only. Its traceback holds the frames
    of the failed conversion (and the record in them), and an error kept in a local variable
    of such a frame forms a reference cycle that only the cyclic collector frees, which the
    readers pause: without this, each skipped record kept several kilobytes alive, so
    ``errors="skip"`` grew with the number of bad records.

    >>> try:
    ...     raise ValueError("x")
    ... except ValueError as e:
    ...     err = e
    >>> _drop_frames(err); err.__traceback__ is None
    True
    """
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        e.__traceback__ = None
        stack.append(e.__cause__)
        stack.append(e.__context__)  # visited (its own cycle broken) even if dropped below
        if e.__suppress_context__:  # raised "from": the context is never shown, and may
            e.__context__ = None  # hold the whole record (JSONDecodeError.doc)


class Tally:
    """Counts records, applies the error policy, calls progress; builds the ReadReport."""

    __slots__ = (
        "_issues",
        "_next_progress",
        "duplicates",
        "errors",
        "file",
        "on_error",
        "progress",
        "records",
        "skipped",
    )

    def __init__(
        self,
        file: str,
        errors: ErrorPolicy,
        progress: Progress | None,
        on_error: Callable[[ReadIssue], object] | None,
    ) -> None:
        self.file = file
        self.errors = check_policy(errors)
        self.progress = progress
        self.on_error = on_error
        self.records = 0
        self._issues: list[ReadIssue] = []
        self._next_progress = PROGRESS_EVERY
        self.skipped = 0
        self.duplicates = 0

    def record(self) -> None:
        """Count one more record (and report progress every PROGRESS_EVERY records)."""
        self.records += 1
        if self.progress is not None and self.records >= self._next_progress:
            self._next_progress += PROGRESS_EVERY
            self.progress(self.records)

    def problem(self, line: int, error: RelationsError) -> None:
        """Handle a bad record: raise it, or skip it and keep or count it."""
        if self.errors == "raise":
            raise error
        self.skipped += 1
        _drop_frames(error)
        issue = ReadIssue(self.file, line, error)
        if self.errors == "collect" or len(self._issues) < KEPT_WHEN_SKIPPING:
            self._issues.append(issue)
        if self.on_error is not None:
            self.on_error(issue)

    def report(self, loaded: int, *, want_report: bool) -> ReadReport:
        """Finish: last progress call, warning if records vanished unseen, the report."""
        if self.progress is not None:
            self.progress(self.records)
        rep = ReadReport(
            self.file, self.records, loaded, self.skipped, tuple(self._issues), self.duplicates
        )
        if self.skipped and not want_report and self.on_error is None:
            first = self._issues[0].message if self._issues else ""
            warnings.warn(
                f"{rep}; first problem: {first} "
                "(pass report=True or on_error= to see every skipped record)",
                SkippedRecordsWarning,
                stacklevel=4,  # report <- finish <- read_jsonl etc. <- the caller
            )
        return rep
