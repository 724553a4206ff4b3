"""English date phrases -> EDTF text, for :meth:`relations.when.When.parse` only.

The conventions are documented on ``When.parse``; in short:

* ``c. 1945`` -> ``1945~``; ``probably 1945`` -> ``1945?``
* ``before 2008`` -> ``../2007-12-31``; ``until 2008`` -> ``../2008``;
  ``after 2008`` -> ``2009-01-01/..``; ``since 2008`` / ``from 2008`` -> ``2008/..``
* ``early/mid/late 2024`` -> quadrimesters ``2024-37``/``38``/``39``; ``beginning of``,
  ``start of``, ``middle of`` and ``end of`` are the same thirds
* ``first half of 2024`` -> ``2024-40``; ``third quarter of 2024``, ``2024-Q3`` -> ``2024-35``
* ``1950–1953`` -> ``1950/1953``; ``June and July 2024`` -> ``{2024-06,2024-07}``
* ``the 1990s`` -> ``199X``; ``the 20th century`` -> ``19XX`` (years 1900-1999, as Period)
* ``19/06/2024`` -> ``2024-06-19`` only with ``dayfirst=True`` (else InvalidDate)
* ``2024-06-19 14:00`` -> ``2024-06-19T14:00:00`` (an EDTF date-time)

>>> english_to_edtf("june 19, 2024", "June 19, 2024")
'2024-06-19'
>>> english_to_edtf("not a date", "not a date") is None
True
"""

from __future__ import annotations

import re

from relations import _edtf
from relations.errors import InvalidDate

__all__ = ["english_to_edtf"]

_MAX_LENGTH = 200  # longer text is not an English date phrase (and would recurse deeply)

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_THIRDS = {"early": 37, "mid": 38, "late": 39}
# "the beginning of 2024" is read as "early 2024", and so on: the same thirds
_THIRD_WORDS = {
    "early": "early",
    "mid": "mid",
    "late": "late",
    "beginning of": "early",
    "start of": "early",
    "middle of": "mid",
    "end of": "late",
}
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}

_MONTH = r"(?P<mon>[a-z]+)\.?"
_YEAR = (
    r"(?P<year>[0-9]{4}|[0-9]{1,4} ?(?:bce|bc|b\.c\.e\.|b\.c\.|ad|ce|a\.d\.|c\.e\.)"
    r"|(?:ad|a\.d\.) ?[0-9]{1,4})"
)
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"

_RE_YEAR = re.compile(_YEAR)
_RE_MONTH_YEAR = re.compile(rf"(?:in )?{_MONTH},? (?:of )?{_YEAR}")
_RE_DAY_MONTH_YEAR = re.compile(rf"(?:the )?{_DAY} (?:of )?{_MONTH},? {_YEAR}")
_RE_MONTH_DAY_YEAR = re.compile(rf"{_MONTH} {_DAY},? {_YEAR}")
_RE_SEASON = re.compile(rf"(?:the )?(?P<season>spring|summer|autumn|fall|winter),? (?:of )?{_YEAR}")
_RE_QUARTER = re.compile(rf"q(?P<q>[1-4]),? {_YEAR}|(?P<y2>[0-9]{{4}})[ -]q(?P<q2>[1-4])")
_RE_HALF = re.compile(rf"h(?P<h>[12]),? {_YEAR}|(?P<y2>[0-9]{{4}})[ -]h(?P<h2>[12])")
_RE_PART_OF_YEAR = re.compile(
    rf"(?:the )?(?P<n>first|1st|second|2nd|third|3rd|fourth|4th) (?P<part>half|quarter),? "
    rf"(?:of |in )?{_YEAR}"
)
_RE_DECADE = re.compile(r"(?:the )?(?P<dec>[0-9]{3}0)'?s")
_RE_CENTURY = re.compile(
    r"(?:the )?(?P<n>[0-9]{1,2})(?:st|nd|rd|th)[ -]century"
    r"(?P<bc> (?:bce|bc|b\.c\.e\.|b\.c\.))?"
)
_RE_THIRD = re.compile(
    r"(?:the )?(?P<part>early|mid|late|(?:beginning|start|middle|end) of)(?:[ -]| in )(?P<rest>.+)"
)
# 19/06/2024, 06/19/2024, 19.06.2024, 19-06-2024: which number is the day needs dayfirst=
_RE_NUMERIC = re.compile(r"(?P<a>[0-9]{1,2})(?P<sep>[/.-])(?P<b>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4})")
_RE_YMD_SLASHES = re.compile(r"(?P<y>[0-9]{4})/(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})")
# 2024-06-19 14:00, 2024-06-19T14:00, 2024-06-19 14:00:30 UTC, 2024-06-19 14:00+02:00
_RE_DATETIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?: |t| at )(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})"
    r"(?::(?P<s>[0-9]{2}))?(?: ?(?P<z>z|utc|gmt|[+-][0-9]{2}:?[0-9]{2}))?"
)

