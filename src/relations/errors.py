"""The exceptions `relations` raises.

Every error derives from :class:`RelationsError` *and* from the builtin exception it refines,
so ``except ValueError`` keeps working for callers who do not know this library, while
``except relations.RelationsError`` catches everything the library raises on purpose.
Likewise every warning derives from :class:`RelationsWarning` and from the builtin warning it
refines, so ``warnings.simplefilter("error", RelationsWarning)`` turns them all into errors.

Every message names the offending value and, where known, where it came from (file, line,
field), so that a user can find and fix the input without a debugger.

>>> from relations import InvalidDate, When
>>> try:
...     When.parse("2023-02-29")
... except ValueError as e:
...     isinstance(e, InvalidDate)
True
"""

from __future__ import annotations

__all__ = [
    "ConcurrencyError",
    "DuplicateEvent",
    "InvalidArgument",
    "InvalidDate",
    "InvalidEvent",
    "InvalidQuantity",
    "MissingDependency",
    "ParseError",
    "RelationsError",
    "RelationsWarning",
    "SnapshotIgnored",
    "StoreBusy",
    "StoreClosed",
    "StoreCorrupt",
    "StoreUnavailable",
    "UnitMismatch",
    "UnknownActor",
    "UnknownDataset",
    "UnknownEvent",
    "UnknownKey",
    "UnknownKind",
    "UnsupportedLayout",
    "location_prefix",
]


def location_prefix(
    *, file: object | None = None, line: int | None = None, field: str | None = None
) -> str:
    """Format "file:line: field 'x': " so that every error locates its input the same way.

    >>> location_prefix(file="events.jsonl", line=3, field="when")
    "events.jsonl:3: field 'when': "
    >>> location_prefix()
    ''
    """
    where = ""
    if file is not None:
        where = str(file)
    if line is not None:
        where = f"{where}:{line}" if where else f"line {line}"
    parts = [where] if where else []
    if field is not None:
        parts.append(f"field {field!r}")
    return (": ".join(parts) + ": ") if parts else ""


class RelationsError(Exception):
    """Root of every error that `relations` raises on purpose."""


class RelationsWarning(Warning):
    """Root of every warning that `relations` issues (each also derives from a builtin warning).

    >>> from relations.io import SkippedRecordsWarning
    >>> issubclass(SkippedRecordsWarning, RelationsWarning)
    True
    """


def _message_as_written(self: BaseException) -> str:
    # The __str__ of the KeyError subclasses below: KeyError would repr() the message,
    # quoting it twice.
    return str(self.args[0]) if self.args else ""


class InvalidDate(RelationsError, ValueError):
    """A date or interval that cannot be parsed or does not exist (``2023-02-29``)."""


class InvalidEvent(RelationsError, ValueError):
    """An event record with a missing, malformed or contradictory field."""


class InvalidQuantity(InvalidEvent):
    """A quantity that is negative, not a number, or has bounds in the wrong order."""


class UnknownKind(InvalidEvent):
    """A kind that is not a dotted, lowercase name such as ``military.deployment``."""


class ParseError(RelationsError, ValueError):
    """A line or row of an input file that cannot be read (names file, line and field)."""


class UnitMismatch(RelationsError, ValueError):
    """Quantities of different units combined (``USD`` plus ``people``)."""


class DuplicateEvent(RelationsError, ValueError):
    """Two different events with one id."""


class UnknownActor(RelationsError, KeyError):
    """A name or code that resolves to no registered actor."""

    __str__ = _message_as_written


class UnknownEvent(RelationsError, KeyError):
    """An event id that is not in the timeline or store."""

    __str__ = _message_as_written


class UnknownDataset(RelationsError, KeyError):
    """A bundled dataset name that does not exist."""

    __str__ = _message_as_written


class ConcurrencyError(RelationsError, RuntimeError):
    """An append whose expected stream version does not match the stream's actual version."""


class StoreBusy(ConcurrencyError, TimeoutError):
    """A store whose write lock another writer held longer than the store's ``timeout``.

    It is a :class:`ConcurrencyError` (another writer got in the way: retrying is the remedy,
    as for a version clash, and PostgreSQL raised ConcurrencyError here before) and a
    ``TimeoutError`` (the wait timed out). The message names the store and the timeout.

    >>> issubclass(StoreBusy, ConcurrencyError) and issubclass(StoreBusy, TimeoutError)
    True
    """


class StoreClosed(RelationsError, RuntimeError):
    """An operation on a store that has been closed."""


class StoreUnavailable(RelationsError, ConnectionError):
    """A store whose server cannot be reached (PostgreSQL: refused, unknown host, bad login)."""


class InvalidArgument(RelationsError, ValueError):
    """An argument outside its allowed values (an unknown grouping, policy or window size)."""


class StoreCorrupt(InvalidArgument):
    """A store whose file or tables are damaged (garbled pages, a truncated file, rows that do
    not decode, a failed :meth:`~relations.store.StoreBase.check`). The message names the file.

    A store that found itself damaged refuses further appends with this error, so that
    nothing is written on top of damage; restore the file from a backup.

    >>> issubclass(StoreCorrupt, ValueError)
    True
    """


class SnapshotIgnored(RelationsWarning, UserWarning):
    """A persisted projection snapshot that could not be used (damaged, or not matching the
    log): the projector folds from the start instead, so results stay right, only slower.

    >>> issubclass(SnapshotIgnored, RelationsWarning)
    True
    """


class UnknownKey(RelationsError, KeyError):
    """A key that a result mapping (such as a :class:`~relations.series.Series`) does not have."""

    __str__ = _message_as_written


class UnsupportedLayout(ParseError):
    """A columnar file (Parquet, Arrow) of a layout version newer than this library reads.

    The message names the file and the version; upgrading ``relations`` reads it.
    """


class MissingDependency(RelationsError, ImportError):
    """An optional dependency (an extra such as ``relations[pandas]``) that is not installed."""
