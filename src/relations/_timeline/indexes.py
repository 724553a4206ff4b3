"""Index structures behind the timeline engine (:mod:`relations._timeline.engine`).

A timeline is a sorted tuple of events plus parallel ``array('q')`` columns of earliest (``lo``)
and latest (``hi``) day ordinals. Everything here works on *positions* in that order, so every
result comes out in timeline order without sorting:

- **postings**: an inverted index ``key -> array('q')`` of ascending positions, built in one
  pass over the events for one field (actors, dyads, kind prefixes, tags, ...);
- **spans**: what a range query needs to find imprecise and long events without a full scan:
  ``short_max`` (the longest extent, ``hi - lo``, of a *short* event: at most :data:`LONG_DAYS`),
  ``wide`` (positions of every event with ``hi > lo``), ``groups`` (the positions, and their
  ``lo``, of the short events of each of the most common extents: months, years, quarters), ``misc`` (the
  other short wide events, longest ``misc_max``), ``long`` (positions of events longer than
  :data:`LONG_DAYS`, open-ended ones included) and the long events sorted by ``hi``. Within
  one extent group, ``hi = lo + d`` exactly, so the events of a group that cross a range's
  edge are one bisection, not a scan;
- **runs**: how a timeline that is a few contiguous stretches of another one (the result of a
  range query or a slice) maps onto that *root*, so it can use the root's indexes instead of
  building its own.

>>> p = postings_by(["ab", "b", "ca"], lambda s: s)
>>> {k: list(v) for k, v in p.items()}
{'a': [0, 2], 'b': [0, 1], 'c': [2]}
>>> list(intersect(array("q", [1, 3, 5, 7]), array("q", [3, 4, 5])))
[3, 5]
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import chain, compress, repeat
from operator import add, ge, gt, itemgetter
from typing import Any, TypeVar, Union

import attrs
import numpy as np

__all__ = [
    "LONG_DAYS",
    "MAX_GROUPS",
    "MAX_RUNS",
    "PER_KEY_MAX",
    "PER_KEY_MIN",
    "Column",
    "Mapped",
    "SHARE_RATIO",
    "Runs",
    "Spans",
    "intersect",
    "locate",
    "postings_by",
    "restrict",
    "union",
]

T = TypeVar("T")

#: An event whose extent (``hi - lo``, in days) exceeds this is *long*: a war, a treaty in
#: force, an open-ended deployment, a decade. Year-precision points (365 days) are short.
LONG_DAYS = 366
#: Short imprecise events of the ``MAX_GROUPS`` most common extents (month lengths, years,
#: quarters, ...) are grouped by extent in :class:`Spans`; the rest are checked one by one.
MAX_GROUPS = 8
#: A derived timeline made of more contiguous stretches of its root than this builds its own
#: indexes instead of mapping the root's.
MAX_RUNS = 64
#: A derived timeline uses its root's index (building it if needed) when
#: ``len(derived) * SHARE_RATIO >= len(root)`` or when the root has already built that index;
#: a much smaller derived timeline builds its own (cheaper than indexing the whole root).
SHARE_RATIO = 32

#: A root held as columns with at least this many events looks up the keys a query asks
#: for one at a time (array operations over its codes, O(n) each), instead of building a
#: whole index (every key's list) for the first question.
PER_KEY_MIN = 65_536
#: ... until this many keys of one index have been looked up: then it builds the whole index.
PER_KEY_MAX = 16

_EMPTY: array[int] = array("q")

Column = Union[Sequence[int], "Mapped"]
"""A ``lo``/``hi`` column: an array, or a :class:`Mapped` view of a root's."""


def positions(values: Iterable[int]) -> array[int]:
    """An ``array('q')`` of positions.

    >>> positions(range(3))
    array('q', [0, 1, 2])
    """
    return array("q", values)


def postings_by(
    items: Sequence[T], keys_of: Callable[[T], Iterable[Hashable]]
) -> dict[Hashable, array[int]]:
    """Inverted index: each key of each item -> ascending positions of the items having it.

    A key listed twice for one item is indexed once. One pass, O(total keys).

    >>> {k: list(v) for k, v in postings_by(["aa", "b"], lambda s: s).items()}
    {'a': [0], 'b': [1]}
    """
    lists: dict[Hashable, list[int]] = {}
    get = lists.get
    for i, item in enumerate(items):
        for k in keys_of(item):
            lst = get(k)
            if lst is None:
                lists[k] = [i]
            elif lst[-1] != i:
                lst.append(i)
    return {k: array("q", v) for k, v in lists.items()}


