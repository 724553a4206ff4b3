"""When: a date or interval known only as precisely as it is known (first cut, being extended).

>>> w = When.parse("2024-06")
>>> w.lo == ordinal(2024, 6, 1), w.hi == ordinal(2024, 6, 30), str(w)
(True, True, '2024-06')
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
from typing import Any, cast

import attrs
import pendulum

from relations.errors import InvalidDate

__all__ = ["UNBOUNDED_HI", "UNBOUNDED_LO", "Precision", "When", "ordinal", "ymd"]

UNBOUNDED_LO: int = -(2**62)
"""``lo`` of a When whose start is open or unknown (below every real day ordinal)."""
UNBOUNDED_HI: int = 2**62
"""``hi`` of a When whose end is open or unknown (above every real day ordinal)."""


class Precision(enum.IntEnum):
    """How finely a date is known; finer < coarser.

    >>> Precision.DAY < Precision.MONTH < Precision.YEAR
    True
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


def ordinal(y: int, m: int, d: int) -> int:
    """Proleptic Gregorian day ordinal (0001-01-01 is 1), for any year.

    >>> ordinal(2024, 6, 19) == __import__("datetime").date(2024, 6, 19).toordinal()
    True
    >>> ordinal(0, 12, 31)
    0
    """
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 305


