"""Every example of the EDTF specification (LoC, 2019), levels 0-2, with its expected bounds.

Expected bounds are written by hand as (year, month, day) and turned into day ordinals by a
reference independent of relations.when (datetime, shifted by whole 400-year cycles for years
outside 1-9999). ``None`` is an open or unknown end.
"""

from __future__ import annotations

import datetime as dt

import pytest

from relations.errors import InvalidDate
from relations.when import UNBOUNDED_HI, UNBOUNDED_LO, Precision, When

YMD = tuple[int, int, int]


def ref_ordinal(ymd: YMD) -> int:
    """Day ordinal by datetime: the Gregorian calendar repeats every 400 years (146097 days)."""
    y, m, d = ymd
    k = (y - 1) // 400  # shift the year into 1..400
    return dt.date(y - 400 * k, m, d).toordinal() + 146097 * k


D, M, S, Y = Precision.DAY, Precision.MONTH, Precision.SEASON, Precision.YEAR
DEC, CEN, MIL, SEC = Precision.DECADE, Precision.CENTURY, Precision.MILLENNIUM, Precision.SECOND

# (text, canonical str or None if the same, earliest, latest, precision, approximate, uncertain)
Row = tuple[str, str | None, YMD | None, YMD | None, Precision, bool, bool]
LEVEL_0: list[Row] = [
    ("1985-04-12", None, (1985, 4, 12), (1985, 4, 12), D, False, False),
    ("1985-04", None, (1985, 4, 1), (1985, 4, 30), M, False, False),
    ("1985", None, (1985, 1, 1), (1985, 12, 31), Y, False, False),
    ("0000", None, (0, 1, 1), (0, 12, 31), Y, False, False),
    ("1985-04-12T23:20:30", None, (1985, 4, 12), (1985, 4, 12), SEC, False, False),
    ("1985-04-12T23:20:30Z", None, (1985, 4, 12), (1985, 4, 12), SEC, False, False),
    (
        "1985-04-12T23:20:30-04",
        "1985-04-12T23:20:30-04:00",
        (1985, 4, 12),
        (1985, 4, 12),
        SEC,
        False,
        False,
    ),
    ("1985-04-12T23:20:30+04:30", None, (1985, 4, 12), (1985, 4, 12), SEC, False, False),
    ("2001-02-03T09:30:01", None, (2001, 2, 3), (2001, 2, 3), SEC, False, False),
    ("2004-01-01T10:10:10Z", None, (2004, 1, 1), (2004, 1, 1), SEC, False, False),
    ("2004-01-01T10:10:10+05:00", None, (2004, 1, 1), (2004, 1, 1), SEC, False, False),
    ("1964/2008", None, (1964, 1, 1), (2008, 12, 31), Y, False, False),
    ("2004-06/2006-08", None, (2004, 6, 1), (2006, 8, 31), M, False, False),
    ("2004-02-01/2005-02-08", None, (2004, 2, 1), (2005, 2, 8), D, False, False),
    ("2004-02-01/2005-02", None, (2004, 2, 1), (2005, 2, 28), M, False, False),
    ("2004-02-01/2005", None, (2004, 2, 1), (2005, 12, 31), Y, False, False),
    ("2005/2006-02", None, (2005, 1, 1), (2006, 2, 28), Y, False, False),
]

