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

>>> from relations import Event, Quantity, timeline
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

from __future__ import annotations

import builtins
import gc
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import accumulate, compress, product
from operator import ne
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, TypedDict, TypeVar, cast

import attrs

from relations.errors import InvalidArgument, UnitMismatch
from relations.keys import KEYS, KeyFunction
from relations.kinds import is_within, score_of
from relations.periods import UNITS, Period, Unit, check_span, first_day, index_of, is_unit
from relations.quantities import Quantity
from relations.series import Series, key_order

if TYPE_CHECKING:
    from relations._timeline import Timeline
    from relations.events import Event

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
    "score_mean",
    "score_sum",
    "sum",
]

Policy = Literal["contained", "earliest", "spread", "overlap"]
"""How an event with imprecise or long dates is placed in period buckets (module docs)."""

POLICIES: tuple[Policy, ...] = ("contained", "earliest", "spread", "overlap")
"""Every placement policy."""

ByPart = str | Callable[["Event"], Any]
By = ByPart | tuple[ByPart, ...]
"""What to group by: a period unit, a key name, a function of an event, or a tuple of these."""

Scale = Mapping[str, float | None] | Callable[[str], float | None]
"""A cooperation–conflict scale: kind → score (mappings fall back to parent kinds)."""


class Placement(TypedDict, total=False):
    """Where events go: the keywords of :func:`group_by` (and, with ``fill``, of every
    aggregation); the module documentation describes each and its default."""

    policy: Policy
    start: object
    end: object


class Bucketing(Placement, total=False):
    """The keywords of the aggregations (:func:`count`, :func:`sum`, ...): :class:`Placement`
    and ``fill``."""

    fill: bool


@attrs.frozen
class TimeBetween:
    """The time between two consecutive events, in days: from the end of ``first`` to the start
    of ``second`` (as :meth:`When.gap <relations.When.gap>` counts it; negative when they may
    overlap; ``None`` where an open or unknown end leaves it unbounded).

    Formerly named ``Interval``, which clashed with When's intervals; ``Interval`` remains an
    alias.

    >>> TimeBetween("a", "b", 2, 30)
    TimeBetween(first='a', second='b', least=2, most=30)
    >>> Interval is TimeBetween
    True
    """

    first: str
    second: str
    least: int | None
    most: int | None


Interval = TimeBetween
"""The former name of :class:`TimeBetween`."""


class EventColumns(Protocol):
    """What aggregation reads of a timeline (a :class:`~relations.timeline.Timeline` is one):
    its events in order, their earliest and latest days as integer columns, a memo for the
    caches below, and the sub-timeline at given positions. Nothing else: the engine that
    stores the events may change without this module noticing."""

    def __len__(self) -> int: ...

    def ordered_events(self) -> Sequence[Event]:
        """The events, in timeline order."""
        ...

    def lo_days(self) -> Sequence[int]:
        """The earliest possible day of each event (day ordinals, ascending)."""
        ...

    def hi_days(self) -> Sequence[int]:
        """The latest possible day of each event, parallel to :meth:`lo_days`."""
        ...

    def memo(self, owner: str) -> dict[Any, Any]:
        """A dictionary kept with the timeline for ``owner``'s caches."""
        ...

    def take(self, positions: Sequence[int]) -> Self:
        """The events at ascending, distinct ``positions``."""
        ...


T = TypeVar("T", bound=EventColumns)

_UNB = 2**61  # |ordinal| at or beyond this: an open or unknown end
_NO_KEYS: tuple[Any, ...] = ()

# ---- grouping dimensions ---------------------------------------------------------------------


class _Dim:
    """One part of ``by``: a period unit, or a function giving an event's keys (0, 1 or many)."""

    __slots__ = ("cache_id", "keys", "name", "unit")

    def __init__(
        self,
        name: str,
        unit: Unit | None = None,
        keys: Callable[[Event], Sequence[Any]] | None = None,
        cache_id: Hashable | None = None,
    ) -> None:
        self.name = name
        self.unit = unit
        self.keys = keys
        self.cache_id = cache_id


def _kind_prefix(levels: int) -> Callable[[Event], tuple[Any, ...]]:
    def keys(e: Event) -> tuple[Any, ...]:
        return (".".join(e.kind.split(".")[:levels]),)

    return keys


