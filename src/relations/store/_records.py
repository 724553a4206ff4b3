"""The records a store keeps: recorded events, amendments, append results, expected versions.

Everything here is an immutable value; the engines (``memory``, ``sqlite``, ``postgres``) and
the shared logic (``_base``) build on it; ``_codec`` writes and reads them.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any, Final, TypeAlias

import attrs
import pendulum

from relations._frozen import FrozenMap
from relations.errors import InvalidEvent, RelationsError
from relations.events import SCHEMA_VERSION, Event, Source, Status, checked_id, derive_id
from relations.quantities import Quantity
from relations.record import FIELDS, Upcasters
from relations.when import When

__all__ = [
    "ANY",
    "NO_STREAM",
    "AppendResult",
    "CheckReport",
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

# ---- amendments ---------------------------------------------------------------------------

# the fields a Correction may change: every field but the id
_EVENT_FIELDS = frozenset(FIELDS) - {"id"}
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
    id: str = attrs.field(default=None, kw_only=True, converter=checked_id)

    def __attrs_post_init__(self) -> None:
        try:
            Event.from_dict(_apply_changes(_TEMPLATE, self.changes))
        except RelationsError as e:
            raise type(e)(f"correction of {self.event_id!r}: {e}") from None
        if self.id is None:
            object.__setattr__(self, "id", derive_id(self._content(), prefix="cor-"))

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
    id: str = attrs.field(default=None, kw_only=True, converter=checked_id)

    def __attrs_post_init__(self) -> None:
        if self.id is None:
            object.__setattr__(self, "id", derive_id(self._content(), prefix="ret-"))

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


@attrs.frozen
class CheckReport:
    """What :meth:`Store.check <relations.store.StoreBase.check>` found: the store, how many
    records and streams it read, and every problem (empty when the store is sound).

    >>> from relations import Event
    >>> from relations.store import MemoryStore
    >>> store = MemoryStore()
    >>> _ = store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t")])
    >>> report = store.check()
    >>> report.ok, report.records, report.streams, report.problems
    (True, 1, 1, ())
    """

    store: str
    records: int
    streams: int
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no problem was found.

        >>> CheckReport("x", 0, 0, ("position 2 is missing",)).ok
        False
        """
        return not self.problems

    def __str__(self) -> str:
        """A human-readable summary, one problem a line.

        >>> print(CheckReport("events.db", 3, 1))
        events.db: ok (3 records in 1 stream)
        """
        streams = f"{self.streams} stream{'' if self.streams == 1 else 's'}"
        head = (
            f"{self.store}: {'ok' if self.ok else 'DAMAGED'} ({self.records} records in {streams})"
        )
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
