"""The records a store keeps: recorded events, amendments, append results, and their JSON form.

Everything here is an immutable value; the engines (``memory``, ``sqlite``) and the shared
logic (``_base``) build on it. The canonical payload of an :class:`~relations.Event` is the JSON
of :meth:`Event.to_dict` (schema 1); a :class:`Correction` or :class:`Retraction` is written the
same way, with ``"type"`` naming which it is.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
import gc
import hashlib
import itertools
import json
import json.encoder
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeAlias, TypeVar

import attrs
import pendulum

from relations._frozen import FrozenMap
from relations.errors import InvalidDate, InvalidEvent, RelationsError
from relations.events import _EVENT_SETTERS, SCHEMA_VERSION, Event, Source, Status
from relations.events import _S_HASH as _S_EVENT_HASH
from relations.quantities import _SETTERS as _QUANTITY_SETTERS
from relations.quantities import Quantity
from relations.when import When

__all__ = [
    "ANY",
    "NO_STREAM",
    "AppendResult",
    "Correction",
    "ExpectedVersion",
    "Recordable",
    "RecordedEvent",
    "Retraction",
    "Revision",
    "Upcasters",
]


class ExpectedVersion(enum.Enum):
    """What an append expects of its stream, besides an exact version number.

    ``ANY``: no check. ``NO_STREAM``: the stream must not exist yet (version 0).

    >>> ANY, NO_STREAM
    (ANY, NO_STREAM)
    """

    ANY = "any"
    NO_STREAM = "no stream"

    def __repr__(self) -> str:
        return self.name


ANY: Final = ExpectedVersion.ANY
"""Append whatever the stream's version is."""
NO_STREAM: Final = ExpectedVersion.NO_STREAM
"""Append only if the stream does not exist yet."""

Upcasters: TypeAlias = Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]
"""Schema version → function turning a payload of that version into the next version."""


# ---- amendments ---------------------------------------------------------------------------

# the fields a Correction may change: every field but the id
_EVENT_FIELDS = frozenset(f.name for f in attrs.fields(Event)) - {"id"}
_QUANTITY_PREFIX = "quantities."