def intersect(a: Sequence[int], b: Sequence[int]) -> array[int]:
    """Ascending positions in both ascending sequences.

    O(m log n) by binary search of the smaller in the larger when they differ a lot, else
    O(m + n) with a set.

    >>> list(intersect(array("q", [2, 4, 6]), array("q", [1, 2, 3, 4])))
    [2, 4]
    """
    if len(a) > len(b):
        a, b = b, a
    m, n = len(a), len(b)
    if m == 0:
        return array("q")
    if m * max(n.bit_length(), 1) < n:
        out = array("q")
        lo = 0
        for x in a:
            lo = bisect_left(b, x, lo)
            if lo == n:
                break
            if b[lo] == x:
                out.append(x)
        return out
    inb = set(b)
    return array("q", [x for x in a if x in inb])


def union(lists: Sequence[Sequence[int]]) -> array[int]:
    """Ascending positions in any of the ascending sequences (each position once).

    O(m log k) for m positions in k lists (Timsort merges the sorted runs).

    >>> list(union([array("q", [1, 5]), array("q", [2, 5, 9])]))
    [1, 2, 5, 9]
    """
    present = [x for x in lists if len(x)]
    if not present:
        return array("q")
    if len(present) == 1:
        return array("q", present[0])
    merged = sorted(set().union(*present))
    return array("q", merged)


def runs_of(sorted_positions: Iterable[int]) -> list[tuple[int, int]]:
    """Half-open runs ``[start, stop)`` of consecutive positions.

    >>> runs_of([1, 2, 3, 7, 9, 10])
    [(1, 4), (7, 8), (9, 11)]
    """
    runs: list[tuple[int, int]] = []
    start = stop = -1
    for p in sorted_positions:
        if p == stop:
            stop += 1
        else:
            if stop > start:
                runs.append((start, stop))
            start, stop = p, p + 1
    if stop > start:
        runs.append((start, stop))
    return runs


def range_minus(i: int, j: int, excluded: Sequence[int]) -> list[tuple[int, int]]:
    """Runs covering ``[i, j)`` without the ascending positions ``excluded`` (all inside it).

    >>> range_minus(0, 10, [0, 4, 5, 9])
    [(1, 4), (6, 9)]
    """
    runs: list[tuple[int, int]] = []
    start = i
    for p in excluded:
        if p > start:
            runs.append((start, p))
        start = p + 1
    if j > start:
        runs.append((start, j))
    return runs


