"""The paths that make a first question cheap on a large timeline held as columns.

A root held as columns looks up the one key a query asks for (``Columns.posting``) instead of
building the whole index, until ``PER_KEY_MAX`` keys of an index have been asked; value
columns are gathered at their present rows; ``locate`` runs with numpy for many positions.
Here the thresholds are lowered so small hypothesis timelines take those paths, and every
answer must equal a plain reference over the same events: a linear scan, and the same
timeline built from events (with views of both).
"""

from __future__ import annotations

import json
import random
import warnings
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from relations import Event, Quantity, Timeline
from relations._timeline import indexes as ix
from relations.aggregate.columnar import measure_column_from_events, quantity_column_from_events
from relations.errors import RelationsWarning
from relations.io import read_jsonl
from relations.keys import KEYS, dyad
from relations.testing import events

_ACTORS = ["RUS", "PRK", "USA", "CHN", "KOR"]
_KINDS = ["trade", "sanction.imposed", "sanction.lifted", "diplomacy.visit", "un.veto"]
_PER_KEY = ("actor", "dyad", "kind", "kind_prefix", "tag", "status", "directed")


@contextmanager
def _small_thresholds(per_key_max: int) -> Iterator[None]:
    with (
        patch.object(ix, "PER_KEY_MIN", 0),
        patch.object(ix, "PER_KEY_MAX", per_key_max),
        patch.object(ix, "_NUMPY_MIN", 0),
    ):
        yield


@st.composite
def _event(draw: st.DrawFn, n: int) -> Event:
    e = draw(events(with_id=True, actors=_ACTORS, kinds=_KINDS, min_year=2020, max_year=2024))
    d = e.to_dict()
    d["id"] = f"e{n:03d}"
    # (the generated quantities may hold fractions, which send the whole file to the row
    # reader: the tests here need the columnar path, so each event gets "usd" or none)
    d.pop("quantities", None)
    if draw(st.booleans()):
        q = draw(
            st.one_of(
                st.integers(0, 10**6).map(lambda v: Quantity(v, "USD")),
                st.integers(0, 10**6).map(lambda v: Quantity.about(v, "USD")),
                st.integers(1, 10**6).map(lambda v: Quantity.up_to(v, "EUR")),
                st.tuples(st.integers(0, 99), st.integers(0, 99)).map(
                    lambda t: Quantity(low=min(t), high=max(t), unit="USD")
                ),
            )
        )
        d["quantities"] = {"usd": q.to_dict()}
    ms = draw(st.dictionaries(st.sampled_from(["tone", "mentions"]), st.integers(-9, 9)))
    if ms:
        d["measures"] = ms
    return Event.from_dict(d)


_event_lists = st.integers(1, 16).flatmap(
    lambda n: st.tuples(*(_event(i) for i in range(n))).map(list)
)


def _read_shuffled(tmp_path: Path, evs: list[Event], seed: int) -> Timeline:
    """The events written in a shuffled order (so the columns hold a permutation), read back
    by the columnar reader."""
    lines = [json.dumps(e.to_dict()) for e in evs]
    random.Random(seed).shuffle(lines)
    path = tmp_path / "t.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelationsWarning)
        return read_jsonl(path)


