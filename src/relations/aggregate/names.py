"""The names ``sum``, ``mean``, ``min`` and ``max`` accept: the quantities a timeline carries
(and, for ``sum`` and ``mean``, its measures, :attr:`Event.measures <relations.Event.measures>`).

One lookup for every aggregation that reads a value by name (:func:`values_by_name`), and one
error for a name that no event carries (:func:`unknown_quantity_error`): a misspelled
``tl.sum("soldier")`` raises :class:`~relations.errors.UnknownKey` naming the names that
exist, with a "did you mean", instead of returning an empty series. An empty timeline is not
an error (it has no names to check against).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from relations.errors import UnknownKey

if TYPE_CHECKING:
    from relations.events import Event

__all__ = [
    "kind_of_name",
    "measure_names",
    "quantity_names",
    "unknown_quantity_error",
    "values_by_name",
]


def quantity_names(events: Iterable[Event]) -> list[str]:
    """The quantity names the events carry, sorted.

    >>> from relations import Event
    >>> quantity_names([Event("2024", "military.deployment", ["PRK"], "a", quantities={"soldiers": 5}),
    ...                 Event("2024", "trade.volume", ["PRK"], "b", quantities={"usd": 2})])
    ['soldiers', 'usd']
    """
    names: set[str] = set()
    for e in events:
        if e.quantities:
            names.update(e.quantities)
    return sorted(names)


def measure_names(events: Iterable[Event]) -> list[str]:
    """The measure names the events carry, sorted.

    >>> from relations import Event
    >>> measure_names([Event("2024", "cameo", ["PRK"], "a", measures={"tone": -1.5})])
    ['tone']
    """
    names: set[str] = set()
    for e in events:
        if e.measures:
            names.update(e.measures)
    return sorted(names)


def unknown_quantity_error(
    name: str, known: Sequence[str], measures: Sequence[str] = ()
) -> UnknownKey:
    """The error for a quantity (or measure) name that no event carries (the caller raises it).

    >>> raise unknown_quantity_error("soldier", ["soldiers", "usd"])
    Traceback (most recent call last):
    ...
    relations.errors.UnknownKey: no event carries a quantity named 'soldier'; did you mean 'soldiers'? (quantities: 'soldiers', 'usd')
    >>> raise unknown_quantity_error("tones", ["usd"], ["tone"])
    Traceback (most recent call last):
    ...
    relations.errors.UnknownKey: no event carries a quantity named 'tones' nor a measure of that name; did you mean 'tone'? (quantities: 'usd'; measures: 'tone')
    """
    message = f"no event carries a quantity named {name!r}"
    if measures:
        message += " nor a measure of that name"
    close = difflib.get_close_matches(name, [*known, *measures], n=1, cutoff=0.6)
    if close:
        message += f"; did you mean {close[0]!r}?"
    if known:
        message += " (quantities: " + ", ".join(repr(k) for k in known)
        if measures:
            message += "; measures: " + ", ".join(repr(k) for k in measures)
        message += ")"
    elif measures:
        message += " (measures: " + ", ".join(repr(k) for k in measures) + ")"
    else:
        message += " (the events carry no quantities)"
    return UnknownKey(message)


def kind_of_name(
    events: Sequence[Event], name: str, *, measures: bool = True
) -> Literal["quantity", "measure"]:
    """What ``name`` is in ``events``: ``"quantity"`` (also for no events at all), else
    ``"measure"`` (when ``measures``); raises :class:`~relations.errors.UnknownKey` (see
    :func:`unknown_quantity_error`, listing quantities and measures) for a name none carries.

    >>> from relations import Event
    >>> es = [Event("2024", "cameo", ["PRK"], "a", quantities={"usd": 5}, measures={"tone": -1.5})]
    >>> kind_of_name(es, "usd"), kind_of_name(es, "tone"), kind_of_name([], "usd")
    ('quantity', 'measure', 'quantity')
    """
    if not events or any(name in e.quantities for e in events):
        return "quantity"
    if measures and any(name in e.measures for e in events):
        return "measure"
    raise unknown_quantity_error(
        name, quantity_names(events), measure_names(events) if measures else ()
    )


def values_by_name(events: Sequence[Event], name: str, *, measures: bool = True) -> list[Any]:
    """Each event's value named ``name`` (``None`` where it has none): its quantity of that
    name, or, when no event has such a quantity, its measure of that name (a number; not when
    ``measures`` is false). Raises :class:`~relations.errors.UnknownKey` (see
    :func:`kind_of_name`) when the events are not empty and none has it.

    >>> from relations import Event
    >>> es = [Event("2024", "trade.volume", ["PRK"], "a", quantities={"usd": 2}, measures={"tone": 1.5}),
    ...       Event("2024", "trade.volume", ["PRK"], "b")]
    >>> [str(q) for q in values_by_name(es, "usd")], values_by_name([], "usd")
    (['2 count', 'None'], [])
    >>> values_by_name(es, "tone")
    [1.5, None]
    """
    if kind_of_name(events, name, measures=measures) == "measure":
        return [e.measures.get(name) for e in events]
    return [e.quantities.get(name) for e in events]
