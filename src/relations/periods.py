"""Calendar periods: the buckets that aggregations count, sum and average in.

A :class:`Period` is one day, ISO week, month, quarter, year, decade or century of the
proleptic Gregorian calendar. It is a small frozen value: ordered by time, hashable, with a
canonical text form that :meth:`Period.parse` reads back:

>>> [str(Period.containing("2024-06-19", u)) for u in UNITS]
['2024-06-19', '2024-W25', '2024-06', '2024-Q2', '2024', '2020s', '21st century']
>>> p = Period.parse("2024-Q2")
>>> str(p.next()), str(p.previous()), p.days
('2024-Q3', '2024-Q1', 91)
>>> [str(q) for q in Period.range("2024-11", "2025-02")]
['2024-11', '2024-12', '2025-01', '2025-02']

Every period knows its first and last day as day ordinals (``lo``/``hi``, inclusive, the
numbering of :func:`relations.when.ordinal`), which is what the aggregations bisect on.

Conventions (chosen so that every date has exactly one period of each unit):

- **weeks** are ISO 8601 weeks (Monday to Sunday), named by their ISO week-numbering year:
  2024-12-30 lies in ``2025-W01``;
- **decades** are ten-year blocks starting at a year divisible by ten (``2020s`` is
  2020–2029);
- **centuries** are hundred-year blocks starting at a year divisible by 100, as in EDTF's
  ``20XX``: the ``21st century`` is 2000–2099 (not the strict 2001–2100), so that a date of
  century precision falls in exactly one century. Years are astronomical (year 0 is 1 BCE);
  the block of years −100..−1 is called the ``1st century BCE``.
"""

from __future__ import annotations

import re
from typing import Literal, cast

import attrs
import pendulum

from relations._edtf import is_unbounded, year_text
from relations.errors import InvalidArgument, InvalidDate
from relations.when import When, ordinal, ymd

__all__ = ["MAX_PERIODS", "UNITS", "Period", "Unit", "check_span", "is_unit"]

Unit = Literal["day", "week", "month", "quarter", "year", "decade", "century"]
"""The name of a period unit."""

UNITS: tuple[Unit, ...] = ("day", "week", "month", "quarter", "year", "decade", "century")
"""Every period unit, finest first."""

_UNIT_RANK = {u: i for i, u in enumerate(UNITS)}

MAX_PERIODS = 100_000
"""The most periods one operation lays out one by one: a filled series (``fill=True``),
:meth:`Period.range`, an event spread or overlapped over the periods it may fall in, a dense
chart's bins. Past it, :func:`check_span` raises :class:`~relations.errors.InvalidArgument`
naming the span: two events dated with EDTF extended years (``Y-170000002``,
``Y170000002``) would otherwise make ``fill=True`` lay out 340 million years. 100 000 days
are 273 years; choose a coarser unit (or ``start=``/``end=``) for a longer span."""


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def check_span(first: int, last: int, unit: str, what: str = "the range") -> None:
    """Raise InvalidArgument if periods ``first..last`` (indices of ``unit``) are more than
    :data:`MAX_PERIODS`.

    >>> check_span(0, 99, "year")
    >>> check_span(-170_000_002, 170_000_002, "year", "the filled series")
    Traceback (most recent call last):
    ...
    relations.errors.InvalidArgument: the filled series spans 340 000 005 years (Y-170000002 to Y170000002), more than relations.periods.MAX_PERIODS = 100 000 periods; use a coarser unit or start=/end=
    """
    n = last - first + 1
    if n > MAX_PERIODS:
        u = _check_unit(unit)
        ends = f"{Period(u, first)} to {Period(u, last)}"
        raise InvalidArgument(
            f"{what} spans {_grouped(n)} {'centuries' if u == 'century' else u + 's'} ({ends}), "
            "more than "
            f"relations.periods.MAX_PERIODS = {_grouped(MAX_PERIODS)} periods; "
            "use a coarser unit or start=/end="
        )


