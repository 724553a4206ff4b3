"""The timeline engine: events in order, day columns, derived views and lazy indexes.

:class:`Engine` is the base class of :class:`~relations.timeline.Timeline`: everything about
*how* a timeline stores and finds its events, and nothing about what its queries mean. The
public class talks to it through a narrow set of methods:

- building: ``_init``/``_make``/``_from_sorted`` (trusted: events unique and in order) and
  :func:`day_columns`;
- reading: ``_events``, ``_los``/``_his`` (the ``lo``/``hi`` day columns), ``__len__``,
  ``_at`` (one event), :meth:`~Engine.ids`, ``_ids`` (id → position), ``_prefix_max``;
- deriving: ``_take`` (positions), ``_take_runs`` (runs), ``_take_positions``, ``_empty``;
- indexes (by a name of :mod:`relations.keys`): ``_postings``, ``_any_of``, ``_sub``,
  ``_select``;
- time ranges: ``_window``, ``_overlapping``, ``_bounded``, ``_count_range_query``;
- memos: ``_memo`` (a value computed once per timeline), ``_built_index``.

Aggregation reads an engine through the Protocol :class:`relations.aggregate.EventColumns`:
:meth:`~Engine.ordered_events`, :meth:`~Engine.lo_days`, :meth:`~Engine.hi_days`,
:meth:`~Engine.memo` and :meth:`~Engine.take`.

A timeline either holds its events (a *root*), or is derived from a root and knows where its
events lie in it: as a few contiguous runs (``_runs``; from range queries and slices) or as
ascending root positions (``_rpos``; from index lookups). A derived timeline gathers its events
(``_ev``) and ``lo``/``hi`` columns only when first needed, and uses its root's indexes through
that mapping. A large root held as columns builds no whole index for a first question: it
looks up the keys asked for one at a time in its columns (``_own_key``; see
:data:`~relations._timeline.indexes.PER_KEY_MIN`). Events are gathered from ``_src`` (the
parent, when it holds or caches its events: ``_sel`` are the parent's runs or positions) or else
from the root. Indexes, span statistics and memos live in ``_cache``.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import accumulate, chain, repeat
from operator import add, itemgetter
from typing import Any, Self, TypeAlias, TypeVar, cast

import numpy as np

from relations._timeline import indexes
from relations._timeline.columns import Columns
from relations._timeline.indexes import (
    Column,
    Mapped,
    Runs,
    Spans,
    between_positions,
    intersect,
    locate,
    postings_by,
    range_minus,
    restrict,
    runs_of,
    union,
    where_above,
    where_at_least,
)
from relations._timeline.table import record_table as records_of
from relations.aggregate.columnar import (
    KeyColumn,
    ValueColumn,
    key_column_from_events,
    measure_column_from_events,
    quantity_column_from_events,
)
from relations.aggregate.names import measure_names, quantity_names
from relations.events import Event
from relations.keys import ALIASES, KEYS

__all__ = ["NEG_INF", "POS_INF", "Basis", "Engine", "day_columns"]

T = TypeVar("T")

Basis: TypeAlias = "Runs | array[int] | None"  # how a derived timeline sees its root

NEG_INF = -(2**63)
"""Below every day: the start of a range open to the past."""
POS_INF = 2**63
"""Above every day: the end of a range open to the future."""

_KEPT = "timeline.kept"  # in the _cache of a cached index result
_PLURAL = {name: alias for alias, name in ALIASES.items()}
# Where each index is cached (under the plural names the indexes have always used).
_INDEX_KEYS = {name: "timeline.index:" + _PLURAL.get(name, name) for name in KEYS}
# The indexes a root held as columns looks up one key at a time (Columns.posting).
_PER_KEY_INDEXES = frozenset(
    _INDEX_KEYS[n] for n in ("actor", "dyad", "directed", "kind", "kind_prefix", "tag", "status")
)


class Engine:
    """Storage, derived views and lazy indexes of a timeline (see the module documentation).

    >>> from relations import Event
    >>> from relations.timeline import of
    >>> tl = of(Event("2024", "trade", ["RUS", "PRK"], "A", id="a"),
    ...         Event("2023", "trade", ["RUS"], "B", id="b"))
    >>> [e.id for e in tl.ordered_events()], list(tl.lo_days()) == [e.when.lo for e in tl]
    (['b', 'a'], True)
    >>> tl.take([1]).ids(), tl.memo("example") is tl.memo("example")
    (('a',), True)
    """

    __slots__ = (
        "_cache",
        "_col",
        "_ev",
        "_hash",
        "_hi",
        "_lo",
        "_root",
        "_rpos",
        "_runs",
        "_sel",
        "_src",
    )

    _ev: tuple[Event, ...] | None
    _col: Columns | None
    _lo: array[int] | None
    _hi: array[int] | None
    _cache: dict[str, object]
    _hash: int | None
    _root: Engine | None
    _runs: Runs | None
    _rpos: array[int] | None
    _src: Engine | None
    _sel: list[tuple[int, int]] | array[int] | None

    # ---- the interface aggregation reads (relations.aggregate.EventColumns) --------------------

    def ordered_events(self) -> tuple[Event, ...]:
        """The events, in timeline order."""
        return self._events

    def lo_days(self) -> Sequence[int]:
        """The earliest possible day of each event (day ordinals, ascending)."""
        return self._los

    def hi_days(self) -> Sequence[int]:
        """The latest possible day of each event (day ordinals), parallel to :meth:`lo_days`."""
        return self._his

    def memo(self, owner: str) -> dict[Any, Any]:
        """A dictionary kept with this timeline for ``owner``'s derived values (its caches)."""
        key = "memo:" + owner
        d = self._cache.get(key)
        if d is None:
            d = self._cache[key] = {}
        return cast(dict[Any, Any], d)

    def take(self, positions: Sequence[int]) -> Self:
        """The events at ascending, distinct ``positions``, as a timeline (shares the events)."""
        return self._take(positions)

    def key_column(self, name: str) -> KeyColumn:
        """Each event's keys under ``name`` (see :mod:`relations.aggregate.columnar`): from
        the columns if the timeline (or its root) is held as columns, else from the events;
        computed once."""
        return cast(KeyColumn, self._columnar("key", name))

    def quantity_column(self, name: str) -> ValueColumn:
        """Each event's quantity ``name`` (as :meth:`key_column`)."""
        return cast(ValueColumn, self._columnar("quantity", name))

    def measure_column(self, name: str) -> ValueColumn:
        """Each event's measure ``name`` (as :meth:`key_column`)."""
        return cast(ValueColumn, self._columnar("measure", name))

    def value_names(self) -> tuple[list[str], list[str]]:
        """The quantity names and the measure names the events carry (each sorted).

        >>> from relations import Event
        >>> from relations.timeline import of
        >>> of(Event("2024", "trade", ["RUS"], "A", quantities={"usd": 5})).value_names()
        (['usd'], [])
        """
        key = "columnar:names"
        names = self._cache.get(key)
        if names is None:
            root = self if self._root is None else self._root
            col = root._col
            if col is None:
                evs = self._events
                names = (quantity_names(evs), measure_names(evs))
            else:
                names = tuple(
                    [
                        n
                        for n in candidates
                        if cast(ValueColumn, self._columnar(what, n)).present.any()
                    ]
                    for what, candidates in zip(
                        ("quantity", "measure"), col.value_names(), strict=True
                    )
                )
            self._cache[key] = names
        return cast(tuple[list[str], list[str]], names)

    def _columnar(self, what: str, name: str) -> KeyColumn | ValueColumn:
        key = f"columnar:{what}:{name}"
        found = self._cache.get(key)
        if found is None:
            if self._col is not None:
                found = self._col.columnar(what, name)
            elif self._root is not None and self._root._col is not None:
                whole = self._root._columnar(what, name)
                found = whole.take(self._root_positions())
            if found is None:
                make = {
                    "key": key_column_from_events,
                    "quantity": quantity_column_from_events,
                    "measure": measure_column_from_events,
                }[what]
                found = make(self._events, name)
            self._cache[key] = found
        return cast("KeyColumn | ValueColumn", found)

    def record_table(self) -> Any:
        """The canonical records as one Arrow table in timeline order, if the timeline (or
        the root it is derived from) is held as columns; else None. The writers of
        :mod:`relations.formats` write from it without building events.

        >>> from relations import Event
        >>> from relations.timeline import of
        >>> of(Event("2024", "trade", ["RUS"], "A")).record_table() is None
        True
        >>> from relations.io import from_arrow
        >>> held = from_arrow(of(Event("2024", "trade", ["RUS"], "A")).to_arrow())
        >>> held.record_table().column("kind").to_pylist()
        ['trade']
        """
        root = self if self._root is None else self._root
        if root._col is None:
            return None
        positions = None if self._root is None else self._root_positions()
        return records_of(root._col, positions)

    def _root_positions(self) -> np.ndarray[Any, Any]:
        """This derived timeline's positions in its root, as an ``int64`` array."""
        if self._rpos is not None:
            if not len(self._rpos):
                return np.zeros(0, dtype=np.int64)
            return np.frombuffer(self._rpos, dtype=np.int64)
        runs = cast(Runs, self._runs)
        starts = np.asarray(runs.starts, dtype=np.int64)
        lengths = np.asarray(runs.stops, dtype=np.int64) - starts
        shift = np.repeat(starts - np.asarray(runs.offsets, dtype=np.int64), lengths)
        return cast(np.ndarray[Any, Any], np.arange(int(lengths.sum()), dtype=np.int64) + shift)

    def _few_ids(self, root: Engine) -> bool:
        """True while the ids asked of ``root``'s parts add up to a small share of it (then a
        part takes its own from the column; beyond that, the root's whole tuple is built once
        and every later part gathers from it)."""
        key = "timeline.ids_taken"
        taken = cast(int, root._cache.get(key, 0)) + len(self)
        root._cache[key] = taken
        return taken * 4 < len(root)

    # ---- building ------------------------------------------------------------------------------

    def _init(
        self, events: tuple[Event, ...] | None, los: array[int] | None, his: array[int] | None
    ) -> None:
        """Set the parts of a root timeline (:meth:`_make` adds a derived one's)."""
        setattr_ = object.__setattr__
        setattr_(self, "_ev", events)
        setattr_(self, "_col", None)
        setattr_(self, "_lo", los)
        setattr_(self, "_hi", his)
        setattr_(self, "_cache", {})
        setattr_(self, "_hash", None)
        setattr_(self, "_root", None)
        setattr_(self, "_runs", None)
        setattr_(self, "_rpos", None)
        setattr_(self, "_src", None)
        setattr_(self, "_sel", None)

    @classmethod
    def _make(
        cls,
        events: tuple[Event, ...] | None,
        los: array[int] | None,
        his: array[int] | None,
        root: Engine | None = None,
        runs: Runs | None = None,
        rpos: array[int] | None = None,
    ) -> Self:
        tl = object.__new__(cls)
        tl._init(events, los, his)
        if root is not None or runs is not None or rpos is not None:  # a derived timeline
            setattr_ = object.__setattr__
            setattr_(tl, "_root", root)
            setattr_(tl, "_runs", runs)
            setattr_(tl, "_rpos", rpos)
        return tl

    @classmethod
    def _from_sorted(cls, events: Iterable[Event]) -> Self:
        """Trusted constructor: ``events`` are already unique by id and in timeline order.

        No sorting, no checks (O(n) to build the ``lo``/``hi`` columns). For modules of this
        library that derive timelines from timelines; use ``Timeline(events)`` otherwise.

        >>> from relations import Event
        >>> from relations.timeline import Timeline
        >>> e = Event("2024", "trade", ["RUS"], "Trade", id="x")
        >>> Timeline._from_sorted([e]) == Timeline([e])
        True
        """
        evs = tuple(events)
        return cls._make(evs, *day_columns(evs))

    @classmethod
    def _from_columns(cls, columns: Columns) -> Self:
        """Trusted constructor: a root timeline held as columns (events built on demand).

        >>> import pyarrow as pa
        >>> from relations._timeline.columns import from_table
        >>> from relations.timeline import Timeline
        >>> cols = from_table(pa.table({"id": ["x"], "when": ["2024"], "kind": ["trade"],
        ...                             "actors": [["RUS"]], "title": ["Trade"]}))
        >>> Timeline._from_columns(cols) == Timeline([cols.event(0)])
        True
        """
        tl = cls._make(None, columns.lo, columns.hi)
        object.__setattr__(tl, "_col", columns)
        return tl

    def _root_items(self) -> Sequence[Event]:
        """A root's events: the tuple if built, else its columns (building events on demand)."""
        ev = self._ev
        if ev is None and self._col is not None:
            return self._col
        return self._events

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Timeline is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Timeline is immutable; cannot delete {name!r}")

    # ---- events and columns ---------------------------------------------------------------------------

    @property
    def _events(self) -> tuple[Event, ...]:
        """The events, in order (a tuple; gathered from the root on first use)."""
        ev = self._ev
        if ev is None and self._col is not None:
            ev = self._col.events()
            object.__setattr__(self, "_ev", ev)
        elif ev is None:
            src, sel = self._source(src_has=self._src is not None and self._src._ev is not None)
            if src is None or sel is None:
                ev = self._gather(cast(Engine, self._root)._root_items())
            elif isinstance(sel, list):
                ev = Runs.from_local(sel).gather(src._events)
            else:
                ev = (src._events[sel[0]],) if len(sel) == 1 else itemgetter(*sel)(src._events)
            object.__setattr__(self, "_ev", ev)
        return ev

    def _source(
        self, *, src_has: bool, what: str = "events"
    ) -> tuple[Engine | None, list[tuple[int, int]] | array[int] | None]:
        """Where to gather from: the parent (``_src``, whose items lie together in memory) if
        it already holds them (``src_has``), else the root, until gathering from the root has
        cost as much as gathering the whole parent once; then the parent (which keeps them
        for every later result). So a one-off result costs only its own size, and repeated
        results from one cached parent cost at most twice the optimum."""
        src, sel = self._src, self._sel
        if src is None or sel is None or src_has:
            return src, sel
        key = "timeline.gathered:" + what
        spent = cast(int, src._cache.get(key, 0)) + len(self)
        if spent < len(src):
            src._cache[key] = spent
            return None, None
        return src, sel

    def _from_parent(self, derived: Self, sel: list[tuple[int, int]] | array[int]) -> Self:
        """Let ``derived`` gather its events from this timeline if it holds them (or keeps them:
        a cached index result), where they lie together in memory; else from the root."""
        if self._is_source():
            object.__setattr__(derived, "_src", self)
            object.__setattr__(derived, "_sel", sel)
        return derived

    def _is_source(self) -> bool:
        """True if results derived from this timeline gather from it (see _from_parent)."""
        return self._ev is not None or _KEPT in self._cache

    def _column_from_source(self, column: array[int] | None) -> array[int] | None:
        """This timeline's part of its parent's integer ``column`` (None if not held)."""
        sel = self._sel
        if column is None or sel is None:
            return None
        if isinstance(sel, list):
            return _concat(column, sel)
        return array("q", (column[sel[0]],) if len(sel) == 1 else itemgetter(*sel)(column))

    @property
    def _los(self) -> array[int]:
        """Earliest possible day of each event (day ordinals, ascending)."""
        lo = self._lo
        return lo if lo is not None else self._fill_column("_lo", "_los")

    @property
    def _his(self) -> array[int]:
        """Latest possible day of each event (day ordinals), parallel to ``_los``."""
        hi = self._hi
        return hi if hi is not None else self._fill_column("_hi", "_his")

    def _fill_column(self, slot: str, name: str) -> array[int]:
        """Copy this derived timeline's integer column ``slot`` (``_lo``/``_hi``) once: from its
        parent's if the parent holds one (it lies together in memory), else from the root's
        column ``name`` (``_los``/``_his``)."""
        src = self._src
        col = None if src is None else self._column_from_source(getattr(src, slot))
        if col is None:
            col = array("q", self._gather(getattr(cast(Engine, self._root), name)))
        object.__setattr__(self, slot, col)
        return col

    def _gather(self, column: Sequence[T]) -> tuple[T, ...]:
        """This derived timeline's items of a root column, in order."""
        if self._runs is not None:
            return self._runs.gather(column)
        rpos = cast("array[int]", self._rpos)
        if len(rpos) == 1:
            return (column[rpos[0]],)
        return cast(tuple[T, ...], itemgetter(*rpos)(column))

    def __len__(self) -> int:
        lo = self._lo
        if lo is not None:
            return len(lo)
        if self._rpos is not None:
            return len(self._rpos)
        return len(cast(Runs, self._runs))

    def _at(self, pos: int) -> Event:
        """The event at a valid non-negative position, without gathering every event."""
        ev = self._ev
        if ev is not None:
            return ev[pos]
        if self._col is not None:
            return self._col.event(pos)
        root = cast(Engine, self._root)
        if self._rpos is not None:
            return root._at(self._rpos[pos])
        return root._at(cast(Runs, self._runs).root_position(pos))

    def ids(self) -> tuple[str, ...]:
        """The event ids, in timeline order (read from a column, without touching the events).

        >>> from relations import Event
        >>> from relations.timeline import of
        >>> of(Event("2024", "trade", ["RUS"], "A", id="a"),
        ...    Event("2023", "trade", ["RUS"], "B", id="b")).ids()
        ('b', 'a')
        """
        col = self._cache.get("timeline.id_column")
        if col is None:
            src, sel = self._source(
                src_has=self._src is not None and "timeline.id_column" in self._src._cache,
                what="ids",
            )
            root = self._root
            if self._col is not None:
                col = self._col.ids()
            elif (
                root is not None
                and root._col is not None
                and "timeline.id_column" not in root._cache
                and self._few_ids(root)
            ):  # a small part of a columnar root: its ids from the column, not all of them
                col = root._col.ids_at(self._root_positions())
            elif self._root is None:
                col = tuple([e.id for e in self._events])
            elif src is not None and sel is not None:  # the parent's column lies together
                parent = src.ids()
                if isinstance(sel, list):
                    col = (
                        parent[sel[0][0] : sel[0][1]]
                        if len(sel) == 1
                        else Runs.from_local(sel).gather(parent)
                    )
                else:
                    col = (parent[sel[0]],) if len(sel) == 1 else itemgetter(*sel)(parent)
            else:
                col = self._gather(self._root.ids())
            self._cache["timeline.id_column"] = col
        return cast(tuple[str, ...], col)

    # ---- internal: positions, runs and indexes -----------------------------------------------

    def _ids(self) -> dict[str, int]:
        d = self._cache.get("timeline.ids")
        if d is None:
            d = {id_: i for i, id_ in enumerate(self.ids())}
            self._cache["timeline.ids"] = d
        return cast(dict[str, int], d)

    def _take(self, positions: Sequence[int]) -> Self:
        """The events at ascending, distinct ``positions``, as a Timeline (shares the events).

        >>> from relations import Event
        >>> from relations.timeline import of
        >>> tl = of(*(Event(f"200{i}", "trade", ["RUS"], "T", id=f"e{i}") for i in range(4)))
        >>> [e.id for e in tl._take([0, 2])], tl._take(range(4)) is tl
        (['e0', 'e2'], True)
        """
        k = len(positions)
        if isinstance(positions, range) and positions.step == 1:
            return self._take_runs([(positions.start, positions.stop)] if k else [])
        if k == 0:
            return self._empty()
        if k == len(self):
            return self
        root = self._root
        if root is None:
            root, rpos = self, array("q", positions)
        elif self._rpos is not None:
            mine = self._rpos
            rpos = array("q", (mine[positions[0]],) if k == 1 else itemgetter(*positions)(mine))
        else:
            rpos = cast(Runs, self._runs).to_root(positions)
        # Nothing is copied but positions: events and columns are gathered when needed.
        sel = positions if isinstance(positions, array) else array("q", positions)
        return self._from_parent(self._make(None, None, None, root, None, rpos), sel)

    def _take_runs(self, runs: Sequence[tuple[int, int]]) -> Self:
        """The events in local half-open runs (ascending, disjoint); shares indexes if few."""
        merged = Runs.from_local(runs)
        total = len(merged)
        if total == len(self):
            return self
        if total == 0:
            return self._empty()
        pieces = list(zip(merged.starts, merged.stops, strict=True))
        los = his = None
        if self._lo is not None and self._hi is not None and not self._is_source():
            # copies of integer slices, in C (a source's results copy them when first used)
            los, his = _concat(self._lo, pieces), _concat(self._hi, pieces)
        if self._rpos is not None:  # scattered in the root: keep the positions
            rpos = _concat(self._rpos, pieces)
            return self._from_parent(self._make(None, los, his, self._root, None, rpos), pieces)
        root = self if self._root is None else self._root
        mapped = merged if self._runs is None else self._runs.compose(pieces)
        if mapped.count > indexes.MAX_RUNS:  # too fragmented for runs: list the positions
            rpos = array("q", chain.from_iterable(map(range, mapped.starts, mapped.stops)))
            return self._from_parent(self._make(None, los, his, root, None, rpos), pieces)
        # A range query costs O(log n + runs) plus copies of two integer columns; the events
        # are gathered only when needed.
        return self._from_parent(self._make(None, los, his, root, mapped), pieces)

    def _own(self, name: str) -> dict[Hashable, array[int]]:
        key = _INDEX_KEYS[name]
        idx = self._cache.get(key)
        if idx is None:
            if self._col is not None and self._ev is None:  # held as columns: array operations
                idx = self._col.postings(name)
            if idx is None:
                idx = postings_by(self._events, KEYS[name])
            self._cache[key] = idx
        return cast("dict[Hashable, array[int]]", idx)

    def _own_key(self, name: str, key: Hashable) -> Sequence[int]:
        """This timeline's positions of ``key`` in index ``name``: from the whole index if
        built; for a large root held as columns, the one key looked up in its columns (array
        operations: a first question does not pay for every key's list), until
        ``PER_KEY_MAX`` keys of that index have been; else from the whole index, built now."""
        idx = self._cache.get(_INDEX_KEYS[name])
        if idx is None and self._per_key():
            ck = "timeline.keys:" + name
            looked = cast("dict[Hashable, array[int]] | None", self._cache.get(ck))
            if looked is None:
                looked = self._cache[ck] = {}
            found = looked.get(key)
            if found is not None:
                return found
            if len(looked) < indexes.PER_KEY_MAX:
                found = cast(Columns, self._col).posting(name, key)
                if found is not None:
                    looked[key] = found
                    return found
        if idx is None:
            idx = self._own(name)
        return cast("dict[Hashable, array[int]]", idx).get(key, _EMPTY_POS)

    def _per_key(self) -> bool:
        """True for a root held as columns, large enough to look keys up one at a time."""
        return self._col is not None and len(self) >= indexes.PER_KEY_MIN

    def _uses_root(self, cache_key: str) -> Engine | None:
        """The root whose index ``cache_key`` this timeline should use, if any.

        A derived timeline uses its root's index when the root has built it already, or when
        the timeline is a sizeable part of the root (building the root's index then costs at
        most ``SHARE_RATIO`` times building its own, and serves every other query too), or
        when the root is a large one held as columns (it looks one key up with array
        operations; the derived timeline would build its events to index them).
        """
        root = self._root
        if root is None or cache_key in self._cache:
            return None
        if cache_key in root._cache or len(self) * indexes.SHARE_RATIO >= len(root):
            return root
        if cache_key in _PER_KEY_INDEXES and root._per_key():
            return root
        return None

    def _postings(self, name: str, key: Hashable) -> Sequence[int]:
        """Local positions of the events with ``key`` in index ``name`` (ascending)."""
        root = self._uses_root(_INDEX_KEYS[name])
        if root is None:
            return self._own_key(name, key)
        found = root._own_key(name, key)
        if not found:
            return _EMPTY_POS
        if self._runs is not None:
            return restrict(found, self._runs)
        return locate(found, cast("array[int]", self._rpos))

    def _sub(self, name: str, key: Hashable) -> Self:
        """The events with one index key; cached (a covering index entry)."""
        ck = f"timeline.sub:{name}:{key!r}"
        hit = self._cache.get(ck)
        if hit is None:
            hit = self._take(self._postings(name, key))
            if hit is not self:
                hit._cache[_KEPT] = 0  # kept: counts the range queries asked of it
            self._cache[ck] = hit
        return cast(Self, hit)

    def _select(self, name: str, keys: Iterable[Hashable], *, all_: bool) -> Self:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return self if all_ else self._empty()
        if len(wanted) == 1:
            return self._sub(name, wanted[0])
        lists = [self._postings(name, k) for k in wanted]
        if all_:
            lists.sort(key=len)
            pos: Sequence[int] = lists[0]
            for other in lists[1:]:
                if not pos:
                    break
                pos = intersect(pos, other)
        else:
            pos = union(lists)
        return self._take(pos)

    def _spans(self) -> tuple[Spans, Basis]:
        """Span statistics: the root's (seen through ``_runs``/``_rpos``) or this timeline's
        own. The root's ``short_max`` bounds every derived timeline's, so it stays valid."""
        root = None if self._settled() else self._uses_root("timeline.spans")
        if root is not None:
            return root._own_spans(), self._runs if self._runs is not None else self._rpos
        return self._own_spans(), None

    def _settled(self) -> bool:
        """True for a kept (cached) result that range queries have asked before: it is asked
        again and again, so it pays once for columns and span statistics of its own (the first
        query reads its root's instead, so a one-off question stays cheap)."""
        return cast(int, self._cache.get(_KEPT, 0)) > 1

    def _columns(self) -> tuple[Column, Column]:
        """The ``lo``/``hi`` columns for bisection: copies if held, else views of the root's."""
        lo, hi, rpos = self._lo, self._hi, self._rpos
        if lo is not None and hi is not None:
            return lo, hi
        if rpos is not None and not self._settled():
            root = cast(Engine, self._root)
            return Mapped(root._los, rpos), Mapped(root._his, rpos)
        return self._los, self._his

    def _own_spans(self) -> Spans:
        s = self._cache.get("timeline.spans")
        if s is None:
            s = Spans.build(self._los, self._his)
            self._cache["timeline.spans"] = s
        return cast(Spans, s)

    @staticmethod
    def _in(arr: array[int], basis: Basis, a: int, b: int) -> Sequence[int]:
        """Local positions in ``[a, b)`` of a span position array (own, or the root's seen
        through ``basis``)."""
        if b <= a:
            return ()
        if basis is None:
            return between_positions(arr, a, b)
        if isinstance(basis, Runs):
            return restrict(arr, basis.clip(a, b))
        found = locate(arr, basis[a:b])
        return array("q", map(add, found, repeat(a, len(found)))) if a else found

    def _bounded(self, a: int, b: int, latest: Callable[[int], int] | None = None) -> Self:
        """Events with ``lo >= a`` and ``hi <= b`` (or latest start ``<= b``, given ``latest``).

        Events with ``lo`` in ``[a, b]`` are one slice; what crosses ``b`` is found without a
        scan: in each extent group (``hi = lo + d``) the events with ``lo > b - d`` (one
        bisection), plus the few other imprecise events near ``b`` and the long events of the
        slice, checked one by one.
        """
        los, his = self._columns()
        i = bisect_left(los, a)
        j = bisect_right(los, b, i)
        if i >= j:
            return self._empty()
        if b >= POS_INF:
            return self._take_runs([(i, j)])
        spans, basis = self._spans()
        into = self._in
        if latest is not None:
            t = bisect_right(los, b - spans.short_max, i, j)
            cands = chain(into(spans.long, basis, i, t), into(spans.wide, basis, t, j))
            return self._take_runs(range_minus(i, j, [p for p in cands if latest(p) > b]))
        bad = where_above(into(spans.long, basis, i, j), his, b) if spans.long else []
        if spans.misc:
            t = bisect_right(los, b - spans.misc_max, i, j)
            bad += where_above(into(spans.misc, basis, t, j), his, b)
        if basis is None:  # own spans: bisect each group's own lo column
            for d, group, group_los in spans.groups:
                k = bisect_right(group_los, max(b - d, a - 1))
                m = bisect_right(group_los, b, k)
                if k < m:
                    bad += group[k:m]  # lo in (b - d, b]: every one ends at lo + d > b
        else:
            for d, group, _ in spans.groups:
                t = bisect_right(los, b - d, i, j)
                if t < j:
                    bad += into(group, basis, t, j)  # every one ends at lo + d > b
        if not bad:
            return self._take_runs([(i, j)])
        bad.sort()
        return self._take_runs(range_minus(i, j, bad))

    def _overlapping(self, a: int, b: int) -> Self:
        """Events with ``lo <= b`` and ``hi >= a``: one slice plus imprecise and long events
        that begin before ``a`` and may reach it (per extent group one bisection: those with
        ``lo >= a - d``)."""
        los, his = self._columns()
        j = bisect_right(los, b)
        if j == 0 or b < a:
            return self._empty()
        i = bisect_left(los, a, 0, j)
        extra: list[int] = []
        if i > 0 and a > NEG_INF:
            spans, basis = self._spans()
            into = self._in
            extra = self._long_reaching(spans, basis, his, a, i) if spans.long else []
            if spans.misc:
                h = bisect_left(los, a - spans.misc_max, 0, i)
                extra += where_at_least(into(spans.misc, basis, h, i), his, a)
            if basis is None:  # own spans: bisect each group's own lo column
                for d, group, group_los in spans.groups:
                    m = bisect_left(group_los, a)
                    k = bisect_left(group_los, a - d, 0, m)
                    if k < m:
                        extra += group[k:m]  # lo in [a - d, a): every one ends at lo + d >= a
            else:
                for d, group, _ in spans.groups:
                    h = bisect_left(los, a - d, 0, i)
                    if h < i:
                        extra += into(group, basis, h, i)  # every one ends at lo + d >= a
            extra.sort()
        runs_: list[tuple[int, int]] = [(p, p + 1) for p in extra]
        runs_.append((i, j))
        return self._take_runs(runs_)

    def _long_reaching(self, spans: Spans, basis: Basis, his: Column, a: int, h: int) -> list[int]:
        """Local positions below ``h`` of long events with ``hi >= a`` (ascending)."""
        if basis is None:
            n_before = bisect_left(spans.long, h)
            k = bisect_left(spans.long_his, a)
            if len(spans.long_his) - k < n_before:  # fewer still reach a than start before h
                return sorted(p for p in spans.long_pos[k:] if p < h)
            return [p for p in spans.long[:n_before] if his[p] >= a]
        return [p for p in self._in(spans.long, basis, 0, h) if his[p] >= a]

    def _count_range_query(self) -> None:
        kept = self._cache.get(_KEPT)
        if kept is not None:
            self._cache[_KEPT] = cast(int, kept) + 1

    def _window(self, a: int, b: int, within: bool) -> Self:
        """Events certainly inside days ``a..b`` (``within``) or possibly in them."""
        self._count_range_query()
        return self._bounded(a, b) if within else self._overlapping(a, b)

    def _any_of(self, name: str, keys: Sequence[Hashable]) -> Sequence[int]:
        if len(keys) == 1:
            return self._postings(name, keys[0])
        return union([self._postings(name, k) for k in keys])

    def _prefix_max(self) -> array[int]:
        pm = self._cache.get("timeline.prefix_max_hi")
        if pm is None:
            pm = array("q", accumulate(self._his, max))
            self._cache["timeline.prefix_max_hi"] = pm
        return cast("array[int]", pm)

    def _take_positions(self, positions: list[int]) -> Self:
        runs = runs_of(positions)
        if len(runs) <= indexes.MAX_RUNS:
            return self._take_runs(runs)
        return self._take(positions)

    def _empty(self) -> Self:
        """The empty timeline of this class (one shared value)."""
        cls = type(self)
        tl = _EMPTIES.get(cls)
        if tl is None:
            tl = _EMPTIES[cls] = cls._make((), array("q"), array("q"))
        return cast(Self, tl)

    def _memo(self, key: str, build: Callable[[], T]) -> T:
        """``build()``, computed once per timeline and kept under ``key``."""
        value = self._cache.get(key)
        if value is None:
            value = self._cache[key] = build()
        return cast(T, value)

    def _built_index(self, name: str) -> dict[Hashable, array[int]] | None:
        """This timeline's own index ``name``, if built already (else None)."""
        return cast("dict[Hashable, array[int]] | None", self._cache.get(_INDEX_KEYS[name]))

    def _actor_count(self) -> int:
        """How many distinct actors the events name: from the actor index if built, else from
        the actor codes of a columnar root (no event built), else from the events."""
        idx = self._built_index("actor")
        if idx is not None:
            return len(idx)
        root = self if self._root is None else self._root
        col = root._col
        if col is None:
            return len({a for e in self._events for a in e.actors})
        codes = col.actor_codes if self._root is None else col.actor_codes[self._root_positions()]
        used = np.flatnonzero(np.bincount(codes, minlength=len(col.actor_lists)))
        return len({a for c in used.tolist() for a in col.actor_lists[c]})


# ---- helpers ---------------------------------------------------------------------------------

_EMPTY_POS: array[int] = array("q")


def _concat(column: array[int], pieces: Sequence[tuple[int, int]]) -> array[int]:
    if len(pieces) == 1:
        s, e = pieces[0]
        return column[s:e]
    out = array("q")
    for s, e in pieces:
        out += column[s:e]
    return out


def day_columns(events: Sequence[Event]) -> tuple[array[int], array[int]]:
    """The ``lo`` and ``hi`` day columns of events (``array('q')``)."""
    whens = [e.when for e in events]
    return array("q", [w.lo for w in whens]), array("q", [w.hi for w in whens])


_EMPTIES: dict[type, Engine] = {}
