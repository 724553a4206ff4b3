"""When: a date or interval, exactly as precisely as it is known.

History is imprecise: "in June 2024", "around 1945", "after 2008", "1950–1953". A
:class:`When` records such a time without pretending to more precision than the source has,
using the Extended Date/Time Format (EDTF, ISO 8601-2) as its notation::

    >>> w = When.parse("2024-06")
    >>> w.earliest, w.latest, w.precision.name
    (Date(2024, 6, 1), Date(2024, 6, 30), 'MONTH')
    >>> str(When.parse("around June 2024")), str(When.parse("1950–1953"))
    ('2024-06~', '1950/1953')

**Bounds are strict.** ``w.lo`` and ``w.hi`` are the earliest and latest day the value can
possibly cover, as proleptic-Gregorian day ordinals (``datetime.date.toordinal`` numbering,
extended to year 0, negative years and years beyond 9999 by :func:`ordinal` / :func:`ymd`).
They are facts about the notation, never padded: ``2024-06~`` ("around June 2024") has the same
``lo`` and ``hi`` as ``2024-06``; how far "around" reaches is a question the *caller* answers
at query time with :meth:`When.widened`. An end that is *unknown* (EDTF ``1985/``) or *open*
(``1985/..``) has ``hi == UNBOUNDED_HI``; no bound is ever invented for it, and the three
states (known, unknown, open) stay distinct and survive ``str()``.

**Extent is not uncertainty.** ``1950/1953`` is an interval: something that lasted from some
day in 1950 to some day in 1953. ``1950`` is a point (or a stretch) somewhere within 1950. Both
have bounds, but the comparisons treat them differently: the start of ``1950/1953`` lies in
1950 and its end in 1953, while the start and end of ``1950`` both lie somewhere in 1950.

**Comparisons are possibly / definitely.** Each of Allen's 13 interval relations is available
as ``possibly_<rel>`` (true for some way the imprecise ends could be) and ``definitely_<rel>``
(true for every way), computed on days as half-open intervals ``[first day, last day + 1)``,
so June *meets* July and a day is an interval of length one. ``relations_to`` gives the set
of relations that may hold. How each value is seen:

* a date coarser than a day (``2024-06``) is some day, or some stretch of days, within its
  bounds: its start and its end each lie anywhere in June, the start not after the end;
* an interval's start lies within its start date and its end within its end date; an *open*
  end is fixed at infinity (the interval never ends), an *unknown* end lies anywhere from the
  start onwards;
* a one-of set ``[a,b]`` is a point somewhere in the hull of its members; an all-of set
  ``{a,b}`` covers every member, so it starts by the end of its earliest member and ends no
  earlier than the start of its latest;
* date-times are compared by their (local) calendar day.

The bounds tests :meth:`When.contains`, :meth:`When.during` and :meth:`When.overlaps` work on
``lo``/``hi`` only ("certainly inside", "possibly shares a day"). They use the everyday sense
of the words and are not Allen's relations: ``overlaps`` is :meth:`When.possibly_intersects`
(some day may be shared), with :meth:`When.definitely_intersects` its certain counterpart,
while ``possibly_overlaps`` is Allen's "starts first and ends while the other is going on";
``contains`` and ``during`` include the edges, Allen's exclude them. Sorting uses a
deterministic total order consistent with equality (:meth:`When.sort_key`).

**Notation accepted.** :meth:`When.from_edtf` accepts EDTF only: level 0 (dates, date-times
with ``Z`` or offsets, intervals), level 1 (``?``/``~``/``%``, ``X`` digits, open and unknown
interval ends, ``Y`` years, negative years, seasons 21-24) and level 2 (sub-year groupings
25-41, ``X`` anywhere, qualification of single components, sets ``[...]``/``{...}``,
exponent and significant-digit years). :meth:`When.parse` also reads the English forms people
type (see :meth:`When.parse`). Seasons and groupings (documented in ``GROUPINGS``): 21-24 and
25-28 are the northern-hemisphere meteorological seasons (spring Mar-May, summer Jun-Aug,
autumn Sep-Nov, winter Dec-Feb of the next year), 29-32 the southern ones (spring Sep-Nov,
summer Dec-Feb of the next year, autumn Mar-May, winter Jun-Aug), 33-36 quarters, 37-39
quadrimesters (Jan-Apr, May-Aug, Sep-Dec), 40-41 semesters.

Module constants: ``UNBOUNDED_LO``/``UNBOUNDED_HI`` (the ``lo``/``hi`` of open or unknown
ends, beyond every real day ordinal), ``ALLEN_RELATIONS`` (the 13 relation names) and
``GROUPINGS`` (sub-year code -> (first month, number of months))::

    >>> When.parse("1985/..").hi == UNBOUNDED_HI, When.parse("/1985").lo == UNBOUNDED_LO
    (True, True)
    >>> len(ALLEN_RELATIONS), GROUPINGS[24], GROUPINGS[37]
    (13, (12, 3), (1, 4))
    >>> ymd(When.parse("-0044-03-15").lo), ordinal(1, 1, 1)
    ((-44, 3, 15), 1)
"""

from __future__ import annotations

import datetime as _dt
import functools
import types
from typing import Any, Literal

import attrs
import pendulum

from relations import _edtf
from relations._edtf import (
    GROUPINGS,
    UNBOUNDED_HI,
    UNBOUNDED_LO,
    Precision,
    days_in_month,
    is_leap,
    is_unbounded,
    ordinal,
    year_text,
    ymd,
)
from relations._english_dates import english_to_edtf
from relations.errors import InvalidDate

__all__ = [
    "ALLEN_RELATIONS",
    "GROUPINGS",
    "UNBOUNDED_HI",
    "UNBOUNDED_LO",
    "Precision",
    "When",
    "ordinal",
    "ymd",
]

ALLEN_RELATIONS: tuple[str, ...] = (
    "before",
    "meets",
    "overlaps",
    "starts",
    "during",
    "finishes",
    "equals",
    "finished_by",
    "contains",
    "started_by",
    "overlapped_by",
    "met_by",
    "after",
)
"""The 13 Allen relations, named as in ``possibly_<name>`` / ``definitely_<name>``."""

_INVERSE = dict(zip(ALLEN_RELATIONS, reversed(ALLEN_RELATIONS), strict=True))

_FORM_NAMES: tuple[Literal["date", "interval", "one_of", "all_of"], ...] = (
    "date",
    "interval",
    "one_of",
    "all_of",
)
_MAX_ORDINAL = 3652059  # 9999-12-31

Delta = _dt.timedelta | int


class _WhenSlots:
    """The storage of a :class:`When`: its base class, a plain (writable) slotted class.

    ``When`` declares these attributes as attrs fields but adds no slots of its own (attrs
    reuses the inherited ones), so the two classes have the same memory layout and Python
    allows changing an object's ``__class__`` from one to the other. The parser's ``_make``
    fills a new ``_WhenSlots`` with plain attribute stores (the fastest way to fill slots) and
    then makes it a ``When``, which is frozen; this is several times faster than writing each
    slot of a frozen class through ``object.__setattr__``. Nothing else creates ``_WhenSlots``.
    """

    __slots__ = (
        "__weakref__",
        "_elo",
        "_form",
        "_shi",
        "_text",
        "approximate",
        "hi",
        "lo",
        "precision",
        "uncertain",
    )
    lo: int
    hi: int
    precision: Precision
    approximate: bool
    uncertain: bool
    _shi: int
    _elo: int
    _text: str
    _form: int


