"""Aggregations against a naive reference: one event at a time, one bucket at a time.

The reference places each event by the policy's definition (Period.containing of its first and
last possible day, then days per bucket), adds quantities with ``Quantity.__add__`` and never
uses the indexes, prefix sums or caches of :mod:`relations.aggregate`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import ACTOR_CODES, KINDS, plain_dates, quantities

from relations import Event, Quantity, When, timeline
from relations import aggregate as agg
from relations.errors import UnknownKey
from relations.kinds import score_of
from relations.periods import UNITS, Period
from relations.timeline import Timeline

UNB = 2**61
POLICIES = agg.POLICIES
# Weeks and days multiply the buckets of long events; years to decades keep examples quick.
SOME_UNITS = ("week", "month", "quarter", "year", "decade")


QUALIFIERS = st.sampled_from(["", "", "", "~", "?", "%"])


@st.composite
def points(draw: st.DrawFn) -> str:
    """A date of any precision in a narrow window (so that filled series stay short)."""
    y = draw(st.integers(1995, 2030))
    form = draw(st.sampled_from(["plain", "plain", "plain", "decade", "season", "group"]))
    if form == "decade":
        text = f"{y // 10:03d}X"
    elif form == "season":  # meteorological seasons; winter runs into the next year
        text = f"{y}-{draw(st.integers(21, 24))}"
    elif form == "group":  # quarters, quadrimesters, semesters
        text = f"{y}-{draw(st.integers(33, 41))}"
    else:
        text = draw(plain_dates(y, y))
    return text + draw(QUALIFIERS)


@st.composite
def dates(draw: st.DrawFn) -> str:
    """A point, an interval (known, open or unknown ends) or a one-of set."""
    form = draw(st.sampled_from(["point", "point", "interval", "interval", "open", "set"]))
    a = draw(points())
    if form == "point":
        return a
    if form == "open":
        return draw(st.sampled_from([f"{a}/..", f"{a}/", f"../{a}", f"/{a}"]))
    b = draw(points())
    wa, wb = When.parse(a), When.parse(b)
    if (wb.lo, wb.hi) < (wa.lo, wa.hi):
        a, b, wa, wb = b, a, wb, wa
    if form == "set":
        return f"[{a},{b}]"
    return f"{a}/{b}" if wb.hi >= wa.lo else a


@st.composite
def light_events(draw: st.DrawFn) -> Event:
    """An event with a random date (any precision, intervals, open ends) and maybe a USD amount."""
    actors = draw(st.lists(st.sampled_from(ACTOR_CODES[:5]), min_size=1, max_size=3, unique=True))
    qs = {}
    if draw(st.booleans()):
        q = draw(quantities())
        qs["usd"] = Quantity(q.value, "USD", low=q.low, high=q.high, approximate=q.approximate)
    return Event(
        draw(dates()),
        draw(st.sampled_from(KINDS)),
        actors,
        "t",
        quantities=qs,
        directed=len(actors) >= 2 and draw(st.booleans()),
    )


timelines = st.lists(light_events(), max_size=25).map(lambda es: timeline.of(*es))
units = st.sampled_from(SOME_UNITS)
policies = st.sampled_from(POLICIES)


def naive_place(e: Event, unit: str, policy: str) -> list[tuple[Period, Fraction]] | None:
    """Where ``policy`` puts ``e`` (bucket, share of its weight); None if unplaced."""
    lo, hi = e.lo, e.hi
    if lo <= -UNB:
        return None
    first = Period.containing(lo, unit)
    if policy == "earliest":
        return [(first, Fraction(1))]
    if hi >= UNB:
        return None
    periods = Period.range(first, Period.containing(hi, unit))
    if len(periods) == 1:
        return [(first, Fraction(1))]
    if policy == "contained":
        return None
    if policy == "overlap":
        return [(p, Fraction(1)) for p in periods]
    days = hi - lo + 1
    return [(p, Fraction(min(hi, p.hi) - max(lo, p.lo) + 1, days)) for p in periods]


def naive_count(tl: Timeline, unit: str, policy: str) -> tuple[dict[Period, Fraction], set[str]]:
    out: dict[Period, Fraction] = defaultdict(Fraction)
    unplaced = set()
    for e in tl:
        places = naive_place(e, unit, policy)
        if places is None:
            unplaced.add(e.id)
        else:
            for p, f in places:
                out[p] += f
    return dict(out), unplaced


def same_quantity(a: Quantity, b: Quantity) -> None:
    """Same amount: unit, "about", reported value and effective bounds (the spelling may
    differ: bounds that meet are a value, a stated lower bound of 0 may stay stated)."""
    assert a.unit == b.unit and a.approximate == b.approximate
    va = a.value if a.value is not None or a.lower != a.upper else a.lower
    vb = b.value if b.value is not None or b.lower != b.upper else b.lower
    assert (va is None) == (vb is None)
    if va is not None and vb is not None:
        assert float(va) == pytest.approx(float(vb), rel=1e-9, abs=1e-6)
    assert float(a.lower) == pytest.approx(float(b.lower), rel=1e-9, abs=1e-6)
    assert (a.upper is None) == (b.upper is None)
    if a.upper is not None and b.upper is not None:
        assert float(a.upper) == pytest.approx(float(b.upper), rel=1e-9, abs=1e-6)


@given(timelines, units, policies)
def test_count_matches_the_naive_reference(tl: Timeline, unit: str, policy: str) -> None:
    s = tl.count(by=unit, policy=policy)  # type: ignore[arg-type]
    want, unplaced = naive_count(tl, unit, policy)
    assert list(s) == sorted(want)
    for p, v in s.items():
        assert v == pytest.approx(float(want[p]), abs=1e-9)
    assert {e.id for e in s.unplaced} == unplaced
    assert s.policy == policy


@given(timelines, units)
def test_contained_counts_plus_unplaced_equal_the_total(tl: Timeline, unit: str) -> None:
    s = tl.count(by=unit)  # type: ignore[arg-type]
    assert sum(s.values()) + len(s.unplaced) == len(tl)
    assert all(isinstance(v, int) for v in s.values())


@given(timelines, units)
def test_spread_preserves_the_total(tl: Timeline, unit: str) -> None:
    s = tl.count(by=unit, policy="spread")  # type: ignore[arg-type]
    placeable = sum(1 for e in tl if e.lo > -UNB and e.hi < UNB)
    assert sum(s.values()) == pytest.approx(placeable)
    assert len(s.unplaced) == len(tl) - placeable


@given(timelines, units)
def test_earliest_puts_each_event_in_exactly_one_bucket(tl: Timeline, unit: str) -> None:
    s = tl.count(by=unit, policy="earliest")  # type: ignore[arg-type]
    known_start = [e for e in tl if e.lo > -UNB]
    assert sum(s.values()) == len(known_start)
    assert len(s.unplaced) == len(tl) - len(known_start)
    for e in known_start:
        assert Period.containing(e.lo, unit) in s


@given(timelines, units, policies)
def test_cumulative_ends_at_the_sum_and_diff_gives_it_back(
    tl: Timeline, unit: str, policy: str
) -> None:
    s = tl.count(by=unit, policy=policy, fill=True)  # type: ignore[arg-type]
    if not s:
        return
    c = s.cumulative()
    assert list(c.values())[-1] == pytest.approx(sum(s.values()))
    back = c.diff()
    assert list(back) == list(s)
    for a, b in zip(back.values(), s.values(), strict=True):
        assert a == pytest.approx(b, abs=1e-9)


@given(timelines, units, policies)
def test_fill_is_regular_and_agrees_with_the_sparse_series(
    tl: Timeline, unit: str, policy: str
) -> None:
    sparse = tl.count(by=unit, policy=policy)  # type: ignore[arg-type]
    filled = tl.count(by=unit, policy=policy, fill=True)  # type: ignore[arg-type]
    keys = list(filled)
    assert all(b == a.next() for a, b in itertools.pairwise(keys))
    assert {k: v for k, v in filled.items() if v} == {k: v for k, v in sparse.items() if v}
    if sparse:
        assert keys[0] == next(iter(sparse)) and keys[-1] == list(sparse)[-1]


@given(timelines, units, policies, st.sampled_from(["kind:1", "actor", "dyad", "status"]))
def test_composite_keys_agree_with_nested_grouping(
    tl: Timeline, unit: str, policy: str, key: str
) -> None:
    both = tl.count(by=(key, unit), policy=policy)  # type: ignore[arg-type]
    flipped = tl.count(by=(unit, key), policy=policy)  # type: ignore[arg-type]
    nested: dict[tuple[Any, Period], float] = {}
    for k, sub in tl.group_by(key).items():
        for p, v in sub.count(by=unit, policy=policy).items():  # type: ignore[arg-type]
            nested[(k, p)] = v
    assert both.to_dict() == pytest.approx(nested)
    assert {(k, p): v for (p, k), v in flipped.items()} == pytest.approx(nested)
    assert list(both) == sorted(both, key=lambda kp: (kp[0], kp[1].lo))
    assert list(flipped) == sorted(flipped, key=lambda pk: (pk[0].lo, pk[1]))


@given(timelines, units, st.sampled_from(["contained", "earliest", "overlap"]))
def test_group_by_agrees_with_count(tl: Timeline, unit: str, policy: str) -> None:
    groups = tl.group_by(unit, policy=policy)  # type: ignore[arg-type]
    counts = tl.count(by=unit, policy=policy)  # type: ignore[arg-type]
    assert {k: len(v) for k, v in groups.items()} == counts.to_dict()
    assert groups.unplaced == counts.unplaced


@given(timelines, units, policies)
def test_sum_matches_adding_quantities(tl: Timeline, unit: str, policy: str) -> None:
    if len(tl) and all("usd" not in e.quantities for e in tl):  # issue 19: a name none carries
        with pytest.raises(UnknownKey):
            tl.sum("usd")
        return
    s = tl.sum("usd", by=unit, policy=policy)  # type: ignore[arg-type]
    parts: dict[Period, list[Quantity]] = defaultdict(list)
    unplaced = set()
    for e in tl:
        q = e.quantities.get("usd")
        if q is None:
            continue
        places = naive_place(e, unit, policy)
        if places is None:
            unplaced.add(e.id)
            continue
        for p, f in places:
            if f == 1:
                parts[p].append(q)
            else:  # spread: value and bounds split alike
                x = float(f)
                parts[p].append(
                    Quantity(
                        None if q.value is None else q.value * x,
                        q.unit,
                        low=None if q.low is None else q.low * x,
                        high=None if q.high is None else q.high * x,
                        approximate=q.approximate,
                    )
                )
    assert list(s) == sorted(parts)
    for p, qs in parts.items():
        same_quantity(s[p], sum(qs[1:], qs[0]))
    assert {e.id for e in s.unplaced} == unplaced
    assert s.missing == sum(1 for e in tl if "usd" not in e.quantities)


@given(timelines, units, st.sampled_from(["contained", "earliest", "overlap"]))
def test_min_max_mean_match_the_reference(tl: Timeline, unit: str, policy: str) -> None:
    if len(tl) and all("usd" not in e.quantities for e in tl):  # issue 19: a name none carries
        with pytest.raises(UnknownKey):
            tl.sum("usd")
        return
    parts: dict[Period, list[Quantity]] = defaultdict(list)
    for e in tl:
        q = e.quantities.get("usd")
        places = naive_place(e, unit, policy) if q is not None else None
        for p, _ in places or ():
            parts[p].append(cast_q(q))
    lo = tl.min("usd", by=unit, policy=policy)  # type: ignore[arg-type]
    hi = tl.max("usd", by=unit, policy=policy)  # type: ignore[arg-type]
    mean = tl.mean("usd", by=unit, policy=policy)  # type: ignore[arg-type]
    assert list(lo) == list(hi) == list(mean) == sorted(parts)
    for p, qs in parts.items():
        assert lo[p].lower == min(q.lower for q in qs)
        assert hi[p].lower == max(q.lower for q in qs)
        ups = [q.upper for q in qs]
        assert hi[p].upper == (None if None in ups else max(u for u in ups if u is not None))
        total = sum(qs[1:], qs[0])
        assert float(mean[p].lower) == pytest.approx(float(total.lower) / len(qs))


def cast_q(q: Quantity | None) -> Quantity:
    assert q is not None
    return q


@given(timelines, units, policies)
def test_score_sum_matches_the_reference(tl: Timeline, unit: str, policy: str) -> None:
    want: dict[Period, float] = defaultdict(float)
    for e in tl:
        score = score_of(e.kind)
        for p, f in (naive_place(e, unit, policy) or ()) if score is not None else ():
            want[p] += score * float(f)
    got = tl.score_sum(by=unit, policy=policy)  # type: ignore[arg-type]
    assert list(got) == sorted(want)
    assert got.to_dict() == pytest.approx(dict(want))
    assert got.missing == sum(1 for e in tl if score_of(e.kind) is None)


@given(timelines, st.sampled_from(UNITS), policies)
def test_every_unit_on_derived_timelines(tl: Timeline, unit: str, policy: str) -> None:
    if len(tl) < 2:
        return
    part = tl[1:]
    fresh = timeline.of(*part)
    assert part.count(by=unit, policy=policy) == fresh.count(by=unit, policy=policy)  # type: ignore[arg-type]
