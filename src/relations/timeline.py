"""Timelines: immutable, sorted, indexed collections of events with fast, precise queries.

A :class:`Timeline` is a value. It holds each event once, in one total, deterministic order
(earliest possible day, latest possible day, id), and every query returns another Timeline, so
questions chain the way they are spoken:

>>> from relations import Event, timeline
>>> tl = timeline.of(
...     Event("1950/1953", "military.war", ["PRK", "KOR"], "Korean War", id="war"),
...     Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed",
...           id="signed"),
...     Event("2024-10", "military.deployment", ["PRK", "RUS"], "Troops sent", id="troops",
...           directed=True),
...     Event("2024-12-04", "agreement.treaty.in_force", ["RUS", "PRK"], "Treaty in force",
...           id="in-force"),
... )
>>> tl
<Timeline 4 events 1950/1953 … 2024-12-04, 3 actors>
>>> [e.id for e in tl.involving("Russia", "North Korea").of_kind("agreement")]
['signed', 'in-force']
>>> [e.id for e in tl.between("1952", "1952")]  # the war was going on in 1952
['war']
>>> [e.id for e in tl.between("2024-10-15", "2024-12-31")]  # "2024-10" may be the 15th
['troops', 'in-force']
>>> [e.id for e in tl.between("2024-10-15", "2024-12-31", mode="within")]
['in-force']

**Imprecision never silently disappears.** Every time query says whether it keeps events that
are *certainly* inside its range (``mode="within"``) or that *possibly* fall in it
(``mode="overlaps"``). Window queries (:meth:`~Timeline.between`, :meth:`~Timeline.on`)
default to ``overlaps``: what *may* have happened in a window is kept, so a war in progress or
an event known only to the month is not dropped. One-sided queries (:meth:`~Timeline.before`,
:meth:`~Timeline.after`, :meth:`~Timeline.until`, :meth:`~Timeline.since`) default to
``within``: "before 2024" means certainly over before 2024 began (otherwise every open-ended or
year-dated event would be "before" almost anything). ``before``/``after`` are strict and
``until``/``since`` inclusive, exactly like the English forms :meth:`When.parse
<relations.When.parse>` reads ("before 2008" is ``../2007-12-31``, "until 2008" is ``../2008``).

**Complexity** (n events; k in the result; m positions returned by an index; w imprecise
events near a window's edges; l long events, over 366 days or open-ended, that start before
it):

- ``Timeline(events)``: O(n log n) (the sort; ids are checked in O(n)).
- ``len``, ``bool``, ``tl[i]``, ``first``, ``last``: O(1); ``ids()``: O(k) from a column.
- ``tl[i:j]``, ``between``, ``on``, ``before``, ``after``, ``until``, ``since``, ``as_of``:
  O(log n + w + l) by bisection of the ``lo`` column, plus a C-level copy of the k-long
  integer columns; the events themselves are gathered from the parent only when first used.
- ``involving``, ``from_to``, ``of_kind``, ``tagged``, ``with_status``, ``sourced_by``,
  ``with_quantity``, ``precision_at_least``: O(m) for one key, and the result is cached with
  the index (O(1) when asked again); O(m log m) to combine keys. The first query that needs
  an index builds it in O(n).
- ``tl[id]``, ``get``, ``in``, ``index``, ``before_event``, ``after_event``: O(1) (the id map
  is built once, in O(n)).
- ``span``, ``nearest``: O(log n) (prefix maxima of ``hi`` are built once, in O(n)).
- ``gaps``, ``intervals``, ``where``: O(n).
- ``|``, ``&``, ``-``, ``merge``, ``diff``, ``add``, ``remove``: O(n + m), plus sorting the
  new events into place.

**Indexes** are built lazily, on the first query that needs them, and kept in ``_cache``:
parallel ``array('q')`` columns of ``lo``/``hi`` day ordinals for bisection; inverted indexes
(actor, dyad, directed source/target/arc, every kind prefix, tag, status, publisher, quantity
name, precision) mapping a key to ascending positions; and span statistics that let range
queries find imprecise and long-running events without a full scan (see
``relations._indexes``).

**Derived timelines share.** A query result knows where its events lie in the timeline it was
derived from (its *root*): as a few contiguous runs (range queries, slices) or as ascending
positions (index lookups). It uses the root's indexes through that mapping instead of building
its own (unless it is a small part of a root that lacks the index), and gathers its events and
columns only when they are first needed: ``len``, ``first``, ``last`` and further queries do not
touch the events at all. The result for one index key (``involving("RUS", "PRK")``,
``of_kind("sanction")``) is cached with the index and gets columns and span statistics of its
own once it is asked a second range query, so chains of repeated questions cost microseconds.
Event objects are always shared, never copied.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import os
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, chain, pairwise, repeat
from operator import add, itemgetter
from typing import Literal, TypeAlias, TypeVar, cast, overload

import attrs
import pendulum

from relations import _indexes
from relations._aggregate_methods import AggregateMethods
from relations._indexes import (
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
from relations._io_methods import IOMethods
from relations._render_methods import RenderMethods
from relations.actors import predecessors_of, resolve_code
from relations.errors import (
    DuplicateEvent,
    InvalidArgument,
    InvalidDate,
    InvalidEvent,
    UnknownEvent,
)
from relations.events import Event, Status
from relations.kinds import parents_of, validate_kind
from relations.when import UNBOUNDED_HI, UNBOUNDED_LO, Precision, When

__all__ = [
    "Conflict",
    "Gap",
    "Interval",
    "Mode",
    "Timeline",
    "TimelineDiff",
    "datasets",
    "load",
    "of",
    "read_csv",
    "read_jsonl",
]

T = TypeVar("T")

Mode = Literal["overlaps", "within"]
"""How a time query treats imprecise events: ``within`` keeps events certainly inside the range,
``overlaps`` keeps events that possibly fall in it."""
Conflict = Literal["raise", "ours", "theirs"]
"""What :meth:`Timeline.merge` does with two different events that share an id."""

Basis: TypeAlias = "Runs | array[int] | None"  # how a derived timeline sees its root

_MODES = ("overlaps", "within")
_KEPT = "timeline.kept"  # in the _cache of a cached index result
_NEG_INF = -(2**63)
_POS_INF = 2**63


# ---- small records ---------------------------------------------------------------------------


def _days_when(lo: int, hi: int) -> When:
    return When.from_ordinals(lo, hi)


@attrs.frozen
class Gap:
    """A quiet period: whole days ``lo..hi`` (day ordinals, inclusive) on which no event of the
    timeline can have taken place.

    >>> from relations.when import ordinal
    >>> g = Gap(ordinal(2023, 1, 1), ordinal(2023, 3, 31))
    >>> g.days, str(g.when), g.earliest, g.latest
    (90, '2023-01-01/2023-03-31', Date(2023, 1, 1), Date(2023, 3, 31))
    """

    lo: int
    hi: int

    @property
    def days(self) -> int:
        """Length in days.

        >>> Gap(10, 10).days
        1
        """
        return self.hi - self.lo + 1

    @property
    def when(self) -> When:
        """The period as a :class:`~relations.When` (a day or a day interval).

        >>> str(Gap(739056, 739056).when)
        '2024-06-19'
        """
        return _days_when(self.lo, self.hi)

    @property
    def earliest(self) -> pendulum.Date | None:
        """First quiet day (a ``pendulum.Date``).

        >>> Gap(739056, 739057).earliest
        Date(2024, 6, 19)
        """
        return self.when.earliest

    @property
    def latest(self) -> pendulum.Date | None:
        """Last quiet day (a ``pendulum.Date``).

        >>> Gap(739056, 739057).latest
        Date(2024, 6, 20)
        """
        return self.when.latest

    def __str__(self) -> str:
        return f"{self.when} ({self.days} days)"


@attrs.frozen
class Interval:
    """The time between two consecutive events, in days: from the end of ``first`` to the start
    of ``second`` (as :meth:`When.gap <relations.When.gap>` counts it; negative when they may
    overlap; ``None`` where an open or unknown end leaves it unbounded).

    >>> Interval("a", "b", 2, 30)
    Interval(first='a', second='b', least=2, most=30)
    """

    first: str
    second: str
    least: int | None
    most: int | None


def _sorted_ids(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(ids))


@attrs.frozen
class TimelineDiff:
    """What changed from one timeline to another, by event id (each tuple sorted).

    ``added``: ids only in the new timeline; ``removed``: ids only in the old one; ``changed``:
    ids in both whose events differ.

    >>> d = TimelineDiff(added=("b",), removed=(), changed=("a",))
    >>> bool(d), bool(TimelineDiff())
    (True, False)
    """

    added: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    removed: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    changed: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


# ---- index keys ------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _prefixes(kind: str) -> tuple[str, ...]:
    return parents_of(kind)


def _actor_keys(e: Event) -> Iterable[Hashable]:
    return e.actors


def _dyad(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _dyad_keys(e: Event) -> Iterable[Hashable]:
    a = e.actors
    if len(a) == 2:
        return (_dyad(a[0], a[1]),)
    return [_dyad(x, y) for i, x in enumerate(a) for y in a[i + 1 :]]


def _kind_keys(e: Event) -> Iterable[Hashable]:
    return _prefixes(e.kind)


def _tag_keys(e: Event) -> Iterable[Hashable]:
    return e.tags


def _status_keys(e: Event) -> Iterable[Hashable]:
    return (e.status,)


def _publisher_keys(e: Event) -> Iterable[Hashable]:
    return [s.publisher.casefold() for s in e.sources]


def _quantity_keys(e: Event) -> Iterable[Hashable]:
    return tuple(e.quantities)


def _precision_keys(e: Event) -> Iterable[Hashable]:
    return (e.when.precision,)


def _directed_keys(e: Event) -> Iterable[Hashable]:
    return (True,) if e.directed else ()


def _source_keys(e: Event) -> Iterable[Hashable]:
    return (e.actors[0],) if e.directed else ()


def _target_keys(e: Event) -> Iterable[Hashable]:
    return e.actors[1:] if e.directed else ()


def _arc_keys(e: Event) -> Iterable[Hashable]:
    if not e.directed:
        return ()
    s = e.actors[0]
    return [(s, t) for t in e.actors[1:]]


_KEYS: dict[str, Callable[[Event], Iterable[Hashable]]] = {
    "actors": _actor_keys,
    "dyads": _dyad_keys,
    "kinds": _kind_keys,
    "tags": _tag_keys,
    "status": _status_keys,
    "publishers": _publisher_keys,
    "quantities": _quantity_keys,
    "precision": _precision_keys,
    "directed": _directed_keys,
    "sources": _source_keys,
    "targets": _target_keys,
    "arcs": _arc_keys,
}


def _order(e: Event) -> tuple[int, int, str]:
    w = e.when
    return (w.lo, w.hi, e.id)


def _latest_start(w: When) -> int:
    """The latest day on which ``w`` can have begun (its end, if the start is unknown)."""
    shi: int = w._shi  # the When's own bound of its start (see relations.when._ends)
    return shi if shi < w.hi else w.hi


def _check_mode(mode: object, where: str) -> None:
    if mode not in _MODES:
        raise InvalidArgument(f"{where}: mode must be 'overlaps' or 'within', not {mode!r}")


def _coerce(x: object, where: str) -> When:
    try:
        return When.coerce(x)
    except InvalidDate as e:
        raise InvalidDate(f"{where}: {e}") from None


def _as_events(events: Iterable[Event], where: str) -> list[Event]:
    out = list(events)
    for e in out:
        if not isinstance(e, Event):
            raise InvalidEvent(f"{where}: a Timeline holds Event records, not {e!r:.80}")
    return out


def _conflict(eid: str, a: Event, b: Event) -> DuplicateEvent:
    return DuplicateEvent(
        f"two different events have the id {eid!r}: {a!r:.120} and {b!r:.120}; give one "
        f"another id, or merge with on_conflict='ours' or 'theirs'"
    )


# ---- the Timeline ----------------------------------------------------------------------------


class Timeline(AggregateMethods, IOMethods, RenderMethods):
    """An immutable, sorted, indexed collection of events; every query returns a Timeline.

    Events are ordered by earliest possible day, latest possible day, then id. The same event
    given twice is kept once; two different events with one id raise
    :class:`~relations.DuplicateEvent`. A Timeline is equal to and hashes like any Timeline with
    the same events. See the module documentation for query semantics and costs.

    >>> from relations import Event
    >>> a = Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty", id="t")
    >>> b = Event("2024-06", "diplomacy.visit", ["RUS", "PRK"], "Visit", id="v")
    >>> tl = Timeline([a, b, a])
    >>> len(tl), [e.id for e in tl], tl == Timeline([b, a]), "t" in tl, a in tl
    (2, ['v', 't'], True, True, True)
    >>> Timeline([a, a.evolve(title="Other title")])
    Traceback (most recent call last):
    ...
    relations.errors.DuplicateEvent: two different events have the id 't': ...
    """

    __slots__ = (
        "_cache",
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

    # A timeline either holds its events (a *root*), or is derived from a root and knows
    # where its events lie in it: as a few contiguous runs (``_runs``; from range queries and
    # slices) or as ascending root positions (``_rpos``; from index lookups). A derived
    # timeline gathers its events (``_ev``) and ``lo``/``hi`` columns only when first needed,
    # and uses its root's indexes through that mapping. Events are gathered from ``_src`` (the
    # parent, when it holds or caches its events: ``_sel`` are the parent's runs or positions)
    # or else from the root.
    _ev: tuple[Event, ...] | None
    _lo: array[int] | None
    _hi: array[int] | None
    _cache: dict[str, object]
    _hash: int | None
    _root: Timeline | None
    _runs: Runs | None
    _rpos: array[int] | None
    _src: Timeline | None
    _sel: list[tuple[int, int]] | array[int] | None

    def __init__(self, events: Iterable[Event] = ()) -> None:
        if isinstance(events, Timeline):
            self._init(events._events, events._los, events._his)
            return
        by_id: dict[str, Event] = {}
        for e in _as_events(events, "Timeline()"):
            old = by_id.setdefault(e.id, e)
            if old is not e and old != e:
                raise _conflict(e.id, old, e)
        evs = tuple(sorted(by_id.values(), key=_order))
        self._init(evs, *_columns(evs))

    def _init(
        self,
        events: tuple[Event, ...] | None,
        los: array[int] | None,
        his: array[int] | None,
        root: Timeline | None = None,
        runs: Runs | None = None,
        rpos: array[int] | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "_ev", events)
        setattr_(self, "_lo", los)
        setattr_(self, "_hi", his)
        setattr_(self, "_cache", {})
        setattr_(self, "_hash", None)
        setattr_(self, "_root", root)
        setattr_(self, "_runs", runs)
        setattr_(self, "_rpos", rpos)
        setattr_(self, "_src", None)
        setattr_(self, "_sel", None)

    @classmethod
    def _make(
        cls,
        events: tuple[Event, ...] | None,
        los: array[int] | None,
        his: array[int] | None,
        root: Timeline | None = None,
        runs: Runs | None = None,
        rpos: array[int] | None = None,
    ) -> Timeline:
        tl = object.__new__(cls)
        tl._init(events, los, his, root, runs, rpos)
        return tl

    @classmethod
    def _from_sorted(cls, events: Iterable[Event]) -> Timeline:
        """Trusted constructor: ``events`` are already unique by id and in timeline order.

        No sorting, no checks (O(n) to build the ``lo``/``hi`` columns). For modules of this
        library that derive timelines from timelines; use ``Timeline(events)`` otherwise.

        >>> from relations import Event
        >>> e = Event("2024", "trade", ["RUS"], "Trade", id="x")
        >>> Timeline._from_sorted([e]) == Timeline([e])
        True
        """
        evs = tuple(events)
        return cls._make(evs, *_columns(evs))

    def __reduce__(self) -> tuple[Callable[[tuple[Event, ...]], Timeline], tuple[object, ...]]:
        return (_restore, (self._events,))

    def __copy__(self) -> Timeline:
        return self  # an immutable value

    def __deepcopy__(self, memo: dict[int, object]) -> Timeline:
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Timeline is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Timeline is immutable; cannot delete {name!r}")

    # ---- protocols ---------------------------------------------------------------------------

    @property
    def _events(self) -> tuple[Event, ...]:
        """The events, in order (a tuple; gathered from the root on first use)."""
        ev = self._ev
        if ev is None:
            src, sel = self._source(src_has=self._src is not None and self._src._ev is not None)
            if src is None or sel is None:
                ev = self._gather(cast(Timeline, self._root)._events)
            elif isinstance(sel, list):
                ev = Runs.from_local(sel).gather(src._events)
            else:
                ev = (src._events[sel[0]],) if len(sel) == 1 else itemgetter(*sel)(src._events)
            object.__setattr__(self, "_ev", ev)
        return ev

    def _source(
        self, *, src_has: bool, what: str = "events"
    ) -> tuple[Timeline | None, list[tuple[int, int]] | array[int] | None]:
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

    def _from_parent(self, derived: Timeline, sel: list[tuple[int, int]] | array[int]) -> Timeline:
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
            col = array("q", self._gather(getattr(cast(Timeline, self._root), name)))
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

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __reversed__(self) -> Iterator[Event]:
        return reversed(self._events)

    @overload
    def __getitem__(self, key: int) -> Event: ...
    @overload
    def __getitem__(self, key: str) -> Event: ...
    @overload
    def __getitem__(self, key: slice) -> Timeline: ...
    def __getitem__(self, key: int | str | slice) -> Event | Timeline:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step == 1:
                return self._take_runs([(start, stop)] if stop > start else [])
            return self._take(sorted(range(start, stop, step)))
        if isinstance(key, str):
            pos = self._ids().get(key)
            if pos is None:
                raise UnknownEvent(f"no event with id {key!r} in this timeline")
            return self._events[pos]
        if isinstance(key, bool) or not hasattr(key, "__index__"):
            raise InvalidArgument(
                f"a Timeline is indexed by position, slice or event id, not {key!r}"
            )
        key = key.__index__()
        n = len(self)
        if not -n <= key < n:
            raise IndexError(f"timeline index {key} is out of range for {n} events")
        return self._at(key if key >= 0 else key + n)

    def _at(self, pos: int) -> Event:
        """The event at a valid non-negative position, without gathering every event."""
        ev = self._ev
        if ev is not None:
            return ev[pos]
        root = cast(Timeline, self._root)
        if self._rpos is not None:
            return root._at(self._rpos[pos])
        return root._at(cast(Runs, self._runs).root_position(pos))

    def ids(self) -> tuple[str, ...]:
        """The event ids, in timeline order (read from a column, without touching the events).

        >>> from relations import Event
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
            if self._root is None:
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

    def get(self, id: str, default: Event | None = None) -> Event | None:
        """The event with this id, or ``default``.

        >>> from relations import Event
        >>> tl = of(Event("2024", "trade", ["RUS"], "Trade", id="x"))
        >>> tl.get("x").title, tl.get("nope")
        ('Trade', None)
        """
        pos = self._ids().get(id)
        return default if pos is None else self._events[pos]

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._ids()
        if isinstance(item, Event):
            pos = self._ids().get(item.id)
            if pos is None:
                return False
            mine = self._events[pos]
            return mine is item or mine == item
        return False

    def index(self, item: Event | str) -> int:
        """The position of an event (or of the event with an id) in this timeline.

        >>> from relations import Event
        >>> tl = of(Event("2024", "trade", ["RUS"], "A", id="a"),
        ...         Event("2023", "trade", ["RUS"], "B", id="b"))
        >>> tl.index("a"), tl.index(tl[0])
        (1, 0)
        """
        key = item if isinstance(item, str) else item.id
        pos = self._ids().get(key)
        if pos is None or not (isinstance(item, str) or item in self):
            raise UnknownEvent(f"no event {key!r} in this timeline")
        return pos

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Timeline):
            return self is other or self._events == other._events
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, Timeline):
            return not (self is other or self._events == other._events)
        return NotImplemented

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = hash(self._events)
            object.__setattr__(self, "_hash", h)
        return h

    def __repr__(self) -> str:
        n = len(self._events)
        if n == 0:
            return "<Timeline 0 events>"
        first, last = str(self._at(0).when), str(self._at(n - 1).when)
        span = first if n == 1 or first == last else f"{first} … {last}"
        idx = self._cache.get("timeline.index:actors")
        if isinstance(idx, dict):
            actors = len(idx)
        else:
            actors = len({a for e in self._events for a in e.actors})
        return (
            f"<Timeline {n} event{'s' if n != 1 else ''} {span}, "
            f"{actors} actor{'s' if actors != 1 else ''}>"
        )

    # ---- internal: positions, runs and indexes -----------------------------------------------

    def _ids(self) -> dict[str, int]:
        d = self._cache.get("timeline.ids")
        if d is None:
            d = {e.id: i for i, e in enumerate(self._events)}
            self._cache["timeline.ids"] = d
        return cast(dict[str, int], d)

    def _take(self, positions: Sequence[int]) -> Timeline:
        """The events at ascending, distinct ``positions``, as a Timeline (shares the events).

        >>> from relations import Event
        >>> tl = of(*(Event(f"200{i}", "trade", ["RUS"], "T", id=f"e{i}") for i in range(4)))
        >>> [e.id for e in tl._take([0, 2])], tl._take(range(4)) is tl
        (['e0', 'e2'], True)
        """
        k = len(positions)
        if isinstance(positions, range) and positions.step == 1:
            return self._take_runs([(positions.start, positions.stop)] if k else [])
        if k == 0:
            return _empty(type(self))
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

    def _take_runs(self, runs: Sequence[tuple[int, int]]) -> Timeline:
        """The events in local half-open runs (ascending, disjoint); shares indexes if few."""
        merged = Runs.from_local(runs)
        total = len(merged)
        if total == len(self):
            return self
        if total == 0:
            return _empty(type(self))
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
        if mapped.count > _indexes.MAX_RUNS:  # too fragmented for runs: list the positions
            rpos = array("q", chain.from_iterable(map(range, mapped.starts, mapped.stops)))
            return self._from_parent(self._make(None, los, his, root, None, rpos), pieces)
        # A range query costs O(log n + runs) plus copies of two integer columns; the events
        # are gathered only when needed.
        return self._from_parent(self._make(None, los, his, root, mapped), pieces)

    def _own(self, name: str) -> dict[Hashable, array[int]]:
        key = "timeline.index:" + name
        idx = self._cache.get(key)
        if idx is None:
            idx = postings_by(self._events, _KEYS[name])
            self._cache[key] = idx
        return cast("dict[Hashable, array[int]]", idx)

    def _uses_root(self, cache_key: str) -> Timeline | None:
        """The root whose index ``cache_key`` this timeline should use, if any.

        A derived timeline uses its root's index when the root has built it already, or when
        the timeline is a sizeable part of the root (building the root's index then costs at
        most ``SHARE_RATIO`` times building its own, and serves every other query too).
        """
        root = self._root
        if root is None or cache_key in self._cache:
            return None
        if cache_key in root._cache or len(self) * _indexes.SHARE_RATIO >= len(root):
            return root
        return None

    def _postings(self, name: str, key: Hashable) -> Sequence[int]:
        """Local positions of the events with ``key`` in index ``name`` (ascending)."""
        root = self._uses_root("timeline.index:" + name)
        if root is None:
            return self._own(name).get(key, _EMPTY_POS)
        found = root._own(name).get(key)
        if found is None:
            return _EMPTY_POS
        if self._runs is not None:
            return restrict(found, self._runs)
        return locate(found, cast("array[int]", self._rpos))

    def _sub(self, name: str, key: Hashable) -> Timeline:
        """The events with one index key; cached (a covering index entry)."""
        ck = f"timeline.sub:{name}:{key!r}"
        hit = self._cache.get(ck)
        if hit is None:
            hit = self._take(self._postings(name, key))
            if hit is not self:
                hit._cache[_KEPT] = 0  # kept: counts the range queries asked of it
            self._cache[ck] = hit
        return cast(Timeline, hit)

    def _select(self, name: str, keys: Iterable[Hashable], *, all_: bool) -> Timeline:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return self if all_ else _empty(type(self))
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
            root = cast(Timeline, self._root)
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

    def _bounded(self, a: int, b: int, latest: Callable[[int], int] | None = None) -> Timeline:
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
            return _empty(type(self))
        if b >= _POS_INF:
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

    def _overlapping(self, a: int, b: int) -> Timeline:
        """Events with ``lo <= b`` and ``hi >= a``: one slice plus imprecise and long events
        that begin before ``a`` and may reach it (per extent group one bisection: those with
        ``lo >= a - d``)."""
        los, his = self._columns()
        j = bisect_right(los, b)
        if j == 0 or b < a:
            return _empty(type(self))
        i = bisect_left(los, a, 0, j)
        extra: list[int] = []
        if i > 0 and a > _NEG_INF:
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

    def _window(self, a: int, b: int, mode: str, where: str) -> Timeline:
        _check_mode(mode, where)
        self._count_range_query()
        return self._bounded(a, b) if mode == "within" else self._overlapping(a, b)

    # ---- time queries --------------------------------------------------------------------------

    def between(self, start: object, end: object, mode: Mode = "overlaps") -> Timeline:
        """Events in the days from ``start`` to ``end``, both inclusive at their own precision.

        ``between("2022", "2025")`` is 2022-01-01 .. 2025-12-31 (``start``'s earliest day to
        ``end``'s latest). ``mode="overlaps"`` (default) keeps every event that may fall in the
        range (``lo <= end`` and ``hi >= start``), including long events that began before it;
        ``mode="within"`` keeps events certainly inside it (``lo >= start`` and
        ``hi <= end``). O(log n + k + edge and long events).

        >>> from relations import Event
        >>> tl = of(Event("2021/2023", "military.exercise", ["RUS", "PRK"], "Drills", id="d"),
        ...         Event("2022-03", "diplomacy.visit", ["RUS", "PRK"], "Visit", id="v"))
        >>> [e.id for e in tl.between("2022", "2025")]
        ['d', 'v']
        >>> [e.id for e in tl.between(2022, 2025, mode="within")]
        ['v']
        """
        s = _coerce(start, "between(): start")
        e = _coerce(end, "between(): end")
        if e.hi < s.lo:
            raise InvalidArgument(f"between({str(s)!r}, {str(e)!r}): the end is before the start")
        return self._window(s.lo, e.hi, mode, "between()")

    def on(self, x: object, mode: Mode = "overlaps") -> Timeline:
        """Events on ``x`` (a day, a month, a year, ...): ``between(x, x, mode)``.

        >>> from relations import Event
        >>> tl = of(Event("2024-06", "diplomacy.visit", ["RUS"], "Visit", id="v"))
        >>> len(tl.on("2024-06-19")), len(tl.on("2024-06-19", mode="within"))
        (1, 0)
        """
        w = _coerce(x, "on()")
        return self._window(w.lo, w.hi, mode, "on()")

    def before(self, x: object, mode: Mode = "within") -> Timeline:
        """Events before ``x`` began: certainly over (``hi < x``'s first day; default) or, with
        ``mode="overlaps"``, possibly begun before it (``lo <`` ``x``'s first day).

        Strict, like "before 2008" in :meth:`When.parse <relations.When.parse>`; see
        :meth:`until` for "on or before". O(log n + k + edge and long events).

        >>> from relations import Event
        >>> tl = of(Event("2023", "trade", ["RUS"], "A", id="a"),
        ...         Event("2024-01-01", "trade", ["RUS"], "B", id="b"))
        >>> [e.id for e in tl.before("2024-01-01")], [e.id for e in tl.before("2023-06")]
        (['a'], [])
        >>> [e.id for e in tl.before("2023-06", mode="overlaps")]
        ['a']
        """
        w = _coerce(x, "before()")
        return self._window(_NEG_INF, w.lo - 1, mode, "before()")

    def until(self, x: object, mode: Mode = "within") -> Timeline:
        """Events on or before ``x``: certainly over by ``x``'s last day (default) or, with
        ``mode="overlaps"``, possibly begun by then (the same as :meth:`as_of`).

        >>> from relations import Event
        >>> tl = of(Event("2024-06-19", "trade", ["RUS"], "A", id="a"),
        ...         Event("2024-06", "trade", ["RUS"], "B", id="b"))
        >>> [e.id for e in tl.until("2024-06-19")], [e.id for e in tl.until("2024-06")]
        (['a'], ['b', 'a'])
        """
        w = _coerce(x, "until()")
        return self._window(_NEG_INF, w.hi, mode, "until()")

    def after(self, x: object, mode: Mode = "within") -> Timeline:
        """Events after ``x`` ended: certainly begun after ``x``'s last day (default) or, with
        ``mode="overlaps"``, possibly still going on after it (``hi >`` ``x``'s last day).

        Strict, like "after 2008"; see :meth:`since` for "on or after".

        >>> from relations import Event
        >>> tl = of(Event("2023/..", "military.deployment", ["RUS"], "A", id="a"),
        ...         Event("2024-02", "trade", ["RUS"], "B", id="b"))
        >>> [e.id for e in tl.after("2023")], [e.id for e in tl.after("2023", mode="overlaps")]
        (['b'], ['a', 'b'])
        """
        w = _coerce(x, "after()")
        return self._window(w.hi + 1, _POS_INF, mode, "after()")

    def since(self, x: object, mode: Mode = "within") -> Timeline:
        """Events on or after ``x``: certainly begun on or after ``x``'s first day (default) or,
        with ``mode="overlaps"``, possibly going on then or later (``hi >=`` its first day).

        >>> from relations import Event
        >>> tl = of(Event("1950/1953", "military.war", ["PRK", "KOR"], "War", id="w"),
        ...         Event("1953-07-27", "agreement.armistice", ["PRK", "KOR"], "Armistice",
        ...               id="a"))
        >>> [e.id for e in tl.since("1953")], [e.id for e in tl.since("1953", "overlaps")]
        (['a'], ['w', 'a'])
        """
        w = _coerce(x, "since()")
        return self._window(w.lo, _POS_INF, mode, "since()")

    def as_of(self, x: object, *, definitely: bool = False) -> Timeline:
        """Events that had begun by ``x`` (by its last day).

        By default, events that *possibly* had begun (earliest day ``<=`` the last day of
        ``x``); with ``definitely=True``, only events whose latest possible start is by then
        (an interval's start bound, so a war from 1950 to 1953 had definitely begun by 1951).
        Whether an event is still going on is not considered: see :meth:`since`
        (``mode="overlaps"``) for that, and ``relations.projections`` for the state as of a day.

        >>> from relations import Event
        >>> tl = of(Event("1950/1953", "military.war", ["PRK", "KOR"], "War", id="w"),
        ...         Event("1951", "diplomacy.talks", ["PRK", "KOR"], "Talks", id="t"))
        >>> [e.id for e in tl.as_of("1951-06")], [e.id for e in tl.as_of("1951-06",
        ...                                                             definitely=True)]
        (['w', 't'], ['w'])
        """
        w = _coerce(x, "as_of()")
        self._count_range_query()
        if not definitely:
            return self._overlapping(_NEG_INF, w.hi)
        events = self._events
        return self._bounded(_NEG_INF, w.hi, lambda p: _latest_start(events[p].when))

    # ---- who and what --------------------------------------------------------------------------

    def involving(
        self, *actors: str, any: bool = False, follow_succession: bool = False
    ) -> Timeline:
        """Events involving all of ``actors`` (any of them with ``any=True``).

        Names resolve like :meth:`Actor.resolve <relations.Actor.resolve>` (``"Russia"``,
        ``"RU"``, ``"RUS"``). With ``follow_succession=True`` an actor also stands for the
        states it succeeded (:func:`~relations.actors.predecessors_of`): Russia's history
        then includes the USSR's events, at any date. No actors: every event (``any=False``)
        or none (``any=True``). O(m) through the actor and dyad indexes; cached per key.

        >>> from relations import Event
        >>> tl = of(Event("1949-03-17", "agreement.treaty.signed", ["USSR", "PRK"],
        ...               "Agreement on economic and cultural cooperation", id="1949"),
        ...         Event("2024-06-19", "agreement.treaty.signed", ["Russia", "DPRK"],
        ...               "Treaty", id="2024"),
        ...         Event("2024-07", "diplomacy.visit", ["PRK", "CHN"], "Visit", id="chn"))
        >>> [e.id for e in tl.involving("Russia", "North Korea")]
        ['2024']
        >>> [e.id for e in tl.involving("Russia", "North Korea", follow_succession=True)]
        ['1949', '2024']
        >>> [e.id for e in tl.involving("RUS", "CHN", any=True)]
        ['2024', 'chn']
        """
        codes = list(dict.fromkeys(resolve_code(a) for a in actors))
        groups = [_group(c, follow_succession) for c in codes]
        if any:
            return self._select("actors", [c for g in groups for c in g], all_=False)
        if not groups:
            return self
        if len(groups) == 1:
            return self._select("actors", groups[0], all_=False)
        g1, g2 = groups[0], groups[1]
        if set(g1).isdisjoint(g2):
            pairs = [_dyad(x, y) for x in g1 for y in g2]
            if len(groups) == 2:
                return self._select("dyads", pairs, all_=False)
            pos: Sequence[int] = union([self._postings("dyads", p) for p in pairs])
            rest = groups[2:]
        else:
            pos = self._any_of("actors", g1)
            rest = groups[1:]
        for g in rest:
            if not pos:
                break
            pos = intersect(pos, self._any_of("actors", g))
        return self._take(pos)

    def _any_of(self, name: str, keys: Sequence[Hashable]) -> Sequence[int]:
        if len(keys) == 1:
            return self._postings(name, keys[0])
        return union([self._postings(name, k) for k in keys])

    def from_to(
        self,
        source: str | None = None,
        target: str | None = None,
        *,
        follow_succession: bool = False,
    ) -> Timeline:
        """Directed events from ``source`` (the acting actor) to ``target`` (one acted upon).

        Either side may be omitted (``from_to("PRK")``: everything PRK did to anyone;
        ``from_to(target="RUS")``: everything done to Russia); with neither, every directed
        event. Undirected events are never included: they record that actors were involved,
        not who acted on whom (use :meth:`involving` for them). ``follow_succession`` as in
        :meth:`involving`. O(m) through the directed indexes.

        >>> from relations import Event
        >>> tl = of(Event("2024-10", "military.deployment", ["PRK", "RUS"], "Troops", id="t",
        ...               directed=True),
        ...         Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty",
        ...               id="s"))
        >>> [e.id for e in tl.from_to("PRK", "RUS")], len(tl.from_to("RUS", "PRK"))
        (['t'], 0)
        >>> [e.id for e in tl.from_to(target="Russia")]
        ['t']
        """
        if source is None and target is None:
            return self._sub("directed", True)
        gs = _group(resolve_code(source), follow_succession) if source is not None else None
        gt = _group(resolve_code(target), follow_succession) if target is not None else None
        if gs is not None and gt is not None:
            arcs = [(s, t) for s in gs for t in gt if s != t]
            return self._select("arcs", arcs, all_=False)
        if gs is not None:
            return self._select("sources", gs, all_=False)
        return self._select("targets", cast(tuple[str, ...], gt), all_=False)

    def of_kind(self, *kinds: str) -> Timeline:
        """Events of any of ``kinds``, hierarchically: ``of_kind("military")`` finds
        ``military.deployment`` (see :func:`~relations.kinds.is_within`).

        O(m) through the kind-prefix index (every prefix of every kind is indexed); cached.

        >>> from relations import Event
        >>> tl = of(Event("2024-10", "military.deployment", ["PRK"], "Troops", id="t"),
        ...         Event("2024-06", "agreement.treaty.signed", ["PRK"], "Treaty", id="s"),
        ...         Event("2024-07", "militarys", ["PRK"], "Not military", id="x"))
        >>> [e.id for e in tl.of_kind("military")], [e.id for e in tl.of_kind("agreement",
        ...                                                                   "military")]
        (['t'], ['s', 't'])
        """
        valid = [validate_kind(k) for k in kinds]
        # a kind inside another asked-for kind adds nothing
        keep = [k for k in valid if not any(p != k and p in valid for p in _prefixes(k))]
        return self._select("kinds", keep, all_=False)

    def tagged(self, *tags: str, any: bool = False) -> Timeline:
        """Events with all of ``tags`` (any of them with ``any=True``).

        >>> from relations import Event
        >>> tl = of(Event("2024-10", "military.deployment", ["PRK"], "T", id="t",
        ...               tags=["kursk", "troops"]),
        ...         Event("2024-11", "military.combat", ["PRK"], "C", id="c", tags=["kursk"]))
        >>> [e.id for e in tl.tagged("kursk")], [e.id for e in tl.tagged("kursk", "troops")]
        (['t', 'c'], ['t'])
        """
        for t in tags:
            if not isinstance(t, str):
                raise InvalidArgument(f"tagged(): a tag is text, not {t!r}")
        return self._select("tags", tags, all_=not any)

    def with_status(self, *statuses: Status | str) -> Timeline:
        """Events with any of the claim statuses (``confirmed``, ``reported``, ``claimed``,
        ``estimated``, ``disputed``).

        >>> from relations import Event
        >>> tl = of(Event("2024", "trade", ["RUS"], "A", id="a", status="confirmed"),
        ...         Event("2024", "trade", ["RUS"], "B", id="b", status="claimed"))
        >>> [e.id for e in tl.with_status("confirmed", "reported")]
        ['a']
        """
        keys: list[Status] = []
        for s in statuses:
            try:
                keys.append(Status(s))
            except ValueError:
                allowed = ", ".join(x.value for x in Status)
                raise InvalidArgument(
                    f"with_status(): {s!r} is not a status; expected one of {allowed}"
                ) from None
        return self._select("status", keys, all_=False)

    def sourced_by(self, *publishers: str, any: bool = False) -> Timeline:
        """Events with a source from all of ``publishers`` (any of them with ``any=True``);
        publishers compare case-insensitively.

        >>> from relations import Event, Source
        >>> tl = of(Event("2024", "trade", ["RUS"], "A", id="a", sources=[Source("Reuters")]),
        ...         Event("2024", "trade", ["RUS"], "B", id="b", sources=[Source("TASS")]))
        >>> [e.id for e in tl.sourced_by("reuters")], len(tl.sourced_by("TASS", "Reuters"))
        (['a'], 0)
        """
        keys = []
        for p in publishers:
            if not isinstance(p, str):
                raise InvalidArgument(f"sourced_by(): a publisher is text, not {p!r}")
            keys.append(p.casefold())
        return self._select("publishers", keys, all_=not any)

    def with_quantity(self, *names: str, any: bool = False) -> Timeline:
        """Events that report all of the named quantities (any of them with ``any=True``).

        >>> from relations import Event
        >>> tl = of(Event("2024-10", "military.deployment", ["PRK"], "T", id="t",
        ...               quantities={"soldiers": 11000}),
        ...         Event("2024-11", "military.combat", ["PRK"], "C", id="c"))
        >>> [e.id for e in tl.with_quantity("soldiers")]
        ['t']
        """
        for n in names:
            if not isinstance(n, str):
                raise InvalidArgument(f"with_quantity(): a quantity name is text, not {n!r}")
        return self._select("quantities", names, all_=not any)

    def precision_at_least(self, precision: Precision | str) -> Timeline:
        """Events dated at least this precisely: ``precision_at_least("month")`` keeps events
        known to the month, day or finer (an interval counts at its coarsest end).

        >>> from relations import Event
        >>> tl = of(Event("2024", "trade", ["RUS"], "A", id="a"),
        ...         Event("2024-06", "trade", ["RUS"], "B", id="b"),
        ...         Event("2024-06-19", "trade", ["RUS"], "C", id="c"))
        >>> [e.id for e in tl.precision_at_least("month")]
        ['b', 'c']
        """
        p = _precision(precision)
        return self._select("precision", [q for q in Precision if q <= p], all_=False)

    def where(self, predicate: Callable[[Event], object]) -> Timeline:
        """Events for which ``predicate(event)`` is true. O(n): a scan, no index applies.

        >>> from relations import Event
        >>> tl = of(Event("2024", "trade", ["RUS"], "Trade up", id="a"),
        ...         Event("2024", "trade", ["RUS"], "Trade down", id="b"))
        >>> [e.id for e in tl.where(lambda e: "up" in e.title)]
        ['a']
        """
        return self._take([i for i, e in enumerate(self._events) if predicate(e)])

    # ---- single events and time structure -----------------------------------------------------

    def first(self) -> Event | None:
        """The first event in timeline order (None if empty).

        >>> from relations import Event
        >>> of(Event("2024", "trade", ["RUS"], "A", id="a"),
        ...    Event("1999", "trade", ["RUS"], "B", id="b")).first().id
        'b'
        """
        return self._at(0) if len(self) else None

    def last(self) -> Event | None:
        """The last event in timeline order: the latest by (earliest day, latest day, id).

        >>> from relations import Event
        >>> of(Event("2024", "trade", ["RUS"], "A", id="a"),
        ...    Event("1999", "trade", ["RUS"], "B", id="b")).last().id
        'a'
        >>> print(Timeline().last())
        None
        """
        n = len(self)
        return self._at(n - 1) if n else None

    def _prefix_max(self) -> array[int]:
        pm = self._cache.get("timeline.prefix_max_hi")
        if pm is None:
            pm = array("q", accumulate(self._his, max))
            self._cache["timeline.prefix_max_hi"] = pm
        return cast("array[int]", pm)

    def span(self) -> When | None:
        """The days this timeline covers, from its earliest to its latest possible day; open
        ends stay open. None if empty, or if it reaches back *and* forward without bound (EDTF
        has no ``../..``).

        >>> from relations import Event
        >>> str(of(Event("1950/1953", "military.war", ["PRK"], "W", id="w"),
        ...        Event("1951-06", "trade", ["PRK"], "T", id="t")).span())
        '1950-01-01/1953-12-31'
        """
        if not self._los:
            return None
        lo, hi = self._los[0], self._prefix_max()[-1]
        if lo <= UNBOUNDED_LO and hi >= UNBOUNDED_HI:
            return None
        return _days_when(lo, hi)

    def nearest(self, x: object) -> Event | None:
        """The event closest in time to ``x``: the least number of days between any of its
        possible days and any day of ``x`` (0 if they may overlap); ties go to the first in
        timeline order. None if empty. O(log n).

        >>> from relations import Event
        >>> tl = of(Event("2024-01-10", "trade", ["RUS"], "A", id="a"),
        ...         Event("2024-02-01", "trade", ["RUS"], "B", id="b"))
        >>> tl.nearest("2024-01-25").id, tl.nearest("2024-01-21").id, tl.nearest("2030").id
        ('b', 'a', 'b')
        """
        w = _coerce(x, "nearest()")
        if not self._los:
            return None
        los, pm = self._los, self._prefix_max()
        j = bisect_right(los, w.hi)  # events starting by x's last day: [0, j)
        best_pos, best = -1, 0
        if j > 0:
            m = pm[j - 1]
            if m >= w.lo:  # one of them reaches x: the first that does
                return self._at(bisect_left(pm, w.lo, 0, j))
            best_pos, best = bisect_left(pm, m, 0, j), w.lo - m
        if j < len(los):
            d = los[j] - w.hi
            if best_pos < 0 or d < best:
                best_pos = j
        return self._at(best_pos)

    def before_event(self, id: str) -> Event | None:
        """The event just before the event ``id`` in timeline order (None if it is the first).

        For all events certainly before it in time, ask ``tl.before(tl[id].when)``.

        >>> from relations import Event
        >>> tl = of(Event("2024-01", "trade", ["RUS"], "A", id="a"),
        ...         Event("2024-02", "trade", ["RUS"], "B", id="b"))
        >>> tl.before_event("b").id, tl.before_event("a")
        ('a', None)
        """
        pos = self._position(id, "before_event()")
        return self._at(pos - 1) if pos > 0 else None

    def after_event(self, id: str) -> Event | None:
        """The event just after the event ``id`` in timeline order (None if it is the last).

        >>> from relations import Event
        >>> tl = of(Event("2024-01", "trade", ["RUS"], "A", id="a"),
        ...         Event("2024-02", "trade", ["RUS"], "B", id="b"))
        >>> tl.after_event("a").id, tl.after_event("b")
        ('b', None)
        """
        pos = self._position(id, "after_event()")
        return self._at(pos + 1) if pos + 1 < len(self) else None

    def _position(self, id: str, where: str) -> int:
        pos = self._ids().get(id)
        if pos is None:
            raise UnknownEvent(f"{where}: no event with id {id!r} in this timeline")
        return pos

    def gaps(self, longer_than: int | _dt.timedelta = 0) -> tuple[Gap, ...]:
        """Quiet periods: runs of days between the first and the last event on which no event
        can have taken place (no event's possible days include them), longer than
        ``longer_than`` (days, or a ``timedelta``/pendulum ``Duration``). O(n) once, then O(g).

        >>> from relations import Event
        >>> tl = of(Event("2020", "trade", ["RUS"], "A", id="a"),
        ...         Event("2021-03", "trade", ["RUS"], "B", id="b"),
        ...         Event("2021-04-02", "trade", ["RUS"], "C", id="c"))
        >>> [str(g) for g in tl.gaps()]
        ['2021-01-01/2021-02-28 (59 days)', '2021-04-01 (1 days)']
        >>> [str(g) for g in tl.gaps(longer_than=30)]
        ['2021-01-01/2021-02-28 (59 days)']
        """
        if isinstance(longer_than, _dt.timedelta):
            limit = longer_than.days
        elif isinstance(longer_than, int) and not isinstance(longer_than, bool):
            limit = longer_than
        else:
            raise InvalidArgument(
                f"gaps(): longer_than must be days (int) or a timedelta, not {longer_than!r}"
            )
        all_gaps = self._cache.get("timeline.gaps")
        if all_gaps is None:
            all_gaps = _sweep_gaps(self._los, self._his)
            self._cache["timeline.gaps"] = all_gaps
        return tuple(g for g in cast(tuple[Gap, ...], all_gaps) if g.days > limit)

    def intervals(self) -> tuple[Interval, ...]:
        """The time between each pair of consecutive events (n - 1 :class:`Interval` records):
        least and most days from the end of one to the start of the next. O(n).

        >>> from relations import Event
        >>> tl = of(Event("2024-06-01", "trade", ["RUS"], "A", id="a"),
        ...         Event("2024-06-03", "trade", ["RUS"], "B", id="b"),
        ...         Event("2024-07", "trade", ["RUS"], "C", id="c"))
        >>> [(i.first, i.second, i.least, i.most) for i in tl.intervals()]
        [('a', 'b', 2, 2), ('b', 'c', 28, 58)]
        """
        ev = self._events
        out = []
        for a, b in pairwise(ev):
            least, most = a.when.gap(b.when)
            out.append(Interval(a.id, b.id, least, most))
        return tuple(out)

    # ---- set algebra ---------------------------------------------------------------------------

    def __or__(self, other: Timeline) -> Timeline:
        if not isinstance(other, Timeline):
            return NotImplemented
        return self.merge(other)

    def __and__(self, other: Timeline) -> Timeline:
        if not isinstance(other, Timeline):
            return NotImplemented
        if other is self:
            return self
        theirs, tev = other._ids(), other._events
        keep: list[int] = []
        for i, e in enumerate(self._events):
            p = theirs.get(e.id)
            if p is not None:
                o = tev[p]
                if o is not e and o != e:
                    raise _conflict(e.id, e, o)
                keep.append(i)
        return self._take_positions(keep)

    def __sub__(self, other: Timeline) -> Timeline:
        if not isinstance(other, Timeline):
            return NotImplemented
        if other is self:
            return _empty(type(self))
        theirs = other._ids()
        return self._take_positions([i for i, e in enumerate(self._events) if e.id not in theirs])

    def _take_positions(self, positions: list[int]) -> Timeline:
        runs = runs_of(positions)
        if len(runs) <= _indexes.MAX_RUNS:
            return self._take_runs(runs)
        return self._take(positions)

    def merge(self, other: Iterable[Event], *, on_conflict: Conflict = "raise") -> Timeline:
        """Events of both, each id once (``tl | other`` is ``merge(other)``).

        Two different events with one id raise :class:`~relations.DuplicateEvent`, unless
        ``on_conflict`` is ``"ours"`` (keep this timeline's) or ``"theirs"`` (keep the other's).

        >>> from relations import Event
        >>> a = Event("2024", "trade", ["RUS"], "A", id="a")
        >>> b = Event("2023", "trade", ["RUS"], "B", id="b")
        >>> [e.id for e in of(a).merge(of(b))], [e.title for e in
        ...     of(a).merge([a.evolve(title="A2")], on_conflict="theirs")]
        (['b', 'a'], ['A2'])
        """
        if on_conflict not in ("raise", "ours", "theirs"):
            raise InvalidArgument(
                f"merge(): on_conflict must be 'raise', 'ours' or 'theirs', not {on_conflict!r}"
            )
        if other is self:
            return self
        incoming = other if isinstance(other, Timeline) else Timeline(other)
        mine, ev = self._ids(), self._events
        new: list[Event] = []
        replaced: set[int] = set()
        for e in incoming._events:
            p = mine.get(e.id)
            if p is None:
                new.append(e)
                continue
            o = ev[p]
            if o is e or o == e:
                continue
            if on_conflict == "raise":
                raise _conflict(e.id, o, e)
            if on_conflict == "theirs":
                replaced.add(p)
                new.append(e)
        if not new:
            return self
        if not self._events:
            return incoming
        kept = [e for i, e in enumerate(ev) if i not in replaced] if replaced else list(ev)
        evs = tuple(sorted(kept + new, key=_order))  # Timsort merges the two sorted runs
        return self._make(evs, *_columns(evs))

    def diff(self, other: Timeline) -> TimelineDiff:
        """What changed from this timeline to ``other``, by id: added, removed, changed.

        >>> from relations import Event
        >>> a = Event("2024", "trade", ["RUS"], "A", id="a")
        >>> b = Event("2023", "trade", ["RUS"], "B", id="b")
        >>> of(a, b).diff(of(a.evolve(title="A2"), Event("2025", "trade", ["RUS"], "C",
        ...                                              id="c")))
        TimelineDiff(added=('c',), removed=('b',), changed=('a',))
        """
        mine, theirs = self._ids(), other._ids()
        added = [i for i in theirs if i not in mine]
        removed = [i for i in mine if i not in theirs]
        changed = [
            i
            for i, p in mine.items()
            if i in theirs
            and self._events[p] is not other._events[theirs[i]]
            and self._events[p] != other._events[theirs[i]]
        ]
        return TimelineDiff(added, removed, changed)

    def add(self, *events: Event) -> Timeline:
        """A new timeline with ``events`` added (an event already present is kept once; a
        different event with an existing id raises :class:`~relations.DuplicateEvent`).

        >>> from relations import Event
        >>> tl = of(Event("2024", "trade", ["RUS"], "A", id="a"))
        >>> tl2 = tl.add(Event("2023", "trade", ["RUS"], "B", id="b"))
        >>> len(tl), [e.id for e in tl2]
        (1, ['b', 'a'])
        """
        return self.merge(Timeline(_as_events(events, "add()")))

    def remove(self, *ids: str) -> Timeline:
        """A new timeline without the events with these ids (an unknown id raises
        :class:`~relations.UnknownEvent`).

        >>> from relations import Event
        >>> tl = of(Event("2024", "trade", ["RUS"], "A", id="a"),
        ...         Event("2023", "trade", ["RUS"], "B", id="b"))
        >>> [e.id for e in tl.remove("b")], len(tl)
        (['a'], 2)
        >>> tl.remove("zzz")
        Traceback (most recent call last):
        ...
        relations.errors.UnknownEvent: remove(): no event with id 'zzz' in this timeline
        """
        drop = sorted({self._position(i, "remove()") for i in ids})
        return self._take_runs(range_minus(0, len(self), drop))


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


