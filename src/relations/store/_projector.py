"""A projection fed from a store: it remembers its log position and catches up incrementally."""

from __future__ import annotations

import json
import threading
import warnings
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, runtime_checkable

from relations.errors import InvalidArgument, RelationsError, SnapshotIgnored
from relations.events import Event
from relations.projections import Folds, Projection, as_of_when
from relations.store._clock import now_micros
from relations.store._knowledge import Knowledge, ReadsLog
from relations.store._snapshots import (
    SCOPE_ALL,
    SnapshotRow,
    StoredSnapshot,
    digest_of,
    dump_state,
    problem_of,
    seal_row,
)

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["Projector"]

S = TypeVar("S")


@runtime_checkable
class KeepsSnapshots(Protocol):
    """What persisting snapshots needs of a store: reading and writing one row."""

    def _read_snapshot(self, name: str, version: str, scope: str) -> SnapshotRow | None: ...

    def _write_snapshot(self, row: SnapshotRow) -> None: ...


class Projector(Generic[S]):
    """Keeps a projection up to date with a store, in valid time, with snapshots.

    :meth:`catch_up` reads only the records after the last one it saw (``position``) and
    files each event at its place in timeline order: an event recorded late but dated early
    lands where it belongs, corrections replace the old version and retractions remove it.
    Only the snapshots after a changed place are recomputed, so new events at the end cost
    ``O(k)`` applies and ``as_of`` stays ``O(log n + k)``.

    A projection with a :attr:`~relations.projections.Projection.snapshot_name` can be
    persisted: :meth:`save_snapshot` keeps its state in the store, and a projector made later
    (another store object on the same file or database, in another process) resumes from it:
    it reads the log up to the snapshot's position without folding it, then folds only what
    came after (see :meth:`save_snapshot`).

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
        self._lock = threading.RLock()
        self.position = 0
        """The position of the last record taken into account (0: none yet)."""
        self._resume_pending = projection.snapshot_name is not None

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
            if self._resume_pending:
                self._resume_pending = False
                return self._resume() + self._catch_up()
            return self._catch_up()

    def _catch_up(self, upto: int | None = None) -> int:
        """Read the records after :attr:`position` (up to position ``upto``, if given)."""
        seen = 0
        folds, fold = self._folds, self._knowledge.apply
        while True:
            page = self._page if upto is None else min(self._page, upto - self.position)
            if page <= 0:
                return seen
            records = self._store.read_all(self.position + 1, page)
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
            if len(records) < page:
                return seen

    # -- persisted snapshots ----------------------------------------------------------------
    def _key(self) -> tuple[str, str, str]:
        p = self._folds.projection
        name = p.snapshot_name
        if not isinstance(name, str) or not name:
            raise InvalidArgument(
                f"{type(p).__name__} has no snapshot_name: give the projection a name "
                "(snapshot_name) to persist its snapshots"
            )
        return name, str(p.snapshot_version), SCOPE_ALL

    def _ignored(self, name: str, why: str) -> None:
        warnings.warn(
            f"snapshot {name!r} of {self._store!r} ignored: {why}; folding from the start",
            SnapshotIgnored,
            stacklevel=4,
        )

    def _resume(self) -> int:
        """Load the persisted snapshot, if any: read the log up to its position and take its
        state as the state after its events (a damaged or stale one is ignored, with a
        SnapshotIgnored warning); return how many records were read."""
        store = self._store
        if self.position or not isinstance(store, KeepsSnapshots):
            return 0
        key = self._key()
        name = key[0]
        row = store._read_snapshot(*key)
        if row is None:
            return 0
        problem = problem_of(row)
        if problem is not None:
            self._ignored(name, problem)
            return 0
        _n, _v, _s, position, events, digest, text, _us, _crc = row
        projection = self._folds.projection
        try:
            state = projection.decode_state(json.loads(text))
            hash(state)
        except (RelationsError, ValueError, TypeError, KeyError, AttributeError) as e:
            self._ignored(name, f"its state does not decode ({type(e).__name__}: {e})")
            return 0
        seen = self._catch_up(upto=position)
        folds = self._folds
        if self.position != position:
            self._ignored(name, f"it covers position {position}, the log ends at {self.position}")
        elif len(folds) != events or digest_of(e.id for e in folds.events) != digest:
            self._ignored(name, f"the log up to position {position} is not what it folded")
        else:
            folds.restore(events, state)
        return seen

    def save_snapshot(self, *, catch_up: bool = True) -> StoredSnapshot:
        """Keep the projection's state in the store, so that a projector made later resumes
        from it; return what was kept. Needs a projection with a ``snapshot_name``.

        The state after every event taken into account (caught up first, unless
        ``catch_up=False``) is encoded with the projection's ``encode_state`` as JSON (never
        pickle; it must decode back equal), with the log position it covers, and written in
        one transaction under ``(snapshot_name, snapshot_version)``, replacing the previous
        one. A projector made later reads the log up to that position without folding it,
        checks that it holds the events the snapshot folded, and folds only what came after.
        A snapshot written under another ``snapshot_version`` is never read.

        >>> from relations import Event
        >>> from relations.projections import Projection
        >>> from relations.store import MemoryStore
        >>> store = MemoryStore()
        >>> applied = []
        >>> def count(n, e):
        ...     applied.append(e.id)
        ...     return n + 1
        >>> counter = Projection.simple(0, count, snapshot_name="count")
        >>> _ = store.append("s", [Event(str(y), "trade", ["RUS"], "T") for y in (2022, 2023)])
        >>> store.project(counter).save_snapshot().events
        2
        >>> _ = store.append("s", [Event("2024", "trade", ["RUS"], "T")])
        >>> applied.clear()
        >>> store.project(counter).as_of(), len(applied)  # a new projector folds one event
        (3, 1)
        """
        key = self._key()
        projection = self._folds.projection
        with self._lock:
            if catch_up:
                self.catch_up()
            folds = self._folds
            n = len(folds)
            state = folds.state_after(n)
            text = dump_state(projection.encode_state(state))
            back: Any = projection.decode_state(json.loads(text))
            if back != state:
                raise InvalidArgument(
                    f"{type(projection).__name__}: decode_state(encode_state(state)) is not "
                    f"the state ({back!r:.80} != {state!r:.80}): the snapshot would be wrong"
                )
            digest = digest_of(e.id for e in folds.events)
            fields = (*key, self.position, n, digest, text)
            row: SnapshotRow = (*fields, now_micros(), seal_row(*fields))
            if not isinstance(self._store, KeepsSnapshots):
                raise InvalidArgument(f"{self._store!r} does not keep snapshots")
            self._store._write_snapshot(row)
            folds.restore(n, state)
        return StoredSnapshot.of(row)

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
