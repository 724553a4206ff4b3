"""Timeline queries against a plain reference: a sorted list and a linear scan.

Every query, and random chains of them, must return exactly the reference's events in the same
order, whatever path the indexes take (shared with the root or built locally, long-event lists,
fragmented results); inputs are never mutated; set algebra obeys its laws.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import ACTOR_CODES, events, timelines, whens

from relations import When
from relations._timeline import indexes as ix
from relations.actors import predecessors_of
from relations.errors import InvalidArgument
from relations.events import Event, Status
from relations.kinds import is_within, parents_of
from relations.testing import edtf_points
from relations.timeline import Timeline
from relations.when import UNBOUNDED_HI, UNBOUNDED_LO, Precision

# ---- the reference -------------------------------------------------------------------------


def ref_sorted(evs: list[Event]) -> list[Event]:
    unique = {e.id: e for e in evs}
    return sorted(unique.values(), key=lambda e: (e.when.lo, e.when.hi, e.id))


def W(x: object) -> When:
    return When.coerce(x)


def group(code: str, follow: bool) -> set[str]:
    return {code, *predecessors_of(code)} if follow else {code}


def latest_start(w: When) -> int:
    return min(w._shi, w.hi)


def ref_query(evs: list[Event], name: str, args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
    """The reference answer: a list of events (or one event, or a value)."""
    if name in ("between", "on"):
        s, e = (W(args[0]), W(args[1])) if name == "between" else (W(args[0]), W(args[0]))
        a, b = s.lo, e.hi
        if b < a:
            raise InvalidArgument("end before start")
        if kw.get("mode", "overlaps") == "within":
            return [x for x in evs if a <= x.when.lo and x.when.hi <= b]
        return [x for x in evs if x.when.lo <= b and x.when.hi >= a]
    if name in ("before", "until", "after", "since"):
        w = W(args[0])
        within = kw.get("mode", "within") == "within"
        tests: dict[str, Callable[[When], bool]] = {
            "before": (lambda v: v.hi < w.lo) if within else (lambda v: v.lo < w.lo),
            "until": (lambda v: v.hi <= w.hi) if within else (lambda v: v.lo <= w.hi),
            "after": (lambda v: v.lo > w.hi) if within else (lambda v: v.hi > w.hi),
            "since": (lambda v: v.lo >= w.lo) if within else (lambda v: v.hi >= w.lo),
        }
        return [x for x in evs if tests[name](x.when)]
    if name == "as_of":
        w = W(args[0])
        if kw.get("definitely"):
            return [x for x in evs if latest_start(x.when) <= w.hi]
        return [x for x in evs if x.when.lo <= w.hi]
    if name == "involving":
        follow = kw.get("follow_succession", False)
        groups = [group(c, follow) for c in dict.fromkeys(args)]
        if kw.get("any"):
            return [x for x in evs if any(set(x.actors) & g for g in groups)]
        return [x for x in evs if all(set(x.actors) & g for g in groups)]
    if name == "from_to":
        src, tgt = args
        follow = kw.get("follow_succession", False)
        out = []
        for x in evs:
            if not x.directed:
                continue
            if src is not None and x.actors[0] not in group(src, follow):
                continue
            if tgt is not None and not set(x.actors[1:]) & group(tgt, follow):
                continue
            out.append(x)
        return out
    if name == "of_kind":
        return [x for x in evs if any(is_within(x.kind, k) for k in args)]
    if name == "tagged":
        test = any if kw.get("any") else all
        return [x for x in evs if test(t in x.tags for t in args)]
    if name == "with_status":
        wanted = {Status(s) for s in args}
        return [x for x in evs if x.status in wanted]
    if name == "sourced_by":
        test = any if kw.get("any") else all
        return [
            x
            for x in evs
            if test(p.casefold() in {s.publisher.casefold() for s in x.sources} for p in args)
        ]
    if name == "with_quantity":
        test = any if kw.get("any") else all
        return [x for x in evs if test(n in x.quantities for n in args)]
    if name == "precision_at_least":
        p = Precision[args[0].upper()]
        return [x for x in evs if x.when.precision <= p]
    if name == "slice":
        return evs[args[0] : args[1]]
    if name == "remove":
        return [x for x in evs if x.id not in args]
    if name == "where":
        return [x for x in evs if args[0](x)]
    raise AssertionError(name)


def apply(tl: Timeline, name: str, args: tuple[Any, ...], kw: dict[str, Any]) -> Any:
    if name == "slice":
        return tl[args[0] : args[1]]
    return getattr(tl, name)(*args, **kw)


# ---- strategies for queries ------------------------------------------------------------------

dates = st.one_of(
    edtf_points(),
    whens(),
    st.integers(1935, 2035),
    st.dates(dt.date(1935, 1, 1), dt.date(2035, 12, 31)),
)
modes = st.sampled_from(["overlaps", "within"])
KIND_PREFIXES = sorted(
    {p for k in ("military.deployment", "agreement.treaty.signed") for p in parents_of(k)}
    | {"diplomacy", "trade", "economic", "sanction"}
)


@st.composite
def query(draw: st.DrawFn, evs: list[Event]) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    name = draw(
        st.sampled_from(
            [
                "between",
                "on",
                "before",
                "until",
                "after",
                "since",
                "as_of",
                "involving",
                "from_to",
                "of_kind",
                "tagged",
                "with_status",
                "sourced_by",
                "with_quantity",
                "precision_at_least",
                "slice",
                "remove",
                "where",
            ]
        )
    )
    kw: dict[str, Any] = {}
    if name == "between":
        if draw(st.booleans()):
            kw["mode"] = draw(modes)
        return name, (draw(dates), draw(dates)), kw
    if name in ("on", "before", "until", "after", "since"):
        if draw(st.booleans()):
            kw["mode"] = draw(modes)
        return name, (draw(dates),), kw
    if name == "as_of":
        return name, (draw(dates),), {"definitely": draw(st.booleans())}
    if name == "involving":
        actors = tuple(draw(st.lists(st.sampled_from(ACTOR_CODES), max_size=3)))
        return name, actors, {"any": draw(st.booleans()), "follow_succession": draw(st.booleans())}
    if name == "from_to":
        src = draw(st.one_of(st.none(), st.sampled_from(ACTOR_CODES)))
        tgt = draw(st.one_of(st.none(), st.sampled_from(ACTOR_CODES)))
        return name, (src, tgt), {"follow_succession": draw(st.booleans())}
    if name == "of_kind":
        present = sorted({p for e in evs for p in parents_of(e.kind)})
        pool = st.sampled_from(present + KIND_PREFIXES)
        return name, tuple(draw(st.lists(pool, max_size=3))), kw
    if name == "tagged":
        tags = tuple(draw(st.lists(st.sampled_from(["kursk", "treaty", "trade", "arms"]))))
        return name, tags, {"any": draw(st.booleans())}
    if name == "with_status":
        return name, tuple(draw(st.lists(st.sampled_from([s.value for s in Status])))), kw
    if name == "sourced_by":
        present = sorted({s.publisher for e in evs for s in e.sources}) or ["Reuters"]
        pubs = draw(st.lists(st.sampled_from(present), max_size=2))
        pubs = [p.upper() if draw(st.booleans()) else p for p in pubs]
        return name, tuple(pubs), {"any": draw(st.booleans())}
    if name == "with_quantity":
        names = st.sampled_from(["soldiers", "usd", "amount", "other"])
        return name, tuple(draw(st.lists(names, max_size=2))), {"any": draw(st.booleans())}
    if name == "precision_at_least":
        return name, (draw(st.sampled_from(["day", "month", "season", "year", "second"])),), kw
    if name == "slice":
        n = len(evs)
        return name, (draw(st.integers(-n - 1, n + 1)), draw(st.integers(-n - 1, n + 1))), kw
    if name == "remove":
        if not evs:
            return name, (), kw
        return name, tuple(draw(st.lists(st.sampled_from([e.id for e in evs]), max_size=3))), kw
    assert name == "where"
    year = draw(st.integers(1940, 2030))
    return name, (lambda e: e.when.lo >= When(year).lo,), kw


# ---- index-path configurations -----------------------------------------------------------------

CONFIGS: dict[str, dict[str, int]] = {
    "default": {},
    "always-share": {"SHARE_RATIO": 10**12, "MAX_RUNS": 10**6},
    "never-share": {"SHARE_RATIO": 0},
    "fragmented": {"MAX_RUNS": 0},
    "one-run": {"MAX_RUNS": 1, "SHARE_RATIO": 10**12},
    "all-long": {"LONG_DAYS": 0},
    "nothing-long": {"LONG_DAYS": 2**64},
    "no-extent-groups": {"MAX_GROUPS": 0},  # every short imprecise event checked one by one
    "one-extent-group": {"MAX_GROUPS": 1, "SHARE_RATIO": 10**12},
}


@contextmanager
def config(name: str) -> Iterator[None]:
    with ExitStack() as stack:
        for attr, value in CONFIGS[name].items():
            stack.enter_context(patch.object(ix, attr, value))
        yield


def check_consistent(tl: Timeline) -> None:
    """Internal columns agree with the events, through every access path."""
    ids = tl.ids()  # before the events are gathered: read through the parent or the root
    evs = list(tl)
    assert ids == tuple(e.id for e in evs)
    assert len(tl) == len(evs) == len(tl._los) == len(tl._his)
    assert list(tl._los) == [e.when.lo for e in evs]
    assert list(tl._his) == [e.when.hi for e in evs]
    assert [tl[i] for i in range(len(tl))] == evs
    assert evs == ref_sorted(evs)
    assert tl.first() == (evs[0] if evs else None)
    assert tl.last() == (evs[-1] if evs else None)


def same(actual: Timeline, expected: list[Event]) -> None:
    assert [e.id for e in actual] == [e.id for e in expected]
    assert list(actual) == expected


# ---- properties --------------------------------------------------------------------------------


@pytest.mark.parametrize("cfg", list(CONFIGS))
@given(tl0=timelines(max_size=25), data=st.data())
def test_query_chains_match_the_reference(cfg: str, tl0: Timeline, data: st.DataObject) -> None:
    with config(cfg):
        source = list(tl0)
        before = list(source)
        tl = Timeline(source)
        frozen = (tl._events, list(tl._los), list(tl._his))
        ref = ref_sorted(source)
        same(tl, ref)
        current, expected = tl, ref
        for _ in range(data.draw(st.integers(1, 4), label="steps")):
            name, args, kw = data.draw(query(expected), label="query")
            try:
                want = ref_query(expected, name, args, kw)
            except InvalidArgument:
                with pytest.raises(InvalidArgument):
                    apply(current, name, args, kw)
                break
            got = apply(current, name, args, kw)
            same(got, want)
            check_consistent(got)
            assert apply(current, name, args, kw) == got  # asking again: the same answer
            current, expected = got, want
        assert source == before  # the input list is untouched
        assert (tl._events, list(tl._los), list(tl._his)) == frozen


@given(tl=timelines(max_size=25), x=dates)
def test_single_event_answers_match_the_reference(tl: Timeline, x: object) -> None:
    evs = list(tl)
    w = W(x)
    # nearest: least distance in days between possible days, ties to the first
    if evs:

        def distance(e: Event) -> int:
            return max(0, e.when.lo - w.hi, w.lo - e.when.hi)

        best = min(range(len(evs)), key=lambda i: (distance(evs[i]), i))
        assert tl.nearest(x) == evs[best]
        lo, hi = min(e.when.lo for e in evs), max(e.when.hi for e in evs)
        if lo <= UNBOUNDED_LO and hi >= UNBOUNDED_HI:
            assert tl.span() is None
        else:
            assert tl.span() == When.from_ordinals(lo, hi)
    else:
        assert tl.nearest(x) is None
        assert tl.span() is None
    for i, e in enumerate(evs):
        assert tl.before_event(e.id) == (evs[i - 1] if i else None)
        assert tl.after_event(e.id) == (evs[i + 1] if i + 1 < len(evs) else None)
        assert tl[e.id] is e and e in tl and e.id in tl and tl.index(e.id) == i
    assert [(i.first, i.second) for i in tl.intervals()] == [
        (a.id, b.id) for a, b in itertools.pairwise(evs)
    ]
    assert [(i.least, i.most) for i in tl.intervals()] == [
        a.when.gap(b.when) for a, b in itertools.pairwise(evs)
    ]


def ref_gaps(evs: list[Event]) -> list[tuple[int, int]]:
    """Maximal runs of days inside the span that no event's possible days cover (brute force)."""
    if not evs:
        return []
    end = max(e.when.hi for e in evs)

    def covered(d: int) -> bool:
        return any(e.when.lo <= d <= e.when.hi for e in evs)

    gaps = set()
    for e in evs:
        d = e.when.hi + 1
        if d < end and not covered(d):
            nxt = min(x.when.lo for x in evs if x.when.lo > d)
            gaps.add((d, nxt - 1))
    return sorted(gaps)


