"""What a store writes and reads back: payloads of events and amendments, and rows of records.

The payload of an event is its canonical record (:mod:`relations.record`); a
:class:`~relations.store.Correction` or :class:`~relations.store.Retraction` is written the same
way, with ``"type"`` naming which it is. Reading takes the trusted decoder for the events this
library wrote and the checked one (upcasting older schema versions first) for everything else.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias, TypedDict, Unpack

import attrs

from relations import _gc
from relations.errors import InvalidEvent, RelationsError
from relations.events import SCHEMA_VERSION, Event
from relations.record import (
    Upcasters,
    dumps,
    encode_event,
    loads_many,
    shared,
    trusted_event,
    upcast,
)
from relations.store._clock import from_micros
from relations.store._records import Correction, Recordable, RecordedEvent, Retraction

__all__ = [
    "TYPE_CORRECTION",
    "TYPE_EVENT",
    "TYPE_RETRACTION",
    "Batch",
    "Decoding",
    "decode",
    "decode_dict",
    "decode_rows",
    "encode",
    "encode_batch",
    "seal",
    "type_of",
]

TYPE_EVENT = "event"
TYPE_CORRECTION = "correction"
TYPE_RETRACTION = "retraction"


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
    """The canonical JSON text of an event or amendment (what the SQL engines keep).

    >>> from relations import Event
    >>> encode(Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t"))
    '{"schema":1,"id":"t","when":"2024","kind":"trade","actors":["RUS","PRK"],"title":"Trade"}'
    """
    if type(item) is Event:
        return encode_event(item)
    return dumps(item.to_dict())


def seal(payload: str) -> int:
    """The checksum a store keeps beside each payload it writes (CRC-32 of its UTF-8 text).

    A row whose checksum matches was written by this library from a valid event, so reads
    may take the trusted fast path; any other row (hand-edited, damaged, or written by
    another tool) is validated.

    >>> seal('{"schema":1}')
    2314977676
    """
    return zlib.crc32(payload.encode())


def seals(
    rows: Iterable[tuple[int, str, str, str]],
    decode: Callable[[int, str, str, str], object],
) -> list[tuple[int, int]]:
    """``(seal(payload), position)`` of each ``(position, stream, type, payload)`` row that
    ``decode`` reads as a valid record: what an upgrade writes beside older rows. An invalid
    row is left out (it stays unsealed, and reading it says what is wrong).

    >>> def decode(position, stream, kind, payload):
    ...     if payload == "bad":
    ...         raise InvalidEvent("bad")
    >>> seals([(1, "s", "event", '{"schema":1}'), (2, "s", "event", "bad")], decode)
    [(2314977676, 1)]
    """
    sealed = []
    for position, stream, kind, payload in rows:
        try:
            decode(position, stream, kind, payload)
        except (RelationsError, TypeError):
            continue
        sealed.append((seal(payload), position))
    return sealed


Row: TypeAlias = tuple[str, str | None, str]
"""``(type, amended event id or None, canonical JSON)``: the columns an engine writes."""


@attrs.frozen
class Batch:
    """What one append writes, handed to an engine's ``_write_batch``: the new ``items`` and
    their ``rows``, numbered from ``first_position`` (in the log) and ``first_version`` (in
    ``stream``), recorded at ``us`` (µs since 1970)."""

    stream: str
    items: Sequence[Recordable]
    rows: Sequence[Row]
    first_position: int
    first_version: int
    us: int

    def insert_rows(self) -> list[tuple[Any, ...]]:
        """The SQL engines' rows: ``(position, stream, version, id, type, target, schema,
        recorded_at, payload, crc)`` of each item.

        >>> from relations import Event
        >>> items = [Event("2024", "trade", ["RUS"], "T", id="t")]
        >>> Batch("s", items, encode_batch(items), 7, 2, 0).insert_rows()[0][:7]
        (7, 's', 2, 't', 'event', None, 1)
        """
        p, v, stream, us = self.first_position, self.first_version, self.stream, self.us
        return [
            (p + k, stream, v + k, item.id, kind, target, SCHEMA_VERSION, us, text, seal(text))
            for k, (item, (kind, target, text)) in enumerate(
                zip(self.items, self.rows, strict=True)
            )
        ]


def encode_batch(items: Sequence[Recordable]) -> list[Row]:
    """The :data:`Row` of each item.

    >>> from relations import Event
    >>> encode_batch([Event("2024", "trade", ["RUS"], "T", id="t"), Retraction("t", "x", id="r")])
    [('event', None, '{"schema":1,"id":"t","when":"2024","kind":"trade","actors":["RUS"],"title":"T"}'), ('retraction', 't', '{"schema":1,"id":"r","type":"retraction","event_id":"t","reason":"x"}')]
    """
    if all(type(x) is Event for x in items):
        enc = encode_event
        return [(TYPE_EVENT, None, enc(x)) for x in items]  # type: ignore[arg-type]
    out: list[Row] = []
    for x in items:
        kind = type_of(x)
        target = None if isinstance(x, Event) else x.event_id
        out.append((kind, target, encode(x)))
    return out


_RECORD_SETTERS = tuple(
    RecordedEvent.__dict__[name].__set__
    for name in ("position", "stream", "version", "recorded_at", "event")
)
_STREAMS: dict[str, str] = {}
_new = object.__new__

Fallback: TypeAlias = Callable[[int, str, str, str, Any], Recordable]
"""``(position, stream, type, payload, parsed JSON or None) -> item``: the validating reader."""

_PAGE = 1_000  # rows decoded together: one JSON parse, and a working set that fits in caches


def decode_rows(
    rows: Sequence[tuple[Any, ...]], fallback: Fallback, *, sealed: bool = False
) -> list[RecordedEvent]:
    """Records from rows ``(position, stream, version, recorded_at µs, type, payload)``.

    The hot loop of every read. Payloads are parsed one page at a time in one JSON call;
    current-schema events take the trusted constructor (they were written by this library
    from valid events), everything else (amendments, older schemas, anything unusual) goes to
    ``fallback``, the validating reader; a batch's shared ``recorded_at`` is converted once.
    With ``sealed``, rows carry a seventh column, the payload's :func:`seal` (or None), and
    only rows whose seal matches take the trusted constructor.

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
    make = trusted_event
    event = TYPE_EVENT
    last_us: int | None = None
    last_at: Any = None
    last_stream = ""
    streams = _STREAMS
    with _gc.paused(
        len(rows), threshold=2_000
    ):  # made objects survive: no collector passes over them
        for start in range(0, len(rows), _PAGE):
            page = rows[start : start + _PAGE]
            dicts: list[Any] | None = loads_many([row[5] for row in page])
            if dicts is None:  # some payload is not JSON: the fallback parses each and says
                dicts = [None] * len(page)
            ok: list[bool] | None = None
            if sealed:
                crc = zlib.crc32
                ok = [type(r[5]) is str and r[6] == crc(r[5].encode()) for r in page]
            for i, ((position, stream, version, us, kind, payload, *_), d) in enumerate(
                zip(page, dicts, strict=True)
            ):
                if us != last_us:  # one batch shares one timestamp: convert it once
                    last_us, last_at = us, from_micros(us)
                if stream != last_stream:  # and one stream: keep one copy of its name
                    last_stream = streams.get(stream) or shared(streams, stream)
                item: Recordable | None = (
                    make(d) if kind == event and (ok is None or ok[i]) else None
                )
                if item is None:  # an amendment, or unusual: the validating reader says what
                    item = fallback(position, stream, kind, payload, d)
                r = new(RecordedEvent)
                set_pos(r, position)
                set_stream(r, last_stream)
                set_version(r, version)
                set_at(r, last_at)
                set_event(r, item)
                append(r)
        _gc.promote_survivors(len(out))
    return out


