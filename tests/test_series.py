"""Series: an immutable ordered mapping with time-series operations and readable text."""

from __future__ import annotations

import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relations import Event, Quantity, timeline
from relations.errors import InvalidArgument, MissingDependency, RelationsError, UnknownKey
from relations.periods import Period
from relations.series import Series, format_key, format_value, key_order


def months(*pairs: tuple[str, object]) -> Series[Period, object]:
    return Series(
        {Period.parse(k): v for k, v in pairs}, name="count", key_names=("month",), sort=True
    )


S = months(("2024-01", 2), ("2024-02", 5), ("2024-03", 4), ("2024-04", 0))


def test_mapping_protocol_and_order() -> None:
    assert list(S) == [Period.parse(m) for m in ("2024-01", "2024-02", "2024-03", "2024-04")]
    assert len(S) == 4 and S[Period.parse("2024-02")] == 5
    assert S["2024-02"] == 5 and "2024-03" in S and "2023-12" not in S
    assert S.get("2030-01") is None and S.get("2030-01", 0) == 0
    assert dict(S.items()) == S.to_dict()
    assert Series({"b": 1, "a": 2}).to_dict() == {"b": 1, "a": 2}  # given order kept
    assert list(Series({"b": 1, "a": 2}, sort=True)) == ["a", "b"]


def test_missing_key_is_a_relations_key_error() -> None:
    with pytest.raises(UnknownKey, match=r"no key '2030-01'.*keys run from") as e:
        S["2030-01"]
    assert isinstance(e.value, KeyError) and isinstance(e.value, RelationsError)
    with pytest.raises(UnknownKey, match="empty"):
        Series()["x"]
    with pytest.raises(UnknownKey, match="hashable"):
        S[["x"]]  # type: ignore[index]
    assert ["x"] not in S


def test_tuple_keys_with_period_text() -> None:
    s = Series({(("PRK", "RUS"), Period.parse("2024")): 3}, key_names=("dyad", "year"))
    assert s[(("PRK", "RUS"), "2024")] == 3
    assert (("PRK", "RUS"), "2024") in s


def test_immutable_equal_hashable() -> None:
    with pytest.raises(AttributeError):
        S.name = "x"  # type: ignore[misc]
    same = months(("2024-01", 2), ("2024-02", 5), ("2024-03", 4), ("2024-04", 0))
    assert same == S and hash(S) == hash(same) and len({S, same}) == 1
    assert Series({"a": 1}) == {"a": 1} and Series({"a": 1}) != {"a": 2}
    assert Series({"a": 1, "b": 2}) != Series({"b": 2, "a": 1})  # order matters between series
    assert (Series() == 3) is False


def test_metadata_defaults_and_repr() -> None:
    s = Series({"a": 1})
    assert (s.name, s.key_names, s.policy, s.missing, s.unit, len(s.unplaced)) == (
        "value",
        ("key",),
        None,
        0,
        None,
        0,
    )
    assert repr(s) == "Series({'a': 1}, name='value')"
    big = Series({i: i for i in range(10)}, policy="spread")
    assert repr(big).endswith(", ...}, name='value', policy='spread')")


def test_unplaced_is_lazy_and_cached() -> None:
    calls = []
    tl = timeline.of(Event("2024", "trade", ["RUS"], "T", id="t"))

    def build() -> timeline.Timeline:
        calls.append(1)
        return tl

    s = Series({"a": 1}, unplaced=build, policy="contained")
    assert calls == []
    assert s.unplaced is tl and s.unplaced is tl and calls == [1]
    assert Series(unplaced=tl).unplaced is tl


def test_cumulative_and_diff() -> None:
    assert list(S.cumulative().values()) == [2, 7, 11, 11]
    assert S.cumulative().name == "cumulative count"
    assert S.cumulative().diff() == S
    assert list(S.diff(initial=None).values()) == [None, 3, -1, -4]
    assert list(Series({"a": 1, "b": None, "c": 2}).diff().values()) == [1, None, None]


def test_quantity_series_operations() -> None:
    q = Series({"a": Quantity.about(3, "USD"), "b": Quantity.at_least(2, "USD")}, unit="USD")
    c = q.cumulative()
    assert c["b"] == Quantity(None, "USD", low=5, approximate=True)
    assert str(c["b"]) == "at least about 5 USD"
    assert list(q.diff().values()) == [3.0, -1.0]
    assert q.top(1).to_dict() == {"a": Quantity.about(3, "USD")}


def test_pct_change_growth() -> None:
    assert list(S.pct_change().values()) == [None, 1.5, -0.2, -1.0]
    assert S.growth("2024-01", "2024-03") == 1.0
    assert S.growth(Period.parse("2024-01"), "2024-02") == 1.5
    assert S.growth("2024-01", "2024-03", compound=True) == pytest.approx(math.sqrt(2) - 1)
    with pytest.raises(InvalidArgument, match="value at '2024-04' is 0"):
        S.growth("2024-04", "2024-01")
    with pytest.raises(UnknownKey):
        S.growth("2020-01", "2024-01")
    with pytest.raises(InvalidArgument, match="two periods of one unit"):
        Series({"a": 1, "b": 2}).growth("a", "b", compound=True)
    with pytest.raises(InvalidArgument, match="missing"):
        Series({"a": 1, "b": None}).growth("a", "b")


