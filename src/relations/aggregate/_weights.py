"""Weights: what each event adds (1, a quantity or a kind's score) and their column totals."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Hashable, Mapping, Sequence
from itertools import accumulate
from typing import Any, Literal, cast

from relations.aggregate._grouping import Group, memo_of
from relations.aggregate.grammar import Scale
from relations.aggregate.names import values_by_name
from relations.aggregate.protocol import EventColumns
from relations.errors import InvalidArgument, UnitMismatch
from relations.kinds import score_of

__all__ = ["Column", "Values", "Vector", "Weight", "values_of", "weighted"]


class Weight:
    """What an aggregation adds up: 1 per event, a named quantity, or a kind's score."""

    __slots__ = ("cache_id", "kind", "name", "scale")

    def __init__(
        self,
        kind: Literal["count", "quantity", "score"],
        name: str | None = None,
        scale: Scale | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.scale = scale
        self.cache_id: Hashable | None = (kind, name) if kind != "score" else _scale_id(scale)


def _scale_id(scale: Scale | None) -> Hashable | None:
    if scale is None:
        return ("score", None)
    if isinstance(scale, Mapping):
        try:
            return ("score", tuple(sorted(scale.items())))
        except TypeError:
            return None
    return None  # a function: no caching (it may not be pure)


class Values:
    """Per-position weights of one timeline: ``values[p]`` (None where absent)."""

    __slots__ = ("exact", "n_present", "unit", "values")

    def __init__(self, values: list[Any], unit: str | None, exact: bool, n_present: int) -> None:
        self.values = values
        self.unit = unit
        self.exact = exact
        self.n_present = n_present


def values_of(tl: EventColumns, w: Weight) -> Values | None:
    """Per-position weights (None for counts, which weigh 1 each)."""
    if w.kind == "count":
        return None
    cache = memo_of(tl)
    key = ("values", w.cache_id)
    if w.cache_id is not None and key in cache:
        return cast(Values, cache[key])
    events = tl.ordered_events()
    if w.kind == "quantity":
        name = cast(str, w.name)
        values: list[Any] = values_by_name(events, name)
        unit: str | None = None
        first_id = ""
        exact = True
        n_present = 0
        for e, q in zip(events, values, strict=True):
            if q is None:
                continue
            n_present += 1
            if unit is None:
                unit, first_id = q.unit, e.id
            elif q.unit != unit:
                raise UnitMismatch(
                    f"quantity {name!r} mixes units: {unit!r} (event {first_id!r}) and "
                    f"{q.unit!r} (event {e.id!r}); aggregate one unit at a time, e.g. filter "
                    f"the timeline first"
                )
            if exact and not (q.is_exact and type(q.value) is int):
                exact = False
        result = Values(values, unit, exact, n_present)
    else:
        memo: dict[str, float | None] = {}
        scale = w.scale
        values = []
        for e in events:
            k = e.kind
            if k not in memo:
                memo[k] = _score(k, scale)
            values.append(memo[k])
        n_present = len(values) - values.count(None)
        exact = all(v is None or v == int(v) for v in memo.values())
        result = Values(values, None, exact, n_present)
    if w.cache_id is not None:
        cache[key] = result
    return result


def _score(kind: str, scale: Scale | None) -> float | None:
    s = score_of(kind, scale) if scale is None or isinstance(scale, Mapping) else scale(kind)
    if s is not None and (isinstance(s, bool) or not isinstance(s, int | float)):
        raise InvalidArgument(f"score scale gave {s!r} for kind {kind!r}; expected a number")
    return None if s is None else float(s)


# Vectors: the running totals of a bucket. v[0] is the (possibly fractional) number of events;
# counts stop there; scores add (sum,); exact integer quantities add (value,); general
# quantities add (value, value_unknown, lower, upper, upper_unknown, approximate, low_implicit).
Vector = tuple[float, ...]


def _components(values: Values, items: list[Any]) -> list[list[Any]]:
    if values.unit is None:  # scores
        return [[int(v) for v in items] if values.exact else items]
    if values.exact:
        return [[q.value for q in items]]
    val, vmiss, low, up, umiss, approx, implicit = [], [], [], [], [], [], []
    for q in items:
        v = q.value
        val.append(0 if v is None else v)
        vmiss.append(1 if v is None else 0)
        low.append(q.lower)
        implicit.append(1 if q.low is None else 0)
        u = q.upper
        up.append(0 if u is None else u)
        umiss.append(1 if u is None else 0)
        approx.append(1 if q.approximate else 0)
    return [val, vmiss, low, up, umiss, approx, implicit]


class Column:
    """Weights of a group's events, with O(1) range totals (prefix sums of exact integers,
    else an exactly rounded ``math.fsum`` of the slice, so float totals never drift)."""

    __slots__ = ("comps", "masked", "memo", "prefix")

    def __init__(self, comps: list[list[Any]], masked: Sequence[int] = ()) -> None:
        self.memo: dict[Any, Any] = {}  # derived columns and span totals, per period unit
        if masked:
            comps = [list(c) for c in comps]
            for c in comps:
                for k in masked:
                    c[k] = 0
        self.comps = comps
        self.masked = masked
        self.prefix: list[list[Any]] | None = None
        if all(set(map(type, c)) <= {int} for c in comps):
            self.prefix = [list(accumulate(c, initial=0)) for c in comps]

    def total(self, i: int, j: int) -> Vector:
        n = j - i
        if self.masked:
            n -= bisect_left(self.masked, j) - bisect_left(self.masked, i)
        prefix = self.prefix
        if prefix is not None:
            if len(prefix) == 1:
                p = prefix[0]
                return (n, p[j] - p[i])
            return (n, *[p[j] - p[i] for p in prefix])
        return (n, *[math.fsum(c[i:j]) for c in self.comps])

    def at(self, k: int) -> Vector:
        return (1, *[c[k] for c in self.comps])


def weighted(g: Group, values: Values | None, wkey: Hashable | None) -> tuple[Group, Column]:
    """The group's events that carry the weight, and their column (memoised per weight,
    unless the weight cannot be cached, such as a score scale given as a function)."""
    key = ("weighted", wkey)
    memo = g.memo.get(key) if wkey is not None else None
    if memo is None:
        if values is None:
            memo = (g, Column([]))
        else:
            vs = values.values
            items = [vs[p] for p in g.pos]
            if values.n_present == len(vs):
                sub = g
            else:
                keep = [k for k, v in enumerate(items) if v is not None]
                sub = g.subset(keep)
                items = [items[k] for k in keep]
            memo = (sub, Column(_components(values, items)))
        if wkey is not None:
            g.memo[key] = memo
    return cast(tuple[Group, Column], memo)


# ---- placement ---------------------------------------------------------------------------------