_APPROX = re.compile(
    r"(?:(?:c|ca|approx)\. ?|(?:c|ca|circa|around|about|approximately|approx|roughly) )(?P<rest>.+)"
)
_UNCERTAIN = re.compile(r"(?:probably|possibly|perhaps|maybe) (?P<rest>.+)")
_OPEN = re.compile(r"(?P<word>before|until|till|up to|after|since|from) (?P<rest>.+)")
_BETWEEN = re.compile(r"between (?P<a>.+) and (?P<b>.+)")
_AND = re.compile(r"(?:both )?(?P<a>.+?) and (?P<b>.+)")
_FROM_TO = re.compile(r"(?:from )?(?P<a>.+?) (?:to|until|till) (?P<b>.+)")
_DASH = re.compile(r"(?P<a>.+?) ?[–—] ?(?P<b>.+)")
_HYPHEN_YEARS = re.compile(r"(?P<a>[0-9]{4}) ?- ?(?P<b>[0-9]{4})")
_SPACED_HYPHEN = re.compile(r"(?P<a>.+?) - (?P<b>.+)")  # "June - July 2024", typed for a dash


def _bad(original: str, why: str) -> InvalidDate:
    return InvalidDate(f"invalid date {original!r}: {why}")


def english_to_edtf(text: str, original: str, dayfirst: bool | None = None) -> str | None:
    """EDTF text for an English date phrase, or None if the phrase is not recognised.

    Raises :class:`InvalidDate` for a recognised but ambiguous phrase (``the 1900s``, or
    ``19/06/2024`` without ``dayfirst``).

    >>> english_to_edtf("Around June 2024", "Around June 2024")
    '2024-06~'
    >>> english_to_edtf("06/19/2024", "06/19/2024", dayfirst=False)
    '2024-06-19'
    """
    if len(text) > _MAX_LENGTH:
        return None
    t = " ".join(text.lower().replace("\u2012", "–").replace("\u2015", "—").split())
    if not t:
        return None
    return _value(t, original, dayfirst)


def _value(t: str, original: str, dayfirst: bool | None) -> str | None:
    m = _APPROX.fullmatch(t)
    if m is not None:
        inner = _value(m["rest"], original, dayfirst)
        return None if inner is None else _qualify(inner, 2, original)
    m = _UNCERTAIN.fullmatch(t)
    if m is not None:
        inner = _value(m["rest"], original, dayfirst)
        return None if inner is None else _qualify(inner, 1, original)
    m = _BETWEEN.fullmatch(t)
    if m is not None:
        return _range(m["a"], m["b"], original, dayfirst)
    m = _FROM_TO.fullmatch(t)
    if m is not None:
        r = _range(m["a"], m["b"], original, dayfirst)
        if r is not None:
            return r
    m = _OPEN.fullmatch(t)
    if m is not None:
        return _open(m["word"], m["rest"], original, dayfirst)
    m = _DASH.fullmatch(t) or _HYPHEN_YEARS.fullmatch(t) or _SPACED_HYPHEN.fullmatch(t)
    if m is not None:
        return _range(m["a"], m["b"], original, dayfirst)
    m = _AND.fullmatch(t)
    if m is not None:
        return _both(m["a"], m["b"], original, dayfirst)
    return _single(t, original, dayfirst)


def _ends_of(a: str, b: str, original: str, dayfirst: bool | None) -> tuple[str, str] | None:
    """EDTF of two dates written as a pair; the first may borrow the second's year (and month)."""
    ea = _single(a, original, dayfirst)
    eb = _single(b, original, dayfirst)
    if eb is None:
        return None
    if ea is None:
        # "June–August 2024", "19–21 June 2024": the start borrows the end's year (and month)
        parts = eb.split("-")
        if a.rstrip(".") in _MONTHS and len(parts) == 2 and not eb.startswith("-"):
            ea = f"{parts[0]}-{_MONTHS[a.rstrip('.')]:02d}"
        elif re.fullmatch(r"[0-9]{1,2}(?:st|nd|rd|th)?", a) and len(parts) == 3:
            ea = f"{parts[0]}-{parts[1]}-{int(re.sub(r'[a-z]', '', a)):02d}"
        else:
            return None
    return ea, eb


