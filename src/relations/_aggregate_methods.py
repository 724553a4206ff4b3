"""Timeline methods for aggregation (count, group_by, sum, ...); implementation in relations.aggregate.

Kept in a mixin so that :class:`~relations.timeline.Timeline` stays one readable class while
each concern lives in its own module; the methods import their implementation lazily, so the
timeline module never imports a higher layer at import time. The semantics (``by``, the
placement policies, bounds of quantities) are documented in :mod:`relations.aggregate`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    from relations.aggregate import By, Policy, Scale
    from relations.events import Event
    from relations.quantities import Quantity
    from relations.series import Series
    from relations.timeline import Timeline

__all__ = ["AggregateMethods"]


class AggregateMethods:
    """Mixin for :class:`~relations.timeline.Timeline`: counts, sums and series.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"),
    ...                  Event("2024-07", "un.veto", ["RUS", "UN"], "Veto"))
    >>> tl.count(by="year").to_dict()
    {Period('2024'): 2}
    """

    __slots__ = ()

    def _tl(self) -> Timeline:
        return cast("Timeline", self)

    def count(
        self,
        by: By = "month",
        *,
        policy: Policy = "contained",
        fill: bool = False,
        start: object = None,
        end: object = None,
    ) -> Series[Any, float]:
        """Number of events per period or key (see :func:`relations.aggregate.count`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"),
        ...                  Event("2024", "trade.volume", ["RUS", "PRK"], "Trade"))
        >>> tl.count(by="month", policy="earliest", fill=True, start="2024-05", end="2024-06").to_dict()
        {Period('2024-05'): 0, Period('2024-06'): 1}
        >>> len(tl.count(by="month").unplaced)
        1
        """
        from relations.aggregate import count

        return count(self._tl(), by, policy=policy, fill=fill, start=start, end=end)

    def group_by(
        self,
        by: By,
        *,
        policy: Policy = "contained",
        start: object = None,
        end: object = None,
    ) -> Series[Any, Timeline]:
        """Key → Timeline of the events with that key (see :func:`relations.aggregate.group_by`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"))
        >>> {k: len(v) for k, v in tl.group_by("dyad").items()}
        {('PRK', 'RUS'): 1}
        """
        from relations.aggregate import group_by

        return group_by(self._tl(), by, policy=policy, start=start, end=end)

    def sum(
        self,
        name: str,
        by: By = "year",
        *,
        policy: Policy = "contained",
        fill: bool = False,
        start: object = None,
        end: object = None,
    ) -> Series[Any, Quantity]:
        """Total of quantity ``name`` per key, units checked, bounds kept (see
        :func:`relations.aggregate.sum`).

        >>> from relations import Event, Quantity, timeline
        >>> tl = timeline.of(Event("2024", "trade.volume", ["RUS", "PRK"], "Trade",
        ...                        quantities={"usd": Quantity.about(50_000_000, "USD")}))
        >>> str(tl.sum("usd", by="year")["2024"])
        'about 50 000 000 USD'
        """
        from relations.aggregate import sum as sum_

        return sum_(self._tl(), name, by, policy=policy, fill=fill, start=start, end=end)

    def mean(
        self,
        name: str,
        by: By = "year",
        *,
        policy: Policy = "contained",
        fill: bool = False,
        start: object = None,
        end: object = None,
    ) -> Series[Any, Quantity | None]:
        """Mean of quantity ``name`` per key (see :func:`relations.aggregate.mean`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-01", "trade.volume", ["RUS", "PRK"], "a", quantities={"t": 2}),
        ...                  Event("2024-02", "trade.volume", ["RUS", "PRK"], "b", quantities={"t": 4}))
        >>> float(tl.mean("t")["2024"])
        3.0
        """
        from relations.aggregate import mean

        return mean(self._tl(), name, by, policy=policy, fill=fill, start=start, end=end)

    def min(
        self,
        name: str,
        by: By = "year",
        *,
        policy: Policy = "contained",
        fill: bool = False,
        start: object = None,
        end: object = None,
    ) -> Series[Any, Quantity | None]:
        """Smallest amount of quantity ``name`` per key (see :func:`relations.aggregate.min`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-01", "trade.volume", ["RUS", "PRK"], "a", quantities={"t": 2}),
        ...                  Event("2024-02", "trade.volume", ["RUS", "PRK"], "b", quantities={"t": 4}))
        >>> float(tl.min("t")["2024"])
        2.0
        """
        from relations.aggregate import min as min_

        return min_(self._tl(), name, by, policy=policy, fill=fill, start=start, end=end)

    def max(
        self,
        name: str,
        by: By = "year",
        *,
        policy: Policy = "contained",
        fill: bool = False,
        start: object = None,
        end: object = None,
    ) -> Series[Any, Quantity | None]:
        """Largest amount of quantity ``name`` per key (see :func:`relations.aggregate.max`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-01", "trade.volume", ["RUS", "PRK"], "a", quantities={"t": 2}),
        ...                  Event("2024-02", "trade.volume", ["RUS", "PRK"], "b", quantities={"t": 4}))
        >>> float(tl.max("t")["2024"])
        4.0
        """
        from relations.aggregate import max as max_

        return max_(self._tl(), name, by, policy=policy, fill=fill, start=start, end=end)

    def score_sum(
        self,
        by: By = "month",
        *,
        scale: Scale | None = None,
        policy: Policy = "contained",
        fill: bool = False,
        start: object = None,
        end: object = None,
    ) -> Series[Any, float]:
        """Net cooperation: sum of kind scores per key (see :func:`relations.aggregate.score_sum`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"))
        >>> tl.score_sum(by="year").to_dict()
        {Period('2024'): 5.0}
        """
        from relations.aggregate import score_sum

        return score_sum(
            self._tl(), by, scale=scale, policy=policy, fill=fill, start=start, end=end
        )

    def score_mean(
        self,
        by: By = "month",
        *,
        scale: Scale | None = None,
        policy: Policy = "contained",
        fill: bool = False,
        start: object = None,
        end: object = None,
    ) -> Series[Any, float | None]:
        """Mean kind score per key (see :func:`relations.aggregate.score_mean`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"))
        >>> tl.score_mean(by="year", scale={"diplomacy": 2}).to_dict()
        {Period('2024'): 2.0}
        """
        from relations.aggregate import score_mean

        return score_mean(
            self._tl(), by, scale=scale, policy=policy, fill=fill, start=start, end=end
        )

    def dedupe(
        self, rule: Literal["one_a_day"] | Callable[[Event], Hashable] = "one_a_day"
    ) -> Timeline:
        """Without duplicates, first of each kept (see :func:`relations.aggregate.dedupe`).

        >>> from relations import Event, timeline
        >>> e = Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit", id="a")
        >>> len(timeline.of(e, e.evolve(title="Summit (2)", id="b")).dedupe())
        1
        """
        from relations.aggregate import dedupe

        return dedupe(self._tl(), rule)

    def first_occurrence(self, kind: str | None = None, *, by: By = "actor") -> Series[Any, Event]:
        """First event (of ``kind``) per actor, dyad or key (see
        :func:`relations.aggregate.first_occurrence`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2023-09-13", "diplomacy.summit", ["RUS", "PRK"], "Vostochny"))
        >>> tl.first_occurrence("diplomacy.summit", by="dyad")[("PRK", "RUS")].title
        'Vostochny'
        """
        from relations.aggregate import first_occurrence

        return first_occurrence(self._tl(), kind, by=by)

    def last_occurrence(self, kind: str | None = None, *, by: By = "actor") -> Series[Any, Event]:
        """Last event (of ``kind``) per key (see :func:`relations.aggregate.last_occurrence`).

        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2023-09-13", "diplomacy.summit", ["RUS", "PRK"], "Vostochny"))
        >>> tl.last_occurrence(by="actor")["PRK"].title
        'Vostochny'
        """
        from relations.aggregate import last_occurrence

        return last_occurrence(self._tl(), kind, by=by)