class Decoding(TypedDict, total=False):
    """The keywords of :func:`decode_dict` (and :func:`decode`, which passes them on)."""

    upcasters: Upcasters | None
    where: str
    strict: bool


def decode(kind: str, payload: str, **options: Unpack[Decoding]) -> Recordable:
    """Read one payload back, upcasting older schema versions; errors name ``where``
    (``strict``: validate; see :func:`decode_dict`).

    >>> from relations import Event
    >>> e = Event("2024", "trade", ["RUS", "PRK"], "Trade")
    >>> decode("event", encode(e)) == e
    True
    """
    try:
        d = json.loads(payload)
    except ValueError as e:
        where = options.get("where", "")
        raise InvalidEvent(f"{where}payload is not valid JSON: {e}") from None
    return decode_dict(kind, d, **options)


def decode_dict(
    kind: str,
    d: Any,
    *,
    upcasters: Upcasters | None = None,
    where: str = "",
    strict: bool = False,
) -> Recordable:
    """Like :func:`decode`, from the parsed JSON object; ``strict`` validates every event
    (no trusted fast path), as :meth:`~relations.store.StoreBase.check` does.

    >>> decode_dict("event", {"schema": 1, "id": "t", "when": "2024", "kind": "trade",
    ...                       "actors": [], "title": "T"}, strict=True)
    Traceback (most recent call last):
    ...
    relations.errors.InvalidEvent: field 'actors' must name at least one actor
    """
    try:
        if not isinstance(d, dict):
            raise InvalidEvent(f"payload is not a JSON object: {d!r:.80}")
        if d.get("schema", SCHEMA_VERSION) != SCHEMA_VERSION:
            d = upcast(d, upcasters)
            trusted = False
        else:
            trusted = not strict
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
