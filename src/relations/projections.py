"""Projections: fold events into the state of something as of any date (valid time).

A :class:`Projection` is an initial state and a function ``apply(state, event) -> state``.
States are immutable values (frozen attrs classes, tuples, numbers), so a state handed out is
never changed later and snapshots can share it.

:func:`fold` replays a Timeline in its order (earliest day, latest day, id) up to ``as_of``.
An event counts as of a date if it *may* have begun by then (its earliest possible day is on
or before the date's last day): imprecision is not hidden, because the state keeps each
event's :class:`~relations.When`, and a projection decides what "still running" or "complete"
means (see :class:`Relationship`).

Costs, for a timeline of ``n`` events, ``m`` of them up to ``as_of``, snapshots every ``k``:

- :func:`fold`: ``O(log n + m)`` applies.
- :func:`fold_many` for ``d`` dates: one pass, ``O(d log d + n)`` applies.
- :class:`Snapshots`: built lazily as far as asked, ``O(n)`` applies once in total and
  ``O(n / k)`` stored states; then each ``as_of`` is ``O(log n + k)`` applies.
- :class:`relations.store.Projector` (fed from a store) keeps snapshots and its log position:
  catching up reads only new records; an event recorded later but dated in the past
  invalidates only the snapshots after its date.

>>> from relations import Event, timeline
>>> tl = timeline.of(
...     Event("2023", "trade.volume", ["RUS", "PRK"], "Trade 2023", quantities={"usd": 34.4}),
...     Event("2024", "trade.volume", ["RUS", "PRK"], "Trade 2024", quantities={"usd": 34.0}),
... )
>>> total = Projection.simple(0.0, lambda s, e: s + float(e.quantities["usd"]))
>>> fold(tl, total, as_of="2023-12-31"), fold(tl, total)
(34.4, 68.4)
"""

from __future__ import annotations

import abc
import bisect
import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from relations._frozen import FrozenMap
from relations.actors import predecessors_of, resolve_code
from relations.errors import InvalidArgument
from relations.events import Event, Status
from relations.kinds import is_within
from relations.quantities import Quantity
from relations.when import UNBOUNDED_HI, When, ymd

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = [
    "Agreement",
    "Projection",
    "Relationship",
    "RelationshipState",
    "Snapshots",
    "fold",
    "fold_many",
]

S = TypeVar("S")


# ---- the protocol -------------------------------------------------------------------------


class Projection(abc.ABC, Generic[S]):
    """An initial state and ``apply(state, event) -> state``; subclass it, or use :meth:`simple`.

    ``finish(state, as_of)`` runs once at the end of a fold with the date asked for (default:
    the state unchanged); a projection can use it to record the date in its state.

    >>> import attrs
    >>> from relations import Event, timeline
    >>> @attrs.frozen
    ... class Count:
    ...     n: int = 0
    >>> class Counter(Projection[Count]):
    ...     def initial(self) -> Count:
    ...         return Count()
    ...     def apply(self, state: Count, event: Event) -> Count:
    ...         return Count(state.n + 1)
    >>> fold(timeline.of(Event("2024", "trade", ["RUS"], "x")), Counter())
    Count(n=1)
    """

    @abc.abstractmethod
    def initial(self) -> S:
        """The state before any event (immutable)."""

    @abc.abstractmethod
    def apply(self, state: S, event: Event) -> S:
        """The state after ``event`` (a new value; ``state`` is not changed)."""

    def finish(self, state: S, as_of: When | None) -> S:
        """The state handed out for a fold up to ``as_of`` (default: ``state`` itself).

        >>> Projection.simple(0, lambda s, e: s + 1).finish(3, None)
        3
        """
        return state

    @staticmethod
    def simple(
        initial: S,
        apply: Callable[[S, Event], S],
        finish: Callable[[S, When | None], S] | None = None,
    ) -> Projection[S]:
        """A projection from an initial value and functions.

        >>> from relations import Event, timeline
        >>> kinds = Projection.simple(frozenset(), lambda s, e: s | {e.kind})
        >>> sorted(fold(timeline.of(Event("2024", "trade", ["RUS"], "x")), kinds))
        ['trade']
        """
        return _FunctionProjection(initial, apply, finish)


