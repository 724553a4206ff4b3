"""Unbounded work from valid input (issue #17): every operation whose cost grows with a date
span stops at relations.periods.MAX_PERIODS with an InvalidArgument naming the span."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from relations import Event, InvalidArgument, Timeline
from relations.periods import MAX_PERIODS, Period, check_span

FAR = [
    Event("Y-170000002", "trade", ["RUS"], "Far past", id="a", quantities={"n": 1}),
    Event("Y170000002", "trade", ["RUS"], "Far future", id="b", quantities={"n": 2}),
]
LIMIT = r"relations\.periods\.MAX_PERIODS = 100 000 periods"


def test_fill_across_extended_years_is_refused() -> None:
    tl = Timeline(FAR)
    assert len(tl.count("year")) == 2  # without fill: two buckets, no problem
    with pytest.raises(InvalidArgument, match=rf"340 000 005 years .*{LIMIT}"):
        tl.count("year", fill=True)
    with pytest.raises(InvalidArgument, match=LIMIT):
        tl.sum("n", "year", fill=True)


@pytest.mark.parametrize("policy", ["spread", "overlap"])
def test_spreading_one_event_over_a_huge_span_is_refused(policy: str) -> None:
    tl = Timeline([Event("Y-170000002/Y170000002", "trade", ["RUS"], "Forever", id="f")])
    with pytest.raises(InvalidArgument, match=rf"policy '{policy}' spans .*{LIMIT}"):
        tl.count("year", policy=policy)  # type: ignore[arg-type]


def test_period_range_is_bounded() -> None:
    assert len(Period.range("2000-01-01", "2100-01-01", "day")) <= MAX_PERIODS
    with pytest.raises(InvalidArgument, match=r"Period\.range spans"):
        Period.range("1000-01-01", "2100-01-01", "day")


def test_limit_is_inclusive() -> None:
    check_span(1, MAX_PERIODS, "day")
    with pytest.raises(InvalidArgument):
        check_span(0, MAX_PERIODS, "day")


def test_dense_chart_across_extended_years_is_refused() -> None:
    with pytest.raises(InvalidArgument, match=rf"dense chart spans .* centuries .*{LIMIT}"):
        Timeline(FAR).to_svg(dense=True)


def test_cli_stats_fill_reports_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "far.jsonl"
    from relations.io import write_jsonl

    write_jsonl(Timeline(FAR), path)
    # A memory cap makes the old behaviour (15 GB in a minute) fail fast instead of hanging.
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
        "from relations.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, "stats", str(path), "--by", "year", "--fill"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(Path(__file__).parents[1] / "src"), "PATH": ""},
    )
    assert r.returncode == 1, r.stderr
    assert "MAX_PERIODS = 100 000" in r.stderr


def test_max_with_fill_is_refused() -> None:
    with pytest.raises(InvalidArgument, match=LIMIT):
        Timeline(FAR).max("n", "year", fill=True)
