"""The canonical record of an event: its fields, checked and trusted decoding, encoding, upcasting.

The canonical record is the JSON object :meth:`Event.to_dict <relations.Event.to_dict>` makes
(schema :data:`~relations.SCHEMA_VERSION`): ``schema``, ``id``, ``when``, ``kind``, ``actors``
and ``title`` first, then the optional fields that differ from their defaults. Every reader and
writer of the library goes through this module:

- :func:`decode_event` reads a record from anywhere (files, users), checking every field;
- :func:`trusted_event` reads a record this library wrote itself (a store's payloads), without
  re-validating it, and says None when the record is not exactly of that form;
- :func:`encode_event` writes the canonical JSON text, :func:`upcast` turns records of older
  schema versions into the current one.

>>> from relations import Event
>>> e = Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed", id="t")
>>> text = encode_event(e)
>>> text
'{"schema":1,"id":"t","when":"2024-06-19","kind":"agreement.treaty.signed","actors":["RUS","PRK"],"title":"Treaty signed"}'
>>> import json
>>> trusted_event(json.loads(text)) == decode_event(json.loads(text)) == e
True
"""

from __future__ import annotations

import itertools
import json
import json.encoder
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias, TypeVar, cast

import attrs

from relations._frozen import FrozenMap
from relations.errors import InvalidEvent, RelationsError, location_prefix
from relations.events import SCHEMA_VERSION, Event, Source, Status
from relations.quantities import Quantity
from relations.when import When

__all__ = [
    "FIELDS",
    "KEYS",
    "REQUIRED",
    "Upcasters",
    "decode_event",
    "dumps",
    "encode_event",
    "loads_many",
    "shared",
    "trusted_event",
    "upcast",
]

FIELDS: Final = tuple(f.name for f in attrs.fields(Event))
"""The fields of an event, in the order of :class:`~relations.Event`'s constructor."""
REQUIRED: Final = FIELDS[:4]
"""The fields every record has: ``when``, ``kind``, ``actors``, ``title``."""
KEYS: Final = frozenset(FIELDS) | {"schema"}
"""Every key a canonical record may have."""

Upcasters: TypeAlias = Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]
"""Schema version → function turning a payload of that version into the next version."""

dumps: Callable[[Any], str] = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False
).encode
"""The canonical JSON text of a JSON-compatible value (compact, UTF-8, no NaN)."""

# Errors a malformed record can raise from deep inside plain-Python conversions; each is
# reported as InvalidEvent with the record's location instead of escaping as itself.
_FOREIGN = (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError)


# ---- checked decoding ----------------------------------------------------------------------


def decode_event(d: Any, file: object | None = None, line: int | None = None) -> Event:
    """The event of record ``d``, every field checked; errors name the file, line and field.

    This is :meth:`Event.from_dict <relations.Event.from_dict>` (which reads a well-formed
    record with the fast constructor), except that an exception that is not the library's own
    (a ``TypeError`` deep in a malformed record) becomes :class:`~relations.InvalidEvent` too.

    >>> decode_event({"when": "2024", "kind": "trade", "actors": ["RUS"]}, "x.jsonl", 4)
    Traceback (most recent call last):
    ...
    relations.errors.InvalidEvent: x.jsonl:4: missing field(s) ['title']
    """
    try:
        return Event.from_dict(d, file=file, line=line)
    except RelationsError:
        raise
    except _FOREIGN as e:
        raise InvalidEvent(
            f"{location_prefix(file=file, line=line)}malformed record: {type(e).__name__}: {e}"
        ) from None


