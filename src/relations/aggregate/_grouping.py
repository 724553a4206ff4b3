"""Grouping caches: a timeline split by the key parts of ``by``, kept with the timeline."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import product
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from relations.aggregate.grammar import Dim
from relations.aggregate.protocol import EventColumns
from relations.series import key_order

if TYPE_CHECKING:
    from relations.events import Event

__all__ = ["UNB", "Group", "Grouping", "group_events", "int_array", "memo_of", "positions_of"]

UNB = 2**61  # |ordinal| at or beyond this: an open or unknown end


def memo_of(tl: EventColumns) -> dict[Any, Any]:
    return tl.memo("aggregate")


def int_array(values: Sequence[int] | np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``values`` as an ``int64`` array (a view of an ``array('q')``, else a copy)."""
    if isinstance(values, array) and values.typecode == "q":
        return np.frombuffer(values, dtype=np.int64) if len(values) else np.zeros(0, np.int64)
    if isinstance(values, range):
        return np.arange(values.start, values.stop, values.step, dtype=np.int64)
    return np.asarray(values, dtype=np.int64)


def _q(a: np.ndarray[Any, Any]) -> array[int]:
    out: array[int] = array("q")
    out.frombytes(a.astype(np.int64, copy=False).tobytes())
    return out


def positions_of(g: Group) -> np.ndarray[Any, Any]:
    """The group's positions as an ``int64`` array (kept with the group)."""
    found = g.memo.get("positions")
    if found is None:
        found = g.memo["positions"] = int_array(g.pos)
    return cast(np.ndarray[Any, Any], found)


class Group:
    """Events of one key: ascending timeline positions and their lo/hi, plus derived memos."""

    __slots__ = ("_his", "_los", "_source", "memo", "pos")

    def __init__(
        self,
        pos: Sequence[int],
        los: Sequence[int] | None,
        his: Sequence[int] | None,
        source: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None = None,
    ) -> None:
        self.pos = pos
        self._los = los
        self._his = his
        self._source = source  # the timeline's lo/hi arrays, read when los/his are first used
        self.memo: dict[Any, Any] = {}

    @property
    def los(self) -> Sequence[int]:
        """The earliest day of each of the group's events."""
        if self._los is None:
            self._los = _q(cast(tuple[Any, Any], self._source)[0][positions_of(self)])
        return self._los

    @property
    def his(self) -> Sequence[int]:
        """The latest day of each of the group's events."""
        if self._his is None:
            self._his = _q(cast(tuple[Any, Any], self._source)[1][positions_of(self)])
        return self._his

    def subset(self, keep: Sequence[int] | np.ndarray[Any, Any]) -> Group:
        """The group of the events at local indices ``keep`` (ascending)."""
        k = int_array(keep)
        pos = positions_of(self)[k]
        if self._source is not None:
            g = Group(_q(pos), None, None, self._source)
        else:
            los, his = int_array(self.los)[k], int_array(self.his)[k]
            g = Group(_q(pos), _q(los), _q(his))
        g.memo["positions"] = pos
        return g

    def first_finite(self) -> int:
        """Local index of the first event with a known start (earlier ones start unbounded)."""
        return bisect_right(self.los, -UNB)


class Grouping:
    """A timeline split by the key dimensions of ``by``."""

    __slots__ = ("groups", "ordered", "ranks", "unkeyed", "values")

    def __init__(
        self, groups: dict[tuple[Any, ...], Group], unkeyed: list[int], width: int
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


def group_events(tl: EventColumns, kdims: list[Dim]) -> Grouping:
    ids = tuple(d.cache_id for d in kdims)
    cacheable = all(i is not None for i in ids)
    cache = memo_of(tl)
    if cacheable and ("groups", ids) in cache:
        return cast(Grouping, cache[("groups", ids)])
    los, his = tl.lo_days(), tl.hi_days()
    if not kdims:
        g = Group(range(len(tl)), los, his)
        grouping = Grouping({(): g} if len(tl) else {}, [], 0)
    elif cacheable:
        grouping = _group_columns(tl, [cast(str, i) for i in ids], los, his)
    else:
        grouping = _group_events(tl, kdims, los, his)
    if cacheable:
        cache[("groups", ids)] = grouping
    return grouping


def _group_columns(
    tl: EventColumns, names: list[str], los: Sequence[int], his: Sequence[int]
) -> Grouping:
    """The grouping by named keys, from the timeline's key columns: rows are grouped by their
    combination of key codes (array operations); each combination's keys then take its rows."""
    cols = [tl.key_column(n) for n in names]
    codes = cols[0].codes
    combos: list[tuple[int, ...]] = [(c,) for c in range(len(cols[0].keys))]
    for kc in cols[1:]:
        m = len(kc.keys)
        uniq, inverse = np.unique(codes * m + kc.codes, return_inverse=True)
        codes = inverse.astype(np.int64, copy=False).reshape(-1)
        combos = [(*combos[u // m], u % m) for u in uniq.tolist()]
    n = len(combos)
    small = codes.astype(np.uint8 if n <= 2**8 else np.uint16) if n <= 2**16 else codes
    order = np.argsort(small, kind="stable")  # 8/16-bit: a radix sort
    bounds = np.searchsorted(codes[order], np.arange(len(combos) + 1)).tolist()
    parts: dict[tuple[Any, ...], list[np.ndarray[Any, Any]]] = {}
    unkeyed: list[np.ndarray[Any, Any]] = []
    for c, combo in enumerate(combos):
        a, b = bounds[c], bounds[c + 1]
        if a == b:
            continue
        where = order[a:b]
        keysets = [cols[d].keys[k] for d, k in enumerate(combo)]
        keys = [(k,) for k in keysets[0]] if len(keysets) == 1 else list(product(*keysets))
        if not keys:
            unkeyed.append(where)
        for key in keys:
            parts.setdefault(key, []).append(where)
    lo_a, hi_a = int_array(los), int_array(his)
    groups = {}
    for key, ps in parts.items():
        pos = ps[0] if len(ps) == 1 else np.sort(np.concatenate(ps))
        # array('q') columns (8 bytes an entry, where a list of ints costs about 36); the
        # lo/hi columns are gathered when first used (an `earliest` count never reads his)
        g = Group(_q(pos), None, None, (lo_a, hi_a))
        g.memo["positions"] = pos
        groups[key] = g
    missing = np.sort(np.concatenate(unkeyed)).tolist() if unkeyed else []
    return Grouping(groups, missing, len(names))


def _group_events(
    tl: EventColumns, kdims: list[Dim], los: Sequence[int], his: Sequence[int]
) -> Grouping:
    """The grouping by key functions of the events (a function given in ``by``)."""
    events = tl.ordered_events()
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
        key: Group(pos, [los[p] for p in pos], [his[p] for p in pos]) for key, pos in lists.items()
    }
    return Grouping(groups, unkeyed, len(kdims))


# ---- weights: what each event contributes --------------------------------------------------
