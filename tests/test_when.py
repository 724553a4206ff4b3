"""Behaviour of relations.When: parsing (EDTF and English), values, comparisons, arithmetic."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest

from relations.errors import InvalidDate
from relations.when import (
    ALLEN_RELATIONS,
    GROUPINGS,
    UNBOUNDED_HI,
    UNBOUNDED_LO,
    Precision,
    When,
    ordinal,
    ymd,
)


def day(y: int, m: int, d: int) -> int:
    return dt.date(y, m, d).toordinal()


# -- English forms (When.parse only) --------------------------------------------------------

ENGLISH = [
    ("June 2024", "2024-06"),
    ("june 2024", "2024-06"),
    ("Jun. 2024", "2024-06"),
    ("in June 2024", "2024-06"),
    ("19 June 2024", "2024-06-19"),
    ("19th June 2024", "2024-06-19"),
    ("the 19th of June 2024", "2024-06-19"),
    ("June 19, 2024", "2024-06-19"),
    ("June 19 2024", "2024-06-19"),
    ("Sept 1, 1939", "1939-09-01"),
    ("  2024  ", "2024"),
    ("c. 1945", "1945~"),
    ("c.1945", "1945~"),
    ("ca. 1945", "1945~"),
    ("circa 1945", "1945~"),
    ("around 1945", "1945~"),
    ("about 1945", "1945~"),
    ("approximately June 2024", "2024-06~"),
    ("around October 2024", "2024-10~"),
    ("probably 1945", "1945?"),
    ("circa 1945?", "1945%"),
    ("before 2008", "../2007-12-31"),
    ("before June 2024", "../2024-05-31"),
    ("until 2008", "../2008"),
    ("after 2008", "2009-01-01/.."),
    ("after c. 2008", "2009-01-01~/.."),
    ("since 2008", "2008/.."),
    ("since 19 June 2024", "2024-06-19/.."),
    ("from 2008", "2008/.."),
    ("early 2024", "2024-37"),
    ("mid-2024", "2024-38"),
    ("mid 2024", "2024-38"),
    ("late 2024", "2024-39"),
    ("early June 2024", "[2024-06-01..2024-06-10]"),
    ("mid-June 2024", "[2024-06-11..2024-06-20]"),
    ("late February 2024", "[2024-02-21..2024-02-29]"),
    ("early 1990s", "[1990..1993]"),
    ("late 1990s", "[1997..1999]"),
    ("1950–1953", "1950/1953"),
    ("1950 – 1953", "1950/1953"),
    ("1950—1953", "1950/1953"),
    ("1950-1953", "1950/1953"),
    ("1950 to 1953", "1950/1953"),
    ("from 1950 to 1953", "1950/1953"),
    ("between 1950 and 1953", "1950/1953"),
    ("June 1950 – July 27, 1953", "1950-06/1953-07-27"),
    ("June–August 2024", "2024-06/2024-08"),
    ("19–21 June 2024", "2024-06-19/2024-06-21"),
    ("c. 1950–1953", "1950~/1953~"),
    ("the 1990s", "199X"),
    ("1990s", "199X"),
    ("the 19th century", "18XX"),
    ("spring 2024", "2024-21"),
    ("winter 2024", "2024-24"),
    ("fall 2024", "2024-23"),
    ("Q2 2024", "2024-34"),
    ("H2 2024", "2024-41"),
    ("44 BC", "-0043"),
    ("44 BCE", "-0043"),
    ("AD 800", "0800"),
    ("800 AD", "0800"),
    ("201x", "201X"),
]


@pytest.mark.parametrize(("text", "edtf"), ENGLISH)
def test_english_forms(text: str, edtf: str) -> None:
    w = When.parse(text)
    assert str(w) == edtf
    assert When.from_edtf(edtf) == w  # str() is always canonical EDTF


@pytest.mark.parametrize("text", ["June 2024", "c. 1945", "after 2008", "1950–1953"])
def test_english_is_not_edtf(text: str) -> None:
    with pytest.raises(InvalidDate, match="not an EDTF date"):
        When.from_edtf(text)


def test_english_conventions_bounds() -> None:
    early, mid, late = (When.parse(f"{p} 2024") for p in ("early", "mid", "late"))
    assert (early.lo, early.hi) == (day(2024, 1, 1), day(2024, 4, 30))
    assert (mid.lo, mid.hi) == (day(2024, 5, 1), day(2024, 8, 31))
    assert (late.lo, late.hi) == (day(2024, 9, 1), day(2024, 12, 31))
    before, after, since = (When.parse(f"{p} 2008") for p in ("before", "after", "since"))
    assert (before.lo, before.hi) == (UNBOUNDED_LO, day(2007, 12, 31))
    assert before.open_start and before.relations_to("2008") == {"before", "meets"}
    assert (after.lo, after.hi) == (day(2009, 1, 1), UNBOUNDED_HI)
    assert after.open_end and after.relations_to("2008") == {"after", "met_by"}
    assert since.lo == day(2008, 1, 1) and since.possibly_during("2000/2010") is False
    assert When.parse("circa 1945").approximate
    assert (When.parse("c. 1945").lo, When.parse("c. 1945").hi) == (
        day(1945, 1, 1),
        day(1945, 12, 31),
    )


# -- invalid input --------------------------------------------------------------------------

INVALID = [
    ("2024-13", "month 13 does not exist"),
    ("2023-02-29", "2023 is not a leap year"),
    ("1900-02-29", "1900 is not a leap year"),
    ("2024-06-31", "has 30 days"),
    ("2025/2022", "before the start"),
    ("Y2024", "more than four digits"),
    ("24", "four digits"),
    ("24-06-19", "four digits"),
    ("", "empty"),
    ("   ", "empty"),
    ("garbage", "neither EDTF nor an English date"),
    ("June 31, 2024", "has 30 days"),
    ("the 1900s", "ambiguous"),
    ("1950–53", "not an EDTF date"),
    ("June 2024 – May 2024", "before the start"),
    ("c. Y170000002", "cannot be qualified"),
]


@pytest.mark.parametrize(("text", "why"), INVALID)
def test_invalid_input_raises_invalid_date_quoting_it(text: str, why: str) -> None:
    with pytest.raises(InvalidDate) as info:
        When.parse(text)
    assert repr(text) in str(info.value)
    assert why in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("value", [None, 3.5, [2024], {"y": 2024}, True, object(), b"2024"])
def test_non_dates_raise_invalid_date(value: object) -> None:
    with pytest.raises(InvalidDate):
        When.coerce(value)
    with pytest.raises(InvalidDate):
        When.parse(value)  # type: ignore[arg-type]
    with pytest.raises(InvalidDate):
        When.from_edtf(value)  # type: ignore[arg-type]


# -- values ---------------------------------------------------------------------------------


def test_attributes_of_a_month() -> None:
    w = When.parse("2024-06")
    assert (w.lo, w.hi) == (day(2024, 6, 1), day(2024, 6, 30))
    assert w.earliest == pendulum.Date(2024, 6, 1)
    assert isinstance(w.earliest, pendulum.Date)
    assert w.latest == pendulum.Date(2024, 6, 30)
    assert w.precision is Precision.MONTH
    assert not (w.approximate or w.uncertain or w.is_interval)
    assert w.start is w and w.end is w
    assert w.form == "date"
    assert w.members == ()


def test_interval_ends_have_their_own_precision_and_qualifiers() -> None:
    w = When.parse("1984~/2004-06-11")
    assert w.is_interval and w.form == "interval"
    assert w.start == When.parse("1984~") and w.start is not None and w.start.approximate
    assert w.end == When.parse("2004-06-11") and w.end is not None
    assert w.end.precision is Precision.DAY and not w.end.approximate
    assert w.precision is Precision.YEAR  # the coarser end
    assert w.approximate and not w.uncertain
    assert When.parse("1985/..").end is None and When.parse("/1985").start is None


def test_sets_keep_members_and_have_hull_bounds() -> None:
    w = When.parse("[1667,1668,1670..1672]")
    assert w.form == "one_of"
    assert [str(m) for m in w.members] == ["1667", "1668", "1670/1672"]
    assert (w.lo, w.hi) == (day(1667, 1, 1), day(1672, 12, 31))
    all_of = When.parse("{1960,1961-12}")
    assert all_of.form == "all_of" and str(all_of) == "{1960,1961-12}"
    # all of: starts by the end of 1960, ends no earlier than December 1961
    assert all_of.definitely_contains("1961-03")
    assert not When.parse("[1960,1961-12]").definitely_contains("1961-03")


def test_years_outside_pendulum_range_use_ordinals() -> None:
    for text in ("0000", "-0044", "Y170000002", "Y-17E7"):
        w = When.parse(text)
        y = int(text.replace("Y", "").replace("E7", "0000000"))
        assert ymd(w.lo) == (y, 1, 1) and ymd(w.hi) == (y, 12, 31)
        with pytest.raises(InvalidDate, match=r"outside 1-9999.*\.lo/\.hi"):
            _ = w.earliest
    assert When.parse("-0044-03-15").lo == ordinal(-44, 3, 15)
    assert When.parse("0001-01-01").earliest == pendulum.Date(1, 1, 1)


def test_ordinal_helpers() -> None:
    assert ordinal(1, 1, 1) == 1
    assert ordinal(2024, 6, 19) == dt.date(2024, 6, 19).toordinal()
    assert ymd(ordinal(-4713, 11, 24)) == (-4713, 11, 24)
    assert ordinal(0, 3, 1) - ordinal(0, 2, 28) == 2  # year 0 is a leap year


def test_precision_order() -> None:
    names = [p.name for p in sorted(Precision)]
    assert names == [
        "SECOND",
        "MINUTE",
        "HOUR",
        "DAY",
        "MONTH",
        "SEASON",
        "YEAR",
        "DECADE",
        "CENTURY",
        "MILLENNIUM",
    ]


def test_groupings_table_is_documented() -> None:
    assert set(GROUPINGS) == set(range(21, 42))
    assert GROUPINGS[24] == (12, 3)  # winter: December to February of the next year


# -- construction ---------------------------------------------------------------------------


def test_coerce_accepts_the_documented_types() -> None:
    assert str(When.coerce(2024)) == "2024"
    assert str(When.coerce(-44)) == "-0044"
    assert str(When.coerce(170000002)) == "Y170000002"
    assert str(When.coerce(dt.date(2024, 6, 19))) == "2024-06-19"
    assert str(When.coerce(pendulum.date(2024, 6, 19))) == "2024-06-19"
    assert str(When.coerce(dt.datetime(2024, 6, 19, 8, 5, 3, 999))) == "2024-06-19T08:05:03"
    aware = dt.datetime(2024, 6, 19, 8, 5, 3, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert str(When.coerce(aware)) == "2024-06-19T08:05:03-04:00"
    assert str(When.coerce(pendulum.datetime(2024, 6, 19, tz="UTC"))) == "2024-06-19T00:00:00Z"
    w = When.parse("2024")
    assert When.coerce(w) is w
    assert When("June 2024") == When.parse("2024-06")
    assert When(w) == w


def test_between_and_from_ordinals() -> None:
    assert str(When.between("1950", dt.date(1953, 7, 27))) == "1950/1953-07-27"
    assert str(When.between(None, "2024")) == "../2024"
    assert str(When.between("2024", "")) == "2024/"
    with pytest.raises(InvalidDate, match="before the start"):
        When.between(2025, 2024)
    with pytest.raises(InvalidDate, match="single date"):
        When.between("1950/1951", 1960)
    assert str(When.from_ordinals(day(2024, 6, 19))) == "2024-06-19"
    assert str(When.from_ordinals(UNBOUNDED_LO, day(2024, 6, 19))) == "../2024-06-19"
    with pytest.raises(InvalidDate):
        When.from_ordinals(10, 5)


def test_parse_is_cached_and_values_are_immutable() -> None:
    assert When.parse("2024-06-19") is When.parse("2024-06-19")
    w = When.parse("2024")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        w.lo = 5  # type: ignore[misc]
    assert hash(w) == hash(When.parse("2024"))
    assert {w: 1}[When.parse("2024")] == 1
    assert repr(w) == "When('2024')"


def test_canonical_forms() -> None:
    assert str(When.parse("2004~-06~-11")) == "2004-06~-11"
    assert str(When.parse("?2004-?06-?11")) == "2004-06-11?"
    assert str(When.parse("2004?-06~")) == "2004%-~06"  # "~" after the month covers the year
    assert When.parse("2004~-06~-11") == When.parse("2004-06~-11")


# -- comparisons ----------------------------------------------------------------------------


def test_sorting_by_earliest_then_latest_then_precision() -> None:
    texts = ["2024-06-19", "2024", "2024-06", "2023/2025", "../2020", "2024-01-01"]
    ordered = [str(w) for w in sorted(When.parse(t) for t in texts)]
    assert ordered == ["../2020", "2023/2025", "2024-01-01", "2024", "2024-06", "2024-06-19"]
    assert When.parse("2024") != When.parse("2024~")
    assert (When.parse("2024") < When.parse("2024~")) != (When.parse("2024~") < When.parse("2024"))
    assert When.parse("2024").__lt__(2024) is NotImplemented


def test_allen_relations_examples() -> None:
    june, july = When.parse("2024-06"), When.parse("2024-07")
    assert june.relations_to(july) == {"before", "meets"}
    assert june.possibly_meets(july) and not june.definitely_meets(july)
    assert june.definitely("before", "2024-08")
    war = When.parse("1950-06-25/1953-07-27")
    assert war.definitely_contains("1951")
    assert war.relations_to("1950-06-25") == {"started_by"}
    # "1950" is some day or stretch within 1950; the war started on 1950-06-25
    assert When.parse("1950").relations_to(war) == {
        "before",
        "meets",
        "overlaps",
        "starts",
        "during",
    }
    assert set(ALLEN_RELATIONS) == set(When.parse("2024").relations_to("2024"))
    with pytest.raises(InvalidDate, match="unknown Allen relation"):
        june.possibly("near", july)


def test_open_and_unknown_ends_in_relations() -> None:
    ongoing = When.parse("2024-12-04/..")
    assert ongoing.definitely_after("2024-06")
    assert ongoing.possibly_overlaps("2025/2026") is False  # it never ends
    assert ongoing.definitely_contains("2025")
    unknown = When.parse("2024-12-04/")
    assert unknown.possibly_before("2025") and not unknown.definitely_contains("2025")


def test_bounds_predicates_accept_anything_coercible() -> None:
    year = When.parse("2024")
    assert year.contains("2024-06-19") and year.contains(dt.date(2024, 1, 1))
    assert "June 2024" in year
    assert When.parse("2024-06").during(2024)
    assert year.overlaps("2023-12/2024-01") and not year.overlaps(pendulum.date(2025, 1, 1))


# -- arithmetic -----------------------------------------------------------------------------


def test_gap() -> None:
    assert When.parse("2024-06-01").gap("2024-06-03") == (2, 2)
    assert When.parse("2024-06").gap("2024-07") == (1, 60)  # from June 30 / June 1 to July 1 / 31
    assert When.parse("2024").gap("2024-06") == (-213, 181)
    assert When.parse("1985/..").gap("2000") == (None, None)


def test_shifted() -> None:
    assert str(When.parse("2024-06-19") + dt.timedelta(days=12)) == "2024-07-01"
    assert str(When.parse("2024-06-19") - 19) == "2024-05-31"
    assert str(When.parse("2024-01-31").shifted(pendulum.duration(months=1))) == "2024-02-29"
    assert str(When.parse("1950/1953").shifted(pendulum.duration(years=1))) == "1951/1954"
    assert str(When.parse("2001-24?").shifted(pendulum.duration(years=-1))) == "2000-24?"
    assert str(When.parse("2024-06-19T23:00:00Z") + dt.timedelta(hours=2)) == "2024-06-20T01:00:00Z"
    assert str(When.parse("1985/..") + pendulum.duration(years=1)) == "1986/.."
    assert When.parse("2024").shifted(0) == When.parse("2024")
    with pytest.raises(InvalidDate, match="whole months"):
        When.parse("2024-06").shifted(dt.timedelta(days=3))
    with pytest.raises(InvalidDate, match="unspecified digits"):
        When.parse("201X").shifted(pendulum.duration(years=1))
    with pytest.raises(InvalidDate):
        When.parse("2024").shifted("a week")  # type: ignore[arg-type]
    assert When.parse("2024").__add__("x") is NotImplemented


def test_widened_is_a_query_time_choice() -> None:
    w = When.parse("2024-06~")
    assert (w.lo, w.hi) == (day(2024, 6, 1), day(2024, 6, 30))  # stored bounds stay strict
    wide = w.widened()
    assert (wide.lo, wide.hi) == (day(2024, 5, 1), day(2024, 7, 31))
    assert str(When.parse("2004-06-11%").widened()) == "[2004-06-09..2004-06-13]"
    assert When.parse("2024-06").widened() == When.parse("2024-06")  # nothing to pad
    assert str(When.parse("2024-06").widened(days=3)) == "[2024-05-29..2024-07-03]"
    assert str(When.parse("2024-02").widened(months=1)) == "[2024-01-01..2024-03-31]"
    assert str(When.parse("1985-04-12/").widened(days=2)) == "1985-04-10/"
    assert str(When.parse("../1985").widened(years=1)) == "../1986-12-31"
    assert str(When.parse("2004-06-~11").widened()) == "[2004-06-10..2004-06-12]"
    assert str(When.parse("2004~-06-11").widened()) == "[2003-06-11..2005-06-11]"
