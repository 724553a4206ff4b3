"""The key vocabulary: the names events are indexed and grouped by, and their key functions.

A *key function* gives an event's keys under one name: none (an undirected event has no
``source``), one (its ``status``) or several (one per ``actor``). The timeline's indexes
(``tl.involving``, ``tl.of_kind``, ...) and the ``by=`` grammar of
:mod:`relations.aggregate` (``by="dyad"``) read the same functions, so a name means one thing
everywhere.

>>> from relations import Event
>>> e = Event("2024-10", "military.deployment", ["PRK", "RUS"], "Troops", directed=True)
>>> KEYS["actor"](e), KEYS["dyad"](e), KEYS["directed_dyad"](e), KEYS["kind"](e)
(('PRK', 'RUS'), (('PRK', 'RUS'),), (('PRK', 'RUS'),), ('military.deployment',))
>>> KEYS["kind_prefix"](e), KEYS["source"](e), KEYS["target"](e)
(('military.deployment', 'military'), ('PRK',), ('RUS',))

The names are singular. The plural spellings the timeline's indexes used before (``"actors"``,
``"dyads"``, ``"kinds"``, ...) remain as :data:`ALIASES`; :func:`canonical` reads either:

>>> canonical("actors"), canonical("actor"), canonical("kinds")
('actor', 'actor', 'kind_prefix')
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from itertools import combinations

from relations.errors import InvalidArgument
from relations.events import Event
from relations.kinds import parents_of

__all__ = [
    "ALIASES",
    "KEYS",
    "KeyFunction",
    "actor_keys",
    "arc_keys",
    "canonical",
    "directed_dyad_keys",
    "FIELDS",
    "directed_keys",
    "dyad",
    "dyad_keys",
    "key_function",
    "kind_keys",
    "kind_level_keys",
    "kind_prefix_keys",
    "kind_prefixes",
    "precision_keys",
    "publisher_keys",
    "quantity_keys",
    "source_keys",
    "status_keys",
    "tag_keys",
    "target_keys",
]

KeyFunction = Callable[[Event], Sequence[Hashable]]
"""An event's keys under one name (empty: the event has none)."""


@lru_cache(maxsize=4096)
def kind_prefixes(kind: str) -> tuple[str, ...]:
    """A kind and every parent of it, nearest first (cached: kinds repeat).

    >>> kind_prefixes("agreement.treaty.signed")
    ('agreement.treaty.signed', 'agreement.treaty', 'agreement')
    """
    return parents_of(kind)


def dyad(a: str, b: str) -> tuple[str, str]:
    """The unordered pair of two actors, as a sorted tuple.

    >>> dyad("RUS", "PRK")
    ('PRK', 'RUS')
    """
    return (a, b) if a < b else (b, a)


def actor_keys(e: Event) -> Sequence[Hashable]:
    """``"actor"``: each actor of the event."""
    return e.actors


def dyad_keys(e: Event) -> Sequence[Hashable]:
    """``"dyad"``: each unordered pair of the event's actors, as a sorted tuple."""
    a = e.actors
    if len(a) == 2:
        return ((a[0], a[1]) if a[0] < a[1] else (a[1], a[0]),)
    return tuple(combinations(sorted(a), 2))


def directed_dyad_keys(e: Event) -> Sequence[Hashable]:
    """``"directed_dyad"``: ``(source, target)`` pairs of a directed event; an undirected event
    gives both directions of each pair."""
    a = e.actors
    if e.directed:
        return tuple((a[0], t) for t in a[1:])
    return tuple((x, y) for x in a for y in a if x != y)


def arc_keys(e: Event) -> Sequence[Hashable]:
    """``"arc"``: ``(source, target)`` pairs of a directed event only (none if undirected)."""
    if not e.directed:
        return ()
    s = e.actors[0]
    return [(s, t) for t in e.actors[1:]]


def source_keys(e: Event) -> Sequence[Hashable]:
    """``"source"``: the acting actor of a directed event."""
    return (e.actors[0],) if e.directed else ()


def target_keys(e: Event) -> Sequence[Hashable]:
    """``"target"``: the actors a directed event acted upon."""
    return e.actors[1:] if e.directed else ()