def upcast(d: dict[str, Any], upcasters: Upcasters | None) -> dict[str, Any]:
    """Apply ``upcasters`` until ``d`` has the current schema version.

    >>> old = {"schema": 0, "date": "2024", "kind": "trade", "actors": ["RUS"], "title": "x"}
    >>> up = {0: lambda d: {**{k: v for k, v in d.items() if k != "date"}, "when": d["date"]}}
    >>> upcast(old, up)["when"], upcast(old, up)["schema"]
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


# ---- encoding ------------------------------------------------------------------------------

_esc: Callable[[str], str] = json.encoder.encode_basestring  # what JSONEncoder uses for str
_HEAD = '{"schema":' + str(SCHEMA_VERSION) + ',"id":'
_ACTORS_JSON: dict[tuple[str, ...], str] = {}  # actor codes → their JSON list (few distinct)
_REPORTED = Status.REPORTED


def _strings(items: tuple[str, ...]) -> str:
    return "[" + ",".join([_esc(x) for x in items]) + "]"


def _quantity_json(q: Quantity) -> str:
    """``dumps(q.to_dict())``; written directly for the common exact value."""
    v = q.value
    if (
        (type(v) is int or type(v) is float)
        and q.low is None
        and q.high is None
        and not q.approximate
    ):
        return '{"unit":' + _esc(q.unit) + ',"value":' + repr(v) + "}"  # as json writes them
    return dumps(q.to_dict())


def encode_event(e: Event) -> str:
    """The canonical JSON text of ``e``: ``dumps(e.to_dict())``, written directly (the same
    keys, order and escaping; the test suite checks it), without building the dict.

    >>> from relations import Event
    >>> encode_event(Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t"))
    '{"schema":1,"id":"t","when":"2024","kind":"trade","actors":["RUS","PRK"],"title":"Trade"}'
    """
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
    quantities = e.quantities._data  # the FrozenMap's dict, in key order
    if quantities:
        text += (
            ',"quantities":{'
            + ",".join([_esc(k) + ":" + _quantity_json(q) for k, q in quantities.items()])
            + "}"
        )
    if e.measures._data:
        text += ',"measures":' + dumps(e.measures._data)
    if e.sources:
        text += ',"sources":' + dumps([x.to_dict() for x in e.sources])
    if e.tags:
        text += ',"tags":' + _strings(e.tags)
    if e.links:
        text += ',"links":' + _strings(e.links)
    if e.extra._data:
        text += ',"extra":' + dumps(e.extra.to_dict())
    return text + "}"


def loads_many(payloads: list[str]) -> list[Any] | None:
    """Parse many JSON texts in one call (None if any is not valid JSON: parse one by one).

    >>> loads_many(['{"a":1}', "2"]), loads_many(["{", "2"])
    ([{'a': 1}, 2], None)
    """
    try:
        out = json.loads("[" + ",".join(payloads) + "]")
    except ValueError:
        return None
    return out if isinstance(out, list) and len(out) == len(payloads) else None


# ---- trusted decoding ----------------------------------------------------------------------

_T = TypeVar("_T")


def shared(cache: dict[_T, _T], value: _T) -> _T:
    """One shared copy of ``value`` (kinds, actor lists, stream names repeat across records):
    decoded records then hold fewer objects, and the cyclic collector visits fewer.

    >>> cache: dict[str, str] = {}
    >>> shared(cache, "trade") is shared(cache, "".join(["tra", "de"]))
    True
    """
    if len(cache) >= 100_000:
        cache.clear()
    return cache.setdefault(value, value)


_WHEN_CACHE: dict[str, When] = {}
_ACTORS: dict[tuple[str, ...], tuple[str, ...]] = {}
_KINDS: dict[str, str] = {}
_STATUS: Mapping[object, Any] = Status._value2member_map_
_Q_KEYS = frozenset(f.name for f in attrs.fields(Quantity))
_trusted_map = FrozenMap._trusted
_trusted_q = Quantity._trusted
_new_event = Event._trusted
_islice = itertools.islice


def _when(text: str) -> When:
    w = _WHEN_CACHE.get(text)
    if w is None:
        if len(_WHEN_CACHE) >= 100_000:
            _WHEN_CACHE.clear()
        w = _WHEN_CACHE[text] = When.parse(text)
    return w


def _sorted_keys(d: dict[Any, Any]) -> bool:
    if len(d) < 2:
        return True
    return all(a < b for a, b in itertools.pairwise(d))


def _quantity(name: str, d: Any) -> Quantity:
    """A Quantity from its canonical dict (checked if it is not exactly of that form)."""
    if type(d) is not dict or not _Q_KEYS.issuperset(d):
        return Quantity.from_dict(d, name=name)
    return _trusted_q(d)


def _quantities(v: Any) -> FrozenMap[str, Quantity]:
    if len(v) == 1:  # the common case: one quantity, its keys sorted by definition
        ((k, q),) = v.items()
        return _trusted_map({k: _quantity(k, q)})
    qs = {k: _quantity(k, q) for k, q in v.items()}
    return _trusted_map(qs) if _sorted_keys(qs) else FrozenMap(qs)


_to_measures = cast(
    Callable[[Any], FrozenMap[str, int | float]], attrs.fields(Event).measures.converter
)


def _measures(v: Any) -> FrozenMap[str, int | float]:
    """Measures as written (sorted names, finite int or float values), else the checked way."""
    if type(v) is dict and _sorted_keys(v):
        for x in v.values():
            if type(x) is not int and (type(x) is not float or x - x != 0):  # NaN, inf
                break
        else:
            return _trusted_map(v) if v else FrozenMap()
    return _to_measures(v)


def _extra(v: Any) -> FrozenMap[str, str]:
    return _trusted_map(dict(v)) if _sorted_keys(v) else FrozenMap(v)


def _same(v: Any) -> Any:
    return v


# How to read each optional field present in a trusted record. A key that is not here (a
# required field out of place, an unknown field) raises KeyError: the record is then not
# trusted, and the checked reader says what is wrong with it.
_OPTIONAL: dict[str, Callable[[Any], Any]] = {
    "summary": _same,
    "quantities": _quantities,
    "measures": _measures,
    "sources": lambda v: tuple([Source.from_dict(x) for x in v]),
    "status": _STATUS.__getitem__,
    "claimed_by": tuple,
    "tags": tuple,
    "links": tuple,
    "directed": _same,
    "location": _same,
    "extra": _extra,
}
_N_REQUIRED = 6  # schema, id, when, kind, actors, title: first in every canonical record


def trusted_event(d: Any) -> Event | None:
    """The event of a current-schema record this library wrote (from a valid event), without
    re-validating it; None when ``d`` needs the checked reader, :func:`decode_event` (another
    schema, keys out of the canonical order or unknown, values of unexpected types). When it
    returns an event, that event equals the checked reader's (several times faster).

    >>> trusted_event({"schema": 1, "id": "t", "when": "2024", "kind": "trade",
    ...                "actors": ["RUS"], "title": "T"}).title
    'T'
    >>> trusted_event({"schema": 0, "id": "t"}) is None
    True
    """
    try:
        if d["schema"] != SCHEMA_VERSION:
            return None
        text = d["when"]
        w = _WHEN_CACHE.get(text)
        kind = d["kind"]
        actors = tuple(d["actors"])
        optional = None
        if len(d) > _N_REQUIRED:
            # Canonical records list the six required keys first. All six are read here, so
            # if any of them were further on, the lookup below would fail (KeyError) for it:
            # the keys after the first six are exactly the optional ones.
            opt = _OPTIONAL
            optional = {k: opt[k](v) for k, v in _islice(d.items(), _N_REQUIRED, None)}
        return _new_event(
            w if w is not None else _when(text),
            _KINDS.get(kind) or shared(_KINDS, kind),
            _ACTORS.get(actors) or shared(_ACTORS, actors),
            d["title"],
            d["id"],
            optional,
        )
    except (KeyError, TypeError, AttributeError, ValueError, RelationsError):
        return None