#: The key names ``by`` accepts (see :mod:`relations.keys`), besides periods and ``kind:N``.
BY_KEYS = ("kind", "actor", "dyad", "directed_dyad", "status", "tag")
_NAMED: dict[str, KeyFunction] = {name: KEYS[name] for name in BY_KEYS}


def _function_dim(fn: Callable[[Event], Any]) -> _Dim:
    def keys(e: Event) -> tuple[Any, ...]:
        k = fn(e)
        if k is None:
            return _NO_KEYS
        try:
            hash(k)
        except TypeError:
            raise InvalidArgument(
                f"by: {getattr(fn, '__name__', fn)!r} gave the unhashable key {k!r} for event "
                f"{e.id!r}; return a str, number, tuple or None"
            ) from None
        return (k,)

    return _Dim(getattr(fn, "__name__", "key"), keys=keys)


def _parse_by(by: By) -> list[_Dim]:
    parts = by if isinstance(by, tuple) else (by,)
    if not parts:
        raise InvalidArgument("by=() names nothing to group by")
    dims: list[_Dim] = []
    for part in parts:
        if callable(part):
            dims.append(_function_dim(part))
        elif not isinstance(part, str):
            raise InvalidArgument(f"by: {part!r} is not a name or a function of an event")
        elif is_unit(part):
            dims.append(_Dim(part, unit=cast(Unit, part)))
        elif part in _NAMED:
            dims.append(_Dim(part, keys=_NAMED[part], cache_id=part))
        elif part.startswith("kind:") and part[5:].isdigit() and int(part[5:]) >= 1:
            dims.append(_Dim(part, keys=_kind_prefix(int(part[5:])), cache_id=part))
        else:
            raise InvalidArgument(
                f"by: unknown grouping {part!r}; expected a period ({', '.join(UNITS)}), "
                f"'kind', 'kind:N', 'actor', 'dyad', 'directed_dyad', 'status', 'tag' "
                f"or a function of an event"
            )
    if builtins.sum(d.unit is not None for d in dims) > 1:
        raise InvalidArgument(f"by={by!r}: at most one period unit per aggregation")
    return dims


def _check_policy(policy: object) -> Policy:
    if policy not in POLICIES:
        raise InvalidArgument(f"unknown policy {policy!r}; expected one of {', '.join(POLICIES)}")
    return policy


# ---- per-timeline caches -----------------------------------------------------------------------


def _cache(tl: EventColumns) -> dict[Any, Any]:
    return tl.memo("aggregate")


class _Group:
    """Events of one key: ascending timeline positions and their lo/hi, plus derived memos."""

    __slots__ = ("his", "los", "memo", "pos")

    def __init__(self, pos: Sequence[int], los: Sequence[int], his: Sequence[int]) -> None:
        self.pos = pos
        self.los = los
        self.his = his
        self.memo: dict[Any, Any] = {}

    def subset(self, keep: Sequence[int]) -> _Group:
        """The group of the events at local indices ``keep`` (ascending)."""
        pos, los, his = self.pos, self.los, self.his
        return _Group([pos[k] for k in keep], [los[k] for k in keep], [his[k] for k in keep])

    def first_finite(self) -> int:
        """Local index of the first event with a known start (earlier ones start unbounded)."""
        return bisect_right(self.los, -_UNB)


class _Grouping:
    """A timeline split by the key dimensions of ``by``."""

    __slots__ = ("groups", "ordered", "ranks", "unkeyed", "values")

    def __init__(
        self, groups: dict[tuple[Any, ...], _Group], unkeyed: list[int], width: int
    ) -> None:
        self.groups = groups
        self.unkeyed = unkeyed
        values: list[list[Any]] = [[] for _ in range(width)]
        seen: list[set[Any]] = [set() for _ in range(width)]
        for key in groups:
            for d, v in enumerate(key):
                if v not in seen[d]:
                    seen[d].add(v)
                    values[d].append(v)
        self.values = [sorted(vs, key=key_order) for vs in values]
        self.ranks = [{v: r for r, v in enumerate(vs)} for vs in self.values]
        self.ordered = sorted(groups, key=lambda k: [self.ranks[d][v] for d, v in enumerate(k)])


