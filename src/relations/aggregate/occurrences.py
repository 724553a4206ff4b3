"""Analyst helpers: first and last occurrence, the time between events, and de-duplication."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import product
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs

from relations.aggregate.grammar import By, parse_by
from relations.errors import InvalidArgument
from relations.kinds import is_within
from relations.series import Series, key_order

if TYPE_CHECKING:
    from relations._timeline import Timeline
    from relations.events import Event

__all__ = [
    "Interval",
    "TimeBetween",
    "dedupe",
    "first_occurrence",
    "last_occurrence",
    "time_between",
]


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


TimeBetween.__module__ = "relations.aggregate"  # documented (and doctested) there

Interval = TimeBetween
"""The former name of :class:`TimeBetween`."""


def _occurrence(tl: Timeline, kind: str | None, by: By, last: bool) -> Series[Any, Event]:
    dims = parse_by(by)
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
    dims = parse_by(by) if by is not None else []
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
