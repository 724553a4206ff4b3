"""Events: what happened, when, who was involved, how much, and who says so.

An :class:`Event` is an immutable record. Its constructor takes plain values and normalises
them (dates to :class:`~relations.When`, names to actor codes, numbers to
:class:`~relations.Quantity`), so that transcribing a sentence is one call:

>>> e = Event(
...     when="2024-06-19",
...     kind="agreement.treaty.signed",
...     actors=("Russia", "North Korea"),
...     title="Comprehensive Strategic Partnership Treaty signed",
... )
>>> e.actors, str(e.when), e.status
(('RUS', 'PRK'), '2024-06-19', <Status.REPORTED: 'reported'>)
>>> Event.from_dict(e.to_dict()) == e
True

The ``id`` is given, or derived from the content (same content, same id, in every process and
version of the library), so that appends are idempotent and corrections can name the event.
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import attrs

from relations._frozen import FrozenMap
from relations.actors import resolve_code
from relations.errors import (
    InvalidDate,
    InvalidEvent,
    RelationsError,
    UnknownActor,
    location_prefix,
)
from relations.kinds import validate_kind
from relations.quantities import Quantity
from relations.when import When

__all__ = ["MEASURES", "SCHEMA_VERSION", "Event", "Source", "Status", "event_order"]

#: Version of the canonical JSON record written by :meth:`Event.to_dict`.
SCHEMA_VERSION = 1


class Status(enum.StrEnum):
    """How well established an event is.

    ``confirmed``: established by several independent or official sources; ``reported``: reported
    by a credible source (the default); ``claimed``: asserted by a party named in ``claimed_by``,
    or, when ``claimed_by`` is empty, only by the cited source itself;
    ``estimated``: an assessment or estimate; ``disputed``: contradicted by other sources.

    >>> Status("claimed") is Status.CLAIMED
    True
    """

    CONFIRMED = "confirmed"
    REPORTED = "reported"
    CLAIMED = "claimed"
    ESTIMATED = "estimated"
    DISPUTED = "disputed"


def _encodable(text: str, field: str) -> str:
    """``text`` if it can be written as UTF-8, else InvalidEvent naming ``field``: a lone
    surrogate (``"\\ud800"``, which a JSON escape can produce) is refused here, so that every
    writer (JSON Lines, CSV, the stores) can write every event."""
    if not text.isascii():  # O(1): most text is ASCII
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidEvent(
                f"field {field!r} holds a lone surrogate {text[e.start]!r} at {e.start}: {text!r}"
            ) from None
    return text


def _text(value: object, field: str, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidEvent(f"field {field!r} must be text, not {value!r}")
    if required and not value.strip():
        raise InvalidEvent(f"field {field!r} must not be empty")
    return _encodable(value, field)


def _optional_text(value: object, field: str) -> str | None:
    return None if value is None else _text(value, field)


def _url(value: object) -> str | None:
    if value is None:
        return None
    url = _text(value, "url")
    # Only web links: a "javascript:" URL in a chart's link would be an injection.
    if not url.startswith(("http://", "https://")):
        raise InvalidEvent(f"field 'url' must be an http(s) URL, not {url!r}")
    return url


def _publisher(value: object) -> str:
    return _text(value, "publisher", required=True)


def _title(value: object) -> str:
    return _text(value, "title")


def _required_title(value: object) -> str:
    return _text(value, "title", required=True)


def _summary(value: object) -> str:
    return _text(value, "summary")


def _quote(value: object) -> str | None:
    return _optional_text(value, "quote")


def _location(value: object) -> str | None:
    text = _optional_text(value, "location")
    return text if text else None  # "" and None both mean "no location": one canonical form


def _optional_when(value: object) -> When | None:
    return None if value is None else When.coerce(value)


@attrs.frozen(repr=False, cache_hash=True)
class Source:
    """Who says so: a publication, with an optional link, date and quote.

    >>> Source("GEOPOLITIKS", "Russia and North Korea", published="2025-05")
    Source('GEOPOLITIKS', 'Russia and North Korea', published='2025-05')
    """

    publisher: str = attrs.field(converter=_publisher)
    title: str = attrs.field(default="", converter=_title)
    url: str | None = attrs.field(default=None, converter=_url)
    published: When | None = attrs.field(default=None, converter=_optional_when)
    quote: str | None = attrs.field(default=None, converter=_quote)

    def __repr__(self) -> str:
        parts = [repr(self.publisher)]
        if self.title:
            parts.append(repr(self.title))
        if self.url is not None:
            parts.append(f"url={self.url!r}")
        if self.published is not None:
            parts.append(f"published={str(self.published)!r}")
        if self.quote is not None:
            parts.append(f"quote={self.quote!r}")
        return f"Source({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The canonical JSON form (empty fields omitted).

        >>> Source("TASS", url="https://tass.com/x").to_dict()
        {'publisher': 'TASS', 'url': 'https://tass.com/x'}
        """
        d: dict[str, Any] = {"publisher": self.publisher}
        if self.title:
            d["title"] = self.title
        if self.url is not None:
            d["url"] = self.url
        if self.published is not None:
            d["published"] = str(self.published)
        if self.quote is not None:
            d["quote"] = self.quote
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Source:
        """Read the canonical JSON form.

        >>> Source.from_dict({"publisher": "Reuters"})
        Source('Reuters')
        """
        if not isinstance(d, Mapping):
            raise InvalidEvent(f"field 'sources' must hold objects, not {d!r}")
        unknown = set(d) - {"publisher", "title", "url", "published", "quote"}
        if unknown:
            raise InvalidEvent(f"field 'sources': unknown keys {sorted(unknown)!r}")
        if "publisher" not in d:
            raise InvalidEvent(f"field 'sources': a source needs a 'publisher': {dict(d)!r}")
        return cls(
            d["publisher"], d.get("title", ""), d.get("url"), d.get("published"), d.get("quote")
        )