def _grouping(tl: EventColumns, kdims: list[_Dim]) -> _Grouping:
    ids = tuple(d.cache_id for d in kdims)
    cacheable = all(i is not None for i in ids)
    cache = _cache(tl)
    if cacheable and ("groups", ids) in cache:
        return cast(_Grouping, cache[("groups", ids)])
    events, los, his = tl.ordered_events(), tl.lo_days(), tl.hi_days()
    if not kdims:
        g = _Group(range(len(events)), los, his)
        grouping = _Grouping({(): g} if len(events) else {}, [], 0)
    else:
        lists: dict[tuple[Any, ...], list[int]] = {}
        unkeyed: list[int] = []
        fns = [cast(Callable[["Event"], Sequence[Any]], d.keys) for d in kdims]
        get = lists.get
        if len(fns) == 1:
            fn = fns[0]
            for p, e in enumerate(events):
                ks = fn(e)
                if not ks:
                    unkeyed.append(p)
                for k in ks:
                    lst = get((k,))
                    if lst is None:
                        lists[(k,)] = [p]
                    elif lst[-1] != p:
                        lst.append(p)
        else:
            for p, e in enumerate(events):
                combos = list(product(*(fn(e) for fn in fns)))
                if not combos:
                    unkeyed.append(p)
                for key in combos:
                    lst = get(key)
                    if lst is None:
                        lists[key] = [p]
                    elif lst[-1] != p:
                        lst.append(p)
        groups = {
            key: _Group(pos, [los[p] for p in pos], [his[p] for p in pos])
            for key, pos in lists.items()
        }
        grouping = _Grouping(groups, unkeyed, len(kdims))
    if cacheable:
        cache[("groups", ids)] = grouping
    return grouping


# ---- weights: what each event contributes --------------------------------------------------


class _Weight:
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


class _Values:
    """Per-position weights of one timeline: ``values[p]`` (None where absent)."""

    __slots__ = ("exact", "n_present", "unit", "values")

    def __init__(self, values: list[Any], unit: str | None, exact: bool, n_present: int) -> None:
        self.values = values
        self.unit = unit
        self.exact = exact
        self.n_present = n_present


def _values(tl: EventColumns, w: _Weight) -> _Values | None:
    """Per-position weights (None for counts, which weigh 1 each)."""
    if w.kind == "count":
        return None
    cache = _cache(tl)
    key = ("values", w.cache_id)
    if w.cache_id is not None and key in cache:
        return cast(_Values, cache[key])
    events = tl.ordered_events()
    if w.kind == "quantity":
        name = cast(str, w.name)
        values: list[Any] = [e.quantities.get(name) for e in events]
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
        result = _Values(values, unit, exact, n_present)
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
        result = _Values(values, None, exact, n_present)
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


def _components(values: _Values, items: list[Any]) -> list[list[Any]]:
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


class _Column:
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


def _weighted(g: _Group, values: _Values | None, wkey: Hashable | None) -> tuple[_Group, _Column]:
    """The group's events that carry the weight, and their column (memoised per weight,
    unless the weight cannot be cached, such as a score scale given as a function)."""
    key = ("weighted", wkey)
    memo = g.memo.get(key) if wkey is not None else None
    if memo is None:
        if values is None:
            memo = (g, _Column([]))
        else:
            vs = values.values
            items = [vs[p] for p in g.pos]
            if values.n_present == len(vs):
                sub = g
            else:
                keep = [k for k, v in enumerate(items) if v is not None]
                sub = g.subset(keep)
                items = [items[k] for k in keep]
            memo = (sub, _Column(_components(values, items)))
        if wkey is not None:
            g.memo[key] = memo
    return cast(tuple[_Group, _Column], memo)


# ---- placement ---------------------------------------------------------------------------------


def _complex(g: _Group, unit: Unit) -> list[int]:
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


def _placements(lo: int, hi: int, unit: Unit, policy: Policy) -> list[tuple[int, float]] | None:
    """Bucket indices (and fractions of the weight) for one event; None if unplaced."""
    if lo <= -_UNB:
        return None
    k = index_of(lo, unit)
    if policy == "earliest":
        return [(k, 1)]
    if hi >= _UNB:
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


_PERIODS: dict[tuple[str, int], Period] = {}


def _period(unit: Unit, k: int) -> Period:
    p = _PERIODS.get((unit, k))
    if p is None:
        if len(_PERIODS) > 200_000:
            _PERIODS.clear()
        p = _PERIODS[(unit, k)] = Period(unit, k)
    return p


