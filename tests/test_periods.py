"""Periods: text forms, parsing, arithmetic, containment and order."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relations import InvalidDate
from relations.periods import UNITS, Period, first_day, index_of, is_unit
from relations.when import ordinal, ymd

DAY = ordinal(2024, 6, 19)


@pytest.mark.parametrize(
    ("unit", "text"),
    [
        ("day", "2024-06-19"),
        ("week", "2024-W25"),
        ("month", "2024-06"),
        ("quarter", "2024-Q2"),
        ("year", "2024"),
        ("decade", "2020s"),
        ("century", "21st century"),
    ],
)
def test_text_forms_of_the_issue(unit: str, text: str) -> None:
    p = Period.containing(DAY, unit)
    assert str(p) == text
    assert Period.parse(text) == p
    assert p.lo <= DAY <= p.hi


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2024-02", (2024, 2, 1), (2024, 2, 29)),
        ("2024-Q4", (2024, 10, 1), (2024, 12, 31)),
        ("2024-W01", (2024, 1, 1), (2024, 1, 7)),
        ("2025-W01", (2024, 12, 30), (2025, 1, 5)),
        ("2020-W53", (2020, 12, 28), (2021, 1, 3)),
        ("2020s", (2020, 1, 1), (2029, 12, 31)),
        ("21st century", (2000, 1, 1), (2099, 12, 31)),
        ("1st century", (0, 1, 1), (99, 12, 31)),
        ("1st century BCE", (-100, 1, 1), (-1, 12, 31)),
        ("-0044", (-44, 1, 1), (-44, 12, 31)),
        ("-10s", (-10, 1, 1), (-1, 12, 31)),
    ],
)
def test_bounds(text: str, first: tuple[int, int, int], last: tuple[int, int, int]) -> None:
    p = Period.parse(text)
    assert (p.lo, p.hi) == (ordinal(*first), ordinal(*last))
    assert str(p) == text
    assert p.days == p.hi - p.lo + 1


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("day", ["2024-12-31", "2025-01-01"]),
        ("week", ["2024-W52", "2025-W01"]),
        ("month", ["2024-12", "2025-01"]),
        ("quarter", ["2024-Q4", "2025-Q1"]),
        ("year", ["2024", "2025"]),
        ("decade", ["2020s", "2030s"]),
        ("century", ["21st century", "22nd century"]),
    ],
)
def test_next_previous(unit: str, expected: list[str]) -> None:
    p = Period.containing(ordinal(2024, 12, 28) if unit == "week" else ordinal(2024, 12, 31), unit)
    assert [str(p), str(p.next())] == expected
    assert p.next().previous() == p
    assert p.next().lo == p.hi + 1


def test_ordinal_names() -> None:
    assert [str(Period("century", k)) for k in (0, 1, 2, 3, 10, 11, 12, 20, 100, 110)] == [
        "1st century",
        "2nd century",
        "3rd century",
        "4th century",
        "11th century",
        "12th century",
        "13th century",
        "21st century",
        "101st century",
        "111th century",
    ]


def test_ranges_and_subtraction() -> None:
    months = Period.range("2024-11", "2025-02")
    assert [str(m) for m in months] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert months[-1] - months[0] == 3
    assert Period.range("2025", "2024") == []
    assert [str(p) for p in Period.parse("2024-Q3").until("2025-01-15")] == [
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
    ]
    with pytest.raises(InvalidDate, match="cannot subtract"):
        Period.parse("2024") - Period.parse("2024-01")


def test_coerce() -> None:
    assert Period.coerce(2024, "year") == Period.parse("2024")  # an int is a year
    assert str(Period.coerce("2024", "month")) == "2024-01"
    assert str(Period.coerce("2024", "month", side="hi")) == "2024-12"
    assert str(Period.coerce(dt.date(2024, 6, 19), "week")) == "2024-W25"
    assert str(Period.coerce(Period.parse("2024-Q2"), "month", side="hi")) == "2024-06"
    assert str(Period.coerce("June 2024", "quarter")) == "2024-Q2"


def test_order_hash_and_equality() -> None:
    y, m, q = Period.parse("2024"), Period.parse("2024-06"), Period.parse("2024-Q2")
    assert sorted([Period.parse("2025"), m, y, q]) == [y, q, m, Period.parse("2025")]
    assert len({y, Period("year", 2024), m}) == 2
    assert y != m and y == Period.parse("2024")
    with pytest.raises(TypeError):
        _ = y < "2025"  # type: ignore[operator]


def test_dates_and_when() -> None:
    p = Period.parse("2024-W25")
    assert (p.start.isoformat(), p.end.isoformat()) == ("2024-06-17", "2024-06-23")
    assert str(p.when) == "2024-06-17/2024-06-23"
    assert str(Period.parse("2020s").when) == "2020/2029"
    assert p.when.lo == p.lo and p.when.hi == p.hi
    assert p.contains(DAY - 2) and not p.contains(DAY + 5)
    with pytest.raises(InvalidDate, match="outside years 1-9999"):
        _ = Period.parse("-0044").start


@pytest.mark.parametrize(
    "text",
    [
        "2024-13",
        "2024-02-30",
        "2024-Q5",
        "2024-W54",
        "2021-W53",
        "0th century",
        "June",
        "",
        "2024x",
    ],
)
def test_parse_errors_name_the_input(text: str) -> None:
    with pytest.raises(InvalidDate, match="invalid period"):
        Period.parse(text)


def test_bad_units_and_indexes() -> None:
    assert is_unit("quarter") and not is_unit("fortnight")
    with pytest.raises(InvalidDate, match="unknown period unit 'fortnight'"):
        Period("fortnight", 1)  # type: ignore[arg-type]
    with pytest.raises(InvalidDate, match="integer"):
        Period("year", "2024")  # type: ignore[arg-type]
    with pytest.raises(InvalidDate, match="open or unknown"):
        Period.containing(-(2**62), "year")
    with pytest.raises(InvalidDate):
        Period.parse(2024)  # type: ignore[arg-type]


days = st.integers(ordinal(-500, 1, 1), ordinal(3000, 12, 31))


@given(days, st.sampled_from(UNITS))
def test_containing_is_consistent(n: int, unit: str) -> None:
    p = Period.containing(n, unit)
    assert p.lo <= n <= p.hi
    assert p.unit == unit and index_of(p.lo, p.unit) == index_of(p.hi, p.unit) == p.index
    assert first_day(p.index, p.unit) == p.lo
    assert p.previous().hi == p.lo - 1 and p.next().lo == p.hi + 1
    assert Period.parse(str(p)) == p


@given(days)
def test_week_matches_datetime_isocalendar(n: int) -> None:
    if not 1 <= n <= dt.date.max.toordinal():
        return
    iso = dt.date.fromordinal(n).isocalendar()
    assert str(Period.containing(n, "week")) == f"{iso.year:04d}-W{iso.week:02d}"


@given(days, st.sampled_from(UNITS))
def test_days_sum_over_a_range(n: int, unit: str) -> None:
    p = Period.containing(n, unit)
    ps = Period.range(p, p.next(3))
    assert sum(q.days for q in ps) == ps[-1].hi - ps[0].lo + 1
    y, m, d = ymd(p.lo)
    assert ordinal(y, m, d) == p.lo