def _restore(events: tuple[Event, ...]) -> Timeline:
    return Timeline._from_sorted(events)


def _columns(events: Sequence[Event]) -> tuple[array[int], array[int]]:
    whens = [e.when for e in events]
    return array("q", [w.lo for w in whens]), array("q", [w.hi for w in whens])


_EMPTIES: dict[type, Timeline] = {}


def _empty(cls: type[Timeline]) -> Timeline:
    tl = _EMPTIES.get(cls)
    if tl is None:
        tl = cls._make((), array("q"), array("q"))
        _EMPTIES[cls] = tl
    return tl


def _group(code: str, follow_succession: bool) -> tuple[str, ...]:
    if not follow_succession:
        return (code,)
    return (code, *(p for p in predecessors_of(code) if p != code))


_PRECISION_NAMES = {p.name.lower(): p for p in Precision}


def _precision(value: Precision | str) -> Precision:
    if isinstance(value, Precision):
        return value
    if isinstance(value, str) and value.strip().lower() in _PRECISION_NAMES:
        return _PRECISION_NAMES[value.strip().lower()]
    names = ", ".join(_PRECISION_NAMES)
    raise InvalidArgument(f"precision_at_least(): {value!r} is not a precision; one of {names}")


def _sweep_gaps(los: Sequence[int], his: Sequence[int]) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    if not los:
        return ()
    reach = his[0]
    for lo, hi in zip(los, his, strict=True):
        if reach >= UNBOUNDED_HI:
            break
        if lo > reach + 1:
            gaps.append(Gap(reach + 1, lo - 1))
        if hi > reach:
            reach = hi
    return tuple(g for g in gaps if g.lo > UNBOUNDED_LO)