class _FunctionProjection(Projection[S]):
    __slots__ = ("_apply", "_finish", "_initial")

    def __init__(
        self,
        initial: S,
        apply: Callable[[S, Event], S],
        finish: Callable[[S, When | None], S] | None,
    ) -> None:
        self._initial = initial
        self._apply = apply
        self._finish = finish

    def initial(self) -> S:
        return self._initial

    def apply(self, state: S, event: Event) -> S:
        return self._apply(state, event)

    def finish(self, state: S, as_of: When | None) -> S:
        return state if self._finish is None else self._finish(state, as_of)

    def __repr__(self) -> str:
        return f"Projection.simple({self._initial!r}, {self._apply!r})"


# ---- folding ------------------------------------------------------------------------------


def _as_of(as_of: object) -> When | None:
    if as_of is None:
        return None
    try:
        return When.coerce(as_of)
    except ValueError as e:
        raise InvalidArgument(f"as_of: {e}") from None


def _last_day(w: When | None) -> int:
    """The last day an ``as_of`` covers: "as of 2024" means by the end of 2024."""
    return UNBOUNDED_HI if w is None else w.hi


def _events_and_los(tl: Iterable[Event]) -> tuple[Sequence[Event], Sequence[int]]:
    events = getattr(tl, "_events", None)
    los = getattr(tl, "_los", None)
    if events is None or los is None:  # any iterable of events: sort it like a Timeline
        events = sorted(tl, key=_sort_key)
        los = [e.lo for e in events]
    return events, los


def _check_initial(projection: Projection[Any]) -> Any:
    state = projection.initial()
    try:
        hash(state)
    except TypeError:
        raise InvalidArgument(
            f"{type(projection).__name__}.initial() returned {type(state).__name__} "
            f"{state!r:.80}: projection states must be immutable (frozen attrs, tuples, ...)"
        ) from None
    return state


def fold(timeline: Iterable[Event], projection: Projection[S], as_of: object = None) -> S:
    """The projection's state after every event that may have begun by ``as_of``.

    ``as_of`` is anything :meth:`When.coerce` takes; a month or year means its last day.
    ``None`` folds every event. Cost: ``O(log n + m)`` applies for ``m`` events up to then.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Signed"),
    ...                  Event("2024-12-04", "agreement.treaty.in_force", ["RUS", "PRK"], "In force"))
    >>> kinds = Projection.simple((), lambda s, e: (*s, e.kind))
    >>> fold(tl, kinds, as_of="2024-11")
    ('agreement.treaty.signed',)
    """
    w = _as_of(as_of)
    state: S = _check_initial(projection)
    events, los = _events_and_los(timeline)
    stop = bisect.bisect_right(los, _last_day(w))
    apply = projection.apply
    for e in events if stop == len(events) else itertools.islice(events, stop):
        state = apply(state, e)
    return projection.finish(state, w)


def fold_many(
    timeline: Iterable[Event], projection: Projection[S], dates: Iterable[object]
) -> list[S]:
    """The states as of each of ``dates`` (in the order given), in one pass over the events.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(*(Event(str(y), "trade", ["RUS", "PRK"], f"T{y}") for y in range(2019, 2025)))
    >>> fold_many(tl, Projection.simple(0, lambda n, e: n + 1), ["2024", "2019", "2021-06"])
    [6, 1, 3]
    """
    whens = [_as_of(d) for d in dates]
    order = sorted(range(len(whens)), key=lambda i: _last_day(whens[i]))
    events, los = _events_and_los(timeline)
    state: S = _check_initial(projection)
    apply = projection.apply
    out: list[Any] = [None] * len(whens)
    done = 0
    for i in order:
        stop = bisect.bisect_right(los, _last_day(whens[i]))
        for j in range(done, stop):
            state = apply(state, events[j])
        done = max(done, stop)
        out[i] = projection.finish(state, whens[i])
    return out


_sort_key: Callable[[Event], tuple[int, int, str]] = operator.attrgetter("when.lo", "when.hi", "id")
"""Timeline order: earliest day, latest day, id (as ``relations.timeline`` sorts)."""


