"""Placement by policy: which period buckets an event goes to, and the bucket totals.

The four policies (``contained``, ``earliest``, ``spread``, ``overlap``) are described in
:mod:`relations.aggregate`.
"""

from __future__ import annotations

import builtins
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import compress
from operator import ne
from typing import cast

from relations.aggregate._grouping import UNB, Group, Grouping, group_events, int_array, memo_of
from relations.aggregate._weights import Column, Values, Vector
from relations.aggregate.grammar import Policy
from relations.aggregate.protocol import EventColumns, T
from relations.periods import Period, Unit, check_span, first_day, index_of

__all__ = [
    "PERIODS",
    "bucket_range",
    "bucket_totals",
    "complex_events",
    "period_at",
    "placements",
    "unplaced_positions",
]


def complex_events(g: Group, unit: Unit) -> list[int]:
    """Local indices of events with a known start whose days do not fit in one bucket."""
    key = ("complex", unit)
    c = g.memo.get(key)
    if c is None:
        los, his = g.los, g.his
        z = g.first_finite()
        wide = compress(range(len(los)), map(ne, his, los))
        if unit == "day":
            c = [k for k in wide if k >= z]
        else:
            ends: dict[int, int] = {}
            c = []
            for k in wide:
                if k < z:
                    continue
                lo = los[k]
                end = ends.get(lo)
                if end is None:
                    end = first_day(index_of(lo, unit) + 1, unit)
                    ends[lo] = end
                if his[k] >= end:
                    c.append(k)
        g.memo[key] = c
    return cast(list[int], c)


def placements(lo: int, hi: int, unit: Unit, policy: Policy) -> list[tuple[int, float]] | None:
    """Bucket indices (and fractions of the weight) for one event; None if unplaced."""
    if lo <= -UNB:
        return None
    k = index_of(lo, unit)
    if policy == "earliest":
        return [(k, 1)]
    if hi >= UNB:
        return None
    k2 = k if hi == lo else index_of(hi, unit)
    if k2 == k:
        return [(k, 1)]
    if policy == "contained":
        return None
    check_span(k, k2, unit, f"an event placed under policy {policy!r}")
    if policy == "overlap":
        return [(b, 1) for b in range(k, k2 + 1)]
    days = hi - lo + 1
    out = []
    for b in range(k, k2 + 1):
        a = builtins.max(lo, first_day(b, unit))
        z = builtins.min(hi, first_day(b + 1, unit) - 1)
        out.append((b, (z - a + 1) / days))
    return out


PERIODS: dict[tuple[str, int], Period] = {}


def period_at(unit: Unit, k: int) -> Period:
    p = PERIODS.get((unit, k))
    if p is None:
        if len(PERIODS) > 200_000:
            PERIODS.clear()
        p = PERIODS[(unit, k)] = Period(unit, k)
    return p


def _runs(g: Group, unit: Unit) -> tuple[list[int], list[int]]:
    """The group's events with a known start, cut into runs that start in one bucket: bucket
    indices ``ks`` and local start indices ``starts`` (run r is ``starts[r]:starts[r + 1]``).

    One bisect per bucket boundary (O(B log n)), once per group and unit; every later
    aggregation reads the runs (O(B)) and takes its totals from prefix sums."""
    key = ("runs", unit)
    memo = g.memo.get(key)
    if memo is None:
        los = g.los
        n = len(los)
        i = g.first_finite()
        ks: list[int] = []
        starts: list[int] = []
        while i < n:
            k = index_of(los[i], unit)
            ks.append(k)
            starts.append(i)
            i = bisect_left(los, first_day(k + 1, unit), i + 1, n)
        starts.append(n)
        memo = g.memo[key] = (ks, starts)
    return cast(tuple[list[int], list[int]], memo)


def _walk(g: Group, col: Column, unit: Unit, k0: int, k1: int, out: dict[int, Vector]) -> None:
    """Add the totals of events by the bucket of their start, for buckets k0..k1."""
    ks, starts = _runs(g, unit)
    total = col.total
    for r in range(bisect_left(ks, k0), bisect_right(ks, k1)):
        v = total(starts[r], starts[r + 1])
        if v[0]:
            out[ks[r]] = v


