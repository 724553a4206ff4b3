"""Projections: fold events into the state of something as of any date (valid time).

A :class:`Projection` is an initial state and a function ``apply(state, event) -> state``.
States are immutable values (frozen attrs classes, tuples, numbers), so a state handed out is
never changed later and snapshots can share it.

:func:`fold` replays a Timeline in its order (earliest day, latest day, id) up to ``as_of``.
An event counts as of a date if it *may* have begun by then (its earliest possible day is on
or before the date's last day): imprecision is not hidden, because the state keeps each
event's :class:`~relations.When`, and a projection decides what "still running" or "complete"
means (see :class:`~relations.relationship.Relationship`).

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
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from relations.errors import InvalidArgument
from relations.events import Event, event_order
from relations.when import UNBOUNDED_HI, When

if TYPE_CHECKING:
    pass

__all__ = [
    "Projection",
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

    # -- persisted snapshots (see relations.store.Projector.save_snapshot) -------------------
    snapshot_name: str | None = None
    """The name a store keeps this projection's snapshots under (None: never persisted)."""
    snapshot_version: int | str = 1
    """The version of :meth:`apply` and of the state's encoding: change it whenever either
    changes, and snapshots written by the old version are ignored (the fold starts again)."""

    def encode_state(self, state: S) -> Any:
        """The state as a JSON value (dicts, lists, text, numbers, booleans, None), for a
        persisted snapshot; :meth:`decode_state` must give it back equal.

        The default takes only a JSON scalar (text, a finite number, a boolean, None): a
        projection with any other state defines both methods (no pickle is ever used).

        >>> Projection.simple(0, lambda n, e: n + 1).encode_state(41)
        41
        >>> Projection.simple((), lambda t, e: (*t, e.id)).encode_state(("a",))
        Traceback (most recent call last):
        ...
        relations.errors.InvalidArgument: _FunctionProjection: a tuple state is not a JSON scalar: define encode_state and decode_state to persist its snapshots
        """
        if state is None or type(state) in (bool, int, str) or _finite_float(state):
            return state
        raise InvalidArgument(
            f"{type(self).__name__}: a {type(state).__name__} state is not a JSON scalar: "
            "define encode_state and decode_state to persist its snapshots"
        )

    def decode_state(self, data: Any) -> S:
        """The state :meth:`encode_state` encoded as ``data`` (the default: ``data`` itself).

        >>> Projection.simple(0, lambda n, e: n + 1).decode_state(41)
        41
        """
        return data  # type: ignore[no-any-return]

    @staticmethod
    def simple(
        initial: S,
        apply: Callable[[S, Event], S],
        finish: Callable[[S, When | None], S] | None = None,
        *,
        snapshot_name: str | None = None,
        snapshot_version: int | str = 1,
        encode: Callable[[S], Any] | None = None,
        decode: Callable[[Any], S] | None = None,
    ) -> Projection[S]:
        """A projection from an initial value and functions.

        ``snapshot_name``, ``snapshot_version``, ``encode`` and ``decode`` are the
        projection's :attr:`snapshot_name`, :attr:`snapshot_version`, :meth:`encode_state`
        and :meth:`decode_state` (a store persists its snapshots only when it has a name).

        >>> from relations import Event, timeline
        >>> kinds = Projection.simple(frozenset(), lambda s, e: s | {e.kind})
        >>> sorted(fold(timeline.of(Event("2024", "trade", ["RUS"], "x")), kinds))
        ['trade']
        >>> titles = Projection.simple((), lambda t, e: (*t, e.title), snapshot_name="titles",
        ...                            encode=list, decode=tuple)
        >>> titles.decode_state(titles.encode_state(("a", "b")))
        ('a', 'b')
        """
        return _FunctionProjection(
            initial,
            apply,
            finish,
            snapshot_name=snapshot_name,
            snapshot_version=snapshot_version,
            encode=encode,
            decode=decode,
        )


def _finite_float(x: object) -> bool:
    return type(x) is float and math.isfinite(x)


class _FunctionProjection(Projection[S]):
    __slots__ = ("_apply", "_decode", "_encode", "_finish", "_initial")

    def __init__(
        self,
        initial: S,
        apply: Callable[[S, Event], S],
        finish: Callable[[S, When | None], S] | None,
        *,
        snapshot_name: str | None = None,
        snapshot_version: int | str = 1,
        encode: Callable[[S], Any] | None = None,
        decode: Callable[[Any], S] | None = None,
    ) -> None:
        self._initial = initial
        self._apply = apply
        self._finish = finish
        self._encode = encode
        self._decode = decode
        if snapshot_name is not None:
            self.snapshot_name = snapshot_name
        self.snapshot_version = snapshot_version

    def encode_state(self, state: S) -> Any:
        return super().encode_state(state) if self._encode is None else self._encode(state)

    def decode_state(self, data: Any) -> S:
        return super().decode_state(data) if self._decode is None else self._decode(data)

    def initial(self) -> S:
        return self._initial

    def apply(self, state: S, event: Event) -> S:
        return self._apply(state, event)

    def finish(self, state: S, as_of: When | None) -> S:
        return state if self._finish is None else self._finish(state, as_of)

    def __repr__(self) -> str:
        return f"Projection.simple({self._initial!r}, {self._apply!r})"


# ---- folding ------------------------------------------------------------------------------