class Runs:
    """Where a derived timeline's positions lie in its root: ascending, disjoint runs.

    Local position ``offsets[k] + d`` is root position ``starts[k] + d`` for
    ``0 <= d < stops[k] - starts[k]``.

    >>> r = Runs.from_local([(2, 5), (8, 9)])
    >>> r.starts, r.stops, r.offsets, len(r), r.to_local(8), r.to_local(6)
    ([2, 8], [5, 9], [0, 3], 4, 3, None)
    """

    __slots__ = ("offsets", "starts", "stops")

    def __init__(self, starts: list[int], stops: list[int], offsets: list[int]) -> None:
        self.starts = starts
        self.stops = stops
        self.offsets = offsets

    @classmethod
    def from_local(cls, runs: Iterable[tuple[int, int]]) -> Runs:
        """Runs of a timeline whose root is the timeline the ``runs`` refer to.

        >>> Runs.from_local([(0, 2)]).offsets
        [0]
        """
        starts: list[int] = []
        stops: list[int] = []
        offsets: list[int] = []
        total = 0
        for s, e in runs:
            if e <= s:
                continue
            if stops and stops[-1] == s:  # adjacent: merge
                stops[-1] = e
            else:
                starts.append(s)
                stops.append(e)
                offsets.append(total)
            total += e - s
        return cls(starts, stops, offsets)

    def __len__(self) -> int:
        return (self.offsets[-1] + self.stops[-1] - self.starts[-1]) if self.starts else 0

    @property
    def count(self) -> int:
        """Number of runs.

        >>> Runs.from_local([(0, 1), (1, 2), (5, 6)]).count
        2
        """
        return len(self.starts)

    def compose(self, local: Iterable[tuple[int, int]]) -> Runs:
        """Root runs of the local runs ``local`` (half-open, ascending) of this mapping.

        >>> r = Runs.from_local([(10, 13), (20, 23)])  # local 0..2 -> 10..12, 3..5 -> 20..22
        >>> c = r.compose([(1, 5)])
        >>> c.starts, c.stops, c.offsets
        ([11, 20], [13, 22], [0, 2])
        """
        pieces: list[tuple[int, int]] = []
        offsets, starts, stops = self.offsets, self.starts, self.stops
        for s, e in local:
            k = bisect_right(offsets, s) - 1
            while s < e and k < len(starts):
                off = offsets[k]
                length = stops[k] - starts[k]
                a = max(s, off)
                b = min(e, off + length)
                if a < b:
                    pieces.append((starts[k] + a - off, starts[k] + b - off))
                s = b if b > s else s
                k += 1
        return Runs.from_local(pieces)

    def clip(self, a: int, b: int) -> Runs:
        """The part of this mapping that covers local positions ``[a, b)``.

        >>> c = Runs.from_local([(10, 13), (20, 23)]).clip(2, 4)
        >>> c.starts, c.stops, c.offsets
        ([12, 20], [13, 21], [2, 3])
        """
        starts: list[int] = []
        stops: list[int] = []
        offsets: list[int] = []
        k = max(bisect_right(self.offsets, a) - 1, 0)
        while k < len(self.starts):
            off = self.offsets[k]
            if off >= b:
                break
            length = self.stops[k] - self.starts[k]
            lo = max(a, off)
            hi = min(b, off + length)
            if lo < hi:
                starts.append(self.starts[k] + lo - off)
                stops.append(self.starts[k] + hi - off)
                offsets.append(lo)
            k += 1
        return Runs(starts, stops, offsets)

    def to_root(self, local: Sequence[int]) -> array[int]:
        """Root positions of ascending local positions (all covered by this mapping).

        >>> list(Runs.from_local([(10, 13), (20, 23)]).to_root([0, 2, 3, 5]))
        [10, 12, 20, 22]
        """
        runs = zip(self.starts, self.stops, self.offsets, strict=True)
        return _moved(local, ((off, off + stop - start, start - off) for start, stop, off in runs))

    def root_position(self, local: int) -> int:
        """The root position of one local position (``0 <= local < len(self)``).

        >>> Runs.from_local([(10, 13), (20, 23)]).root_position(4)
        21
        """
        k = bisect_right(self.offsets, local) - 1
        return self.starts[k] + local - self.offsets[k]

    def gather(self, items: Sequence[T]) -> tuple[T, ...]:
        """The root ``items`` this mapping covers, in order (C-level slice copies).

        >>> Runs.from_local([(1, 3), (4, 5)]).gather("abcdef")
        ('b', 'c', 'e')
        """
        if len(self.starts) == 1:
            return tuple(items[self.starts[0] : self.stops[0]])
        acc: list[T] = []
        for s, e in zip(self.starts, self.stops, strict=True):
            acc.extend(items[s:e])
        return tuple(acc)

    def to_local(self, root_position: int) -> int | None:
        """The local position of a root position, or None if this mapping does not cover it.

        >>> Runs.from_local([(4, 6)]).to_local(5), Runs.from_local([(4, 6)]).to_local(6)
        (1, None)
        """
        k = bisect_right(self.starts, root_position) - 1
        if k < 0 or root_position >= self.stops[k]:
            return None
        return self.offsets[k] + root_position - self.starts[k]


def restrict(root_postings: Sequence[int], runs: Runs) -> array[int]:
    """Local positions of the ascending root positions ``root_postings`` that ``runs`` covers.

    O(r log m + output) for r runs and m postings; the copying is done in C.

    >>> list(restrict(array("q", [1, 11, 12, 21, 30]), Runs.from_local([(10, 13), (20, 23)])))
    [1, 2, 4]
    """
    spans = zip(runs.starts, runs.stops, runs.offsets, strict=True)
    return _moved(root_postings, ((start, stop, off - start) for start, stop, off in spans))