def _keys(evs: list[Event], name: str) -> list[Any]:
    found = {k for e in evs for k in KEYS[name](e)}
    extra: list[Any] = {
        "actor": ["XXX"],
        "dyad": [("RUS", "RUS"), ("USA", "CHN"), ("ZZZ", "AAA"), "RUS"],
        "kind": ["sanction"],
        "kind_prefix": ["nothing.here"],
        "tag": ["no-such-tag"],
        "status": [],
        "directed": [False],
    }[name]
    return sorted(found, key=repr) + extra


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_event_lists, st.integers(0, 3), st.integers(0, 99))
def test_one_key_looked_up_in_the_columns_equals_a_scan(
    tmp_path: Path, evs: list[Event], per_key_max: int, seed: int
) -> None:
    ref = list(Timeline(evs))
    with _small_thresholds(per_key_max):
        got = _read_shuffled(tmp_path, evs, seed)
        assume(got._col is not None)
        assert got._col is not None
        for name in _PER_KEY:
            for key in _keys(evs, name):
                want = [p for p, e in enumerate(ref) if key in KEYS[name](e)]
                direct = got._col.posting(name, key)
                assert direct is not None and list(direct) == want, (name, key)
                assert list(got._postings(name, key)) == want, (name, key)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    _event_lists,
    st.integers(0, 3),
    st.integers(0, 99),
    st.sampled_from(_ACTORS),
    st.sampled_from(_ACTORS),
    st.sampled_from(["sanction", "trade", "un", "diplomacy.visit"]),
)
def test_queries_from_columns_equal_queries_from_events_with_views(
    tmp_path: Path, evs: list[Event], per_key_max: int, seed: int, a: str, b: str, kind: str
) -> None:
    expected = Timeline(evs)
    with _small_thresholds(per_key_max):
        got = _read_shuffled(tmp_path, evs, seed)
        assume(got._col is not None)

        def answers(tl: Timeline) -> list[tuple[str, ...]]:
            views = [tl, tl.since("2022"), tl.take(range(0, len(tl), 2)), tl.involving(a)]
            out = []
            for v in views:
                out += [
                    v.involving(a, b).ids(),
                    v.involving(a, b, any=True).ids(),
                    v.involving(a).of_kind(kind).ids(),
                    v.of_kind(kind).between("2021", "2023", mode="within").ids(),
                    v.involving(b).until("2023-06-30").ids(),
                ]
            return out

        assert answers(got) == answers(expected)
        if a != b:  # and both against a scan
            scan = tuple(e.id for e in expected if dyad(a, b) in KEYS["dyad"](e))
            assert got.involving(a, b).ids() == scan


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_event_lists, st.integers(0, 99))
def test_value_columns_gathered_at_present_rows_equal_the_events(
    tmp_path: Path, evs: list[Event], seed: int
) -> None:
    got = _read_shuffled(tmp_path, evs, seed)
    ref = list(Timeline(evs))
    cols = got._col
    assume(cols is not None)
    assert cols is not None
    q = cols.quantity_column("usd")
    want = quantity_column_from_events(ref, "usd")
    assert q is not None
    for part in ("present", "value_ok", "low_ok", "high_ok", "approximate"):
        assert getattr(q, part).tolist() == getattr(want, part).tolist(), part
    for part, ok in (("value", "value_ok"), ("low", "low_ok"), ("high", "high_ok")):
        mask = getattr(want, ok)
        assert getattr(q, part)[mask].tolist() == getattr(want, part)[mask].tolist(), part
    units = [q.units[c] if c >= 0 else None for c in q.unit_codes.tolist()]
    assert units == [want.units[c] if c >= 0 else None for c in want.unit_codes.tolist()]
    for name in ("tone", "mentions", "absent"):
        m = cols.measure_column(name)
        wm = measure_column_from_events(ref, name)
        assert m is not None
        assert m.present.tolist() == wm.present.tolist()
        assert m.value[m.present].tolist() == wm.value[wm.present].tolist()


@given(
    st.sets(st.integers(0, 300)).map(sorted),
    st.sets(st.integers(0, 300)).map(sorted),
)
def test_locate_with_numpy_equals_the_loop(postings: list[int], positions: list[int]) -> None:
    want = [i for i, p in enumerate(positions) if p in set(postings)]
    assert list(ix.locate(array("q", postings), array("q", positions))) == want
    with patch.object(ix, "_NUMPY_MIN", 0):
        assert list(ix.locate(array("q", postings), array("q", positions))) == want


def test_a_large_columnar_root_builds_no_whole_index_for_one_key(tmp_path: Path) -> None:
    evs = [
        Event(f"2024-01-{1 + i % 28:02d}", "trade", [_ACTORS[i % 5], _ACTORS[(i + 1) % 5]], "t",
              id=f"e{i:03d}")
        for i in range(200)
    ]  # fmt: skip
    tl = _read_shuffled(tmp_path, evs, 1)
    with patch.object(ix, "PER_KEY_MIN", 100), patch.object(ix, "PER_KEY_MAX", 2):
        assert len(tl.involving("RUS", "PRK")) == 40
        assert tl._built_index("dyad") is None  # one key looked up, no whole index
        assert len(tl.involving("USA", "PRK")) == 40
        assert tl._built_index("dyad") is None
        assert len(tl.involving("USA", "CHN")) == 40  # the third key: the whole index
        assert tl._built_index("dyad") is not None
        small = tl.take(range(0, 10))  # a small part asks its root, held as columns
        assert small.involving("RUS").ids() == tuple(
            e.id
            for e in sorted(evs, key=lambda e: (e.when.lo, e.when.hi, e.id))[:10]
            if "RUS" in e.actors
        )
        assert "timeline.index:actors" not in small._cache
