"""Grouping caches: a timeline split by the key parts of ``by``, kept with the timeline."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import product
from typing import TYPE_CHECKING, Any, cast

from relations.aggregate.grammar import Dim
from relations.aggregate.protocol import EventColumns
from relations.series import key_order

if TYPE_CHECKING:
    from relations.events import Event

__all__ = ["UNB", "Group", "Grouping", "group_events", "memo_of"]

UNB = 2**61  # |ordinal| at or beyond this: an open or unknown end


def memo_of(tl: EventColumns) -> dict[Any, Any]:
    return tl.memo("aggregate")


class Group:
    """Events of one key: ascending timeline positions and their lo/hi, plus derived memos."""

    __slots__ = ("his", "los", "memo", "pos")

    def __init__(self, pos: Sequence[int], los: Sequence[int], his: Sequence[int]) -> None:
        self.pos = pos
        self.los = los
        self.his = his
        self.memo: dict[Any, Any] = {}

    def subset(self, keep: Sequence[int]) -> Group:
        """The group of the events at local indices ``keep`` (ascending)."""
        pos, los, his = self.pos, self.los, self.his
        return Group([pos[k] for k in keep], [los[k] for k in keep], [his[k] for k in keep])

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
    events, los, his = tl.ordered_events(), tl.lo_days(), tl.hi_days()
    if not kdims:
        g = Group(range(len(events)), los, his)
        grouping = Grouping({(): g} if len(events) else {}, [], 0)
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
            key: Group(pos, [los[p] for p in pos], [his[p] for p in pos])
            for key, pos in lists.items()
        }
        grouping = Grouping(groups, unkeyed, len(kdims))
    if cacheable:
        cache[("groups", ids)] = grouping
    return grouping


# ---- weights: what each event contributes --------------------------------------------------