LEVEL_1: list[Row] = [
    ("Y170000002", None, (170000002, 1, 1), (170000002, 12, 31), Y, False, False),
    ("Y-170000002", None, (-170000002, 1, 1), (-170000002, 12, 31), Y, False, False),
    ("2001-21", None, (2001, 3, 1), (2001, 5, 31), S, False, False),
    ("2001-22", None, (2001, 6, 1), (2001, 8, 31), S, False, False),
    ("2001-23", None, (2001, 9, 1), (2001, 11, 30), S, False, False),
    ("2001-24", None, (2001, 12, 1), (2002, 2, 28), S, False, False),
    ("1984?", None, (1984, 1, 1), (1984, 12, 31), Y, False, True),
    ("2004-06~", None, (2004, 6, 1), (2004, 6, 30), M, True, False),
    ("2004-06-11%", None, (2004, 6, 11), (2004, 6, 11), D, True, True),
    ("201X", None, (2010, 1, 1), (2019, 12, 31), DEC, False, False),
    ("20XX", None, (2000, 1, 1), (2099, 12, 31), CEN, False, False),
    ("2004-XX", None, (2004, 1, 1), (2004, 12, 31), Y, False, False),
    ("1985-04-XX", None, (1985, 4, 1), (1985, 4, 30), M, False, False),
    ("1985-XX-XX", None, (1985, 1, 1), (1985, 12, 31), Y, False, False),
    ("1985-04-12/..", None, (1985, 4, 12), None, D, False, False),
    ("1985-04/..", None, (1985, 4, 1), None, M, False, False),
    ("1985/..", None, (1985, 1, 1), None, Y, False, False),
    ("../1985-04-12", None, None, (1985, 4, 12), D, False, False),
    ("../1985-04", None, None, (1985, 4, 30), M, False, False),
    ("../1985", None, None, (1985, 12, 31), Y, False, False),
    ("1985-04-12/", None, (1985, 4, 12), None, D, False, False),
    ("1985-04/", None, (1985, 4, 1), None, M, False, False),
    ("1985/", None, (1985, 1, 1), None, Y, False, False),
    ("/1985-04-12", None, None, (1985, 4, 12), D, False, False),
    ("/1985-04", None, None, (1985, 4, 30), M, False, False),
    ("/1985", None, None, (1985, 12, 31), Y, False, False),
    ("1984~/2004-06", None, (1984, 1, 1), (2004, 6, 30), Y, True, False),
    ("1984/2004-06~", None, (1984, 1, 1), (2004, 6, 30), Y, True, False),
    ("1984~/2004~", None, (1984, 1, 1), (2004, 12, 31), Y, True, False),
    ("-1984?/2004%", None, (-1984, 1, 1), (2004, 12, 31), Y, True, True),
    ("1984?/2004-06~", None, (1984, 1, 1), (2004, 6, 30), Y, True, True),
    ("1984-06?/2004-08?", None, (1984, 6, 1), (2004, 8, 31), M, False, True),
    ("1984-06-02?/2004-08-08~", None, (1984, 6, 2), (2004, 8, 8), D, True, True),
    ("1984-06-02?/", None, (1984, 6, 2), None, D, False, True),
    ("-1985", None, (-1985, 1, 1), (-1985, 12, 31), Y, False, False),
]

LEVEL_2: list[Row] = [
    ("Y-17E7", None, (-170000000, 1, 1), (-170000000, 12, 31), Y, False, False),
    ("1950S2", None, (1900, 1, 1), (1999, 12, 31), CEN, False, False),
    ("Y171010000S3", None, (171000000, 1, 1), (171999999, 12, 31), MIL, False, False),
    ("Y3388E2S3", None, (338000, 1, 1), (338999, 12, 31), MIL, False, False),
    ("2001-25", None, (2001, 3, 1), (2001, 5, 31), S, False, False),
    ("2001-26", None, (2001, 6, 1), (2001, 8, 31), S, False, False),
    ("2001-27", None, (2001, 9, 1), (2001, 11, 30), S, False, False),
    ("2001-28", None, (2001, 12, 1), (2002, 2, 28), S, False, False),
    ("2001-29", None, (2001, 9, 1), (2001, 11, 30), S, False, False),
    ("2001-30", None, (2001, 12, 1), (2002, 2, 28), S, False, False),
    ("2001-31", None, (2001, 3, 1), (2001, 5, 31), S, False, False),
    ("2001-32", None, (2001, 6, 1), (2001, 8, 31), S, False, False),
    ("2001-33", None, (2001, 1, 1), (2001, 3, 31), S, False, False),
    ("2001-34", None, (2001, 4, 1), (2001, 6, 30), S, False, False),
    ("2001-35", None, (2001, 7, 1), (2001, 9, 30), S, False, False),
    ("2001-36", None, (2001, 10, 1), (2001, 12, 31), S, False, False),
    ("2001-37", None, (2001, 1, 1), (2001, 4, 30), S, False, False),
    ("2001-38", None, (2001, 5, 1), (2001, 8, 31), S, False, False),
    ("2001-39", None, (2001, 9, 1), (2001, 12, 31), S, False, False),
    ("2001-40", None, (2001, 1, 1), (2001, 6, 30), S, False, False),
    ("2001-41", None, (2001, 7, 1), (2001, 12, 31), S, False, False),
    ("[1667,1668,1670..1672]", None, (1667, 1, 1), (1672, 12, 31), Y, False, False),
    ("[..1760-12-03]", None, None, (1760, 12, 3), D, False, False),
    ("[1760-12..]", None, (1760, 12, 1), None, M, False, False),
    ("[1760-01,1760-02,1760-12..]", None, (1760, 1, 1), None, M, False, False),
    ("[1667,1760-12]", None, (1667, 1, 1), (1760, 12, 31), Y, False, False),
    ("[..1984]", None, None, (1984, 12, 31), Y, False, False),
    ("{1667,1668,1670..1672}", None, (1667, 1, 1), (1672, 12, 31), Y, False, False),
    ("{1960,1961-12}", None, (1960, 1, 1), (1961, 12, 31), Y, False, False),
    ("{..1984}", None, None, (1984, 12, 31), Y, False, False),
    ("2004?-06-11", None, (2004, 6, 11), (2004, 6, 11), D, False, True),
    ("2004-06~-11", None, (2004, 6, 11), (2004, 6, 11), D, True, False),
    ("?2004-06-~11", "2004?-06-~11", (2004, 6, 11), (2004, 6, 11), D, True, True),
    ("2004-?06-?11", None, (2004, 6, 11), (2004, 6, 11), D, False, True),
    ("2004-%06-11", None, (2004, 6, 11), (2004, 6, 11), D, True, True),
    ("2004-%06", None, (2004, 6, 1), (2004, 6, 30), M, True, True),
    ("156X-12-25", None, (1560, 12, 25), (1569, 12, 25), DEC, False, False),
    ("15XX-12-25", None, (1500, 12, 25), (1599, 12, 25), CEN, False, False),
    ("XXXX-12-XX", None, (0, 12, 1), (9999, 12, 31), MIL, False, False),
    ("1XXX-XX", None, (1000, 1, 1), (1999, 12, 31), MIL, False, False),
    ("1XXX-12", None, (1000, 12, 1), (1999, 12, 31), MIL, False, False),
    ("1984-1X", None, (1984, 10, 1), (1984, 12, 31), Y, False, False),
    ("2004-06-~01/2004-06-~20", None, (2004, 6, 1), (2004, 6, 20), D, True, False),
    ("2004-06-XX/2004-07-03", None, (2004, 6, 1), (2004, 7, 3), M, False, False),
]