def _runs(g: _Group, unit: Unit) -> tuple[list[int], list[int]]:
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


def _walk(g: _Group, col: _Column, unit: Unit, k0: int, k1: int, out: dict[int, Vector]) -> None:
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


def _bucket_totals(
    g: _Group, col: _Column, unit: Unit, policy: Policy, k0: int, k1: int
) -> dict[int, Vector]:
    out: dict[int, Vector] = {}
    if policy == "earliest":
        _walk(g, col, unit, k0, k1, out)
        return out
    cx = _complex(g, unit)
    if not cx:
        _walk(g, col, unit, k0, k1, out)
        return out
    key = ("masked", unit)
    masked = col.memo.get(key)
    if masked is None:
        masked = col.memo[key] = _Column(col.comps, cx)
    _walk(g, cast(_Column, masked), unit, k0, k1, out)
    if policy == "contained":
        return out
    lo_day, hi_day = first_day(k0, unit), first_day(k1 + 1, unit) - 1
    for lo, hi, w in _spans(g, col, unit, cx):
        if hi < lo_day or lo > hi_day:
            continue
        for b, f in cast(list[tuple[int, float]], _placements(lo, hi, unit, policy)):
            if k0 <= b <= k1:
                _add(out, b, w if f == 1 else tuple(x * f for x in w))
    return out


def _spans(g: _Group, col: _Column, unit: Unit, cx: list[int]) -> list[tuple[int, int, Vector]]:
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
            if hi < _UNB:
                by_span.setdefault((los[k], hi), []).append(k)
        add = builtins.sum if col.prefix is not None else math.fsum
        memo = [
            (lo, hi, (len(ks), *[add([c[k] for k in ks]) for c in col.comps]))
            for (lo, hi), ks in sorted(by_span.items())
        ]
        col.memo[key] = memo
    return cast(list[tuple[int, int, Vector]], memo)


# ---- the aggregation engine ------------------------------------------------------------------


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while results are built.

    A result with many keys allocates hundreds of thousands of tuples that all survive; each
    allocation burst triggers collections that scan the whole heap, which (with a large
    timeline in memory) cost several times the aggregation itself. Nothing built here forms
    reference cycles, so pausing is safe; the previous state is restored on exit."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _range(tl: EventColumns, unit: Unit, start: object, end: object) -> tuple[int, int] | None:
    """Bucket index range [k0, k1] from start/end, else from the data (None: no dated event)."""
    los = tl.lo_days()
    if start is not None:
        k0 = Period.coerce(start, unit).index
    else:
        z = bisect_right(los, -_UNB)
        if z >= len(los):
            return None
        k0 = index_of(los[z], unit)
    if end is not None:
        k1 = Period.coerce(end, unit, side="hi").index
    else:
        if not len(los) or los[-1] <= -_UNB:
            return None
        last = los[-1]
        wide_max = _max_finite_hi(tl)
        k1 = index_of(last if wide_max is None else builtins.max(last, wide_max), unit)
    return k0, k1


def _max_finite_hi(tl: EventColumns) -> int | None:
    cache = _cache(tl)
    if "max_finite_hi" not in cache:
        los, his = tl.lo_days(), tl.hi_days()
        m = None
        for k in compress(range(len(los)), map(ne, his, los)):
            h = his[k]
            if h < _UNB and (m is None or h > m):
                m = h
        cache["max_finite_hi"] = m
    return cast("int | None", cache["max_finite_hi"])


def _unplaced_positions(
    tl: T, grouping: _Grouping, unit: Unit | None, policy: Policy, values: _Values | None
) -> Callable[[], T]:
    def build() -> T:
        los, his = tl.lo_days(), tl.hi_days()
        out: set[int] = set(grouping.unkeyed)
        if unit is not None:
            z = bisect_right(los, -_UNB)
            out.update(range(z))
            if policy != "earliest" and len(los):
                whole = _grouping(tl, []).groups[()]
                for k in _complex(whole, unit):
                    if policy == "contained" or his[k] >= _UNB:
                        out.add(k)
        if values is not None:
            vs = values.values
            out = {p for p in out if vs[p] is not None}
        return tl.take(sorted(out))

    return build


