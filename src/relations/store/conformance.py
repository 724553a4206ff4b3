# ruff: noqa: PT009, PT027  (a unittest.TestCase, so that unittest and pytest both run it)
"""The store conformance suite: the behaviour every store engine must have.

:class:`StoreConformance` is what every engine passes, like ``eventsourcing``'s recorder test
cases: subclass it, say how to make a store, and run it with pytest or unittest (it needs the
``test`` extra: hypothesis). Use it through :mod:`relations.testing`, which re-exports it with
:class:`ManualClock` and gives it its event strategy::

    from relations.testing import StoreConformance

    class TestMyStore(StoreConformance):
        def create_store(self, clock):
            return MyStore(clock=clock)

It checks order, gapless positions, expected-version clashes, atomic batches, idempotency,
ranged and backward reads, subscriptions, amendments and the two times, closing, and
concurrent writers (threads, and processes when :meth:`StoreConformance.process_factory`
says how to open the same store elsewhere).

>>> clock = ManualClock("2025-01-01T00:00:00Z")
>>> str(clock()), str(clock())
('2025-01-01 00:00:00+00:00', '2025-01-01 00:00:01+00:00')
"""

from __future__ import annotations

import datetime as _dt
import multiprocessing
import shutil
import tempfile
import threading
import unittest
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relations.errors import (
    ConcurrencyError,
    DuplicateEvent,
    InvalidArgument,
    InvalidDate,
    InvalidEvent,
    StoreClosed,
    UnknownEvent,
)
from relations.events import Event, Source
from relations.projections import Projection
from relations.quantities import Quantity
from relations.store import (
    ANY,
    NO_STREAM,
    Correction,
    RecordedEvent,
    Retraction,
    Store,
)

__all__ = ["ManualClock", "StoreConformance"]


# ---- a clock for tests --------------------------------------------------------------------


class ManualClock:
    """A clock for stores in tests: each call returns the current time, then steps forward.

    >>> clock = ManualClock("2025-01-15", step=0)
    >>> clock.set("2025-02-01T12:00:00Z"); str(clock())
    '2025-02-01 12:00:00+00:00'
    >>> clock.advance(days=1); str(clock.now)
    '2025-02-02 12:00:00+00:00'
    """

    def __init__(self, start: object = "2025-01-01T00:00:00Z", *, step: float = 1.0) -> None:
        self.now = _to_datetime(start)
        self.step = _dt.timedelta(seconds=step)
        self._lock = threading.Lock()

    def __call__(self) -> pendulum.DateTime:
        with self._lock:
            now = self.now
            self.now = now + self.step
            return now

    def set(self, when: object) -> None:
        """Jump to ``when`` (a datetime or an ISO 8601 string; naive means UTC)."""
        with self._lock:
            self.now = _to_datetime(when)

    def advance(self, **delta: float) -> None:
        """Move forward by a ``timedelta(**delta)``."""
        with self._lock:
            self.now = self.now + _dt.timedelta(**delta)


def _to_datetime(value: object) -> pendulum.DateTime:
    if isinstance(value, str):
        parsed = pendulum.parse(value, tz="UTC")
        if not isinstance(parsed, pendulum.DateTime):
            raise InvalidDate(f"not a date and time: {value!r}")
        return parsed.in_timezone("UTC")
    if isinstance(value, _dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=_dt.UTC)
        return pendulum.instance(aware).in_timezone("UTC")
    raise InvalidDate(f"not a date and time: {value!r}")


# ---- workers for the multi-process test (module level: importable by spawned processes) -------


def _event(n: int, prefix: str, when: str = "2024-06-19") -> Event:
    return Event(
        when,
        "diplomacy.meeting",
        ["RUS", "PRK"],
        f"{prefix} meeting {n}",
        id=f"{prefix}-{n}",
        quantities={"delegates": n},
    )


def _process_writer(
    factory: Callable[..., Store],
    args: tuple[Any, ...],
    prefix: str,
    count: int,
    barrier: Any,
) -> None:
    """Append ``count`` events from another process: half one by one to its own stream,
    half in batches of 5 to a shared stream, and one optimistic-concurrency counter loop."""
    store = factory(*args)
    try:
        barrier.wait(60)
        half = count // 2
        for n in range(half):
            store.append(f"proc-{prefix}", [_event(n, prefix)])
        for n in range(half, count, 5):
            batch = [_event(m, prefix) for m in range(n, min(n + 5, count))]
            store.append("shared", batch)
        while True:  # read-modify-write with expected_version, retried on a clash
            v = store.version("counter")
            try:
                store.append("counter", [_event(v, f"counter-{prefix}")], expected_version=v)
                break
            except ConcurrencyError:
                continue
    finally:
        store.close()


# ---- the conformance suite -----------------------------------------------------------------