def _add(out: dict[int, Vector], k: int, v: Vector) -> None:
    old = out.get(k)
    out[k] = v if old is None else tuple(x + y for x, y in zip(old, v, strict=True))


def bucket_totals(
    g: Group, col: Column, unit: Unit, policy: Policy, k0: int, k1: int
) -> dict[int, Vector]:
    out: dict[int, Vector] = {}
    if policy == "earliest":
        _walk(g, col, unit, k0, k1, out)
        return out
    cx = complex_events(g, unit)
    if not cx:
        _walk(g, col, unit, k0, k1, out)
        return out
    key = ("masked", unit)
    masked = col.memo.get(key)
    if masked is None:
        masked = col.memo[key] = Column(col.comps, cx)
    _walk(g, cast(Column, masked), unit, k0, k1, out)
    if policy == "contained":
        return out
    lo_day, hi_day = first_day(k0, unit), first_day(k1 + 1, unit) - 1
    for lo, hi, w in _spans(g, col, unit, cx):
        if hi < lo_day or lo > hi_day:
            continue
        for b, f in cast(list[tuple[int, float]], placements(lo, hi, unit, policy)):
            if k0 <= b <= k1:
                _add(out, b, w if f == 1 else tuple(x * f for x in w))
    return out


def _spans(g: Group, col: Column, unit: Unit, cx: list[int]) -> list[tuple[int, int, Vector]]:
    """The multi-bucket events with a known end, summed per distinct (lo, hi): events of one
    imprecise date share their bounds (every "2024" is 2024-01-01..2024-12-31), so spreading
    or overlapping costs O(distinct spans · buckets each), not O(events · buckets)."""
    key = ("spans", unit)
    memo = col.memo.get(key)
    if memo is None:
        los, his = g.los, g.his
        by_span: dict[tuple[int, int], list[int]] = {}
        for k in cx:
            hi = his[k]
            if hi < UNB:
                by_span.setdefault((los[k], hi), []).append(k)
        add = builtins.sum if col.prefix is not None else math.fsum
        memo = [
            (lo, hi, (len(ks), *[add([c[k] for k in ks]) for c in col.comps]))
            for (lo, hi), ks in sorted(by_span.items())
        ]
        col.memo[key] = memo
    return cast(list[tuple[int, int, Vector]], memo)


# ---- the aggregation engine ------------------------------------------------------------------


def bucket_range(
    tl: EventColumns, unit: Unit, start: object, end: object
) -> tuple[int, int] | None:
    """Bucket index range [k0, k1] from start/end, else from the data (None: no dated event)."""
    los = tl.lo_days()
    if start is not None:
        k0 = Period.coerce(start, unit).index
    else:
        z = bisect_right(los, -UNB)
        if z >= len(los):
            return None
        k0 = index_of(los[z], unit)
    if end is not None:
        k1 = Period.coerce(end, unit, side="hi").index
    else:
        if not len(los) or los[-1] <= -UNB:
            return None
        last = los[-1]
        wide_max = _max_finite_hi(tl)
        k1 = index_of(last if wide_max is None else builtins.max(last, wide_max), unit)
    return k0, k1


def _max_finite_hi(tl: EventColumns) -> int | None:
    cache = memo_of(tl)
    if "max_finite_hi" not in cache:
        los, his = int_array(tl.lo_days()), int_array(tl.hi_days())
        finite = his[(his != los) & (his < UNB)]
        cache["max_finite_hi"] = int(finite.max()) if len(finite) else None
    return cast("int | None", cache["max_finite_hi"])


def unplaced_positions(
    tl: T, grouping: Grouping, unit: Unit | None, policy: Policy, values: Values | None
) -> Callable[[], T]:
    def build() -> T:
        los, his = tl.lo_days(), tl.hi_days()
        out: set[int] = set(grouping.unkeyed)
        if unit is not None:
            z = bisect_right(los, -UNB)
            out.update(range(z))
            if policy != "earliest" and len(los):
                whole = group_events(tl, []).groups[()]
                for k in complex_events(whole, unit):
                    if policy == "contained" or his[k] >= UNB:
                        out.add(k)
        if values is not None:
            present = values.present
            out = {p for p in out if present[p]}
        return tl.take(sorted(out))

    return build