@attrs.frozen(slots=True, init=False, eq=False, order=False, repr=False)
class When(_WhenSlots):
    """A point or interval in time, as precisely as it is known.

    ``When(x)`` is :meth:`When.coerce`: it accepts EDTF or English text, a ``When``, an int
    year, a ``datetime.date``/``datetime.datetime`` or a pendulum ``Date``/``DateTime``.
    Equal values have the same canonical EDTF text (``str(w)``); ``When`` is immutable and
    hashable. See the module documentation for the semantics.

    >>> w = When("2024-06-19")
    >>> w.precision.name, w.approximate, w.is_interval, str(w)
    ('DAY', False, False, '2024-06-19')
    >>> When("1950/1953").definitely_before("1960")
    True
    """

    lo: int
    """Earliest possible day (ordinal); ``UNBOUNDED_LO`` for an open or unknown start."""
    hi: int
    """Latest possible day (ordinal, inclusive); ``UNBOUNDED_HI`` for an open/unknown end."""
    precision: Precision
    """The coarsest precision of the value's dates (an interval of a month and a year: YEAR)."""
    approximate: bool
    """True if any part is qualified approximate (``~`` or ``%``)."""
    uncertain: bool
    """True if any part is qualified uncertain (``?`` or ``%``)."""
    _shi: int  # latest possible start
    _elo: int  # earliest possible end
    _text: str  # canonical EDTF
    _form: int  # _edtf.FORM_*

    def __init__(self, value: object) -> None:
        w = When.coerce(value)
        for name in _FIELDS:
            object.__setattr__(self, name, getattr(w, name))

    # -- construction ---------------------------------------------------------------------

    @staticmethod
    def parse(text: str, *, dayfirst: bool | None = None) -> When:
        """Parse EDTF or one of the English forms people type when transcribing articles.

        English forms (case-insensitive; surrounding spaces ignored):

        * ``June 2024``, ``Jun. 2024``, ``19 June 2024``, ``June 19, 2024`` (dates);
          ``2024/06/19`` (year first: always year-month-day);
        * ``19/06/2024``, ``19.06.2024``, ``19-06-2024``: which number is the day is a
          convention of the writer, so these need ``dayfirst=True`` (19 June) or
          ``dayfirst=False`` (``06/19/2024`` is June 19); without it they are refused with
          both readings spelled out, never guessed;
        * ``2024-06-19 14:00``, ``2024-06-19T14:00``, ``2024-06-19 14:00:30 UTC``: a time of
          day, kept as an EDTF date-time (``2024-06-19T14:00:00``; EDTF writes the seconds);
        * ``spring 2024`` (``2024-21``; also summer, autumn/fall, winter), ``Q3 2024``,
          ``2024-Q3``, ``third quarter of 2024`` (``2024-35``), ``H1 2024``, ``2024-H1``,
          ``first half of 2024`` (``2024-40``), ``second half of 2024`` (``2024-41``);
        * ``c. 1945``, ``ca. 1945``, ``circa``, ``around``, ``about``, ``approximately``:
          approximate (``1945~``); ``probably``/``possibly``/``perhaps``: uncertain (``?``);
        * ``before 2008``: open interval ending the day before 2008 (``../2007-12-31``);
          ``until 2008``/``till 2008``: open interval ending with 2008 (``../2008``);
          ``after 2008``: open interval starting the day after 2008 (``2009-01-01/..``);
          ``since 2008``/``from 2008``: open interval starting in 2008 (``2008/..``);
        * ``early 2024``/``mid-2024``/``late 2024``: the four-month thirds of the year,
          EDTF quadrimesters (Jan-Apr ``2024-37``, May-Aug ``2024-38``, Sep-Dec ``2024-39``);
          ``early/mid/late June 2024``: days 1-10, 11-20 and 21-end, as a one-of set
          (``[2024-06-01..2024-06-10]``); ``(the) early/mid/late 1990s``: years 0-3, 4-6, 7-9
          of the decade (``[1990..1993]``); ``the beginning of``/``the start of`` read as
          ``early``, ``the middle of`` as ``mid`` and ``the end of`` as ``late``;
        * ``1950–1953``, ``1950—1953``, ``1950-1953``, ``1950 to 1953``, ``from 1950 to
          1953``, ``between 1950 and 1953``, ``June–August 2024``, ``19–21 June 2024``,
          ``between June and July 2024``: intervals (``1950/1953``);
        * ``June and July 2024``, ``1950 and 1953``: all of both, the EDTF all-of set
          (``{2024-06,2024-07}``);
        * ``the 1990s``/``1990s``: the decade (``199X``; ``the 1900s`` is ambiguous and
          rejected); ``the 20th century``: years 1900-1999 (``19XX``), the hundred-year
          block :class:`relations.periods.Period` also calls the 20th century, so that a
          date of century precision lies in exactly one century; ``the 1st century BC``:
          ``[-0100..-0001]``; ``44 BC``/``44 BCE``: ``-0043`` (astronomical year
          numbering), ``AD 800``/``800 AD``/``800 CE``: ``0800``.

        ``str()`` of the result is always canonical EDTF. Results are cached (a ``When`` is
        immutable), so parsing a repeated date costs a dictionary lookup.

        >>> str(When.parse("June 19, 2024")), str(When.parse("c. 1945"))
        ('2024-06-19', '1945~')
        >>> str(When.parse("after 2008")), str(When.parse("the 1990s"))
        ('2009-01-01/..', '199X')
        >>> str(When.parse("19/06/2024", dayfirst=True)), str(When.parse("end of 2024"))
        ('2024-06-19', '2024-39')
        >>> When.parse("2023-02-29")
        Traceback (most recent call last):
        ...
        relations.errors.InvalidDate: invalid date '2023-02-29': day 29 does not exist: 2023 is not a leap year
        """
        try:
            if dayfirst is None:
                return _parse_any_cached(text)
            return _parse_dayfirst_cached(text, bool(dayfirst))
        except TypeError:
            raise InvalidDate(f"not a date string: {text!r}") from None

    @staticmethod
    def from_edtf(text: str) -> When:
        """Parse strict EDTF (levels 0, 1 and 2); anything else raises :class:`InvalidDate`.

        Use this to validate stored data; use :meth:`parse` for text people type.

        >>> str(When.from_edtf("2004-06~-11")), str(When.from_edtf("[1667,1668,1670..1672]"))
        ('2004-06~-11', '[1667,1668,1670..1672]')
        >>> When.from_edtf("June 2024")
        Traceback (most recent call last):
        ...
        relations.errors.InvalidDate: invalid date 'June 2024': 'June 2024' is not an EDTF date (EDTF has no spaces)
        """
        try:
            return _parse_edtf_cached(text)
        except TypeError:
            raise InvalidDate(f"not a date string: {text!r}") from None

    @staticmethod
    def coerce(value: object) -> When:
        """Make a When from anything that names a time; raise :class:`InvalidDate` otherwise.

        Accepts a ``When`` (returned as is), text (:meth:`parse`), an int year (any sign and
        size), a ``datetime.date`` or pendulum ``Date`` (day precision), a
        ``datetime.datetime`` or pendulum ``DateTime`` (second precision; microseconds are
        dropped; an aware value keeps its UTC offset).

        >>> import datetime, pendulum
        >>> [str(When.coerce(x)) for x in (2024, -44, datetime.date(2024, 6, 19),
        ...                                 pendulum.datetime(2024, 6, 19, 12, 30))]
        ['2024', '-0044', '2024-06-19', '2024-06-19T12:30:00Z']
        """
        if type(value) is When:
            return value
        if isinstance(value, str):
            return When.parse(value)
        if isinstance(value, When):
            return value
        if isinstance(value, bool):
            raise InvalidDate(f"cannot make a date from the bool {value!r}")
        if isinstance(value, int):
            return When.from_edtf(year_text(value))
        if isinstance(value, _dt.datetime):
            text = (
                f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
                f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
            )
            off = value.utcoffset()
            if off is not None:
                secs = int(off.total_seconds())
                if secs == 0:
                    text += "Z"
                else:
                    sign = "+" if secs > 0 else "-"
                    secs = abs(secs)
                    text += f"{sign}{secs // 3600:02d}:{secs % 3600 // 60:02d}"
            return When.from_edtf(text)
        if isinstance(value, _dt.date):
            return When.from_edtf(f"{value.year:04d}-{value.month:02d}-{value.day:02d}")
        raise InvalidDate(f"cannot make a date from {type(value).__name__} {value!r}")

    @staticmethod
    def between(start: object, end: object) -> When:
        """The interval from ``start`` to ``end``, each anything :meth:`coerce` accepts.

        ``None`` or ``".."`` makes that end open, ``""`` unknown. Each end keeps its own
        precision and qualifiers; the end may not be before the start.

        >>> str(When.between(1950, "1953-07-27")), str(When.between("2024-12-04", None))
        ('1950/1953-07-27', '2024-12-04/..')
        """
        parts = []
        for x in (start, end):
            if x is None or x == "..":
                parts.append("..")
            elif x == "":
                parts.append("")
            else:
                w = When.coerce(x)
                if w._form != _edtf.FORM_DATE:
                    raise InvalidDate(
                        f"an interval end must be a single date, not {str(w)!r} "
                        "(an interval or a set)"
                    )
                parts.append(w._text)
        return When.from_edtf("/".join(parts))

    @staticmethod
    def from_ordinals(lo: int, hi: int | None = None) -> When:
        """A day (``hi`` omitted or equal) or a day interval from day ordinals.

        ``UNBOUNDED_LO``/``UNBOUNDED_HI`` give open ends.

        >>> str(When.from_ordinals(ordinal(2024, 6, 19))), str(When.from_ordinals(1, 31))
        ('2024-06-19', '0001-01-01/0001-01-31')
        >>> str(When.from_ordinals(ordinal(2024, 1, 1), UNBOUNDED_HI))
        '2024-01-01/..'
        """
        if hi is None:
            hi = lo
        if hi < lo:
            raise InvalidDate(f"day ordinals {lo}..{hi}: the end is before the start")
        if lo == hi:
            return When.from_edtf(_day_text(lo, False))
        a = ".." if is_unbounded(lo) and lo < 0 else _day_text(lo, False)
        b = ".." if is_unbounded(hi) and hi > 0 else _day_text(hi, True)
        return When.from_edtf(f"{a}/{b}")

    # -- values ---------------------------------------------------------------------------

    @property
    def earliest(self) -> pendulum.Date | None:
        """Earliest possible day, or ``None`` if the start is open or unknown.

        Raises :class:`InvalidDate` for a day outside years 1-9999 (use :attr:`lo`).

        >>> When.parse("2024-06").earliest, When.parse("../2024").earliest
        (Date(2024, 6, 1), None)
        """
        return _to_date(self.lo, self)

    @property
    def latest(self) -> pendulum.Date | None:
        """Latest possible day (inclusive), or ``None`` if the end is open or unknown.

        Raises :class:`InvalidDate` for a day outside years 1-9999 (use :attr:`hi`).

        >>> When.parse("2024-06").latest, When.parse("2024/").latest
        (Date(2024, 6, 30), None)
        """
        return _to_date(self.hi, self)

    @property
    def latest_start_day(self) -> int:
        """The latest day (an ordinal, like :attr:`lo`) on which the value can have begun: the
        latest possible start, or :attr:`hi` when the start is open or unknown.

        >>> w = When.parse("2024-06/2024-08")
        >>> w.latest_start_day == When.parse("2024-06").hi, When.parse("../2024").latest_start_day == w.hi
        (True, False)
        """
        shi = self._shi
        return shi if shi < self.hi else self.hi

    @property
    def form(self) -> Literal["date", "interval", "one_of", "all_of"]:
        """What kind of value this is: a date, an interval, or a set (one of / all of).

        >>> [When.parse(s).form for s in ("2024", "2024/2025", "[2024,2025]", "{2024,2025}")]
        ['date', 'interval', 'one_of', 'all_of']
        """
        return _FORM_NAMES[self._form]

    @property
    def is_interval(self) -> bool:
        """True for an interval (``start/end``), False for a date or a set.

        >>> When.parse("1950/1953").is_interval, When.parse("1950").is_interval
        (True, False)
        """
        return self._form == _edtf.FORM_INTERVAL

    @property
    def start(self) -> When | None:
        """The start of an interval (``None`` if open or unknown); a date is its own start.

        >>> str(When.parse("1950/1953").start), When.parse("../1953").start
        ('1950', None)
        """
        if self._form != _edtf.FORM_INTERVAL:
            return self
        a = self._text.partition("/")[0]
        return None if a in ("", "..") else When.from_edtf(a)

    @property
    def end(self) -> When | None:
        """The end of an interval (``None`` if open or unknown); a date is its own end.

        >>> str(When.parse("1950/1953-07-27").end), When.parse("1950/").end
        ('1953-07-27', None)
        """
        if self._form != _edtf.FORM_INTERVAL:
            return self
        b = self._text.partition("/")[2]
        return None if b in ("", "..") else When.from_edtf(b)

    @property
    def open_start(self) -> bool:
        """True if the interval's start is open (EDTF ``..``): it reaches back indefinitely.

        >>> When.parse("../2006").open_start, When.parse("/2006").open_start
        (True, False)
        """
        return self._form == _edtf.FORM_INTERVAL and self._text.startswith("../")

    @property
    def unknown_start(self) -> bool:
        """True if the interval's start is unknown (EDTF empty string, as in ``/2006``).

        >>> When.parse("/2006").unknown_start, When.parse("../2006").unknown_start
        (True, False)
        """
        return self._form == _edtf.FORM_INTERVAL and self._text.startswith("/")

    @property
    def open_end(self) -> bool:
        """True if the interval's end is open (``..``), e.g. still ongoing.

        >>> When.parse("2024-12-04/..").open_end, When.parse("2024-12-04/").open_end
        (True, False)
        """
        return self._form == _edtf.FORM_INTERVAL and self._text.endswith("/..")

    @property
    def unknown_end(self) -> bool:
        """True if the interval's end is unknown (EDTF empty string, as in ``1985/``).

        >>> When.parse("1985/").unknown_end, When.parse("1985/..").unknown_end
        (True, False)
        """
        return self._form == _edtf.FORM_INTERVAL and self._text.endswith("/")

    @property
    def members(self) -> tuple[When, ...]:
        """The members of a set, in written order (empty for dates and intervals).

        A range member ``a..b`` is given as the interval ``a/b``, and the open members
        ``..b`` / ``a..`` as ``../b`` / ``a/..``.

        >>> [str(m) for m in When.parse("[1667,1670..1672,1680..]").members]
        ['1667', '1670/1672', '1680/..']
        """
        if self._form < _edtf.FORM_ONE_OF:
            return ()
        out = []
        for item in self._text[1:-1].split(","):
            a, sep, b = item.partition("..")
            if sep:
                out.append(When.from_edtf(f"{a or '..'}/{b or '..'}"))
            else:
                out.append(When.from_edtf(item))
        return tuple(out)

    def sort_key(self) -> tuple[int, int, int, str]:
        """The total order: earliest day, latest day, precision, then canonical text.

        Consistent with equality: two Whens have equal keys exactly when they are equal.

        >>> sorted(When.parse(s) for s in ("2024", "2024-06", "2023/2025", "2024-01"))
        [When('2023/2025'), When('2024-01'), When('2024'), When('2024-06')]
        """
        return (self.lo, self.hi, int(self.precision), self._text)

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"When({self._text!r})"

    def _repr_html_(self) -> str:
        """The date in a notebook: the EDTF text, its precision and its earliest and latest
        possible days (escaped HTML).

        >>> When.parse("2024-10~")._repr_html_()
        '<span class="relations-when"><code>2024-10~</code> <small>(month; 2024-10-01 … 2024-10-31)</small></span>'
        """
        import html

        def day(n: int, unbounded: int) -> str:
            if n == unbounded:
                return "?"
            y, m, d = ymd(n)
            return f"{y:04d}-{m:02d}-{d:02d}"

        span = f"{day(self.lo, UNBOUNDED_LO)} … {day(self.hi, UNBOUNDED_HI)}"
        return (
            f'<span class="relations-when"><code>{html.escape(self._text)}</code> '
            f"<small>({html.escape(self.precision.name.lower())}; {span})</small></span>"
        )

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

    # -- bounds tests ---------------------------------------------------------------------

    def contains(self, other: object) -> bool:
        """True if every possible day of ``other`` lies within this value's bounds.

        A bounds test (inclusive), unlike Allen's strict ``contains``: a year contains its
        first day. ``other`` is anything :meth:`coerce` accepts; also ``other in w``.

        >>> When.parse("2024").contains("2024-01-01"), "2024-06" in When.parse("2024")
        (True, True)
        >>> When.parse("2024").contains("2024-12/2025-01")
        False
        """
        o = When.coerce(other)
        return self.lo <= o.lo and o.hi <= self.hi

    def __contains__(self, other: object) -> bool:
        return self.contains(other)

    def during(self, other: object) -> bool:
        """True if every possible day of this value lies within ``other``'s bounds.

        >>> When.parse("2024-06").during(2024), When.parse("2024/2025").during(2024)
        (True, False)
        """
        return When.coerce(other).contains(self)

    def overlaps(self, other: object) -> bool:
        """True if this value and ``other`` may share a day: :meth:`possibly_intersects`.

        The everyday "overlaps" (their bounds intersect), not Allen's relation of the same
        name: ``possibly_overlaps`` asks whether this value starts first and ends while
        ``other`` is going on. ``When("2024-10").overlaps("2024-10-15")`` is True (October
        may be, or include, the 15th), while ``possibly_overlaps`` is False (no day of
        October starts before the 15th and ends during it).

        >>> When.parse("2024").overlaps("2024-12/2025-02"), When.parse("2024").overlaps(2025)
        (True, False)
        """
        o = When.coerce(other)
        return self.lo <= o.hi and o.lo <= self.hi

    def possibly_intersects(self, other: object) -> bool:
        """Possibly shares at least one day with ``other`` (the same as :meth:`overlaps`).

        True exactly when one of the nine Allen relations other than ``before``, ``meets``,
        ``met_by`` and ``after`` is possible.

        >>> When("2024-10").possibly_intersects("2024-10-15"), When("2024-10").possibly_overlaps("2024-10-15")
        (True, False)
        """
        o = When.coerce(other)
        return self.lo <= o.hi and o.lo <= self.hi

    def definitely_intersects(self, other: object) -> bool:
        """Certainly shares at least one day with ``other``, however the imprecision resolves.

        >>> When("2024-10").definitely_intersects("2024-10-15")  # October may be the 3rd
        False
        >>> When("1950/1953").definitely_intersects("1952")
        True
        """
        x = _ends(self)
        y = _ends(When.coerce(other))
        return x[1] < y[2] and y[1] < x[2]

    # -- Allen relations ------------------------------------------------------------------

    def relations_to(self, other: object) -> frozenset[str]:
        """The Allen relations that may hold from this value to ``other``.

        For two exact days or day intervals exactly one relation holds; imprecision adds the
        others that are possible. ``b.relations_to(a)`` holds the inverses.

        >>> sorted(When.parse("2024-06").relations_to("2024-07"))
        ['before', 'meets']
        >>> sorted(When.parse("2024-01").relations_to("2024-01-01/2024-12-31"))
        ['during', 'starts']
        >>> len(When.parse("2024-06-19").relations_to("2024-06"))  # a day vs some time in June
        8
        """
        x = _ends(self)
        y = _ends(When.coerce(other))
        return frozenset(name for name, f in _POSSIBLY.items() if f(x, y))

    def possibly(self, relation: str, other: object) -> bool:
        """``possibly_<relation>`` by name (one of ``ALLEN_RELATIONS``).

        >>> When.parse("2024").possibly("overlaps", "2024-12/2025")
        True
        """
        return bool(_POSSIBLY[_relation(relation)](_ends(self), _ends(When.coerce(other))))

    def definitely(self, relation: str, other: object) -> bool:
        """``definitely_<relation>`` by name (one of ``ALLEN_RELATIONS``).

        >>> When.parse("2023").definitely("before", "2024-06")
        True
        """
        return bool(_DEFINITELY[_relation(relation)](_ends(self), _ends(When.coerce(other))))

    def possibly_before(self, other: object) -> bool:
        """Possibly ends before ``other`` starts, with at least a day between.

        >>> When.parse("2024").possibly_before("2024-06")
        True
        """
        return _p_before(_ends(self), _ends(When.coerce(other)))

    def definitely_before(self, other: object) -> bool:
        """Certainly ends before ``other`` starts, with at least a day between.

        >>> When.parse("2024").definitely_before("2024-06"), When(2023).definitely_before(2025)
        (False, True)
        """
        return _d_before(_ends(self), _ends(When.coerce(other)))

    def possibly_after(self, other: object) -> bool:
        """Possibly starts after ``other`` ends, with at least a day between.

        >>> When.parse("2024-06").possibly_after("2024")
        True
        """
        return _p_before(_ends(When.coerce(other)), _ends(self))

    def definitely_after(self, other: object) -> bool:
        """Certainly starts after ``other`` ends, with at least a day between.

        >>> When.parse("2025").definitely_after("2024-06")
        True
        """
        return _d_before(_ends(When.coerce(other)), _ends(self))

    def possibly_meets(self, other: object) -> bool:
        """Possibly ends on the day before ``other`` starts (no gap, no overlap).

        >>> When.parse("2024").possibly_meets("2024-12-31/2025")
        True
        """
        return _p_meets(_ends(self), _ends(When.coerce(other)))

    def definitely_meets(self, other: object) -> bool:
        """Certainly ends on the day before ``other`` starts.

        >>> When.parse("2024-06-30").definitely_meets("2024-07-01")
        True
        """
        return _d_meets(_ends(self), _ends(When.coerce(other)))

    def possibly_met_by(self, other: object) -> bool:
        """Possibly starts on the day after ``other`` ends.

        >>> When.parse("2024-07").possibly_met_by("2024-06")
        True
        """
        return _p_meets(_ends(When.coerce(other)), _ends(self))

    def definitely_met_by(self, other: object) -> bool:
        """Certainly starts on the day after ``other`` ends.

        >>> When.parse("2024-07-01").definitely_met_by("2024-06-30")
        True
        """
        return _d_meets(_ends(When.coerce(other)), _ends(self))

    def possibly_overlaps(self, other: object) -> bool:
        """Possibly starts before ``other``, and ends while ``other`` is going on.

        >>> When.parse("2020/2024").possibly_overlaps("2024/2026")
        True
        """
        return _p_overlaps(_ends(self), _ends(When.coerce(other)))

    def definitely_overlaps(self, other: object) -> bool:
        """Certainly starts before ``other``, and ends while ``other`` is going on.

        >>> When.parse("2020/2024").definitely_overlaps("2022/2026")
        True
        """
        return _d_overlaps(_ends(self), _ends(When.coerce(other)))

    def possibly_overlapped_by(self, other: object) -> bool:
        """Possibly starts while ``other`` is going on, and ends after it.

        >>> When.parse("2022/2026").possibly_overlapped_by("2020/2024")
        True
        """
        return _p_overlaps(_ends(When.coerce(other)), _ends(self))

    def definitely_overlapped_by(self, other: object) -> bool:
        """Certainly starts while ``other`` is going on, and ends after it.

        >>> When.parse("2022/2026").definitely_overlapped_by("2020/2024")
        True
        """
        return _d_overlaps(_ends(When.coerce(other)), _ends(self))

    def possibly_starts(self, other: object) -> bool:
        """Possibly starts on the same day as ``other`` and ends before it.

        >>> When.parse("2024-06").possibly_starts("2024")
        True
        """
        return _p_starts(_ends(self), _ends(When.coerce(other)))

    def definitely_starts(self, other: object) -> bool:
        """Certainly starts on the same day as ``other`` and ends before it.

        >>> When.parse("2024-01-01").definitely_starts("2024-01-01/2024-06-30")
        True
        """
        return _d_starts(_ends(self), _ends(When.coerce(other)))

    def possibly_started_by(self, other: object) -> bool:
        """Possibly starts on the same day as ``other`` and ends after it.

        >>> When.parse("2024").possibly_started_by("2024-01")
        True
        """
        return _p_starts(_ends(When.coerce(other)), _ends(self))

    def definitely_started_by(self, other: object) -> bool:
        """Certainly starts on the same day as ``other`` and ends after it.

        >>> When.parse("2024-01-01/2024-06-30").definitely_started_by("2024-01-01")
        True
        """
        return _d_starts(_ends(When.coerce(other)), _ends(self))

    def possibly_during(self, other: object) -> bool:
        """Possibly starts after ``other`` starts and ends before it ends.

        >>> When.parse("2024-06").possibly_during("2024")
        True
        """
        return _p_during(_ends(self), _ends(When.coerce(other)))

    def definitely_during(self, other: object) -> bool:
        """Certainly starts after ``other`` starts and ends before it ends.

        >>> When.parse("2024-06").definitely_during("2024-01-01/2024-12-31")
        True
        """
        return _d_during(_ends(self), _ends(When.coerce(other)))

    def possibly_contains(self, other: object) -> bool:
        """Possibly starts before ``other`` starts and ends after it ends (Allen, strict).

        >>> When.parse("2024").possibly_contains("2024-06")
        True
        """
        return _p_during(_ends(When.coerce(other)), _ends(self))

    def definitely_contains(self, other: object) -> bool:
        """Certainly starts before ``other`` starts and ends after it ends (Allen, strict).

        >>> When.parse("2024-01-01/2024-12-31").definitely_contains("2024-06")
        True
        """
        return _d_during(_ends(When.coerce(other)), _ends(self))

    def possibly_finishes(self, other: object) -> bool:
        """Possibly ends on the same day as ``other`` and starts after it.

        >>> When.parse("2024-12").possibly_finishes("2024")
        True
        """
        return _p_finishes(_ends(self), _ends(When.coerce(other)))

    def definitely_finishes(self, other: object) -> bool:
        """Certainly ends on the same day as ``other`` and starts after it.

        >>> When.parse("2024-12-31").definitely_finishes("2024-01-01/2024-12-31")
        True
        """
        return _d_finishes(_ends(self), _ends(When.coerce(other)))

    def possibly_finished_by(self, other: object) -> bool:
        """Possibly ends on the same day as ``other`` and starts before it.

        >>> When.parse("2024").possibly_finished_by("2024-12")
        True
        """
        return _p_finishes(_ends(When.coerce(other)), _ends(self))

    def definitely_finished_by(self, other: object) -> bool:
        """Certainly ends on the same day as ``other`` and starts before it.

        >>> When.parse("2024-01-01/2024-12-31").definitely_finished_by("2024-12-31")
        True
        """
        return _d_finishes(_ends(When.coerce(other)), _ends(self))

    def possibly_equals(self, other: object) -> bool:
        """Possibly starts and ends on the same days as ``other``.

        >>> When.parse("2024").possibly_equals("2024-06")
        True
        """
        return _p_equals(_ends(self), _ends(When.coerce(other)))

    def definitely_equals(self, other: object) -> bool:
        """Certainly starts and ends on the same days as ``other``.

        >>> When.parse("2024-06-19").definitely_equals("2024-06-19")
        True
        >>> When.parse("2024").definitely_equals("2024")  # some day or stretch of 2024
        False
        """
        return _d_equals(_ends(self), _ends(When.coerce(other)))

    # -- arithmetic -----------------------------------------------------------------------

    def gap(self, other: object) -> tuple[int | None, int | None]:
        """Least and most days from the end of this value to the start of ``other``.

        Counted like date subtraction (the next day is 1 day later); negative when ``other``
        may start before this ends. ``None`` where an open or unknown end makes it unbounded.

        >>> When.parse("2024-06-01").gap("2024-06-03")
        (2, 2)
        >>> When.parse("1950/1953").gap("1960")
        (2192, 2921)
        >>> When.parse("2024/").gap("2030")  # the end is unknown: it may be after 2030
        (None, 2556)
        """
        _, _, b1, b2 = _ends(self)
        c1, c2, _, _ = _ends(When.coerce(other))
        least = None if is_unbounded(c1) or is_unbounded(b2) else c1 - (b2 - 1)
        most = None if is_unbounded(c2) or is_unbounded(b1) else c2 - (b1 - 1)
        return least, most

    def shifted(self, by: Delta) -> When:
        """The same notation moved by a ``timedelta``, pendulum ``Duration`` or int of days.

        Years and months of a pendulum duration move the calendar fields (a day past the end
        of the new month is clamped to it, as pendulum does); days and seconds move day and
        date-time values exactly. Moving a value by less than its precision (a month by ten
        days) has no EDTF form and raises :class:`InvalidDate`; use :meth:`widened`.

        >>> import datetime, pendulum
        >>> str(When.parse("2024-06-19/2024-06-30").shifted(datetime.timedelta(days=2)))
        '2024-06-21/2024-07-02'
        >>> str(When.parse("2024-06~") + pendulum.duration(months=7))
        '2025-01~'
        """
        years, months, days, seconds = _split_delta(by)
        return _shift(self, years, months, days, seconds)

    def __add__(self, other: object) -> When:
        if isinstance(other, (_dt.timedelta, int)) and not isinstance(other, bool):
            return self.shifted(other)
        return NotImplemented

    def __sub__(self, other: object) -> When:
        if isinstance(other, (_dt.timedelta, int)) and not isinstance(other, bool):
            years, months, days, seconds = _split_delta(other)
            return _shift(self, -years, -months, -days, -seconds)
        return NotImplemented

    def widened(self, days: int | None = None, *, months: int = 0, years: int = 0) -> When:
        """The bounds padded for a fuzzy query: stored values are never padded.

        With explicit ``days``/``months``/``years``, the earliest day moves back and the
        latest day forward by that much (a month end stays a month end). With no arguments,
        the default policy pads approximate or uncertain values by one unit of their finest
        qualified component (a day, a month, a season's length, a year, or the span of an
        ``X`` or ``S`` year), twice that for ``%``; unqualified values are returned as is.

        A date or set becomes the one-of set of the padded days (``[a..b]``); an interval
        becomes the day interval from its earliest start to its latest end. Open and unknown
        ends stay open and unknown.

        >>> str(When.parse("2024-06~").widened())
        '[2024-05-01..2024-07-31]'
        >>> str(When.parse("1945").widened(years=2))
        '[1943-01-01..1947-12-31]'
        >>> str(When.parse("1984~/2004-06").widened())
        '1983-01-01/2004-06-30'
        """
        if days is None and not months and not years:
            pad_lo, pad_hi = _default_padding(self)
        else:
            pad_lo = pad_hi = (years, months, days or 0)
        if pad_lo == pad_hi == (0, 0, 0):
            return self
        lo = self.lo
        hi = self.hi
        if not is_unbounded(lo):
            lo = _add_months(lo, -(12 * pad_lo[0] + pad_lo[1]), False) - pad_lo[2]
        if not is_unbounded(hi):
            hi = _add_months(hi, 12 * pad_hi[0] + pad_hi[1], True) + pad_hi[2]
        if self._form == _edtf.FORM_INTERVAL:
            a = self._text.partition("/")[0] if is_unbounded(lo) else _day_text(lo, False)
            b = self._text.partition("/")[2] if is_unbounded(hi) else _day_text(hi, True)
            return When.from_edtf(f"{a}/{b}")
        a = "" if is_unbounded(lo) else _day_text(lo, False)
        b = "" if is_unbounded(hi) else _day_text(hi, True)
        if a == b:
            return When.from_edtf(a)
        return When.from_edtf(f"[{a}..{b}]")


_FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(When))  # "lo", ..., "_form"


# -- construction and parsing ------------------------------------------------------------------
#
# Parsing a string for the first time costs mostly fixed per-value work, not grammar: building
# the When and a few Python calls. Hence:
#
# * ``_make`` builds a When through its writable base class (see ``_WhenSlots``);
# * ``_parse`` reads the common shapes itself: plain dates ``YYYY-MM-DD``, ``YYYY-MM``,
#   ``YYYY`` (years 0001-9999), the same with one qualifier at the end (``2024-06-19~``,
#   ``2024-06?``, ``2024%``), and intervals of such dates, with open or unknown ends allowed
#   (``2024-06-19/2024-07-01``, ``2022/..``, ``/2024``). Their text is already canonical. Any
#   other text, and every input such a fast path finds invalid (``2023-02-29``, month 13, year
#   0000, an end before its start), goes to the general parser (``_edtf.fields``), so that one
#   place decides and words the errors. tests/test_when_fast_paths.py checks that the fast
#   paths give exactly what the general parser gives.
#
# The fast paths let ``date.fromisoformat`` check the digits: given 10 characters with "-" at
# positions 4 and 7, CPython's C implementation accepts exactly ASCII ``YYYY-MM-DD`` naming an
# existing day of years 1-9999, the EDTF plain day (a month or year is checked by appending
# "-01" or "-01-01"). A pure-Python ``datetime`` (other interpreters) reads the digits with
# ``int()``, which also takes spaces and signs; there, ``_ascii_digits`` checks them first.

