"""Panels (issue 15): several aggregations by dyad and month as one frame."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from relations import Event, InvalidArgument, timeline
from relations.io import import_icews

SAMPLES = Path("/work/shared/data/samples")


def _tl() -> timeline.Timeline:
    return timeline.of(
        Event("2024-01-05", "cameo", ["PRK", "RUS"], "a", measures={"goldstein": 4, "mentions": 3}),
        Event("2024-03-09", "cameo", ["PRK", "RUS"], "b", measures={"goldstein": -2, "mentions": 1}),
        Event("2024-02-11", "cameo", ["CHN", "RUS"], "c", measures={"goldstein": 1, "mentions": 2}),
    )  # fmt: skip


def test_rows_fill_every_month_per_dyad() -> None:
    rows = _tl().panel(values={"n": "count", "g": ("mean", "goldstein")}, to="rows")
    prk = [r for r in rows if r["dyad"] == "PRK-RUS"]
    assert [r["month"] for r in prk] == ["2024-01", "2024-02", "2024-03"]
    assert [r["n"] for r in prk] == [1, 0, 1] and [r["g"] for r in prk] == [4.0, None, -2.0]
    # a balanced panel: every dyad has a row for every month of the timeline's range
    chn = [r for r in rows if r["dyad"] == "CHN-RUS"]
    assert [(r["month"], r["n"]) for r in chn] == [("2024-01", 0), ("2024-02", 1), ("2024-03", 0)]


def test_without_fill_only_keys_with_events() -> None:
    rows = _tl().panel(values={"n": "count"}, fill=False, to="rows")
    assert len(rows) == 3


def test_pandas_frame() -> None:
    pd = pytest.importorskip("pandas")
    df = _tl().panel(
        values={
            "events": "count",
            "goldstein": ("mean", "goldstein"),
            "weighted": ("mean", "goldstein", "mentions"),
            "mentions": ("sum", "mentions"),
            "score": "score_sum",
        }
    )
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["dyad", "month", "events", "goldstein", "weighted", "mentions",
                                "score"]  # fmt: skip
    assert len(df) == 6 and df["events"].sum() == 3 and df["mentions"].sum() == 6
    assert pd.isna(
        df.loc[(df["dyad"] == "PRK-RUS") & (df["month"] == "2024-02"), "goldstein"]
    ).all()


def test_polars_frame() -> None:
    pl = pytest.importorskip("polars")
    df = _tl().panel(values={"events": "count"}, to="polars")
    assert isinstance(df, pl.DataFrame) and df.height == 6


@pytest.mark.parametrize(
    "values",
    [{"x": "median"}, {"x": ("sum",)}, {"x": ("mean", "a", "b", "c")}, {}, {"dyad": "count"}],
)
def test_bad_columns_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(InvalidArgument, match="panel"):
        _tl().panel(values=values, to="rows")  # type: ignore[arg-type]


def test_dyad_month_panel_of_the_real_icews_sample() -> None:
    path = SAMPLES / "icews_events.2018.sample.tab"
    if not path.is_file():
        pytest.skip("the shared ICEWS sample is not here")
    tl = import_icews(path)
    rows = tl.panel(values={"n": "count", "intensity": ("mean", "intensity")}, to="rows")
    assert sum(r["n"] for r in rows) == sum(1 for e in tl if len(e.actors) == 2)
    prk = next(r for r in rows if r["dyad"] == "PRK-RUS" and r["month"] == "2018-06")
    assert prk["n"] > 0 and -10 <= prk["intensity"] <= 10
    assert io  # imported for symmetry with other importer tests
