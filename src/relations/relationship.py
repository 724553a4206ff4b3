"""The relationship between two actors: a domain model folded from their shared events.

:class:`Relationship` is a :class:`~relations.projections.Projection` whose state,
:class:`RelationshipState`, files the events of a pair under what they mean: agreements and
their lifecycle (:class:`Agreement`), deployments, casualties, debt, trade, transfers, vetoes
and sanctions. It was written for the Russia–North Korea dataset that ships with the library
(:meth:`Relationship.of` uses it when no timeline is given) and works for any pair.

>>> from relations import Event, timeline
>>> tl = timeline.of(Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Signed"))
>>> [a.title for a in Relationship("RUS", "PRK", timeline=tl).as_of().agreements]
['Signed']
"""

from __future__ import annotations

import functools
import itertools
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from relations import datasets
from relations._frozen import FrozenMap
from relations.actors import predecessors_of, resolve_code
from relations.errors import InvalidArgument
from relations.events import Event, Status, event_order
from relations.kinds import is_within
from relations.projections import Folds, Projection, as_of_when, last_day
from relations.quantities import Quantity
from relations.when import When, ymd

__all__ = ["TRANSFER_KINDS", "Agreement", "Relationship", "RelationshipState"]

BUNDLED = "russia-north-korea"
"""The bundled dataset :meth:`Relationship.of` folds when no timeline is given."""


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
        return last_day(self.as_of)

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


class Relationship(Projection[RelationshipState]):
    """The state of the relationship between two actors, folded from their shared events.

    An event belongs to the relationship if it involves both actors (an actor's predecessors
    count as the actor: the USSR for Russia). Sanction events on one party that a pair event
    links to are kept as context. With ``timeline`` bound, :meth:`as_of` answers for any date
    from cached snapshots; :meth:`of` binds the bundled Russia–North Korea dataset when no
    ``timeline`` is given.

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
        self._folds: Folds[RelationshipState] | None = None
        self._events: list[Event] = []
        self._los: list[int] = []  # each event's first possible day, in timeline order
        self._began: list[int] = []  # running max of the latest possible start days

    @classmethod
    def of(cls, a: str, b: str, *, timeline: Iterable[Event] | None = None) -> Relationship:
        """The relationship between ``a`` and ``b`` over ``timeline`` (default: bundled data).

        >>> Relationship.of("Russia", "North Korea")
        Relationship('RUS', 'PRK')
        """
        return cls(a, b, timeline=datasets.load(BUNDLED) if timeline is None else timeline)

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

    def as_of(self, day: object = None, *, definitely: bool = False) -> RelationshipState:
        """The state on ``day`` (None: after every event) over the bound timeline.

        An event counts once it **may** have begun by ``day`` (by its last day: "2024" means
        the end of 2024), as in :func:`~relations.projections.fold`: an event dated ``2025``
        counts on 2025-01-01, since it may fall on that day. ``definitely=True`` counts only the
        events that certainly began by then: the ``2025`` event from 2025-12-31, one dated
        ``2024-06/2025-03`` from 2024-06-30. See :doc:`/explanation/dates`.

        Snapshots are kept, so asking for many dates costs ``O(log n + k)`` each.

        >>> Relationship.of("RUS", "PRK").as_of("1962").agreements[0].title
        'Soviet-DPRK Treaty of Friendship, Co-operation and Mutual Assistance signed'
        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2025", "un.veto", ["RUS", "PRK"], "A veto some day in 2025"))
        >>> rel = Relationship("RUS", "PRK", timeline=tl)
        >>> rel.as_of("2025-01-01").count, rel.as_of("2025-01-01", definitely=True).count
        (1, 0)
        """
        if not isinstance(definitely, bool):
            raise InvalidArgument(f"as_of(): definitely must be True or False, not {definitely!r}")
        folds = self._folds if self._folds is not None else self._build_folds()
        w = as_of_when(day)
        if w is None or not definitely:
            return folds.state_as_of(w)
        last = last_day(w)
        # events [0, k) all definitely began by ``last``: a snapshot serves them; of the rest
        # up to n (those that may have begun), apply the ones that definitely did
        n, k = bisect_right(self._los, last), bisect_right(self._began, last)
        state = folds.state_after(k)
        for e in self._events[k:n]:
            if e.when.latest_start_day <= last:
                state = self.apply(state, e)
        return self.finish(state, w)

    def _build_folds(self) -> Folds[RelationshipState]:
        if self._timeline is None:
            raise InvalidArgument(
                f"{self!r} has no timeline to answer from: pass timeline=..., or use "
                f"Relationship.of({self._a!r}, {self._b!r}) for the bundled dataset"
            )
        self._events = sorted(self._timeline, key=event_order)
        self._los = [e.lo for e in self._events]
        self._began = list(
            itertools.accumulate((e.when.latest_start_day for e in self._events), max)
        )
        self._folds = Folds(self, self._events, every=32)
        return self._folds