_new = object.__new__
_date_fromisoformat = _dt.date.fromisoformat
_ISO_STRICT = isinstance(_date_fromisoformat, types.BuiltinMethodType)
_DAY = Precision.DAY
_MONTH = Precision.MONTH
_YEAR = Precision.YEAR
_FORM_DATE = _edtf.FORM_DATE
_FORM_INTERVAL = _edtf.FORM_INTERVAL
# a qualifier at the end of a date -> (approximate, uncertain)
_QUALIFIER = {"~": (True, False), "?": (False, True), "%": (True, True)}
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February: see is_leap


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
    w = _new(_WhenSlots)
    w.lo = lo
    w.hi = hi
    w.precision = precision
    w.approximate = approximate
    w.uncertain = uncertain
    w._shi = shi
    w._elo = elo
    w._text = text
    w._form = form
    w.__class__ = When  # from here on it is frozen
    return w  # type: ignore[return-value]  # a When now


def _ascii_digits(s: str) -> bool:
    """True if ``s`` is ASCII digits and dashes (``YYYY-MM-DD``'s characters)."""
    return s.isascii() and s.replace("-", "").isdigit()


def _plain(
    s: str, approximate: bool = False, uncertain: bool = False
) -> tuple[int, int, Precision, bool, bool] | None:
    """``(lo, hi, precision, approximate, uncertain)`` of a plain date, or None.

    Plain: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (year 0001-9999), optionally with one
    qualifier at the end, which qualifies the whole date. None for anything else, including
    invalid plain dates: the general parser explains those.
    """
    n = len(s)
    if n == 10:
        if s[4] != "-" or s[7] != "-":
            return None
        precision = _DAY
    elif n == 7:
        if s[4] != "-":
            return None
        s += "-01"
        precision = _MONTH
    elif n == 4:
        s += "-01-01"
        precision = _YEAR
    elif (n == 11 or n == 8 or n == 5) and s[-1] in _QUALIFIER:
        return _plain(s[:-1], *_QUALIFIER[s[-1]])
    else:
        return None
    if not _ISO_STRICT and not _ascii_digits(s):
        return None
    try:
        d = _date_fromisoformat(s)
    except ValueError:  # year 0000, no such month or day, not digits
        return None
    lo = d.toordinal()
    if precision is _DAY:
        hi = lo
    elif precision is _MONTH:
        m = d.month
        hi = lo + (_DAYS_IN_MONTH[m] if m != 2 else 28 + is_leap(d.year)) - 1
    else:
        hi = lo + 364 + is_leap(d.year)
    return lo, hi, precision, approximate, uncertain


