"""An in-memory store: the reference engine, for tests, notebooks and short-lived analyses.

It keeps the recorded events in a list (nothing is serialised, so nothing is upcast) and has
exactly the behaviour of the other engines: it passes the same conformance suite
(:class:`relations.store.conformance.StoreConformance`). It is thread-safe; it is not shared between
processes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from relations.events import Event
from relations.store._base import StoreBase, check_range, duplicate_error
from relations.store._clock import from_micros, to_micros
from relations.store._codec import Batch, Row, encode, type_of
from relations.store._records import Recordable, RecordedEvent

if TYPE_CHECKING:
    import pendulum

__all__ = ["MemoryStore"]

_T = TypeVar("_T")


class MemoryStore(StoreBase):
    """A store that keeps everything in memory (gone when the object is).

    ``clock`` returns the time to stamp on each append (UTC ``pendulum.DateTime``; default: now).

    >>> from relations import Event
    >>> from relations.store import NO_STREAM
    >>> with MemoryStore() as store:
    ...     store.append("rus-prk", [Event("2024-06-19", "agreement.treaty.signed",
    ...                                    ["RUS", "PRK"], "Treaty signed", id="t")],
    ...                  expected_version=NO_STREAM).positions
    ...     store.version("rus-prk"), store.streams()
    (1,)
    (1, ['rus-prk'])
    """

    def __init__(self, *, clock: Callable[[], pendulum.DateTime] | None = None) -> None:
        super().__init__(clock)
        self._records: list[RecordedEvent] = []
        self._by_id: dict[str, int] = {}
        self._streams: dict[str, list[int]] = {}
        self._amendments: dict[str, list[int]] = {}
        self._last_us: int | None = None
        self._closed = False

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{len(self._records)} records"
        return f"<MemoryStore: {state}>"

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called.

        >>> s = MemoryStore(); s.close(); s.closed
        True
        """
        return self._closed

    def close(self) -> None:
        """Close the store (idempotent); later operations raise StoreClosed.

        >>> s = MemoryStore(); s.close(); s.close()
        >>> s.streams()
        Traceback (most recent call last):
        ...
        relations.errors.StoreClosed: MemoryStore is closed
        """
        with self._lock:
            self._closed = True
            self._appended.notify_all()

    # -- writing: the primitives of StoreBase.append ----------------------------------------
    def _in_write_transaction(self, fn: Callable[[], _T]) -> _T:
        return fn()  # the store's lock, held by the caller, is the transaction

    def _encode(self, items: Sequence[Recordable]) -> Sequence[Row]:
        return ()  # nothing is serialised

    def _head(self, stream: str) -> tuple[int, int | None, int]:
        return len(self._records), self._last_us, len(self._streams.get(stream, ()))

    def _find(self, items: Sequence[Recordable], rows: Sequence[Row]) -> list[int | None]:
        found: list[int | None] = []
        for item in items:
            j = self._by_id.get(item.id)
            if j is None:
                found.append(None)
                continue
            old = self._records[j]
            if old.event != item:
                where = f"at position {old.position} in stream {old.stream!r}"
                raise duplicate_error(item, old.event, where)
            found.append(old.position)
        return found

    def _write_batch(self, batch: Batch) -> None:
        stream, first_version = batch.stream, batch.first_version
        self._last_us = batch.us
        recorded_at = from_micros(batch.us)
        indexes = self._streams.setdefault(stream, [])
        for n, item in enumerate(batch.items):
            pos = batch.first_position + n
            self._records.append(RecordedEvent(pos, stream, first_version + n, recorded_at, item))
            self._by_id[item.id] = pos - 1
            indexes.append(pos - 1)
            if not isinstance(item, Event):
                self._amendments.setdefault(item.event_id, []).append(pos - 1)

    # -- reading --------------------------------------------------------------------------
    def _read_stream(
        self, stream: str, first: int, last: int | None, backwards: bool, limit: int | None
    ) -> list[RecordedEvent]:
        with self._lock:
            self._check_open()
            indexes = self._streams.get(stream, [])
            hi = len(indexes) if last is None else min(last, len(indexes))
            records = [self._records[i] for i in indexes[max(first, 1) - 1 : hi]]
        if backwards:
            records.reverse()
        return records if limit is None else records[:limit]

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[RecordedEvent]:
        """Every record from ``from_position`` on, in log order (at most ``limit``).

        >>> from relations import Event
        >>> store = MemoryStore()
        >>> _ = store.append("a", [Event("2024", "trade", ["RUS", "PRK"], "T")])
        >>> _ = store.append("b", [Event("2023", "trade", ["RUS", "PRK"], "T")])
        >>> [(r.position, r.stream) for r in store.read_all()]
        [(1, 'a'), (2, 'b')]
        """
        check_range(from_position, None, limit)
        with self._lock:
            self._check_open()
            start = max(from_position, 1) - 1
            stop = None if limit is None else start + limit
            return self._records[start:stop]

    def streams(self) -> list[str]:
        """The names of every stream, sorted.

        >>> MemoryStore().streams()
        []
        """
        with self._lock:
            self._check_open()
            return sorted(self._streams)

    def version(self, stream: str) -> int:
        """The version of ``stream``: how many records it holds (0 if it does not exist).

        >>> MemoryStore().version("nothing")
        0
        """
        with self._lock:
            self._check_open()
            return len(self._streams.get(stream, ()))

    def _raw_rows(self, from_position: int, limit: int) -> list[tuple[Any, ...]]:
        return [
            (
                r.position,
                r.stream,
                r.version,
                to_micros(r.recorded_at),
                type_of(r.event),
                encode(r.event),
            )
            for r in self._records[from_position - 1 : from_position - 1 + limit]
        ]

    def _records_of_locked(self, event_id: str) -> list[RecordedEvent]:
        j = self._by_id.get(event_id)
        if j is None:
            return []
        return [self._records[j]] + [self._records[k] for k in self._amendments.get(event_id, ())]

    def _wait(self, position: int, timeout: float, cancelled: Callable[[], bool]) -> None:
        with self._appended:
            if len(self._records) >= position or self._closed or cancelled():
                return
            self._appended.wait(timeout)