def test_rolling() -> None:
    assert list(S.rolling(2, "sum").values()) == [None, 7, 9, 4]
    assert list(S.rolling(3, "max").values()) == [None, None, 5, 5]
    assert list(S.rolling(3, "median").values()) == [None, None, 4, 4]
    assert list(S.rolling(1, lambda xs: xs[0] * 10).values()) == [20, 50, 40, 0]
    assert S.rolling(2).name == "rolling mean of count (2)"
    with pytest.raises(InvalidArgument, match="positive integer"):
        S.rolling(0)
    with pytest.raises(InvalidArgument, match="rolling fn 'avg'"):
        S.rolling(2, "avg")  # type: ignore[arg-type]


def test_normalize() -> None:
    assert list(S.normalize().values()) == [2 / 11, 5 / 11, 4 / 11, 0.0]
    assert list(S.normalize("max").values()) == [0.4, 1.0, 0.8, 0.0]
    assert list(S.normalize("first").values()) == [1.0, 2.5, 2.0, 0.0]
    assert list(S.normalize(2).values()) == [1.0, 2.5, 2.0, 0.0]
    assert list(Series({"a": 1}).normalize(0).values()) == [None]
    y = Period.parse("2024")
    panel = Series({("A", y): 2, ("B", y): 6, ("C", Period.parse("2025")): 1})
    totals = Series({y: 8})
    assert list(panel.normalize(totals).values()) == [0.25, 0.75, None]
    with pytest.raises(InvalidArgument, match="normalize by 'mean'"):
        S.normalize("mean")  # type: ignore[arg-type]


def test_top_and_split() -> None:
    assert list(S.top(2).items()) == [(Period.parse("2024-02"), 5), (Period.parse("2024-03"), 4)]
    assert S.top(2).name == S.name
    ties = Series({"a": 1, "b": 3, "c": 3, "d": None})
    assert list(ties.top(10)) == ["b", "c", "a"]
    y23, y24 = Period.parse("2023"), Period.parse("2024")
    panel = Series(
        {("RUS", y23): 1, ("RUS", y24): 2, ("PRK", y24): 5},
        key_names=("actor", "year"),
        name="count",
    )
    parts = panel.split(0)
    assert list(parts) == ["PRK", "RUS"]
    assert parts["RUS"].to_dict() == {y23: 1, y24: 2} and parts["RUS"].key_names == ("year",)
    assert panel.split(1)[y24].to_dict() == {"RUS": 2, "PRK": 5}
    with pytest.raises(InvalidArgument, match="tuple keys"):
        S.split(0)


def test_time_series_operations_run_per_group_in_panels() -> None:
    y = [Period.parse(str(n)) for n in (2022, 2023, 2024)]
    panel = Series(
        {("A", y[0]): 1, ("A", y[1]): 2, ("A", y[2]): 3, ("B", y[0]): 10, ("B", y[2]): 30},
        key_names=("actor", "year"),
    )
    assert list(panel.cumulative().values()) == [1, 3, 6, 10, 40]
    assert list(panel.diff(initial=None).values()) == [None, 1, 1, None, 20]
    assert list(panel.rolling(2, "sum").values()) == [None, 3, 5, None, 40]
    # without a period in the key, operations run along the series order
    assert list(Series({("a", 1): 1, ("b", 2): 2}).cumulative().values()) == [1, 3]


def test_non_numeric_values_are_refused() -> None:
    tls = Series({"a": timeline.of()})
    for op in (tls.cumulative, tls.diff, tls.pct_change, lambda: tls.rolling(1), tls.top):
        with pytest.raises(InvalidArgument, match="numeric values"):
            op()


def test_text_table() -> None:
    assert str(S) == (
        "month    count\n2024-01      2\n2024-02      5\n2024-03      4\n2024-04      0"
    )
    unplaced = timeline.of(Event("2024", "trade", ["RUS"], "T", id="t"))
    s = Series(
        {(("PRK", "RUS"), Period.parse("2024")): Quantity.at_least(11000, "people")},
        name="sum of soldiers",
        key_names=("directed_dyad", "year"),
        policy="contained",
        unplaced=unplaced,
        missing=2,
    )
    assert str(s).splitlines() == [
        "directed_dyad  year         sum of soldiers",
        "PRK→RUS        2024  at least 11 000 people",
        "(1 unplaced event; 2 events without a value; policy 'contained')",
    ]
    assert str(Series({"a": 1}, missing=1)).endswith("(1 event without a value)")
    long = Series({n: n for n in range(100)}, name="n")
    text = long.to_text(max_rows=10).splitlines()
    assert len(text) == 12 and "... (90 more rows)" in text
    assert len(long.to_text(max_rows=None).splitlines()) == 101