def _moved(positions: Sequence[int], ranges: Iterable[tuple[int, int, int]]) -> array[int]:
    """The ascending ``positions`` inside the ascending, disjoint ranges ``(lo, hi, shift)``
    (``lo <= p < hi``), each plus its range's ``shift``; the copying is done in C."""
    out = array("q")
    n = len(positions)
    i = 0
    for lo, hi, shift in ranges:
        i = bisect_left(positions, lo, i, n)
        j = bisect_left(positions, hi, i, n)
        if j > i:
            if shift:
                out.extend(map(add, positions[i:j], repeat(shift, j - i)))
            else:
                out.extend(positions[i:j])
        i = j
    return out


def where_above(positions: Sequence[int], values: Column, bound: int) -> list[int]:
    """The ``positions`` whose ``values[p] > bound`` (in order; the loop runs in C).

    >>> where_above([0, 2, 3], [5, 0, 7, 1], 4)
    [0, 2]
    """
    return _where(positions, values, bound, gt)


def where_at_least(positions: Sequence[int], values: Column, bound: int) -> list[int]:
    """The ``positions`` whose ``values[p] >= bound`` (in order; the loop runs in C).

    >>> where_at_least([0, 2, 3], [5, 0, 7, 1], 7)
    [2]
    """
    return _where(positions, values, bound, ge)


def _where(
    positions: Sequence[int], values: Column, bound: int, op: Callable[[int, int], bool]
) -> list[int]:
    n = len(positions)
    if n == 0:
        return []
    if n == 1:
        p = positions[0]
        return [p] if op(values[p], bound) else []
    picked = itemgetter(*positions)(values)
    return list(compress(positions, map(op, picked, repeat(bound, n))))


def locate(root_postings: Sequence[int], root_positions: Sequence[int]) -> array[int]:
    """Local positions ``i`` with ``root_positions[i]`` in ``root_postings`` (both ascending).

    How a timeline made of scattered root positions uses its root's inverted index:
    O(min(m log k, k log m, m + k)) for m postings and k positions, the bulk in C.

    >>> list(locate(array("q", [3, 5, 8, 40]), array("q", [1, 3, 8, 9])))
    [1, 2]
    """
    k = len(root_positions)
    if k == 0:
        return array("q")
    if k >= _NUMPY_MIN and isinstance(root_positions, array) and isinstance(root_postings, array):
        return _locate_np(root_postings, root_positions)
    i = bisect_left(root_postings, root_positions[0])
    j = bisect_right(root_postings, root_positions[-1], i)
    m = j - i
    out = array("q")
    if m == 0:
        return out
    if m * k.bit_length() < k:  # few postings: find each among the positions
        lo = 0
        for p in root_postings[i:j]:
            lo = bisect_left(root_positions, p, lo)
            if lo < k and root_positions[lo] == p:
                out.append(lo)
        return out
    if k * m.bit_length() < m:  # few positions: find each among the postings
        for n, r in enumerate(root_positions):
            i = bisect_left(root_postings, r, i, j)
            if i < j and root_postings[i] == r:
                out.append(n)
        return out
    wanted = set(root_postings[i:j])
    return array("q", compress(range(k), map(wanted.__contains__, root_positions)))


#: From this many positions, :func:`locate` runs with numpy (a binary search of each, in C).
_NUMPY_MIN = 4096


def _locate_np(root_postings: array[int], root_positions: array[int]) -> array[int]:
    """:func:`locate` with numpy: each position's place among the postings (one
    ``searchsorted``); the positions found there are the ones kept."""
    if not len(root_postings):
        return array("q")
    post = np.frombuffer(root_postings, dtype=np.int64)
    pos = np.frombuffer(root_positions, dtype=np.int64)
    at = np.searchsorted(post, pos)
    np.minimum(at, len(post) - 1, out=at)
    return _q(np.flatnonzero(post[at] == pos))


def between_positions(arr: Sequence[int], a: int, b: int) -> Sequence[int]:
    """The part of an ascending position array that lies in ``[a, b)``.

    >>> list(between_positions(array("q", [1, 4, 6, 9]), 2, 9))
    [4, 6]
    """
    i = bisect_left(arr, a)
    j = bisect_left(arr, b, i)
    return arr[i:j]


class Mapped:
    """A read-only view ``column[positions[i]]``: a derived timeline's ``lo``/``hi`` column
    seen through its root, so that bisection needs no copy.

    >>> v = Mapped(array("q", [10, 20, 30, 40]), array("q", [1, 3]))
    >>> len(v), v[0], v[1], bisect_left(v, 35)
    (2, 20, 40, 1)
    """

    __slots__ = ("column", "positions")

    def __init__(self, column: Sequence[int], positions: Sequence[int]) -> None:
        self.column = column
        self.positions = positions

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, i: int) -> int:
        return self.column[self.positions[i]]


