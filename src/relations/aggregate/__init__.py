"""Aggregations: counts, sums, means and scores by period, actor, dyad and kind.

Every aggregation returns a :class:`~relations.series.Series` and says how it placed events
whose dates are imprecise. ``by`` names what to group by:

- a period unit: ``"day"``, ``"week"`` (ISO), ``"month"``, ``"quarter"``, ``"year"``,
  ``"decade"``, ``"century"`` (see :mod:`relations.periods`);
- ``"kind"`` (the full kind) or ``"kind:N"`` (its first N levels: ``"kind:1"`` is the root,
  ``military`` for ``military.deployment``; kinds with fewer levels keep their full name);
- ``"actor"`` (an event counts once for each of its actors);
- ``"dyad"`` (each unordered pair of actors, as a sorted tuple ``('PRK', 'RUS')``) or
  ``"directed_dyad"`` (``(source, target)`` pairs of a directed event; an undirected event
  counts in both directions);
- ``"status"`` (confirmed, reported, ...), ``"tag"`` (an event counts once per tag);
- a function ``Event -> key`` (``None`` means "no key");
- or a tuple of these (at most one period unit), giving tuple keys in the same order:
  ``by=("dyad", "year")`` has keys like ``(('PRK', 'RUS'), Period('2024'))``.

An event with no key at all (a one-actor event under ``"dyad"``) cannot be placed: it goes to
``series.unplaced``.

**Policies** for imprecise or long events (what a bucket of the period unit gets):

- ``contained`` (default): the event counts in a bucket only if all its possible days lie in
  that bucket; every other event is in ``series.unplaced``, so nothing silently disappears;
- ``earliest``: the bucket of its earliest possible day (what most tools do, and what the
  benchmark peers do);
- ``spread``: its weight is split over the buckets it may fall in, in proportion to the days
  in each, so totals are preserved (a year-precision event adds 31/366 to January 2024);
- ``overlap``: it counts in full in every bucket it touches (a war counts in each year it
  lasted), so totals grow.

An event whose start is open or unknown (``../2024``) is unplaced under every policy; one with
an open or unknown end (``2024-12/..``) is placed by ``earliest`` (from its start) and unplaced
by the others. The policy is recorded on the result (``series.policy``); without a period in
``by`` no placement is needed and ``series.policy`` is None.

``start`` and ``end`` choose which buckets appear (and, with ``fill=True``, the range to
fill with zeros); ``series.unplaced`` and ``series.missing`` always refer to the whole
timeline (restrict the timeline first, e.g. ``tl.between(...)``, to restrict them too).

**Quantities.** ``sum``/``mean``/``min``/``max`` aggregate one named quantity; every event
carrying it must use one unit (else :class:`~relations.errors.UnitMismatch`, naming both
units and an event of each). Values are :class:`~relations.Quantity` objects, not floats, so
bounds and "about" propagate (the sum of "at least 11 000" and "about 3 000" is "about at
least 14 000"; under ``spread`` value and bounds are split alike); ``float(q)`` gives the
best estimate. Events without the quantity are skipped and counted in ``series.missing``.
Integer amounts are summed exactly (prefix sums); float amounts with ``math.fsum``, so a
bucket's total never depends on the other buckets.

>>> from relations import Event, Period, Quantity, timeline
>>> tl = timeline.of(
...     Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed"),
...     Event("2024-10", "military.deployment", ["PRK", "RUS"], "Troops sent",
...           quantities={"soldiers": Quantity.at_least(11000, "people")}),
...     Event("2024-12-04", "agreement.treaty.in_force", ["RUS", "PRK"], "In force"),
...     Event("2024", "trade.volume", ["RUS", "PRK"], "Trade"),
... )
>>> print(count(tl, "quarter"))
quarter  count
2024-Q2      1
2024-Q4      2
(1 unplaced event; policy 'contained')
>>> count(tl, "quarter", policy="spread")[Period.parse("2024-Q1")]
0.2486...
>>> str(sum(tl, "soldiers", "year")[Period.parse("2024")])
'at least 11 000 people'

**Complexity** (n events, B buckets with events, C events spanning more than one bucket of
the unit, S distinct ``(earliest, latest)`` days among those, s buckets each spans). The
indexes are built lazily and cached on the timeline: one O(n) pass per grouping and per
quantity, one bisect per bucket boundary (O(B log n)) per group and unit, one O(C) pass per
unit. After that, ``earliest`` and ``contained`` counts and sums cost O(B) per call (prefix
sums), ``spread`` and ``overlap`` O(B + S·s) (events of one imprecise date share their
bounds, so S is small: 36 distinct years for a year-precision event per year over 36 years).
``min``, ``max``, ``group_by`` with a period, ``first_occurrence``, ``time_between`` and
``dedupe`` are one O(n) pass. Many keys (dyad-year panels) add O(keys) Python work.
"""

from relations.aggregate._weights import named
from relations.aggregate.engine import count, mean, score_mean, score_sum, sum
from relations.aggregate.grammar import (
    BY_KEYS,
    POLICIES,
    Bucketing,
    By,
    Placement,
    Policy,
    Scale,
)
from relations.aggregate.occurrences import (
    Interval,
    TimeBetween,
    dedupe,
    first_occurrence,
    last_occurrence,
    time_between,
)
from relations.aggregate.onepass import group_by, max, min
from relations.aggregate.panels import PanelValue, panel
from relations.aggregate.protocol import EventColumns

__all__ = [
    "POLICIES",
    "Bucketing",
    "BY_KEYS",
    "By",
    "EventColumns",
    "Placement",
    "Policy",
    "Scale",
    "count",
    "Interval",
    "TimeBetween",
    "dedupe",
    "first_occurrence",
    "time_between",
    "group_by",
    "last_occurrence",
    "max",
    "mean",
    "min",
    "named",
    "panel",
    "PanelValue",
    "score_mean",
    "score_sum",
    "sum",
]
