"""Import ICEWS coded event data (tab-separated, with a header row).

ICEWS (Integrated Crisis Early Warning System; Boschee et al., Harvard Dataverse
doi:10.7910/DVN/28075) files have 20 columns: ``Event ID, Event Date, Source Name, Source
Sectors, Source Country, Event Text, CAMEO Code, Intensity, Target Name, Target Sectors,
Target Country, Story ID, Sentence Number, Publisher, City, District, Province, Country,
Latitude, Longitude``. ``NA`` marks a missing value.

Each row becomes one :class:`~relations.Event`:

=============== ==================================================================================
Event field     from
=============== ==================================================================================
``id``          ``"icews-<Event ID>-<Event Date>"``: ICEWS's ``Event ID`` alone is **not unique**
                (one 2013 release repeats 145 312 of them), the pair with the date is
``when``        ``Event Date`` (day precision)
``kind``        ``CAMEO Code`` via :func:`relations.io.cameo.kind_for_cameo`
``actors``      ``Source Country`` and ``Target Country`` (country names, resolved to codes);
                where the country is ``NA`` the actor's name is tried ("European Union" → ``EU``,
                "United Nations" → ``UN``), else the placeholder ``UNSPECIFIED``; an unknown
                country name is an error under ``errors=``
``directed``    true when there are two different actors (source → target)
``title``       "Source Name → Target Name: Event Text"
``location``    City, District, Province, Country (those given), comma-separated
``sources``     ``Publisher`` (ICEWS distributes no URLs)
``measures``    numbers: ``intensity`` (ICEWS's own score, which differs from the table for a
                few codes), ``latitude``, ``longitude``; ``NA`` is left out, a cell that is not
                a finite number is an InvalidEvent naming the column
``extra``       ``source_dataset`` (``icews``), ``source_event_id`` (``Event ID``), ``cameo``,
                ``cameo_root``, ``quad_class``, ``goldstein`` (the code's standard score from
                the shipped CAMEO table, as text), ``source_name``, ``source_sectors``,
                ``source_country``, ``target_name``, ``target_sectors``, ``target_country``,
                ``story_id``, ``sentence_number``; sectors are an unordered set in ICEWS (order varies,
                sometimes quoted), so they are kept sorted and comma-joined
=============== ==================================================================================

Columns beyond the 20 are kept in ``extra`` under their name in lower case with ``_`` for
spaces.

A file (a path or a binary file that can be rewound) is read through the Arrow CSV reader
and mapped column-wise (:mod:`relations.io._icews_columns`), building no Event until one is
touched; anything that path cannot vouch for is read by the row reader below, so events,
errors, line numbers and reports are the same either way.

>>> import io
>>> header = ("Event ID\\tEvent Date\\tSource Name\\tSource Sectors\\tSource Country\\tEvent Text\\t"
...           "CAMEO Code\\tIntensity\\tTarget Name\\tTarget Sectors\\tTarget Country\\tStory ID\\t"
...           "Sentence Number\\tPublisher\\tCity\\tDistrict\\tProvince\\tCountry\\tLatitude\\tLongitude")
>>> row = ("1\\t2018-06-01\\tSergey Lavrov\\tGovernment,Executive\\tRussian Federation\\tMake a visit\\t"
...        "042\\t1.9\\tKim Jong-Un\\tNA\\tNorth Korea\\t7\\t1\\tXinhua\\tPyongyang\\tNA\\tNA\\t"
...        "North Korea\\t39.03\\t125.75")
>>> e = import_icews(io.BytesIO(f"{header}\\n{row}\\n".encode()))[0]
>>> e.id, e.kind, e.actors, e.directed, e.location, e.extra["source_sectors"]
('icews-1-2018-06-01', 'diplomacy.visit', ('RUS', 'PRK'), True, 'Pyongyang, North Korea', 'Executive,Government')
>>> dict(e.measures)
{'intensity': 1.9, 'latitude': 39.03, 'longitude': 125.75}
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from relations._frozen import FrozenMap
from relations.errors import ParseError, RelationsError, location_prefix
from relations.events import Event, Source
from relations.io._actors import UNSPECIFIED, NameIndex, code_for
from relations.io._contract import reader
from relations.io._icews_layout import ICEWS_COLUMNS
from relations.io._icews_layout import KEPT as _KEPT
from relations.io._icews_layout import MEASURE_COLUMNS as _MEASURES
from relations.io._icews_layout import REQUIRED as _REQUIRED
from relations.io._icews_layout import sectors as _sectors
from relations.io._icews_layout import snake as _snake
from relations.io._importing import (
    day_from_digits,
    fmt_number,
    measure,
    need,
    tsv_rows,
)
from relations.io._lines import PathOrFile
from relations.io._report import Tally
from relations.io.cameo import CameoCode, cameo, kind_for_cameo
from relations.when import When

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["ICEWS_COLUMNS", "import_icews"]


def _missing(value: str) -> bool:
    return not value or value == "NA"


def _bounded(d: dict[Any, Any]) -> dict[Any, Any]:
    if len(d) >= 100_000:
        d.clear()
    return d


class _Row:
    __slots__ = ("codes", "col", "days", "index", "name", "other", "publishers", "sectors")

    def __init__(self, header: list[str], name: str, index: NameIndex) -> None:
        self.col = {h: i for i, h in enumerate(header)}
        self.other = [(i, _snake(h)) for i, h in enumerate(header) if h not in ICEWS_COLUMNS]
        self.name = name
        self.index = index
        # looked up once per distinct value: a file has few dates, codes, publishers, sectors
        self.days: dict[str, When] = {}
        self.codes: dict[str, tuple[CameoCode, str]] = {}
        self.publishers: dict[str, tuple[Source, ...]] = {}
        self.sectors: dict[str, str] = {}

    def event(self, row: list[str], n: int) -> Event:
        name, col = self.name, self.col
        if len(row) != len(col):
            raise ParseError(
                f"{location_prefix(file=name, line=n)}row has {len(row)} columns; "
                f"the header has {len(col)}"
            )

        def cell(c: str) -> str:
            i = col.get(c)
            if i is None:
                return ""
            v = row[i].strip()
            return "" if v == "NA" else v

        event_id = need(cell("Event ID"), file=name, line=n, field="Event ID")
        day_text = cell("Event Date")
        when = self.days.get(day_text)
        if when is None:
            when = _bounded(self.days)[day_text] = day_from_digits(
                day_text, file=name, line=n, field="Event Date"
            )
        code_text = cell("CAMEO Code")
        found = self.codes.get(code_text)
        if found is None:
            need(code_text, file=name, line=n, field="CAMEO Code")
            try:
                code = cameo(code_text, field="CAMEO Code")
                found = _bounded(self.codes)[code_text] = (code, kind_for_cameo(code.code))
            except RelationsError as e:
                raise type(e)(location_prefix(file=name, line=n) + str(e)) from None
        code, kind = found

        sides = [self._side(cell, role, n) for role in ("Source", "Target")]
        actors = tuple(dict.fromkeys(s for s in sides if s is not None)) or (UNSPECIFIED,)
        who = [cell(f"{role} Name") for role in ("Source", "Target") if cell(f"{role} Name")]
        text = cell("Event Text") or code.name
        title = (" → ".join(who) + ": " if who else "") + text

        extra = {
            "source_dataset": "icews",
            "source_event_id": event_id,
            "cameo": code.code,
            "cameo_root": code.root,
            "quad_class": str(code.quad_class),
            "goldstein": fmt_number(code.goldstein),
        }
        measures = {}
        for column, key in _MEASURES:
            number = measure(cell(column), file=name, line=n, field=column)
            if number is not None:
                measures[key] = number
        for column, key in _KEPT:
            v = cell(column)
            if v:
                extra[key] = v
        for role in ("Source", "Target"):
            raw = cell(f"{role} Sectors")
            sectors = self.sectors.get(raw)
            if sectors is None:
                sectors = _bounded(self.sectors)[raw] = _sectors(raw)
            if sectors:
                extra[f"{role.lower()}_sectors"] = sectors
        for i, key in self.other:
            v = row[i].strip()
            if v and v != "NA":
                extra[key] = v

        place = [cell(c) for c in ("City", "District", "Province", "Country")]
        location = ", ".join(dict.fromkeys(p for p in place if p)) or None
        publisher = cell("Publisher")
        # Every value is already normal (checked above), so the event is built without running
        # the converters again: the per-row work is this construction.
        optional: dict[str, Any] = {"extra": FrozenMap(extra)}
        if len(actors) == 2:
            optional["directed"] = True
        if location:
            optional["location"] = location
        if publisher:
            sources = self.publishers.get(publisher)
            if sources is None:
                sources = _bounded(self.publishers)[publisher] = (Source(publisher),)
            optional["sources"] = sources
        if measures:
            optional["measures"] = FrozenMap(measures)
        return Event._trusted(when, kind, actors, title, f"icews-{event_id}-{when}", optional)

    def _side(self, cell: Callable[[str], str], role: str, n: int) -> str | None:
        country = cell(f"{role} Country")
        if country:
            return code_for(country, self.index, file=self.name, line=n, field=f"{role} Country")
        actor = cell(f"{role} Name")
        if actor:
            return self.index.get(actor) or UNSPECIFIED
        return None


def _rows(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Iterator[tuple[int, Event]]:
    """Import an ICEWS event file (tab-separated, header row) into a Timeline.

    The mapping is described in the module docs. Arguments, errors and the report are as for
    :func:`relations.io.read_jsonl`; a file without the ICEWS header raises ParseError.

    >>> import io
    >>> import_icews(io.BytesIO(b"id\\tdate\\n"))
    Traceback (most recent call last):
    ...
    relations.errors.ParseError: <stream>:1: not an ICEWS header: missing column(s) ['Event ID', 'Event Date', 'CAMEO Code', 'Source Name', 'Target Name']; ...
    """
    rows = tsv_rows(source, tally.file, tally, max_line_bytes)
    parser: _Row | None = None
    for n, row in rows:
        if parser is None:
            tally.records -= 1  # the header is not a record
            header = [h.strip() for h in row]
            missing = [c for c in _REQUIRED if c not in header]
            if missing:
                raise ParseError(
                    f"{location_prefix(file=tally.file, line=n)}not an ICEWS header: missing "
                    f"column(s) {missing!r}; ICEWS files start with a header row "
                    f"({', '.join(ICEWS_COLUMNS[:3])}, ...)"
                )
            repeated = sorted({h for h in header if header.count(h) > 1})
            if repeated:
                raise ParseError(
                    f"{location_prefix(file=tally.file, line=n)}the ICEWS header repeats "
                    f"column(s) {repeated!r}; each column must be named once"
                )
            parser = _Row(header, tally.file, NameIndex())
            continue
        try:
            yield n, parser.event(row, n)
        except RelationsError as e:
            tally.problem(n, e)


def _columnar(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """The fast path: the file through the Arrow CSV reader into columns, or None."""
    from relations.io._coded_timeline import read_columns
    from relations.io._icews_columns import block_columns

    return read_columns(source, tally, max_line_bytes, block_columns)


_rows.__name__ = _rows.__qualname__ = "import_icews"
import_icews = reader(_rows, _columnar)

#: The measures this importer gives events: (name, is a count), for the columnar layout.
MEASURES: tuple[tuple[str, bool], ...] = (
    ("intensity", False),
    ("latitude", False),
    ("longitude", False),
)