@attrs.define(eq=False, weakref_slot=False)
class Spans:
    """Extent statistics that let range queries skip events that cannot match.

    Built in O(n) (the scans run in C except over ``wide`` events).

    >>> s = Spans.build(array("q", [1, 2, 3, 4, 9]), array("q", [1, 40, 3, 5000, 47]))
    >>> s.short_max, list(s.wide), list(s.long), s.long_his, s.long_pos
    (38, [1, 3, 4], [3], [5000], [3])
    >>> [(d, list(pos), list(los)) for d, pos, los in s.groups], list(s.misc), s.misc_max
    ([(38, [1, 4], [2, 9])], [], 0)
    """

    short_max: int
    wide: array[int]
    long: array[int]
    long_his: list[int]
    long_pos: list[int]
    groups: tuple[tuple[int, array[int], array[int]], ...]
    misc: array[int]
    misc_max: int

    @classmethod
    def build(cls, los: Sequence[int], his: Sequence[int]) -> Spans:
        """Compute the span statistics of parallel ``lo``/``hi`` columns.

        >>> Spans.build(array("q", [5]), array("q", [5])).short_max
        0
        """
        if isinstance(los, array) and isinstance(his, array) and len(los) > 1000:
            fast = _build_np(cls, los, his)
            if fast is not None:
                return fast
        wide = array("q", compress(range(len(los)), map(gt, his, los)))
        long = array("q")
        by_extent: dict[int, list[int]] = {}
        for p in wide:
            d = his[p] - los[p]
            if d > LONG_DAYS:
                long.append(p)
            else:
                by_extent.setdefault(d, []).append(p)
        short_max = max(by_extent, default=0)
        common = sorted(by_extent, key=lambda d: (-len(by_extent[d]), d))[:MAX_GROUPS]
        groups = tuple(
            (d, array("q", pos), array("q", map(los.__getitem__, pos)))
            for d in sorted(common)
            for pos in (by_extent.pop(d),)
        )
        misc = array("q", sorted(chain.from_iterable(by_extent.values())))
        by_hi = sorted((his[p], p) for p in long)
        return cls(
            short_max,
            wide,
            long,
            [h for h, _ in by_hi],
            [p for _, p in by_hi],
            groups,
            misc,
            max(by_extent, default=0),
        )


def _q(a: np.ndarray[Any, Any]) -> array[int]:
    out: array[int] = array("q")
    out.frombytes(a.astype(np.int64, copy=False).tobytes())
    return out


def _build_np(cls: type[Spans], los: array[int], his: array[int]) -> Spans | None:
    """:meth:`Spans.build` with array operations (None if a difference could overflow)."""
    lo = np.frombuffer(los, dtype=np.int64)
    hi = np.frombuffer(his, dtype=np.int64)
    if max(abs(int(lo.min())), abs(int(hi.max())), abs(int(lo.max())), abs(int(hi.min()))) >= 2**62:
        return None
    wide = np.flatnonzero(hi > lo)
    d = hi[wide] - lo[wide]
    is_long = d > LONG_DAYS
    long = wide[is_long]
    short, short_d = wide[~is_long], d[~is_long]
    # Short extents are 1..LONG_DAYS: counted and looked up by table, with no sort.
    counts = np.bincount(short_d, minlength=LONG_DAYS + 1)
    extents = np.flatnonzero(counts)
    ext, cnt = extents.tolist(), counts[extents].tolist()
    common = sorted(sorted(zip(ext, cnt, strict=True), key=lambda t: (-t[1], t[0]))[:MAX_GROUPS])
    chosen = [e for e, _ in common]
    groups = []
    for e in chosen:
        pos = short[short_d == e]
        groups.append((e, _q(pos), _q(lo[pos])))
    other = np.ones(LONG_DAYS + 1, dtype=bool)
    other[chosen] = False
    rest = other[short_d]
    by_hi = np.lexsort((long, hi[long]))
    return cls(
        max(ext, default=0),
        _q(wide),
        _q(long),
        hi[long][by_hi].tolist(),
        long[by_hi].tolist(),
        tuple(groups),
        _q(short[rest]),
        int(short_d[rest].max()) if rest.any() else 0,
    )
