"""Issue 19: what 'nearest' and 'active' mean for imprecise and open events, a query typo
that raises without a warning first, and ``validate`` on a CSV listing every problem."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import timelines

from relations import Event, InvalidArgument, UnknownKind, datasets, timeline
from relations.cli import main
from relations.kinds import UnknownKindWarning
from relations.projections import Relationship, fold
from relations.when import UNBOUNDED_HI, UNBOUNDED_LO, When

# ---- nearest ----------------------------------------------------------------------------------


def _dated_reference(tl: timeline.Timeline, x: str) -> Event:
    """The first event at the least distance, an open or unknown end of an interval standing
    at its other end (a set's unbounded member keeps its unbounded days)."""
    w = When(x)

    def distance(e: Event) -> int:
        lo, hi = e.lo, e.hi
        if e.when.is_interval and lo == UNBOUNDED_LO and e.when.end is not None:
            lo = e.when.end.lo
        if e.when.is_interval and hi == UNBOUNDED_HI and e.when.start is not None:
            hi = e.when.start.hi
        return max(0, lo - w.hi, w.lo - hi)

    events = list(tl)
    return min(events, key=distance)


@given(
    tl=timelines(max_size=20),
    x=st.sampled_from(["1900", "1945-05", "1990/1995", "2008-06-01", "2024", "2031-12-31"]),
)
def test_nearest_without_open_ends_matches_the_reference(tl: timeline.Timeline, x: str) -> None:
    if len(tl):
        assert tl.nearest(x, open_ends=False) == _dated_reference(tl, x)
    else:
        assert tl.nearest(x, open_ends=False) is None


def test_nearest_can_leave_open_ends_out() -> None:
    rnk = datasets.load("russia-north-korea")
    assert str(rnk.nearest("2024-07-01").when) == "2008/.."  # the default: possible days
    got = rnk.nearest("2024-07-01", open_ends=False)
    assert got is not None and got.hi != UNBOUNDED_HI  # a dated event that may be that day
    assert got.when.possibly_intersects("2024-07-01")
    for day in ("1900", "1961-07", "2008-06-01", "2013", "2024-07-01", "2024-11-15", "2040"):
        assert rnk.nearest(day, open_ends=False) == _dated_reference(rnk, day)


def test_nearest_open_and_unknown_ends_stand_at_their_dated_end() -> None:
    tl = timeline.of(
        Event("2008/..", "diplomacy", ["RUS"], "Open end", id="open"),
        Event("../1990", "diplomacy", ["RUS"], "Open start", id="start"),
        Event("2015/", "diplomacy", ["RUS"], "Unknown end", id="unknown"),
        Event("2020-03", "trade", ["RUS"], "Dated", id="dated"),
    )
    assert tl.nearest("2024-07-01").id == "open"  # type: ignore[union-attr]
    assert tl.nearest("2024-07-01", open_ends=False).id == "dated"  # type: ignore[union-attr]
    assert tl.nearest("2016", open_ends=False).id == "unknown"  # type: ignore[union-attr]
    assert tl.nearest("1800", open_ends=False).id == "start"  # type: ignore[union-attr]
    assert tl.nearest("2009", open_ends=False).id == "open"  # type: ignore[union-attr]


# ---- Relationship.as_of ---------------------------------------------------------------------


def test_as_of_definitely_counts_only_events_certainly_begun() -> None:
    tl = timeline.of(
        Event("2025", "un.veto", ["RUS", "PRK"], "Some day in 2025", id="y"),
        Event("2024-06/2025-03", "military.deployment", ["PRK", "RUS"], "Troops", id="d"),
        Event("2024-12-20", "un.veto", ["RUS", "PRK"], "Dated", id="v"),
    )
    rel = Relationship("RUS", "PRK", timeline=tl)
    assert rel.as_of("2025-01-01").count == 3  # the default: may have begun
    definite = rel.as_of("2025-01-01", definitely=True)
    assert definite.count == 2
    assert [e.id for e in definite.vetoes] == ["v"]
    assert rel.as_of("2024-06-15", definitely=True).count == 0
    assert rel.as_of("2024-06", definitely=True).count == 1  # by 2024-06-30
    assert rel.as_of("2025", definitely=True) == rel.as_of("2025")
    assert rel.as_of(None, definitely=True) == rel.as_of(None)
    with pytest.raises(InvalidArgument, match="definitely"):
        rel.as_of("2025", definitely="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "day", ["1950", "1961-07-06", "2000-06", "2014-04-30", "2024-10-15", "2025"]
)
def test_as_of_definitely_matches_a_fold_of_the_certain_events(day: str) -> None:
    rnk = datasets.load("russia-north-korea")
    last = When(day).hi
    certain = [e for e in rnk if e.when.latest_start_day <= last]
    rel = Relationship("RUS", "PRK", timeline=rnk)
    assert rel.as_of(day, definitely=True) == fold(certain, Relationship("RUS", "PRK"), day)
    assert rel.as_of(day) == fold(rnk, Relationship("RUS", "PRK"), day)


# ---- of_kind: one error, no warning first -----------------------------------------------------


def test_of_kind_typo_raises_without_a_warning_first() -> None:
    tl = timeline.of(Event("2024", "trade", ["RUS"], "T"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownKindWarning)
        with pytest.raises(UnknownKind, match="did you mean 'military'"):
            tl.of_kind("militray")


def test_of_kind_on_an_empty_timeline_still_warns() -> None:
    with pytest.warns(UnknownKindWarning, match="did you mean 'military'"):
        assert len(timeline.of().of_kind("militray")) == 0


# ---- validate on a CSV ----------------------------------------------------------------------


def test_validate_csv_lists_every_bad_row_and_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "when,kind,actors,title\n"
        "2024-01-01,trade,RUS,ok\n"
        "notadate,Bad Kind,,\n"
        "2024-02-01,trade,,no actor\n"
        "2024-03-01,Bad Kind,RUS,bad kind\n",
        encoding="utf-8",
    )
    code = main(["validate", str(bad)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = out.splitlines()
    assert [line.split(":")[1] for line in lines] == ["3", "4", "5"]
    assert "all problems:" in lines[0] and "actors" in lines[0] and "kind" in lines[0]
    assert "3 of 4 records invalid" in err
    assert main(["validate", str(bad), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [i["line"] for i in report["issues"]] == [3, 4, 5]
    assert "all problems:" in report["issues"][0]["message"]