# ---- normalising converters: each names its field in any error ---------------------------


def _to_when(value: object) -> When:
    if type(value) is When:
        return value
    try:
        return When.coerce(value)
    except InvalidDate as e:
        raise InvalidDate(f"field 'when': {e}") from None


def _to_kind(value: object) -> str:
    return validate_kind(value)


def _codes(value: object, field: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    elif type(value) is not tuple and type(value) is not list:
        if not isinstance(value, Iterable):
            raise InvalidEvent(f"field {field!r} must be a list of actors, not {value!r}")
        value = tuple(value)
    try:
        codes = tuple(map(resolve_code, value))
    except UnknownActor as e:
        raise UnknownActor(f"field {field!r}: {e}") from None
    if len(set(codes)) != len(codes):
        for i, code in enumerate(codes):
            if code in codes[:i]:
                item = list(value)[i]
                raise InvalidEvent(f"field {field!r}: actor {item!r} ({code}) is listed twice")
    return codes


def _to_actors(value: object) -> tuple[str, ...]:
    codes = _codes(value, "actors")
    if not codes:
        raise InvalidEvent("field 'actors' must name at least one actor")
    return codes


def _to_claimed_by(value: object) -> tuple[str, ...]:
    if value == ():
        return ()
    return _codes(value, "claimed_by")


# One shared empty map: most events have no quantities or extras, and a million events should
# not hold a million empty dicts.
_EMPTY: FrozenMap[Any, Any] = FrozenMap()


def _to_quantities(value: object) -> FrozenMap[str, Quantity]:
    if value is _EMPTY or (type(value) is dict and not value):
        return _EMPTY
    if isinstance(value, FrozenMap) and all(isinstance(q, Quantity) for q in value.values()):
        return value
    if not isinstance(value, Mapping):
        raise InvalidEvent(f"field 'quantities' must be a mapping of name to amount, not {value!r}")
    out: dict[str, Quantity] = {}
    for name, q in value.items():
        if not isinstance(name, str) or not name:
            raise InvalidEvent(f"field 'quantities': name {name!r} must be non-empty text")
        _encodable(name, "quantities")
        out[name] = Quantity.coerce(q, name=name)
    return FrozenMap(out)


#: The documented measure names of coded event data (any other non-empty name is allowed too).
MEASURES: dict[str, str] = {
    "goldstein": "Goldstein (1992) conflict-cooperation score, -10 (most conflictual) to +10",
    "intensity": "ICEWS intensity (a CAMEO score, -10 to +10, the source's own)",
    "tone": "average tone of the reporting documents (GDELT AvgTone, about -100 to +100)",
    "mentions": "number of mentions of the event (GDELT NumMentions)",
    "sources": "number of information sources reporting it (GDELT NumSources)",
    "articles": "number of source documents reporting it (GDELT NumArticles)",
    "latitude": "latitude of the event's place, degrees (WGS 84)",
    "longitude": "longitude of the event's place, degrees (WGS 84)",
    "fatalities": "reported fatalities (ACLED; a count, often an estimate)",
}


def _measure(name: object, value: object) -> int | float:
    if not isinstance(name, str) or not name:
        raise InvalidEvent(f"field 'measures': name {name!r} must be non-empty text")
    if type(value) is int:
        return value
    if type(value) is float:
        if math.isfinite(value):
            return value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return _measure(name, int(value) if isinstance(value, int) else float(value))
    raise InvalidEvent(f"field 'measures': {name!r} must be a finite number, not {value!r}")


def _to_measures(value: object) -> FrozenMap[str, int | float]:
    if value is _EMPTY or (type(value) is dict and not value):
        return _EMPTY
    if not isinstance(value, Mapping):
        raise InvalidEvent(f"field 'measures' must be a mapping of name to number, not {value!r}")
    return FrozenMap({name: _measure(name, v) for name, v in value.items()})


def _to_sources(value: object) -> tuple[Source, ...]:
    if value == ():
        return ()
    if isinstance(value, Source | Mapping):
        value = (value,)
    if not isinstance(value, Iterable) or isinstance(value, str):
        raise InvalidEvent(f"field 'sources' must be a list of Source, not {value!r}")
    return tuple(s if isinstance(s, Source) else Source.from_dict(s) for s in value)


_STATUSES: dict[object, Status] = {s.value: s for s in Status}


def _to_status(value: object) -> Status:
    try:
        status = _STATUSES.get(value)
    except TypeError:  # unhashable
        status = None
    if status is None:
        allowed = ", ".join(s.value for s in Status)
        raise InvalidEvent(f"field 'status' is {value!r}; expected one of {allowed}")
    return status


def _to_strings(value: object, field: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidEvent(f"field {field!r} must be a list of text, not {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str) or not item:
            raise InvalidEvent(f"field {field!r}: {item!r} is not non-empty text")
        _encodable(item, field)
    return items


def _to_tags(value: object) -> tuple[str, ...]:
    if value == ():
        return ()
    return tuple(sorted(set(_to_strings(value, "tags"))))


def _to_links(value: object) -> tuple[str, ...]:
    if value == ():
        return ()
    return tuple(dict.fromkeys(_to_strings(value, "links")))


def _to_extra(value: object) -> FrozenMap[str, str]:
    if value is _EMPTY or (type(value) is dict and not value):
        return _EMPTY
    if not isinstance(value, Mapping):
        raise InvalidEvent(f"field 'extra' must be a mapping of text to text, not {value!r}")
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise InvalidEvent(f"field 'extra': {k!r}: {v!r} is not text to text")
        _encodable(k, "extra")
        _encodable(v, "extra")
    return FrozenMap(value)


def _to_bool(value: object) -> bool:
    if value is False or value is True:
        return value
    if not isinstance(value, bool):
        raise InvalidEvent(f"field 'directed' must be true or false, not {value!r}")
    return value


def checked_id(value: object) -> str | None:
    """An event's (or amendment's) id as given: None, or text without surrounding spaces."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise InvalidEvent(
            f"field 'id' must be non-empty text without surrounding spaces: {value!r}"
        )
    return _encodable(value, "id")


@attrs.frozen(repr=False, cache_hash=True)
class Event:
    """Something that happened between actors, at a time known as precisely as it is known.

    ``actors`` are resolved to codes (``"Russia"`` → ``"RUS"``); with ``directed=True`` the first
    actor acts on the others (``RUS`` → ``PRK``). ``quantities`` maps a name to a
    :class:`Quantity` (a bare number has the unit ``count``). ``measures`` maps a name to a
    finite number: the numeric fields of coded event data (``goldstein``, ``tone``,
    ``mentions``, ``fatalities``, ...; see :data:`MEASURES`). ``claimed_by`` names who asserts a
    claim; ``links`` names related events (signed → ratified → in force); ``extra`` keeps
    importer fields verbatim (``source_dataset``, ``source_event_id``, CAMEO codes).

    >>> Event("2024-10~", "military.deployment", ["PRK", "RUS"], "Troops sent to Kursk",
    ...       quantities={"soldiers": Quantity.at_least(11000, "people")}, directed=True,
    ...       status="estimated", id="kursk")
    Event('2024-10~', 'military.deployment', ('PRK', 'RUS'), 'Troops sent to Kursk', id='kursk', directed=True, status='estimated', quantities={'soldiers': Quantity(low=11000, unit='people')})
    """

    when: When = attrs.field(converter=_to_when)
    kind: str = attrs.field(converter=_to_kind)
    actors: tuple[str, ...] = attrs.field(converter=_to_actors)
    title: str = attrs.field(converter=_required_title)
    id: str = attrs.field(default=None, kw_only=True, converter=checked_id)
    summary: str = attrs.field(default="", kw_only=True, converter=_summary)
    quantities: FrozenMap[str, Quantity] = attrs.field(
        default=_EMPTY, kw_only=True, converter=_to_quantities
    )
    measures: FrozenMap[str, int | float] = attrs.field(
        default=_EMPTY, kw_only=True, converter=_to_measures
    )
    sources: tuple[Source, ...] = attrs.field(default=(), kw_only=True, converter=_to_sources)
    status: Status = attrs.field(default=Status.REPORTED, kw_only=True, converter=_to_status)
    claimed_by: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_to_claimed_by)
    tags: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_to_tags)
    links: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_to_links)
    directed: bool = attrs.field(default=False, kw_only=True, converter=_to_bool)
    location: str | None = attrs.field(default=None, kw_only=True, converter=_location)
    extra: FrozenMap[str, str] = attrs.field(default=_EMPTY, kw_only=True, converter=_to_extra)

    def __attrs_post_init__(self) -> None:
        if self.directed and len(self.actors) < 2:
            raise InvalidEvent(
                f"field 'directed': a directed event needs two actors, got {self.actors!r}"
            )
        if self.id is None:
            object.__setattr__(self, "id", derive_id(self._content()))

    # ---- shortcuts used by every index ---------------------------------------------------
    @property
    def lo(self) -> int:
        """Earliest possible day (ordinal) of the event: ``self.when.lo``."""
        return self.when.lo

    @property
    def hi(self) -> int:
        """Latest possible day (ordinal) of the event: ``self.when.hi``."""
        return self.when.hi

    @property
    def source(self) -> str | None:
        """The acting actor of a directed event, else None.

        >>> Event("2024", "arms.transfer", ["PRK", "RUS"], "Shells", directed=True).source
        'PRK'
        """
        return self.actors[0] if self.directed else None

    @property
    def targets(self) -> tuple[str, ...]:
        """The actors acted upon in a directed event, else all actors.

        >>> Event("2024", "arms.transfer", ["PRK", "RUS"], "Shells", directed=True).targets
        ('RUS',)
        """
        return self.actors[1:] if self.directed else self.actors

    def evolve(self, **changes: Any) -> Event:
        """A new event with some fields changed (and, unless given, a new derived id).

        >>> e = Event("2024", "trade.volume", ["RUS", "PRK"], "Trade", id="t")
        >>> e.evolve(title="Trade turnover").title, e.evolve(title="x").id
        ('Trade turnover', 't')
        """
        return attrs.evolve(self, **changes)

    # ---- canonical form ------------------------------------------------------------------
    def _content(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "when": str(self.when),
            "kind": self.kind,
            "actors": list(self.actors),
            "title": self.title,
        }
        if self.directed:
            d["directed"] = True
        if self.summary:
            d["summary"] = self.summary
        if self.location is not None:
            d["location"] = self.location
        if self.status is not Status.REPORTED:
            d["status"] = self.status.value
        if self.claimed_by:
            d["claimed_by"] = list(self.claimed_by)
        if self.quantities:
            d["quantities"] = {k: q.to_dict() for k, q in self.quantities.items()}
        if self.measures:
            d["measures"] = self.measures.to_dict()
        if self.sources:
            d["sources"] = [s.to_dict() for s in self.sources]
        if self.tags:
            d["tags"] = list(self.tags)
        if self.links:
            d["links"] = list(self.links)
        if self.extra:
            d["extra"] = self.extra.to_dict()
        return d

    def to_dict(self) -> dict[str, Any]:
        """The canonical, JSON-compatible record (schema version 1); defaults are omitted.

        >>> Event("2012-09-17", "economic.debt_relief", ["RUS", "PRK"], "Debt written off",
        ...       id="debt").to_dict()
        {'schema': 1, 'id': 'debt', 'when': '2012-09-17', 'kind': 'economic.debt_relief', 'actors': ['RUS', 'PRK'], 'title': 'Debt written off'}
        """
        return {"schema": SCHEMA_VERSION, "id": self.id, **self._content()}

    @classmethod
    def from_dict(
        cls, d: Mapping[str, Any], *, file: object | None = None, line: int | None = None
    ) -> Event:
        """Read a canonical record; errors name the file, line and field when given.

        >>> Event.from_dict({"schema": 1, "when": "2024", "kind": "trade", "actors": ["RUS"],
        ...                  "title": "x", "colour": "red"}, file="a.jsonl", line=7)
        Traceback (most recent call last):
        ...
        relations.errors.InvalidEvent: a.jsonl:7: unknown field(s) ['colour']
        """
        try:
            if type(d) is not dict and not isinstance(d, Mapping):
                raise InvalidEvent(f"an event record must be a JSON object, not {d!r}")
            schema = d.get("schema", SCHEMA_VERSION)
            if schema != SCHEMA_VERSION:
                raise InvalidEvent(
                    f"field 'schema' is {schema!r}; this version reads schema {SCHEMA_VERSION}"
                )
            if not _FIELDS.issuperset(d):
                raise InvalidEvent(f"unknown field(s) {sorted(set(d) - _FIELDS)!r}")
            if not _REQUIRED.issubset(d):
                missing = [f for f in ("when", "kind", "actors", "title") if f not in d]
                raise InvalidEvent(f"missing field(s) {missing!r}")
            if type(d) is dict:
                return cls._from_fields(d)
            kwargs = {k: v for k, v in d.items() if k not in _POSITIONAL}
            return cls(d["when"], d["kind"], d["actors"], d["title"], **kwargs)
        except RelationsError as e:
            prefix = location_prefix(file=file, line=line)
            if not prefix:
                raise
            raise type(e)(prefix + str(e)) from None

    # ---- fast constructors (the fields' setters are defined after the class) -------------
    @classmethod
    def _from_fields(cls, d: dict[str, Any]) -> Event:
        """``Event(**d)`` for a plain dict of field values with the four required ones, faster
        on records that leave most optional fields out; raises what ``Event(**d)`` raises. The
        caller checks that ``d`` has no unknown keys; a ``"schema"`` key is ignored.

        >>> Event._from_fields({"when": "2024", "kind": "trade", "actors": ["Russia"],
        ...                     "title": "Trade", "id": "t"})
        Event('2024', 'trade', ('RUS',), 'Trade', id='t')
        """
        e = _blank(
            cls,
            _to_when(d["when"]),
            validate_kind(d["kind"]),
            _to_actors(d["actors"]),
            _required_title(d["title"]),
        )
        if len(d) > 4:  # optional fields, converted in field order (as __init__ does)
            for name, setter, convert in _OPTIONAL:
                if name in d:
                    setter(e, convert(d[name]))
        e.__attrs_post_init__()
        return e

    @classmethod
    def _trusted(
        cls,
        when: When,
        kind: str,
        actors: tuple[str, ...],
        title: str,
        id: str,
        optional: dict[str, Any] | None = None,
    ) -> Event:
        """An Event from values that are already normal, with no converter and no check: for
        records this library wrote from valid events. ``optional`` maps other field names to
        their values (already of the field's type).

        >>> e = Event._trusted(When.parse("2024"), "trade", ("RUS",), "T", "t", {"tags": ("a",)})
        >>> e == Event("2024", "trade", ["RUS"], "T", id="t", tags=["a"])
        True
        """
        e = _blank(cls, when, kind, actors, title)
        _S_ID(e, id)
        if optional:
            setter = _SETTER
            for name, value in optional.items():
                setter[name](e, value)
        return e

    def __repr__(self) -> str:
        content = self._content()
        parts = [repr(str(self.when)), repr(self.kind), repr(self.actors), repr(self.title)]
        parts.append(f"id={self.id!r}")
        for key in ("directed", "summary", "location", "status"):
            if key in content:
                parts.append(f"{key}={content[key]!r}")
        for key in ("claimed_by", "tags", "links"):
            if getattr(self, key):
                parts.append(f"{key}={getattr(self, key)!r}")
        if self.quantities:
            parts.append(f"quantities={dict(self.quantities)!r}")
        if self.measures:
            parts.append(f"measures={dict(self.measures)!r}")
        if self.sources:
            parts.append(f"sources={self.sources!r}")
        if self.extra:
            parts.append(f"extra={dict(self.extra)!r}")
        return f"Event({', '.join(parts)})"

    def _repr_html_(self) -> str:
        """The event in a notebook: a small table of its fields, every value escaped; source
        URLs are links only when they are http(s).

        >>> e = Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "<Treaty>",
        ...           id="t", sources=[Source("TASS", url="https://tass.com/x")])
        >>> page = e._repr_html_()
        >>> "&lt;Treaty&gt;" in page, "<Treaty>" in page, 'href="https://tass.com/x"' in page
        (True, False, True)
        """
        import html

        esc = html.escape
        rows: list[tuple[str, str]] = [
            ("when", self.when._repr_html_()),
            ("kind", f"<code>{esc(self.kind)}</code>"),
            ("actors", esc((" → " if self.directed else " · ").join(self.actors))),
            ("status", esc(self.status.value)),
        ]
        if self.claimed_by:
            rows.append(("claimed by", esc(", ".join(self.claimed_by))))
        if self.summary:
            rows.append(("summary", esc(self.summary)))
        if self.location:
            rows.append(("location", esc(self.location)))
        for name, q in self.quantities.items():
            rows.append((f"quantity {esc(name)}", esc(str(q.to_dict()))))
        for s in self.sources:
            text = esc(" — ".join(x for x in (s.publisher, s.title) if x))
            if s.url and s.url.lower().startswith(("https://", "http://")):
                text = f'<a href="{esc(s.url, quote=True)}">{text}</a>'
            rows.append(("source", text))
        if self.tags:
            rows.append(("tags", esc(", ".join(self.tags))))
        if self.links:
            rows.append(("links", esc(", ".join(self.links))))
        for k, v in self.extra.items():
            rows.append((f"extra {esc(k)}", esc(v)))
        rows.append(("id", f"<code>{esc(self.id)}</code>"))
        body = "".join(
            f'<tr><th style="text-align:left">{k}</th><td style="text-align:left">{v}</td></tr>'
            for k, v in rows
        )
        return (
            f'<table class="relations-event"><caption style="text-align:left">'
            f"<b>{esc(self.title)}</b></caption>{body}</table>"
        )


_REQUIRED = frozenset({"when", "kind", "actors", "title"})
_POSITIONAL = _REQUIRED | {"schema"}
_FIELDS = _POSITIONAL | {f.name for f in attrs.fields(Event)}


def derive_id(content: Mapping[str, Any], *, prefix: str = "ev-") -> str:
    """A stable id from canonical content: ``prefix`` and 16 hex digits of its SHA-256.

    Keys are sorted and separators fixed, so the id is the same in every process and version.

    >>> derive_id({"when": "2024", "kind": "trade", "actors": ["RUS"], "title": "x"})
    'ev-...'
    """
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return prefix + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---- building events fast ------------------------------------------------------------------
#
# Readers build an Event from every record of a file. The attrs ``__init__`` runs all fifteen
# converters, also on the defaults of the fields a record leaves out (most of them);
# ``Event._from_fields`` runs the converters of the fields a record has, in field order (so the
# first bad field named is the one ``__init__`` would name), and sets the others to their
# defaults, which are already normal (tests/test_events.py checks that every converter returns
# its default unchanged). ``Event._trusted`` runs no converter at all: it is for values that
# are already normal (records this library wrote itself, decoded by ``relations.record``).

_EVENT_FIELDS = attrs.fields(Event)
# the slots' own setters: they write a frozen instance's slots, as attrs' __init__ does
_SETTER = {name: Event.__dict__[name].__set__ for name in [f.name for f in _EVENT_FIELDS]}
_OPTIONAL = tuple(
    (f.name, _SETTER[f.name], cast(Callable[[Any], Any], f.converter))
    for f in _EVENT_FIELDS
    if f.name not in _REQUIRED
)
(_S_WHEN, _S_KIND, _S_ACTORS, _S_TITLE, _S_ID, _S_SUMMARY, _S_QUANTITIES, _S_MEASURES,
 _S_SOURCES, _S_STATUS, _S_CLAIMED, _S_TAGS, _S_LINKS, _S_DIRECTED, _S_LOCATION, _S_EXTRA) = (
    _SETTER[f.name] for f in _EVENT_FIELDS)  # fmt: skip
_S_HASH = Event.__dict__["_attrs_cached_hash"].__set__
_new_event = object.__new__
_REPORTED = Status.REPORTED


def _blank(cls: type[Event], when: When, kind: str, actors: tuple[str, ...], title: str) -> Event:
    """An event with these required fields and every other field at its default."""
    e: Event = _new_event(cls)
    _S_WHEN(e, when)
    _S_KIND(e, kind)
    _S_ACTORS(e, actors)
    _S_TITLE(e, title)
    _S_ID(e, None)
    _S_SUMMARY(e, "")
    _S_QUANTITIES(e, _EMPTY)
    _S_MEASURES(e, _EMPTY)
    _S_SOURCES(e, ())
    _S_STATUS(e, _REPORTED)
    _S_CLAIMED(e, ())
    _S_TAGS(e, ())
    _S_LINKS(e, ())
    _S_DIRECTED(e, False)
    _S_LOCATION(e, None)
    _S_EXTRA(e, _EMPTY)
    _S_HASH(e, None)
    return e


#: The one total order of events: earliest day, then latest day, then id (DESIGN decision 3).
#: A key function for ``sorted``; an ``operator.attrgetter``, so it runs in C.
#:
#: >>> a = Event("2024", "diplomacy.visit", ["RUS", "PRK"], "A visit", id="a")
#: >>> b = Event("2024-06", "diplomacy.visit", ["RUS", "PRK"], "Another", id="b")
#: >>> [e.id for e in sorted([a, b], key=event_order)]
#: ['a', 'b']
event_order: Callable[[Event], tuple[int, int, str]] = operator.attrgetter(
    "when.lo", "when.hi", "id"
)
