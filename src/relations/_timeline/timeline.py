"""The public :class:`Timeline` class: what its queries mean, on top of the engine.

The class defines the questions (time ranges and their modes, actors and succession, kinds,
tags, set algebra) and the thin forwarders to aggregation, formats and rendering; the engine it
derives from (:class:`relations._timeline.engine.Engine`) stores the events and answers from its
columns and indexes. Users import it from :mod:`relations.timeline`, whose documentation
describes query semantics and costs.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import pairwise
from typing import IO, TYPE_CHECKING, Any, Literal, TypedDict, cast, overload

from relations import series
from relations._timeline.engine import NEG_INF, POS_INF, Engine, day_columns
from relations._timeline.indexes import intersect, range_minus, union
from relations._timeline.values import Gap, TimeBetween, TimelineDiff
from relations.actors import predecessors_of, resolve_code
from relations.errors import (
    DuplicateEvent,
    InvalidArgument,
    InvalidDate,
    InvalidEvent,
    UnknownEvent,
)
from relations.events import Event, Status, event_order
from relations.keys import dyad, kind_prefixes
from relations.kinds import (
    OPEN_NAMESPACES,
    VOCABULARY,
    is_within,
    unknown_kind_error,
    validate_kind,
)
from relations.when import UNBOUNDED_HI, UNBOUNDED_LO, Precision, When

if TYPE_CHECKING:
    from typing import Unpack

    from relations.aggregate import Bucketing, By, PanelValue, Placement, Scale
    from relations.quantities import Quantity
    from relations.render._common import LaneSpec
    from relations.series import Series

__all__ = [
    "REPR_MAX_EVENTS",
    "STR_MAX_EVENTS",
    "ChartOptions",
    "Conflict",
    "Mode",
    "Timeline",
    "of",
]

Mode = Literal["overlaps", "within"]
"""How a time query treats imprecise events: ``within`` keeps events certainly inside the range,
``overlaps`` keeps events that possibly fall in it."""
Conflict = Literal["raise", "ours", "theirs"]
"""What :meth:`Timeline.merge` does with two different events that share an id."""

#: Timelines larger than this are not drawn automatically by Jupyter (it shows the repr);
#: call ``to_svg()`` or ``to_html()`` to draw them anyway.
REPR_MAX_EVENTS = 2000

#: ``str(tl)`` shows at most this many events (the first and last halves).
STR_MAX_EVENTS = 100

_MODES = ("overlaps", "within")


class ChartOptions(TypedDict, total=False):
    """The keywords of a timeline chart (:meth:`Timeline.to_svg`, :meth:`Timeline.to_html`,
    :meth:`Timeline.save_chart`, :func:`relations.render.to_svg`,
    :func:`relations.render.to_html`), each optional: ``title``, ``subtitle``, ``width``,
    ``lanes``, ``scale``, ``labels``, ``max_label_chars``, ``selection``, ``colors``,
    ``dense``. Each is described, with its default, at :func:`relations.render.to_svg`."""

    title: str | None
    subtitle: str | None
    width: int
    lanes: LaneSpec
    scale: str
    labels: bool | None
    max_label_chars: int
    selection: str | None
    colors: Mapping[str, str] | None
    dense: bool | None


# ---- checks and small helpers ----------------------------------------------------------------


@functools.cache
def _vocabulary_knows(kind: str) -> bool:
    """True for a kind of the standard vocabulary, a parent of one, or a kind of an open
    namespace (``cameo.*``, ``custom.*``, ...)."""
    return kind.split(".")[0] in OPEN_NAMESPACES or any(is_within(v, kind) for v in VOCABULARY)


def _within(mode: object, where: str) -> bool:
    """True for ``mode="within"``, False for ``"overlaps"``; anything else is an error."""
    if mode not in _MODES:
        raise InvalidArgument(f"{where}: mode must be 'overlaps' or 'within', not {mode!r}")
    return mode == "within"


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


def _restore(events: tuple[Event, ...]) -> Timeline:
    return Timeline._from_sorted(events)


# ---- the Timeline ----------------------------------------------------------------------------


class Timeline(Engine):
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

    __slots__ = ()

    def __init__(self, events: Iterable[Event] = ()) -> None:
        if isinstance(events, Timeline):
            self._init(events._events, events._los, events._his)
            return
        by_id: dict[str, Event] = {}
        for e in _as_events(events, "Timeline()"):
            old = by_id.setdefault(e.id, e)
            if old is not e and old != e:
                raise _conflict(e.id, old, e)
        evs = tuple(sorted(by_id.values(), key=event_order))
        self._init(evs, *day_columns(evs))

    def __reduce__(self) -> tuple[Callable[[tuple[Event, ...]], Timeline], tuple[object, ...]]:
        return (_restore, (self._events,))

    def __copy__(self) -> Timeline:
        return self  # an immutable value

    def __deepcopy__(self, memo: dict[int, object]) -> Timeline:
        return self

    # ---- protocols ---------------------------------------------------------------------------

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
        n = len(self)  # (not len(self._events): that builds every event of a columnar root)
        if n == 0:
            return "<Timeline 0 events>"
        first, last = str(self._at(0).when), str(self._at(n - 1).when)
        span = first if n == 1 or first == last else f"{first} … {last}"
        actors = self._actor_count()
        return (
            f"<Timeline {n} event{'s' if n != 1 else ''} {span}, "
            f"{actors} actor{'s' if actors != 1 else ''}>"
        )

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
        return self._window(s.lo, e.hi, _within(mode, "between()"))

    def on(self, x: object, mode: Mode = "overlaps") -> Timeline:
        """Events on ``x`` (a day, a month, a year, ...): ``between(x, x, mode)``.

        >>> from relations import Event
        >>> tl = of(Event("2024-06", "diplomacy.visit", ["RUS"], "Visit", id="v"))
        >>> len(tl.on("2024-06-19")), len(tl.on("2024-06-19", mode="within"))
        (1, 0)
        """
        w = _coerce(x, "on()")
        return self._window(w.lo, w.hi, _within(mode, "on()"))

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
        return self._window(NEG_INF, w.lo - 1, _within(mode, "before()"))

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
        return self._window(NEG_INF, w.hi, _within(mode, "until()"))

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
        return self._window(w.hi + 1, POS_INF, _within(mode, "after()"))

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
        return self._window(w.lo, POS_INF, _within(mode, "since()"))

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
            return self._overlapping(NEG_INF, w.hi)
        events = self._events
        return self._bounded(NEG_INF, w.hi, lambda p: events[p].when.latest_start_day)

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
            return self._select("actor", [c for g in groups for c in g], all_=False)
        if not groups:
            return self
        if len(groups) == 1:
            return self._select("actor", groups[0], all_=False)
        g1, g2 = groups[0], groups[1]
        if set(g1).isdisjoint(g2):
            pairs = [dyad(x, y) for x in g1 for y in g2]
            if len(groups) == 2:
                return self._select("dyad", pairs, all_=False)
            pos: Sequence[int] = union([self._postings("dyad", p) for p in pairs])
            rest = groups[2:]
        else:
            pos = self._any_of("actor", g1)
            rest = groups[1:]
        for g in rest:
            if not pos:
                break
            pos = intersect(pos, self._any_of("actor", g))
        return self._take(pos)

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
            return self._select("arc", arcs, all_=False)
        if gs is not None:
            return self._select("source", gs, all_=False)
        return self._select("target", cast(tuple[str, ...], gt), all_=False)

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

        A kind that no event of a (non-empty) timeline has is fine if a vocabulary knows it
        (the result is empty); otherwise it is a typo, and :class:`~relations.errors.UnknownKind`
        says what was probably meant:

        >>> len(tl.of_kind("diplomacy"))
        0
        >>> tl.of_kind("militray")
        Traceback (most recent call last):
        ...
        relations.errors.UnknownKind: no event has kind 'militray' and no vocabulary knows it; did you mean 'military'?
        """
        # no near-miss warning where the typo raises below (an empty timeline still warns)
        valid = [validate_kind(k, warn=not len(self)) for k in kinds]
        for k in valid:  # a kind no event has and no vocabulary knows is a typo
            if len(self) and not _vocabulary_knows(k) and not self._postings("kind_prefix", k):
                raise unknown_kind_error(k, known={e.kind for e in self})
        # a kind inside another asked-for kind adds nothing
        keep = [k for k in valid if not any(p != k and p in valid for p in kind_prefixes(k))]
        return self._select("kind_prefix", keep, all_=False)

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
        return self._select("tag", tags, all_=not any)

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
        return self._select("publisher", keys, all_=not any)

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
        return self._select("quantity", names, all_=not any)

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
        return When.from_ordinals(lo, hi)

    def nearest(self, x: object, *, open_ends: bool = True) -> Event | None:
        """The event closest in time to ``x``: the least number of days between any of its
        possible days and any day of ``x`` (0 if they may overlap); ties go to the first in
        timeline order. None if empty. O(log n).

        An open (``2008/..``) or unknown (``2008/``) end may reach any later day, so such an
        event is at distance 0 from everything after its start. ``open_ends=False`` measures
        each event by its dated part instead: a missing end stands at the other, dated end
        (``2008/..`` counts as 2008); that costs one pass over the events when the nearest by
        possible days has an open or unknown end. See :doc:`/explanation/dates`.

        >>> from relations import Event
        >>> tl = of(Event("2024-01-10", "trade", ["RUS"], "A", id="a"),
        ...         Event("2024-02-01", "trade", ["RUS"], "B", id="b"))
        >>> tl.nearest("2024-01-25").id, tl.nearest("2024-01-21").id, tl.nearest("2030").id
        ('b', 'a', 'b')
        >>> tl = tl.add(Event("2008/..", "diplomacy", ["RUS"], "Ties grow", id="open"))
        >>> tl.nearest("2024-01-25").id, tl.nearest("2024-01-25", open_ends=False).id
        ('open', 'b')
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
                best_pos = bisect_left(pm, w.lo, 0, j)
            else:
                best_pos, best = bisect_left(pm, m, 0, j), w.lo - m
        if j < len(los) and (best_pos < 0 or (best and los[j] - w.hi < best)):
            best_pos = j
        found = self._at(best_pos)
        if open_ends or (found.lo != UNBOUNDED_LO and found.hi != UNBOUNDED_HI):
            # a dated span is never nearer than its possible days: a bounded winner stands
            return found

        def dated_distance(e: Event) -> int:  # an open or unknown end stands at the other
            v, lo, hi = e.when, e.lo, e.hi
            if v.is_interval and lo == UNBOUNDED_LO and v.end is not None:
                lo = v.end.lo
            if v.is_interval and hi == UNBOUNDED_HI and v.start is not None:
                hi = v.start.hi
            return max(0, lo - w.hi, w.lo - hi)

        return min(self, key=dated_distance)  # min keeps the first of equals

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
        all_gaps = self._memo("timeline.gaps", lambda: _sweep_gaps(self._los, self._his))
        return tuple(g for g in all_gaps if g.days > limit)

    def intervals(self) -> tuple[TimeBetween, ...]:
        """The time between each pair of consecutive events (n - 1 :class:`TimeBetween` records):
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
            out.append(TimeBetween(a.id, b.id, least, most))
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
            return self._empty()
        theirs = other._ids()
        return self._take_positions([i for i, e in enumerate(self._events) if e.id not in theirs])

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
        evs = tuple(sorted(kept + new, key=event_order))  # Timsort merges the two sorted runs
        return self._make(evs, *day_columns(evs))

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

    # ---- aggregation: forwarders to relations.aggregate -----------------------------------------
    # Each forwards its keywords unchanged; the options and their defaults are stated once, in
    # relations.aggregate (see docs/explanation/architecture.md, "Methods on Timeline").

    def count(self, by: By = "month", **options: Unpack[Bucketing]) -> Series[Any, float]:
        """Number of events per period or key: :func:`relations.aggregate.count`.

        >>> from relations import Event
        >>> tl = of(Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "Summit"),
        ...         Event("2024", "trade.volume", ["RUS", "PRK"], "Trade"))
        >>> tl.count(by="month", policy="earliest", fill=True, start="2024-05", end="2024-06").to_dict()
        {Period('2024-05'): 0, Period('2024-06'): 1}
        """
        from relations import aggregate

        return aggregate.count(self, by, **options)

    def group_by(self, by: By, **options: Unpack[Placement]) -> Series[Any, Timeline]:
        """Key → Timeline of the events with that key: :func:`relations.aggregate.group_by`."""
        from relations import aggregate

        return aggregate.group_by(self, by, **options)

    def sum(self, name: str, by: By = "year", **options: Unpack[Bucketing]) -> Series[Any, Any]:
        """Total of quantity or measure ``name`` per key: :func:`relations.aggregate.sum`."""
        from relations import aggregate

        return aggregate.sum(self, name, by, **options)

    def mean(
        self,
        name: str,
        by: By = "year",
        *,
        weight: str | None = None,
        **options: Unpack[Bucketing],
    ) -> Series[Any, Any]:
        """Mean of quantity or measure ``name`` per key (``weight``: a measure to weight by):
        :func:`relations.aggregate.mean`."""
        from relations import aggregate

        return aggregate.mean(self, name, by, weight=weight, **options)

    def panel(
        self,
        by: By = ("dyad", "month"),
        values: Mapping[str, PanelValue] | None = None,
        *,
        fill: bool = True,
        to: Literal["pandas", "polars", "rows"] = "pandas",
        **options: Unpack[Placement],
    ) -> Any:
        """A panel of aggregations (e.g. dyad-month) as a DataFrame: :func:`relations.aggregate.panel`."""
        from relations import aggregate

        return aggregate.panel(self, by, values, fill=fill, to=to, **options)

    def min(
        self, name: str, by: By = "year", **options: Unpack[Bucketing]
    ) -> Series[Any, Quantity | None]:
        """Smallest amount of quantity (or measure) ``name`` per key: :func:`relations.aggregate.min`."""
        from relations import aggregate

        return aggregate.min(self, name, by, **options)

    def max(
        self, name: str, by: By = "year", **options: Unpack[Bucketing]
    ) -> Series[Any, Quantity | None]:
        """Largest amount of quantity (or measure) ``name`` per key: :func:`relations.aggregate.max`."""
        from relations import aggregate

        return aggregate.max(self, name, by, **options)

    def score_sum(
        self, by: By = "month", *, scale: Scale | None = None, **options: Unpack[Bucketing]
    ) -> Series[Any, float]:
        """Net cooperation, the sum of kind scores per key: :func:`relations.aggregate.score_sum`."""
        from relations import aggregate

        return aggregate.score_sum(self, by, scale=scale, **options)

    def score_mean(
        self, by: By = "month", *, scale: Scale | None = None, **options: Unpack[Bucketing]
    ) -> Series[Any, float | None]:
        """Mean kind score per key: :func:`relations.aggregate.score_mean`."""
        from relations import aggregate

        return aggregate.score_mean(self, by, scale=scale, **options)

    def dedupe(
        self, rule: Literal["one_a_day"] | Callable[[Event], Hashable] = "one_a_day"
    ) -> Timeline:
        """Without duplicates, the first of each kept: :func:`relations.aggregate.dedupe`."""
        from relations import aggregate

        return aggregate.dedupe(self, rule)

    def first_occurrence(self, kind: str | None = None, *, by: By = "actor") -> Series[Any, Event]:
        """First event (of ``kind``) per key: :func:`relations.aggregate.first_occurrence`."""
        from relations import aggregate

        return aggregate.first_occurrence(self, kind, by=by)

    def last_occurrence(self, kind: str | None = None, *, by: By = "actor") -> Series[Any, Event]:
        """Last event (of ``kind``) per key: :func:`relations.aggregate.last_occurrence`."""
        from relations import aggregate

        return aggregate.last_occurrence(self, kind, by=by)

    # ---- files, tables, exporters: forwarders to relations.formats --------------------------

    def write_jsonl(
        self,
        path: str | os.PathLike[str] | IO[str] | IO[bytes],
        *,
        progress: Callable[[int], object] | None = None,
    ) -> int:
        """Write the events as JSON Lines (atomically, for a path); return how many. See
        :func:`relations.io.write_jsonl`; read back with ``timeline.read_jsonl``.

        >>> import pathlib, tempfile
        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024", "trade", ["RUS"], "Trade", id="t"))
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.jsonl"
        >>> tl.write_jsonl(path), timeline.read_jsonl(path) == tl
        (1, True)
        """
        from relations.formats.jsonl import write_jsonl

        return write_jsonl(self, path, progress=progress)

    def write_csv(
        self,
        path: str | os.PathLike[str] | IO[str] | IO[bytes],
        *,
        layout: Literal["canonical", "flat"] = "canonical",
        escape_formulas: bool = True,
        progress: Callable[[int], object] | None = None,
    ) -> int:
        """Write the events as CSV (atomically, for a path): :func:`relations.io.write_csv`
        (``layout="flat"`` for spreadsheets); read back with ``timeline.read_csv``."""
        from relations.formats.csv import write_csv

        return write_csv(
            self, path, layout=layout, escape_formulas=escape_formulas, progress=progress
        )

    def to_arrow(
        self,
        *,
        engine_columns: bool = False,
        layout: Literal["canonical", "flat"] = "canonical",
    ) -> Any:
        """The events as a ``pyarrow.Table``: :func:`relations.io.to_arrow` (the columnar
        layout's record columns; ``engine_columns=True`` adds its typed engine columns,
        ``layout="flat"`` gives the flat CSV layout's columns).

        >>> from relations import Event, timeline
        >>> t = timeline.of(Event("2024", "trade", ["RUS", "PRK"], "T", directed=True))
        >>> t.to_arrow(engine_columns=True).column("target").to_pylist()
        ['PRK']
        """
        from relations.formats.arrow import to_arrow

        return to_arrow(self, engine_columns=engine_columns, layout=layout)

    def to_parquet(
        self, path: str | os.PathLike[str], *, partition_by: Literal["year"] | None = None
    ) -> int:
        """Write the events to Parquet in the columnar layout: :func:`relations.io.to_parquet`
        (atomic; ``partition_by="year"`` writes a ``year=YYYY/`` folder per year). Returns the
        number of events written.

        >>> import tempfile, os
        >>> from relations import Event, timeline
        >>> from relations.io import read_parquet
        >>> path = os.path.join(tempfile.mkdtemp(), "events.parquet")
        >>> timeline.of(Event("2024-06", "trade", ["RUS"], "T", id="t")).to_parquet(path)
        1
        >>> [str(e.when) for e in read_parquet(path)]
        ['2024-06']
        """
        from relations.formats.parquet import to_parquet

        return to_parquet(self, path, partition_by=partition_by)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream protocol: ``pyarrow.table(tl)``, ``polars.DataFrame(tl)``,
        DuckDB (``duckdb.sql("select * from tl")``) and ``pandas.DataFrame.from_arrow(tl)``
        (pandas 3) read a Timeline directly. Needs pyarrow.

        >>> import pytest; pa = pytest.importorskip("pyarrow")
        >>> from relations import Event, timeline
        >>> pa.table(timeline.of(Event("2024", "trade", ["RUS"], "Trade"))).column_names[:3]
        ['id', 'when', 'earliest']
        """
        from relations.formats.arrow import to_arrow

        stream: object = to_arrow(self).__arrow_c_stream__(requested_schema)
        return stream

    def to_pandas(self, *, layout: Literal["canonical", "flat"] = "canonical") -> Any:
        """The events as a ``pandas.DataFrame``: :func:`relations.io.to_pandas` (needs the
        ``pandas`` extra; ``layout="flat"``: the flat CSV layout's columns, no JSON text).

        >>> import pytest; _ = pytest.importorskip("pandas")
        >>> from relations import Event, timeline
        >>> df = timeline.of(Event("2024-06", "trade", ["RUS", "PRK"], "Trade")).to_pandas()
        >>> df.loc[0, ["when", "precision"]].tolist()
        ['2024-06', 'month']
        """
        from relations.formats.arrow import to_pandas

        return to_pandas(self, layout=layout)

    def to_polars(self, *, layout: Literal["canonical", "flat"] = "canonical") -> Any:
        """The events as a ``polars.DataFrame``: :func:`relations.io.to_polars` (needs the
        ``polars`` extra; ``layout="flat"``: the flat CSV layout's columns)."""
        from relations.formats.arrow import to_polars

        return to_polars(self, layout=layout)

    @classmethod
    def from_pandas(cls, df: Any) -> Timeline:
        """A Timeline from a DataFrame with the table columns, the inverse of :meth:`to_pandas`:
        :func:`relations.io.from_pandas`.

        >>> import pytest; _ = pytest.importorskip("pandas")
        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024-06~", "trade", ["RUS", "PRK"], "Trade", tags=["x"]))
        >>> timeline.Timeline.from_pandas(tl.to_pandas()) == tl
        True
        """
        from relations.formats.arrow import events_from_pandas

        return cls(events_from_pandas(df))

    def to_timelinejs(
        self, *, title: str | None = None, group_by: Literal["actors", "kind"] | None = None
    ) -> dict[str, Any]:
        """The events as TimelineJS 3 JSON: :func:`relations.io.to_timelinejs`."""
        from relations.formats.exporters import to_timelinejs

        return to_timelinejs(self, title=title, group_by=group_by)

    def to_mermaid(
        self,
        *,
        title: str | None = None,
        bucket: Literal["day", "month", "year"] | None = None,
    ) -> str:
        """The events as a Mermaid ``timeline`` diagram: :func:`relations.io.to_mermaid`.

        >>> from relations import Event
        >>> print(of(Event("2024", "trade", ["RUS"], "Trade: up")).to_mermaid())
        timeline
            2024 : Trade#58; up
        """
        from relations.formats.exporters import to_mermaid

        return to_mermaid(self, title=title, bucket=bucket)

    def to_vis(self, *, group_by: Literal["actors", "kind"] | None = "actors") -> dict[str, Any]:
        """The events as vis-timeline items and groups: :func:`relations.io.to_vis`."""
        from relations.formats.exporters import to_vis

        return to_vis(self, group_by=group_by)

    def to_markdown(self, *, sources: bool = True) -> str:
        """The events as a Markdown table (text escaped): :func:`relations.io.to_markdown`.

        >>> from relations import Event
        >>> print(of(Event("2024", "trade", ["RUS"], "A | B")).to_markdown(sources=False))
        | When | Kind | Actors | Title |
        |---|---|---|---|
        | 2024 | trade | RUS | A \\| B |
        """
        from relations.formats.exporters import to_markdown

        return to_markdown(self, sources=sources)

    # ---- text and charts: forwarders to relations.render ----------------------------------------

    def to_text(
        self,
        *,
        width: int = 100,
        limit: int | None = None,
        title: str | None = None,
        words: bool = True,
    ) -> str:
        """One aligned line per event (EDTF date, date in words, actors, title):
        :func:`relations.render.to_text`.

        >>> from relations import Event
        >>> tl = of(Event("2024-10~", "military.deployment", ["PRK", "RUS"],
        ...               "Troops sent to Kursk", directed=True, status="estimated"))
        >>> print(tl.to_text(width=70))
        2024-10~  c. Oct 2024  PRK → RUS  Troops sent to Kursk [estimate]
        """
        from relations import render

        return render.to_text(self, width=width, limit=limit, title=title, words=words)

    def __str__(self) -> str:
        """The text view (:meth:`to_text`), showing at most 100 events."""
        return self.to_text(limit=STR_MAX_EVENTS)

    def to_svg(self, **options: Unpack[ChartOptions]) -> str:
        """A self-contained SVG timeline chart: :func:`relations.render.to_svg`.

        >>> from relations import Event
        >>> tl = of(Event("2024-06", "diplomacy.visit", ["RUS", "PRK"], "Visit"))
        >>> tl.to_svg(title="One visit").count('class="rl-event"')
        1
        """
        from relations import render

        return render.to_svg(self, **options)

    def to_html(self, **options: Unpack[ChartOptions]) -> str:
        """One self-contained HTML page (the chart, a tooltip per event, a table of events):
        :func:`relations.render.to_html`."""
        from relations import render

        return render.to_html(self, **options)

    def save_chart(self, path: str | os.PathLike[str], **options: Unpack[ChartOptions]) -> None:
        """Write the chart to ``path``: SVG for ``.svg``, the HTML page for ``.html``/``.htm``,
        and PNG or PDF (converted from the SVG; needs ``pip install "relations[png]"``) for
        ``.png`` and ``.pdf``.

        The file is written beside the target and then renamed, so an interrupted write never
        leaves half a chart. Raises :class:`~relations.errors.InvalidArgument` for any other
        suffix.

        >>> import pathlib, tempfile
        >>> from relations import Event
        >>> tl = of(Event("2024-06", "diplomacy.visit", ["RUS", "PRK"], "Visit"))
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "chart.svg"
        >>> tl.save_chart(out)
        >>> out.read_text(encoding="utf-8").startswith("<svg")
        True
        """
        suffix = os.path.splitext(os.fspath(path))[1].lower()
        if suffix == ".svg":
            text = self.to_svg(**options)
        elif suffix in (".html", ".htm"):
            text = self.to_html(**options)
        elif suffix in (".png", ".pdf"):
            from relations.render.convert import save_converted

            save_converted(self.to_svg(**options), path, suffix[1:])
            return
        else:
            raise InvalidArgument(
                f"{os.fspath(path)!r}: a chart is saved as .svg, .html, .png or .pdf"
            )
        from relations.formats.atomic import atomic_write

        with atomic_write(path) as f:
            f.write(text)

    def _repr_svg_(self) -> str | None:
        """Jupyter: the chart as SVG (None, so the repr shows, above 2000 events)."""
        if len(self) > REPR_MAX_EVENTS:
            return None
        return self.to_svg()

    def _repr_html_(self) -> str | None:
        """Jupyter: the chart in a scrolling box (no script; None above 2000 events)."""
        if len(self) > REPR_MAX_EVENTS:
            return None
        from relations import render

        return render.html_fragment(self)


def of(*events: Event) -> Timeline:
    """A timeline of the given events: ``of(a, b)`` is ``Timeline([a, b])``.

    >>> from relations import Event
    >>> len(of(Event("2024", "trade", ["RUS"], "Trade")))
    1
    """
    return Timeline(events)


series.empty_timeline = Timeline  # what an empty Series reports as its unplaced events