def _canonical(value: Any, field: str) -> Any:
    """Plain JSON form of a field value given as Python objects (When, Quantity, Source ...)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, When):
        return str(value)
    if isinstance(value, Status):
        return value.value
    if isinstance(value, Quantity | Source):
        return value.to_dict()
    if isinstance(value, _dt.date):
        return str(When.coerce(value))
    if isinstance(value, Mapping):
        return {str(k): _canonical(v, field) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v, field) for v in value]
    raise InvalidEvent(f"field {field!r}: cannot record {type(value).__name__} {value!r}")


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return FrozenMap({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def _to_changes(value: object) -> FrozenMap[str, Any]:
    if not isinstance(value, Mapping) or not value:
        raise InvalidEvent(
            f"field 'changes' must be a non-empty mapping of field to value: {value!r}"
        )
    out: dict[str, Any] = {}
    for key, v in value.items():
        if not isinstance(key, str):
            raise InvalidEvent(f"field 'changes': key {key!r} is not a field name")
        if key.startswith(_QUANTITY_PREFIX) and len(key) > len(_QUANTITY_PREFIX):
            pass
        elif key in ("id", "schema"):
            raise InvalidEvent(
                f"field 'changes': {key!r} cannot be corrected (it is the event's identity); "
                "retract the event and record a new one instead"
            )
        elif key not in _EVENT_FIELDS:
            raise InvalidEvent(
                f"field 'changes': {key!r} is not an event field "
                f"(one of {', '.join(sorted(_EVENT_FIELDS))}, or 'quantities.<name>')"
            )
        out[key] = _freeze(_canonical(v, key))
    return FrozenMap(out)


def _to_reason(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidEvent(f"field 'reason' must be non-empty text, not {value!r}")
    return value


def _to_event_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidEvent(f"field 'event_id' must name an event id, not {value!r}")
    return value


def _to_source(value: object) -> Source | None:
    if value is None or isinstance(value, Source):
        return value
    if isinstance(value, Mapping):
        return Source.from_dict(value)
    if isinstance(value, str):
        return Source(value)
    raise InvalidEvent(f"field 'source' must be a Source, not {value!r}")


def _to_optional_id(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise InvalidEvent(
            f"field 'id' must be non-empty text without surrounding spaces: {value!r}"
        )
    return value


def _derive(prefix: str, content: Mapping[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return prefix + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# A template that every valid change can be applied to: checks values when a Correction is made.
_TEMPLATE: dict[str, Any] = {
    "schema": SCHEMA_VERSION,
    "id": "template",
    "when": "2000",
    "kind": "diplomacy",
    "actors": ["RUS", "PRK"],
    "title": "template",
}


def _apply_changes(d: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(d)
    for key, frozen in changes.items():
        value = _thaw(frozen)
        if key.startswith(_QUANTITY_PREFIX):
            name = key[len(_QUANTITY_PREFIX) :]
            qs = dict(out.get("quantities", {}))
            if value is None:
                qs.pop(name, None)
            else:
                qs[name] = value
            out["quantities"] = qs
        elif value is None:
            out.pop(key, None)  # back to the field's default
        else:
            out[key] = value
    return out


@attrs.frozen(repr=False, cache_hash=True)
class Correction:
    """An amendment that changes some fields of a recorded event, saying why and on what source.

    ``changes`` maps field names to their new values (``When``, ``Quantity``, ``Source`` or their
    JSON forms; ``None`` resets a field to its default). ``"quantities.<name>"`` changes one
    quantity and keeps the others. The event keeps its id; the store keeps every version.

    >>> from relations import Event, Quantity
    >>> e = Event("2025-01", "military.casualties", ["PRK", "UKR"], "Casualties", id="cas",
    ...           quantities={"casualties": Quantity.about(3000, "people")})
    >>> c = Correction("cas", {"quantities.casualties": Quantity.about(4000, "people")},
    ...                "UK MoD estimate", source=Source("BBC"))
    >>> c.apply(e).quantities["casualties"]
    Quantity(4000, 'people', approximate=True)
    >>> c.id.startswith("cor-"), c.apply(e).id
    (True, 'cas')
    """

    event_id: str = attrs.field(converter=_to_event_id)
    changes: FrozenMap[str, Any] = attrs.field(converter=_to_changes)
    reason: str = attrs.field(converter=_to_reason)
    source: Source | None = attrs.field(default=None, converter=_to_source)
    id: str = attrs.field(default=None, kw_only=True, converter=_to_optional_id)

    def __attrs_post_init__(self) -> None:
        try:
            Event.from_dict(_apply_changes(_TEMPLATE, self.changes))
        except RelationsError as e:
            raise type(e)(f"correction of {self.event_id!r}: {e}") from None
        if self.id is None:
            object.__setattr__(self, "id", _derive("cor-", self._content()))

    def _content(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "type": "correction",
            "event_id": self.event_id,
            "changes": _thaw(self.changes),
            "reason": self.reason,
        }
        if self.source is not None:
            d["source"] = self.source.to_dict()
        return d

    def apply(self, event: Event) -> Event:
        """The corrected event (same id); raises InvalidEvent if the result is not valid.

        >>> from relations import Event
        >>> e = Event("2024-06-18", "agreement.treaty.signed", ["RUS", "PRK"], "Signed", id="t")
        >>> str(Correction("t", {"when": "2024-06-19"}, "official text").apply(e).when)
        '2024-06-19'
        """
        try:
            return Event.from_dict(_apply_changes(event.to_dict(), self.changes))
        except RelationsError as e:
            raise type(e)(f"correction {self.id!r} of event {event.id!r}: {e}") from None

    def to_dict(self) -> dict[str, Any]:
        """The canonical JSON record (with ``"schema"`` and ``"type": "correction"``).

        >>> Correction("x", {"title": "New"}, "typo", id="c1").to_dict()
        {'schema': 1, 'id': 'c1', 'type': 'correction', 'event_id': 'x', 'changes': {'title': 'New'}, 'reason': 'typo'}
        """
        return {"schema": SCHEMA_VERSION, "id": self.id, **self._content()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Correction:
        """Read the canonical JSON record.

        >>> c = Correction("x", {"title": "New"}, "typo")
        >>> Correction.from_dict(c.to_dict()) == c
        True
        """
        _check_keys(d, "correction", {"changes"})
        return cls(d["event_id"], d["changes"], d["reason"], d.get("source"), id=d.get("id"))

    def __repr__(self) -> str:
        src = "" if self.source is None else f", source={self.source!r}"
        return (
            f"Correction({self.event_id!r}, {_thaw(self.changes)!r}, {self.reason!r}{src}, "
            f"id={self.id!r})"
        )


@attrs.frozen(repr=False, cache_hash=True)
class Retraction:
    """An amendment that withdraws a recorded event (it stays in the log and in its history).

    >>> r = Retraction("ev-1", "no source supports it", source=Source("Fact check"))
    >>> r.event_id, r.id.startswith("ret-")
    ('ev-1', True)
    """

    event_id: str = attrs.field(converter=_to_event_id)
    reason: str = attrs.field(converter=_to_reason)
    source: Source | None = attrs.field(default=None, converter=_to_source)
    id: str = attrs.field(default=None, kw_only=True, converter=_to_optional_id)

    def __attrs_post_init__(self) -> None:
        if self.id is None:
            object.__setattr__(self, "id", _derive("ret-", self._content()))

    def _content(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": "retraction", "event_id": self.event_id, "reason": self.reason}
        if self.source is not None:
            d["source"] = self.source.to_dict()
        return d

    def to_dict(self) -> dict[str, Any]:
        """The canonical JSON record (with ``"schema"`` and ``"type": "retraction"``).

        >>> Retraction("x", "duplicate", id="r1").to_dict()
        {'schema': 1, 'id': 'r1', 'type': 'retraction', 'event_id': 'x', 'reason': 'duplicate'}
        """
        return {"schema": SCHEMA_VERSION, "id": self.id, **self._content()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Retraction:
        """Read the canonical JSON record.

        >>> r = Retraction("x", "duplicate")
        >>> Retraction.from_dict(r.to_dict()) == r
        True
        """
        _check_keys(d, "retraction", set())
        return cls(d["event_id"], d["reason"], d.get("source"), id=d.get("id"))

    def __repr__(self) -> str:
        src = "" if self.source is None else f", source={self.source!r}"
        return f"Retraction({self.event_id!r}, {self.reason!r}{src}, id={self.id!r})"


def _check_keys(d: Mapping[str, Any], kind: str, extra: set[str]) -> None:
    if not isinstance(d, Mapping):
        raise InvalidEvent(f"a {kind} record must be a JSON object, not {d!r}")
    allowed = {"schema", "id", "type", "event_id", "reason", "source"} | extra
    unknown = set(d) - allowed
    if unknown:
        raise InvalidEvent(f"{kind} record: unknown field(s) {sorted(unknown)!r}")
    missing = sorted(({"event_id", "reason"} | extra) - set(d))
    if missing:
        raise InvalidEvent(f"{kind} record: missing field(s) {missing!r}")


Amendment: TypeAlias = Correction | Retraction
Recordable: TypeAlias = Event | Correction | Retraction
"""What a store records: an event, or an amendment of one."""


# ---- recorded events ----------------------------------------------------------------------


@attrs.frozen
class RecordedEvent:
    """An event (or amendment) as the store recorded it: where, in which stream, and when.

    ``position`` is global (1, 2, 3 ... without gaps), ``version`` counts within the stream
    (1, 2, 3 ...), ``recorded_at`` is the store's clock in UTC (never decreasing).

    >>> from relations import Event
    >>> from relations.store import MemoryStore
    >>> with MemoryStore() as store:
    ...     _ = store.append("rus-prk", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
    ...     r = store.read("rus-prk")[0]
    >>> r.position, r.stream, r.version, r.event.id, r.recorded_at.timezone_name
    (1, 'rus-prk', 1, 't', 'UTC')
    """

    position: int
    stream: str
    version: int
    recorded_at: pendulum.DateTime
    event: Event | Correction | Retraction


@attrs.frozen
class AppendResult:
    """What an append did: one position per given event, and which were already recorded.

    ``positions[i]`` is where ``events[i]`` is (now or from before); ``already_present[i]`` is
    True when it was recorded before (an idempotent repeat, nothing written);
    ``version`` is the stream's version after the append.

    >>> from relations import Event
    >>> from relations.store import MemoryStore
    >>> store = MemoryStore()
    >>> e = Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")
    >>> store.append("s", [e])
    AppendResult(stream='s', positions=(1,), already_present=(False,), version=1)
    >>> store.append("s", [e]).already_present
    (True,)
    """

    stream: str
    positions: tuple[int, ...]
    already_present: tuple[bool, ...]
    version: int

    @property
    def written(self) -> int:
        """How many events this append wrote (the rest were already recorded).

        >>> AppendResult("s", (1, 2), (True, False), 2).written
        1
        """
        return sum(1 for p in self.already_present if not p)


@attrs.frozen
class Revision:
    """One version of an event in its history: the content, whether retracted, and why.

    ``amendment`` is the :class:`Correction` or :class:`Retraction` that made this version
    (None for the event as first recorded).

    >>> from relations import Event
    >>> from relations.store import MemoryStore
    >>> store = MemoryStore()
    >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
    >>> _ = store.append("s", [Retraction("t", "duplicate")])
    >>> [(r.position, r.retracted) for r in store.history("t")]
    [(1, False), (2, True)]
    """

    position: int
    recorded_at: pendulum.DateTime
    event: Event
    retracted: bool = False
    amendment: Correction | Retraction | None = None


# ---- payload codec ------------------------------------------------------------------------

TYPE_EVENT = "event"
TYPE_CORRECTION = "correction"
TYPE_RETRACTION = "retraction"

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def type_of(item: object) -> str:
    """``"event"``, ``"correction"`` or ``"retraction"``; InvalidEvent for anything else."""
    if isinstance(item, Event):
        return TYPE_EVENT
    if isinstance(item, Correction):
        return TYPE_CORRECTION
    if isinstance(item, Retraction):
        return TYPE_RETRACTION
    raise InvalidEvent(
        f"a store records Event, Correction or Retraction objects, not {type(item).__name__} "
        f"{item!r}"
    )


def encode(item: Recordable) -> str:
    """The canonical JSON text of an event or amendment (what the SQLite store keeps).

    Events take a direct path that writes the same text as ``json`` of
    :meth:`Event.to_dict` without building the dict first (checked by the test suite).

    >>> from relations import Event
    >>> encode(Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t"))
    '{"schema":1,"id":"t","when":"2024","kind":"trade","actors":["RUS","PRK"],"title":"Trade"}'
    """
    if type(item) is Event and _FAST:
        return _encode_event(item)
    return _dumps(item.to_dict())


_esc: Callable[[str], str] = json.encoder.encode_basestring  # what JSONEncoder uses for str


def _strings(items: tuple[str, ...]) -> str:
    return "[" + ",".join([_esc(x) for x in items]) + "]"


_HEAD = '{"schema":' + str(SCHEMA_VERSION) + ',"id":'
_ACTORS_JSON: dict[tuple[str, ...], str] = {}  # actor codes → their JSON list (few distinct)


def _quantity_json(q: Quantity) -> str:
    """``_dumps(q.to_dict())``; written directly for the common exact value."""
    v = q.value
    if (
        (type(v) is int or type(v) is float)
        and q.low is None
        and q.high is None
        and not q.approximate
    ):
        return '{"unit":' + _esc(q.unit) + ',"value":' + repr(v) + "}"  # as json writes them
    return _dumps(q.to_dict())


def _encode_event(e: Event) -> str:
    """``_dumps(e.to_dict())``, written directly (same keys, order and escaping)."""
    actors = e.actors
    actors_json = _ACTORS_JSON.get(actors)
    if actors_json is None:
        if len(_ACTORS_JSON) >= 100_000:
            _ACTORS_JSON.clear()
        actors_json = _ACTORS_JSON[actors] = _strings(actors)
    text = (
        f'{_HEAD}{_esc(e.id)},"when":{_esc(str(e.when))},"kind":{_esc(e.kind)},'
        f'"actors":{actors_json},"title":{_esc(e.title)}'
    )
    if e.directed:
        text += ',"directed":true'
    if e.summary:
        text += ',"summary":' + _esc(e.summary)
    if e.location is not None:
        text += ',"location":' + _esc(e.location)
    if e.status is not _REPORTED:
        text += ',"status":' + _esc(e.status.value)
    if e.claimed_by:
        text += ',"claimed_by":' + _strings(e.claimed_by)
    quantities = e.quantities._data  # the FrozenMap's sorted dict (_FAST checks the layout)
    if quantities:
        text += (
            ',"quantities":{'
            + ",".join([_esc(k) + ":" + _quantity_json(q) for k, q in quantities.items()])
            + "}"
        )
    if e.sources:
        text += ',"sources":' + _dumps([x.to_dict() for x in e.sources])
    if e.tags:
        text += ',"tags":' + _strings(e.tags)
    if e.links:
        text += ',"links":' + _strings(e.links)
    if e.extra._data:
        text += ',"extra":' + _dumps(e.extra.to_dict())
    return text + "}"


def encode_batch(items: Sequence[Recordable]) -> list[tuple[str, str | None, str]]:
    """``(type, amended event id or None, canonical JSON)`` of each item: the SQLite columns.

    >>> from relations import Event
    >>> encode_batch([Event("2024", "trade", ["RUS"], "T", id="t"), Retraction("t", "x", id="r")])
    [('event', None, '{"schema":1,"id":"t","when":"2024","kind":"trade","actors":["RUS"],"title":"T"}'), ('retraction', 't', '{"schema":1,"id":"r","type":"retraction","event_id":"t","reason":"x"}')]
    """
    if _FAST and all(type(x) is Event for x in items):
        enc = _encode_event
        return [(TYPE_EVENT, None, enc(x)) for x in items]  # type: ignore[arg-type]
    out: list[tuple[str, str | None, str]] = []
    for x in items:
        kind = type_of(x)
        target = None if isinstance(x, Event) else x.event_id
        out.append((kind, target, encode(x)))
    return out


_EVENT_KEYS = (
    "when",
    "kind",
    "actors",
    "title",
    "id",
    "summary",
    "quantities",
    "sources",
    "status",
    "claimed_by",
    "tags",
    "links",
    "directed",
    "location",
    "extra",
)
_KNOWN_KEYS = frozenset(_EVENT_KEYS) | {"schema"}
_MAP_FAST = getattr(FrozenMap, "__slots__", ()) == ("_data", "_hash")
_FAST = (
    tuple(a.name for a in attrs.fields(Event)) == _EVENT_KEYS
    and "_attrs_cached_hash" in getattr(Event, "__slots__", ())
    and _MAP_FAST
)


def _no_setter(obj: Any, value: Any) -> None:  # pragma: no cover - only with another layout
    raise TypeError("the trusted decoder does not know this class layout")


_SETTERS = _EVENT_SETTERS if _FAST else ()
_set_event_hash: Callable[[Any, Any], None] = _S_EVENT_HASH if _FAST else _no_setter
_STATUS: Mapping[object, Any] = Status._value2member_map_
_REPORTED = Status.REPORTED
_EMPTY_MAP: FrozenMap[Any, Any] = FrozenMap()


def _frozen_map(d: dict[Any, Any]) -> FrozenMap[Any, Any]:
    """A FrozenMap of ``d`` whose keys are already in sorted order (as the store writes them)."""
    if not _MAP_FAST:
        return FrozenMap(d)
    m: FrozenMap[Any, Any] = _new(FrozenMap)
    _map_data(m, d)
    _map_hash(m, None)
    return m


_map_data: Callable[[Any, Any], None] = (
    FrozenMap.__dict__["_data"].__set__ if _MAP_FAST else _no_setter
)
_map_hash: Callable[[Any, Any], None] = (
    FrozenMap.__dict__["_hash"].__set__ if _MAP_FAST else _no_setter
)


_WHEN_CACHE: dict[str, When] = {}
_new = object.__new__
_setattr = object.__setattr__


def _when(text: str) -> When:
    w = _WHEN_CACHE.get(text)
    if w is None:
        if len(_WHEN_CACHE) >= 100_000:
            _WHEN_CACHE.clear()
        w = _WHEN_CACHE[text] = When.parse(text)
    return w


_Q_KEYS = frozenset({"unit", "value", "low", "high", "approximate"})
_Q_FAST = tuple(a.name for a in attrs.fields(Quantity)) == (
    "value",
    "unit",
    "low",
    "high",
    "approximate",
) and "__dict__" not in dir(Quantity)
_Q_SETTERS = _QUANTITY_SETTERS if _Q_FAST else ()


def _trusted_quantity(name: str, d: Any) -> Quantity:
    """A Quantity from its canonical dict, written by :meth:`Quantity.to_dict` (no checks)."""
    if not _Q_FAST or type(d) is not dict or not _Q_KEYS.issuperset(d):
        return Quantity.from_dict(d, name=name)
    q = _new(Quantity)
    s_value, s_unit, s_low, s_high, s_approx = _Q_SETTERS
    s_unit(q, d["unit"])
    if len(d) == 2 and "value" in d:  # the common case: {"unit": ..., "value": ...}
        s_value(q, d["value"])
        s_low(q, None)
        s_high(q, None)
        s_approx(q, False)
        return q
    get = d.get
    s_value(q, get("value"))
    s_low(q, get("low"))
    s_high(q, get("high"))
    s_approx(q, get("approximate", False))
    return q


def _sorted_keys(d: dict[Any, Any]) -> bool:
    if len(d) < 2:
        return True
    keys = list(d)
    return all(a < b for a, b in itertools.pairwise(keys))


def _set_summary(e: Event, v: Any) -> None:
    _SETTERS[5](e, v)


def _set_quantities(e: Event, v: Any) -> None:
    if len(v) == 1:  # the common case: one quantity, its keys sorted by definition
        ((k, q),) = v.items()
        _SETTERS[6](e, _frozen_map({k: _trusted_quantity(k, q)}))
        return
    qs = {k: _trusted_quantity(k, q) for k, q in v.items()}
    _SETTERS[6](e, _frozen_map(qs) if _sorted_keys(qs) else FrozenMap(qs))


def _set_sources(e: Event, v: Any) -> None:
    _SETTERS[7](e, tuple(Source.from_dict(x) for x in v))


def _set_status(e: Event, v: Any) -> None:
    _SETTERS[8](e, _STATUS[v])


def _set_claimed_by(e: Event, v: Any) -> None:
    _SETTERS[9](e, tuple(v))


def _set_tags(e: Event, v: Any) -> None:
    _SETTERS[10](e, tuple(v))


def _set_links(e: Event, v: Any) -> None:
    _SETTERS[11](e, tuple(v))


def _set_directed(e: Event, v: Any) -> None:
    _SETTERS[12](e, v)


def _set_location(e: Event, v: Any) -> None:
    _SETTERS[13](e, v)


def _set_extra(e: Event, v: Any) -> None:
    _SETTERS[14](e, _frozen_map(dict(v)) if _sorted_keys(v) else FrozenMap(v))


# How to set each optional field present in a payload (the defaults are set first). A key that
# is not here (a required field out of place, an unknown field) raises KeyError: the caller
# then falls back to the validating reader.
_OPTIONAL: dict[str, Callable[[Event, Any], None]] = {
    "summary": _set_summary,
    "quantities": _set_quantities,
    "sources": _set_sources,
    "status": _set_status,
    "claimed_by": _set_claimed_by,
    "tags": _set_tags,
    "links": _set_links,
    "directed": _set_directed,
    "location": _set_location,
    "extra": _set_extra,
}
_N_REQUIRED = 6  # schema, id, when, kind, actors, title: first in every canonical payload
_islice = itertools.islice


_ACTORS: dict[tuple[str, ...], tuple[str, ...]] = {}
_KINDS: dict[str, str] = {}
_STREAMS: dict[str, str] = {}
_T = TypeVar("_T")


def _shared(cache: dict[_T, _T], value: _T) -> _T:
    """One shared copy of ``value`` (kinds, actor lists, stream names repeat across records):
    decoded records then hold fewer objects, and the cyclic collector visits fewer."""
    if len(cache) >= 100_000:
        cache.clear()
    return cache.setdefault(value, value)


def _trusted_event(d: dict[str, Any]) -> Event | None:
    """Rebuild an Event the store wrote itself, skipping re-validation (several times faster).

    The payload was made by :meth:`Event.to_dict` of a valid event (schema 1), so its values
    are already normal. Anything unusual (another schema, keys out of the canonical order or
    unknown, values of unexpected types) gives None: the caller then uses the validating
    reader, :meth:`Event.from_dict`, which says what is wrong. The result is always equal.
    """
    (s_when, s_kind, s_actors, s_title, s_id, s_summary, s_quantities, s_sources, s_status,
     s_claimed, s_tags, s_links, s_directed, s_location, s_extra) = _SETTERS  # fmt: skip
    try:
        if d["schema"] != SCHEMA_VERSION:
            return None
        e = _new(Event)
        text = d["when"]
        w = _WHEN_CACHE.get(text)
        s_when(e, w if w is not None else _when(text))
        kind = d["kind"]
        s_kind(e, _KINDS.get(kind) or _shared(_KINDS, kind))
        actors = tuple(d["actors"])
        s_actors(e, _ACTORS.get(actors) or _shared(_ACTORS, actors))
        s_title(e, d["title"])
        s_id(e, d["id"])
        s_summary(e, "")
        s_quantities(e, _EMPTY_MAP)
        s_sources(e, ())
        s_status(e, _REPORTED)
        s_claimed(e, ())
        s_tags(e, ())
        s_links(e, ())
        s_directed(e, False)
        s_location(e, None)
        s_extra(e, _EMPTY_MAP)
        if len(d) > _N_REQUIRED:
            # Canonical payloads list the six required keys first. All six were read above,
            # so if any of them were further on, the lookup below would fail (KeyError) for
            # it: the keys after the first six are exactly the optional ones.
            optional = _OPTIONAL
            for k, v in _islice(d.items(), _N_REQUIRED, None):
                optional[k](e, v)
        _set_event_hash(e, None)
    except (KeyError, TypeError, AttributeError, ValueError, RelationsError):
        return None
    return e


def trusted_event(d: Any) -> Event | None:
    """The event in a current-schema payload ``d`` this library wrote, or None when ``d`` needs
    the validating reader (another schema, unknown keys, anything unexpected).

    >>> trusted_event({"schema": 1, "id": "t", "when": "2024", "kind": "trade",
    ...                "actors": ["RUS"], "title": "T"}).title
    'T'
    >>> trusted_event({"schema": 0, "id": "t"}) is None
    True
    """
    return _trusted_event(d) if _FAST else None


def _no_event(d: Any) -> None:
    return None  # pragma: no cover - only with another Event layout: always validate


_RECORD_SETTERS = tuple(
    RecordedEvent.__dict__[name].__set__
    for name in ("position", "stream", "version", "recorded_at", "event")
)


@attrs.frozen
class FastPath:
    """What the SQLite reader needs for its trusted decoding loop (internal)."""

    enabled: bool
    event: Callable[[dict[str, Any]], Event | None]
    record_setters: tuple[Callable[[Any, Any], None], ...]


def trusted_fast_path() -> FastPath:
    """The trusted decoder's pieces (``enabled`` is False when the Event layout is not the
    expected one: every payload then takes the validating path)."""
    return FastPath(_FAST, _trusted_event, _RECORD_SETTERS)


def new_recorded_event(
    position: int, stream: str, version: int, recorded_at: Any, event: Any
) -> RecordedEvent:
    """``RecordedEvent(...)`` without attrs' per-field checks (the store's own rows)."""
    r = _new(RecordedEvent)
    p, s, v, a, e = _RECORD_SETTERS
    p(r, position)
    s(r, stream)
    v(r, version)
    a(r, recorded_at)
    e(r, event)
    return r


Fallback: TypeAlias = Callable[[int, str, str, str, Any], Recordable]
"""``(position, stream, type, payload, parsed JSON or None) -> item``: the validating reader."""

_PAGE = 1_000  # rows decoded together: one JSON parse, and a working set that fits in caches


def decode_rows(rows: Sequence[tuple[Any, ...]], fallback: Fallback) -> list[RecordedEvent]:
    """Records from rows ``(position, stream, version, recorded_at µs, type, payload)``.

    The hot loop of every read. Payloads are parsed one page at a time in one JSON call;
    current-schema events take the trusted constructor (they were written by this library
    from valid events), everything else (amendments, older schemas, anything unusual) goes to
    ``fallback``, the validating reader; a batch's shared ``recorded_at`` is converted once.

    >>> from relations import Event
    >>> e = Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")
    >>> (r,) = decode_rows([(1, "s", 1, 0, "event", encode(e))], lambda *row: e)
    >>> r.position, r.event == e, str(r.recorded_at)
    (1, True, '1970-01-01 00:00:00+00:00')
    """
    out: list[RecordedEvent] = []
    append = out.append
    new = _new
    set_pos, set_stream, set_version, set_at, set_event = _RECORD_SETTERS
    make = _trusted_event if _FAST else _no_event
    event = TYPE_EVENT
    last_us: int | None = None
    last_at: Any = None
    last_stream = ""
    streams = _STREAMS
    with gc_paused(len(rows)):  # made objects survive: no collector passes over them
        for start in range(0, len(rows), _PAGE):
            page = rows[start : start + _PAGE]
            dicts: list[Any] | None = loads_many([row[5] for row in page])
            if dicts is None:  # some payload is not JSON: the fallback parses each and says
                dicts = [None] * len(page)
            for (position, stream, version, us, kind, payload), d in zip(page, dicts, strict=True):
                if us != last_us:  # one batch shares one timestamp: convert it once
                    last_us, last_at = us, from_micros(us)
                if stream != last_stream:  # and one stream: keep one copy of its name
                    last_stream = streams.get(stream) or _shared(streams, stream)
                item: Recordable | None = make(d) if kind == event else None
                if item is None:  # an amendment, or unusual: the validating reader says what
                    item = fallback(position, stream, kind, payload, d)
                r = new(RecordedEvent)
                set_pos(r, position)
                set_stream(r, last_stream)
                set_version(r, version)
                set_at(r, last_at)
                set_event(r, item)
                append(r)
        promote_survivors(len(out))
    return out


def decode(
    kind: str,
    payload: str,
    *,
    upcasters: Upcasters | None = None,
    where: str = "",
) -> Recordable:
    """Read one payload back, upcasting older schema versions; errors name ``where``.

    >>> from relations import Event
    >>> e = Event("2024", "trade", ["RUS", "PRK"], "Trade")
    >>> decode("event", encode(e)) == e
    True
    """
    try:
        d = json.loads(payload)
    except ValueError as e:
        raise InvalidEvent(f"{where}payload is not valid JSON: {e}") from None
    return decode_dict(kind, d, upcasters=upcasters, where=where)


def decode_dict(
    kind: str,
    d: Any,
    *,
    upcasters: Upcasters | None = None,
    where: str = "",
) -> Recordable:
    """Like :func:`decode`, from the parsed JSON object."""
    try:
        if not isinstance(d, dict):
            raise InvalidEvent(f"payload is not a JSON object: {d!r:.80}")
        if d.get("schema", SCHEMA_VERSION) != SCHEMA_VERSION:
            d = upcast_payload(d, upcasters)
            trusted = False
        else:
            trusted = True
        if kind == TYPE_EVENT:
            fast = trusted_event(d) if trusted else None
            return fast if fast is not None else Event.from_dict(d)
        if kind == TYPE_CORRECTION:
            return Correction.from_dict(d)
        if kind == TYPE_RETRACTION:
            return Retraction.from_dict(d)
        raise InvalidEvent(f"unknown record type {kind!r}")
    except RelationsError as e:
        raise type(e)(f"{where}{e}") from None


def loads_many(payloads: list[str]) -> list[Any] | None:
    """Parse many JSON texts in one call (None if any is not valid JSON: parse one by one)."""
    try:
        out = json.loads("[" + ",".join(payloads) + "]")
    except ValueError:
        return None
    return out if isinstance(out, list) and len(out) == len(payloads) else None


@contextlib.contextmanager
def gc_paused(n: int, threshold: int = 2_000) -> Iterator[None]:
    """Pause the cyclic garbage collector while handling ``n >= threshold`` records.

    Decoding and encoding make many objects at once (that survive, or die young); in a large
    heap, the collector's passes triggered by them can cost as much as the work itself. None
    of these objects form reference cycles, so pausing is safe; the collector is turned back
    on (if it was on) straight after.
    """
    if n < threshold or not gc.isenabled():  # too few to matter, or paused already
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def promote_survivors(n: int, threshold: int = 2_000) -> None:
    """After making ``n >= threshold`` long-lived records, move every object the cyclic garbage
    collector tracks straight to its oldest generation.

    Otherwise a pass over the youngest generation, and later one over the middle one, would
    each examine every new record, by then out of the CPU's caches, only to find it alive:
    records cannot be garbage cycles. Over 100 000 records those passes cost a fifth of a
    read. The move is ``gc.freeze()`` then ``gc.unfreeze()``, which the ``gc`` documentation
    defines as exactly that, and costs nothing. Other young objects of the process move too: a
    cycle among them is then collected by the next full collection rather than sooner. When
    the program has frozen objects itself (``gc.get_freeze_count() > 0``) nothing is done,
    to leave its frozen set alone.

    >>> import gc
    >>> promote_survivors(10_000)
    >>> gc.get_freeze_count()  # nothing stays frozen
    0
    """
    if n >= threshold and gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def upcast_payload(d: dict[str, Any], upcasters: Upcasters | None) -> dict[str, Any]:
    """Apply ``upcasters`` until ``d`` has the current schema version.

    >>> old = {"schema": 0, "date": "2024", "kind": "trade", "actors": ["RUS"], "title": "x"}
    >>> up = {0: lambda d: {**{k: v for k, v in d.items() if k != "date"}, "when": d["date"]}}
    >>> upcast_payload(old, up)["when"], upcast_payload(old, up)["schema"]
    ('2024', 1)
    """
    schema = d.get("schema", SCHEMA_VERSION)
    seen = 0
    while schema != SCHEMA_VERSION:
        if not isinstance(schema, int) or isinstance(schema, bool):
            raise InvalidEvent(f"field 'schema' must be an integer, not {schema!r}")
        if schema > SCHEMA_VERSION:
            raise InvalidEvent(
                f"field 'schema' is {schema}, newer than this version of relations reads "
                f"({SCHEMA_VERSION}); upgrade relations"
            )
        fn = None if upcasters is None else upcasters.get(schema)
        if fn is None:
            raise InvalidEvent(
                f"field 'schema' is {schema}; no upcaster turns schema {schema} into "
                f"{schema + 1} (pass upcasters={{{schema}: function}})"
            )
        d = dict(fn(dict(d)))
        new = d.get("schema", schema)
        if new == schema:  # the upcaster did not say: it produced the next version
            new = schema + 1
        d["schema"] = new
        schema = new
        seen += 1
        if seen > 1000:
            raise InvalidEvent("upcasters do not converge on the current schema version")
    return d


# ---- time ---------------------------------------------------------------------------------

_UTC = pendulum.UTC
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_datetime_sub: Callable[[_dt.datetime, _dt.datetime], _dt.timedelta] = _dt.datetime.__sub__


def to_micros(t: _dt.datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime (naive means UTC)."""
    if not isinstance(t, _dt.datetime):
        raise InvalidDate(f"the store's clock must return a datetime, not {t!r}")
    if t.tzinfo is None or t.utcoffset() is None:
        t = t.replace(tzinfo=_dt.UTC)
    delta = _datetime_sub(t, _EPOCH)  # the stdlib's subtraction: pendulum's builds an Interval
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(us: int) -> pendulum.DateTime:
    """The UTC pendulum DateTime of ``us`` microseconds since the Unix epoch."""
    secs, micro = divmod(us, 1_000_000)
    d = _EPOCH + _dt.timedelta(seconds=secs)
    return pendulum.DateTime(d.year, d.month, d.day, d.hour, d.minute, d.second, micro, tzinfo=_UTC)