def ymd(n: int) -> tuple[int, int, int]:
    """Inverse of :func:`ordinal`: ``(year, month, day)`` of a day ordinal.

    >>> ymd(ordinal(-44, 3, 15))
    (-44, 3, 15)
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


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


_DIM = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(y: int, m: int) -> int:
    if m == 2 and _is_leap(y):
        return 29
    return _DIM[m]


_FORM_DATE, _FORM_INTERVAL, _FORM_ONE_OF, _FORM_ALL_OF = 0, 1, 2, 3


@attrs.frozen(slots=True, init=False, eq=False, order=False, repr=False)
class When:
    """A point or interval in time, as precisely as it is known (see module docs).

    >>> When("2024-06-19").precision
    <Precision.DAY: 3>
    """

    lo: int
    hi: int
    precision: Precision
    approximate: bool
    uncertain: bool
    _shi: int
    _elo: int
    _text: str
    _form: int

    def __init__(self, value: object) -> None:
        w = When.coerce(value)
        for name in ("lo", "hi", "precision", "approximate", "uncertain"):
            object.__setattr__(self, name, getattr(w, name))
        object.__setattr__(self, "_shi", w._shi)
        object.__setattr__(self, "_elo", w._elo)
        object.__setattr__(self, "_text", w._text)
        object.__setattr__(self, "_form", w._form)

    # -- construction -------------------------------------------------------------------
    @staticmethod
    def parse(text: str) -> When:
        """Parse EDTF or a common English form.

        >>> str(When.parse("2024-06"))
        '2024-06'
        """
        try:
            return _parse_cached(text)
        except TypeError:
            raise InvalidDate(f"not a date string: {text!r}") from None

    @staticmethod
    def from_edtf(text: str) -> When:
        """Parse strict EDTF only.

        >>> str(When.from_edtf("1964/2008"))
        '1964/2008'
        """
        try:
            return _parse_cached(text)
        except TypeError:
            raise InvalidDate(f"not a date string: {text!r}") from None

    @staticmethod
    def coerce(value: object) -> When:
        """Make a When from a When, str, int year, date, datetime or pendulum value.

        >>> str(When.coerce(2024)), str(When.coerce(__import__("datetime").date(2024, 6, 19)))
        ('2024', '2024-06-19')
        """
        if isinstance(value, When):
            return value
        if isinstance(value, str):
            return When.parse(value)
        if isinstance(value, bool):
            raise InvalidDate(f"cannot make a date from {value!r}")
        if isinstance(value, int):
            if 0 <= value <= 9999:
                return When.parse(f"{value:04d}")
            if -9999 <= value < 0:
                return When.parse(f"-{-value:04d}")
            return When.parse(f"Y{value}")
        if isinstance(value, _dt.datetime):
            s = value.strftime("%Y-%m-%dT%H:%M:%S")
            off = value.utcoffset()
            if off is not None:
                secs = int(off.total_seconds())
                if secs == 0:
                    s += "Z"
                else:
                    sign = "+" if secs > 0 else "-"
                    secs = abs(secs)
                    s += f"{sign}{secs // 3600:02d}:{secs % 3600 // 60:02d}"
            return When.parse(f"{value.year:04d}" + s[s.index("-") :])
        if isinstance(value, _dt.date):
            return When.parse(f"{value.year:04d}-{value.month:02d}-{value.day:02d}")
        raise InvalidDate(f"cannot make a date from {type(value).__name__} {value!r}")

    @staticmethod
    def between(start: object, end: object) -> When:
        """The interval from ``start`` to ``end`` (None means an open end).

        >>> str(When.between(1950, "1953"))
        '1950/1953'
        """
        a = ".." if start is None else str(When.coerce(start))
        b = ".." if end is None else str(When.coerce(end))
        return When.parse(f"{a}/{b}")

    # -- values ---------------------------------------------------------------------------
    @property
    def earliest(self) -> pendulum.Date | None:
        """Earliest possible day, or None for an open/unknown start.

        >>> When.parse("2024-06").earliest
        Date(2024, 6, 1)
        """
        return _to_date(self.lo, self)

    @property
    def latest(self) -> pendulum.Date | None:
        """Latest possible day (inclusive), or None for an open/unknown end.

        >>> When.parse("2024-06").latest
        Date(2024, 6, 30)
        """
        return _to_date(self.hi, self)

    @property
    def is_interval(self) -> bool:
        """True for a start/end interval.

        >>> When.parse("1950/1953").is_interval
        True
        """
        return self._form == _FORM_INTERVAL

    @property
    def start(self) -> When | None:
        """The start of an interval (None if open or unknown); a point is its own start.

        >>> str(When.parse("1950/1953").start)
        '1950'
        """
        if self._form != _FORM_INTERVAL:
            return self
        a = self._text.split("/", 1)[0]
        return None if a in ("", "..") else When.parse(a)

    @property
    def end(self) -> When | None:
        """The end of an interval (None if open or unknown); a point is its own end.

        >>> str(When.parse("1950/1953").end)
        '1953'
        """
        if self._form != _FORM_INTERVAL:
            return self
        b = self._text.split("/", 1)[1]
        return None if b in ("", "..") else When.parse(b)

    def sort_key(self) -> tuple[int, int, int, str]:
        """Total order: earliest, latest, precision, canonical text.

        >>> When.parse("2024").sort_key() < When.parse("2024-01").sort_key()
        False
        """
        return (self.lo, self.hi, int(self.precision), self._text)

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"When({self._text!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, When):
            return self._text == other._text
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, When):
            return self._text != other._text
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._text)

    def __lt__(self, other: object) -> bool:
        if isinstance(other, When):
            return self.sort_key() < other.sort_key()
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if isinstance(other, When):
            return self.sort_key() <= other.sort_key()
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if isinstance(other, When):
            return self.sort_key() > other.sort_key()
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if isinstance(other, When):
            return self.sort_key() >= other.sort_key()
        return NotImplemented

    def contains(self, other: object) -> bool:
        """True if every possible day of ``other`` lies within this When's bounds.

        >>> When.parse("2024").contains("2024-06-19")
        True
        """
        o = When.coerce(other)
        return self.lo <= o.lo and o.hi <= self.hi

    def during(self, other: object) -> bool:
        """True if this When lies within ``other``'s bounds.

        >>> When.parse("2024-06").during(2024)
        True
        """
        return When.coerce(other).contains(self)

    def overlaps(self, other: object) -> bool:
        """True if the bounds share at least one day.

        >>> When.parse("2024").overlaps("2024-12/2025-02")
        True
        """
        o = When.coerce(other)
        return self.lo <= o.hi and o.lo <= self.hi


_LO = cast(Any, When.__dict__["lo"]).__set__
_HI = cast(Any, When.__dict__["hi"]).__set__
_PREC = cast(Any, When.__dict__["precision"]).__set__
_APPROX = cast(Any, When.__dict__["approximate"]).__set__
_UNC = cast(Any, When.__dict__["uncertain"]).__set__
_SHI = cast(Any, When.__dict__["_shi"]).__set__
_ELO = cast(Any, When.__dict__["_elo"]).__set__
_TEXT = cast(Any, When.__dict__["_text"]).__set__
_FORM = cast(Any, When.__dict__["_form"]).__set__
_new = object.__new__


def _make(
    lo: int,
    hi: int,
    precision: Precision,
    approximate: bool,
    uncertain: bool,
    shi: int,
    elo: int,
    text: str,
    form: int,
) -> When:
    w = _new(When)
    _LO(w, lo)
    _HI(w, hi)
    _PREC(w, precision)
    _APPROX(w, approximate)
    _UNC(w, uncertain)
    _SHI(w, shi)
    _ELO(w, elo)
    _TEXT(w, text)
    _FORM(w, form)
    return w


def _to_date(n: int, w: When) -> pendulum.Date | None:
    if n in (UNBOUNDED_LO, UNBOUNDED_HI):
        return None
    if not 1 <= n <= 3652059:
        raise InvalidDate(
            f"{str(w)!r}: day ordinal {n} is outside years 1-9999, which pendulum.Date "
            f"cannot represent; use .lo / .hi (day ordinals) and ymd() instead"
        )
    y, m, d = ymd(n)
    return pendulum.Date(y, m, d)


_DATE_RE = re.compile(
    r"(?P<year>-?[0-9X]{4}|Y-?[1-9][0-9]{4,})"
    r"(?:-(?P<month>[0-9X]{2})(?:-(?P<day>[0-9X]{2})"
    r"(?:T(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?P<tz>Z|[+-][0-9]{2}(?::[0-9]{2})?)?)?)?)?"
    r"(?P<qual>[?~%])?"
)

_SEASONS = {21: (3, 3), 22: (6, 3), 23: (9, 3), 24: (12, 3)}


def _bad(text: str, why: str) -> InvalidDate:
    return InvalidDate(f"invalid date {text!r}: {why}")


def _parse_date(s: str, full: str) -> tuple[int, int, Precision, bool, bool]:
    m = _DATE_RE.fullmatch(s)
    if m is None:
        raise _bad(full, f"{s!r} is not an EDTF date")
    ys, ms, ds, time, q = m["year"], m["month"], m["day"], m["time"], m["qual"]
    if ys.startswith("Y"):
        if ms:
            raise _bad(full, "a Y-year cannot have a month")
        y = int(ys[1:])
        return ordinal(y, 1, 1), ordinal(y, 12, 31), Precision.YEAR, q in ("~", "%"), q in (
            "?",
            "%",
        )
    if ys == "-0000":
        raise _bad(full, "year -0000 does not exist; write 0000")
    neg = ys.startswith("-")
    digits = ys.lstrip("-")
    nx = len(digits) - len(digits.rstrip("X"))
    if "X" in digits.rstrip("X"):
        raise _bad(full, "X only in the rightmost year digits")
    ylo = int(digits.replace("X", "0"))
    yhi = int(digits.replace("X", "9"))
    if neg:
        ylo, yhi = -yhi, -ylo
    prec = (
        Precision.SECOND,
        Precision.DECADE,
        Precision.CENTURY,
        Precision.MILLENNIUM,
        Precision.MILLENNIUM,
    )[nx]
    if ms is None:
        prec = max(prec, Precision.YEAR)
        lo, hi = ordinal(ylo, 1, 1), ordinal(yhi, 12, 31)
    elif ms == "XX":
        if ds not in (None, "XX"):
            raise _bad(full, "day given for an unspecified month")
        prec = max(prec, Precision.YEAR)
        lo, hi = ordinal(ylo, 1, 1), ordinal(yhi, 12, 31)
    else:
        if "X" in ms:
            raise _bad(full, f"month {ms!r}")
        mo = int(ms)
        if mo in _SEASONS:
            if ds is not None:
                raise _bad(full, "a season has no day")
            start, n = _SEASONS[mo]
            endm = start + n - 1
            lo = ordinal(ylo, start, 1)
            ey, em = (yhi + 1, endm - 12) if endm > 12 else (yhi, endm)
            hi = ordinal(ey, em, _days_in_month(ey, em))
            prec = max(prec, Precision.SEASON)
        elif not 1 <= mo <= 12:
            raise _bad(full, f"month {mo} is not 01-12 (or a season 21-24)")
        elif ds is None:
            prec = max(prec, Precision.MONTH)
            lo, hi = ordinal(ylo, mo, 1), ordinal(yhi, mo, _days_in_month(yhi, mo))
        elif ds == "XX":
            prec = max(prec, Precision.MONTH)
            lo, hi = ordinal(ylo, mo, 1), ordinal(yhi, mo, _days_in_month(yhi, mo))
        else:
            if "X" in ds:
                raise _bad(full, f"day {ds!r}")
            d = int(ds)
            if nx:
                raise _bad(full, "unspecified year with a known day is not supported yet")
            if not 1 <= d <= _days_in_month(ylo, mo):
                raise _bad(full, f"day {d} does not exist in {ylo:04d}-{mo:02d}")
            lo = hi = ordinal(ylo, mo, d)
            prec = max(prec, Precision.SECOND if time else Precision.DAY)
            if time:
                hh, mm, ss = int(time[:2]), int(time[3:5]), int(time[6:])
                if hh > 23 or mm > 59 or ss > 59:
                    raise _bad(full, f"time {time!r} out of range")
    return lo, hi, prec, q in ("~", "%"), q in ("?", "%")


def _parse_impl(text: str) -> When:
    if not isinstance(text, str):
        raise InvalidDate(f"not a date string: {text!r}")
    n = len(text)
    if n == 10 and text[4] == "-" and text[7] == "-":
        try:
            d = _dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if text.isascii() and text[:4].isdigit():
                o = d.toordinal()
                return _make(o, o, Precision.DAY, False, False, o, o, text, _FORM_DATE)
    if not text:
        raise InvalidDate("empty date string ''")
    if "/" in text:
        a, _, b = text.partition("/")
        if "/" in b:
            raise _bad(text, "more than one '/'")
        if a in ("", "..") and b in ("", ".."):
            raise _bad(text, "an interval needs at least one known end")
        qa = qu = False
        precs: list[Precision] = []
        if a == "..":
            lo = shi = UNBOUNDED_LO
        elif a == "":
            lo, shi = UNBOUNDED_LO, UNBOUNDED_HI
        else:
            lo, shi, p, x1, x2 = _parse_date(a, text)
            precs.append(p)
            qa, qu = x1, x2
        if b == "..":
            elo = hi = UNBOUNDED_HI
        elif b == "":
            elo, hi = UNBOUNDED_LO, UNBOUNDED_HI
        else:
            elo, hi, p, x1, x2 = _parse_date(b, text)
            precs.append(p)
            qa, qu = qa or x1, qu or x2
            if a not in ("", "..") and hi < lo:
                raise _bad(text, "the end is before the start")
        return _make(lo, hi, max(precs), qa, qu, shi, elo, text, _FORM_INTERVAL)
    lo, hi, p, x1, x2 = _parse_date(text, text)
    return _make(lo, hi, p, x1, x2, hi, lo, text, _FORM_DATE)


_parse_cached = functools.lru_cache(maxsize=1 << 16)(_parse_impl)
