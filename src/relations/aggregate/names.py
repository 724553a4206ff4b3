"""The names ``sum``, ``mean``, ``min`` and ``max`` accept: the quantities a timeline carries.

One lookup for every aggregation that reads a value by name (:func:`values_by_name`), and one
error for a name that no event carries (:func:`unknown_quantity_error`): a misspelled
``tl.sum("soldier")`` raises :class:`~relations.errors.UnknownKey` naming the names that
exist, with a "did you mean", instead of returning an empty series. An empty timeline is not
an error (it has no names to check against).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from relations.errors import UnknownKey

if TYPE_CHECKING:
    from relations.events import Event
    from relations.quantities import Quantity

__all__ = ["quantity_names", "unknown_quantity_error", "values_by_name"]


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


def unknown_quantity_error(name: str, known: Sequence[str]) -> UnknownKey:
    """The error for a quantity name that no event carries (the caller raises it).

    >>> raise unknown_quantity_error("soldier", ["soldiers", "usd"])
    Traceback (most recent call last):
    ...
    relations.errors.UnknownKey: no event carries a quantity named 'soldier'; did you mean 'soldiers'? (quantities: 'soldiers', 'usd')
    """
    message = f"no event carries a quantity named {name!r}"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        message += f"; did you mean {close[0]!r}?"
    if known:
        message += " (quantities: " + ", ".join(repr(k) for k in known) + ")"
    else:
        message += " (the events carry no quantities)"
    return UnknownKey(message)


def values_by_name(events: Sequence[Event], name: str) -> list[Quantity | None]:
    """Each event's value named ``name`` (``None`` where it has none); raises
    :class:`~relations.errors.UnknownKey` (see :func:`unknown_quantity_error`) when the
    events are not empty and none has it.

    >>> from relations import Event
    >>> es = [Event("2024", "trade.volume", ["PRK"], "a", quantities={"usd": 2}),
    ...       Event("2024", "trade.volume", ["PRK"], "b")]
    >>> [str(q) for q in values_by_name(es, "usd")], values_by_name([], "usd")
    (['2 count', 'None'], [])
    """
    values = [e.quantities.get(name) for e in events]
    if events and values.count(None) == len(values):
        raise unknown_quantity_error(name, quantity_names(events))
    return values
