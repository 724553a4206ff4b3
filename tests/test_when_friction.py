"""Issue 19, dates: the English forms of reporting, numeric dates, times of day, centuries."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from tests.strategies import whens

from relations.errors import InvalidDate
from relations.periods import Period
from relations.when import ALLEN_RELATIONS, When

REPORTING = [
    ("the early 1990s", "[1990..1993]"),
    ("the late 1990s", "[1997..1999]"),
    ("the mid-1990s", "[1994..1996]"),
    ("end of 2024", "2024-39"),
    ("the end of 2024", "2024-39"),
    ("beginning of 2024", "2024-37"),
    ("the start of 2024", "2024-37"),
    ("the middle of 2024", "2024-38"),
    ("end of June 2024", "[2024-06-21..2024-06-30]"),
    ("the end of the 1990s", "[1997..1999]"),
    ("mid-2024", "2024-38"),
    ("early 2024", "2024-37"),
    ("first half of 2024", "2024-40"),
    ("the first half of 2024", "2024-40"),
    ("second half of 2024", "2024-41"),
    ("1st half of 2024", "2024-40"),
    ("the third quarter of 2024", "2024-35"),
    ("fourth quarter 2024", "2024-36"),
    ("Q3 2024", "2024-35"),
    ("2024-Q3", "2024-35"),
    ("2024 Q1", "2024-33"),
    ("2024-H2", "2024-41"),
    ("June and July 2024", "{2024-06,2024-07}"),
    ("both June and July 2024", "{2024-06,2024-07}"),
    ("1950 and 1953", "{1950,1953}"),
    ("June–July 2024", "2024-06/2024-07"),
    ("June - July 2024", "2024-06/2024-07"),
    ("between June and July 2024", "2024-06/2024-07"),
    ("around the end of 2024", "2024-39~"),
    ("since the end of 2024", "2024-39/.."),
    ("2024/06/19", "2024-06-19"),
    ("2024-06-19 14:00", "2024-06-19T14:00:00"),
    ("2024-06-19T14:00", "2024-06-19T14:00:00"),
    ("2024-06-19 14:00:30", "2024-06-19T14:00:30"),
    ("2024-06-19 14:00 UTC", "2024-06-19T14:00:00Z"),
    ("2024-06-19 9:05+0200", "2024-06-19T09:05:00+02:00"),
    ("the 20th century", "19XX"),
    ("the 21st century", "20XX"),
    ("the 1st century BC", "[-0100..-0001]"),
]


@pytest.mark.parametrize(("text", "edtf"), REPORTING)
def test_reporting_forms(text: str, edtf: str) -> None:
    w = When.parse(text)
    assert str(w) == edtf
    assert When.from_edtf(edtf) == w


def test_reporting_bounds() -> None:
    end = When.parse("end of 2024")
    assert (end.earliest, end.latest) == (pendulum.Date(2024, 9, 1), pendulum.Date(2024, 12, 31))
    half = When.parse("first half of 2024")
    assert (half.earliest, half.latest) == (pendulum.Date(2024, 1, 1), pendulum.Date(2024, 6, 30))
    both = When.parse("June and July 2024")
    assert both.form == "all_of"
    assert (both.earliest, both.latest) == (pendulum.Date(2024, 6, 1), pendulum.Date(2024, 7, 31))


@pytest.mark.parametrize("text", ["19/06/2024", "06/19/2024", "05/06/2024", "19.06.2024"])
def test_numeric_day_month_needs_dayfirst(text: str) -> None:
    with pytest.raises(InvalidDate, match="which number is the day is ambiguous") as e:
        When.parse(text)
    assert "dayfirst=True" in str(e.value)
    assert "exactly one '/'" not in str(e.value)


def test_numeric_dates_say_both_readings() -> None:
    with pytest.raises(InvalidDate) as e:
        When.parse("05/06/2024")
    assert "day-first: 2024-06-05" in str(e.value)
    assert "month-first: 2024-05-06" in str(e.value)
    with pytest.raises(InvalidDate) as e:
        When.parse("19/06/2024")
    assert "day-first: 2024-06-19" in str(e.value) and "month-first: no such day" in str(e.value)


@pytest.mark.parametrize(
    ("text", "dayfirst", "edtf"),
    [
        ("19/06/2024", True, "2024-06-19"),
        ("06/19/2024", False, "2024-06-19"),
        ("05/06/2024", True, "2024-06-05"),
        ("05/06/2024", False, "2024-05-06"),
        ("19.06.2024", True, "2024-06-19"),
        ("19-06-2024", True, "2024-06-19"),
        ("1/6/2024", True, "2024-06-01"),
        ("19/06/2024 – 21/06/2024", True, "2024-06-19/2024-06-21"),
        ("c. 19/06/2024", True, "2024-06-19~"),
        ("June 2024", True, "2024-06"),  # dayfirst changes nothing else
        ("2024-06-19", False, "2024-06-19"),
    ],
)
def test_numeric_day_month_with_dayfirst(text: str, dayfirst: bool, edtf: str) -> None:
    assert str(When.parse(text, dayfirst=dayfirst)) == edtf


def test_numeric_date_read_the_wrong_way_is_refused() -> None:
    with pytest.raises(InvalidDate, match=r"read day-first .* no such day"):
        When.parse("06/19/2024", dayfirst=True)


def test_time_of_day_is_kept_and_compares_by_day() -> None:
    w = When.parse("2024-06-19 14:00")
    assert w == When.coerce(dt.datetime(2024, 6, 19, 14, 0))
    assert (w.lo, w.hi) == (When("2024-06-19").lo, When("2024-06-19").hi)
    assert When("2024-06").contains(w)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("the 20th century", "20th century"),
        ("the 21st century", "21st century"),
        ("the 19th century", "19th century"),
        ("the 1st century", "1st century"),
        ("the 1st century BC", "1st century BCE"),
        ("the 2nd century BCE", "2nd century BCE"),
    ],
)
def test_centuries_agree_with_period(text: str, period: str) -> None:
    w = When.parse(text)
    p = Period.parse(period)
    assert (w.lo, w.hi) == (p.lo, p.hi)


# -- overlaps (bounds) and possibly_overlaps (Allen) ------------------------------------------

INTERSECTING = frozenset(ALLEN_RELATIONS) - {"before", "meets", "met_by", "after"}


def test_overlaps_is_possibly_intersects_not_allen_overlaps() -> None:
    october, day = When("2024-10"), When("2024-10-15")
    assert october.overlaps(day) and october.possibly_intersects(day)
    assert not october.possibly_overlaps(day)  # Allen: starts first, ends during
    assert not october.definitely_intersects(day)  # October may be the 3rd
    assert When("1950/1953").definitely_intersects("1952")


@given(whens(), whens())
def test_intersects_agrees_with_the_allen_relations(a: When, b: When) -> None:
    possible = a.relations_to(b)
    assert a.overlaps(b) == a.possibly_intersects(b) == bool(possible & INTERSECTING)
    if a.definitely_intersects(b):
        assert a.possibly_intersects(b)
        assert not possible & {"before", "meets", "met_by", "after"}
    assert a.definitely_intersects(b) == b.definitely_intersects(a)
    for rel in INTERSECTING:
        if a.possibly(rel, b):
            assert a.overlaps(b)
