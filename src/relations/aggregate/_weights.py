"""Weights: what each event adds (1, a quantity, a measure or a kind's score) and their column
totals."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Hashable, Mapping, Sequence
from itertools import accumulate
from typing import Any, Literal, cast

from relations.aggregate._grouping import Group, memo_of
from relations.aggregate.grammar import Scale, check_name
from relations.aggregate.names import kind_of_name, values_by_name
from relations.aggregate.protocol import EventColumns
from relations.errors import InvalidArgument, UnitMismatch
from relations.kinds import score_of

__all__ = ["Column", "Values", "Vector", "Weight", "named", "values_of", "weighted"]


class Weight:
    """What an aggregation adds up: 1 per event, a named quantity or measure, or a kind's
    score. A measure with ``by`` adds ``value * by`` where both are present (weighted sums);
    ``where`` adds measure ``name`` only where measure ``where`` is present too."""

    __slots__ = ("by", "cache_id", "kind", "name", "scale", "where")

    def __init__(
        self,
        kind: Literal["count", "quantity", "score", "measure"],
        name: str | None = None,
        scale: Scale | None = None,
        *,
        by: str | None = None,
        where: str | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.scale = scale
        self.by = by
        self.where = where
        self.cache_id: Hashable | None = (
            (kind, name, by, where) if kind != "score" else _scale_id(scale)
        )


def named(tl: EventColumns, name: object) -> Weight:
    """What ``sum``/``mean`` add up for ``name``: the quantity of that name, else the measure
    of that name (:attr:`Event.measures <relations.Event.measures>`), as
    :func:`relations.aggregate.names.kind_of_name` resolves it (a name that no event of a
    non-empty timeline carries is an :class:`~relations.errors.UnknownKey` listing both).

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024", "trade", ["RUS"], "t", quantities={"usd": 5},
    ...                        measures={"tone": -1.5}))
    >>> named(tl, "usd").kind, named(tl, "tone").kind
    ('quantity', 'measure')
    >>> named(tl, "soldier")
    Traceback (most recent call last):
    ...
    relations.errors.UnknownKey: no event carries a quantity named 'soldier' nor a measure of that name (quantities: 'usd'; measures: 'tone')
    """
    checked = check_name(name)
    return Weight(kind_of_name(tl.ordered_events(), checked), checked)


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
        values: list[Any] = values_by_name(events, name, measures=False)
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
    elif w.kind == "measure":
        name = cast(str, w.name)
        values = [e.measures.get(name) for e in events]
        if w.by is not None:
            weights = [e.measures.get(w.by) for e in events]
            values = [
                None if v is None or x is None else v * x
                for v, x in zip(values, weights, strict=True)
            ]
        if w.where is not None:
            values = [
                None if e.measures.get(w.where) is None else v
                for e, v in zip(events, values, strict=True)
            ]
        n_present = len(values) - values.count(None)
        exact = all(v is None or type(v) is int for v in values)
        result = Values(values, None, exact, n_present)
    else:
        memo: dict[str, float | None] = {}
        scale = w.scale
        values = []
        own = scale is None  # the default scale: an event's own Goldstein score comes first
        for e in events:
            if own and "goldstein" in e.measures:
                values.append(float(e.measures["goldstein"]))
                continue
            k = e.kind
            if k not in memo:
                memo[k] = _score(k, scale)
            values.append(memo[k])
        n_present = len(values) - values.count(None)
        exact = all(v is None or v == int(v) for v in values)
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
