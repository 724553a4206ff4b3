"""The store's clock: record time as integer microseconds since the Unix epoch (UTC).

Every engine stamps ``recorded_at`` with its ``clock`` (injectable; :func:`default_clock` by
default) and keeps it as microseconds, which sort and compare as integers; ``known_at``
arguments are turned into the last microsecond they count (:func:`known_at_micros`).
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable

import pendulum

from relations.errors import InvalidDate
from relations.when import When

__all__ = ["default_clock", "from_micros", "known_at_micros", "now_micros", "to_micros"]

_UTC = pendulum.UTC
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_datetime_sub: Callable[[_dt.datetime, _dt.datetime], _dt.timedelta] = _dt.datetime.__sub__


def to_micros(t: _dt.datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime (naive means UTC)."""
    if not isinstance(t, _dt.datetime):
        raise InvalidDate(f"the store's clock must return a datetime, not {t!r}")
    if t.tzinfo is None or t.utcoffset() is None:
        t = t.replace(tzinfo=_dt.UTC)
    delta = _datetime_sub(t, _EPOCH)  # the stdlib's subtraction: pendulum's builds an Interval
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(us: int) -> pendulum.DateTime:
    """The UTC pendulum DateTime of ``us`` microseconds since the Unix epoch."""
    secs, micro = divmod(us, 1_000_000)
    d = _EPOCH + _dt.timedelta(seconds=secs)
    return pendulum.DateTime(d.year, d.month, d.day, d.hour, d.minute, d.second, micro, tzinfo=_UTC)


def default_clock() -> pendulum.DateTime:
    """The current time in UTC (the default clock of every store).

    >>> default_clock().timezone_name
    'UTC'
    """
    return pendulum.now(_UTC)


def now_micros() -> int:
    """The current time in microseconds since the Unix epoch (the default clock, fast).

    >>> abs(now_micros() - to_micros(default_clock())) < 60_000_000
    True
    """
    return time.time_ns() // 1_000


def known_at_micros(known_at: object) -> int:
    """The last microsecond counted as "known at" ``known_at``.

    A datetime is taken exactly (naive means UTC); a date, or a date string such as
    ``"2025-01-15"`` or ``"2025-01"``, means "by the end of that day / month" in UTC.

    >>> known_at_micros("1970-01-01"), known_at_micros(pendulum.datetime(1970, 1, 1, 0, 0, 1))
    (86399999999, 1000000)
    """
    if isinstance(known_at, _dt.datetime):
        return to_micros(known_at)
    if isinstance(known_at, str) and ("T" in known_at or " " in known_at.strip()):
        try:
            parsed = pendulum.parse(known_at)
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            raise InvalidDate(f"known_at {known_at!r} is not a date or timestamp") from None
        if isinstance(parsed, _dt.datetime):
            return to_micros(parsed)
    try:
        w = When.coerce(known_at)
    except InvalidDate as e:
        raise InvalidDate(f"known_at: {e}") from None
    if w.latest is None:
        raise InvalidDate(f"known_at {known_at!r} has no latest day")
    day_after = w.hi + 1  # ordinal of the next day; "known at" includes the whole last day
    try:
        start = _dt.datetime.fromordinal(day_after).replace(tzinfo=_dt.UTC)
    except (ValueError, OverflowError):
        raise InvalidDate(f"known_at {known_at!r} is outside the years 1-9999") from None
    return to_micros(start) - 1