class Folds(Generic[S]):
    """Events kept in timeline order with a snapshot every ``every`` events (internal engine).

    Snapshots are built lazily; :meth:`add` and :meth:`remove` drop only the snapshots after
    the changed place. Used by :class:`Snapshots` and :class:`relations.store.Projector`.

    >>> from relations import Event
    >>> f = Folds(Projection.simple(0, lambda n, e: n + 1), every=2)
    >>> f.add(Event("2024", "trade", ["RUS"], "b")); f.add(Event("2020", "trade", ["RUS"], "a"))
    >>> f.state_as_of(When.coerce("2021")), f.state_as_of(None)
    (1, 2)
    """

    __slots__ = ("_events", "_keys", "_los", "_snaps", "every", "projection")

    def __init__(
        self, projection: Projection[S], events: Sequence[Event] = (), *, every: int = 256
    ) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise InvalidArgument(f"every must be an int >= 1, not {every!r}")
        self.projection = projection
        self.every = every
        self._events: list[Event] = list(events)
        self._keys: list[tuple[int, int, str]] = [_sort_key(e) for e in self._events]
        self._los: list[int] = [k[0] for k in self._keys]
        self._snaps: list[S] = [_check_initial(projection)]  # _snaps[j]: after j*every events

    def __len__(self) -> int:
        return len(self._events)

    @property
    def events(self) -> Sequence[Event]:
        """The events in timeline order (read-only view)."""
        return tuple(self._events)

    def _invalidate(self, index: int) -> None:
        keep = index // self.every + 1  # snapshots at or before ``index`` events stay valid
        del self._snaps[keep:]

    def add(self, event: Event) -> None:
        """Insert ``event`` at its place in timeline order."""
        key = _sort_key(event)
        i = bisect.bisect_right(self._keys, key)
        self._keys.insert(i, key)
        self._los.insert(i, key[0])
        self._events.insert(i, event)
        self._invalidate(i)

    def add_many(self, events: Iterable[Event]) -> None:
        """Insert many events at once: ``O((n + m) log)`` sorting instead of ``m`` list inserts.

        >>> from relations import Event
        >>> f = Folds(Projection.simple(0, lambda n, e: n + 1))
        >>> f.add_many([Event(str(y), "trade", ["RUS"], "t") for y in (2024, 2020, 2022)])
        >>> [str(e.when) for e in f.events]
        ['2020', '2022', '2024']
        """
        new = sorted(events, key=_sort_key)
        if not new:
            return
        first = _sort_key(new[0])
        where = bisect.bisect_right(self._keys, first)
        if where == len(self._keys):  # all after the end: the common case when catching up
            self._events.extend(new)
        else:
            self._events.extend(new)
            self._events.sort(key=_sort_key)  # two sorted runs: a linear merge for Timsort
        self._keys = [_sort_key(e) for e in self._events]
        self._los = [k[0] for k in self._keys]
        self._invalidate(where)

    def remove(self, event: Event) -> None:
        """Remove ``event`` (matched by id and place); nothing happens if it is not there."""
        key = _sort_key(event)
        i = bisect.bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            del self._keys[i], self._los[i], self._events[i]
            self._invalidate(i)

    def state_after(self, n: int) -> S:
        """The state after the first ``n`` events, from the nearest snapshot at or before."""
        k = self.every
        want = n // k
        apply = self.projection.apply
        snaps = self._snaps
        events = self._events
        while len(snaps) <= want:  # extend the snapshots as far as needed
            j = len(snaps) - 1
            state = snaps[j]
            for e in events[j * k : (j + 1) * k]:
                state = apply(state, e)
            snaps.append(state)
        state = snaps[want]
        for e in events[want * k : n]:
            state = apply(state, e)
        return state

    def state_as_of(self, as_of: When | None) -> S:
        """The finished state as of ``as_of`` (None: after every event)."""
        n = bisect.bisect_right(self._los, _last_day(as_of))
        return self.projection.finish(self.state_after(n), as_of)


class Snapshots(Generic[S]):
    """Many ``as_of`` questions to one timeline without a full replay each time.

    A state is kept every ``every`` events (built lazily, as far as questions reach); each
    :meth:`as_of` then applies at most ``every`` events after a bisection: ``O(log n + k)``.
    Memory: ``n / every`` states.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(*(Event(f"{y}", "trade", ["RUS", "PRK"], f"T{y}") for y in range(1990, 2025)))
    >>> snaps = Snapshots(tl, Projection.simple(0, lambda n, e: n + 1), every=8)
    >>> snaps.as_of("1999"), snaps.as_of("2024-12-31"), snaps.as_of("1900")
    (10, 35, 0)
    """

    __slots__ = ("_folds",)

    def __init__(
        self, timeline: Iterable[Event], projection: Projection[S], *, every: int = 256
    ) -> None:
        events, _ = _events_and_los(timeline)
        self._folds: Folds[S] = Folds(projection, events, every=every)

    def as_of(self, as_of: object = None) -> S:
        """The state after every event that may have begun by ``as_of`` (None: all).

        >>> from relations import Event, timeline
        >>> Snapshots(timeline.of(Event("2024", "trade", ["RUS"], "x")),
        ...           Projection.simple(0, lambda n, e: n + 1)).as_of()
        1
        """
        return self._folds.state_as_of(_as_of(as_of))

    def __len__(self) -> int:
        return len(self._folds)