def test_format_helpers() -> None:
    assert format_key(("A", "B")) == "A–B" and format_key(None) == "NA"
    assert format_value(2.5) == "2.5" and format_value(3.0) == "3" and format_value(True) == "True"
    assert format_value(float("nan")) == "nan"
    e = Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit")
    assert format_value(e) == "2024-06-19 Summit"
    assert format_value(timeline.of(e)) == "1 event"
    assert key_order(Period.parse("2024")) < key_order(1) < key_order("a") < key_order(None)


def test_to_pandas() -> None:
    pd = pytest.importorskip("pandas")
    ps = S.to_pandas()
    assert list(ps.values) == [2, 5, 4, 0] and ps.name == "count" and ps.index.name == "month"
    assert isinstance(ps.index, pd.PeriodIndex) and str(ps.index[0]) == "2024-01"
    q = Series(
        {Period.parse("2024"): Quantity.range(1, 3, "USD"), Period.parse("2025"): Quantity(2)},
        name="sum",
        key_names=("year",),
    )
    df = q.to_pandas(bounds=True)
    assert list(df.columns) == ["estimate", "lower", "upper"]
    assert df["estimate"].tolist() == [2.0, 2.0] and df["upper"].tolist() == [3.0, 2.0]
    panel = Series(
        {(("PRK", "RUS"), Period.parse("2020s")): 1}, key_names=("dyad", "decade"), name="n"
    ).to_pandas()
    assert list(panel.index.names) == ["dyad", "decade"]
    assert panel.index[0] == ("PRK–RUS", "2020s")


def test_to_pandas_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependency, match=r"pip install 'relations\[pandas\]'") as e:
        S.to_pandas()
    assert isinstance(e.value, ImportError)


values = st.lists(st.integers(-1000, 1000), min_size=1, max_size=30)


@given(values)
def test_cumulative_last_is_the_sum_and_diff_inverts_it(xs: list[int]) -> None:
    s = Series({Period("month", 24000 + i): x for i, x in enumerate(xs)})
    c = s.cumulative()
    assert list(c.values())[-1] == sum(xs)
    assert c.diff() == s


@given(st.lists(st.floats(0, 1e9, allow_nan=False), min_size=1, max_size=30))
def test_float_cumulative_diff_round_trip(xs: list[float]) -> None:
    s = Series(dict(enumerate(xs)))
    back = s.cumulative().diff()
    total = sum(xs)
    for a, b in zip(back.values(), xs, strict=True):
        assert a == pytest.approx(b, abs=1e-9 * max(total, 1))


@given(values, st.integers(1, 5))
def test_rolling_sum_matches_a_naive_window(xs: list[int], w: int) -> None:
    got = list(Series(dict(enumerate(xs))).rolling(w, "sum").values())
    want = [None if i < w - 1 else float(sum(xs[i - w + 1 : i + 1])) for i in range(len(xs))]
    assert got == want


@given(st.lists(st.integers(0, 100), min_size=1, max_size=20))
def test_normalize_total_sums_to_one(xs: list[int]) -> None:
    shares = [v for v in Series(dict(enumerate(xs))).normalize().values() if v is not None]
    if sum(xs):
        assert sum(shares) == pytest.approx(1.0)
    else:
        assert shares == []


def test_int_year_keys_and_split_by_key_name() -> None:
    """Issue 19: ``s[2024]`` failed where ``s["2024"]`` worked; ``split("dyad")`` raised a raw
    TypeError."""
    s = Series({Period.parse("2023"): 1, Period.parse("2024"): 2}, key_names=("year",))
    assert s[2024] == s["2024"] == 2
    assert 2023 in s and 2025 not in s
    with pytest.raises(UnknownKey):
        s[2025]
    d = Series(
        {(("PRK", "RUS"), Period.parse("2024")): 3, (("RUS", "UA"), Period.parse("2024")): 4},
        key_names=("dyad", "year"),
    )
    assert d[(("PRK", "RUS"), 2024)] == 3
    assert d.split("dyad") == d.split(0)
    assert d.split("year")[Period.parse("2024")].to_dict() == {("PRK", "RUS"): 3, ("RUS", "UA"): 4}
    with pytest.raises(InvalidArgument, match=r"'actor' is not a key part.*'dyad', 'year'"):
        d.split("actor")
    with pytest.raises(InvalidArgument):
        d.split(1.5)  # type: ignore[arg-type]


def test_pct_change_is_named_as_a_fraction() -> None:
    """Issue 19: pct_change gives fractions but was labelled "% change"."""
    s = Series({"a": 4, "b": 5}, name="count").pct_change()
    assert s.name == "relative change in count"
    assert "%" not in s.name