def _plain_interval(text: str) -> When | None:
    """An interval of plain dates (see :func:`_plain`) and open or unknown ends, or None."""
    a, _, b = text.partition("/")
    if "/" in b:
        return None
    fa = fb = None
    if a == "..":
        lo = shi = UNBOUNDED_LO
    elif not a:
        lo, shi = UNBOUNDED_LO, UNBOUNDED_HI
    else:
        fa = _plain(a)
        if fa is None:
            return None
        lo, shi = fa[0], fa[1]
    if b == "..":
        elo = hi = UNBOUNDED_HI
    elif not b:
        elo, hi = UNBOUNDED_LO, UNBOUNDED_HI
    else:
        fb = _plain(b)
        if fb is None:
            return None
        elo, hi = fb[0], fb[1]
    if fa is None:
        if fb is None:
            return None  # no known end
        precision, approximate, uncertain = fb[2], fb[3], fb[4]
    elif fb is None:
        precision, approximate, uncertain = fa[2], fa[3], fa[4]
    else:
        if hi < lo:
            return None  # the end is before the start
        precision = fa[2] if fa[2] > fb[2] else fb[2]
        approximate = fa[3] or fb[3]
        uncertain = fa[4] or fb[4]
    return _make(lo, hi, precision, approximate, uncertain, shi, elo, text, _FORM_INTERVAL)