# ---- the Relationship projection ----------------------------------------------------------

_STATUS_RANK = {
    Status.CONFIRMED: 0,
    Status.REPORTED: 1,
    Status.ESTIMATED: 2,
    Status.CLAIMED: 3,
    Status.DISPUTED: 4,
}
TRANSFER_KINDS = (
    "arms.transfer",
    "technology.transfer",
    "military.aid",
    "economic.aid",
    "war.support",
    "labour.workers",
)
"""Kinds whose directed events count as transfers from ``actors[0]`` to the others."""


def _best(events: Iterable[Event]) -> Event | None:
    """The best-established event: by status (confirmed first), then the first in order."""
    best: Event | None = None
    for e in events:
        if best is None or _STATUS_RANK[e.status] < _STATUS_RANK[best.status]:
            best = e
    return best


def _day(w: When | None) -> str:
    return "?" if w is None else str(w)


def _publishers(e: Event, limit: int = 2) -> str:
    names = list(dict.fromkeys(s.publisher for s in e.sources))
    if not names:
        return ""
    more = f" +{len(names) - limit}" if len(names) > limit else ""
    return f" [{'; '.join(names[:limit])}{more}]"


@attrs.frozen
class Agreement:
    """One agreement's lifecycle as of a date: signed, ratified, in force, ended.

    Built from the ``agreement.treaty.*`` events that ``links`` tie together (and the
    agreement document they link to, such as a debt agreement). ``status`` is the furthest
    stage reached: ``"signed"``, ``"submitted"``, ``"ratified"``, ``"in force"`` or ``"ended"``.

    >>> from relations import Event
    >>> s = Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty", id="t")
    >>> f = Event("2024-12-04", "agreement.treaty.in_force", ["RUS", "PRK"], "In force", links=["t"])
    >>> a = Agreement.from_events((s, f))
    >>> a.status, str(a.signed), str(a.in_force), a.in_force_on("2024-12-31")
    ('in force', '2024-06-19', '2024-12-04', True)
    """

    id: str
    title: str
    events: tuple[Event, ...]
    signed: When | None = None
    ratified: tuple[When, ...] = ()
    in_force: When | None = None
    ended: When | None = None

    @classmethod
    def from_events(cls, events: Sequence[Event]) -> Agreement:
        """The agreement described by ``events`` (its document and lifecycle events).

        >>> from relations import Event
        >>> Agreement.from_events([Event("2000-02-09", "agreement.treaty.signed", ["RUS", "PRK"],
        ...                              "Treaty of Friendship", id="t2000")]).status
        'signed'
        """
        stage = {
            "signed": [e for e in events if not is_within(e.kind, "agreement.treaty")],
        }
        for name in ("signed", "ratified", "in_force", "ended"):
            stage.setdefault(name, [])
            stage[name] += [e for e in events if is_within(e.kind, f"agreement.treaty.{name}")]
        signing = _best(stage["signed"]) or events[0]
        in_force = _best(stage["in_force"])
        ended = _best(stage["ended"])
        return cls(
            id=signing.id,
            title=signing.title,
            events=tuple(events),
            signed=None if not stage["signed"] else signing.when,
            ratified=tuple(e.when for e in stage["ratified"]),
            in_force=None if in_force is None else in_force.when,
            ended=None if ended is None else ended.when,
        )

    @property
    def name(self) -> str:
        """The title without a trailing "signed".

        >>> Agreement("t", "Treaty of Friendship signed", ()).name
        'Treaty of Friendship'
        """
        t = self.title
        return t[: -len(" signed")] if t.endswith(" signed") else t

    @property
    def status(self) -> str:
        """The furthest stage reached.

        >>> Agreement("t", "Treaty", (), ratified=(When("2024-11"),)).status
        'ratified'
        """
        if self.ended is not None:
            return "ended"
        if self.in_force is not None:
            return "in force"
        if self.ratified:
            return "ratified"
        if any(is_within(e.kind, "agreement.treaty.submitted") for e in self.events):
            return "submitted"
        return "signed"

    @property
    def how_ended(self) -> str:
        """How it ended, from the kind below ``agreement.treaty.ended`` ("" if not said).

        >>> e = Event("1996-09-10", "agreement.treaty.ended.lapsed", ["RUS", "PRK"], "Lapsed")
        >>> Agreement("t", "T", (e,), ended=e.when).how_ended
        'lapsed'
        """
        prefix = "agreement.treaty.ended."
        ways = {e.kind[len(prefix) :] for e in self.events if e.kind.startswith(prefix)}
        return " or ".join(sorted(ways))

    def in_force_on(self, day: object) -> bool:
        """True if it had entered into force by ``day`` and had not ended by then.

        >>> Agreement("t", "T", (), in_force=When("2024-12-04")).in_force_on("2024-12-03")
        False
        """
        d = When.coerce(day)
        if self.in_force is None or self.in_force.hi > d.hi:
            return False
        return self.ended is None or self.ended.lo > d.hi

    def __str__(self) -> str:
        parts = [f"signed {_day(self.signed)}"] if self.signed is not None else []
        submitted = [e for e in self.events if is_within(e.kind, "agreement.treaty.submitted")]
        if submitted:
            parts.append(f"submitted for ratification {_day(submitted[-1].when)}")
        if self.ratified:
            parts.append(f"ratified {_day(self.ratified[-1])}")
        if self.in_force is not None:
            parts.append(f"in force {_day(self.in_force)}")
        if self.ended is not None:
            ends = [e for e in self.events if is_within(e.kind, "agreement.treaty.ended")]
            dates = " or ".join(dict.fromkeys(str(e.when) for e in ends))
            disputed = " (disputed)" if all(e.status is Status.DISPUTED for e in ends) else ""
            how = f" ({self.how_ended})" if self.how_ended else ""
            parts.append(f"ended {dates}{how}{disputed}")
        return f"{self.name} ({', '.join(parts) or self.status})"


