"""Dates in words: ``2024-10~`` is "about October 2024", ``1950/1953`` is "1950 to 1953".

Used by every view (text, SVG tooltips, HTML), so that a date always reads the same way. The
description is built from a :class:`~relations.when.When`'s bounds (earliest and latest possible
day) and precision, so it works for every EDTF form, including sets (``[2024-06,2024-09]``
reads "some time between 1 June 2024 and 30 September 2024").

>>> from relations.when import When
>>> when_in_words(When.parse("2024-10~"))
'about October 2024'
>>> when_in_words(When.parse("2024-10~"), short=True)
'c. Oct 2024'
"""

from __future__ import annotations

import re

from relations.when import Precision, When, ordinal, ymd

__all__ = ["format_day", "format_year", "when_in_words"]

MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_SHORT = tuple(m[:3] for m in MONTHS)

_GROUPING_NAMES = {
    21: "spring",
    22: "summer",
    23: "autumn",
    24: "winter",
    25: "spring",
    26: "summer",
    27: "autumn",
    28: "winter",
    29: "southern spring",
    30: "southern summer",
    31: "southern autumn",
    32: "southern winter",
    33: "Q1",
    34: "Q2",
    35: "Q3",
    36: "Q4",
    37: "first third of",
    38: "second third of",
    39: "last third of",
    40: "first half of",
    41: "second half of",
}
_GROUPING_RE = re.compile(r"^(?:Y)?(-?\d{4,})-(2\d|3\d|4[01])(?:[?~%])?$")
_TIME_RE = re.compile(r"T(\d\d:\d\d)(?::(\d\d))?")


def format_year(y: int) -> str:
    """A year for people: astronomical year 0 is 1 BCE, -43 is 44 BCE.

    >>> format_year(2024), format_year(0), format_year(-43)
    ('2024', '1 BCE', '44 BCE')
    """
    return str(y) if y > 0 else f"{1 - y} BCE"


def format_day(n: int, *, short: bool = False) -> str:
    """A day ordinal as ``19 June 2024`` (or ``19 Jun 2024`` when ``short``).

    >>> format_day(ordinal(2024, 6, 19)), format_day(ordinal(2024, 6, 19), short=True)
    ('19 June 2024', '19 Jun 2024')
    """
    y, m, d = ymd(n)
    names = MONTHS_SHORT if short else MONTHS
    return f"{d} {names[m]} {format_year(y)}"


def _month_end(y: int, m: int) -> int:
    return ordinal(y, m + 1, 1) - 1 if m < 12 else ordinal(y, 12, 31)


def _point(w: When, *, short: bool) -> str:
    """The words for a date that is not an interval (a day, month, year, ... or a set)."""
    lo, hi = w.lo, w.hi
    text = str(w)
    months = MONTHS_SHORT if short else MONTHS
    y1, m1, d1 = ymd(lo)
    y2, m2, _d2 = ymd(hi)
    if lo == hi:
        out = format_day(lo, short=short)
        t = _TIME_RE.search(text)
        if t is not None and w.precision < Precision.DAY:
            out += f", {t.group(1)}" if short or t.group(2) in (None, "00") else f", {t[0][1:]}"
        return out
    g = _GROUPING_RE.match(text.lstrip("[{").rstrip("]}")) if "," not in text else None
    if g is not None and w.precision == Precision.SEASON:
        name = _GROUPING_NAMES[int(g.group(2))]
        year = format_year(int(g.group(1)))
        if name.endswith(" of"):
            return f"{name} {year}"
        if name.startswith("Q"):
            return f"{name} {year}"
        if "winter" in name or name == "southern summer":
            return f"{name} {year}/{format_year(int(g.group(1)) + 1)[-2:]}"
        return f"{name} {year}"
    if d1 == 1 and hi == _month_end(y2, m2):  # whole months
        if (y1, m1) == (y2, m2):
            return f"{months[m1]} {format_year(y1)}"
        if m1 == 1 and m2 == 12:  # whole years
            if y1 == y2:
                return format_year(y1)
            n = y2 - y1 + 1
            if n == 10 and y1 % 10 == 0 and y1 > 0:
                return f"the {y1}s"
            if n == 100 and y1 % 100 == 0 and y1 > 0:
                century = _ordinal_word(y1 // 100 + 1)
                return f"the {y1}s" if short else f"the {y1}s ({century} century)"
            span = f"{format_year(y1)}–{format_year(y2)}"
            return span if short else f"some time in {span}"
        if y1 == y2:
            return f"{months[m1]}–{months[m2]} {format_year(y1)}"
        return f"{months[m1]} {format_year(y1)} – {months[m2]} {format_year(y2)}"
    a, b = format_day(lo, short=short), format_day(hi, short=short)
    return f"{a} – {b}" if short else f"some time between {a} and {b}"


def _ordinal_word(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _qualified(w: When, words: str, *, short: bool) -> str:
    if w.approximate:
        words = ("c. " if short else "about ") + words
    if w.uncertain:
        words += "?" if short else " (uncertain)"
    return words


def when_in_words(w: When | str, *, short: bool = False) -> str:
    """Say a date in English, as precisely as it is known; ``short`` abbreviates.

    Open ends ("/..") read "ongoing", unknown ends ("/") read "end unknown".

    >>> when_in_words("2024-06-19"), when_in_words("2024-06"), when_in_words("2024")
    ('19 June 2024', 'June 2024', '2024')
    >>> when_in_words("1950-06-25/1953-07-27")
    '25 June 1950 to 27 July 1953'
    >>> when_in_words("1950-06-25/1953-07-27", short=True)
    '25 Jun 1950 – 27 Jul 1953'
    >>> when_in_words("2024-12-04/.."), when_in_words("2024-12-04/..", short=True)
    ('from 4 December 2024, ongoing', '4 Dec 2024 – …')
    >>> when_in_words("199X"), when_in_words("2024-22"), when_in_words("2024?")
    ('the 1990s', 'summer 2024', '2024 (uncertain)')
    >>> when_in_words("-0043-03-15")
    '15 March 44 BCE'
    >>> when_in_words("[2024-06,2024-09]")
    'one of: June 2024, September 2024'
    """
    if not isinstance(w, When):
        w = When.coerce(w)
    if w.form in ("one_of", "all_of"):
        parts = [when_in_words(m, short=short) for m in w.members]
        joined = ", ".join(parts)
        if short:
            return ("one of " if w.form == "one_of" else "all of ") + joined
        return ("one of: " if w.form == "one_of" else "all of: ") + joined
    if w.is_interval:
        start, end = w.start, w.end
        a = None if start is None else when_in_words(start, short=short)
        b = None if end is None else when_in_words(end, short=short)
        if short:
            left = a if a is not None else ("…" if w.open_start else "?")
            right = b if b is not None else ("…" if w.open_end else "?")
            return f"{left} – {right}"
        if a is None and b is None:  # pragma: no cover - When rejects "../.."
            return "unknown"
        if a is None:
            return f"until {b}" + ("" if w.open_start else ", start unknown")
        if b is None:
            return f"from {a}, " + ("ongoing" if w.open_end else "end unknown")
        return f"{a} to {b}"
    return _qualified(w, _point(w, short=short), short=short)