def _parse(text: str, english: bool = True, dayfirst: bool | None = None) -> When:
    """Parse EDTF (fast paths first, then the general grammar) and, if ``english``, English."""
    if type(text) is not str:
        if not isinstance(text, str):
            raise InvalidDate(f"not a date string: {text!r}")
        text = str(text)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        # YYYY-MM-DD, the commonest shape: _plain and _make inlined (measured 7-12% faster)
        if _ISO_STRICT or _ascii_digits(text):
            try:
                o = _date_fromisoformat(text).toordinal()
            except ValueError:
                pass  # year 0000 or no such day: the general parser explains
            else:
                w = _new(_WhenSlots)
                w.lo = w.hi = w._shi = w._elo = o
                w.precision = _DAY
                w.approximate = w.uncertain = False
                w._text = text
                w._form = _FORM_DATE
                w.__class__ = When
                return w  # type: ignore[return-value]  # a When now
    elif "/" in text:
        interval = _plain_interval(text)
        if interval is not None:
            return interval
    else:
        f = _plain(text)
        if f is not None:
            lo, hi, precision, approximate, uncertain = f
            return _make(lo, hi, precision, approximate, uncertain, hi, lo, text, _FORM_DATE)
    if not english:
        return _make(*_edtf.fields(text))
    try:
        return _make(*_edtf.fields(text))
    except InvalidDate as e:
        edtf_error = e
    stripped = text.strip()
    if not stripped:
        raise InvalidDate(f"invalid date {text!r}: empty (nothing but spaces)") from None
    if stripped != text:
        try:
            return _parse_edtf_cached(stripped)
        except InvalidDate as e:
            edtf_error = e
    edtf = english_to_edtf(stripped, text, dayfirst)
    if edtf is None:
        if any(c.isalpha() and c not in "XYESTZ" for c in stripped):
            raise InvalidDate(
                f"invalid date {text!r}: neither EDTF nor an English date form this parser "
                "reads (such as 'June 2024', '19 June 2024', 'June 19, 2024', 'circa 1945', "
                "'after 2008', 'early 2024', '1950–1953', 'the 1990s')"
            ) from None
        raise edtf_error from None
    try:
        return _parse_edtf_cached(edtf)
    except InvalidDate as e:
        reason = str(e).partition(": ")[2] or str(e)
        raise InvalidDate(f"invalid date {text!r} (read as EDTF {edtf!r}): {reason}") from None