@pytest.mark.parametrize(
    ("text", "canonical", "earliest", "latest", "precision", "approximate", "uncertain"),
    LEVEL_0 + LEVEL_1 + LEVEL_2,
    ids=[row[0] for row in LEVEL_0 + LEVEL_1 + LEVEL_2],
)
def test_spec_example(
    text: str,
    canonical: str | None,
    earliest: YMD | None,
    latest: YMD | None,
    precision: Precision,
    approximate: bool,
    uncertain: bool,
) -> None:
    for parse in (When.from_edtf, When.parse):
        w = parse(text)
        assert str(w) == (canonical or text)
        assert w.lo == (UNBOUNDED_LO if earliest is None else ref_ordinal(earliest))
        assert w.hi == (UNBOUNDED_HI if latest is None else ref_ordinal(latest))
        assert w.precision is precision
        assert (w.approximate, w.uncertain) == (approximate, uncertain)
        assert When.from_edtf(str(w)) == w
        if earliest is not None and 1 <= earliest[0] <= 9999:
            assert w.earliest == dt.date(*earliest)
        if latest is not None and 1 <= latest[0] <= 9999:
            assert w.latest == dt.date(*latest)
        if earliest is None:
            assert w.earliest is None
        if latest is None:
            assert w.latest is None


def test_unknown_and_open_ends_are_distinct_states() -> None:
    unknown, open_, known = (When.from_edtf(t) for t in ("1985/", "1985/..", "1985/1990"))
    assert (unknown.unknown_end, unknown.open_end) == (True, False)
    assert (open_.unknown_end, open_.open_end) == (False, True)
    assert (known.unknown_end, known.open_end) == (False, False)
    assert len({unknown, open_, known}) == 3
    # an unknown end may still be before 1990; an open end is never
    assert unknown.possibly_before("1991") and not open_.possibly_before("1991")
    start_unknown, start_open = When.from_edtf("/1985"), When.from_edtf("../1985")
    assert start_unknown.unknown_start and not start_unknown.open_start
    assert start_open.open_start and not start_open.unknown_start


# Old (2012 draft) syntax and other strings that are not EDTF: python-edtf BAD_EXAMPLES and the
# issue's invalid inputs.
NOT_EDTF = [
    "2004-(06)?-11",
    "2004-06-(11)~",
    "unknown/2006",
    "2006/open",
    "2001-21^southernHemisphere",
    "{1667,1668, 1670..1672}",
    "[1667,1668,1670...1672]",
    "1984?~",
    "y170000002",
    "Y2024",
    "Y02024",
    "2024-13",
    "2024-00",
    "2024-06-00",
    "2024-06-31",
    "2023-02-29",
    "1900-02-29",
    "2025/2022",
    "2024-06-19/2024-06-18",
    "24",
    "024",
    "02024",
    "24-06",
    "20240615",
    "2024-6-19",
    "-0000",
    "",
    " ",
    "garbage",
    "../..",
    "/",
    "2024/2025/2026",
    "2004-06-11T25:00:00",
    "2004-06-11T10:10",
    "2004-06-11T10:10:10/2004-06-12",
    "1985-04-12T23:20:30+24:00",
    "2024-2X",
    "2001-21-05",
    "[]",
    "[..]",
    "[1984..,1985]",
    "[1984,..1985]",
    "[1990..1980]",
    "Y1E99",
]


@pytest.mark.parametrize("text", NOT_EDTF)
def test_not_edtf_is_rejected_with_the_input_quoted(text: str) -> None:
    with pytest.raises(InvalidDate) as info:
        When.from_edtf(text)
    assert repr(text) in str(info.value)
