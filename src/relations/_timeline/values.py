"""The small values a timeline's questions return: :class:`Gap`, :class:`TimeBetween` (also
``Interval``, its former name) and :class:`TimelineDiff`."""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import pendulum

from relations.aggregate import Interval, TimeBetween
from relations.when import When

__all__ = ["Gap", "Interval", "TimeBetween", "TimelineDiff"]


def _days_when(lo: int, hi: int) -> When:
    return When.from_ordinals(lo, hi)


@attrs.frozen
class Gap:
    """A quiet period: whole days ``lo..hi`` (day ordinals, inclusive) on which no event of the
    timeline can have taken place.

    >>> from relations.when import ordinal
    >>> g = Gap(ordinal(2023, 1, 1), ordinal(2023, 3, 31))
    >>> g.days, str(g.when), g.earliest, g.latest
    (90, '2023-01-01/2023-03-31', Date(2023, 1, 1), Date(2023, 3, 31))
    """

    lo: int
    hi: int

    @property
    def days(self) -> int:
        """Length in days.

        >>> Gap(10, 10).days
        1
        """
        return self.hi - self.lo + 1

    @property
    def when(self) -> When:
        """The period as a :class:`~relations.When` (a day or a day interval).

        >>> str(Gap(739056, 739056).when)
        '2024-06-19'
        """
        return _days_when(self.lo, self.hi)

    @property
    def earliest(self) -> pendulum.Date | None:
        """First quiet day (a ``pendulum.Date``).

        >>> Gap(739056, 739057).earliest
        Date(2024, 6, 19)
        """
        return self.when.earliest

    @property
    def latest(self) -> pendulum.Date | None:
        """Last quiet day (a ``pendulum.Date``).

        >>> Gap(739056, 739057).latest
        Date(2024, 6, 20)
        """
        return self.when.latest

    def __str__(self) -> str:
        return f"{self.when} ({self.days} days)"


def _sorted_ids(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(ids))


@attrs.frozen
class TimelineDiff:
    """What changed from one timeline to another, by event id (each tuple sorted).

    ``added``: ids only in the new timeline; ``removed``: ids only in the old one; ``changed``:
    ids in both whose events differ.

    >>> d = TimelineDiff(added=("b",), removed=(), changed=("a",))
    >>> bool(d), bool(TimelineDiff())
    (True, False)
    """

    added: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    removed: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    changed: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)