def _range(a: str, b: str, original: str, dayfirst: bool | None) -> str | None:
    ends = _ends_of(a, b, original, dayfirst)
    return None if ends is None else f"{ends[0]}/{ends[1]}"


def _both(a: str, b: str, original: str, dayfirst: bool | None) -> str | None:
    """ "June and July 2024": all of both dates, the EDTF all-of set ``{2024-06,2024-07}``."""
    ends = _ends_of(a, b, original, dayfirst)
    if ends is None or "[" in ends[0] + ends[1] or "{" in ends[0] + ends[1]:
        return None
    return f"{{{ends[0]},{ends[1]}}}"


def _open(word: str, rest: str, original: str, dayfirst: bool | None) -> str | None:
    inner = _value(
        rest, original, dayfirst
    )  # "after c. 2008" is allowed: one date, maybe qualified
    if inner is None or "/" in inner or inner[0] in "[{":
        return None
    if word in ("until", "till", "up to"):
        return f"../{inner}"
    if word in ("since", "from"):
        return f"{inner}/.."
    lo, hi, _prec, approx, unc = _edtf.fields(inner)[:5]
    q = _edtf._QSYM[(2 if approx else 0) | (1 if unc else 0)]
    if word == "before":
        return f"../{_day(lo - 1, original)}{q}"
    return f"{_day(hi + 1, original)}{q}/.."


def _day(n: int, original: str) -> str:
    y, m, d = _edtf.ymd(n)
    if not -9999 <= y <= 9999:
        raise _bad(original, f"year {y} is too far away for a day-precision bound")
    return f"{_edtf.year_text(y)}-{m:02d}-{d:02d}"


def _year(tok: str) -> int:
    digits = int(re.sub(r"[^0-9]", "", tok))
    if "b" in tok:  # BC/BCE: astronomical numbering, 1 BC is year 0
        return 1 - digits
    return digits


def _single(t: str, original: str, dayfirst: bool | None = None) -> str | None:
    """One date (EDTF or English), or None."""
    try:
        form, ends, members = _edtf.parse_node(t.upper())
    except InvalidDate:
        pass
    else:
        if form == _edtf.FORM_DATE:
            return _edtf.render_node(form, ends, members)
        return None
    if _RE_YEAR.fullmatch(t):
        return _edtf.year_text(_year(t))
    m = _RE_MONTH_YEAR.fullmatch(t)
    if m is not None and m["mon"] in _MONTHS:
        return f"{_edtf.year_text(_year(m['year']))}-{_MONTHS[m['mon']]:02d}"
    m = _RE_DAY_MONTH_YEAR.fullmatch(t) or _RE_MONTH_DAY_YEAR.fullmatch(t)
    if m is not None and m["mon"] in _MONTHS:
        return f"{_edtf.year_text(_year(m['year']))}-{_MONTHS[m['mon']]:02d}-{int(m['day']):02d}"
    m = _RE_NUMERIC.fullmatch(t)
    if m is not None:
        return _numeric(m, original, dayfirst)
    m = _RE_YMD_SLASHES.fullmatch(t)
    if m is not None:  # 2024/06/19: year first is always year-month-day
        return f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}"
    m = _RE_DATETIME.fullmatch(t)
    if m is not None:
        return _datetime(m)
    m = _RE_SEASON.fullmatch(t)
    if m is not None:
        return f"{_edtf.year_text(_year(m['year']))}-{_SEASONS[m['season']]}"
    m = _RE_QUARTER.fullmatch(t)
    if m is not None:
        if m["y2"] is not None:
            return f"{m['y2']}-{32 + int(m['q2'])}"
        return f"{_edtf.year_text(_year(m['year']))}-{32 + int(m['q'])}"
    m = _RE_HALF.fullmatch(t)
    if m is not None:
        if m["y2"] is not None:
            return f"{m['y2']}-{39 + int(m['h2'])}"
        return f"{_edtf.year_text(_year(m['year']))}-{39 + int(m['h'])}"
    m = _RE_PART_OF_YEAR.fullmatch(t)
    if m is not None:
        n = _ORDINALS[m["n"]]
        if m["part"] == "half":
            if n > 2:
                return None
            return f"{_edtf.year_text(_year(m['year']))}-{39 + n}"
        return f"{_edtf.year_text(_year(m['year']))}-{32 + n}"
    m = _RE_DECADE.fullmatch(t)
    if m is not None:
        dec = m["dec"]
        if dec.endswith("00"):
            raise _bad(
                original,
                f"'{dec}s' is ambiguous (the decade {dec}-{dec[:3]}9 or the century "
                f"{dec}-{dec[:2]}99); write {dec[:3]}X for the decade or {dec[:2]}XX for "
                "the century",
            )
        return f"{dec[:3]}X"
    m = _RE_CENTURY.fullmatch(t)
    if m is not None:
        return _century(int(m["n"]), m["bc"] is not None)
    m = _RE_THIRD.fullmatch(t)
    if m is not None:
        return _third(_THIRD_WORDS[m["part"]], m["rest"], original)
    return None


