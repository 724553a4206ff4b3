"""The ACLED columns and the text rules shared by the row reader (:mod:`relations.io.acled`)
and the column fast path (:mod:`relations.io._acled_columns`): dates at ACLED's time
precision, kinds, and the country an actor's name belongs to."""

from __future__ import annotations

import datetime as _dt
import re

from relations.errors import InvalidDate, location_prefix
from relations.io._actors import NameIndex
from relations.when import When, ordinal, ymd

__all__ = [
    "ACLED_COLUMNS",
    "MAPPED",
    "REQUIRED",
    "actor_country",
    "iso_country",
    "slug",
    "when_of",
]

#: The columns of an ACLED export (layout of March 2023 on), in file order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: The columns an ACLED header must have (in lower case).
REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
)
#: The columns mapped to Event fields, not kept in ``extra``.
MAPPED = frozenset({"event_id_cnty", "notes", "fatalities", "source", "latitude", "longitude"})
_MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$")
_OF = re.compile(r"\bof (?:the )?([A-Z][^()]*?)\s*(?:\(|$)")
_PAREN = re.compile(r"\(([^()]+)\)\s*$")


def slug(text: str) -> str:
    """A kind segment: lower case, ``_`` for other characters, never starting with a digit.

    >>> slug("Explosions/Remote violence"), slug("2nd")
    ('explosions_remote_violence', 'x2nd')
    """
    s = re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")
    return s if s and s[0].isalpha() else f"x{s}"


def _day(text: str, name: str, n: int) -> tuple[int, int, int]:
    t = text.strip()
    y = mo = d = 0
    if m := _YMD.match(t):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.match(t):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    elif (m := _D_MONTH_Y.match(t)) and m[2].lower() in _MONTHS:
        d, mo, y = int(m[1]), _MONTHS[m[2].lower()], int(m[3])
    try:
        _dt.date(y, mo, d)
    except ValueError:
        raise InvalidDate(
            f"{location_prefix(file=name, line=n, field='event_date')}invalid date {text!r}: "
            "expected YYYY-MM-DD, DD-MM-YYYY or '15 January 2020'"
        ) from None
    return y, mo, d


def when_of(date_text: str, precision: str, name: str, n: int) -> When:
    """The date of ``event_date`` at ACLED's ``time_precision`` (see :mod:`relations.io.acled`).

    >>> str(when_of("16 October 2024", "2", "f", 2)), str(when_of("16/10/2024", "3", "f", 2))
    ('[2024-10-13..2024-10-19]', '2024-10')
    """
    y, m, d = _day(date_text, name, n)
    p = precision.strip()
    if p == "1":
        return When.parse(f"{y:04d}-{m:02d}-{d:02d}")
    if p == "2":
        mid = ordinal(y, m, d)
        a, b = ymd(mid - 3), ymd(mid + 3)
        return When.parse(f"[{a[0]:04d}-{a[1]:02d}-{a[2]:02d}..{b[0]:04d}-{b[1]:02d}-{b[2]:02d}]")
    if p == "3":
        return When.parse(f"{y:04d}-{m:02d}")
    raise InvalidDate(
        f"{location_prefix(file=name, line=n, field='time_precision')}is {precision!r}; "
        "ACLED's levels are 1 (day), 2 (week) and 3 (month)"
    )


def iso_country(iso: str, index: NameIndex) -> str | None:
    """The actor of an ISO 3166 numeric code (``"643"`` → ``RUS``), or None.

    >>> iso_country("643", NameIndex()), iso_country("²", NameIndex())
    ('RUS', None)
    """
    # ASCII digits only ("²".isdigit() is true, and int("²") fails); ISO numeric codes have
    # three digits (int() of a 4 300-digit string raises ValueError)
    if not (iso.isascii() and iso.isdigit() and len(iso) <= 3):
        return None
    import pycountry

    c = pycountry.countries.get(numeric=f"{int(iso):03d}")
    return None if c is None else index.get(c.alpha_3)


def actor_country(actor: str, index: NameIndex) -> str | None:
    """The country an ACLED actor belongs to: from "... of <country>", else a trailing
    "(<country>)"; None when neither names a known country.

    >>> index = NameIndex()
    >>> actor_country("Military Forces of Russia (2000-)", index), actor_country("Rioters", index)
    ('RUS', None)
    """
    for pattern in (_OF, _PAREN):
        m = pattern.search(actor)
        if m:
            code = index.get(m[1].strip())
            if code is not None:
                return code
    return None