def _quantity(
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
    return _trusted_quantity(value, unit, low, high, approximate)


_set = object.__setattr__
_new = object.__new__


def _trusted_quantity(
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
    op: str, w: _Weight, values: _Values | None, spread: bool
) -> Callable[[Vector | None], Any]:
    unit = values.unit if values is not None and values.unit is not None else "count"
    exact = values is not None and values.exact

    def quantity(v: Vector, scale: float) -> Quantity:
        if exact:
            return _trusted_quantity(v[1] * scale if scale != 1 else v[1], unit, None, None, False)
        _, val, vmiss, low, up, umiss, approx, implicit = v
        if scale != 1:
            val, low, up = val * scale, low * scale, up * scale
        return _quantity(
            None if vmiss else val, unit, low, None if umiss else up, bool(approx), bool(implicit)
        )

    if w.kind == "count":
        zero = 0.0 if spread else 0
        return lambda v: zero if v is None else v[0]
    if w.kind == "score":
        if op == "mean":
            return lambda v: None if v is None or not v[0] else v[1] / v[0]
        return lambda v: 0.0 if v is None else float(v[1])
    if op == "mean":
        return lambda v: None if v is None or not v[0] else quantity(v, 1 / v[0])
    zero_q = _trusted_quantity(0, unit, None, None, False)
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
    tl: Timeline,
    by: By,
    w: _Weight,
    op: str,
    *,
    policy: Policy,
    fill: bool,
    start: object,
    end: object,
    name: str,
) -> Series[Any, Any]:
    policy = _check_policy(policy)
    dims = _parse_by(by)
    with _no_gc():
        return _sumlike_impl(tl, dims, w, op, policy, fill, start, end, name)


