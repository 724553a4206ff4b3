"""Counting events per period for the dense chart, honest about imprecise dates.

A dense chart draws, in each lane, how many events fall in each period (day, week, month, …)
instead of one mark per event. The counting works on the events' earliest and latest possible
days only, with the conventions of the aggregations:

* an event whose possible days all fall in one period counts **1** in it (drawn dark: the
  ``"contained"`` policy);
* an event that may fall in several periods (a date known only to the month on a chart of
  days, "about 2024", "2023/2024") is **spread** over them in proportion to its possible days
  in each (drawn lighter: the ``"spread"`` policy), so that the counts still add up to the
  number of events and no imprecise date is drawn as a false point;
* a lasting event counts where it **starts** (its start spread the same way if imprecise);
* an open or unknown end is clamped to the chart's span.

>>> from relations.when import ordinal
>>> d = count_by_period([(ordinal(2024, 6, 19), ordinal(2024, 6, 19)),
...                      (ordinal(2024, 6, 1), ordinal(2024, 7, 31))], "month",
...                     ordinal(2024, 1, 1), ordinal(2024, 12, 31))
>>> [(b.exact, round(b.spread, 2)) for b in d]
[(1, 0.49), (0, 0.51)]
>>> sum(b.exact + b.spread for b in d)
2.0
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from relations.periods import UNITS, Unit, check_span, first_day, index_of

__all__ = ["UNIT_DAYS", "Bin", "choose_unit", "count_by_period"]

#: Approximate days per period of each unit (to choose a unit for a chart's width).
UNIT_DAYS: dict[Unit, float] = {
    "day": 1.0,
    "week": 7.0,
    "month": 30.44,
    "quarter": 91.31,
    "year": 365.2425,
    "decade": 3652.425,
    "century": 36524.25,
}


@attrs.frozen
class Bin:
    """One period of a lane: its first day and the day after its last, the events that
    certainly fall in it (``exact``) and the share of imprecise events spread over it."""

    first: int
    end: int
    exact: int
    spread: float

    @property
    def total(self) -> float:
        """All events counted in the period (exact and spread)."""
        return self.exact + self.spread


def choose_unit(days: float, width: float, min_px: float = 4.0) -> Unit:
    """The finest period unit whose periods are at least ``min_px`` wide when ``days`` are
    drawn on ``width`` pixels.

    >>> choose_unit(2, 1000), choose_unit(365, 1000), choose_unit(30 * 365, 1000)
    ('day', 'week', 'quarter')
    """
    ppd = width / max(days, 1.0)
    for unit in UNITS:
        if UNIT_DAYS[unit] * ppd >= min_px:
            return unit
    return "century"


def count_by_period(spans: Iterable[tuple[int, int]], unit: Unit, lo: int, hi: int) -> list[Bin]:
    """Events per period of ``unit`` from their ``(earliest, latest)`` day ordinals, clamped
    to ``[lo, hi]``: the non-empty periods, in order of time. (Choose the unit with
    :func:`choose_unit`, so that an event spans at most a few hundred periods.) More than
    :data:`~relations.periods.MAX_PERIODS` periods from ``lo`` to ``hi`` raise
    :class:`~relations.errors.InvalidArgument`.
    """
    if hi >= lo:
        check_span(index_of(lo, unit), index_of(hi, unit), unit, "the dense chart")
    exact: dict[int, int] = {}
    spread: dict[int, float] = {}
    for a, b in spans:
        a, b = max(a, lo), min(b, hi)
        if b < a:
            continue
        i, j = index_of(a, unit), index_of(b, unit)
        if i == j:
            exact[i] = exact.get(i, 0) + 1
            continue
        days = b - a + 1
        for k in range(i, j + 1):
            p0 = max(first_day(k, unit), a)
            p1 = min(first_day(k + 1, unit) - 1, b)
            if p1 >= p0:
                spread[k] = spread.get(k, 0.0) + (p1 - p0 + 1) / days
    keys = sorted(set(exact) | set(spread))
    return [
        Bin(first_day(k, unit), first_day(k + 1, unit), exact.get(k, 0), spread.get(k, 0.0))
        for k in keys
    ]