def is_unit(name: object) -> bool:
    """True if ``name`` is the name of a period unit.

    >>> is_unit("month"), is_unit("kind")
    (True, False)
    """
    return isinstance(name, str) and name in _UNIT_RANK


def _check_unit(unit: object) -> Unit:
    if not is_unit(unit):
        raise InvalidDate(f"unknown period unit {unit!r}; expected one of {', '.join(UNITS)}")
    return cast(Unit, unit)


# ---- index arithmetic: each unit numbers its periods with consecutive integers --------------


def index_of(n: int, unit: Unit) -> int:
    """The index of the period of ``unit`` that contains day ordinal ``n`` (internal helper).

    >>> index_of(ordinal(2024, 6, 19), "month") == 2024 * 12 + 5
    True
    """
    if unit == "day":
        return n
    if unit == "week":
        return (n - 1) // 7  # ordinal 1 (0001-01-01) is a Monday
    y, m, _ = ymd(n)
    if unit == "month":
        return y * 12 + m - 1
    if unit == "quarter":
        return y * 4 + (m - 1) // 3
    if unit == "year":
        return y
    if unit == "decade":
        return y // 10
    return y // 100


def first_day(index: int, unit: Unit) -> int:
    """The first day ordinal of period ``index`` of ``unit`` (internal helper).

    >>> first_day(2024 * 4 + 1, "quarter") == ordinal(2024, 4, 1)
    True
    """
    if unit == "day":
        return index
    if unit == "week":
        return index * 7 + 1
    if unit == "month":
        return ordinal(index // 12, index % 12 + 1, 1)
    if unit == "quarter":
        return ordinal(index // 4, (index % 4) * 3 + 1, 1)
    if unit == "year":
        return ordinal(index, 1, 1)
    if unit == "decade":
        return ordinal(index * 10, 1, 1)
    return ordinal(index * 100, 1, 1)


def _nth(k: int) -> str:
    if 10 <= k % 100 <= 20:
        return f"{k}th"
    return f"{k}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th') }"


def _iso_week(lo: int) -> tuple[int, int]:
    """ISO (year, week) of the week starting on Monday ``lo``."""
    thursday = lo + 3
    year = ymd(thursday)[0]
    return year, (thursday - ordinal(year, 1, 1)) // 7 + 1


def _week_monday(year: int, week: int) -> int:
    jan4 = ordinal(year, 1, 4)
    return jan4 - (jan4 - 1) % 7 + (week - 1) * 7


_YEAR = r"(?:Y(?P<yy>-?\d+)|(?P<y>-?\d{4}))"
_PATTERNS: tuple[tuple[Unit, re.Pattern[str]], ...] = (
    ("day", re.compile(_YEAR + r"-(?P<m>\d\d)-(?P<d>\d\d)")),
    ("week", re.compile(_YEAR + r"-W(?P<w>\d\d)", re.IGNORECASE)),
    ("quarter", re.compile(_YEAR + r"-Q(?P<q>\d)", re.IGNORECASE)),
    ("month", re.compile(_YEAR + r"-(?P<m>\d\d)")),
    ("year", re.compile(_YEAR)),
    ("decade", re.compile(r"(?P<dec>-?\d*0)s", re.IGNORECASE)),
    (
        "century",
        re.compile(r"(?P<c>\d+)(?:st|nd|rd|th)?\s+century(?P<bce>\s+(?:BCE|BC))?", re.IGNORECASE),
    ),
)


@attrs.frozen(order=False, repr=False, cache_hash=True)
class Period:
    """One day, ISO week, month, quarter, year, decade or century.

    Make one with :meth:`parse`, :meth:`containing` or :meth:`coerce`; ``Period(unit, index)``
    takes the unit's running index (days: the day ordinal; months: ``12 * year + month - 1``;
    quarters: ``4 * year + quarter - 1``; years: the year; decades: ``year // 10``; centuries:
    ``year // 100``; weeks: ``(monday_ordinal - 1) // 7``).

    Periods compare by time (first day, then last day), so sorting mixes units sensibly; two
    periods are equal only if they have the same unit and index.

    >>> Period("month", 2024 * 12 + 5)
    Period('2024-06')
    >>> Period.parse("2024") < Period.parse("2024-06") < Period.parse("2025")
    True
    >>> Period.parse("2024-W25").start, Period.parse("2024-W25").end
    (Date(2024, 6, 17), Date(2024, 6, 23))
    """

    unit: Unit = attrs.field(converter=_check_unit)
    index: int = attrs.field()
    lo: int = attrs.field(init=False, eq=False)
    """First day of the period (a day ordinal)."""
    hi: int = attrs.field(init=False, eq=False)
    """Last day of the period, inclusive (a day ordinal)."""

    @index.validator
    def _check_index(self, _: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidDate(f"period index must be an integer, not {value!r}")

    def __attrs_post_init__(self) -> None:
        lo = first_day(self.index, self.unit)
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", first_day(self.index + 1, self.unit) - 1)

    # ---- construction ----------------------------------------------------------------------
    @classmethod
    def containing(cls, day: object, unit: str) -> Period:
        """The period of ``unit`` that contains ``day``.

        ``day`` is a day ordinal (int) or anything :meth:`When.coerce` accepts that denotes a
        single day (``"2024-06-19"``, a ``date``); for a coarser When its *first* day is used.

        >>> str(Period.containing("2024-12-30", "week")), str(Period.containing(738000, "year"))
        ('2025-W01', '2021')
        """
        u = _check_unit(unit)
        n = day if isinstance(day, int) and not isinstance(day, bool) else When.coerce(day).lo
        if is_unbounded(n):
            raise InvalidDate(f"day {day!r} is an open or unknown end; no period contains it")
        return cls(u, index_of(n, u))

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read the text form of a period (the inverse of ``str()``).

        Accepts ``2024-06-19``, ``2024-W25``, ``2024-06``, ``2024-Q2``, ``2024``, ``2020s``,
        ``21st century`` (and ``1st century BCE``); week and quarter letters in either case.

        >>> [repr(Period.parse(t)) for t in ("2024-w25", "-0044-03", "1st century BCE")]
        ["Period('2024-W25')", "Period('-0044-03')", "Period('1st century BCE')"]
        >>> Period.parse("2024-13")
        Traceback (most recent call last):
        ...
        relations.errors.InvalidDate: invalid period '2024-13': month 13 is not 01-12
        """
        if not isinstance(text, str):
            raise InvalidDate(f"a period must be text such as '2024-06', not {text!r}")
        s = text.strip()
        for unit, pattern in _PATTERNS:
            m = pattern.fullmatch(s)
            if m is not None:
                return cls._from_match(unit, m, text)
        raise InvalidDate(
            f"invalid period {text!r}: expected a form such as 2024-06-19, 2024-W25, 2024-06, "
            f"2024-Q2, 2024, 2020s or '21st century'"
        )

    @classmethod
    def _from_match(cls, unit: Unit, m: re.Match[str], text: str) -> Period:
        def bad(why: str) -> InvalidDate:
            return InvalidDate(f"invalid period {text!r}: {why}")

        if unit == "decade":
            return cls(unit, int(m["dec"]) // 10)
        if unit == "century":
            c = int(m["c"])
            if c < 1:
                raise bad("centuries are counted from 1")
            return cls(unit, -c if m["bce"] else c - 1)
        y = int(m["yy"] if m["yy"] is not None else m["y"])
        if unit == "year":
            return cls(unit, y)
        if unit == "quarter":
            q = int(m["q"])
            if not 1 <= q <= 4:
                raise bad(f"quarter {q} is not 1-4")
            return cls(unit, y * 4 + q - 1)
        if unit == "week":
            w = int(m["w"])
            lo = _week_monday(y, w)
            if w < 1 or _iso_week(lo)[0] != y:
                raise bad(f"ISO year {y} has no week {w}")
            return cls(unit, (lo - 1) // 7)
        mo = int(m["m"])
        if not 1 <= mo <= 12:
            raise bad(f"month {mo} is not 01-12")
        if unit == "month":
            return cls(unit, y * 12 + mo - 1)
        d = int(m["d"])
        last = first_day(y * 12 + mo, "month") - ordinal(y, mo, 1)
        if not 1 <= d <= last:
            raise bad(f"day {d} does not exist in {year_text(y)}-{mo:02d}")
        return cls(unit, ordinal(y, mo, d))

    @classmethod
    def coerce(cls, value: object, unit: str, *, side: Literal["lo", "hi"] = "lo") -> Period:
        """The period of ``unit`` for ``value``: a Period, period text, or a date.

        ``value`` may be anything :meth:`When.coerce` accepts (an ``int`` is a *year* here, as
        everywhere in the public API; only :meth:`containing` takes day ordinals).

        A coarser value is narrowed to the period holding its first day (``side="lo"``) or its
        last day (``side="hi"``), which is what range ends need.

        >>> str(Period.coerce("2024", "month")), str(Period.coerce("2024", "month", side="hi"))
        ('2024-01', '2024-12')
        >>> str(Period.coerce(Period.parse("2024-W01"), "year")), str(Period.coerce(2024, "decade"))
        ('2024', '2020s')
        """
        u = _check_unit(unit)
        if isinstance(value, Period):
            p = value
        elif isinstance(value, str):
            try:
                p = cls.parse(value)
            except InvalidDate:
                w = When.coerce(value)
                return cls.containing(w.lo if side == "lo" else w.hi, u)
        else:
            w = When.coerce(value)
            return cls.containing(w.lo if side == "lo" else w.hi, u)
        if p.unit == u:
            return p
        return cls.containing(p.lo if side == "lo" else p.hi, u)

    @classmethod
    def range(cls, start: object, end: object, unit: str | None = None) -> list[Period]:
        """Every period from ``start`` to ``end`` inclusive (empty if ``end`` is earlier).

        The unit is ``unit``, else that of ``start`` (when it is a Period or period text).

        >>> [str(p) for p in Period.range("2024-W52", "2025-W02")]
        ['2024-W52', '2025-W01', '2025-W02']
        >>> [str(p) for p in Period.range("2020", "2021-02-01", "quarter")]
        ['2020-Q1', '2020-Q2', '2020-Q3', '2020-Q4', '2021-Q1']
        """
        if unit is None:
            first = start if isinstance(start, Period) else cls.parse(cast(str, start))
            u: Unit = first.unit
        else:
            u = _check_unit(unit)
            first = cls.coerce(start, u)
        last = cls.coerce(end, u, side="hi")
        check_span(first.index, last.index, u, "Period.range")
        return [cls(u, i) for i in range(first.index, last.index + 1)]

    # ---- arithmetic ------------------------------------------------------------------------
    def next(self, n: int = 1) -> Period:
        """The period ``n`` steps later (of the same unit).

        >>> str(Period.parse("2024-12").next()), str(Period.parse("2020s").next(3))
        ('2025-01', '2050s')
        """
        return Period(self.unit, self.index + n)

    def previous(self, n: int = 1) -> Period:
        """The period ``n`` steps earlier (of the same unit).

        >>> str(Period.parse("2025-W01").previous())
        '2024-W52'
        """
        return Period(self.unit, self.index - n)

    def until(self, other: object) -> list[Period]:
        """Periods from this one to ``other`` inclusive, in this period's unit.

        >>> [str(p) for p in Period.parse("2023").until("2025")]
        ['2023', '2024', '2025']
        """
        return Period.range(self, other, self.unit)

    def __sub__(self, other: Period) -> int:
        """Number of steps from ``other`` to this period (same unit).

        >>> Period.parse("2025-03") - Period.parse("2024-12")
        3
        """
        if not isinstance(other, Period):
            return NotImplemented
        if other.unit != self.unit:
            raise InvalidDate(
                f"cannot subtract a {other.unit} ({other}) from a {self.unit} ({self})"
            )
        return self.index - other.index

    # ---- values ----------------------------------------------------------------------------
    @property
    def days(self) -> int:
        """Number of days in the period.

        >>> Period.parse("2024-02").days, Period.parse("2023").days
        (29, 365)
        """
        return self.hi - self.lo + 1

    @property
    def start(self) -> pendulum.Date:
        """First day, as a ``pendulum.Date`` (years 1–9999 only).

        >>> Period.parse("2024-Q2").start
        Date(2024, 4, 1)
        """
        return self._date(self.lo)

    @property
    def end(self) -> pendulum.Date:
        """Last day (inclusive), as a ``pendulum.Date`` (years 1–9999 only).

        >>> Period.parse("2024-Q2").end
        Date(2024, 6, 30)
        """
        return self._date(self.hi)

    def _date(self, n: int) -> pendulum.Date:
        if not 1 <= n <= 3652059:
            raise InvalidDate(
                f"period {self}: day ordinal {n} is outside years 1-9999, which pendulum.Date "
                f"cannot represent; use .lo / .hi instead"
            )
        return pendulum.Date(*ymd(n))

    @property
    def when(self) -> When:
        """The period as a :class:`When` (the days it covers), usable in timeline queries.

        >>> str(Period.parse("2024-06").when), str(Period.parse("2024-Q2").when)
        ('2024-06', '2024-04/2024-06')
        """
        if self.unit in ("day", "month", "year"):
            return When.parse(str(self))
        if self.unit == "week":
            return When.parse(f"{_day_text(self.lo)}/{_day_text(self.hi)}")
        if self.unit == "quarter":
            first, last = ymd(self.lo), ymd(self.hi)
            return When.parse(
                f"{year_text(first[0])}-{first[1]:02d}/{year_text(last[0])}-{last[1]:02d}"
            )
        first_year, last_year = ymd(self.lo)[0], ymd(self.hi)[0]
        return When.parse(f"{year_text(first_year)}/{year_text(last_year)}")

    def contains(self, day: int) -> bool:
        """True if day ordinal ``day`` lies within the period.

        >>> Period.parse("2024").contains(ordinal(2024, 6, 19))
        True
        """
        return self.lo <= day <= self.hi

    # ---- text and order --------------------------------------------------------------------
    def __str__(self) -> str:
        u, i = self.unit, self.index
        if u == "decade":
            return f"{i * 10}s"
        if u == "century":
            return f"{_nth(i + 1)} century" if i >= 0 else f"{_nth(-i)} century BCE"
        if u == "week":
            y, w = _iso_week(self.lo)
            return f"{year_text(y)}-W{w:02d}"
        if u == "year":
            return year_text(i)
        if u == "quarter":
            return f"{year_text(i // 4)}-Q{i % 4 + 1}"
        y, m, d = ymd(self.lo)
        if u == "month":
            return f"{year_text(y)}-{m:02d}"
        return f"{year_text(y)}-{m:02d}-{d:02d}"

    def __repr__(self) -> str:
        return f"Period({str(self)!r})"

    def sort_key(self) -> tuple[int, int]:
        """``(lo, hi)``: the order of periods (first day, then last day).

        >>> Period.parse("2024-06").sort_key() == (ordinal(2024, 6, 1), ordinal(2024, 6, 30))
        True
        """
        return (self.lo, self.hi)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.lo, self.hi) < (other.lo, other.hi)

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.lo, self.hi) <= (other.lo, other.hi)

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.lo, self.hi) > (other.lo, other.hi)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.lo, self.hi) >= (other.lo, other.hi)


def _day_text(n: int) -> str:
    y, m, d = ymd(n)
    return f"{year_text(y)}-{m:02d}-{d:02d}"
