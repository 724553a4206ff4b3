"""EDTF (ISO 8601-2) parsing and formatting internals behind :class:`relations.when.When`.

This module knows the calendar (day ordinals for any year), the EDTF grammar (levels 0 and 1
and the useful parts of level 2) and the canonical form. It returns plain tuples so that it
does not depend on ``When``; ``relations.when`` is the public face.

Conventions (also documented in :mod:`relations.when`):

* Day ordinals are proleptic Gregorian, ``0001-01-01 == 1`` as ``datetime.date.toordinal``,
  extended to year 0 and negative years (astronomical numbering: ``0000`` is 1 BCE).
* Sub-year groupings (the "month" codes 21-41) cover these months (``GROUPINGS``):
  21-24 (spring, summer, autumn, winter; the spec says "independent of location", we use the
  northern-hemisphere meteorological seasons like python-edtf), 25-28 northern-hemisphere
  seasons (same months), 29-32 southern-hemisphere spring, summer, autumn, winter
  (Sep-Nov, Dec-Feb, Mar-May, Jun-Aug), 33-36 quarters, 37-39 quadrimesters (four months),
  40-41 semesters (half years). A winter (24, 28) or southern summer (30) of year Y is the one
  that *begins* in December of Y and ends in February of Y+1.

>>> fields("2004-06~-11")[:5] == (ordinal(2004, 6, 11), ordinal(2004, 6, 11),
...                               Precision.DAY, True, False)
True
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from relations.errors import InvalidDate

__all__ = [
    "GROUPINGS",
    "MAX_YEAR",
    "UNBOUNDED_HI",
    "UNBOUNDED_LO",
    "Date",
    "Precision",
    "days_in_month",
    "fields",
    "is_unbounded",
    "is_leap",
    "ordinal",
    "parse_date",
    "parse_node",
    "render_date",
    "render_node",
    "year_text",
    "ymd",
]

UNBOUNDED_LO: int = -(2**62)
UNBOUNDED_HI: int = 2**62
MAX_YEAR: int = 10**16 - 1
"""Largest absolute year accepted (its ordinals stay well inside the unbounded sentinels)."""
_UNBOUNDED_FROM = 2**61  # any |ordinal| at or beyond this is an open or unknown end


def is_unbounded(n: int) -> bool:
    """Whether day ordinal ``n`` stands for an open or unknown end (not a day).

    >>> is_unbounded(UNBOUNDED_HI), is_unbounded(UNBOUNDED_LO), is_unbounded(738000)
    (True, True, False)
    """
    return n <= -_UNBOUNDED_FROM or n >= _UNBOUNDED_FROM


def year_text(y: int) -> str:
    """The EDTF text of year ``y``: four digits, a sign below zero, ``Y`` beyond 9999.

    >>> year_text(24), year_text(-44), year_text(12345)
    ('0024', '-0044', 'Y12345')
    """
    if 0 <= y <= 9999:
        return f"{y:04d}"
    if -9999 <= y < 0:
        return f"-{-y:04d}"
    return f"Y{y}"


class Precision(enum.IntEnum):
    """How finely a date is known: finer < coarser.

    ``HOUR`` and ``MINUTE`` exist for completeness; EDTF date-times always carry seconds, so
    parsed date-times have ``SECOND`` precision. All sub-year groupings (seasons, quarters,
    quadrimesters, semesters) have ``SEASON`` precision.

    >>> Precision.DAY < Precision.MONTH < Precision.SEASON < Precision.YEAR
    True
    >>> max(Precision.DAY, Precision.DECADE).name
    'DECADE'
    """

    SECOND = 0
    MINUTE = 1
    HOUR = 2
    DAY = 3
    MONTH = 4
    SEASON = 5
    YEAR = 6
    DECADE = 7
    CENTURY = 8
    MILLENNIUM = 9


Precision.__module__ = "relations.when"

# ---------------------------------------------------------------------------------------------
# calendar


def ordinal(y: int, m: int, d: int) -> int:
    """Proleptic Gregorian day ordinal of ``y-m-d`` (``0001-01-01`` is 1), for any year.

    Same numbering as :meth:`datetime.date.toordinal`, extended to year 0, negative years
    (astronomical numbering) and years beyond 9999. The arguments are not validated.

    >>> import datetime
    >>> ordinal(2024, 6, 19) == datetime.date(2024, 6, 19).toordinal()
    True
    >>> ordinal(1, 1, 1), ordinal(0, 12, 31)
    (1, 0)
    """
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 305


def ymd(n: int) -> tuple[int, int, int]:
    """The ``(year, month, day)`` of a day ordinal: the inverse of :func:`ordinal`.

    >>> ymd(ordinal(-44, 3, 15))
    (-44, 3, 15)
    >>> ymd(1)
    (1, 1, 1)
    """
    z = n + 305
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def is_leap(y: int) -> bool:
    """Proleptic Gregorian leap year (year 0 is a leap year).

    >>> is_leap(2024), is_leap(1900), is_leap(2000), is_leap(0)
    (True, False, True, True)
    """
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


_DIM = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(y: int, m: int) -> int:
    """Number of days in month ``m`` of year ``y``.

    >>> days_in_month(2023, 2), days_in_month(2024, 2), days_in_month(2024, 6)
    (28, 29, 30)
    """
    if m == 2 and is_leap(y):
        return 29
    return _DIM[m]


# ---------------------------------------------------------------------------------------------
# sub-year groupings: code -> (first month, number of months)

GROUPINGS: Mapping[int, tuple[int, int]] = MappingProxyType(
    {
        21: (3, 3),  # spring (northern-hemisphere months: the spec leaves location open)
        22: (6, 3),  # summer
        23: (9, 3),  # autumn
        24: (12, 3),  # winter: December of the year to February of the next
        25: (3, 3),  # spring, northern hemisphere
        26: (6, 3),  # summer, northern hemisphere
        27: (9, 3),  # autumn, northern hemisphere
        28: (12, 3),  # winter, northern hemisphere
        29: (9, 3),  # spring, southern hemisphere
        30: (12, 3),  # summer, southern hemisphere: December to February of the next year
        31: (3, 3),  # autumn, southern hemisphere
        32: (6, 3),  # winter, southern hemisphere
        33: (1, 3),  # quarter 1
        34: (4, 3),  # quarter 2
        35: (7, 3),  # quarter 3
        36: (10, 3),  # quarter 4
        37: (1, 4),  # quadrimester 1
        38: (5, 4),  # quadrimester 2
        39: (9, 4),  # quadrimester 3
        40: (1, 6),  # semester 1
        41: (7, 6),  # semester 2
    }
)

# ---------------------------------------------------------------------------------------------
# parsed structure

_U, _A = 1, 2  # qualifier bits: uncertain (?), approximate (~); both = %
_QBITS = {"?": _U, "~": _A, "%": _U | _A}
_QSYM = ("", "?", "~", "%")


def _bad(full: str, why: str) -> InvalidDate:
    return InvalidDate(f"invalid date {full!r}: {why}")


class Date:
    """One parsed EDTF date (not an interval or set): components, qualifiers and bounds.

    >>> d = parse_date("2004-?06-11", "2004-?06-11")
    >>> d.comps, d.quals, render_date(d)
    (['2004', '06', '11'], [0, 1, 0], '2004-?06-11')
    """

    __slots__ = ("comps", "hi", "lo", "prec", "quals", "special", "time")

    def __init__(
        self,
        comps: list[str],
        quals: list[int],
        time: str,
        lo: int,
        hi: int,
        prec: Precision,
        special: bool,
    ) -> None:
        self.comps = comps  # year (with sign), month, day texts as written (without qualifiers)
        self.quals = quals  # qualifier bits per component
        self.time = time  # "" or canonical "Thh:mm:ss[Z|±hh:mm]"
        self.lo = lo
        self.hi = hi
        self.prec = prec
        self.special = special  # Y-year, exponent or significant digits: comps[0] is the text

    @property
    def approximate(self) -> bool:
        return any(q & _A for q in self.quals)

    @property
    def uncertain(self) -> bool:
        return any(q & _U for q in self.quals)


_DATE_RE = re.compile(
    r"([?~%])?(-?[0-9X]{4})([?~%])?"
    r"(?:-([?~%])?([0-9X]{2})([?~%])?"
    r"(?:-([?~%])?([0-9X]{2})([?~%])?"
    r"(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(Z|[+-][0-9]{2}(?::[0-9]{2})?)?)?)?)?"
)
_LONG_RE = re.compile(r"Y(-?)([0-9]+)(?:E([0-9]+))?(?:S([0-9]+))?")
_SIG_RE = re.compile(r"(-?)([0-9]{4})S([0-9]+)")


def _year_prec(span: int) -> Precision:
    if span <= 1:
        return Precision.YEAR
    if span <= 10:
        return Precision.DECADE
    if span <= 100:
        return Precision.CENTURY
    return Precision.MILLENNIUM


_MAX_YEAR_DIGITS = 20  # more digits than MAX_YEAR has, and far fewer than int() refuses


def _short(s: str) -> str:
    return repr(s) if len(s) <= 40 else f"{s[:40]!r}... ({len(s)} characters)"


def _parse_special(s: str, full: str) -> Date:
    """Y-years (``Y170000002``), exponents (``Y-17E7``) and significant digits (``1950S2``)."""
    m = _LONG_RE.fullmatch(s)
    if m is not None:
        sign, digits, exp, sig = m.groups()
        if len(digits) > _MAX_YEAR_DIGITS or (exp is not None and len(exp) > 2):
            # before int(): 4301 digits raise a raw ValueError, and far fewer cost time
            raise _bad(full, f"year {_short(s)} is beyond the supported range (±{MAX_YEAR})")
        if digits[0] == "0":
            raise _bad(full, f"the year in {s!r} has a leading zero")
        if exp is None:
            if len(digits) <= 4:
                raise _bad(
                    full,
                    f"'Y' years must have more than four digits; write {sign}{int(digits):04d}",
                )
            value = int(digits)
        else:
            if exp[0] == "0":
                raise _bad(full, f"the exponent in {s!r} has a leading zero or is zero")
            if len(digits) + int(exp) > 17:
                raise _bad(full, f"year {s!r} is beyond the supported range (±{MAX_YEAR})")
            value = int(digits) * 10 ** int(exp)
    else:
        m = _SIG_RE.fullmatch(s)
        if m is None:
            raise _bad(full, f"{s!r} is not an EDTF date")
        sign, digits, sig = m.groups()
        if len(digits) > _MAX_YEAR_DIGITS:
            raise _bad(full, f"year {_short(s)} is beyond the supported range (±{MAX_YEAR})")
        value = int(digits)
        if sign and value == 0:
            raise _bad(full, "year -0000 does not exist; write 0000")
    if value > MAX_YEAR:
        raise _bad(full, f"year {s!r} is beyond the supported range (±{MAX_YEAR})")
    lo_abs = hi_abs = value
    if sig is not None:
        ndig = len(str(value))
        if sig[0] == "0" or len(sig) > 2 or not 1 <= int(sig) <= ndig:
            raise _bad(full, f"significant digits S{sig} must be 1 to {ndig} for year {value}")
        unit = 10 ** (ndig - int(sig))
        lo_abs = value // unit * unit
        hi_abs = lo_abs + unit - 1
    if sign:
        ylo, yhi = -hi_abs, -lo_abs
    else:
        ylo, yhi = lo_abs, hi_abs
    return Date(
        [s],
        [0],
        "",
        ordinal(ylo, 1, 1),
        ordinal(yhi, 12, 31),
        _year_prec(yhi - ylo + 1),
        True,
    )


def _matches(pattern: str, value: int) -> bool:
    text = f"{value:02d}"
    return all(p in ("X", c) for p, c in zip(pattern, text, strict=True))


def _years(ytext: str, ascending: bool) -> Iterator[int]:
    """Years matching a 4-character pattern with X digits (and an optional sign), in order."""
    neg = ytext.startswith("-")
    digits = ytext[1:] if neg else ytext
    choices: list[tuple[int, ...]] = [tuple(range(10)) if c == "X" else (int(c),) for c in digits]
    # Ascending absolute values give ascending years for positive and descending for negative.
    want_abs_ascending = ascending != neg
    if not want_abs_ascending:
        choices = [tuple(reversed(c)) for c in choices]
    for combo in itertools.product(*choices):
        v = combo[0] * 1000 + combo[1] * 100 + combo[2] * 10 + combo[3]
        if neg:
            if v == 0:
                continue
            yield -v
        else:
            yield v


def parse_date(s: str, full: str, allow_time: bool = True) -> Date:
    """Parse one EDTF date (levels 0-2, no interval or set); ``full`` is quoted in errors.

    >>> d = parse_date("156X-12-25", "156X-12-25")
    >>> ymd(d.lo), ymd(d.hi), d.prec.name
    ((1560, 12, 25), (1569, 12, 25), 'DECADE')
    """
    if not s:
        raise _bad(full, "empty date")
    c0 = s[0]
    if c0 == "Y" or "S" in s:
        return _parse_special(s, full)
    m = _DATE_RE.fullmatch(s)
    if m is None:
        raise _bad(full, _explain(s))
    (ql0, ytext, qr0, ql1, mtext, qr1, ql2, dtext, qr2, hh, mi, ss, tz) = m.groups()
    if ytext == "-0000":
        raise _bad(full, "year -0000 does not exist; write 0000")
    comps = [ytext]
    lefts = [ql0]
    rights = [qr0]
    if mtext is not None:
        comps.append(mtext)
        lefts.append(ql1)
        rights.append(qr1)
        if dtext is not None:
            comps.append(dtext)
            lefts.append(ql2)
            rights.append(qr2)
    n = len(comps)
    quals = [0] * n
    for i in range(n):
        left = lefts[i]
        if left is not None:
            quals[i] |= _QBITS[left]
        right = rights[i]
        if right is not None:
            bits = _QBITS[right]
            for j in range(i + 1):
                quals[j] |= bits
    ytext_x = "X" in ytext
    # -- time of day
    time = ""
    if hh is not None:
        if not allow_time:
            raise _bad(full, "EDTF intervals and sets take dates only, not times of day")
        if any(quals) or ytext_x or "X" in mtext or "X" in dtext:
            raise _bad(full, "a date-time cannot have qualifiers or unspecified digits")
        if int(hh) > 23 or int(mi) > 59 or int(ss) > 59:
            raise _bad(full, f"time {hh}:{mi}:{ss} is not a valid time of day (00:00:00-23:59:59)")
        if tz is not None and tz != "Z":
            if len(tz) == 3:
                tz += ":00"  # "-04" is "-04:00": one canonical form
            if int(tz[1:3]) > 23 or int(tz[4:6]) > 59:
                raise _bad(full, f"time zone offset {tz} is out of range")
        time = f"T{hh}:{mi}:{ss}{tz or ''}"
    # -- precision
    if time:
        prec = Precision.SECOND
    elif dtext is not None:
        prec = Precision.DAY
    elif mtext is not None:
        prec = Precision.MONTH
    else:
        prec = Precision.YEAR
    if ytext_x:
        digits = ytext.lstrip("-")
        prec = max(prec, _year_prec(10 ** (4 - digits.index("X"))))
    if mtext is not None and "X" in mtext:
        prec = max(prec, Precision.YEAR)
    if dtext is not None and "X" in dtext:
        prec = max(prec, Precision.MONTH)
    # -- bounds
    if ytext_x:
        first = next(_years(ytext, True), None)
        last = next(_years(ytext, False), None)
        if first is None or last is None:
            raise _bad(full, f"no year matches {ytext!r}")
        ylo, yhi = first, last
    else:
        ylo = yhi = int(ytext)
    if mtext is None:
        return Date(comps, quals, time, ordinal(ylo, 1, 1), ordinal(yhi, 12, 31), prec, False)
    if "X" not in mtext:
        mo = int(mtext)
        if mo in GROUPINGS:
            if dtext is not None:
                raise _bad(full, f"{mtext} is a season or sub-year grouping code; it has no days")
            first, count = GROUPINGS[mo]
            last = first + count - 1
            ey, em = (yhi + 1, last - 12) if last > 12 else (yhi, last)
            hi = ordinal(ey, em, days_in_month(ey, em))
            return Date(comps, quals, time, ordinal(ylo, first, 1), hi, Precision.SEASON, False)
        if not 1 <= mo <= 12:
            raise _bad(
                full,
                f"month {mtext} does not exist (months are 01-12; seasons and other "
                "sub-year groupings 21-41)",
            )
        months = [mo]
    else:
        months = [v for v in range(1, 13) if _matches(mtext, v)]
        if not months:
            raise _bad(full, f"no month 01-12 matches {mtext!r}")
    if dtext is None:
        return Date(
            comps,
            quals,
            time,
            ordinal(ylo, months[0], 1),
            ordinal(yhi, months[-1], days_in_month(yhi, months[-1])),
            prec,
            False,
        )
    if "X" not in dtext:
        days = [int(dtext)]
        if not 1 <= days[0] <= 31:
            raise _bad(full, f"day {dtext} does not exist (days are 01-31)")
    else:
        days = [v for v in range(1, 32) if _matches(dtext, v)]
        if not days:
            raise _bad(full, f"no day 01-31 matches {dtext!r}")
    if not ytext_x and len(months) == 1 and len(days) == 1:
        mo = months[0]
        if days[0] > days_in_month(ylo, mo):
            why = f"{ytext}-{mtext} has {days_in_month(ylo, mo)} days"
            if mo == 2 and days[0] == 29:
                why = f"{ytext} is not a leap year"
            raise _bad(full, f"day {dtext} does not exist: {why}")
        o = ordinal(ylo, mo, days[0])
        return Date(comps, quals, time, o, o, prec, False)
    first_day = _first_valid(ytext, ylo, months, days, True)
    last_day = _first_valid(ytext, yhi, months, days, False)
    if first_day is None or last_day is None:
        raise _bad(full, "no existing day matches this pattern")
    return Date(comps, quals, time, first_day, last_day, prec, False)


def _first_valid(ytext: str, y0: int, months: list[int], days: list[int], asc: bool) -> int | None:
    years: Iterator[int] = _years(ytext, asc) if "X" in ytext else iter((y0,))
    mseq = months if asc else months[::-1]
    for y in years:
        for mo in mseq:
            dim = days_in_month(y, mo)
            if asc:
                if days[0] <= dim:
                    return ordinal(y, mo, days[0])
            else:
                for d in reversed(days):
                    if d <= dim:
                        return ordinal(y, mo, d)
    return None


def _explain(s: str) -> str:
    """Say what is wrong with a string that is not an EDTF date."""
    body = s.lstrip("?~%-")
    head = ""
    for ch in body:
        if ch in "0123456789X":
            head += ch
        else:
            break
    if head and len(head) < 4:
        return (
            f"{s!r}: years need four digits (two-digit years are ambiguous; "
            "years beyond 9999 are written Y12345)"
        )
    if len(head) > 4:
        return f"{s!r}: years with more than four digits are written with a 'Y' prefix (Y{head})"
    if " " in s or "\t" in s:
        return f"{s!r} is not an EDTF date (EDTF has no spaces)"
    if "T" in s:
        return f"{s!r}: an EDTF date-time is YYYY-MM-DDThh:mm:ss with an optional Z or ±hh:mm"
    return (
        f"{s!r} is not an EDTF date (expected forms like 2024, 2024-06, 2024-06-19, 2024-06~, "
        "201X, 2001-21, Y170000002)"
    )


def render_date(d: Date) -> str:
    """Canonical EDTF text of a parsed date.

    A qualifier shared by every component is written once at the end (``2004-06-11~``); a
    qualifier shared by the year and the components after it up to some point is written after
    that component (``2004-06~-11``); the rest are written before their component
    (``2004-06-~11``).

    >>> render_date(parse_date("?2004-?06-?11", "x")), render_date(parse_date("2004~-06~", "x"))
    ('2004-06-11?', '2004-06~')
    """
    comps, quals = d.comps, d.quals
    q0 = quals[0]
    n = len(comps)
    if d.special:
        return comps[0]
    if all(q == q0 for q in quals):
        return "-".join(comps) + _QSYM[q0] + d.time
    j = -1
    if q0:
        j = 0
        while j + 1 < n and quals[j + 1] == q0:
            j += 1
    parts = []
    for i in range(n):
        if i < j:
            parts.append(comps[i])
        elif i == j:
            parts.append(comps[i] + _QSYM[q0])
        else:
            parts.append(_QSYM[quals[i]] + comps[i])
    return "-".join(parts) + d.time


# ---------------------------------------------------------------------------------------------
# whole values: dates, intervals, sets

FORM_DATE, FORM_INTERVAL, FORM_ONE_OF, FORM_ALL_OF = 0, 1, 2, 3

# An interval end: a Date, "" (unknown) or ".." (open).
End = Date | str
# A set member: (start, end, is_range); ranges "a..b", "..b" (start None), "a.." (end None).
Member = tuple[Date | None, Date | None, bool]
# A parsed value: (form, ends, members). A date has ends [Date]; an interval [start, end];
# a set has no ends and its members.
Node = tuple[int, list[End], list[Member]]

Fields = tuple[int, int, Precision, bool, bool, int, int, str, int]


def parse_node(text: str) -> Node:
    """Parse an EDTF value into ``(form, ends, members)``: a date, an interval or a set.

    >>> form, ends, members = parse_node("1964/..")
    >>> form == FORM_INTERVAL, ends[1], members
    (True, '..', [])
    """
    if not text:
        raise InvalidDate("invalid date '': empty string")
    c0 = text[0]
    if c0 in "[{":
        close = "]" if c0 == "[" else "}"
        if text[-1] != close or len(text) < 3:
            raise _bad(text, f"a set opened with {c0!r} must be closed with {close!r}")
        inner = text[1:-1]
        raw = inner.split(",")
        members: list[Member] = []
        for i, item in enumerate(raw):
            if not item:
                raise _bad(text, "empty member in a set")
            if ".." in item:
                a, _, b = item.partition("..")
                if ".." in b:
                    raise _bad(text, f"member {item!r} has more than one '..'")
                if not a and not b:
                    raise _bad(text, "'..' alone is not a set member")
                if not a and i != 0:
                    raise _bad(text, f"'..{b}' (or earlier) can only be the first member")
                if not b and i != len(raw) - 1:
                    raise _bad(text, f"'{a}..' (or later) can only be the last member")
                da = parse_date(a, text, False) if a else None
                db = parse_date(b, text, False) if b else None
                if da is not None and db is not None and db.hi < da.lo:
                    raise _bad(text, f"range {item!r} ends before it starts")
                members.append((da, db, True))
            else:
                members.append((parse_date(item, text, False), None, False))
        return (FORM_ONE_OF if c0 == "[" else FORM_ALL_OF), [], members
    if "/" in text:
        a, _, b = text.partition("/")
        if "/" in b:
            raise _bad(text, "an interval has exactly one '/'")
        if a in ("", "..") and b in ("", ".."):
            raise _bad(text, "an interval needs at least one known end")
        ea: End = a if a in ("", "..") else parse_date(a, text, False)
        eb: End = b if b in ("", "..") else parse_date(b, text, False)
        if isinstance(ea, Date) and isinstance(eb, Date) and eb.hi < ea.lo:
            raise _bad(text, f"the end {b!r} is before the start {a!r}")
        return FORM_INTERVAL, [ea, eb], []
    return FORM_DATE, [parse_date(text, text)], []


def render_node(form: int, ends: list[End], members: list[Member]) -> str:
    """Canonical EDTF text of a parsed value.

    >>> render_node(*parse_node("2004~-06~/2006-XX"))
    '2004-06~/2006-XX'
    """
    if form != FORM_ONE_OF and form != FORM_ALL_OF:
        return "/".join(p if isinstance(p, str) else render_date(p) for p in ends)
    out = []
    for a, b, is_range in members:
        ta = render_date(a) if a is not None else ""
        if is_range:
            tb = render_date(b) if b is not None else ""
            out.append(f"{ta}..{tb}")
        else:
            out.append(ta)
    body = ",".join(out)
    return f"[{body}]" if form == FORM_ONE_OF else f"{{{body}}}"


def _end_bounds(end: End, open_day: int) -> tuple[int, int]:
    """The earliest and latest day of an interval's end: a date's own bounds; an open end
    (``..``) is ``open_day`` both ways (it reaches indefinitely); an unknown one may be any day."""
    if isinstance(end, Date):
        return end.lo, end.hi
    if end == "..":
        return open_day, open_day
    return UNBOUNDED_LO, UNBOUNDED_HI


def node_fields(form: int, ends: list[End], members: list[Member], text: str) -> Fields:
    """The stored fields of a parsed value, given its canonical ``text``.

    ``(lo, hi, precision, approximate, uncertain, start_hi, end_lo, text, form)``: ``lo`` and
    ``start_hi`` bound the start, ``end_lo`` and ``hi`` bound the end.
    """
    if form == FORM_DATE:
        d = ends[0]
        assert isinstance(d, Date)
        return (d.lo, d.hi, d.prec, d.approximate, d.uncertain, d.hi, d.lo, text, form)
    if form == FORM_INTERVAL:
        a, b = ends
        dates = [p for p in (a, b) if isinstance(p, Date)]
        lo, shi = _end_bounds(a, UNBOUNDED_LO)
        elo, hi = _end_bounds(b, UNBOUNDED_HI)
        return (
            lo,
            hi,
            max(d.prec for d in dates),
            any(d.approximate for d in dates),
            any(d.uncertain for d in dates),
            shi,
            elo,
            text,
            form,
        )
    los: list[int] = []
    shis: list[int] = []
    elos: list[int] = []
    his: list[int] = []
    precs: list[Precision] = []
    approx = unc = False
    for da, db, is_range in members:
        for dd in (da, db):
            if dd is not None:
                precs.append(dd.prec)
                approx = approx or dd.approximate
                unc = unc or dd.uncertain
        if is_range:  # a missing end of a range (``..1760``) is open
            s_lo, s_hi = _end_bounds(".." if da is None else da, UNBOUNDED_LO)
            e_lo, e_hi = _end_bounds(".." if db is None else db, UNBOUNDED_HI)
        else:
            assert da is not None
            s_lo, s_hi = e_lo, e_hi = da.lo, da.hi
        los.append(s_lo)
        shis.append(s_hi)
        elos.append(e_lo)
        his.append(e_hi)
    lo, hi = min(los), max(his)
    if form == FORM_ONE_OF:
        shi, elo = hi, lo
    else:
        shi, elo = min(shis), max(elos)
    return (lo, hi, max(precs), approx, unc, shi, elo, text, form)


def fields(text: str) -> Fields:
    """Parse EDTF ``text`` into the stored fields of a When (see :func:`node_fields`).

    >>> fields("1985-04-12/..")[-1] == FORM_INTERVAL
    True
    """
    form, ends, members = parse_node(text)
    return node_fields(form, ends, members, render_node(form, ends, members))