def directed_keys(e: Event) -> Sequence[Hashable]:
    """``"directed"``: ``True`` for a directed event (none otherwise)."""
    return (True,) if e.directed else ()


def kind_keys(e: Event) -> Sequence[Hashable]:
    """``"kind"``: the full kind."""
    return (e.kind,)


def kind_prefix_keys(e: Event) -> Sequence[Hashable]:
    """``"kind_prefix"``: the kind and each parent kind (what ``of_kind`` looks up)."""
    return kind_prefixes(e.kind)


def tag_keys(e: Event) -> Sequence[Hashable]:
    """``"tag"``: each tag."""
    return e.tags


def status_keys(e: Event) -> Sequence[Hashable]:
    """``"status"``: the claim status."""
    return (e.status,)


def publisher_keys(e: Event) -> Sequence[Hashable]:
    """``"publisher"``: each source's publisher, case-folded."""
    return [s.publisher.casefold() for s in e.sources]


def quantity_keys(e: Event) -> Sequence[Hashable]:
    """``"quantity"``: the name of each quantity the event reports."""
    return tuple(e.quantities)


def precision_keys(e: Event) -> Sequence[Hashable]:
    """``"precision"``: the precision of the event's date."""
    return (e.when.precision,)


KEYS: dict[str, KeyFunction] = {
    "actor": actor_keys,
    "dyad": dyad_keys,
    "directed_dyad": directed_dyad_keys,
    "arc": arc_keys,
    "source": source_keys,
    "target": target_keys,
    "directed": directed_keys,
    "kind": kind_keys,
    "kind_prefix": kind_prefix_keys,
    "tag": tag_keys,
    "status": status_keys,
    "publisher": publisher_keys,
    "quantity": quantity_keys,
    "precision": precision_keys,
}
"""Every key name and its key function."""

FIELDS: dict[str, tuple[str, ...]] = {
    "actor": ("actors",),
    "dyad": ("actors",),
    "directed_dyad": ("actors", "directed"),
    "arc": ("actors", "directed"),
    "source": ("actors", "directed"),
    "target": ("actors", "directed"),
    "directed": ("directed",),
    "kind": ("kind",),
    "kind_prefix": ("kind",),
    "tag": ("tags",),
    "status": ("status",),
    "publisher": ("sources",),
    "quantity": ("quantities",),
    "precision": ("when",),
}
"""The event fields each key function reads (a columnar timeline computes a key once per
distinct combination of these fields, not once per event)."""


def kind_level_keys(levels: int) -> KeyFunction:
    """``"kind:N"``: the kind cut to its first ``levels`` parts.

    >>> kind_level_keys(1)(Event("2024", "sanction.imposed", ["RUS"], "S"))
    ('sanction',)
    """

    def keys(e: Event) -> Sequence[Hashable]:
        return (".".join(e.kind.split(".")[:levels]),)

    return keys


def key_function(name: str) -> tuple[KeyFunction, tuple[str, ...]] | None:
    """The key function of ``name`` (a key name or ``"kind:N"``) and the fields it reads; None
    for any other name.

    >>> key_function("kind:2")[1], key_function("status")[1], key_function("nope")
    (('kind',), ('status',), None)
    """
    fn = KEYS.get(name)
    if fn is not None:
        return fn, FIELDS[name]
    if name.startswith("kind:") and name[5:].isdigit() and int(name[5:]) >= 1:
        return kind_level_keys(int(name[5:])), ("kind",)
    return None


ALIASES: dict[str, str] = {
    "actors": "actor",
    "dyads": "dyad",
    "arcs": "arc",
    "sources": "source",
    "targets": "target",
    "kinds": "kind_prefix",
    "tags": "tag",
    "publishers": "publisher",
    "quantities": "quantity",
}
"""The plural spellings the timeline's indexes used, mapped to their key names."""


def canonical(name: str) -> str:
    """The key name for ``name`` or its alias.

    >>> canonical("dyads")
    'dyad'
    >>> canonical("nope")
    Traceback (most recent call last):
    ...
    relations.errors.InvalidArgument: unknown key name 'nope'; expected one of actor, dyad, ...
    """
    name = ALIASES.get(name, name)
    if name not in KEYS:
        raise InvalidArgument(f"unknown key name {name!r}; expected one of {', '.join(KEYS)}")
    return name