class StoreConformance(unittest.TestCase):
    """The behaviour every store engine must have; subclass it and implement ``create_store``.

    ``create_store(clock)`` returns a new, empty store that stamps records with ``clock``.
    Optional hooks: ``reopen_store(store, clock)`` (a second store object on the same data,
    for engines that persist) and ``process_factory(store)`` (an importable callable and plain
    arguments that open the same store in another process).

    >>> StoreConformance.__test__, type("TestX", (StoreConformance,), {}).__test__
    (False, True)
    """

    __test__: ClassVar[bool] = False  # the abstract suite itself is not collected by pytest
    #: Threads in the concurrent-writer test, and appends per thread.
    writer_threads: ClassVar[int] = 6
    appends_per_thread: ClassVar[int] = 20
    #: Processes in the multi-process test, and events per process.
    writer_processes: ClassVar[int] = 3
    events_per_process: ClassVar[int] = 40

    #: The hypothesis strategy of events the model test draws from: ``events`` of
    #: :mod:`relations.testing`, which sets it (the suite is used through that module).
    event_strategy: ClassVar[Callable[..., Any] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__test__" not in cls.__dict__:
            cls.__test__ = True

    # -- hooks ---------------------------------------------------------------------------------
    def create_store(self, clock: Callable[[], pendulum.DateTime]) -> Store:
        """A new, empty store stamping records with ``clock`` (implement this)."""
        raise NotImplementedError

    def reopen_store(self, store: Store, clock: Callable[[], pendulum.DateTime]) -> Store | None:
        """Another store object on the same data as ``store`` (None: not supported)."""
        return None

    def process_factory(self, store: Store) -> tuple[Callable[..., Store], tuple[Any, ...]] | None:
        """``(factory, args)`` so that ``factory(*args)`` opens ``store``'s data in another
        process (None: the engine is not shared between processes)."""
        return None

    # -- fixtures --------------------------------------------------------------------------------
    def setUp(self) -> None:
        if type(self).create_store is StoreConformance.create_store:
            self.skipTest("StoreConformance is abstract: implement create_store")
        self.clock = ManualClock("2025-01-01T00:00:00Z")
        self.store = self.new_store()

    def new_store(self, clock: Callable[[], pendulum.DateTime] | None = None) -> Store:
        """A new store (closed when the test ends)."""
        store = self.create_store(clock or self.clock)
        self.addCleanup(store.close)
        return store

    def temp_dir(self) -> Path:
        """A temporary directory removed when the test ends (for file-based engines)."""
        path = Path(tempfile.mkdtemp(prefix="relations-store-test-"))
        self.addCleanup(shutil.rmtree, path, True)
        return path

    @staticmethod
    def event(n: int, prefix: str = "e", when: str = "2024-06-19") -> Event:
        """A small event with id ``f"{prefix}-{n}"``."""
        return _event(n, prefix, when)

    def assert_gapless(self, records: Sequence[RecordedEvent]) -> None:
        """Positions are 1..n in order; each stream's versions are 1..k in order."""
        self.assertEqual([r.position for r in records], list(range(1, len(records) + 1)))
        per_stream: dict[str, list[int]] = {}
        for r in records:
            per_stream.setdefault(r.stream, []).append(r.version)
        for stream, versions in per_stream.items():
            self.assertEqual(versions, list(range(1, len(versions) + 1)), stream)

    # -- the contract ---------------------------------------------------------------------------
    def test_is_a_store(self) -> None:
        self.assertIsInstance(self.store, Store)
        self.assertFalse(self.store.closed)

    def test_empty(self) -> None:
        s = self.store
        self.assertEqual(s.read_all(), [])
        self.assertEqual(s.streams(), [])
        self.assertEqual(s.version("x"), 0)
        self.assertEqual(s.read("x"), [])
        self.assertEqual(len(s.timeline()), 0)
        self.assertEqual(s.subscribe().poll(), [])

    def test_append_assigns_positions_versions_and_time(self) -> None:
        s = self.store
        self.clock.set("2025-01-10T08:00:00Z")
        r1 = s.append("a", [self.event(1), self.event(2)])
        r2 = s.append("b", [self.event(3)])
        r3 = s.append("a", [self.event(4)])
        self.assertEqual((r1.positions, r2.positions, r3.positions), ((1, 2), (3,), (4,)))
        self.assertEqual((r1.version, r2.version, r3.version), (2, 1, 3))
        self.assertEqual(r1.already_present, (False, False))
        records = s.read_all()
        self.assert_gapless(records)
        self.assertEqual([r.stream for r in records], ["a", "a", "b", "a"])
        self.assertEqual([r.version for r in records], [1, 2, 1, 3])
        self.assertEqual([r.event for r in records], [self.event(n) for n in (1, 2, 3, 4)])
        # one batch, one timestamp; UTC; from the injected clock
        self.assertEqual(records[0].recorded_at, records[1].recorded_at)
        self.assertEqual(records[0].recorded_at, pendulum.datetime(2025, 1, 10, 8))
        self.assertEqual(records[0].recorded_at.utcoffset(), _dt.timedelta(0))
        self.assertLess(records[1].recorded_at, records[2].recorded_at)
        self.assertEqual(s.streams(), ["a", "b"])
        self.assertEqual((s.version("a"), s.version("b")), (3, 1))

    def test_recorded_at_is_utc_and_never_decreases(self) -> None:
        s = self.store
        self.clock.set("2025-03-01T12:00:00+02:00")
        s.append("a", [self.event(1)])
        self.clock.set("2025-02-01T00:00:00Z")  # the clock goes back
        s.append("a", [self.event(2)])
        first, second = s.read_all()
        self.assertEqual(first.recorded_at, pendulum.datetime(2025, 3, 1, 10))
        self.assertEqual(first.recorded_at.timezone_name, "UTC")
        self.assertGreaterEqual(second.recorded_at, first.recorded_at)

    def test_expected_version(self) -> None:
        s = self.store
        s.append("a", [self.event(1)], expected_version=NO_STREAM)
        s.append("a", [self.event(2)], expected_version=1)
        s.append("a", [self.event(3)], expected_version=ANY)
        with self.assertRaises(ConcurrencyError) as caught:
            s.append("a", [self.event(4)], expected_version=NO_STREAM)
        self.assertIn("'a'", str(caught.exception))
        self.assertIn("no stream", str(caught.exception))
        self.assertIn("3", str(caught.exception))
        with self.assertRaises(ConcurrencyError) as caught:
            s.append("a", [self.event(4)], expected_version=1)
        msg = str(caught.exception)
        self.assertIn("'a'", msg)
        self.assertIn("version 1", msg)
        self.assertIn("version 3", msg)
        with self.assertRaises(ConcurrencyError):
            s.append("new", [self.event(4)], expected_version=2)
        self.assertEqual(s.version("a"), 3)
        self.assertEqual(len(s.read_all()), 3)
        s.append("new", [self.event(4)], expected_version=0)  # 0 is "no stream" too
        for bad in (-1, "1", 1.5, True, None):
            with self.assertRaises(InvalidArgument):
                s.append("a", [self.event(9)], expected_version=bad)  # type: ignore[arg-type]

    def test_empty_batch(self) -> None:
        s = self.store
        result = s.append("a", [])
        self.assertEqual((result.positions, result.version), ((), 0))
        with self.assertRaises(ConcurrencyError):
            s.append("a", [], expected_version=3)
        self.assertEqual(s.read_all(), [])

    def test_batches_are_atomic(self) -> None:
        s = self.store
        s.append("a", [self.event(1)])
        clash = self.event(1).evolve(title="different")  # same id, other content
        with self.assertRaises(DuplicateEvent):
            s.append("a", [self.event(2), self.event(3), clash])
        with self.assertRaises(UnknownEvent):
            s.append("a", [self.event(2), Retraction("nowhere", "no such event")])
        with self.assertRaises(ConcurrencyError):
            s.append("a", [self.event(2), self.event(3)], expected_version=5)
        self.assertEqual([r.event.id for r in s.read_all()], ["e-1"])
        self.assertEqual(s.version("a"), 1)
        self.assertEqual(s.streams(), ["a"])

    def test_idempotent_appends(self) -> None:
        s = self.store
        first = s.append("a", [self.event(1), self.event(2)])
        again = s.append("a", [self.event(1), self.event(2)], expected_version=NO_STREAM)
        self.assertEqual(again.positions, first.positions)
        self.assertEqual(again.already_present, (True, True))
        self.assertEqual(again.written, 0)
        mixed = s.append("a", [self.event(2), self.event(3)])
        self.assertEqual(mixed.positions, (2, 3))
        self.assertEqual(mixed.already_present, (True, False))
        elsewhere = s.append("b", [self.event(1)])  # already recorded in stream "a"
        self.assertEqual((elsewhere.positions, elsewhere.already_present), ((1,), (True,)))
        self.assertEqual(s.streams(), ["a"])
        self.assert_gapless(s.read_all())
        self.assertEqual(len(s.read_all()), 3)

    def test_same_id_different_content(self) -> None:
        s = self.store
        s.append("a", [self.event(1)])
        with self.assertRaises(DuplicateEvent) as caught:
            s.append("b", [self.event(1).evolve(title="changed")])
        self.assertIn("e-1", str(caught.exception))
        self.assertIn("title", str(caught.exception))

    def test_duplicates_within_a_batch(self) -> None:
        s = self.store
        result = s.append("a", [self.event(1), self.event(1), self.event(2)])
        self.assertEqual(result.positions, (1, 1, 2))
        self.assertEqual(result.already_present, (False, False, False))
        self.assertEqual(len(s.read_all()), 2)
        with self.assertRaises(DuplicateEvent):
            s.append("a", [self.event(3), self.event(3).evolve(title="other")])
        self.assertEqual(len(s.read_all()), 2)

    def test_rejects_what_is_not_an_event(self) -> None:
        with self.assertRaises(InvalidEvent):
            self.store.append("a", [{"title": "a dict"}])  # type: ignore[list-item]
        for stream in ("", "  ", None, 3):
            with self.assertRaises(InvalidArgument):
                self.store.append(stream, [self.event(1)])  # type: ignore[arg-type]
        self.assertEqual(self.store.read_all(), [])

    def test_read_ranges(self) -> None:
        s = self.store
        s.append("a", [self.event(n) for n in range(1, 6)])
        s.append("b", [self.event(n) for n in range(6, 8)])

        def versions(**kw: Any) -> list[int]:
            return [r.version for r in s.read("a", **kw)]

        self.assertEqual(versions(), [1, 2, 3, 4, 5])
        self.assertEqual(versions(from_version=2, to_version=4), [2, 3, 4])
        self.assertEqual(versions(from_version=4), [4, 5])
        self.assertEqual(versions(to_version=2), [1, 2])
        self.assertEqual(versions(backwards=True), [5, 4, 3, 2, 1])
        self.assertEqual(versions(backwards=True, limit=1), [5])
        self.assertEqual(versions(from_version=2, to_version=4, backwards=True), [4, 3, 2])
        self.assertEqual(versions(limit=2), [1, 2])
        self.assertEqual(versions(limit=0), [])
        self.assertEqual(versions(from_version=9), [])
        self.assertEqual(versions(from_version=4, to_version=2), [])
        self.assertEqual([r.position for r in s.read("b")], [6, 7])
        self.assertEqual(s.read("nothing"), [])
        with self.assertRaises(InvalidArgument):
            s.read("a", limit=-1)

    def test_read_all_ranges(self) -> None:
        s = self.store
        for n in range(1, 8):
            s.append("a" if n % 2 else "b", [self.event(n)])

        def positions(**kw: Any) -> list[int]:
            return [r.position for r in s.read_all(**kw)]

        self.assertEqual(positions(), list(range(1, 8)))
        self.assertEqual(positions(from_position=3), [3, 4, 5, 6, 7])
        self.assertEqual(positions(from_position=3, limit=2), [3, 4])
        self.assertEqual(positions(from_position=0, limit=1), [1])
        self.assertEqual(positions(from_position=8), [])
        self.assertEqual(positions(limit=0), [])
        with self.assertRaises(InvalidArgument):
            s.read_all(limit=-2)

    def _events(self, **kwargs: Any) -> Any:
        strategy = type(self).event_strategy
        if strategy is None:
            self.skipTest("no event strategy: use the suite through relations.testing")
        return strategy(**kwargs)

    def test_matches_a_reference_model(self) -> None:
        """Random batches behave like a plain list of (stream, event) without repeats."""
        batches = st.lists(
            st.tuples(
                st.sampled_from(["s1", "s2", "s3"]),
                st.lists(self._events(with_id=True), min_size=0, max_size=4),
            ),
            max_size=6,
        )

        @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(batches)
        def check(batches: list[tuple[str, list[Event]]]) -> None:
            store = self.create_store(ManualClock())
            try:
                self._check_against_model(store, batches)
            finally:
                store.close()

        check()

    def _check_against_model(self, store: Store, batches: list[tuple[str, list[Event]]]) -> None:
        log: list[tuple[str, Event]] = []
        ids: dict[str, Event] = {}
        for stream, batch in batches:
            new: list[Event] = []
            clash = False
            for e in batch:
                known = ids.get(e.id) or next((x for x in new if x.id == e.id), None)
                if known is not None and known != e:
                    clash = True
                elif known is None:
                    new.append(e)
            if clash:
                with self.assertRaises(DuplicateEvent):
                    store.append(stream, batch)
                continue
            store.append(stream, batch)
            for e in new:
                ids[e.id] = e
                log.append((stream, e))
        records = store.read_all()
        self.assertEqual([(r.stream, r.event) for r in records], log)
        self.assert_gapless(records)
        for stream in ("s1", "s2", "s3"):
            mine = [e for s, e in log if s == stream]
            self.assertEqual([r.event for r in store.read(stream)], mine)
            self.assertEqual(store.version(stream), len(mine))
        self.assertEqual(sorted(e.id for e in store.timeline()), sorted(ids))

    # -- subscriptions ------------------------------------------------------------------------
    def test_subscription_catches_up_then_follows(self) -> None:
        s = self.store
        s.append("a", [self.event(1), self.event(2)])
        sub = s.subscribe()
        self.assertEqual([r.position for r in sub.poll()], [1, 2])
        self.assertEqual(sub.poll(), [])
        s.append("b", [self.event(3)])
        s.append("a", [self.event(4), self.event(5)])
        self.assertEqual([r.position for r in sub.poll(limit=2)], [3, 4])
        self.assertEqual(sub.position, 5)
        self.assertEqual([r.event.id for r in sub.poll()], ["e-5"])
        late = s.subscribe(from_position=4)
        self.assertEqual([r.position for r in late.poll()], [4, 5])
        with self.assertRaises(InvalidArgument):
            s.subscribe(poll_interval=0)

    def test_subscription_iterates_across_threads(self) -> None:
        s = self.store
        s.append("a", [self.event(1)])
        got: list[int] = []
        ready = threading.Event()
        errors: list[BaseException] = []
        with s.subscribe(poll_interval=0.02) as sub:

            def consume() -> None:
                try:
                    for r in sub:
                        got.append(r.position)
                        ready.set()
                        if len(got) == 6:
                            sub.stop()
                except BaseException as e:  # pragma: no cover - reported below
                    errors.append(e)

            t = threading.Thread(target=consume, daemon=True)
            t.start()
            self.assertTrue(ready.wait(10))
            for n in range(2, 7):
                s.append("a", [self.event(n)])
            t.join(10)
            self.assertFalse(t.is_alive())
        self.assertEqual(errors, [])
        self.assertEqual(got, [1, 2, 3, 4, 5, 6])

    def test_subscription_stops(self) -> None:
        s = self.store
        s.append("a", [self.event(1)])
        sub = s.subscribe()
        sub.stop()
        self.assertTrue(sub.stopped)
        self.assertEqual(list(sub), [])
        flag = threading.Event()
        flag.set()
        self.assertEqual(list(s.subscribe(stop=flag)), [])
        self.assertEqual(list(s.subscribe(stop=lambda: True)), [])
        # stopping from another thread wakes a blocked iteration
        blocked = s.subscribe(from_position=2, poll_interval=30)
        done = threading.Event()
        out: list[RecordedEvent] = []

        def run() -> None:
            out.extend(blocked)
            done.set()

        t = threading.Thread(target=run, daemon=True)
        t.start()
        blocked.stop()
        self.assertTrue(done.wait(10))
        self.assertEqual(out, [])

    def test_subscription_ends_when_the_store_closes(self) -> None:
        s = self.store
        sub = s.subscribe(poll_interval=30)
        done = threading.Event()

        def run() -> None:
            list(sub)
            done.set()

        t = threading.Thread(target=run, daemon=True)
        t.start()
        s.close()
        self.assertTrue(done.wait(10))

    # -- amendments and the two times ------------------------------------------------------------
    def _casualties(self) -> Event:
        return Event(
            "2024-12/2025-01",
            "military.casualties",
            ["PRK", "RUS"],
            "DPRK casualties in Kursk",
            id="cas",
            quantities={"casualties": Quantity.about(3000, "people")},
        )

    def test_corrections(self) -> None:
        s = self.store
        self.clock.set("2025-01-15T10:00:00Z")
        s.append("kursk", [self._casualties()])
        self.clock.set("2025-01-22T10:00:00Z")
        fix = Correction(
            "cas",
            {"quantities.casualties": Quantity.about(4000, "people")},
            "UK MoD estimate",
            source=Source("BBC"),
        )
        result = s.append("kursk", [fix])
        self.assertEqual(result.version, 2)
        self.assertEqual(s.append("kursk", [fix]).already_present, (True,))  # idempotent
        now = {e.id: e for e in s.timeline()}
        self.assertEqual(now["cas"].quantities["casualties"], Quantity.about(4000, "people"))
        before = {e.id: e for e in s.timeline(known_at="2025-01-20")}
        self.assertEqual(before["cas"].quantities["casualties"], Quantity.about(3000, "people"))
        exact = s.timeline(known_at=pendulum.datetime(2025, 1, 22, 10))
        self.assertEqual(next(iter(exact)).quantities["casualties"], Quantity.about(4000, "people"))
        history = s.history("cas")
        self.assertEqual([h.position for h in history], [1, 2])
        self.assertEqual(history[0].amendment, None)
        self.assertEqual(history[1].amendment, fix)
        self.assertEqual(history[1].recorded_at, pendulum.datetime(2025, 1, 22, 10))
        self.assertEqual(history[1].event.id, "cas")
        # valid time composes with record time: the Timeline's own queries
        known = s.timeline(known_at="2025-01-20").of_kind("military.casualties")
        self.assertEqual(len(known.between("2024-12", "2025-01")), 1)

    def test_retractions(self) -> None:
        s = self.store
        self.clock.set("2025-01-15T10:00:00Z")
        s.append("kursk", [self._casualties(), self.event(1)])
        self.clock.set("2025-02-01T00:00:00Z")
        s.append("kursk", [Retraction("cas", "no reliable source", source="Fact check")])
        self.assertEqual([e.id for e in s.timeline()], ["e-1"])
        self.assertEqual(sorted(e.id for e in s.timeline(known_at="2025-01-31")), ["cas", "e-1"])
        history = s.history("cas")
        self.assertEqual([h.retracted for h in history], [False, True])
        self.assertIsInstance(history[-1].amendment, Retraction)
        self.assertEqual(len(s.timeline(known_at="2025-01-14")), 0)

    def test_amendments_must_name_a_recorded_event(self) -> None:
        s = self.store
        s.append("a", [self.event(1)])
        with self.assertRaises(UnknownEvent):
            s.append("a", [Correction("missing", {"title": "x"}, "why")])
        fix = Correction("e-1", {"title": "x"}, "why")
        s.append("a", [fix])
        with self.assertRaises(UnknownEvent):  # an amendment is not an event
            s.append("a", [Retraction(fix.id, "amending an amendment")])
        with self.assertRaises(UnknownEvent):
            s.history("missing")
        with self.assertRaises(UnknownEvent):
            s.history(fix.id)
        # a correction that would make an invalid event is refused, nothing written
        one_actor = Event("2024", "trade", ["RUS"], "Solo", id="solo")
        s.append("a", [one_actor])
        with self.assertRaises(InvalidEvent):
            s.append("a", [Correction("solo", {"directed": True}, "one actor cannot act on none")])
        self.assertEqual(s.version("a"), 3)

    def test_amendment_in_the_same_batch(self) -> None:
        s = self.store
        s.append(
            "a",
            [self.event(1), Correction("e-1", {"title": "renamed"}, "typo"), self.event(2)],
        )
        self.assertEqual(sorted(e.title for e in s.timeline()), ["e meeting 2", "renamed"])
        self.assertEqual(len(s.history("e-1")), 2)

    def test_timeline_follows_new_records(self) -> None:
        s = self.store
        s.append("a", [self.event(1)])
        self.assertEqual(len(s.timeline()), 1)
        s.append("b", [self.event(2, when="1990")])
        tl = s.timeline()
        self.assertEqual([e.id for e in tl], ["e-2", "e-1"])  # valid-time order
        s.append("a", [Retraction("e-1", "wrong")])
        self.assertEqual([e.id for e in s.timeline()], ["e-2"])

    def test_projector_catches_up(self) -> None:
        from relations.projections import Projection

        s = self.store
        start: tuple[str, ...] = ()
        titles = s.project(Projection.simple(start, lambda t, e: (*t, e.title)), every=2)
        s.append("a", [self.event(n, when=f"{2000 + n}") for n in range(1, 6)])
        self.assertEqual(len(titles.as_of()), 5)
        s.append("a", [self.event(9, when="1999")])  # recorded late, dated early
        self.assertEqual(titles.as_of("1999")[0], "e meeting 9")
        s.append("a", [Correction("e-2", {"title": "fixed"}, "typo"), Retraction("e-3", "x")])
        self.assertEqual(
            titles.as_of(),
            ("e meeting 9", "e meeting 1", "fixed", "e meeting 4", "e meeting 5"),
        )
        self.assertEqual(titles.position, 8)
        self.assertEqual(titles.catch_up(), 0)

    # -- persisted snapshots -------------------------------------------------------------------
    @staticmethod
    def _titles(version: int = 1, applied: list[str] | None = None) -> Projection[Any]:
        """A named projection keeping the titles in valid-time order, counting its applies."""

        def apply(titles: tuple[str, ...], e: Event) -> tuple[str, ...]:
            if applied is not None:
                applied.append(e.id)
            return (*titles, e.title)

        start: tuple[str, ...] = ()
        return Projection.simple(
            start,
            apply,
            snapshot_name="titles",
            snapshot_version=version,
            encode=list,
            decode=tuple,
        )

    def _resumers(self, store: Store) -> list[Store]:
        """The store, and another store object on its data when the engine persists."""
        other = self.reopen_store(store, self.clock)
        if other is None:
            return [store]
        self.addCleanup(other.close)
        return [store, other]

    def test_snapshot_resumes_folding_after_its_position(self) -> None:
        from relations.projections import fold

        s = self.store
        s.append("a", [self.event(n, when=f"{2000 + n}") for n in range(1, 7)])
        saved = s.project(self._titles(), every=2).save_snapshot()
        self.assertEqual(
            (saved.name, saved.version, saved.position, saved.events), ("titles", "1", 6, 6)
        )
        s.append("a", [self.event(n, when=f"{2000 + n}") for n in (7, 8)])
        want = fold(s.timeline(), self._titles())
        for store in self._resumers(s):  # the same object, and a "new process" on the same data
            applied: list[str] = []
            resumed = store.project(self._titles(applied=applied), every=2)
            self.assertEqual(resumed.as_of(), want)
            self.assertEqual(applied, ["e-7", "e-8"])  # only the events after the snapshot
            self.assertEqual(resumed.as_of("2003"), want[:3])  # earlier dates still answer
            self.assertEqual(resumed.position, 8)

    def test_snapshot_of_another_version_is_never_read(self) -> None:
        s = self.store
        s.append("a", [self.event(n, when=f"{2000 + n}") for n in range(1, 5)])
        s.project(self._titles(version=1)).save_snapshot()
        for store in self._resumers(s):
            applied: list[str] = []
            changed = store.project(self._titles(version=2, applied=applied))
            self.assertEqual(len(changed.as_of()), 4)
            self.assertEqual(len(applied), 4)  # folded from the start
        listed = [(x.name, x.version) for x in getattr(s, "snapshots", list)()]
        self.assertIn(("titles", "1"), listed)

    def test_snapshot_then_back_dated_events_and_amendments(self) -> None:
        from relations.projections import fold

        s = self.store
        s.append("a", [self.event(n, when=f"{2000 + n}") for n in range(1, 7)])
        s.project(self._titles(), every=2).save_snapshot()
        s.append("a", [self.event(9, when="1999")])  # recorded late, dated before them all
        s.append("a", [Correction("e-2", {"title": "fixed"}, "typo"), Retraction("e-5", "x")])
        want = fold(s.timeline(), self._titles())
        for store in self._resumers(s):
            resumed = store.project(self._titles(), every=2)
            self.assertEqual(resumed.as_of(), want)
            self.assertEqual(resumed.as_of("2003"), want[:4])  # 1999, 2001, 2002, 2003

    def test_damaged_snapshot_is_reported_and_ignored(self) -> None:
        import warnings

        from relations.errors import SnapshotIgnored
        from relations.store import StoreBase

        s = self.store
        if not isinstance(s, StoreBase):
            self.skipTest("the engine is not a StoreBase")
        s.append("a", [self.event(n, when=f"{2000 + n}") for n in range(1, 5)])
        s.project(self._titles()).save_snapshot()
        row = s._snapshot_get("titles", "1", "$all")
        assert row is not None
        damaged = (*row[:6], '["forged"]', *row[7:])  # the checksum no longer matches
        s._in_write_transaction(lambda: s._snapshot_put(damaged))
        report = s.check()
        self.assertFalse(report.ok)
        self.assertTrue(any("snapshot 'titles'" in p for p in report.problems), report.problems)
        s.append("a", [self.event(5, when="2005")])  # the log is intact: appends go on
        for store in self._resumers(s):
            applied: list[str] = []
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                titles = store.project(self._titles(applied=applied)).as_of()
            self.assertEqual(len(titles), 5)
            self.assertEqual(len(applied), 5)  # folded from the start
            self.assertTrue(any(issubclass(w.category, SnapshotIgnored) for w in caught))
        self.assertEqual(s.delete_snapshots("titles"), 1)
        self.assertTrue(s.check().ok)

    def test_snapshots_equal_a_fold_from_the_start(self) -> None:
        """Any events, a snapshot after any prefix, then more events and a retraction: the
        resumed projector answers every date like a fold from the start."""
        from relations.projections import fold

        events = st.lists(self._events(with_id=True), max_size=10, unique_by=lambda e: e.id)

        @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(events, st.integers(0, 10), st.sampled_from([1, 2, 3, 256]), st.booleans())
        def check(events: list[Event], cut: int, every: int, retract: bool) -> None:
            store = self.create_store(ManualClock())
            try:
                if events[:cut]:
                    store.append("a", events[:cut])
                store.project(self._titles(), every=every).save_snapshot()
                if events[cut:]:
                    store.append("b", events[cut:])
                if retract and events:
                    store.append("a" if cut else "b", [Retraction(events[0].id, "x")])
                tl = store.timeline()
                for other in self._resumers(store):
                    resumed = other.project(self._titles(), every=every)
                    for day in [None, *(e.when for e in events[:4])]:
                        self.assertEqual(resumed.as_of(day), fold(tl, self._titles(), day))
            finally:
                store.close()

        check()

    # -- checking ---------------------------------------------------------------------------------
    def test_check_passes_on_a_sound_store(self) -> None:
        s = self.store
        report = s.check()
        self.assertTrue(report.ok)
        self.assertEqual((report.records, report.streams), (0, 0))
        s.append("a", [self.event(1), self._casualties()])
        s.append("b", [self.event(2)])
        s.append("a", [Correction("cas", {"title": "corrected"}, "typo"), Retraction("e-1", "x")])
        report = s.check(page=2)  # several pages: positions and versions run on across them
        self.assertEqual((report.ok, report.records, report.streams), (True, 5, 2), str(report))
        self.assertEqual(report.problems, ())
        s.append("b", [self.event(3)])  # a sound store keeps accepting appends
        self.assertEqual(s.version("b"), 2)

    def test_check_on_a_closed_store(self) -> None:
        s = self.new_store()
        s.close()
        with self.assertRaises(StoreClosed):
            s.check()

    # -- lifecycle --------------------------------------------------------------------------------
    def test_close(self) -> None:
        s = self.new_store()
        s.append("a", [self.event(1)])
        with s:
            pass
        self.assertTrue(s.closed)
        s.close()  # idempotent
        for op in (
            lambda: s.append("a", [self.event(2)]),
            lambda: s.read("a"),
            lambda: s.read_all(),
            lambda: s.streams(),
            lambda: s.version("a"),
            lambda: s.timeline(),
            lambda: s.history("e-1"),
            lambda: s.subscribe(),
        ):
            with self.assertRaises(StoreClosed):
                op()

    def test_reopen_keeps_everything(self) -> None:
        s = self.store
        s.append("a", [self.event(1), self._casualties()])
        s.append("a", [Correction("cas", {"title": "corrected"}, "typo")])
        other = self.reopen_store(s, self.clock)
        if other is None:
            self.skipTest("this engine does not persist")
        self.addCleanup(other.close)
        self.assertEqual(other.read_all(), s.read_all())
        self.assertEqual(other.timeline(), s.timeline())
        other.append("b", [self.event(2)])
        self.assertEqual([r.position for r in s.read_all()], [1, 2, 3, 4])
        sub = s.subscribe(from_position=4)
        self.assertEqual([r.event.id for r in sub.poll()], ["e-2"])

    # -- concurrency -------------------------------------------------------------------------------
    def test_concurrent_writers_in_threads(self) -> None:
        threads, per = self.writer_threads, self.appends_per_thread
        stores = [self.store] * (threads // 2)
        for _ in range(threads - len(stores)):  # half share one object, half have their own
            other = self.reopen_store(self.store, self.clock)
            stores.append(other if other is not None else self.store)
            if other is not None:
                self.addCleanup(other.close)
        errors: list[BaseException] = []
        start = threading.Barrier(threads)
        clashes = [0] * threads

        def write(i: int) -> None:
            store = stores[i]
            try:
                start.wait(30)
                for n in range(per):
                    store.append(f"t{i}", [self.event(n, f"t{i}")])
                    store.append("shared", [self.event(n, f"s{i}a"), self.event(n, f"s{i}b")])
                while True:
                    v = store.version("counter")
                    try:
                        store.append("counter", [self.event(v, f"c{i}")], expected_version=v)
                        break
                    except ConcurrencyError:
                        clashes[i] += 1
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        workers = [threading.Thread(target=write, args=(i,)) for i in range(threads)]
        for t in workers:
            t.start()
        for t in workers:
            t.join(120)
        self.assertEqual(errors, [])
        records = self.store.read_all()
        self.assert_gapless(records)
        ids = [r.event.id for r in records]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(ids), threads * (3 * per + 1))
        self.assertEqual(self.store.version("counter"), threads)
        shared = self.store.read("shared")
        for first, second in zip(shared[::2], shared[1::2], strict=True):  # batches stay whole
            self.assertEqual(first.event.id.replace("a-", "b-"), second.event.id)
            self.assertEqual(second.position, first.position + 1)

    def test_concurrent_writers_in_processes(self) -> None:
        spec = self.process_factory(self.store)
        if spec is None:
            self.skipTest("this engine is not shared between processes")
        factory, args = spec
        ctx = multiprocessing.get_context("spawn")
        k, per = self.writer_processes, self.events_per_process
        barrier = ctx.Barrier(k + 1)
        sub = self.store.subscribe(poll_interval=0.05)
        procs = [
            ctx.Process(target=_process_writer, args=(factory, args, f"p{i}", per, barrier))
            for i in range(k)
        ]
        for p in procs:
            p.start()
        barrier.wait(120)
        for p in procs:
            p.join(300)
        self.assertEqual([p.exitcode for p in procs], [0] * k)
        records = self.store.read_all()
        self.assert_gapless(records)
        ids = [r.event.id for r in records]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(ids), k * (per + 1))
        self.assertEqual(self.store.version("counter"), k)
        for i in range(k):
            self.assertEqual(self.store.version(f"proc-p{i}"), per // 2)
        # the subscription in this process saw every other process's appends, in order
        seen = sub.poll()
        self.assertEqual([r.position for r in seen], list(range(1, len(records) + 1)))
