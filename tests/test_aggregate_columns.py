"""Aggregation of a timeline held as columns equals that of the same events held as events.

A timeline read by the columnar reader aggregates from its key and value columns
(:mod:`relations.aggregate.columnar`) without building its events; one built from events
computes the same columns from its events. Every aggregation, under every policy and for
every ``by``, must give the same answer (values with their Python types, ``missing``,
``unplaced``, ``statuses``) or the same error.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relations import Event, Quantity, Timeline
from relations.aggregate import POLICIES
from relations.errors import RelationsError, RelationsWarning
from relations.io import read_jsonl, write_jsonl
from relations.testing import events

_BYS: list[Any] = [
    "year",
    "month",
    "actor",
    "dyad",
    "directed_dyad",
    "kind",
    "kind:1",
    "status",
    "tag",
    ("year", "kind"),
    ("actor", "month"),
    ("dyad", "status", "year"),
]

_quantity = st.one_of(
    st.integers(0, 10**6).map(lambda v: Quantity(v, "USD")),
    st.integers(0, 10**6).map(lambda v: Quantity.about(v, "USD")),
    st.integers(1, 10**6).map(lambda v: Quantity.up_to(v, "USD")),
    st.integers(0, 10**6).map(lambda v: Quantity.at_least(v, "USD")),
    st.tuples(st.integers(0, 1000), st.integers(0, 1000)).map(
        lambda t: Quantity(low=min(t), high=max(t), unit="USD")
    ),
)
_measure = st.one_of(st.integers(-10, 10), st.floats(-10, 10, allow_nan=False).map(round))


@st.composite
def _event(draw: st.DrawFn, n: int) -> Event:
    e = draw(
        events(
            with_id=True,
            actors=["RUS", "PRK", "USA", "CHN"],
            kinds=["trade", "sanction.imposed", "diplomacy.visit", "un.veto"],
            min_year=2020,
            max_year=2024,
        )
    )
    qs = {"usd": draw(_quantity)} if draw(st.booleans()) else {}
    ms = {k: draw(_measure) for k in draw(st.sets(st.sampled_from(["goldstein", "mentions"])))}
    d = e.to_dict()
    d.update(id=f"e{n}", quantities={k: q.to_dict() for k, q in qs.items()}, measures=ms)
    for k in ("sources", "extra", "links", "claimed_by", "location", "summary"):
        d.pop(k, None)
    return Event.from_dict({k: v for k, v in d.items() if v not in ({}, [])})


_timelines = st.integers(0, 14).flatmap(
    lambda n: st.tuples(*(_event(i) for i in range(n))).map(list)
)


def _answer(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        s = fn(*args, **kwargs)
    except RelationsError as err:
        return ("error", type(err).__name__, str(err))
    statuses = s.statuses
    return (
        repr(s.to_dict()),
        s.missing,
        s.unit,
        s.unplaced.ids(),
        None if statuses is None else statuses.to_dict(),  # sets: compared, not printed
    )


def _answers(tl: Timeline, bys: list[Any]) -> list[Any]:
    out = []
    for by in bys:
        for policy in POLICIES:
            out.append(_answer(tl.count, by, policy=policy))
            out.append(_answer(tl.sum, "usd", by, policy=policy))
            out.append(_answer(tl.mean, "usd", by, policy=policy))
            out.append(_answer(tl.sum, "goldstein", by, policy=policy))
            out.append(_answer(tl.mean, "goldstein", by, policy=policy))
            out.append(_answer(tl.mean, "goldstein", by, weight="mentions", policy=policy))
            out.append(_answer(tl.score_sum, by, policy=policy))
            out.append(_answer(tl.score_mean, by, policy=policy, scale={"trade": 2}))
            if policy != "spread":
                for name in ("usd", "goldstein", "nothing"):
                    out.append(_answer(tl.min, name, by, policy=policy))
                    out.append(_answer(tl.max, name, by, policy=policy))
    return out


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_timelines, st.lists(st.sampled_from(_BYS), min_size=1, max_size=3, unique=True))
def test_columns_and_events_aggregate_alike(
    tmp_path: Path, evs: list[Event], bys: list[Any]
) -> None:
    path = tmp_path / "a.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelationsWarning)
        write_jsonl(Timeline(evs), path)
        got = read_jsonl(path)
    assert _answers(got, bys) == _answers(Timeline(evs), bys)
    if len(got) > 2:  # a derived timeline reads its root's columns
        half = range(0, len(got), 2)
        assert _answers(got.take(half), bys) == _answers(Timeline(evs).take(half), bys)
    assert got._ev is None or got._col is None  # no event was built for the answers
    assert got == Timeline(evs)


def test_a_timeline_of_columns_aggregates_without_building_events(tmp_path: Path) -> None:
    evs = [
        Event("2024-06", "trade", ["RUS", "PRK"], "a", id="a", quantities={"usd": 5}),
        Event("2024", "sanction.imposed", ["USA", "RUS"], "b", id="b", status="claimed"),
        Event("2023-02-01", "trade", ["CHN", "RUS"], "c", id="c", tags=["x"]),
    ]
    path = tmp_path / "b.jsonl"
    write_jsonl(Timeline(evs), path)
    tl = read_jsonl(path)
    assert tl._col is not None
    tl.sum("usd", ("year", "kind"), policy="earliest")
    tl.count(("actor", "month"), policy="spread")
    tl.max("usd", "dyad")
    tl.score_mean("status")
    assert tl._ev is None
    assert not any(tl._col._built)  # status and tags are checked column-wise too


def test_optional_fields_checked_column_wise(tmp_path: Path) -> None:
    """status, directed, tags and measures: checked column by column; their rows' events are
    built on demand (a float measure's whole numbers are read at once, by the checked
    reader: Arrow reads "3" and "3.0" alike)."""
    import pyarrow as pa

    from relations._timeline.columns import from_table

    base = {"id": ["x", "y"], "when": ["2024", "2023"], "kind": ["trade", "trade"],
            "actors": [["RUS", "PRK"], ["USA"]], "title": ["T", "U"]}  # fmt: skip
    ok = from_table(pa.table({**base, "status": ["claimed", None], "tags": [["b", "a"], []],
                              "directed": [True, None]}))  # fmt: skip
    assert ok is not None and not any(ok._built)
    assert ok.lazy == ("status", "tags", "directed")
    assert ok.event(1).status == "claimed" and ok.event(1).tags == ("a", "b")
    assert [e.directed for e in ok.events()] == [False, True]
    for bad in ({"status": ["rumoured", None]}, {"directed": [None, True]},
                {"tags": [["a", ""], []]}):  # fmt: skip
        assert from_table(pa.table({**base, **bad})) is None
    m = from_table(pa.table({**base, "measures": [{"tone": 1.5}, {"tone": 3.0}]}))
    assert m is not None and m._built[0] is not None and m._built[1] is None  # 3.0: now
    assert [e.measures["tone"] for e in m.events()] == [3.0, 1.5]


def test_span_statistics_with_arrays_equal_the_loop() -> None:
    import random
    from array import array

    from relations._timeline.indexes import Spans

    rng = random.Random(7)
    los = sorted(rng.randrange(0, 5000) for _ in range(3000))
    his = [lo + rng.choice([0, 0, 0, 1, 30, 364, 365, 400, rng.randrange(0, 9000)]) for lo in los]
    fast = Spans.build(array("q", los), array("q", his))
    slow = Spans.build(los, his)  # lists: the loop
    for name in Spans.__slots__:
        a, b = getattr(fast, name), getattr(slow, name)
        if name == "groups":
            a = [(d, list(p), list(lo)) for d, p, lo in a]
            b = [(d, list(p), list(lo)) for d, p, lo in b]
        assert list(a) == list(b) if not isinstance(a, int) else a == b, name


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(events(with_id=True), max_size=10))
def test_every_index_from_columns_equals_the_index_of_the_events(
    tmp_path: Path, evs: list[Event]
) -> None:
    from relations.keys import KEYS

    expected = Timeline({e.id: e for e in evs}.values())
    path = tmp_path / "i.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelationsWarning)
        write_jsonl(expected, path)
        got = read_jsonl(path)
    for name in ("status", "tag", "source", "target", "arc", "directed", "directed_dyad"):
        if got._col is not None:
            assert got._col.postings(name) is not None
        for key in {k for e in expected for k in KEYS[name](e)}:
            assert list(got._postings(name, key)) == list(expected._postings(name, key))