def as_of_when(as_of: object) -> When | None:
    """The date an ``as_of`` argument names (None: after every event).

    >>> str(as_of_when("2024-06")), as_of_when(None)
    ('2024-06', None)
    """
    if as_of is None:
        return None
    try:
        return When.coerce(as_of)
    except ValueError as e:
        raise InvalidArgument(f"as_of: {e}") from None


def last_day(w: When | None) -> int:
    """The last day an ``as_of`` covers: "as of 2024" means by the end of 2024.

    >>> from relations.when import ymd
    >>> ymd(last_day(When("2024")))
    (2024, 12, 31)
    """
    return UNBOUNDED_HI if w is None else w.hi


def _events_and_los(tl: Iterable[Event]) -> tuple[Sequence[Event], Sequence[int]]:
    events = getattr(tl, "_events", None)
    los = getattr(tl, "_los", None)
    if events is None or los is None:  # any iterable of events: sort it like a Timeline
        events = sorted(tl, key=event_order)
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
    w = as_of_when(as_of)
    state: S = _check_initial(projection)
    events, los = _events_and_los(timeline)
    stop = bisect.bisect_right(los, last_day(w))
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
    whens = [as_of_when(d) for d in dates]
    order = sorted(range(len(whens)), key=lambda i: last_day(whens[i]))
    events, los = _events_and_los(timeline)
    state: S = _check_initial(projection)
    apply = projection.apply
    out: list[Any] = [None] * len(whens)
    done = 0
    for i in order:
        stop = bisect.bisect_right(los, last_day(whens[i]))
        for j in range(done, stop):
            state = apply(state, events[j])
        done = max(done, stop)
        out[i] = projection.finish(state, whens[i])
    return out


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

    __slots__ = ("_events", "_extra", "_extra_at", "_keys", "_los", "_snaps", "every", "projection")

    def __init__(
        self, projection: Projection[S], events: Sequence[Event] = (), *, every: int = 256
    ) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise InvalidArgument(f"every must be an int >= 1, not {every!r}")
        self.projection = projection
        self.every = every
        self._events: list[Event] = list(events)
        self._keys: list[tuple[int, int, str]] = [event_order(e) for e in self._events]
        self._los: list[int] = [k[0] for k in self._keys]
        self._snaps: list[S] = [_check_initial(projection)]  # _snaps[j]: after j*every events
        # sparse states after _extra_at[i] events (sorted): a persisted snapshot, and the
        # states reached from it, so that a restored fold does not start again from 0
        self._extra_at: list[int] = []
        self._extra: dict[int, S] = {}

    def __len__(self) -> int:
        return len(self._events)

    @property
    def events(self) -> Sequence[Event]:
        """The events in timeline order (read-only view)."""
        return tuple(self._events)

    def _invalidate(self, index: int) -> None:
        keep = index // self.every + 1  # snapshots at or before ``index`` events stay valid
        del self._snaps[keep:]
        if self._extra_at and self._extra_at[-1] > index:
            cut = bisect.bisect_right(self._extra_at, index)
            for n in self._extra_at[cut:]:
                del self._extra[n]
            del self._extra_at[cut:]

    def restore(self, n: int, state: S) -> None:
        """Take ``state`` as the state after the first ``n`` events (a persisted snapshot).

        >>> from relations import Event
        >>> f = Folds(Projection.simple(0, lambda n, e: n + 1))
        >>> f.add_many([Event(str(y), "trade", ["RUS"], "t") for y in (2020, 2021, 2022)])
        >>> f.restore(2, 100); f.state_after(3), f.state_after(1)
        (101, 1)
        """
        if not 0 <= n <= len(self._events):
            raise InvalidArgument(f"a snapshot after {n} events, of {len(self._events)} events")
        if n not in self._extra:
            bisect.insort(self._extra_at, n)
        self._extra[n] = state

    def add(self, event: Event) -> None:
        """Insert ``event`` at its place in timeline order."""
        key = event_order(event)
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
        new = sorted(events, key=event_order)
        if not new:
            return
        first = event_order(new[0])
        where = bisect.bisect_right(self._keys, first)
        if where == len(self._keys):  # all after the end: the common case when catching up
            self._events.extend(new)
            keys = [event_order(e) for e in new]  # only the new keys: catching up stays linear
            self._keys.extend(keys)
            self._los.extend(k[0] for k in keys)
        else:
            self._events.extend(new)
            self._events.sort(key=event_order)  # two sorted runs: a linear merge for Timsort
            self._keys = [event_order(e) for e in self._events]
            self._los = [k[0] for k in self._keys]
        self._invalidate(where)

    def remove(self, event: Event) -> None:
        """Remove ``event`` (matched by id and place); nothing happens if it is not there."""
        key = event_order(event)
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
        if self._extra_at:  # a sparse state nearer than the regular one: start from it
            i = bisect.bisect_right(self._extra_at, n) - 1
            start = self._extra_at[i] if i >= 0 else -1
            if start > min(want, len(snaps) - 1) * k:  # nearer than any built regular one
                state = self._extra[start]
                for e in events[start:n]:
                    state = apply(state, e)
                if n - start >= k:  # keep it: the next question applies at most k events
                    self.restore(n, state)
                return state
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
        n = bisect.bisect_right(self._los, last_day(as_of))
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
        return self._folds.state_as_of(as_of_when(as_of))

    def __len__(self) -> int:
        return len(self._folds)


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
