"""The counting and summing engine: :func:`count`, :func:`sum`, :func:`mean`,
:func:`score_sum` and :func:`score_mean` (placed by :mod:`relations.aggregate.placement`,
totalled from the grouping and weight caches).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from itertools import product
from typing import TYPE_CHECKING, Any, Unpack, cast

from relations._gc import paused
from relations.aggregate._grouping import Grouping, group_events
from relations.aggregate._weights import Values, Vector, Weight, named, values_of, weighted
from relations.aggregate.grammar import (
    Bucketing,
    By,
    Dim,
    Policy,
    Scale,
    bucketing,
    check_policy,
    parse_by,
)
from relations.aggregate.placement import (
    PERIODS,
    bucket_range,
    bucket_totals,
    period_at,
    unplaced_positions,
)
from relations.errors import InvalidArgument
from relations.events import Status
from relations.periods import Period, Unit, check_span
from relations.quantities import Quantity
from relations.series import Series

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = [
    "count",
    "mean",
    "quantity_of",
    "score_mean",
    "score_sum",
    "sum",
    "trusted_quantity",
]


def quantity_of(
    value: float | None,
    unit: str,
    lower: float,
    upper: float | None,
    approximate: bool,
    implicit_low: bool = True,
) -> Quantity:
    """The simplest Quantity with these effective bounds (bounds implied by the value dropped).

    As in ``Quantity.__add__``, a lower bound of 0 is left implicit ("up to 30 000"), unless
    every amount stated one ("0–10" stays "0–10", whose best estimate is the middle)."""
    if value is None and upper is not None and lower == upper:
        value = lower  # bounds that meet: the amount is known
    low = None if (lower == 0 and implicit_low) or lower == value else lower
    high = None if upper == value else upper
    if value is None and low is None and high is None:
        low = 0  # "at least 0": all that is known
    return trusted_quantity(value, unit, low, high, approximate)


_set = object.__setattr__
_new = object.__new__


def trusted_quantity(
    value: float | None, unit: str, low: float | None, high: float | None, approximate: bool
) -> Quantity:
    """A Quantity built without re-validation, for sums and means of valid quantities (their
    bounds stay ordered and non-negative: float addition and scaling are monotone). Building
    hundreds of result values through the validating constructor dominated warm timings."""
    q = _new(Quantity)
    _set(q, "value", value)
    _set(q, "unit", unit)
    _set(q, "low", low)
    _set(q, "high", high)
    _set(q, "approximate", approximate)
    return q


def _finalizer(
    op: str, w: Weight, values: Values | None, spread: bool
) -> Callable[[Vector | None], Any]:
    unit = values.unit if values is not None and values.unit is not None else "count"
    exact = values is not None and values.exact

    def quantity(v: Vector, scale: float) -> Quantity:
        if exact:
            return trusted_quantity(v[1] * scale if scale != 1 else v[1], unit, None, None, False)
        _, val, vmiss, low, up, umiss, approx, implicit = v
        if scale != 1:
            val, low, up = val * scale, low * scale, up * scale
        return quantity_of(
            None if vmiss else val, unit, low, None if umiss else up, bool(approx), bool(implicit)
        )

    if w.kind == "count":
        zero = 0.0 if spread else 0
        return lambda v: zero if v is None else v[0]
    if w.kind == "score" or w.kind == "measure":
        if op == "mean":
            return lambda v: None if v is None or not v[0] else v[1] / v[0]
        if w.kind == "measure" and exact and not spread:  # whole counts add up to whole counts
            return lambda v: 0 if v is None else int(v[1])
        return lambda v: 0.0 if v is None else float(v[1])
    if op == "mean":
        return lambda v: None if v is None or not v[0] else quantity(v, 1 / v[0])
    zero_q = trusted_quantity(0, unit, None, None, False)
    if exact:

        def exact_sum(v: Vector | None) -> Quantity:
            if v is None:
                return zero_q
            q = _new(Quantity)
            _set(q, "value", v[1])
            _set(q, "unit", unit)
            _set(q, "low", None)
            _set(q, "high", None)
            _set(q, "approximate", False)
            return q

        return exact_sum
    return lambda v: zero_q if v is None else quantity(v, 1)


def _sumlike(
    tl: Timeline, by: By, w: Weight, op: str, name: str, options: Bucketing
) -> Series[Any, Any]:
    """The aggregation of weight ``w`` (``op`` is "sum" or "mean") under complete ``options``."""
    policy = check_policy(options["policy"])
    dims = parse_by(by)
    with paused():
        return _sumlike_impl(
            tl, dims, w, op, policy, options["fill"], options["start"], options["end"], name
        )


def _sumlike_impl(
    tl: Timeline,
    dims: list[Dim],
    w: Weight,
    op: str,
    policy: Policy,
    fill: bool,
    start: object,
    end: object,
    name: str,
) -> Series[Any, Any]:
    tpos = next((i for i, d in enumerate(dims) if d.unit is not None), None)
    unit = dims[tpos].unit if tpos is not None else None
    kdims = [d for d in dims if d.unit is None]
    grouping = group_events(tl, kdims)
    values = values_of(tl, w)
    finalize = _finalizer(op, w, values, policy == "spread" and unit is not None)
    missing = 0 if values is None else len(tl) - values.n_present
    results: dict[tuple[Any, ...], dict[int | None, Vector]] = {}  # group key -> bucket -> v
    k_range = None
    if unit is not None:
        k_range = bucket_range(tl, unit, start, end)
    for gkey, g in grouping.groups.items():
        sub, col = weighted(g, values, w.cache_id)
        if not len(sub.pos):
            continue
        if unit is None:
            results[gkey] = {None: col.total(0, len(sub.pos))}
        elif k_range is not None:
            totals = bucket_totals(sub, col, unit, policy, *k_range)
            if totals:
                results[gkey] = cast(dict[int | None, Vector], totals)
    data = _arrange(results, grouping, dims, tpos, finalize, fill, k_range, start, end)
    return Series(
        data,
        name=name,
        key_names=tuple(d.name for d in dims),
        policy=policy if unit is not None else None,
        unplaced=unplaced_positions(tl, grouping, unit, policy, values),
        missing=missing,
        unit=values.unit if values is not None else None,
        statuses=lambda: _statuses(tl, dims, w, policy, start, end, data),
    )


def _statuses(
    tl: Timeline,
    dims: list[Dim],
    w: Weight,
    policy: Policy,
    start: object,
    end: object,
    keys: Iterable[Any],
) -> dict[Any, frozenset[Status]]:
    """Key → the statuses of the events behind its value: the same aggregation, split by
    status as well (computed only when :attr:`Series.statuses` is read)."""
    split = _sumlike_impl(tl, [*dims, *parse_by("status")], w, "sum", policy, False, start, end, "")
    found: dict[Any, set[Status]] = {}
    for k in split:
        parts, status = k[:-1], k[-1]
        found.setdefault(parts[0] if len(parts) == 1 else parts, set()).add(status)
    return {k: frozenset(found.get(k, ())) for k in keys}


def _arrange(
    results: dict[tuple[Any, ...], dict[int | None, Vector]],
    grouping: Grouping,
    dims: list[Dim],
    tpos: int | None,
    finalize: Callable[[Vector | None], Any],
    fill: bool,
    k_range: tuple[int, int] | None,
    start: object,
    end: object,
) -> dict[Any, Any]:
    """The final mapping: keys in by-order (periods as Period), sorted, zero-filled on request.

    Key parts are ordered level by level (periods by time, other keys by :func:`key_order`);
    the work is O(output), with a sort only when the period is neither first nor last."""
    unit = cast(Unit, dims[tpos].unit) if tpos is not None else None
    last = len(dims) - 1
    data: dict[Any, Any] = {}
    periods = cast(dict[Any, Period], PERIODS)

    def key_of(g: tuple[Any, ...], k: int | None) -> Any:
        if tpos is None:
            return g[0] if len(g) == 1 else g
        p = periods.get((unit, k)) or period_at(cast(Unit, unit), cast(int, k))
        if not g:
            return p
        if tpos == 0:
            return (p, *g)
        if tpos == last:
            return (*g, p)
        return (*g[:tpos], p, *g[tpos:])

    empty: dict[int | None, Vector] = {}
    if fill:
        ks_range: Sequence[int | None] = [None]
        if unit is not None:
            ks = [cast(int, k) for r in results.values() for k in r]
            lo_k = k_range[0] if start is not None and k_range else builtins.min(ks, default=None)
            hi_k = k_range[1] if end is not None and k_range else builtins.max(ks, default=None)
            if lo_k is not None and hi_k is not None:
                check_span(lo_k, hi_k, unit, "the filled series")
            ks_range = [] if lo_k is None or hi_k is None else range(lo_k, hi_k + 1)
        levels: list[Sequence[Any]] = list(grouping.values)
        at = tpos if tpos is not None else len(levels)
        levels.insert(at, ks_range)
        for combo in product(*levels):  # each level is sorted, so the product is too
            g, k = combo[:at] + combo[at + 1 :], combo[at]
            data[key_of(g, k)] = finalize(results.get(g, empty).get(k))
        return data
    ordered = [g for g in grouping.ordered if g in results]
    if tpos is None or tpos == last:
        for g in ordered:
            r = results[g]
            for k in sorted(r, key=_none_first) if len(r) > 1 else r:
                data[key_of(g, k)] = finalize(r[k])
        return data
    ranks = grouping.ranks
    entries: list[tuple[Any, tuple[Any, ...], int | None]] = []
    for g in ordered:
        rs = [ranks[d][v] for d, v in enumerate(g)]
        for k in results[g]:
            sk: list[Any] = list(rs)
            sk.insert(tpos, k)
            entries.append((tuple(sk), g, k))
    entries.sort(key=_first)
    for _, g, k in entries:
        data[key_of(g, k)] = finalize(results[g][k])
    return data


def _none_first(k: int | None) -> int:
    return -(2**63) if k is None else k


def _first(t: tuple[Any, ...]) -> Any:
    return t[0]


# ---- public aggregations ---------------------------------------------------------------------


def count(tl: Timeline, by: By = "month", **options: Unpack[Bucketing]) -> Series[Any, float]:
    """Number of events per key (a float under ``spread``, where events are split).

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"),
    ...                  Event("2024-06", "trade.volume", ["RUS", "PRK"], "Trade"),
    ...                  Event("2024", "military.cooperation", ["RUS", "PRK"], "Drills"))
    >>> count(tl, "month").to_dict()
    {Period('2024-06'): 2}
    >>> count(tl, "month", policy="earliest").to_dict()
    {Period('2024-01'): 1, Period('2024-06'): 2}
    >>> count(tl, ("kind:1", "year"), policy="earliest")[("trade", Period.parse("2024"))]
    1
    """
    options = bucketing(options, "count")
    return _sumlike(tl, by, Weight("count"), "sum", "count", options)


def sum(tl: Timeline, name: str, by: By = "year", **options: Unpack[Bucketing]) -> Series[Any, Any]:
    """Total of quantity ``name`` per key, as :class:`Quantity` values with propagated bounds
    (of a measure, :attr:`Event.measures <relations.Event.measures>`, as numbers).

    >>> from relations import Event, Quantity, timeline
    >>> tl = timeline.of(
    ...     Event("2023-05", "trade.volume", ["RUS", "PRK"], "a", quantities={"usd": Quantity(2, "USD")}),
    ...     Event("2023-09", "trade.volume", ["RUS", "PRK"], "b", quantities={"usd": Quantity.about(3, "USD")}),
    ...     Event("2024-02", "trade.volume", ["RUS", "PRK"], "c", quantities={"usd": Quantity.up_to(4, "USD")}),
    ...     Event("2024-03", "diplomacy.visit", ["RUS", "PRK"], "d"))
    >>> s = sum(tl, "usd", "year")
    >>> [str(v) for v in s.values()], s.missing, s.unit
    (['about 5 USD', 'up to 4 USD'], 1, 'USD')
    >>> float(s[Period.parse("2024")])  # the best estimate of "up to 4" is 4
    4.0
    """
    options = bucketing(options, "sum")
    return _sumlike(tl, by, named(tl, name), "sum", f"sum of {name}", options)


def mean(
    tl: Timeline,
    name: str,
    by: By = "year",
    *,
    weight: str | None = None,
    **options: Unpack[Bucketing],
) -> Series[Any, Any]:
    """Mean of quantity ``name`` per key over the events that carry it (weighted under
    ``spread``); ``None`` for an empty, filled bucket.

    >>> from relations import Event, Quantity, timeline
    >>> tl = timeline.of(
    ...     Event("2024-01", "military.deployment", ["PRK", "RUS"], "a", quantities={"soldiers": 1000}),
    ...     Event("2024-03", "military.deployment", ["PRK", "RUS"], "b", quantities={"soldiers": 3000}))
    >>> str(mean(tl, "soldiers")[Period.parse("2024")])
    '2 000 count'

    A measure (:attr:`Event.measures <relations.Event.measures>`) gives floats; ``weight``
    names a measure to weight by, ``sum(value * weight) / sum(weight)`` over the events that
    have both (``None`` where the weights add up to 0):

    >>> tl = timeline.of(
    ...     Event("2024-01", "cameo", ["PRK", "RUS"], "a", measures={"goldstein": 4, "mentions": 3}),
    ...     Event("2024-03", "cameo", ["PRK", "RUS"], "b", measures={"goldstein": -2, "mentions": 1}))
    >>> mean(tl, "goldstein").to_dict(), mean(tl, "goldstein", weight="mentions").to_dict()
    ({Period('2024'): 1.0}, {Period('2024'): 2.5})
    """
    options = bucketing(options, "mean")
    if weight is not None:
        return _weighted_mean(tl, name, weight, by, options)
    return _sumlike(tl, by, named(tl, name), "mean", f"mean of {name}", options)


def _weighted_mean(
    tl: Timeline, name: str, weight: str, by: By, options: Bucketing
) -> Series[Any, float | None]:
    for n in (name, weight):
        if named(tl, n).kind != "measure" and len(tl):
            raise InvalidArgument(
                f"mean(..., weight={weight!r}): {n!r} is a quantity; weighted means are of "
                "measures (Event.measures)"
            )
    top = _sumlike(tl, by, Weight("measure", name, by=weight), "sum", "", options)
    bottom = _sumlike(tl, by, Weight("measure", weight, where=name), "sum", "", options)
    data = {k: (top[k] / bottom[k] if bottom[k] else None) for k in bottom}
    return cast(
        "Series[Any, float | None]",
        top._like(data, name=f"mean of {name} weighted by {weight}", missing=top.missing),
    )


def score_sum(
    tl: Timeline, by: By = "month", *, scale: Scale | None = None, **options: Unpack[Bucketing]
) -> Series[Any, float]:
    """Net cooperation: the sum of each event's kind score per key (Goldstein-like default).

    ``scale`` replaces the default scale (:func:`relations.kinds.score_of`): a mapping of kind
    to score (looked up with fallback to parent kinds) or a function of the kind. Events whose
    kind has no score are skipped and counted in ``series.missing``.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"),
    ...                  Event("2024-06-20", "un.veto", ["RUS", "UN"], "Veto"))
    >>> score_sum(tl, "month").to_dict(), score_sum(tl, "month", scale={"un": -9}).to_dict()
    ({Period('2024-06'): 1.0}, {Period('2024-06'): -9.0})
    """
    options = bucketing(options, "score_sum")
    return _sumlike(tl, by, Weight("score", scale=scale), "sum", "score sum", options)


def score_mean(
    tl: Timeline, by: By = "month", *, scale: Scale | None = None, **options: Unpack[Bucketing]
) -> Series[Any, float | None]:
    """Mean kind score per key over the events whose kind has a score (see :func:`score_sum`).

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"),
    ...                  Event("2024-06-20", "un.veto", ["RUS", "UN"], "Veto"))
    >>> score_mean(tl, "year").to_dict()
    {Period('2024'): 0.5}
    """
    options = bucketing(options, "score_mean")
    return _sumlike(tl, by, Weight("score", scale=scale), "mean", "score mean", options)
