"""Helpers shared by the dataset importers (GDELT, ICEWS, ACLED, PLOVER)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from relations.errors import InvalidDate, InvalidEvent, RelationsError, location_prefix
from relations.events import Event, Source
from relations.io._lines import MAX_LINE_BYTES, PathOrFile, counted, numbered_lines, open_source
from relations.io._report import Tally
from relations.when import When

__all__ = [
    "day_from_digits",
    "fmt_number",
    "make_event",
    "measure",
    "need",
    "source_from_url",
    "timestamp_from_digits",
    "tsv_rows",
]

_DIGITS8 = re.compile(r"^\d{8}$")
_DIGITS14 = re.compile(r"^\d{14}$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def make_event(file: str, line: int, *args: Any, **kwargs: Any) -> Event:
    """``Event(*args, **kwargs)``; an error gets the file and line in front of its message.

    >>> make_event("x.tsv", 4, "2024", "trade", [], "t")
    Traceback (most recent call last):
    ...
    relations.errors.InvalidEvent: x.tsv:4: field 'actors' must name at least one actor
    """
    try:
        return Event(*args, **kwargs)
    except RelationsError as e:
        raise type(e)(location_prefix(file=file, line=line) + str(e)) from None


_INTEGER = re.compile(r"^[+-]?[0-9]{1,18}$")  # ASCII digits only: "²".isdigit() is true
_REAL = re.compile(r"^[+-]?([0-9]{1,30}(\.[0-9]{0,30})?|\.[0-9]{1,30})([eE][+-]?[0-9]{1,4})?$")


def measure(
    text: str, *, file: str, line: int, field: str, integer: bool = False, low: float | None = None
) -> int | float | None:
    """The number in a cell as a measure (None for an empty cell or ``NA``); anything else
    (``"²"``, ``"1e999"``, ``"nan"``, a 4 300-digit integer) is an InvalidEvent naming the
    file, line and field. ``integer`` asks for a count; ``low`` is the smallest value allowed.

    >>> measure("-2.5", file="f", line=3, field="AvgTone"), measure("12", file="f", line=3,
    ...     field="NumMentions", integer=True), measure("NA", file="f", line=3, field="x")
    (-2.5, 12, None)
    >>> measure("²", file="f", line=3, field="NumMentions", integer=True)
    Traceback (most recent call last):
    ...
    relations.errors.InvalidEvent: f:3: field 'NumMentions': '²' is not a whole number
    """
    t = text.strip()
    if not t or t == "NA":
        return None
    value: int | float
    if integer:
        if not _INTEGER.match(t):
            raise InvalidEvent(
                f"{location_prefix(file=file, line=line, field=field)}{text!r:.40} is not a "
                "whole number"
            )
        value = int(t)
    else:
        value = float(t) if _REAL.match(t) else math.nan
        if not math.isfinite(value):
            raise InvalidEvent(
                f"{location_prefix(file=file, line=line, field=field)}{text!r:.40} is not a "
                "finite number"
            )
    if low is not None and value < low:
        raise InvalidEvent(
            f"{location_prefix(file=file, line=line, field=field)}{text!r:.40} is below {low:g}"
        )
    return value


def day_from_digits(text: str, *, file: str, line: int, field: str) -> When:
    """A day from ``YYYYMMDD`` or ``YYYY-MM-DD``; an InvalidDate names the field.

    >>> str(day_from_digits("20180601", file="f", line=1, field="SQLDATE"))
    '2018-06-01'
    >>> day_from_digits("20180631", file="f", line=1, field="SQLDATE")
    Traceback (most recent call last):
    ...
    relations.errors.InvalidDate: f:1: field 'SQLDATE': invalid date '20180631' ...
    """
    t = text.strip()
    if _DIGITS8.match(t):
        iso = f"{t[:4]}-{t[4:6]}-{t[6:]}"
    elif _ISO_DAY.match(t):
        iso = t
    else:
        raise InvalidDate(
            f"{location_prefix(file=file, line=line, field=field)}invalid date {text!r}: "
            "expected YYYYMMDD or YYYY-MM-DD"
        )
    try:
        return When.parse(iso)
    except InvalidDate as e:
        raise InvalidDate(
            f"{location_prefix(file=file, line=line, field=field)}invalid date {text!r} ({e})"
        ) from None


def timestamp_from_digits(text: str, *, file: str, line: int, field: str) -> When:
    """A UTC time from ``YYYYMMDDHHMMSS`` (GDELT 2.0 DATEADDED), or a day from 8 digits.

    >>> str(timestamp_from_digits("20250807220000", file="f", line=1, field="DATEADDED"))
    '2025-08-07T22:00:00Z'
    """
    t = text.strip()
    if not _DIGITS14.match(t):
        return day_from_digits(t, file=file, line=line, field=field)
    iso = f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:]}Z"
    try:
        return When.parse(iso)
    except InvalidDate as e:
        raise InvalidDate(
            f"{location_prefix(file=file, line=line, field=field)}invalid time {text!r} ({e})"
        ) from None


def source_from_url(url: str, published: When | None = None) -> Source:
    """A Source for a cited URL: the publisher is the host name (``www.`` dropped).

    Text that is not an http(s) URL (some GDELT rows cite a publication by name) becomes the
    publisher itself.

    >>> source_from_url("https://www.reuters.com/world/x")
    Source('reuters.com', url='https://www.reuters.com/world/x')
    >>> source_from_url("BBC Monitoring")
    Source('BBC Monitoring')
    """
    if url.startswith(("http://", "https://")):
        try:
            host = urlsplit(url).hostname or url
        except ValueError:
            host = url
        host = host.removeprefix("www.")
        return Source(host, url=url, published=published)
    return Source(url, published=published)


def fmt_number(x: float) -> str:
    """A score as text for ``extra``: ``-5.0`` → ``'-5'``, ``3.4`` → ``'3.4'``.

    >>> fmt_number(-5.0), fmt_number(3.4), fmt_number(0.0)
    ('-5', '3.4', '0')
    """
    if x == int(x):
        return str(int(x))
    return repr(x)


def tsv_rows(
    source: PathOrFile, name: str, tally: Tally, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, list[str]]]:
    """``(line number, cells)`` for each non-blank line of a tab-separated file.

    Each line counts as a record; a line that is not UTF-8 or too long is handed to
    ``tally.problem`` (raised or skipped by the policy).
    """
    with open_source(source) as f:
        for n, text in counted(numbered_lines(f, name, max_line_bytes), tally):
            yield n, text.split("\t")


def need(value: str, *, file: str, line: int, field: str) -> str:
    """A required cell's value; an empty one is an InvalidEvent naming the field.

    >>> need(" 7 ", file="f", line=2, field="Event ID")
    '7'
    """
    v = value.strip()
    if not v:
        raise InvalidEvent(f"{location_prefix(file=file, line=line, field=field)}is empty")
    return v
