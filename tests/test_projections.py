"""Projections: fold, fold_many, Snapshots and the store-fed Projector, against a reference."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relations import Event, When
from relations.errors import InvalidArgument
from relations.projections import Folds, Projection, Snapshots, fold, fold_many, iter_states
from relations.store import Correction, MemoryStore, Retraction
from relations.testing import ManualClock, events, timelines
from relations.timeline import Timeline

ids = Projection.simple((), lambda s, e: (*s, e.id))


def reference(tl: Timeline, as_of: object) -> tuple[str, ...]:
    """The ids of events that may have begun by the last day of ``as_of``, in timeline order."""
    if as_of is None:
        return tuple(e.id for e in tl)
    last = When.coerce(as_of).hi
    return tuple(e.id for e in sorted(tl, key=lambda e: (e.lo, e.hi, e.id)) if e.lo <= last)


days = st.one_of(
    st.none(),
    st.integers(1935, 2035).map(str),
    st.tuples(st.integers(1935, 2035), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
)


@given(timelines(max_size=10), days)
def test_fold_matches_the_reference(tl: Timeline, day: str | None) -> None:
    assert fold(tl, ids, as_of=day) == reference(tl, day)


@given(timelines(max_size=10), st.lists(days, max_size=5), st.integers(1, 5))
def test_snapshots_and_fold_many_agree_with_fold(
    tl: Timeline, dates: list[str | None], every: int
) -> None:
    snaps = Snapshots(tl, ids, every=every)
    expected = [fold(tl, ids, as_of=d) for d in dates]
    assert [snaps.as_of(d) for d in dates] == expected
    assert fold_many(tl, ids, dates) == expected
    assert len(snaps) == len(tl)


@given(
    st.lists(events(with_id=True), unique_by=lambda e: e.id, max_size=15),
    st.lists(st.integers(0, 14), max_size=8),
    st.integers(1, 4),
    days,
)
def test_folds_with_inserts_and_removals_match_a_fresh_fold(
    evs: list[Event], removals: list[int], every: int, day: str | None
) -> None:
    folds = Folds(ids, every=every)
    kept = dict.fromkeys(e.id for e in evs)
    half = len(evs) // 2
    folds.add_many(evs[half:])  # in bulk, then one by one
    folds.state_as_of(None)  # build snapshots, so that later changes must invalidate them
    for e in evs[:half]:
        folds.add(e)
        folds.state_as_of(None)
    for i in removals:
        if i < len(evs):
            folds.remove(evs[i])
            kept.pop(evs[i].id, None)
    remaining = Timeline(e for e in evs if e.id in kept)
    w = None if day is None else When.coerce(day)
    assert folds.state_as_of(w) == reference(remaining, day)


def test_as_of_a_month_or_year_means_its_last_day() -> None:
    tl = Timeline(
        [
            Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Signed", id="s"),
            Event("2024-12-04", "agreement.treaty.in_force", ["RUS", "PRK"], "In force", id="f"),
            Event("2024-10/..", "military.deployment", ["PRK", "RUS"], "Troops", id="d"),
        ]
    )
    assert fold(tl, ids, as_of="2024-06") == ("s",)
    assert fold(tl, ids, as_of="2024-10-01") == ("s", "d")  # may have begun: Oct 2024
    assert fold(tl, ids, as_of="2024") == ("s", "d", "f")
    assert fold(tl, ids) == ("s", "d", "f")
    assert fold(tl.as_of("2024-10-01", definitely=True), ids) == ("s",)  # certainly begun
    assert fold(Timeline(), ids) == ()
    assert fold(list(tl), ids, as_of="2024-06") == ("s",)  # any iterable of events


def test_finish_sees_the_date_and_states_must_be_immutable() -> None:
    @attrs.frozen
    class Seen:
        n: int = 0
        as_of: When | None = None

    class Counter(Projection[Seen]):
        def initial(self) -> Seen:
            return Seen()

        def apply(self, state: Seen, event: Event) -> Seen:
            return attrs.evolve(state, n=state.n + 1)

        def finish(self, state: Seen, as_of: When | None) -> Seen:
            return attrs.evolve(state, as_of=as_of)

    tl = Timeline([Event("2024", "trade", ["RUS"], "x", id="x")])
    assert fold(tl, Counter(), as_of="2025") == Seen(1, When("2025"))
    with pytest.raises(InvalidArgument, match="immutable"):
        fold(tl, Projection.simple([], lambda s, e: [*s, e]))
    with pytest.raises(InvalidArgument, match="as_of"):
        fold(tl, ids, as_of="not a date")
    with pytest.raises(InvalidArgument, match="every"):
        Snapshots(tl, ids, every=0)
    assert [s for _, s in iter_states(tl, ids)] == [("x",)]
    assert "Projection.simple" in repr(ids)


def test_projector_matches_folding_the_store_timeline() -> None:
    """Back-dated events, corrections and retractions: the incremental projector agrees with
    a full fold of the store's current timeline, at every step."""

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["event", "event", "correct", "retract"]),
                events(with_id=True),
                st.integers(0, 20),
            ),
            max_size=12,
        ),
        days,
        st.integers(1, 3),
    )
    def check(steps: list[tuple[str, Event, int]], day: str | None, every: int) -> None:
        store = MemoryStore(clock=ManualClock())
        live = store.project(ids, every=every)
        recorded: list[str] = []
        for action, e, pick in steps:
            if action == "event" or not recorded:
                if e.id not in recorded:
                    store.append("s", [e])
                    recorded.append(e.id)
            elif action == "correct":
                target = recorded[pick % len(recorded)]
                store.append("s", [Correction(target, {"when": str(e.when)}, f"redate {pick}")])
            else:
                target = recorded[pick % len(recorded)]
                store.append("s", [Retraction(target, f"retract {pick}")])
            assert live.as_of(day) == fold(store.timeline(), ids, as_of=day)
        assert live.timeline() == store.timeline()

    check()