def default_clock() -> pendulum.DateTime:
    """The current time in UTC (the default clock of every store).

    >>> default_clock().timezone_name
    'UTC'
    """
    return pendulum.now(_UTC)


def now_micros() -> int:
    """The current time in microseconds since the Unix epoch (the default clock, fast).

    >>> abs(now_micros() - to_micros(default_clock())) < 60_000_000
    True
    """
    return time.time_ns() // 1_000


def known_at_micros(known_at: object) -> int:
    """The last microsecond counted as "known at" ``known_at``.

    A datetime is taken exactly (naive means UTC); a date, or a date string such as
    ``"2025-01-15"`` or ``"2025-01"``, means "by the end of that day / month" in UTC.

    >>> known_at_micros("1970-01-01"), known_at_micros(pendulum.datetime(1970, 1, 1, 0, 0, 1))
    (86399999999, 1000000)
    """
    if isinstance(known_at, _dt.datetime):
        return to_micros(known_at)
    if isinstance(known_at, str) and ("T" in known_at or " " in known_at.strip()):
        try:
            parsed = pendulum.parse(known_at)
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            raise InvalidDate(f"known_at {known_at!r} is not a date or timestamp") from None
        if isinstance(parsed, _dt.datetime):
            return to_micros(parsed)
    try:
        w = When.coerce(known_at)
    except InvalidDate as e:
        raise InvalidDate(f"known_at: {e}") from None
    if w.latest is None:
        raise InvalidDate(f"known_at {known_at!r} has no latest day")
    day_after = w.hi + 1  # ordinal of the next day; "known at" includes the whole last day
    try:
        start = _dt.datetime.fromordinal(day_after).replace(tzinfo=_dt.UTC)
    except (ValueError, OverflowError):
        raise InvalidDate(f"known_at {known_at!r} is outside the years 1-9999") from None
    return to_micros(start) - 1
