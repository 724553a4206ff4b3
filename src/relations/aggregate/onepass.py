"""One-pass aggregations: :func:`min`, :func:`max` and :func:`group_by`."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from itertools import product
from typing import TYPE_CHECKING, Any, Unpack, cast

import numpy as np

from relations.aggregate._grouping import group_events, int_array
from relations.aggregate._weights import Values, bounds_of, named, values_of
from relations.aggregate.engine import quantity_of
from relations.aggregate.grammar import (
    Bucketing,
    By,
    Dim,
    Policy,
    bucketing,
    check_policy,
    parse_by,
)
from relations.aggregate.placement import period_at, placements
from relations.aggregate.protocol import EventColumns
from relations.errors import InvalidArgument
from relations.events import Status
from relations.periods import Period, Unit
from relations.quantities import Quantity
from relations.series import Series, key_order

if TYPE_CHECKING:
    from relations._timeline import Timeline
    from relations.events import Event

__all__ = ["group_by", "max", "min"]


def _each(
    tl: EventColumns, dims: list[Dim], policy: Policy
) -> tuple[dict[tuple[Any, ...], list[int]], list[int], Unit | None, int | None]:
    """Positions per full key (key-dim values with the bucket index inserted), in one pass."""
    tpos = next((i for i, d in enumerate(dims) if d.unit is not None), None)
    unit = dims[tpos].unit if tpos is not None else None
    kdims = [d for d in dims if d.unit is None]
    if any(d.cache_id is None for d in kdims):
        return (*_each_event(tl, dims, policy, tpos, unit), unit, tpos)
    grouping = group_events(tl, kdims)
    out: dict[tuple[Any, ...], list[int]] = {}
    unplaced = set(grouping.unkeyed)
    placed: dict[tuple[int, int], list[tuple[int, float]] | None] = {}
    t = cast(int, tpos)
    for gkey, g in grouping.groups.items():
        if unit is None:
            out[gkey] = list(g.pos)
            continue
        for p, lo, hi in zip(g.pos, g.los, g.his, strict=True):
            span = (lo, hi)
            if span in placed:
                places = placed[span]
            else:
                places = placed[span] = placements(lo, hi, unit, policy)
            if places is None:
                unplaced.add(p)
                continue
            for b, _ in places:
                out.setdefault((*gkey[:t], b, *gkey[t:]), []).append(p)
    return out, sorted(unplaced), unit, tpos


def _each_event(
    tl: EventColumns, dims: list[Dim], policy: Policy, tpos: int | None, unit: Unit | None
) -> tuple[dict[tuple[Any, ...], list[int]], list[int]]:
    """:func:`_each` for a ``by`` with a function of an event (which reads the events)."""
    fns = [cast(Callable[["Event"], Sequence[Any]], d.keys) for d in dims if d.unit is None]
    out: dict[tuple[Any, ...], list[int]] = {}
    unplaced: list[int] = []
    los, his = tl.lo_days(), tl.hi_days()
    for p, e in enumerate(tl.ordered_events()):
        combos = list(product(*(fn(e) for fn in fns)))
        if not combos:
            unplaced.append(p)
            continue
        if unit is None:
            for c in combos:
                lst = out.setdefault(c, [])
                if not lst or lst[-1] != p:
                    lst.append(p)
            continue
        places = placements(los[p], his[p], unit, policy)
        if places is None:
            unplaced.append(p)
            continue
        for c in combos:
            for b, _ in places:
                key = (*c[: cast(int, tpos)], b, *c[cast(int, tpos) :])
                lst = out.setdefault(key, [])
                if not lst or lst[-1] != p:
                    lst.append(p)
    return out, unplaced


def _assemble(
    groups: dict[tuple[Any, ...], Any], unit: Unit | None, tpos: int | None
) -> dict[Any, Any]:
    def real(key: tuple[Any, ...]) -> tuple[Any, ...]:
        if tpos is None:
            return key
        k = list(key)
        k[tpos] = period_at(cast(Unit, unit), k[tpos])
        return tuple(k)

    items = sorted(((real(k), v) for k, v in groups.items()), key=lambda kv: key_order(kv[0]))
    return {(k[0] if len(k) == 1 else k): v for k, v in items}


def _extreme(
    tl: Timeline,
    name: str,
    by: By,
    options: Bucketing,
    largest: bool,
) -> Series[Any, Any]:
    policy = check_policy(options["policy"])
    start, end = options["start"], options["end"]
    if policy == "spread":
        raise InvalidArgument(
            f"policy 'spread' splits weights and does not apply to {'max' if largest else 'min'}"
            f"; use 'overlap', 'contained' or 'earliest'"
        )
    dims = parse_by(by)
    w = named(tl, name)
    values = cast(Values, values_of(tl, w))
    present = values.present
    groups, unplaced, unit, tpos = _each(tl, dims, policy)
    pick = builtins.max if largest else builtins.min
    result: dict[tuple[Any, ...], Any] = {}
    if w.kind == "measure":
        numbers = values.comps[0]
        for key, pos in groups.items():
            p = int_array(pos)
            p = p[present[p]]
            if len(p):
                result[key] = pick(numbers[p].tolist())
    else:
        result = _extreme_quantities(tl, name, groups, present, largest)
    data = _assemble(_restrict(result, unit, tpos, start, end), unit, tpos)
    if options["fill"]:
        data = _filled(data, dims, unit, tpos, start, end, None)
    return Series(
        data,
        name=f"{'max' if largest else 'min'} of {name}",
        key_names=tuple(d.name for d in dims),
        policy=policy if unit is not None else None,
        unplaced=lambda: tl.take([p for p in unplaced if present[p]]),
        missing=len(present) - values.n_present,
        unit=values.unit,
        statuses=lambda: _statuses(tl, groups, present, (unit, tpos, start, end), data),
    )


def _extreme_quantities(
    tl: EventColumns,
    name: str,
    groups: dict[tuple[Any, ...], list[int]],
    present: np.ndarray[Any, Any],
    largest: bool,
) -> dict[tuple[Any, ...], Quantity]:
    """Per key, the least (or greatest) amount of the quantity, with its bounds."""
    vc = tl.quantity_column(name)
    val, vmiss, lower, upper, umiss, approx, implicit = bounds_of(vc)
    pick = builtins.max if largest else builtins.min
    result: dict[tuple[Any, ...], Quantity] = {}
    for key, pos in groups.items():
        p = int_array(pos)
        p = p[present[p]]
        if not len(p):
            continue
        u_miss = umiss[p]
        if largest:
            up = None if u_miss.any() else pick(upper[p].tolist())
        else:
            finite = p[u_miss == 0]
            up = pick(upper[finite].tolist()) if len(finite) else None
        value = None if vmiss[p].any() else pick(val[p].tolist())
        low = pick(lower[p].tolist())
        unit = vc.units[int(vc.unit_codes[p[0]])]
        result[key] = quantity_of(
            value, unit, low, up, bool(approx[p].any()), bool(implicit[p].any())
        )
    return result


def _statuses(
    tl: EventColumns,
    groups: dict[tuple[Any, ...], list[int]],
    present: np.ndarray[Any, Any],
    where: tuple[Unit | None, int | None, object, object],
    keys: Iterable[Any],
) -> dict[Any, frozenset[Status]]:
    """Key → the statuses of the events carrying the value under it (read lazily)."""
    kc = tl.key_column("status")
    unit, tpos, start, end = where
    found = {}
    for k, pos in groups.items():
        p = int_array(pos)
        codes = np.unique(kc.codes[p[present[p]]]).tolist()
        found[k] = frozenset(kc.keys[c][0] for c in codes)
    found = _assemble(_restrict(found, unit, tpos, start, end), unit, tpos)
    return {k: found.get(k, frozenset()) for k in keys}


def _restrict(
    groups: dict[tuple[Any, ...], Any],
    unit: Unit | None,
    tpos: int | None,
    start: object,
    end: object,
) -> dict[tuple[Any, ...], Any]:
    if unit is None or tpos is None or (start is None and end is None):
        return groups
    k0 = Period.coerce(start, unit).index if start is not None else None
    k1 = Period.coerce(end, unit, side="hi").index if end is not None else None
    return {
        k: v
        for k, v in groups.items()
        if (k0 is None or k[tpos] >= k0) and (k1 is None or k[tpos] <= k1)
    }


def _filled(
    data: dict[Any, Any],
    dims: list[Dim],
    unit: Unit | None,
    tpos: int | None,
    start: object,
    end: object,
    zero: Any,
) -> dict[Any, Any]:
    """``data`` with every combination of observed key values (and every period) present."""
    keys = [k if len(dims) > 1 else (k,) for k in data]
    levels: list[list[Any]] = []
    for d in range(len(dims)):
        seen = sorted({k[d] for k in keys}, key=key_order)
        if d == tpos and unit is not None:
            ps = cast(list[Period], seen)
            lo = Period.coerce(start, unit) if start is not None else (ps[0] if ps else None)
            hi = (
                Period.coerce(end, unit, side="hi") if end is not None else (ps[-1] if ps else None)
            )
            seen = [] if lo is None or hi is None else Period.range(lo, hi, unit)
        levels.append(seen)
    out = {}
    for combo in product(*levels):
        key = combo[0] if len(combo) == 1 else combo
        out[key] = data.get(key, zero)
    return out


def min(tl: Timeline, name: str, by: By = "year", **options: Unpack[Bucketing]) -> Series[Any, Any]:
    """Smallest amount of quantity ``name`` per key, with honest bounds (of a measure, the
    smallest number).

    The minimum of amounts known only within bounds lies between the least lower bound and the
    least upper bound; its reported value is the least reported value (when all have one).
    ``spread`` does not apply (raises InvalidArgument). One O(n) pass.

    >>> from relations import Event, Quantity, timeline
    >>> tl = timeline.of(
    ...     Event("2024-01", "military.deployment", ["PRK", "RUS"], "a",
    ...           quantities={"soldiers": Quantity.at_least(11000, "people")}),
    ...     Event("2024-03", "military.deployment", ["PRK", "RUS"], "b",
    ...           quantities={"soldiers": Quantity(12000, "people")}))
    >>> str(min(tl, "soldiers")[Period.parse("2024")]), str(max(tl, "soldiers")["2024"])
    ('11 000–12 000 people', 'at least 12 000 people')

    A measure (:attr:`Event.measures <relations.Event.measures>`) gives its least number:

    >>> tl = timeline.of(
    ...     Event("2024-01", "cameo", ["PRK", "RUS"], "a", measures={"goldstein": 4}),
    ...     Event("2024-03", "cameo", ["PRK", "RUS"], "b", measures={"goldstein": -2.5}))
    >>> min(tl, "goldstein").to_dict(), max(tl, "goldstein").to_dict()
    ({Period('2024'): -2.5}, {Period('2024'): 4})
    """
    options = bucketing(options, "min")
    return _extreme(tl, name, by, options, largest=False)


def max(tl: Timeline, name: str, by: By = "year", **options: Unpack[Bucketing]) -> Series[Any, Any]:
    """Largest amount of quantity ``name`` per key, with honest bounds (of a measure, the
    largest number; see :func:`min`).

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024", "trade.volume", ["RUS", "PRK"], "t", quantities={"usd": 5}))
    >>> max(tl, "usd").to_dict()
    {Period('2024'): Quantity(5, 'count')}
    """
    options = bucketing(options, "max")
    return _extreme(tl, name, by, options, largest=True)


def group_by(
    tl: Timeline,
    by: By,
    *,
    policy: Policy = "contained",
    start: object = None,
    end: object = None,
) -> Series[Any, Timeline]:
    """Split the timeline: key → Timeline of the events with that key (in timeline order).

    With a period in ``by``, events are placed by ``policy`` (``overlap`` puts an event in
    every bucket it touches; ``spread`` does not apply). Events that cannot be placed are in
    ``result.unplaced``.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"),
    ...                  Event("2024-07", "un.veto", ["RUS", "UN"], "Veto"))
    >>> {k: len(v) for k, v in group_by(tl, "actor").items()}
    {'PRK': 1, 'RUS': 2, 'UN': 1}
    >>> print(group_by(tl, "month"))
    month    events
    2024-06  1 event
    2024-07  1 event
    """
    policy = check_policy(policy)
    if policy == "spread":
        raise InvalidArgument(
            "policy 'spread' splits weights and does not apply to group_by; use 'overlap'"
        )
    dims = parse_by(by)
    if not any(d.unit is not None for d in dims):
        grouping = group_events(tl, dims)
        data = {
            (k[0] if len(k) == 1 else k): tl.take(g.pos)
            for k, g in sorted(grouping.groups.items(), key=lambda kv: key_order(kv[0]))
        }
        unkeyed = grouping.unkeyed
        return Series(
            data,
            name="events",
            key_names=tuple(d.name for d in dims),
            unplaced=lambda: tl.take(unkeyed),
        )
    groups, unplaced, unit, tpos = _each(tl, dims, policy)
    groups = _restrict(groups, unit, tpos, start, end)
    data = _assemble({k: tl.take(v) for k, v in groups.items()}, unit, tpos)
    return Series(
        data,
        name="events",
        key_names=tuple(d.name for d in dims),
        policy=policy,
        unplaced=lambda: tl.take(unplaced),
    )


# ---- analyst helpers ---------------------------------------------------------------------------