def _sumlike_impl(
    tl: Timeline,
    dims: list[_Dim],
    w: _Weight,
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
    grouping = _grouping(tl, kdims)
    values = _values(tl, w)
    finalize = _finalizer(op, w, values, policy == "spread" and unit is not None)
    missing = 0 if values is None else len(tl) - values.n_present
    results: dict[tuple[Any, ...], dict[int | None, Vector]] = {}  # group key -> bucket -> v
    k_range = None
    if unit is not None:
        k_range = _range(tl, unit, start, end)
    for gkey, g in grouping.groups.items():
        sub, col = _weighted(g, values, w.cache_id)
        if not len(sub.pos):
            continue
        if unit is None:
            results[gkey] = {None: col.total(0, len(sub.pos))}
        elif k_range is not None:
            totals = _bucket_totals(sub, col, unit, policy, *k_range)
            if totals:
                results[gkey] = cast(dict[int | None, Vector], totals)
    data = _arrange(results, grouping, dims, tpos, finalize, fill, k_range, start, end)
    return Series(
        data,
        name=name,
        key_names=tuple(d.name for d in dims),
        policy=policy if unit is not None else None,
        unplaced=_unplaced_positions(tl, grouping, unit, policy, values),
        missing=missing,
        unit=values.unit if values is not None else None,
    )


def _arrange(
    results: dict[tuple[Any, ...], dict[int | None, Vector]],
    grouping: _Grouping,
    dims: list[_Dim],
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
    periods = cast(dict[Any, Period], _PERIODS)

    def key_of(g: tuple[Any, ...], k: int | None) -> Any:
        if tpos is None:
            return g[0] if len(g) == 1 else g
        p = periods.get((unit, k)) or _period(cast(Unit, unit), cast(int, k))
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


def count(
    tl: Timeline,
    by: By = "month",
    *,
    policy: Policy = "contained",
    fill: bool = False,
    start: object = None,
    end: object = None,
) -> Series[Any, float]:
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
    return _sumlike(
        tl,
        by,
        _Weight("count"),
        "sum",
        policy=policy,
        fill=fill,
        start=start,
        end=end,
        name="count",
    )


def sum(
    tl: Timeline,
    name: str,
    by: By = "year",
    *,
    policy: Policy = "contained",
    fill: bool = False,
    start: object = None,
    end: object = None,
) -> Series[Any, Quantity]:
    """Total of quantity ``name`` per key, as :class:`Quantity` values with propagated bounds.

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
    return _sumlike(
        tl,
        by,
        _Weight("quantity", _check_name(name)),
        "sum",
        policy=policy,
        fill=fill,
        start=start,
        end=end,
        name=f"sum of {name}",
    )


def mean(
    tl: Timeline,
    name: str,
    by: By = "year",
    *,
    policy: Policy = "contained",
    fill: bool = False,
    start: object = None,
    end: object = None,
) -> Series[Any, Quantity | None]:
    """Mean of quantity ``name`` per key over the events that carry it (weighted under
    ``spread``); ``None`` for an empty, filled bucket.

    >>> from relations import Event, Quantity, timeline
    >>> tl = timeline.of(
    ...     Event("2024-01", "military.deployment", ["PRK", "RUS"], "a", quantities={"soldiers": 1000}),
    ...     Event("2024-03", "military.deployment", ["PRK", "RUS"], "b", quantities={"soldiers": 3000}))
    >>> str(mean(tl, "soldiers")[Period.parse("2024")])
    '2 000 count'
    """
    return _sumlike(
        tl,
        by,
        _Weight("quantity", _check_name(name)),
        "mean",
        policy=policy,
        fill=fill,
        start=start,
        end=end,
        name=f"mean of {name}",
    )


def score_sum(
    tl: Timeline,
    by: By = "month",
    *,
    scale: Scale | None = None,
    policy: Policy = "contained",
    fill: bool = False,
    start: object = None,
    end: object = None,
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
    return _sumlike(
        tl,
        by,
        _Weight("score", scale=scale),
        "sum",
        policy=policy,
        fill=fill,
        start=start,
        end=end,
        name="score sum",
    )


def score_mean(
    tl: Timeline,
    by: By = "month",
    *,
    scale: Scale | None = None,
    policy: Policy = "contained",
    fill: bool = False,
    start: object = None,
    end: object = None,
) -> Series[Any, float | None]:
    """Mean kind score per key over the events whose kind has a score (see :func:`score_sum`).

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"),
    ...                  Event("2024-06-20", "un.veto", ["RUS", "UN"], "Veto"))
    >>> score_mean(tl, "year").to_dict()
    {Period('2024'): 0.5}
    """
    return _sumlike(
        tl,
        by,
        _Weight("score", scale=scale),
        "mean",
        policy=policy,
        fill=fill,
        start=start,
        end=end,
        name="score mean",
    )


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name:
        raise InvalidArgument(f"quantity name must be non-empty text, not {name!r}")
    return name


# ---- one-pass aggregations: min, max, group_by ----------------------------------------------


def _each(
    tl: EventColumns, dims: list[_Dim], policy: Policy
) -> tuple[dict[tuple[Any, ...], list[int]], list[int], Unit | None, int | None]:
    """Positions per full key (key-dim values with the bucket index inserted), in one pass."""
    tpos = next((i for i, d in enumerate(dims) if d.unit is not None), None)
    unit = dims[tpos].unit if tpos is not None else None
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
        places = _placements(los[p], his[p], unit, policy)
        if places is None:
            unplaced.append(p)
            continue
        for c in combos:
            for b, _ in places:
                key = (*c[: cast(int, tpos)], b, *c[cast(int, tpos) :])
                lst = out.setdefault(key, [])
                if not lst or lst[-1] != p:
                    lst.append(p)
    return out, unplaced, unit, tpos


def _assemble(
    groups: dict[tuple[Any, ...], Any], unit: Unit | None, tpos: int | None
) -> dict[Any, Any]:
    def real(key: tuple[Any, ...]) -> tuple[Any, ...]:
        if tpos is None:
            return key
        k = list(key)
        k[tpos] = _period(cast(Unit, unit), k[tpos])
        return tuple(k)

    items = sorted(((real(k), v) for k, v in groups.items()), key=lambda kv: key_order(kv[0]))
    return {(k[0] if len(k) == 1 else k): v for k, v in items}


def _extreme(
    tl: Timeline,
    name: str,
    by: By,
    policy: Policy,
    fill: bool,
    start: object,
    end: object,
    largest: bool,
) -> Series[Any, Quantity | None]:
    policy = _check_policy(policy)
    if policy == "spread":
        raise InvalidArgument(
            f"policy 'spread' splits weights and does not apply to {'max' if largest else 'min'}"
            f"; use 'overlap', 'contained' or 'earliest'"
        )
    dims = _parse_by(by)
    values = cast(_Values, _values(tl, _Weight("quantity", _check_name(name))))
    vs = values.values
    groups, unplaced, unit, tpos = _each(tl, dims, policy)
    pick = builtins.max if largest else builtins.min
    result: dict[tuple[Any, ...], Quantity] = {}
    for key, pos in groups.items():
        qs = [vs[p] for p in pos if vs[p] is not None]
        if not qs:
            continue
        uppers = [q.upper for q in qs]
        if largest:
            upper = None if None in uppers else pick(cast(list[float], uppers))
        else:
            finite = [u for u in uppers if u is not None]
            upper = pick(finite) if finite else None
        vals = [q.value for q in qs]
        value = None if None in vals else pick(cast(list[float], vals))
        lower = pick(q.lower for q in qs)
        approx = any(q.approximate for q in qs)
        implicit = any(q.low is None for q in qs)
        result[key] = _quantity(value, qs[0].unit, lower, upper, approx, implicit)
    data = _assemble(_restrict(result, unit, tpos, start, end), unit, tpos)
    if fill:
        data = _filled(data, dims, unit, tpos, start, end, None)
    return Series(
        data,
        name=f"{'max' if largest else 'min'} of {name}",
        key_names=tuple(d.name for d in dims),
        policy=policy if unit is not None else None,
        unplaced=lambda: tl.take([p for p in unplaced if vs[p] is not None]),
        missing=len(vs) - values.n_present,
        unit=values.unit,
    )


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
    dims: list[_Dim],
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


def min(
    tl: Timeline,
    name: str,
    by: By = "year",
    *,
    policy: Policy = "contained",
    fill: bool = False,
    start: object = None,
    end: object = None,
) -> Series[Any, Quantity | None]:
    """Smallest amount of quantity ``name`` per key, with honest bounds.

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
    """
    return _extreme(tl, name, by, policy, fill, start, end, largest=False)


def max(
    tl: Timeline,
    name: str,
    by: By = "year",
    *,
    policy: Policy = "contained",
    fill: bool = False,
    start: object = None,
    end: object = None,
) -> Series[Any, Quantity | None]:
    """Largest amount of quantity ``name`` per key, with honest bounds (see :func:`min`).

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024", "trade.volume", ["RUS", "PRK"], "t", quantities={"usd": 5}))
    >>> max(tl, "usd").to_dict()
    {Period('2024'): Quantity(5, 'count')}
    """
    return _extreme(tl, name, by, policy, fill, start, end, largest=True)


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
    policy = _check_policy(policy)
    if policy == "spread":
        raise InvalidArgument(
            "policy 'spread' splits weights and does not apply to group_by; use 'overlap'"
        )
    dims = _parse_by(by)
    if not any(d.unit is not None for d in dims):
        grouping = _grouping(tl, dims)
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


def _occurrence(tl: Timeline, kind: str | None, by: By, last: bool) -> Series[Any, Event]:
    dims = _parse_by(by)
    if any(d.unit is not None for d in dims):
        raise InvalidArgument(
            f"by={by!r}: first/last occurrence is per actor, dyad or other key, not per period"
        )
    fns = [cast(Callable[["Event"], Sequence[Any]], d.keys) for d in dims]
    found: dict[tuple[Any, ...], Event] = {}
    events = tl.ordered_events()
    order: Iterable[Event] = reversed(events) if last else events
    for e in order:
        if kind is not None and not is_within(e.kind, kind):
            continue
        for c in product(*(fn(e) for fn in fns)):
            if c not in found:
                found[c] = e
    data = {
        (k[0] if len(k) == 1 else k): v
        for k, v in sorted(found.items(), key=lambda kv: key_order(kv[0]))
    }
    what = f"{'last' if last else 'first'} {kind or 'event'}"
    return Series(data, name=what, key_names=tuple(d.name for d in dims))


def first_occurrence(
    tl: Timeline, kind: str | None = None, *, by: By = "actor"
) -> Series[Any, Event]:
    """The first event (of ``kind`` or below it, if given) per actor, dyad or other key.

    "First" is timeline order: earliest possible day, then latest possible day, then id; so
    an event known only to the year comes before one on 2 January of that year.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2023-09-13", "diplomacy.summit", ["RUS", "PRK"], "Vostochny"),
    ...                  Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Pyongyang"))
    >>> first_occurrence(tl, "diplomacy", by="dyad")[("PRK", "RUS")].title
    'Vostochny'
    """
    return _occurrence(tl, kind, by, last=False)


def last_occurrence(
    tl: Timeline, kind: str | None = None, *, by: By = "actor"
) -> Series[Any, Event]:
    """The last event (of ``kind`` or below it) per key, in timeline order.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2023-09-13", "diplomacy.summit", ["RUS", "PRK"], "Vostochny"),
    ...                  Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Pyongyang"))
    >>> last_occurrence(tl, by="actor")["RUS"].title
    'Pyongyang'
    """
    return _occurrence(tl, kind, by, last=True)


def time_between(
    tl: Timeline, kind: str | None = None, *, by: By | None = None
) -> Series[Any, TimeBetween]:
    """Time between consecutive events (of ``kind``), per actor, dyad or other key.

    :meth:`Timeline.intervals <relations.timeline.Timeline.intervals>` per key: each value is
    a :class:`TimeBetween` with the least and most days from the end of one
    event to the start of the next (as :meth:`When.gap <relations.When.gap>` counts them:
    negative when they may overlap, ``None`` where an open end leaves it unbounded). Keys are
    ``(first_id, second_id)``, prefixed by the key when ``by`` is given, so
    ``result.split(0)`` gives one series per key. One O(n) pass.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "a", id="a"),
    ...                  Event("2024-06-29", "un.veto", ["RUS", "UN"], "b", id="b"),
    ...                  Event("2024-08", "diplomacy.visit", ["RUS", "PRK"], "c", id="c"))
    >>> [(i.least, i.most) for i in time_between(tl).values()]
    [(10, 10), (33, 63)]
    >>> list(time_between(tl, "diplomacy", by="dyad"))
    [(('PRK', 'RUS'), 'a', 'c')]
    """
    dims = _parse_by(by) if by is not None else []
    if any(d.unit is not None for d in dims):
        raise InvalidArgument(
            f"by={by!r}: time between events is per actor, dyad or other key, not per period"
        )
    fns = [cast(Callable[["Event"], Sequence[Any]], d.keys) for d in dims]
    prev: dict[tuple[Any, ...], Event] = {}
    out: dict[tuple[Any, ...], TimeBetween] = {}
    for e in tl.ordered_events():
        if kind is not None and not is_within(e.kind, kind):
            continue
        for c in product(*(fn(e) for fn in fns)):
            a = prev.get(c)
            prev[c] = e
            if a is not None:
                least, most = a.when.gap(e.when)
                out[(*c, a.id, e.id)] = TimeBetween(a.id, e.id, least, most)
    items = (
        sorted(out.items(), key=lambda kv: key_order(kv[0][: len(dims)])) if dims else out.items()
    )
    return Series(
        items,
        name="days between",
        key_names=(*(d.name for d in dims), "first", "second"),
        unit="days",
    )


def dedupe(
    tl: Timeline, rule: Literal["one_a_day"] | Callable[[Event], Hashable] = "one_a_day"
) -> Timeline:
    """The timeline without duplicates, keeping the first event (in timeline order) of each.

    ``rule="one_a_day"`` (the event-data "one-a-day filter") treats events as duplicates when
    they have the same date (the same When), kind and actors (source and target for directed
    events; the same set of actors otherwise). A function ``Event -> key`` defines your own.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit", id="a"),
    ...                  Event("2024-06-19", "diplomacy.summit", ["PRK", "RUS"], "Summit!", id="b"),
    ...                  Event("2024-06-20", "diplomacy.summit", ["RUS", "PRK"], "Summit", id="c"))
    >>> [e.id for e in dedupe(tl)]
    ['a', 'c']
    """
    if rule == "one_a_day":
        keyfn: Callable[[Event], Hashable] = _one_a_day
    elif callable(rule):
        keyfn = rule
    else:
        raise InvalidArgument(f"dedupe rule {rule!r}: expected 'one_a_day' or a function")
    seen: set[Hashable] = set()
    keep: list[int] = []
    for p, e in enumerate(tl.ordered_events()):
        k = keyfn(e)
        if k not in seen:
            seen.add(k)
            keep.append(p)
    if len(keep) == len(tl):
        return tl
    return tl.take(keep)


def _one_a_day(e: Event) -> Hashable:
    actors = e.actors if e.directed else tuple(sorted(e.actors))
    return (e.when, e.kind, actors, e.directed)