def _century(n: int, bc: bool) -> str | None:
    """The nth century as :class:`relations.periods.Period` counts it: a block of 100 years
    starting at a year divisible by 100 (the 20th century is 1900-1999, EDTF ``19XX``)."""
    if n < 1:
        return None
    if bc:  # astronomical years: the 1st century BCE is -100..-1
        return f"[{_edtf.year_text(-100 * n)}..{_edtf.year_text(-100 * (n - 1) - 1)}]"
    return f"{n - 1:02d}XX"


def _numeric(m: re.Match[str], original: str, dayfirst: bool | None) -> str:
    """19/06/2024 or 06/19/2024: day and month are told apart only by ``dayfirst``."""
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    readings = []
    for first, (d, mo) in (("day-first", (a, b)), ("month-first", (b, a))):
        ok = 1 <= mo <= 12 and 1 <= d <= _edtf.days_in_month(y, mo) if y else False
        readings.append((first, f"{y:04d}-{mo:02d}-{d:02d}" if ok else None))
    if dayfirst is None:
        said = "; ".join(f"{first}: {edtf or 'no such day'}" for first, edtf in readings)
        raise _bad(
            original,
            f"which number is the day is ambiguous ({said}); pass dayfirst=True or "
            "dayfirst=False, or write the date as YYYY-MM-DD",
        )
    first, edtf = readings[0 if dayfirst else 1]
    if edtf is None:
        raise _bad(original, f"read {first} (dayfirst={dayfirst}), there is no such day")
    return edtf


def _datetime(m: re.Match[str]) -> str:
    """A date with a time of day, as an EDTF date-time (EDTF writes the seconds: ``:00``)."""
    z = m["z"] or ""
    if z in ("z", "utc", "gmt"):
        z = "Z"
    elif z and ":" not in z:
        z = f"{z[:3]}:{z[3:]}"
    return f"{m['date']}T{int(m['h']):02d}:{m['mi']}:{m['s'] or '00'}{z}"


def _third(part: str, rest: str, original: str) -> str | None:
    """early / mid / late of a year, a month or a decade."""
    rest = rest.removeprefix("the ")
    if _RE_YEAR.fullmatch(rest):
        return f"{_edtf.year_text(_year(rest))}-{_THIRDS[part]}"
    m = _RE_DECADE.fullmatch(rest)
    if m is not None and not m["dec"].endswith("00"):
        start = int(m["dec"])
        a, b = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
        return f"[{start + a:04d}..{start + b:04d}]"
    m = _RE_MONTH_YEAR.fullmatch(rest)
    if m is not None and m["mon"] in _MONTHS:
        y = _year(m["year"])
        mo = _MONTHS[m["mon"]]
        if not -9999 <= y <= 9999:
            return None
        a, b = {"early": (1, 10), "mid": (11, 20), "late": (21, _edtf.days_in_month(y, mo))}[part]
        ym = f"{_edtf.year_text(y)}-{mo:02d}"
        return f"[{ym}-{a:02d}..{ym}-{b:02d}]"
    return None


def _qualify(text: str, bits: int, original: str) -> str:
    """Add a qualifier to every date of an EDTF value."""
    form, ends, members = _edtf.parse_node(text)

    def q(d: _edtf.Date) -> _edtf.Date:
        if d.special or d.time:
            raise _bad(original, f"{_edtf.render_date(d)!r} cannot be qualified in EDTF")
        return _edtf.Date(d.comps, [x | bits for x in d.quals], "", d.lo, d.hi, d.prec, False)

    new_ends: list[_edtf.End] = [q(p) if isinstance(p, _edtf.Date) else p for p in ends]
    new_members: list[_edtf.Member] = [
        (None if a is None else q(a), None if b is None else q(b), r) for a, b, r in members
    ]
    return _edtf.render_node(form, new_ends, new_members)
