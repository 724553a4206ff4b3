"""What every store engine shares: the contract, amendments, timelines, history, subscriptions.

An engine (``MemoryStore``, ``SQLiteStore``, ``PostgreSQLStore``) implements a few
primitives: its write transaction, the head of the log, the lookup of recorded ids, the write
of a batch, ``read_all``, ``read``, ``streams``, ``version``, the lookup of an event and its
amendments. Everything built on them lives here, once:

- :meth:`StoreBase.append` runs the append sequence (check the batch, drop repeats, check the
  expected version, check the amendments, stamp a record time that never runs backwards,
  write) inside the engine's write transaction.
- :meth:`StoreBase.timeline` folds the log into a :class:`~relations.timeline.Timeline`: each
  event as first recorded, then its corrections applied and its retractions honoured, in the
  order they were recorded. With ``known_at`` only what was recorded by then counts (record
  time); the Timeline's own queries then answer in valid time.
- :meth:`StoreBase.history` lists every version of one event.
- :meth:`StoreBase.subscribe` is a catch-up iterator over the global log.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar, runtime_checkable

from relations import _gc
from relations.errors import (
    ConcurrencyError,
    DuplicateEvent,
    InvalidArgument,
    RelationsError,
    StoreClosed,
    StoreCorrupt,
    UnknownEvent,
)
from relations.events import Event, Source
from relations.record import Upcasters
from relations.store._clock import default_clock, known_at_micros, now_micros, to_micros
from relations.store._codec import (
    Batch,
    Row,
    decode,
    decode_dict,
    decode_rows,
    encode_batch,
    type_of,
)
from relations.store._knowledge import Knowledge
from relations.store._projector import Projector
from relations.store._records import (
    ANY,
    NO_STREAM,
    AppendResult,
    CheckReport,
    Correction,
    ExpectedVersion,
    Recordable,
    RecordedEvent,
    Retraction,
    Revision,
)
from relations.store._snapshots import SnapshotRow, StoredSnapshot, problem_of

if TYPE_CHECKING:
    import pendulum

    from relations._timeline import Timeline
    from relations.projections import Projection

S = TypeVar("S")
_T = TypeVar("_T")

__all__ = ["Store", "StoreBase", "Subscription"]


@runtime_checkable
class Store(Protocol):
    """The contract every store engine fulfils (checked by :mod:`relations.testing`).

    >>> from relations.store import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), Store), isinstance(SQLiteStore(":memory:"), Store)
    (True, True)
    """

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called."""
        ...

    def append(
        self,
        stream: str,
        events: Iterable[Recordable],
        expected_version: ExpectedVersion | int = ANY,
    ) -> AppendResult:
        """Record ``events`` at the end of ``stream`` in one atomic batch."""
        ...

    def read(
        self,
        stream: str,
        from_version: int = 1,
        to_version: int | None = None,
        *,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[RecordedEvent]:
        """The stream's records with ``from_version <= version <= to_version``."""
        ...

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[RecordedEvent]:
        """Every record from ``from_position`` on, in order."""
        ...

    def streams(self) -> list[str]:
        """The names of all streams, sorted."""
        ...

    def version(self, stream: str) -> int:
        """The stream's current version (0 if it does not exist)."""
        ...

    def subscribe(
        self,
        from_position: int = 1,
        *,
        poll_interval: float = 0.1,
        stop: threading.Event | Callable[[], bool] | None = None,
    ) -> Subscription:
        """A catch-up iterator over the log, from ``from_position`` on."""
        ...

    def timeline(self, known_at: object = None) -> Timeline:
        """The Timeline of current knowledge, or of knowledge recorded by ``known_at``."""
        ...

    def history(self, event_id: str) -> list[Revision]:
        """Every version of an event, with when it was recorded."""
        ...

    def correct(
        self,
        event_id: str,
        changes: Mapping[str, Any],
        reason: str,
        source: Source | None = None,
    ) -> RecordedEvent:
        """Record a Correction in the stream of the event it corrects."""
        ...

    def retract(self, event_id: str, reason: str, source: Source | None = None) -> RecordedEvent:
        """Record a Retraction in the stream of the event it withdraws."""
        ...

    def project(self, projection: Projection[S], *, every: int = 256) -> Projector[S]:
        """A Projector keeping ``projection`` up to date with this store."""
        ...

    def check(self, *, page: int = 5_000) -> CheckReport:
        """Read the whole store (``page`` rows at a time) and report every problem; a store
        whose check failed refuses appends."""
        ...

    def close(self) -> None:
        """Release resources; idempotent."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


# ---- helpers shared by the engines --------------------------------------------------------


def check_stream(stream: object) -> str:
    """A stream name is non-empty text."""
    if not isinstance(stream, str) or not stream.strip():
        raise InvalidArgument(f"a stream name must be non-empty text, not {stream!r}")
    return stream


def check_expected(expected: object) -> ExpectedVersion | int:
    """``ANY``, ``NO_STREAM`` or a version number >= 0."""
    if isinstance(expected, ExpectedVersion):
        return expected
    if isinstance(expected, bool) or not isinstance(expected, int) or expected < 0:
        raise InvalidArgument(
            f"expected_version must be ANY, NO_STREAM or a version >= 0, not {expected!r}"
        )
    return expected


def expected_matches(expected: ExpectedVersion | int, actual: int) -> bool:
    """Whether a stream at version ``actual`` satisfies ``expected``."""
    if expected is ANY:
        return True
    if expected is NO_STREAM:
        return actual == 0
    return expected == actual


def concurrency_error(
    stream: str, expected: ExpectedVersion | int, actual: int
) -> ConcurrencyError:
    """The error for a clash, naming the stream, the expected and the actual version."""
    want = "no stream" if expected is NO_STREAM else f"version {expected}"
    have = "does not exist (version 0)" if actual == 0 else f"is at version {actual}"
    return ConcurrencyError(f"stream {stream!r}: expected {want}, but the stream {have}")


def check_batch(events: Iterable[Recordable]) -> tuple[list[Recordable], list[int]]:
    """The distinct items of a batch, and for each given item the index of its first copy.

    The same event twice in one batch is recorded once; the same id with different content
    raises DuplicateEvent.
    """
    if isinstance(events, Event | Correction | Retraction):
        events = [events]
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise InvalidArgument(f"append takes a list of events, not {events!r}")
    items = list(events)
    if all(type(x) is Event for x in items) and len({x.id for x in items}) == len(items):
        return items, list(range(len(items)))  # the common case: events, each id once
    unique: list[Recordable] = []
    first: dict[str, int] = {}
    index: list[int] = []
    for item in items:
        type_of(item)
        i = first.get(item.id)
        if i is None:
            first[item.id] = len(unique)
            index.append(len(unique))
            unique.append(item)
        else:
            if unique[i] != item:
                raise duplicate_error(item, unique[i], "earlier in the same batch")
            index.append(i)
    return unique, index


def _differences(a: Recordable, b: Recordable) -> list[str]:
    da, db = a.to_dict(), b.to_dict()
    if type(a) is not type(b):
        return ["type"]
    return sorted(k for k in set(da) | set(db) if da.get(k) != db.get(k))


def duplicate_error(new: Recordable, old: Recordable, where: str) -> DuplicateEvent:
    """The error for one id recorded with two different contents."""
    diff = ", ".join(_differences(new, old)) or "content"
    return DuplicateEvent(
        f"id {new.id!r} is already recorded ({where}) with different content "
        f"(differs in: {diff}); give the new event its own id, or record a Correction"
    )


def amendment_target_error(
    amendment: Correction | Retraction, found: Recordable | None
) -> UnknownEvent:
    """The error for an amendment whose target is not a recorded event."""
    kind = type(amendment).__name__.lower()
    if found is None:
        return UnknownEvent(
            f"{kind} {amendment.id!r} names event {amendment.event_id!r}, which is not recorded "
            "in this store"
        )
    return UnknownEvent(
        f"{kind} {amendment.id!r} names {amendment.event_id!r}, which is a "
        f"{type(found).__name__.lower()}, not an event"
    )


def check_range(start: object, stop: object, limit: object) -> None:
    """Positions and versions are ints; ``limit`` is None or >= 0 (InvalidEvent otherwise)."""
    for name, value in (("from", start), ("to", stop)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidArgument(f"{name} position/version must be an int, not {value!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise InvalidArgument(f"limit must be None or an int >= 0, not {limit!r}")


def current_version(records: Sequence[RecordedEvent], event_id: str) -> Recordable | None:
    """The current version of an event from its records (None if unknown; the record itself
    if the id names an amendment)."""
    if not records:
        return None
    if not isinstance(records[0].event, Event):
        return records[0].event
    return revisions(records, event_id)[-1].event


def check_amendments(
    items: Sequence[Recordable], current_of: Callable[[str], Recordable | None]
) -> None:
    """Check that every amendment in a batch names a recorded event (or one earlier in the
    batch) and that every correction leaves a valid event (UnknownEvent / InvalidEvent)."""
    pending: dict[str, Event] = {}
    for item in items:
        if isinstance(item, Event):
            pending.setdefault(item.id, item)
            continue
        target = pending.get(item.event_id)
        if target is None:
            found = current_of(item.event_id)
            if not isinstance(found, Event):
                raise amendment_target_error(item, found)
            target = found
        if isinstance(item, Correction):
            pending[item.event_id] = item.apply(target)
        else:
            pending[item.event_id] = target


def check_repeats(
    items: Sequence[Recordable],
    rows: Sequence[Row],
    recorded: Mapping[int, tuple[int, str, str, str]],
    decode_row: Callable[[int, str, str, str], Recordable],
) -> None:
    """Raise DuplicateEvent if an item is recorded with other content already.

    ``recorded`` maps an item's index to ``(position, stream, type, payload)`` of the record
    with its id; the same payload text is the same item, other text (an older schema, or
    written by other means) is decoded (``decode_row``) and compared.
    """
    for i, (pos, rstream, kind, old_payload) in recorded.items():
        if old_payload == rows[i][2]:
            continue
        item = items[i]
        old: Recordable
        try:
            old = decode_row(pos, rstream, kind, old_payload)
        except RelationsError:  # unreadable old record: say so without the diff
            old = item
        else:
            if old == item:
                continue
        raise duplicate_error(item, old, f"at position {pos} in stream {rstream!r}")


def revisions(records: Sequence[RecordedEvent], event_id: str) -> list[Revision]:
    """The versions of one event from its record and its amendments' records (log order)."""
    out: list[Revision] = []
    current: Event | None = None
    retracted = False
    for r in records:
        item = r.event
        if isinstance(item, Event):
            if item.id == event_id and current is None:
                current = item
                out.append(Revision(r.position, r.recorded_at, item))
            continue
        if current is None or item.event_id != event_id:
            continue
        if isinstance(item, Correction):
            current = item.apply(current)
        else:
            retracted = True
        out.append(Revision(r.position, r.recorded_at, current, retracted, item))
    return out


# ---- the base class -----------------------------------------------------------------------


class StoreBase:
    """Shared behaviour of the store engines (subclass it to write a new engine).

    :meth:`append` is one template: it runs the append sequence once for every engine, inside
    the engine's write transaction, through these primitives:

    - ``_in_write_transaction(fn)``: run ``fn()`` in one write transaction, holding the
      engine's write lock (so that what ``fn`` reads stays true until it commits);
    - ``_head(stream)``: ``(last position, its recorded_at in µs or None, stream version)``;
    - ``_find(items, rows)``: the position of each item already recorded (None if new),
      raising DuplicateEvent for an id recorded with other content;
    - ``_write_batch(batch)``: write a :class:`~relations.store._codec.Batch`;
    - ``_encode(items)``: the rows the engine writes (computed before the lock is taken).

    :meth:`read` is a template too: it checks the range and asks the engine for
    ``_read_stream(stream, from_version, to_version, backwards, limit)``.

    Engines also implement ``read_all``, ``streams``, ``version``,
    ``close``/``closed``, ``_records_of_locked(event_id)`` (the event's record followed by its
    amendments', in log order) and may override ``_guard(fn)`` (run a read, turning the
    engine's errors into the library's) and ``_wait(position, timeout, cancelled)`` (block
    until a record at ``position`` may exist, or the timeout passes). Projection snapshots
    are kept through ``_snapshot_get``, ``_snapshot_put`` (called inside
    ``_in_write_transaction``), ``_snapshot_rows`` and ``_snapshot_delete``: by default in
    memory; engines that persist override them.

    >>> from relations.store import MemoryStore
    >>> issubclass(MemoryStore, StoreBase)
    True
    """

    _lock: threading.RLock
    _appended: threading.Condition
    _upcasters: Upcasters | None = None  # for engines that keep payloads
    _damage: str | None = None  # the first problem a check (or a read) found: appends refuse

    def __init__(self, clock: Callable[[], pendulum.DateTime] | None = None) -> None:
        self._lock = threading.RLock()
        self._appended = threading.Condition(self._lock)
        self._knowledge = Knowledge()
        self._clock = clock or default_clock
        self._snapshot_memory: dict[tuple[str, str, str], SnapshotRow] = {}

    # -- to be provided by engines ------------------------------------------------------
    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called."""
        raise NotImplementedError

    def read(
        self,
        stream: str,
        from_version: int = 1,
        to_version: int | None = None,
        *,
        backwards: bool = False,
        limit: int | None = None,
    ) -> list[RecordedEvent]:
        """The records of ``stream`` with ``from_version <= version <= to_version``.

        ``backwards=True`` reads newest first; ``limit`` keeps the first ``limit`` records in
        the reading direction. An unknown stream reads as empty.

        >>> from relations import Event
        >>> from relations.store import MemoryStore, SQLiteStore
        >>> for store in (MemoryStore(), SQLiteStore(":memory:")):
        ...     _ = store.append("s", [Event(str(y), "trade", ["RUS", "PRK"], "T") for y in (2022, 2023, 2024)])
        ...     print([r.version for r in store.read("s", 2)], [r.version for r in store.read("s", backwards=True, limit=2)])
        [2, 3] [3, 2]
        [2, 3] [3, 2]
        """
        check_range(from_version, to_version, limit)
        return self._read_stream(stream, from_version, to_version, backwards, limit)

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[RecordedEvent]:
        """Every record from ``from_position`` on, in order (at most ``limit``)."""
        raise NotImplementedError

    def _read_stream(
        self, stream: str, first: int, last: int | None, backwards: bool, limit: int | None
    ) -> list[RecordedEvent]:
        """:meth:`read` once its range is checked (``last`` None: to the end)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release resources; idempotent."""
        raise NotImplementedError

    def _in_write_transaction(self, fn: Callable[[], _T]) -> _T:
        raise NotImplementedError

    def _head(self, stream: str) -> tuple[int, int | None, int]:
        raise NotImplementedError

    def _find(self, items: Sequence[Recordable], rows: Sequence[Row]) -> list[int | None]:
        raise NotImplementedError

    def _write_batch(self, batch: Batch) -> None:
        raise NotImplementedError

    def _records_of_locked(self, event_id: str) -> list[RecordedEvent]:
        raise NotImplementedError

    def _encode(self, items: Sequence[Recordable]) -> Sequence[Row]:
        with _gc.paused(len(items), threshold=100):  # short-lived objects only
            return encode_batch(items)

    def _guard(self, fn: Callable[[], _T]) -> _T:
        return fn()

    def _raw_rows(self, from_position: int, limit: int) -> list[tuple[Any, ...]]:
        """Rows ``(position, stream, version, recorded_at µs, type, payload)`` as stored."""
        raise NotImplementedError

    def _check_engine(self) -> list[str]:
        """Problems only the engine can see (SQLite: its pages and indexes)."""
        return []

    # -- snapshot rows (engines that persist override these; the default keeps them here) --
    def _snapshot_get(self, name: str, version: str, scope: str) -> SnapshotRow | None:
        """The row kept under ``(name, version, scope)``, or None (holding the lock)."""
        return self._snapshot_memory.get((name, version, scope))

    def _snapshot_put(self, row: SnapshotRow) -> None:
        """Keep ``row``, replacing the one under its key, atomically (holding the lock)."""
        self._snapshot_memory[row[0], row[1], row[2]] = row

    def _snapshot_rows(self) -> list[SnapshotRow]:
        """Every snapshot row, in key order (holding the lock)."""
        return [self._snapshot_memory[k] for k in sorted(self._snapshot_memory)]

    def _snapshot_delete(self, name: str | None) -> int:
        """Delete the rows of ``name`` (None: all); return how many (holding the lock)."""
        keys = [k for k in self._snapshot_memory if name is None or k[0] == name]
        for k in keys:
            del self._snapshot_memory[k]
        return len(keys)

    def _where(self) -> str:
        """The store, as errors about its rows name it."""
        return self._describe()

    # -- decoding payloads (engines that keep payloads) -------------------------------------
    def _decode_row(
        self, position: int, stream: str, kind: str, payload: str, parsed: Any = None
    ) -> Recordable:
        where = f"{self._where()}: position {position} (stream {stream!r}): "
        # strict: the trusted fast path is decode_rows' own, for rows known to be sound
        if parsed is None:
            return decode(kind, payload, upcasters=self._upcasters, where=where, strict=True)
        return decode_dict(kind, parsed, upcasters=self._upcasters, where=where, strict=True)

    def _decode_rows(self, rows: list[tuple[Any, ...]]) -> list[RecordedEvent]:
        """Decode rows (position, stream, version, recorded_at µs, type, payload)."""
        return decode_rows(rows, self._decode_row) if rows else []

    def _fetch_records(
        self, fetch: Callable[[], list[tuple[Any, ...]]], limit: int | None
    ) -> list[RecordedEvent]:
        """Decode the rows ``fetch`` reads, with collection paused for up to ``limit`` records
        (the rows die, the records survive)."""
        with _gc.paused(2**62 if limit is None else limit, threshold=2_000):
            return self._decode_rows(fetch())

    # -- the append template --------------------------------------------------------------
    def append(
        self,
        stream: str,
        events: Iterable[Recordable],
        expected_version: ExpectedVersion | int = ANY,
    ) -> AppendResult:
        """Record ``events`` at the end of ``stream`` in one atomic batch, all or nothing.

        ``expected_version`` is ``ANY``, ``NO_STREAM`` or the exact current version; a clash
        raises ConcurrencyError. An event whose id is already recorded with the same content
        is not written again (its position is reported); different content raises
        DuplicateEvent. A :class:`Correction` or :class:`Retraction` must name a recorded event
        (UnknownEvent otherwise).

        >>> from relations import Event
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> e = Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")
        >>> store.append("s", [e], expected_version=0).positions
        (1,)
        >>> store.append("s", [e]).already_present
        (True,)
        >>> store.append("s", [e.evolve(id="u")], expected_version=0)
        Traceback (most recent call last):
        ...
        relations.errors.ConcurrencyError: stream 's': expected version 0, but the stream is at version 1
        """
        stream = check_stream(stream)
        expected = check_expected(expected_version)
        unique, index = check_batch(events)
        rows = self._encode(unique)
        with self._lock:
            self._check_open()
            if self._damage is not None:
                raise StoreCorrupt(
                    f"{self._where()}: refusing to append to a damaged store ({self._damage}); "
                    "restore it from a backup"
                )
            positions, present, version = self._in_write_transaction(
                lambda: self._append_locked(stream, unique, rows, expected)
            )
            if not all(present):
                self._appended.notify_all()
        return AppendResult(
            stream,
            tuple(positions[i] for i in index),
            tuple(present[i] for i in index),
            version,
        )

    def _append_locked(
        self,
        stream: str,
        items: Sequence[Recordable],
        rows: Sequence[Row],
        expected: ExpectedVersion | int,
    ) -> tuple[list[int], list[bool], int]:
        """The append sequence, inside the write transaction: positions and already-present
        flags of ``items``, and the stream's version after the append."""
        last_position, last_us, actual = self._head(stream)
        found = self._find(items, rows)
        n = len(items)
        positions = [0] * n
        present = [False] * n
        if found.count(None) == n:
            new = list(range(n))
        else:
            new = []
            for i, pos in enumerate(found):
                if pos is None:
                    new.append(i)
                else:
                    positions[i] = pos
                    present[i] = True
        if (new or not items) and not expected_matches(expected, actual):
            raise concurrency_error(stream, expected, actual)
        if not new:
            return positions, present, actual
        if len(new) < n:
            items = [items[i] for i in new]
            rows = [rows[i] for i in new] if rows else rows
        if not all(type(x) is Event for x in items):
            check_amendments(items, self._current_locked)
        us = now_micros() if self._clock is default_clock else to_micros(self._clock())
        if last_us is not None and us < last_us:
            us = last_us  # record time never runs backwards along the log
        first = last_position + 1
        self._write_batch(Batch(stream, items, rows, first, actual + 1, us))
        for k, i in enumerate(new):
            positions[i] = first + k
        return positions, present, actual + len(new)

    def _current_locked(self, event_id: str) -> Recordable | None:
        return current_version(self._records_of_locked(event_id), event_id)

    def _records_of(self, event_id: str) -> list[RecordedEvent]:
        with self._lock:
            self._check_open()
            return self._guard(lambda: self._records_of_locked(event_id))

    def _wait(self, position: int, timeout: float, cancelled: Callable[[], bool]) -> None:
        # Appends through this object notify at once; other connections are seen by polling.
        with self._appended:
            if self.closed or cancelled():
                return
            self._appended.wait(timeout)

    def _notify(self) -> None:
        with self._appended:
            self._appended.notify_all()

    def _describe(self) -> str:
        return type(self).__name__

    def _check_open(self) -> None:
        if self.closed:
            raise StoreClosed(f"{self._describe()} is closed")

    # -- context manager ----------------------------------------------------------------
    def __enter__(self) -> Self:
        self._check_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- amendments -----------------------------------------------------------------------
    def correct(
        self,
        event_id: str,
        changes: Mapping[str, Any],
        reason: str,
        source: Source | None = None,
    ) -> RecordedEvent:
        """Record a :class:`Correction` in the stream of the event it corrects.

        >>> from relations import Event
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
        >>> store.correct("t", {"title": "Trade turnover"}, "clearer title").version
        2
        >>> [e.title for e in store.timeline()]
        ['Trade turnover']
        """
        return self._amend(Correction(event_id, changes, reason, source))

    def retract(self, event_id: str, reason: str, source: Source | None = None) -> RecordedEvent:
        """Record a :class:`Retraction` in the stream of the event it withdraws.

        >>> from relations import Event
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
        >>> _ = store.retract("t", "duplicate of another record")
        >>> len(store.timeline())
        0
        """
        return self._amend(Retraction(event_id, reason, source))

    def _amend(self, amendment: Correction | Retraction) -> RecordedEvent:
        records = self._records_of(amendment.event_id)
        if not records or not isinstance(records[0].event, Event):
            raise amendment_target_error(amendment, records[0].event if records else None)
        result = self.append(records[0].stream, [amendment])
        return self.read_all(result.positions[0], 1)[0]

    # -- checking -------------------------------------------------------------------------
    def check(self, *, page: int = 5_000) -> CheckReport:
        """Read the whole store and report every problem found; never repairs anything.

        It checks that positions run 1, 2, 3... without a gap, that each stream's versions
        run 1, 2, 3... in log order, that every id is recorded once, that every payload
        decodes *and validates* (the trusted fast path of reads is not taken) and that every
        amendment names an event recorded before it, and that every persisted projection
        snapshot is sound (its checksum, its JSON, a position within the log); SQLite also
        checks its pages and indexes (``PRAGMA integrity_check``). A damaged snapshot is
        reported but does not stop appends (projectors ignore it). A store whose check finds a problem refuses appends
        from then on (:class:`~relations.errors.StoreCorrupt`). Damage so bad that the rows
        cannot be read is reported as a problem too; only a closed store raises
        (StoreClosed).

        >>> from relations import Event
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
        >>> print(store.check())
        MemoryStore: ok (1 records in 1 stream)
        """
        self._check_open()
        problems: list[str] = []
        versions: dict[str, int] = {}
        kinds: dict[str, str] = {}
        records = 0
        expected = 1
        with self._lock:
            try:
                problems.extend(self._guard(self._check_engine))
                while True:
                    start = expected
                    rows = self._guard(lambda: self._raw_rows(start, page))  # noqa: B023 - called at once
                    for row in rows:
                        records += 1
                        expected = self._check_row(row, expected, versions, kinds, problems)
                    if len(rows) < page:
                        break
            except StoreCorrupt as e:
                problems.append(f"unreadable from position {expected}: {e}")
            if problems:
                self._damage = problems[0]
            # a damaged snapshot is reported, but appends go on: the log is intact, and a
            # projector ignores such a snapshot (it folds from the start)
            problems.extend(self._check_snapshots(expected - 1))
        return CheckReport(self._where(), records, len(versions), tuple(problems))

    def _check_snapshots(self, head: int) -> list[str]:
        try:
            rows = self._guard(self._snapshot_rows)
        except StoreCorrupt as e:
            return [f"snapshots unreadable: {e}"]
        return [p for p in (problem_of(r, head) for r in rows) if p is not None]

    def _check_row(
        self,
        row: tuple[Any, ...],
        expected: int,
        versions: dict[str, int],
        kinds: dict[str, str],
        problems: list[str],
    ) -> int:
        """Check one raw row; return the next expected position."""
        position, stream, version, _us, kind, payload = row
        if position != expected:
            problems.append(f"position {expected} is missing (the next one is {position})")
        want = versions.get(stream, 0) + 1
        if version != want:
            problems.append(
                f"position {position}: stream {stream!r} jumps to version {version} "
                f"(expected {want})"
            )
        versions[stream] = version
        try:
            item = decode(
                kind,
                payload,
                upcasters=self._upcasters,
                where=f"position {position}: ",
                strict=True,
            )
        except (RelationsError, TypeError) as e:  # TypeError: a payload that is not text
            problems.append(
                str(e) if isinstance(e, RelationsError) else f"position {position}: {e}"
            )
            return int(position) + 1
        if item.id in kinds:
            problems.append(f"position {position}: id {item.id!r} is recorded twice")
        elif not isinstance(item, Event) and kinds.get(item.event_id) != "event":
            problems.append(
                f"position {position}: {kind} {item.id!r} names {item.event_id!r}, "
                "which is not an event recorded before it"
            )
        kinds.setdefault(item.id, kind)
        return int(position) + 1

    # -- knowledge ------------------------------------------------------------------------
    def timeline(self, known_at: object = None) -> Timeline:
        """The Timeline of what is known now, or of what had been recorded by ``known_at``.

        Each event appears in its latest corrected version; retracted events are left out.
        ``known_at`` is record time (the store's clock): a datetime is exact, a date or a
        string such as ``"2025-01-15"`` means "by the end of that day (UTC)". Valid time is
        then asked of the Timeline itself (``.between(...)``, ``.involving(...)``).

        Current knowledge is kept up to date incrementally (only new records are read);
        a past ``known_at`` replays the log up to that time.

        >>> import pendulum
        >>> from relations import Event
        >>> from relations.store import MemoryStore
        >>> times = iter([pendulum.datetime(2025, 1, 10), pendulum.datetime(2025, 2, 1)])
        >>> store = MemoryStore(clock=lambda: next(times))
        >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
        >>> _ = store.correct("t", {"title": "Trade turnover"}, "clearer title")
        >>> [e.title for e in store.timeline(known_at="2025-01-15")]
        ['Trade']
        >>> [e.title for e in store.timeline()]
        ['Trade turnover']
        """
        self._check_open()
        if known_at is None:
            with self._lock:
                self._knowledge.catch_up(self)
                return self._knowledge.timeline()
        cutoff = known_at_micros(known_at)
        with self._lock:
            self._knowledge.catch_up(self)
            if self._knowledge.recorded_until <= cutoff:
                return self._knowledge.timeline()
        k = Knowledge()
        k.catch_up(self, until=cutoff)
        return k.timeline()

    def history(self, event_id: str) -> list[Revision]:
        """Every version of an event, oldest first, each with when it was recorded and why.

        Raises UnknownEvent if no event has this id.

        >>> from relations import Event
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
        >>> _ = store.correct("t", {"title": "Trade turnover"}, "clearer title")
        >>> [(r.event.title, r.amendment and r.amendment.reason) for r in store.history("t")]
        [('Trade', None), ('Trade turnover', 'clearer title')]
        """
        self._check_open()
        records = self._records_of(event_id)
        if not records or not isinstance(records[0].event, Event):
            what = "" if not records else f" (it is a {type(records[0].event).__name__})"
            raise UnknownEvent(f"no event with id {event_id!r} is recorded{what}")
        return revisions(records, event_id)

    # -- projections ----------------------------------------------------------------------
    def project(self, projection: Projection[S], *, every: int = 256) -> Projector[S]:
        """A :class:`Projector`: ``projection`` kept up to date with this store, incrementally.

        >>> from relations import Event
        >>> from relations.relationship import Relationship
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> rel = store.project(Relationship("RUS", "PRK"))
        >>> _ = store.append("rus-prk", [Event("2024-03-28", "un.veto", ["RUS", "PRK"], "Veto")])
        >>> [e.title for e in rel.as_of("2024-12-31").vetoes]
        ['Veto']
        """
        self._check_open()
        return Projector(self, projection, every=every)

    # -- persisted snapshots ----------------------------------------------------------------
    def snapshots(self) -> list[StoredSnapshot]:
        """The projection snapshots this store keeps, by name, version and scope; a damaged
        row says what is wrong in its ``problem``.

        >>> from relations.projections import Projection
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.project(Projection.simple(0, lambda n, e: n + 1, snapshot_name="count")).save_snapshot()
        >>> [(s.name, s.version, s.position) for s in store.snapshots()]
        [('count', '1', 0)]
        """
        with self._lock:
            self._check_open()
            rows = self._guard(self._snapshot_rows)
        return [StoredSnapshot.of(r) for r in rows]

    def delete_snapshots(self, name: str | None = None) -> int:
        """Delete the snapshots of the projection ``name`` (None: every snapshot); return how
        many were deleted. The log is not touched: a projector then folds from the start.

        >>> from relations.projections import Projection
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.project(Projection.simple(0, lambda n, e: n + 1, snapshot_name="count")).save_snapshot()
        >>> store.delete_snapshots("count"), store.snapshots()
        (1, [])
        """
        if name is not None and not isinstance(name, str):
            raise InvalidArgument(f"a snapshot name is text, not {name!r}")
        with self._lock:
            self._check_open()
            return self._in_write_transaction(lambda: self._snapshot_delete(name))

    def _read_snapshot(self, name: str, version: str, scope: str) -> SnapshotRow | None:
        """The snapshot row under ``(name, version, scope)`` (for :class:`Projector`)."""
        with self._lock:
            self._check_open()
            return self._guard(lambda: self._snapshot_get(name, version, scope))

    def _write_snapshot(self, row: SnapshotRow) -> None:
        """Keep a snapshot row, in one write transaction (for :class:`Projector`)."""
        with self._lock:
            self._check_open()
            if self._damage is not None:
                raise StoreCorrupt(
                    f"{self._where()}: refusing to write a snapshot to a damaged store "
                    f"({self._damage}); restore it from a backup"
                )
            self._in_write_transaction(lambda: self._snapshot_put(row))

    # -- subscriptions --------------------------------------------------------------------
    def subscribe(
        self,
        from_position: int = 1,
        *,
        poll_interval: float = 0.1,
        stop: threading.Event | Callable[[], bool] | None = None,
        batch_size: int = 1_000,
    ) -> Subscription:
        """A catch-up iterator: every record from ``from_position`` on, then new ones as they come.

        Iteration blocks while there is nothing new; appends through this store object wake
        it at once, appends by other processes are seen within ``poll_interval`` seconds.
        It ends when :meth:`Subscription.stop` is called, when ``stop`` (a
        ``threading.Event`` or a function) says so, or when the store is closed.
        :meth:`Subscription.poll` takes what is there without waiting.

        >>> from relations import Event
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> sub = store.subscribe()
        >>> sub.poll()
        []
        >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
        >>> [r.event.id for r in sub.poll()], sub.position
        (['t'], 2)
        """
        self._check_open()
        return Subscription(self, from_position, poll_interval, stop, batch_size)


class Subscription(Iterator[RecordedEvent]):
    """A catch-up iterator over a store's log (see :meth:`StoreBase.subscribe`).

    ``position`` is the next position it will yield; keep it to resume later.

    >>> from relations import Event
    >>> from relations.store import MemoryStore
    >>> store = MemoryStore()
    >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
    >>> with store.subscribe() as sub:
    ...     first = next(sub)
    ...     sub.stop()
    ...     rest = list(sub)
    >>> first.event.id, rest
    ('t', [])
    """

    def __init__(
        self,
        store: StoreBase,
        from_position: int,
        poll_interval: float,
        stop: threading.Event | Callable[[], bool] | None,
        batch_size: int,
    ) -> None:
        if isinstance(from_position, bool) or not isinstance(from_position, int):
            raise InvalidArgument(f"from_position must be a position (int), not {from_position!r}")
        if not poll_interval > 0:
            raise InvalidArgument(f"poll_interval must be > 0 seconds, not {poll_interval!r}")
        self._store = store
        self.position = max(1, from_position)
        self._poll_interval = float(poll_interval)
        self._external = stop
        self._batch = max(1, int(batch_size))
        self._buffer: deque[RecordedEvent] = deque()
        self._stopped = False

    @property
    def stopped(self) -> bool:
        """True once stopped by :meth:`stop`, the ``stop`` argument, or a closed store.

        >>> from relations.store import MemoryStore
        >>> MemoryStore().subscribe(stop=lambda: True).stopped
        True
        """
        if self._stopped:
            return True
        ext = self._external
        if ext is None:
            return False
        return ext.is_set() if isinstance(ext, threading.Event) else bool(ext())

    def stop(self) -> None:
        """Stop: iteration ends (a blocked ``next()`` returns within moments).

        >>> from relations.store import MemoryStore
        >>> sub = MemoryStore().subscribe()
        >>> sub.stop(); list(sub)
        []
        """
        self._stopped = True
        self._store._notify()

    def poll(self, limit: int | None = None) -> list[RecordedEvent]:
        """The records available now (at most ``limit``), without waiting.

        >>> from relations import Event
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> _ = store.append("s", [Event(str(y), "trade", ["RUS"], "T") for y in (2023, 2024)])
        >>> sub = store.subscribe()
        >>> [r.position for r in sub.poll(limit=1)], [r.position for r in sub.poll()]
        ([1], [2])
        """
        out: list[RecordedEvent] = []
        while self._buffer and (limit is None or len(out) < limit):
            out.append(self._buffer.popleft())
        start = out[-1].position + 1 if out else self.position
        while not self._buffer and (limit is None or len(out) < limit):
            want = self._batch if limit is None else min(self._batch, limit - len(out))
            got = self._store.read_all(start, want)
            out.extend(got)
            if len(got) < want:
                break
            start = got[-1].position + 1
        if out:
            self.position = out[-1].position + 1
        return out

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> RecordedEvent:
        while True:
            if self.stopped or self._store.closed:
                self._stopped = True
                raise StopIteration
            if self._buffer:
                r = self._buffer.popleft()
                self.position = r.position + 1
                return r
            try:
                records = self._store.read_all(self.position, self._batch)
            except StoreClosed:  # closed while we were about to read: the iteration ends
                self._stopped = True
                raise StopIteration from None
            if records:
                self._buffer.extend(records)
                continue
            self._store._wait(self.position, self._poll_interval, lambda: self.stopped)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
