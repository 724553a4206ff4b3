"""A projection fed from a store: it remembers its log position and catches up incrementally."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Generic, TypeVar

from relations.events import Event
from relations.projections import Folds, Projection, as_of_when
from relations.store._knowledge import Knowledge, ReadsLog

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["Projector"]

S = TypeVar("S")


class Projector(Generic[S]):
    """Keeps a projection up to date with a store, in valid time, with snapshots.

    :meth:`catch_up` reads only the records after the last one it saw (``position``) and
    files each event at its place in timeline order: an event recorded late but dated early
    lands where it belongs, corrections replace the old version and retractions remove it.
    Only the snapshots after a changed place are recomputed, so new events at the end cost
    ``O(k)`` applies and ``as_of`` stays ``O(log n + k)``.

    >>> from relations import Event
    >>> from relations.projections import Projection
    >>> from relations.store import MemoryStore
    >>> store = MemoryStore()
    >>> counter = store.project(Projection.simple(0, lambda n, e: n + 1))
    >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "T2024")])
    >>> counter.as_of(), counter.position
    (1, 1)
    >>> _ = store.append("s", [Event("2020", "trade", ["RUS", "PRK"], "T2020")])
    >>> counter.as_of("2021"), counter.as_of(), counter.position
    (1, 2, 2)
    """

    def __init__(
        self,
        store: ReadsLog,
        projection: Projection[S],
        *,
        every: int = 256,
        page: int = 5_000,
    ) -> None:
        self._store = store
        self._folds: Folds[S] = Folds(projection, every=every)
        self._knowledge = Knowledge()
        self._page = max(1, page)
        self._lock = threading.Lock()
        self.position = 0
        """The position of the last record taken into account (0: none yet)."""

    @property
    def projection(self) -> Projection[S]:
        """The projection being kept up to date.

        >>> from relations.relationship import Relationship
        >>> from relations.store import MemoryStore
        >>> MemoryStore().project(Relationship("RUS", "PRK")).projection
        Relationship('RUS', 'PRK')
        """
        return self._folds.projection

    def catch_up(self) -> int:
        """Read and apply the records recorded since the last call; return how many.

        >>> from relations import Event
        >>> from relations.projections import Projection
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> p = store.project(Projection.simple(0, lambda n, e: n + 1))
        >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "T")])
        >>> p.catch_up(), p.catch_up()
        (1, 0)
        """
        with self._lock:
            seen = 0
            folds, fold = self._folds, self._knowledge.apply
            while True:
                records = self._store.read_all(self.position + 1, self._page)
                pending: list[Event] = []  # new events go in together, amendments one by one
                for r in records:
                    removed, added = fold(r)
                    if removed is None:
                        if added is not None:
                            pending.append(added)
                    else:
                        folds.add_many(pending)
                        pending = []
                        folds.remove(removed)
                        if added is not None:
                            folds.add(added)
                    self.position = r.position
                folds.add_many(pending)
                seen += len(records)
                if len(records) < self._page:
                    return seen

    def as_of(self, day: object = None, *, catch_up: bool = True) -> S:
        """The projection's state on ``day`` (None: after every event), caught up first.

        >>> from relations.projections import Projection
        >>> from relations.store import MemoryStore
        >>> MemoryStore().project(Projection.simple(0, lambda n, e: n + 1)).as_of("2024")
        0
        """
        if catch_up:
            self.catch_up()
        w = as_of_when(day)
        with self._lock:
            return self._folds.state_as_of(w)

    def timeline(self) -> Timeline:
        """The current knowledge this projector holds, as a Timeline.

        >>> from relations.projections import Projection
        >>> from relations.store import MemoryStore
        >>> len(MemoryStore().project(Projection.simple(0, lambda n, e: n + 1)).timeline())
        0
        """
        from relations._timeline import Timeline

        with self._lock:
            return Timeline._from_sorted(self._folds.events)
