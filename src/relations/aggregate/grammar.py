"""The ``by=`` grammar: what to group by, and the keyword options of the aggregations.

``by`` is a period unit, a key name of :mod:`relations.keys`, ``kind:N``, a function of an
event, or a tuple of these (see :mod:`relations.aggregate`). :func:`parse_by` turns it into
:class:`Dim` parts; :data:`Policy` names the four placement policies (see
:mod:`relations.aggregate.placement`).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypedDict, cast

from relations.errors import InvalidArgument
from relations.keys import KEYS, KeyFunction, kind_level_keys
from relations.periods import UNITS, Unit, is_unit

if TYPE_CHECKING:
    from relations.events import Event

__all__ = [
    "BY_KEYS",
    "POLICIES",
    "By",
    "ByPart",
    "Bucketing",
    "Dim",
    "Placement",
    "Policy",
    "Scale",
    "bucketing",
    "check_name",
    "check_policy",
    "parse_by",
]

Policy = Literal["contained", "earliest", "spread", "overlap"]
"""How an event with imprecise or long dates is placed in period buckets (module docs)."""

POLICIES: tuple[Policy, ...] = ("contained", "earliest", "spread", "overlap")
"""Every placement policy."""

ByPart = str | Callable[["Event"], Any]
By = ByPart | tuple[ByPart, ...]
"""What to group by: a period unit, a key name, a function of an event, or a tuple of these."""

Scale = Mapping[str, float | None] | Callable[[str], float | None]
"""A cooperation–conflict scale: kind → score (mappings fall back to parent kinds)."""


class Placement(TypedDict, total=False):
    """Where events go: the keywords of :func:`group_by` (and, with ``fill``, of every
    aggregation); the module documentation describes each and its default."""

    policy: Policy
    start: object
    end: object


class Bucketing(Placement, total=False):
    """The keywords of the aggregations (:func:`count`, :func:`sum`, :func:`mean`,
    :func:`min`, :func:`max`, :func:`score_sum`, :func:`score_mean`), each optional:

    - ``policy``: how events with imprecise or long dates are placed (default
      ``"contained"``; see the module documentation);
    - ``fill``: also give the empty buckets from ``start`` to ``end``, as zeros (default False);
    - ``start``, ``end``: the first and last bucket to give (default None: those of the events).
    """

    fill: bool


_BUCKETING: Bucketing = {"policy": "contained", "fill": False, "start": None, "end": None}


def bucketing(options: Mapping[str, object], where: str) -> Bucketing:
    """The keywords an aggregation was given, with the defaults of the others; a keyword it
    does not take is a TypeError, as for any function.

    >>> bucketing({"fill": True}, "count")["policy"], bucketing({"fill": True}, "count")["fill"]
    ('contained', True)
    >>> bucketing({"polcy": "spread"}, "count")
    Traceback (most recent call last):
    ...
    TypeError: count() got an unexpected keyword argument 'polcy'
    """
    unknown = options.keys() - _BUCKETING.keys()
    if unknown:
        raise TypeError(f"{where}() got an unexpected keyword argument {min(unknown)!r}")
    return cast("Bucketing", {**_BUCKETING, **options})


_NO_KEYS: tuple[Any, ...] = ()

# ---- grouping dimensions ---------------------------------------------------------------------


class Dim:
    """One part of ``by``: a period unit, or a function giving an event's keys (0, 1 or many)."""

    __slots__ = ("cache_id", "keys", "name", "unit")

    def __init__(
        self,
        name: str,
        unit: Unit | None = None,
        keys: Callable[[Event], Sequence[Any]] | None = None,
        cache_id: Hashable | None = None,
    ) -> None:
        self.name = name
        self.unit = unit
        self.keys = keys
        self.cache_id = cache_id


#: The key names ``by`` accepts (see :mod:`relations.keys`), besides periods and ``kind:N``.
BY_KEYS = ("kind", "actor", "dyad", "directed_dyad", "status", "tag")
_NAMED: dict[str, KeyFunction] = {name: KEYS[name] for name in BY_KEYS}


def _function_dim(fn: Callable[[Event], Any]) -> Dim:
    def keys(e: Event) -> tuple[Any, ...]:
        k = fn(e)
        if k is None:
            return _NO_KEYS
        try:
            hash(k)
        except TypeError:
            raise InvalidArgument(
                f"by: {getattr(fn, '__name__', fn)!r} gave the unhashable key {k!r} for event "
                f"{e.id!r}; return a str, number, tuple or None"
            ) from None
        return (k,)

    return Dim(getattr(fn, "__name__", "key"), keys=keys)


def parse_by(by: By) -> list[Dim]:
    parts = by if isinstance(by, tuple) else (by,)
    if not parts:
        raise InvalidArgument("by=() names nothing to group by")
    dims: list[Dim] = []
    for part in parts:
        if callable(part):
            dims.append(_function_dim(part))
        elif not isinstance(part, str):
            raise InvalidArgument(f"by: {part!r} is not a name or a function of an event")
        elif is_unit(part):
            dims.append(Dim(part, unit=cast(Unit, part)))
        elif part in _NAMED:
            dims.append(Dim(part, keys=_NAMED[part], cache_id=part))
        elif part.startswith("kind:") and part[5:].isdigit() and int(part[5:]) >= 1:
            dims.append(Dim(part, keys=kind_level_keys(int(part[5:])), cache_id=part))
        else:
            raise InvalidArgument(
                f"by: unknown grouping {part!r}; expected a period ({', '.join(UNITS)}), "
                f"'kind', 'kind:N', 'actor', 'dyad', 'directed_dyad', 'status', 'tag' "
                f"or a function of an event"
            )
    if builtins.sum(d.unit is not None for d in dims) > 1:
        raise InvalidArgument(f"by={by!r}: at most one period unit per aggregation")
    return dims


def check_policy(policy: object) -> Policy:
    if policy not in POLICIES:
        raise InvalidArgument(f"unknown policy {policy!r}; expected one of {', '.join(POLICIES)}")
    return policy


# ---- per-timeline caches -----------------------------------------------------------------------


def check_name(name: object) -> str:
    if not isinstance(name, str) or not name:
        raise InvalidArgument(f"quantity name must be non-empty text, not {name!r}")
    return name