@attrs.frozen
class RelationshipState:
    """The state of a relationship between two actors as of a date (a frozen value).

    The fields keep the pair's events by category, in timeline order; the properties derive
    what an analyst asks: agreements in force, troops deployed, casualties, debt outstanding,
    trade by year, transfers each way, vetoes and sanctions. ``str()`` is a readable summary.
    Period totals (trade in a year, casualties over a period) count only once their period
    has ended by ``as_of``; deployments count while their end is after ``as_of`` or unknown.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-10/..", "military.deployment", ["PRK", "RUS"],
    ...                        "Troops to Kursk", directed=True, quantities={"soldiers": 11000}))
    >>> Relationship("RUS", "PRK", timeline=tl).as_of("2024-12-31").troops()
    {('PRK', 'RUS'): Quantity(11000, 'count')}
    """

    a: str
    b: str
    as_of: When | None = None
    count: int = 0
    agreement_events: tuple[Event, ...] = ()
    documents: tuple[Event, ...] = ()
    deployments: tuple[Event, ...] = ()
    announcements: tuple[Event, ...] = ()
    troop_estimates: tuple[Event, ...] = ()
    casualty_reports: tuple[Event, ...] = ()
    debt_events: tuple[Event, ...] = ()
    trade_events: tuple[Event, ...] = ()
    transfers: tuple[Event, ...] = ()
    vetoes: tuple[Event, ...] = ()
    pair_sanctions: tuple[Event, ...] = ()
    context: tuple[Event, ...] = ()
    linked: frozenset[str] = frozenset()

    @property
    def _day(self) -> int:
        return _last_day(self.as_of)

    # -- agreements -------------------------------------------------------------------------
    @functools.cached_property
    def agreements(self) -> tuple[Agreement, ...]:
        """Every agreement with a recorded stage by ``as_of``, in order of first event."""
        docs = {e.id: e for e in (*self.documents, *self.debt_events)}
        group_of: dict[str, str] = {}
        groups: dict[str, list[Event]] = {}
        for e in self.agreement_events:
            root = next((group_of[x] for x in e.links if x in group_of), None)
            if root is None and not is_within(e.kind, "agreement.treaty.signed"):
                doc = next((docs[x] for x in e.links if x in docs), None)
                if doc is not None:
                    root = doc.id
                    group_of[doc.id] = root
                    groups[root] = [doc]
            if root is None:
                root = e.id
                groups[root] = []
            group_of[e.id] = root
            groups[root].append(e)
        return tuple(Agreement.from_events(g) for g in groups.values())

    @property
    def agreements_in_force(self) -> tuple[Agreement, ...]:
        """The agreements in force on ``as_of`` (entered into force, not ended).

        >>> [a.name for a in Relationship.of("RUS", "PRK").as_of("2025").agreements_in_force]
        ["Russia writes off 90% of the DPRK's Soviet-era debt", 'Comprehensive Strategic Partnership Treaty']
        """
        return tuple(a for a in self.agreements if a.status == "in force")

    # -- troops and casualties ------------------------------------------------------------------
    @property
    def active_deployments(self) -> tuple[Event, ...]:
        """Deployments whose end is after ``as_of`` or not known (still under way).

        >>> [str(e.when) for e in Relationship.of("RUS", "PRK").as_of("2024-12").active_deployments]
        ['2024-10/..']
        """
        day = self._day
        return tuple(e for e in self.deployments if e.hi >= day)

    def troops(self) -> dict[tuple[str, str], Quantity]:
        """Soldiers in active deployments, summed per direction (sender, host), with bounds.

        >>> Relationship.of("RUS", "PRK").as_of("2024-06-01").troops()
        {}
        """
        out: dict[tuple[str, str], Quantity] = {}
        for e in self.active_deployments:
            q = e.quantities.get("soldiers")
            if q is None or len(e.actors) < 2:
                continue
            key = (e.actors[0], e.actors[1])
            out[key] = q if key not in out else out[key] + q
        return out

    @property
    def casualties(self) -> tuple[Event, ...]:
        """Casualty reports whose period had ended by ``as_of`` (each with its sources).

        >>> len(Relationship.of("RUS", "PRK").as_of("2024-12-31").casualties)
        0
        """
        day = self._day
        return tuple(e for e in self.casualty_reports if e.hi <= day)

    @property
    def latest_casualties(self) -> Event | None:
        """The casualty report covering the latest period (best status among equals).

        >>> latest = Relationship.of("RUS", "PRK").as_of("2025-02-01").latest_casualties
        >>> str(latest.quantities["casualties"])
        'about 4 000 people'
        """
        reports = self.casualties
        if not reports:
            return None
        last = max(e.hi for e in reports)
        return _best(e for e in reports if e.hi == last)

    # -- money ----------------------------------------------------------------------------------
    @property
    def debt_outstanding(self) -> tuple[Quantity, Event] | None:
        """The debt still owed after the latest debt event, and that event (None if unknown).

        Uses ``debt_remaining_usd`` if reported, else total minus written off, else the total
        times the share not written off (approximate).

        >>> amount, event = Relationship.of("RUS", "PRK").as_of("2020").debt_outstanding
        >>> str(amount), str(event.when)
        ('about 1 090 000 000 USD', '2012-09-17')
        """
        for e in reversed(self.debt_events):
            q = e.quantities
            if "debt_remaining_usd" in q:
                return q["debt_remaining_usd"], e
            total = q.get("debt_total_usd")
            if total is None or total.value is None:
                continue
            off = q.get("debt_written_off_usd")
            share = q.get("debt_written_off_share")
            if off is not None and off.value is not None and off.value <= total.value:
                left = total.value - off.value
            elif share is not None and share.value is not None:
                left = total.value * (100 - share.value) / 100
            else:
                continue
            return Quantity(round(left), total.unit, approximate=True), e
        return None

    @functools.cached_property
    def trade_by_year(self) -> FrozenMap[int, Quantity]:
        """Trade turnover per calendar year, for years over by ``as_of`` (best-sourced figure)."""
        day = self._day
        by_year: dict[int, list[Event]] = {}
        for e in self.trade_events:
            y0, y1 = ymd(e.lo)[0], ymd(e.hi)[0]
            if y0 == y1 and e.hi <= day and _money(e) is not None:
                by_year.setdefault(y0, []).append(e)
        out: dict[int, Quantity] = {}
        for y, events in by_year.items():
            best = _best(events)
            if best is not None:
                q = _money(best)
                if q is not None:
                    out[y] = q
        return FrozenMap(out)

    # -- transfers, vetoes, sanctions -------------------------------------------------------------
    def transfers_from(self, actor: str) -> tuple[Event, ...]:
        """Transfers (arms, technology, aid, workers) whose sender is ``actor`` (or its
        predecessor).

        >>> state = Relationship.of("RUS", "PRK").as_of("2024-12-31")
        >>> sorted({e.kind for e in state.transfers_from("North Korea")})
        ['arms.transfer']
        """
        side = _side(resolve_code(actor))
        return tuple(e for e in self.transfers if e.actors[0] in side)

    @property
    def sanctions(self) -> tuple[Event, ...]:
        """Sanction events between the pair, and those on one party that pair events link.

        >>> [str(e.when) for e in Relationship.of("RUS", "PRK").as_of("2024-12-31").sanctions]
        ['2024-03/2024-11', '2017-12']
        """
        linked = self.linked
        extra = tuple(e for e in self.context if e.id in linked)
        ids = {e.id for e in self.pair_sanctions}
        return self.pair_sanctions + tuple(e for e in extra if e.id not in ids)

    # -- summary ----------------------------------------------------------------------------------
    def __str__(self) -> str:
        title = f"{self.a}–{self.b} as of {_day(self.as_of) if self.as_of else 'now'}"
        lines = [f"{title} ({self.count} events)"]

        def section(name: str, items: Sequence[str]) -> None:
            lines.append(f"{name}:" if items else f"{name}: none")
            lines.extend(f"  - {x}" for x in items)

        section("Agreements in force", [str(a) for a in self.agreements_in_force])
        ended = [str(a) for a in self.agreements if a.status == "ended"]
        section("Agreements ended", ended)
        other = [str(a) for a in self.agreements if a.status not in ("ended", "in force")]
        section("Other agreements (not in force)", other)
        troops = [
            f"{src} → {dst}: {q}"
            + "".join(
                f"\n      {e.when}: {e.title}{_publishers(e)}"
                for e in self.active_deployments
                if e.actors[:2] == (src, dst)
            )
            for (src, dst), q in self.troops().items()
        ]
        section("Troops deployed", troops)
        cas = self.latest_casualties
        section(
            "Casualties (latest report)",
            []
            if cas is None
            else [
                f"{cas.when}: "
                + ", ".join(f"{k} {v}" for k, v in cas.quantities.items())
                + f" ({cas.status}){_publishers(cas)}"
            ],
        )
        debt = self.debt_outstanding
        section("Debt outstanding", [] if debt is None else [f"{debt[0]} (after {debt[1].when})"])
        section("Trade by year", [f"{y}: {q}" for y, q in self.trade_by_year.items()])
        for actor, other_actor in ((self.a, self.b), (self.b, self.a)):
            section(
                f"Transfers {actor} → {other_actor}",
                [f"{e.when} {e.kind}: {e.title}" for e in self.transfers_from(actor)],
            )
        section("Vetoes", [f"{e.when}: {e.title}" for e in self.vetoes])
        section("Sanctions", [f"{e.when}: {e.title}" for e in self.sanctions])
        return "\n".join(lines)