@given(tl=timelines(max_size=15), longer=st.integers(0, 400))
def test_gaps_match_the_reference(tl: Timeline, longer: int) -> None:
    want = [g for g in ref_gaps(list(tl)) if g[1] - g[0] + 1 > longer]
    assert [(g.lo, g.hi) for g in tl.gaps(longer_than=longer)] == want
    assert tl.gaps(dt.timedelta(days=longer)) == tl.gaps(longer)


@st.composite
def three_timelines(draw: st.DrawFn) -> tuple[Timeline, Timeline, Timeline]:
    pool = draw(st.lists(events(), max_size=15, unique_by=lambda e: e.id))
    picks = [draw(st.lists(st.booleans(), min_size=len(pool), max_size=len(pool))) for _ in "abc"]
    a, b, c = (Timeline(e for e, keep in zip(pool, p, strict=True) if keep) for p in picks)
    return a, b, c


@given(three_timelines())
def test_set_algebra_laws(abc: tuple[Timeline, Timeline, Timeline]) -> None:
    a, b, c = abc
    ids = lambda t: {e.id for e in t}  # noqa: E731
    assert a | b == b | a
    assert (a | b) | c == a | (b | c)
    assert a | a == a and a & a == a
    assert a & b == b & a
    assert (a & b) & c == a & (b & c)
    assert ids(a | b) == ids(a) | ids(b)
    assert ids(a & b) == ids(a) & ids(b)
    assert ids(a - b) == ids(a) - ids(b)
    # a - b and a & b partition a
    assert (a - b) | (a & b) == a
    assert not ((a - b) & (a & b))
    assert a - a == Timeline()
    d = a.diff(b)
    assert set(d.added) == ids(b) - ids(a)
    assert set(d.removed) == ids(a) - ids(b)
    assert d.changed == ()
    assert a.merge(b) == a | b
    assert a.add(*b) == a | b
    if a:
        gone = [e.id for e in a][::2]
        assert ids(a.remove(*gone)) == ids(a) - set(gone)
    for t in (a | b, a & b, a - b):
        check_consistent(t)


@given(tl=timelines(min_size=1, max_size=12), data=st.data())
def test_conflicting_versions_follow_the_policy(tl: Timeline, data: st.DataObject) -> None:
    victim = data.draw(st.sampled_from(list(tl)))
    other = Timeline([victim.evolve(title=victim.title + " (corrected)", id=victim.id)])
    with pytest.raises(ValueError, match=victim.id):
        tl.merge(other)
    with pytest.raises(ValueError, match=victim.id):
        _ = tl | other
    assert tl.merge(other, on_conflict="ours") == tl
    theirs = tl.merge(other, on_conflict="theirs")
    assert theirs[victim.id] == other[0] and len(theirs) == len(tl)
    assert tl.diff(theirs).changed == (victim.id,)