# When.parse and When.from_edtf; a When is immutable, so a repeated string costs a lookup.
_parse_any_cached = functools.lru_cache(maxsize=1 << 16)(_parse)
_parse_edtf_cached = functools.lru_cache(maxsize=1 << 16)(functools.partial(_parse, english=False))


@functools.lru_cache(maxsize=1 << 12)
def _parse_dayfirst_cached(text: str, dayfirst: bool) -> When:
    """When.parse with an explicit ``dayfirst`` (numeric day/month dates)."""
    return _parse(text, True, dayfirst)


# -- helpers -----------------------------------------------------------------------------------


def _to_date(n: int, w: When) -> pendulum.Date | None:
    if is_unbounded(n):
        return None
    if not 1 <= n <= _MAX_ORDINAL:
        y = ymd(n)[0]
        raise InvalidDate(
            f"{w._text!r}: year {y} is outside 1-9999, which pendulum.Date cannot represent; "
            f"use the day ordinals .lo/.hi (here {n}) and relations.when.ymd() instead"
        )
    y, m, d = ymd(n)
    return pendulum.Date(y, m, d)


def _day_text(n: int, is_end: bool) -> str:
    """EDTF text of a day ordinal (a ``Y`` year where a whole far-away year is meant)."""
    y, m, d = ymd(n)
    if -9999 <= y <= 9999:
        return f"{year_text(y)}-{m:02d}-{d:02d}"
    if (m, d) == ((12, 31) if is_end else (1, 1)):
        return f"Y{y}"
    raise InvalidDate(f"day {n} (year {y}) has no EDTF form: EDTF writes only whole years there")


def _add_months(n: int, k: int, is_end: bool) -> int:
    """Move day ``n`` by ``k`` months; a last day of a month (at an end) stays a last day."""
    if k == 0:
        return n
    y, m, d = ymd(n)
    last = d == days_in_month(y, m)
    y2, m0 = divmod(m - 1 + k, 12)
    y2 += y
    m2 = m0 + 1
    dim = days_in_month(y2, m2)
    return ordinal(y2, m2, dim if (last and is_end) or d > dim else d)


# Each When seen by the Allen relations: start in [a1, a2], exclusive end in [b1, b2] with
# a start < end, normalised so that every value in each range is feasible.
Ends = tuple[int, int, int, int]


def _ends(w: When) -> Ends:
    lo, hi = w.lo, w.hi
    shi = w._shi
    elo = w._elo
    return (lo, shi if shi < hi else hi, (elo if elo > lo else lo) + 1, hi + 1)


def _p_before(x: Ends, y: Ends) -> bool:
    return x[2] < y[1]


def _d_before(x: Ends, y: Ends) -> bool:
    return x[3] < y[0]


def _p_meets(x: Ends, y: Ends) -> bool:
    return max(x[2], y[0]) <= min(x[3], y[1])


def _d_meets(x: Ends, y: Ends) -> bool:
    return x[2] == x[3] == y[0] == y[1]


def _p_overlaps(x: Ends, y: Ends) -> bool:
    ys = max(y[0], x[0] + 1)
    xe = min(x[3], y[3] - 1)
    return ys <= y[1] and xe >= x[2] and ys < xe


def _d_overlaps(x: Ends, y: Ends) -> bool:
    return x[1] < y[0] and y[1] < x[2] and x[3] < y[2]


def _p_starts(x: Ends, y: Ends) -> bool:
    v = max(x[0], y[0])
    return v <= min(x[1], y[1]) and max(x[2], v + 1) < y[3]


def _d_starts(x: Ends, y: Ends) -> bool:
    return x[0] == x[1] == y[0] == y[1] and x[3] < y[2]


def _p_finishes(x: Ends, y: Ends) -> bool:
    w = min(x[3], y[3])
    return w >= max(x[2], y[2]) and y[0] < min(x[1], w - 1)


def _d_finishes(x: Ends, y: Ends) -> bool:
    return x[2] == x[3] == y[2] == y[3] and y[1] < x[0]


def _p_during(x: Ends, y: Ends) -> bool:
    xs = max(x[0], y[0] + 1)
    xe = min(x[3], y[3] - 1)
    return xs <= x[1] and xe >= x[2] and xs < xe


def _d_during(x: Ends, y: Ends) -> bool:
    return y[1] < x[0] and x[3] < y[2]


def _p_equals(x: Ends, y: Ends) -> bool:
    v = max(x[0], y[0])
    w = min(x[3], y[3])
    return v <= min(x[1], y[1]) and max(x[2], y[2]) <= w and v < w


