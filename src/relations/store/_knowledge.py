"""Knowledge: the log folded into the current version of every event (internal).

Both :meth:`StoreBase.timeline <relations.store.StoreBase.timeline>` and
:class:`~relations.store.Projector` fold the log the same way: an event counts as first
recorded, its corrections replace it in the order they were recorded, a retraction withdraws
it. They read the log through :class:`ReadsLog`, the one method they need of a store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from relations import _gc
from relations.errors import InvalidEvent, UnknownEvent
from relations.events import Event, event_order
from relations.store._clock import to_micros
from relations.store._records import Correction, RecordedEvent

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["Knowledge", "ReadsLog"]


class ReadsLog(Protocol):
    """What folding the log needs of a store: reading it in order, a page at a time."""

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[RecordedEvent]:
        """Every record from ``from_position`` on, in order (at most ``limit``)."""
        ...


class Knowledge:
    """The current version of every event, folded from records in log order.

    Not thread-safe by itself; its owner guards it with a lock.

    >>> from relations import Event
    >>> from relations.store import MemoryStore, Retraction
    >>> store = MemoryStore()
    >>> _ = store.append("s", [Event("2024", "trade", ["RUS"], "T", id="t")])
    >>> _ = store.append("s", [Retraction("t", "duplicate")])
    >>> k = Knowledge()
    >>> [tuple(e and e.id for e in k.apply(r)) for r in store.read_all()]
    [(None, 't'), ('t', None)]
    """

    __slots__ = ("_last", "_timeline", "events", "position", "retracted")

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}
        self.retracted: set[str] = set()
        self.position = 0
        self._last: Any = None  # recorded_at of the last record taken
        self._timeline: Timeline | None = None

    @property
    def recorded_until(self) -> int:
        """``recorded_at`` of the last record taken, in microseconds (very low if none)."""
        return -(2**63) if self._last is None else to_micros(self._last)

    def apply(self, record: RecordedEvent) -> tuple[Event | None, Event | None]:
        """Take one record into account (records must come in position order).

        Returns what changed in the current, unretracted knowledge: the version taken out and
        the version put in (None for none; both None when nothing visible changed).
        """
        change = self._fold(record)
        self.position = record.position
        self._last = record.recorded_at
        self._timeline = None
        return change

    def _fold(self, record: RecordedEvent) -> tuple[Event | None, Event | None]:
        item = record.event
        if isinstance(item, Event):
            if self.events.setdefault(item.id, item) is item:
                return None, item
            return None, None
        current = self.events.get(item.event_id)
        if current is None:
            raise UnknownEvent(
                f"position {record.position}: {type(item).__name__.lower()} {item.id!r} "
                f"names unknown event {item.event_id!r}"
            )
        visible = item.event_id not in self.retracted
        if isinstance(item, Correction):
            try:
                new = self.events[item.event_id] = item.apply(current)
            except InvalidEvent as e:
                raise type(e)(f"position {record.position}: {e}") from None
            return (current, new) if visible else (None, None)
        self.retracted.add(item.event_id)
        return (current, None) if visible else (None, None)

    def timeline(self) -> Timeline:
        """The Timeline of the current, unretracted versions (cached until the next change)."""
        if self._timeline is None:
            from relations._timeline import Timeline

            gone = self.retracted
            current = (
                self.events.values()
                if not gone
                else [e for i, e in self.events.items() if i not in gone]
            )
            # ids are unique here: sort once and use the trusted constructor (with the cyclic
            # collector paused: it would otherwise rescan the whole heap for the new keys)
            with _gc.paused(len(current), threshold=2_000):
                self._timeline = Timeline._from_sorted(sorted(current, key=event_order))
        return self._timeline

    def catch_up(self, log: ReadsLog, until: int | None = None, page: int = 10_000) -> None:
        """Read and take the records of ``log`` after :attr:`position` (recorded by ``until``
        microseconds, if given)."""
        last_at: Any = None
        late = False
        while True:
            records = log.read_all(self.position + 1, page)
            for r in records:
                if until is not None:
                    if r.recorded_at is not last_at:  # one conversion per batch
                        last_at = r.recorded_at
                        late = to_micros(last_at) > until
                    if late:
                        return  # recorded_at never decreases along the log
                self.apply(r)
            if len(records) < page:
                return