# ---- module-level constructors and loaders ---------------------------------------------------


def of(*events: Event) -> Timeline:
    """A timeline of the given events: ``of(a, b)`` is ``Timeline([a, b])``.

    >>> from relations import Event
    >>> len(of(Event("2024", "trade", ["RUS"], "Trade")))
    1
    """
    return Timeline(events)


def load(name: str) -> Timeline:
    """A bundled dataset by name (see :func:`datasets`), e.g. ``"russia-north-korea"``.

    >>> tl = load("russia-north-korea")
    >>> len(tl) > 0
    True
    """
    return cast(Timeline, importlib.import_module("relations.datasets").load(name))


def datasets() -> tuple[str, ...]:
    """The names of the bundled datasets.

    >>> "russia-north-korea" in datasets()
    True
    """
    return cast(tuple[str, ...], importlib.import_module("relations.datasets").datasets())


def read_jsonl(
    path: str | os.PathLike[str],
    *,
    errors: Literal["raise", "skip", "collect"] = "raise",
    progress: Callable[[int], None] | None = None,
) -> Timeline:
    """Read canonical JSON Lines (one :meth:`Event.to_dict <relations.Event.to_dict>` record a
    line) into a Timeline; see ``relations.io.read_jsonl`` for ``errors`` and ``progress``.

    >>> import pathlib, tempfile
    >>> from relations import Event
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "events.jsonl"
    >>> _ = p.write_text('{"schema": 1, "when": "2024", "kind": "trade", "actors": ["RUS"], '
    ...                  '"title": "Trade"}\\n')
    >>> len(read_jsonl(p))
    1
    """
    module = importlib.import_module("relations.io")
    return cast(Timeline, module.read_jsonl(path, errors=errors, progress=progress))


def read_csv(
    path: str | os.PathLike[str],
    *,
    errors: Literal["raise", "skip", "collect"] = "raise",
    progress: Callable[[int], None] | None = None,
) -> Timeline:
    """Read events from CSV into a Timeline; see ``relations.io.read_csv`` for the columns,
    ``errors`` and ``progress``.

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = p.write_text("when,kind,actors,title\\n2024,trade,RUS,Trade\\n")
    >>> len(read_csv(p))
    1
    """
    module = importlib.import_module("relations.io")
    return cast(Timeline, module.read_csv(path, errors=errors, progress=progress))
