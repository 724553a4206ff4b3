"""Weights: what each event adds (1, a quantity, a measure or a kind's score) and their column
totals."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Hashable, Mapping, Sequence
from itertools import accumulate
from typing import Any, Literal, cast

import attrs
import numpy as np

from relations.aggregate._grouping import Group, memo_of, positions_of
from relations.aggregate.columnar import ValueColumn
from relations.aggregate.grammar import Scale, check_name
from relations.aggregate.names import unknown_quantity_error
from relations.aggregate.protocol import EventColumns
from relations.errors import InvalidArgument, UnitMismatch
from relations.kinds import score_of

__all__ = ["Column", "Values", "Vector", "Weight", "bounds_of", "named", "values_of", "weighted"]

Array = np.ndarray[Any, Any]


@attrs.define(eq=False, weakref_slot=False)
class Weight:
    """What an aggregation adds up: 1 per event, a named quantity or measure, or a kind's
    score. A measure with ``by`` adds ``value * by`` where both are present (weighted sums);
    ``where`` adds measure ``name`` only where measure ``where`` is present too."""

    kind: Literal["count", "quantity", "score", "measure"]
    name: str | None = None
    scale: Scale | None = None
    by: str | None = attrs.field(default=None, kw_only=True)
    where: str | None = attrs.field(default=None, kw_only=True)
    cache_id: Hashable | None = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        kind, name, by, where = self.kind, self.name, self.by, self.where
        self.cache_id = (kind, name, by, where) if kind != "score" else _scale_id(self.scale)


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
    if not len(tl) or tl.quantity_column(checked).present.any():
        return Weight("quantity", checked)
    if tl.measure_column(checked).present.any():
        return Weight("measure", checked)
    raise unknown_quantity_error(checked, *tl.value_names())


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
    """Per-position weights of one timeline: ``present[p]`` (the event carries the weight) and
    the component columns (see :data:`Vector`), each an array over every position."""

    __slots__ = ("comps", "exact", "n_present", "present", "unit")

    def __init__(self, present: Array, comps: list[Array], unit: str | None, exact: bool) -> None:
        self.present = present
        self.comps = comps
        self.unit = unit
        self.exact = exact
        self.n_present = int(np.count_nonzero(present))


def bounds_of(vc: ValueColumn) -> tuple[Array, ...]:
    """A quantity column's components: (value or 0, value unknown, lower bound, upper bound or
    0, upper unknown, approximate, low implicit), each as the events' numbers give them
    (``int64`` when every number is an integer, else Python numbers in an object array)."""
    value, low, high = vc.value, vc.low, vc.high
    if not all(a.dtype == np.int64 for a in (value, low, high)):
        value, low, high = (a.astype(object) for a in (value, low, high))
    zero = np.zeros(len(value), dtype=value.dtype)  # object zeros are the int 0
    v_ok, l_ok, h_ok = vc.value_ok, vc.low_ok, vc.high_ok
    val = np.where(v_ok, value, zero)
    return (
        val,
        (~v_ok).astype(np.int64),
        np.where(l_ok, low, val),
        np.where(h_ok, high, val),
        (~(h_ok | v_ok)).astype(np.int64),
        vc.approximate.astype(np.int64),
        (~l_ok).astype(np.int64),
    )


def _all_int(a: Array) -> bool:
    if a.dtype == np.int64:
        return True
    if a.dtype == object:
        return all(type(v) is int for v in a.tolist())
    return not len(a)


def _product(a: Array, b: Array) -> Array:
    """``a * b`` elementwise, as Python multiplies the numbers (no int64 overflow)."""
    if a.dtype == np.int64 and b.dtype == np.int64 and len(a):
        big = int(np.abs(a).max()) * int(np.abs(b).max())
        if big >= 2**62:
            return cast(Array, a.astype(object) * b.astype(object))
    return cast(Array, a * b)


def values_of(tl: EventColumns, w: Weight) -> Values | None:
    """Per-position weights (None for counts, which weigh 1 each), from the timeline's value
    and key columns (no event is built for a timeline held as columns)."""
    if w.kind == "count":
        return None
    cache = memo_of(tl)
    key = ("values", w.cache_id)
    if w.cache_id is not None and key in cache:
        return cast(Values, cache[key])
    if w.kind == "quantity":
        result = _quantity_values(tl, cast(str, w.name))
    elif w.kind == "measure":
        vc = tl.measure_column(cast(str, w.name))
        present, values = vc.present, vc.value
        if w.by is not None:
            by = tl.measure_column(w.by)
            present = present & by.present
            values = _product(values, by.value)
        if w.where is not None:
            present = present & tl.measure_column(w.where).present
        exact = _all_int(values[present])
        result = Values(present, [values], None, exact)
    else:
        result = _score_values(tl, w.scale)
    if w.cache_id is not None:
        cache[key] = result
    return result


def _quantity_values(tl: EventColumns, name: str) -> Values:
    vc = tl.quantity_column(name)
    present = vc.present
    if len(tl) and not present.any():
        raise unknown_quantity_error(name, tl.value_names()[0])
    where = np.flatnonzero(present)  # (the checks below read the present rows only)
    codes = vc.unit_codes[where]
    unit = vc.units[int(codes[0])] if len(codes) else None
    if len(codes) and (codes != codes[0]).any():
        other = int(where[np.flatnonzero(codes != codes[0])[0]])
        ids = tl.ids()
        raise UnitMismatch(
            f"quantity {name!r} mixes units: {unit!r} (event {ids[int(where[0])]!r}) and "
            f"{vc.units[int(vc.unit_codes[other])]!r} (event {ids[other]!r}); aggregate one "
            f"unit at a time, e.g. filter the timeline first"
        )
    plain = vc.value_ok[where] & ~vc.low_ok[where] & ~vc.high_ok[where] & ~vc.approximate[where]
    exact = bool(plain.all()) and _all_int(vc.value[where])
    if exact:
        return Values(present, [vc.value], unit, True)
    return Values(present, list(bounds_of(vc)), unit, False)


def _score_values(tl: EventColumns, scale: Scale | None) -> Values:
    kc = tl.key_column("kind")
    used, first = np.unique(kc.codes, return_index=True)
    scores = np.zeros(len(kc.keys), dtype=np.float64)
    known = np.zeros(len(kc.keys), dtype=bool)
    for c in used[np.argsort(first)].tolist():  # in timeline order, as a scale is asked
        s = _score(cast(str, kc.keys[c][0]), scale)
        if s is not None:
            scores[c], known[c] = s, True
    values, present = scores[kc.codes], known[kc.codes]
    if scale is None:  # the default scale: an event's own Goldstein score comes first
        own = tl.measure_column("goldstein")
        if own.present.any():
            values = np.where(own.present, own.value.astype(np.float64), values)
            present = present | own.present
    shown = values[present]
    exact = bool((shown == np.floor(shown)).all())
    return Values(present, [values.astype(np.int64) if exact else values], None, exact)


def _score(kind: str, scale: Scale | None) -> float | None:
    s = score_of(kind, scale) if scale is None or isinstance(scale, Mapping) else scale(kind)
    if s is not None and (isinstance(s, bool) or not isinstance(s, int | float)):
        raise InvalidArgument(f"score scale gave {s!r} for kind {kind!r}; expected a number")
    return None if s is None else float(s)


# Vectors: the running totals of a bucket. v[0] is the (possibly fractional) number of events;
# counts stop there; scores add (sum,); exact integer quantities add (value,); general
# quantities add (value, value_unknown, lower, upper, upper_unknown, approximate, low_implicit).
Vector = tuple[float, ...]


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


def _column(arrays: list[Array]) -> Column:
    """The Column of these component arrays; of ``int64`` ones whose sums cannot overflow,
    the prefix sums come from ``numpy.cumsum`` (as Python ints, as ``accumulate`` gives)."""
    col = Column([])
    col.comps = [a.tolist() for a in arrays]
    col.prefix = None
    fast = all(a.dtype == np.int64 for a in arrays) and all(
        not len(a) or int(np.abs(a).max()) * len(a) < 2**62 for a in arrays
    )
    if fast:
        col.prefix = [np.concatenate(([0], np.cumsum(a))).tolist() for a in arrays]
    elif all(set(map(type, c)) <= {int} for c in col.comps):
        col.prefix = [list(accumulate(c, initial=0)) for c in col.comps]
    return col


def weighted(g: Group, values: Values | None, wkey: Hashable | None) -> tuple[Group, Column]:
    """The group's events that carry the weight, and their column (memoised per weight,
    unless the weight cannot be cached, such as a score scale given as a function)."""
    key = ("weighted", wkey)
    memo = g.memo.get(key) if wkey is not None else None
    if memo is None:
        if values is None:
            memo = (g, Column([]))
        else:
            pos = positions_of(g)
            if values.n_present == len(values.present):
                sub = g
            else:
                keep = np.flatnonzero(values.present[pos])
                if len(keep) == len(pos):
                    sub = g
                else:
                    sub = g.subset(keep)
                    pos = pos[keep]
            memo = (sub, _column([c[pos] for c in values.comps]))
        if wkey is not None:
            g.memo[key] = memo
    return cast(tuple[Group, Column], memo)


# ---- placement ---------------------------------------------------------------------------------