def _money(e: Event) -> Quantity | None:
    q = e.quantities
    if "trade_usd" in q:
        return q["trade_usd"]
    return next((x for x in q.values() if x.unit == "USD"), None)


@functools.cache
def _side(code: str) -> frozenset[str]:
    """An actor and the actors it continues (RUS → {RUS, SUN})."""
    seen = {code}
    todo = [code]
    while todo:
        for p in predecessors_of(todo.pop()):
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return frozenset(seen)


def _bundled() -> Timeline:
    from relations import timeline

    return timeline.load("russia-north-korea")


class Relationship(Projection[RelationshipState]):
    """The state of the relationship between two actors, folded from their shared events.

    An event belongs to the relationship if it involves both actors (an actor's predecessors
    count as the actor: the USSR for Russia). Sanction events on one party that a pair event
    links to are kept as context. With ``timeline`` bound (default: the bundled
    Russia–North Korea dataset), :meth:`as_of` answers for any date from cached snapshots.

    >>> rel = Relationship.of("RUS", "PRK")
    >>> end_2024 = rel.as_of("2024-12-31")
    >>> [a.title for a in end_2024.agreements_in_force][-1]
    'Comprehensive Strategic Partnership Treaty signed'
    >>> end_2024.troops()
    {('PRK', 'RUS'): Quantity(low=11000, unit='people')}
    >>> [a.name for a in rel.as_of("2024-06-01").agreements_in_force]
    ['Russia-DPRK Treaty of Friendship, Good-Neighbourliness and Cooperation', "Russia writes off 90% of the DPRK's Soviet-era debt"]
    >>> rel.as_of("2024-06-01").troops()
    {}
    """

    def __init__(self, a: str, b: str, *, timeline: Iterable[Event] | None = None) -> None:
        self._a = resolve_code(a)
        self._b = resolve_code(b)
        if self._a == self._b:
            raise InvalidArgument(f"a relationship needs two different actors, not {a!r} twice")
        self._side_a = _side(self._a)
        self._side_b = _side(self._b)
        self._timeline = timeline
        self._snapshots: Snapshots[RelationshipState] | None = None

    @classmethod
    def of(cls, a: str, b: str, *, timeline: Iterable[Event] | None = None) -> Relationship:
        """The relationship between ``a`` and ``b`` over ``timeline`` (default: bundled data).

        >>> Relationship.of("Russia", "North Korea")
        Relationship('RUS', 'PRK')
        """
        return cls(a, b, timeline=timeline)

    def __repr__(self) -> str:
        return f"Relationship({self._a!r}, {self._b!r})"

    @property
    def actors(self) -> tuple[str, str]:
        """The two actor codes.

        >>> Relationship("RUS", "PRK").actors
        ('RUS', 'PRK')
        """
        return (self._a, self._b)

    def initial(self) -> RelationshipState:
        """The empty state.

        >>> Relationship("RUS", "PRK").initial().count
        0
        """
        return RelationshipState(self._a, self._b)

    def _involves(self, e: Event) -> tuple[bool, bool]:
        actors = e.actors
        sa, sb = self._side_a, self._side_b
        return any(x in sa for x in actors), any(x in sb for x in actors)

    def apply(self, state: RelationshipState, event: Event) -> RelationshipState:
        """File ``event`` under its category if it concerns the pair.

        >>> from relations import Event
        >>> r = Relationship("RUS", "PRK")
        >>> s = r.apply(r.initial(), Event("2024-03-28", "un.veto", ["RUS", "PRK"], "Veto"))
        >>> s.count, len(s.vetoes)
        (1, 1)
        """
        in_a, in_b = self._involves(event)
        kind = event.kind
        if not (in_a and in_b):
            if (in_a or in_b) and is_within(kind, "sanction"):
                return attrs.evolve(state, context=(*state.context, event))
            return state
        changes: dict[str, Any] = {"count": state.count + 1}
        if event.links:
            changes["linked"] = state.linked | frozenset(event.links)
        if is_within(kind, "agreement.treaty"):
            changes["agreement_events"] = (*state.agreement_events, event)
        elif is_within(kind, "agreement"):
            changes["documents"] = (*state.documents, event)
        elif is_within(kind, "military.deployment"):
            if kind.endswith(".announced"):
                changes["announcements"] = (*state.announcements, event)
            else:
                changes["deployments"] = (*state.deployments, event)
        elif is_within(kind, "military.casualties"):
            changes["casualty_reports"] = (*state.casualty_reports, event)
        elif is_within(kind, "economic.debt_relief") or any(
            k.startswith("debt_") for k in event.quantities
        ):
            changes["debt_events"] = (*state.debt_events, event)
        elif is_within(kind, "trade"):
            changes["trade_events"] = (*state.trade_events, event)
        elif is_within(kind, "un.veto"):
            changes["vetoes"] = (*state.vetoes, event)
        elif is_within(kind, "sanction"):
            changes["pair_sanctions"] = (*state.pair_sanctions, event)
        if event.directed and any(is_within(kind, k) for k in TRANSFER_KINDS):
            changes["transfers"] = (*state.transfers, event)
        if "soldiers" in event.quantities and "deployments" not in changes:
            changes["troop_estimates"] = (*state.troop_estimates, event)
        return attrs.evolve(state, **changes)

    def finish(self, state: RelationshipState, as_of: When | None) -> RelationshipState:
        """Record the date asked for in the state (its views depend on it).

        >>> r = Relationship("RUS", "PRK")
        >>> str(r.finish(r.initial(), When("2024")).as_of)
        '2024'
        """
        return attrs.evolve(state, as_of=as_of)

    def as_of(self, day: object = None) -> RelationshipState:
        """The state on ``day`` (None: after every event) over the bound timeline.

        Snapshots are kept, so asking for many dates costs ``O(log n + k)`` each.

        >>> Relationship.of("RUS", "PRK").as_of("1962").agreements[0].title
        'Soviet-DPRK Treaty of Friendship, Co-operation and Mutual Assistance signed'
        """
        if self._snapshots is None:
            tl = self._timeline if self._timeline is not None else _bundled()
            self._snapshots = Snapshots(tl, self, every=32)
        return self._snapshots.as_of(day)


def iter_states(timeline: Iterable[Event], projection: Projection[S]) -> Iterator[tuple[Event, S]]:
    """Each event of ``timeline`` in order with the state just after it.

    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2023", "trade", ["RUS"], "a"), Event("2024", "trade", ["RUS"], "b"))
    >>> [(e.title, n) for e, n in iter_states(tl, Projection.simple(0, lambda n, e: n + 1))]
    [('a', 1), ('b', 2)]
    """
    events, _ = _events_and_los(timeline)
    state: S = _check_initial(projection)
    for e in events:
        state = projection.apply(state, e)
        yield e, state