def _d_equals(x: Ends, y: Ends) -> bool:
    return x[0] == x[1] == y[0] == y[1] and x[2] == x[3] == y[2] == y[3]


def _swap(f: Any) -> Any:
    return lambda x, y: f(y, x)


_POSSIBLY: dict[str, Any] = {
    "before": _p_before,
    "meets": _p_meets,
    "overlaps": _p_overlaps,
    "starts": _p_starts,
    "during": _p_during,
    "finishes": _p_finishes,
    "equals": _p_equals,
    "finished_by": _swap(_p_finishes),
    "contains": _swap(_p_during),
    "started_by": _swap(_p_starts),
    "overlapped_by": _swap(_p_overlaps),
    "met_by": _swap(_p_meets),
    "after": _swap(_p_before),
}
_DEFINITELY: dict[str, Any] = {
    "before": _d_before,
    "meets": _d_meets,
    "overlaps": _d_overlaps,
    "starts": _d_starts,
    "during": _d_during,
    "finishes": _d_finishes,
    "equals": _d_equals,
    "finished_by": _swap(_d_finishes),
    "contains": _swap(_d_during),
    "started_by": _swap(_d_starts),
    "overlapped_by": _swap(_d_overlaps),
    "met_by": _swap(_d_meets),
    "after": _swap(_d_before),
}


def _relation(name: str) -> str:
    if name not in _POSSIBLY:
        raise InvalidDate(f"unknown Allen relation {name!r}; one of {', '.join(ALLEN_RELATIONS)}")
    return name


_US_PER_DAY = 86_400_000_000
_ONE_US = _dt.timedelta(microseconds=1)


def _split_delta(by: object) -> tuple[int, int, int, int]:
    """``(years, months, days, seconds)`` of a shift; sub-second parts are refused."""
    if isinstance(by, bool) or not isinstance(by, (_dt.timedelta, int)):
        raise InvalidDate(
            f"cannot shift a date by {by!r}: give a timedelta, pendulum Duration or int days"
        )
    if isinstance(by, int):
        return 0, 0, by, 0
    years = months = 0
    total_us = _dt.timedelta.__floordiv__(by, _ONE_US)
    if isinstance(by, pendulum.Duration):
        years, months = by.years, by.months
        total_us -= (365 * years + 30 * months) * _US_PER_DAY
    days, rest = divmod(total_us, _US_PER_DAY)
    seconds, micro = divmod(rest, 1_000_000)
    if micro:
        raise InvalidDate(f"cannot shift a date by {by!r}: dates are kept to the second")
    return years, months, days, seconds


def _shift(w: When, years: int, months: int, days: int, seconds: int) -> When:
    if (years, months, days, seconds) == (0, 0, 0, 0):
        return w
    form, ends, members = _edtf.parse_node(w._text)

    def move(d: _edtf.Date) -> _edtf.Date:
        return _shift_date(d, w, years, months, days, seconds)

    new_ends: list[_edtf.End] = [move(p) if isinstance(p, _edtf.Date) else p for p in ends]
    new_members: list[_edtf.Member] = [
        (None if a is None else move(a), None if b is None else move(b), r) for a, b, r in members
    ]
    return When.from_edtf(_edtf.render_node(form, new_ends, new_members))


def _shift_date(
    d: _edtf.Date, w: When, years: int, months: int, days: int, seconds: int
) -> _edtf.Date:
    def refuse(why: str) -> InvalidDate:
        return InvalidDate(f"cannot shift {w._text!r}: {why}")

    comps = list(d.comps)
    if d.special:
        if months or days or seconds or "E" in comps[0] or "S" in comps[0]:
            raise refuse("only whole years move a Y, exponent or significant-digit year")
        return _edtf.parse_date(year_text(int(comps[0][1:]) + years), w._text)
    if "X" in comps[0]:
        raise refuse("a year with unspecified digits (X) cannot be moved")
    y = int(comps[0])
    total_months = 12 * years + months
    time = d.time
    if len(comps) == 1:
        if total_months % 12 or days or seconds:
            raise refuse("a year can only move by whole years")
        y += total_months // 12
    else:
        mtext = comps[1]
        if "X" in mtext or int(mtext) > 12:
            if total_months % 12 or days or seconds:
                raise refuse("a season or unspecified month can only move by whole years")
            y += total_months // 12
        else:
            y2, m0 = divmod(int(mtext) - 1 + total_months, 12)
            y += y2
            comps[1] = f"{m0 + 1:02d}"
        if len(comps) == 2 or "X" in comps[2]:
            if days or seconds:
                raise refuse("a month can only move by whole months (use widened() to pad)")
        else:
            m = int(comps[1])
            n = ordinal(y, m, min(int(comps[2]), days_in_month(y, m))) + days
            if seconds:
                if not time:
                    raise refuse("a day can only move by whole days")
                hh, mi, ss = int(time[1:3]), int(time[4:6]), int(time[7:9])
                extra, sod = divmod(hh * 3600 + mi * 60 + ss + seconds, 86400)
                n += extra
                time = f"T{sod // 3600:02d}:{sod % 3600 // 60:02d}:{sod % 60:02d}{time[9:]}"
            y, m, day = ymd(n)
            comps[1] = f"{m:02d}"
            comps[2] = f"{day:02d}"
        if not -9999 <= y <= 9999:
            raise refuse(f"year {y} with a month has no EDTF form")
    comps[0] = year_text(y)
    text = _edtf.render_date(_edtf.Date(comps, d.quals, time, 0, 0, d.prec, False))
    return _edtf.parse_date(text, w._text)


def _default_padding(w: When) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Paddings ``(years, months, days)`` of the earliest and the latest day.

    One unit of the finest qualified component of each date (twice that for ``%``); an
    interval's start and end are padded each by its own date, other values by the largest.
    """
    if not (w.approximate or w.uncertain):
        return (0, 0, 0), (0, 0, 0)
    form, ends, members = _edtf.parse_node(w._text)
    if form == _edtf.FORM_INTERVAL:
        a, b = ends
        return (
            _date_padding(a) if isinstance(a, _edtf.Date) else (0, 0, 0),
            _date_padding(b) if isinstance(b, _edtf.Date) else (0, 0, 0),
        )
    dates = [p for p in ends if isinstance(p, _edtf.Date)]
    for a2, b2, _ in members:
        dates.extend(d for d in (a2, b2) if d is not None)
    best = max((_date_padding(d) for d in dates), key=_pad_size)
    return best, best


def _date_padding(d: _edtf.Date) -> tuple[int, int, int]:
    qualified = [i for i, q in enumerate(d.quals) if q]
    if not qualified:
        return (0, 0, 0)
    i = qualified[-1]
    k = 2 if d.quals[i] == 3 else 1
    text = d.comps[i]
    if i == 0:
        digits = text.lstrip("-")
        return (k * (10 ** (4 - digits.index("X")) if "X" in digits else k), 0, 0)
    if i == 1:
        code = 0 if "X" in text else int(text)
        if code in GROUPINGS:
            return (0, k * GROUPINGS[code][1], 0)
        return (k, 0, 0) if "X" in text else (0, k, 0)
    return (0, k, 0) if "X" in text else (0, 0, k)


def _pad_size(p: tuple[int, int, int]) -> int:
    return p[0] * 366 + p[1] * 31 + p[2]
