"""Import PLOVER event records (JSON Lines, or one JSON array).

PLOVER (Political Language Ontology for Verifiable Event Records; openeventdata/PLOVER,
CC BY-SA 4.0) is the successor ontology of CAMEO, used by the POLECAT dataset. A record is a
JSON object; its manual recommends JSON Lines. Only ``id``, ``date``, ``actor`` and ``event``
are required. Field names of the manual (v2.0: ``actor``, ``recipient``, ``entity_text``,
``event_text``, ``cite_info``, ``coded_date``) and of the older gold-standard records
(``source``, ``target``, ``actorText``, ``eventText``, ``publication``, ``dateCoded``) are
both read.

Each record becomes one :class:`~relations.Event`:

============== =====================================================================================
Event field    from
============== =====================================================================================
``id``         ``"plover-"`` + ``id``
``when``       ``date`` (``YYYY-MM-DD``), or ``date/enddate`` when an ``enddate`` is given
``kind``       ``event`` (the category) via :data:`PLOVER_KINDS`; an unknown category is an error
``actors``     the ``code`` of each entity in ``actor`` then ``recipient`` (ISO 3166 alpha-3 or a
               CAMEO region); an entity whose code is a CAMEO sector or non-state code (``IGO``,
               ``GOV``, ``REB``, ...) is looked up by its text ("United Nations" → ``UN``), else
               it is ``UNSPECIFIED``; an unknown code is an error under ``errors=``
``directed``   true when one actor acts on one or more recipients
``title``      "CATEGORY: event text"
``summary``    ``text`` (the coded sentence or story)
``location``   ``event_loc``: ``resolved_place``, else ``extracted_place``, else city/province/country
``quantities`` the size object (``size``): ``dead``, ``injured``, ``arrested`` and any other count,
               in people
``sources``    ``cite_info`` (``publication``, ``title``, ``url``; publisher falls back to
               ``corpus``), or the record's own ``publication``/``url``
``tags``       ``context`` values (PLOVER's "why": ``military``, ``economic``, ...)
``extra``      ``source_dataset`` (``plover``), ``source_event_id``, ``plover_event``,
               ``quad_code``, ``event_scale``, ``mode`` (comma-joined), ``context``, ``time``,
               ``endtime``, ``link`` (PLOVER's shared reference for related events), ``codebook``,
               ``version``, ``coder``, ``coded_date``, ``language``, ``comment``, ``actor_text``,
               ``recipient_text`` (entity texts joined by ``; ``)
============== =====================================================================================

A JSON Lines file (a path or a binary file that can be rewound) is read by Arrow's JSON
reader and mapped column-wise (:mod:`relations.io._plover_columns`), building no Event until
one is touched; anything that path cannot vouch for (a JSON array, a blank line of spaces,
a bad record, ...) is read by the row reader below, so events, errors, line numbers and
reports are the same either way.

>>> import io
>>> rec = ('{"id": "r1", "date": "2024-06-19", "actor": [{"code": "RUS", "entity_text": "Putin"}], '
...        '"recipient": [{"code": "PRK"}], "event": "AGREE", "event_text": "signed treaty", '
...        '"context": ["military"], "cite_info": {"publication": "KCNA"}}')
>>> e = import_plover(io.StringIO(rec + "\\n"))[0]
>>> e.id, e.kind, e.actors, e.directed, e.title, e.tags, e.sources[0].publisher
('plover-r1', 'agreement', ('RUS', 'PRK'), True, 'AGREE: signed treaty', ('military',), 'KCNA')
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from relations.errors import (
    InvalidEvent,
    ParseError,
    RelationsError,
    UnknownActor,
    location_prefix,
)
from relations.events import Event, Source
from relations.io._actors import NameIndex
from relations.io._contract import reader
from relations.io._importing import day_from_digits, make_event
from relations.io._lines import PathOrFile, numbered_lines, open_source
from relations.io._plover_fields import KINDS, entity_code, entity_text, plover_texts
from relations.io._report import Tally
from relations.io.jsonl import parse_line
from relations.quantities import Quantity
from relations.when import When

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["PLOVER_KINDS", "import_plover"]

#: PLOVER event category → kind. The 16 categories of the PLOVER 2.0 manual, plus the four
#: of the older README (DEMAND, DISAPPROVE, INVESTIGATE, CRIME).
PLOVER_KINDS: Mapping[str, str] = KINDS


def _entities(value: Any, field: str, name: str, n: int) -> list[Mapping[str, Any]]:
    if value is None or value == "":
        return []
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise InvalidEvent(
            f"{location_prefix(file=name, line=n, field=field)}expected a list of entity "
            f"objects, not {value!r:.80}"
        )
    return value


class _Record:
    __slots__ = ("index", "name")

    def __init__(self, name: str, index: NameIndex) -> None:
        self.name = name
        self.index = index

    def _code(self, ent: Mapping[str, Any], field: str, n: int) -> str:
        code = ent.get("code")
        found = entity_code(self.index, code, entity_text(ent))
        if found is None:
            raise UnknownActor(
                f"{location_prefix(file=self.name, line=n, field=field)}unknown actor code "
                f"{code!r} (not ISO 3166, not a CAMEO region or sector code); register it "
                "with relations.actors.register(Actor(code, name)) or use errors='skip'"
            )
        return found

    def event(self, d: Any, n: int) -> Event:
        name = self.name
        if not isinstance(d, Mapping):
            raise InvalidEvent(
                f"{location_prefix(file=name, line=n)}a PLOVER record must be a JSON object, "
                f"not {d!r:.80}"
            )

        def req(key: str) -> Any:
            if key not in d or d[key] in (None, "", []):
                raise InvalidEvent(f"{location_prefix(file=name, line=n, field=key)}is missing")
            return d[key]

        rid = req("id")
        if not isinstance(rid, str | int) or isinstance(rid, bool):
            raise InvalidEvent(f"{location_prefix(file=name, line=n, field='id')}is {rid!r}")
        rid = str(rid).strip()
        start = day_from_digits(str(req("date")), file=name, line=n, field="date")
        when: When = start
        if d.get("enddate"):
            end = day_from_digits(str(d["enddate"]), file=name, line=n, field="enddate")
            if end != start:
                try:
                    when = When.between(start, end)
                except RelationsError as e:
                    raise type(e)(
                        f"{location_prefix(file=name, line=n, field='enddate')}{e}"
                    ) from None

        categories = plover_texts(req("event"))
        category = categories[0].upper() if categories else ""
        kind = PLOVER_KINDS.get(category)
        if kind is None:
            raise InvalidEvent(
                f"{location_prefix(file=name, line=n, field='event')}unknown PLOVER category "
                f"{categories[0] if categories else ''!r}; known: {', '.join(PLOVER_KINDS)}"
            )

        actor_key = "actor" if "actor" in d else "source"
        recipient_key = "recipient" if "recipient" in d else "target"
        doers = _entities(d.get(actor_key), actor_key, name, n)
        done_to = _entities(d.get(recipient_key), recipient_key, name, n)
        if not doers:
            raise InvalidEvent(f"{location_prefix(file=name, line=n, field=actor_key)}is missing")
        a = [self._code(ent, actor_key, n) for ent in doers]
        r = [self._code(ent, recipient_key, n) for ent in done_to]
        actors = list(dict.fromkeys(a + r))
        directed = len(a) == 1 and bool(r) and len(actors) >= 2

        raw_text = d.get("event_text", d.get("eventText"))
        if isinstance(raw_text, list):
            event_text = "; ".join(str(t).strip() for t in raw_text if str(t).strip())
        else:
            event_text = str(raw_text).strip() if raw_text else ""
        title = f"{category}: {event_text}" if event_text else category

        quantities: dict[str, Quantity] = {}
        size = d.get("size")
        if isinstance(size, Mapping):
            for key, value in size.items():
                if value not in (None, ""):
                    try:
                        q = Quantity.coerce({"value": value, "unit": "people"}, name=str(key))
                        if any(x is not None and x < 0 for x in (q.value, q.low, q.high)):
                            raise InvalidEvent(f"{key!r} is {value!r}: a count cannot be negative")
                        quantities[str(key)] = q
                    except RelationsError as e:
                        raise type(e)(
                            f"{location_prefix(file=name, line=n, field='size')}{e}"
                        ) from None

        contexts = plover_texts(d.get("context"))
        extra = {
            "source_dataset": "plover",
            "source_event_id": rid,
            "plover_event": ",".join(categories),
        }
        simple = {
            "quad_code": d.get("quad_code"),
            "event_scale": d.get("event_scale"),
            "mode": ",".join(plover_texts(d.get("mode"))),
            "context": ",".join(contexts),
            "time": d.get("time"),
            "endtime": d.get("endtime"),
            "link": d.get("link"),
            "coder": d.get("coder"),
            "coded_date": d.get("coded_date", d.get("dateCoded")),
            "language": d.get("language"),
            "version": d.get("version"),
            "comment": d.get("comment"),
            "actor_text": "; ".join(t for t in map(entity_text, doers) if t),
            "recipient_text": "; ".join(t for t in map(entity_text, done_to) if t),
        }
        cite = d.get("cite_info")
        cite = cite if isinstance(cite, Mapping) else {}
        if cite.get("codebook"):
            simple["codebook"] = cite.get("codebook")
        for key, value in simple.items():
            if value not in (None, "") and not isinstance(value, Mapping | list):
                extra[key] = str(value)

        publisher = cite.get("publication") or d.get("publication") or cite.get("corpus")
        url = cite.get("url") or d.get("url")
        sources: list[Source] = []
        if isinstance(publisher, str) and publisher.strip():
            web = isinstance(url, str) and url.startswith(("http://", "https://"))
            try:
                sources.append(
                    Source(publisher.strip(), str(cite.get("title") or ""), url if web else None)
                )
            except RelationsError as e:
                raise type(e)(
                    f"{location_prefix(file=name, line=n, field='cite_info')}{e}"
                ) from None

        loc = d.get("event_loc")
        location = None
        if isinstance(loc, Mapping):
            place = loc.get("resolved_place") or loc.get("extracted_place")
            if not place:
                parts = [loc.get(k) for k in ("city", "district", "province", "country")]
                place = ", ".join(str(p) for p in parts if p)
            location = str(place) if place else None

        text = d.get("text")
        return make_event(
            name,
            n,
            when,
            kind,
            actors,
            title,
            id=f"plover-{rid}",
            summary=text.strip() if isinstance(text, str) else "",
            directed=directed,
            location=location,
            quantities=quantities,
            sources=sources,
            tags=[c for c in contexts if c],
            extra=extra,
        )


def _records(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Iterator[tuple[int, Any]]:
    name = tally.file
    with open_source(source) as f:
        lines = numbered_lines(f, name, max_line_bytes)
        for n, text in lines:
            if isinstance(text, ParseError):
                tally.record()
                tally.problem(n, text)
                continue
            if not text or text.isspace():
                continue
            if text.lstrip().startswith("["):
                yield from _array(n, text, lines, tally)
                return
            tally.record()
            try:
                yield n, parse_line(text, name, n)
            except ParseError as e:
                tally.problem(n, e)


def _array(
    first: int, text: str, lines: Iterator[tuple[int, str | ParseError]], tally: Tally
) -> Iterator[tuple[int, Any]]:
    # A JSON array is read whole (it cannot be streamed line by line); records are numbered.
    parts = [text]
    for _, t in lines:
        if isinstance(t, ParseError):
            raise t
        parts.append(t)
    try:
        records = json.loads("\n".join(parts))
    except json.JSONDecodeError as e:
        raise ParseError(
            f"{location_prefix(file=tally.file, line=first + e.lineno - 1)}not valid JSON: "
            f"{e.msg} (column {e.colno})"
        ) from None
    except (ValueError, RecursionError) as e:  # an integer of > 4 300 digits; deep nesting
        raise ParseError(
            f"{location_prefix(file=tally.file, line=first)}not valid JSON: "
            f"{type(e).__name__}: {str(e)[:200]}"
        ) from None
    if not isinstance(records, list):
        raise ParseError(f"{tally.file}: expected a JSON array of PLOVER records")
    for i, d in enumerate(records, start=1):
        tally.record()
        yield i, d


def _rows(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Iterator[tuple[int, Event]]:
    """Import PLOVER records (JSON Lines, or a JSON array) into a Timeline.

    JSON Lines are streamed; a file whose first non-blank character is ``[`` is read whole
    as one array, and errors then name the record's number instead of a line. The mapping is
    described in the module docs; arguments, errors and the report are as for
    :func:`relations.io.read_jsonl`.

    >>> import io
    >>> import_plover(io.StringIO('{"id": "x", "date": "2024-01-01", "actor": [{"code": "RUS"}], '
    ...                           '"event": "GREET"}\\n'))
    Traceback (most recent call last):
    ...
    relations.errors.InvalidEvent: <stream>:1: field 'event': unknown PLOVER category 'GREET'; known: ACCUSE, AGREE, ...
    """
    parser = _Record(tally.file, NameIndex())
    for n, d in _records(source, tally, max_line_bytes):
        try:
            yield n, parser.event(d, n)
        except RelationsError as e:
            tally.problem(n, e)


def _columnar(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """The fast path: JSON Lines through Arrow's JSON reader into columns, or None."""
    from relations.io._plover_columns import read_columns

    return read_columns(source, tally, max_line_bytes)


_rows.__name__ = _rows.__qualname__ = "import_plover"
import_plover = reader(_rows, _columnar)

#: The measures this importer gives events: (name, is a count), for the columnar layout.
MEASURES: tuple[tuple[str, bool], ...] = ()
