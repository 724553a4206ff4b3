"""Import the GDELT event table (GDELT 1.0 and 2.0; headerless, tab-separated).

GDELT files have no header; the layout is recognised row by row from the number of columns,
so one file may mix them:

- 57 columns: GDELT 1.0 historical backfiles (1979 – March 2013), no ``SOURCEURL``;
- 58 columns: GDELT 1.0 daily files (April 2013 on): ``SOURCEURL`` added;
- 61 columns: GDELT 2.0 (February 2015 on): an ``ADM2Code`` in each of the three geography
  blocks, ``DATEADDED`` to the second.

Any other number of columns is a :class:`~relations.ParseError` naming the line.

Each row becomes one :class:`~relations.Event`:

============================ ============================================================
Event field                  from
============================ ============================================================
``id``                       ``"gdelt-"`` + ``GLOBALEVENTID``
``when``                     ``SQLDATE`` (the event's date, day precision)
``kind``                     ``EventCode`` via :func:`relations.io.cameo.kind_for_cameo`
``actors``                   ``Actor1CountryCode``, ``Actor2CountryCode`` (see below)
``directed``                 true when there are two different actors (actor 1 → actor 2)
``title``                    "Actor1Name → Actor2Name: <CAMEO name of EventCode>"
``location``                 ``ActionGeo_FullName``
``sources``                  ``SOURCEURL`` (publisher = host name), published ``DATEADDED``
``measures``                 numbers: ``goldstein`` (GDELT's own ``GoldsteinScale``),
                             ``mentions``, ``sources``, ``articles`` (``NumMentions``,
                             ``NumSources``, ``NumArticles``; counts, not negative), ``tone``
                             (``AvgTone``), ``latitude``, ``longitude`` (``ActionGeo_Lat``,
                             ``ActionGeo_Long``); an empty cell is left out, a cell that is
                             not a finite number is an InvalidEvent naming the column
``extra``                    ``source_dataset`` (``gdelt1``/``gdelt2``), ``source_event_id``,
                             ``cameo`` (EventCode, a string), ``cameo_root``, ``quad_class``,
                             ``goldstein`` (the standard score of the code, from the shipped
                             CAMEO table, as text), ``actor1_code``/``actor1_name``/
                             ``actor2_code``/``actor2_name``, ``is_root_event``,
                             ``date_added``, ``action_geo_country`` (FIPS 10-4, not ISO)
============================ ============================================================

Actors: an actor country code is resolved to a registered actor (ISO 3166 alpha-3, or a CAMEO
region such as ``AFR`` or ``WST``, registered as actors of kind ``"other"``); a side with an
actor code but no country (``GOV``, ``MED``, ...) becomes the placeholder actor
``UNSPECIFIED`` so the event keeps its direction; an unknown country code is an error under
the ``errors=`` policy. A domestic event (both sides the same country) has one actor.

>>> import io
>>> row = "\\t".join(["1", "20240619", "202406", "2024", "2024.4658", "RUS", "RUSSIA", "RUS"]
...                  + [""] * 7 + ["PRK", "NORTH KOREA", "PRK"] + [""] * 7
...                  + ["1", "057", "057", "05", "1", "8.0", "4", "2", "4", "1.5"]
...                  + [""] * 21 + ["20240620", "https://www.example.org/treaty"])
>>> tl = import_gdelt(io.BytesIO(row.encode()))
>>> e = tl[0]
>>> e.id, str(e.when), e.kind, e.actors, e.directed, e.title
('gdelt-1', '2024-06-19', 'agreement', ('RUS', 'PRK'), True, 'RUSSIA → NORTH KOREA: Sign formal agreement')
>>> e.extra["cameo"], e.extra["goldstein"], e.sources[0].publisher
('057', '8', 'example.org')
>>> dict(e.measures)
{'articles': 4, 'goldstein': 8.0, 'mentions': 4, 'sources': 2, 'tone': 1.5}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, overload

from relations._frozen import FrozenMap
from relations.errors import ParseError, RelationsError, location_prefix
from relations.events import Event, Source
from relations.io._actors import UNSPECIFIED, NameIndex, code_for
from relations.io._contract import ReadOptions, reader
from relations.io._gdelt_layout import (
    GDELT1_BACKFILE_COLUMNS,
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
    KEPT,
    LAYOUTS,
    MEASURES,
)
from relations.io._importing import (
    day_from_digits,
    fmt_number,
    measure,
    need,
    source_from_url,
    timestamp_from_digits,
    tsv_rows,
)
from relations.io._lines import PathOrFile
from relations.io._report import ReadReport, Tally
from relations.io.cameo import CameoCode, cameo, kind_for_cameo
from relations.when import When

if TYPE_CHECKING:
    from typing import Unpack

    from relations._timeline import Timeline

__all__ = [
    "GDELT1_BACKFILE_COLUMNS",
    "GDELT1_COLUMNS",
    "GDELT2_COLUMNS",
    "dedupe_gdelt",
    "import_gdelt",
]


def _side(
    row: list[str], col: dict[str, int], k: int, index: NameIndex, name: str, n: int
) -> str | None:
    country = row[col[f"Actor{k}CountryCode"]].strip()
    if country:
        return code_for(country, index, file=name, line=n, field=f"Actor{k}CountryCode")
    if row[col[f"Actor{k}Code"]].strip():
        return UNSPECIFIED
    return None


class RowCache:
    """What an import looks up once per distinct value (dates, CAMEO codes, publishers)."""

    __slots__ = ("codes", "days", "hosts", "index")

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.days: dict[str, When] = {}
        self.codes: dict[str, tuple[CameoCode, str]] = {}
        self.hosts: dict[str, str] = {}


def _bounded(d: dict[Any, Any]) -> dict[Any, Any]:
    if len(d) >= 100_000:
        d.clear()
    return d


def row_to_event(row: list[str], index: NameIndex | RowCache, name: str, n: int) -> Event:
    """One GDELT row (57, 58 or 61 cells) as an Event; errors name the file, line, column."""
    cache = index if isinstance(index, RowCache) else RowCache(index)
    index = cache.index
    layout = LAYOUTS.get(len(row))
    if layout is None:
        raise ParseError(
            f"{location_prefix(file=name, line=n)}row has {len(row)} columns; GDELT rows have "
            "57 (1.0 backfile), 58 (1.0 daily) or 61 (2.0)"
        )
    dataset, col = layout

    def cell(c: str) -> str:
        return row[col[c]].strip()

    event_id = need(cell("GLOBALEVENTID"), file=name, line=n, field="GLOBALEVENTID")
    day_text = row[col["SQLDATE"]]
    when = cache.days.get(day_text)
    if when is None:
        when = _bounded(cache.days)[day_text] = day_from_digits(
            day_text, file=name, line=n, field="SQLDATE"
        )
    code_text = row[col["EventCode"]]
    found = cache.codes.get(code_text)
    if found is None:
        need(code_text, file=name, line=n, field="EventCode")
        try:
            code = cameo(code_text.strip(), field="EventCode")
            found = _bounded(cache.codes)[code_text] = (code, kind_for_cameo(code.code))
        except RelationsError as e:
            raise type(e)(location_prefix(file=name, line=n) + str(e)) from None
    code, kind = found

    sides = [_side(row, col, 1, index, name, n), _side(row, col, 2, index, name, n)]
    actors = tuple(dict.fromkeys(s for s in sides if s is not None)) or (UNSPECIFIED,)
    names = [
        cell(f"Actor{k}Name") or cell(f"Actor{k}Code") for k in (1, 2) if sides[k - 1] is not None
    ]
    title = (" → ".join(names) + ": " if names else "") + code.name

    extra = {
        "source_dataset": dataset,
        "source_event_id": event_id,
        "cameo": code.code,
        "cameo_root": code.root,
        "quad_class": str(code.quad_class),
        "goldstein": fmt_number(code.goldstein),
    }
    for column, key in KEPT:
        value = cell(column)
        if value:
            extra[key] = value
    measures = {}
    for column, key, integer in MEASURES:  # in the order of the measure names
        number = measure(
            row[col[column]],
            file=name,
            line=n,
            field=column,
            integer=integer,
            low=0 if integer else None,
        )
        if number is not None:
            measures[key] = number

    sources: tuple[Source, ...] = ()
    url = cell("SOURCEURL") if "SOURCEURL" in col else ""
    if url:
        added = cell("DATEADDED")
        published = cache.days.get(added) if added else None
        if added and published is None:
            published = timestamp_from_digits(added, file=name, line=n, field="DATEADDED")
            if len(added) == 8:
                _bounded(cache.days)[added] = published
        try:
            sources = (source_from_url(url, published),)
        except RelationsError as e:
            raise type(e)(location_prefix(file=name, line=n, field="SOURCEURL") + str(e)) from None
    # Every value is already normal (checked above), so the event is built without running
    # the converters again: the per-row work is this construction.
    optional: dict[str, Any] = {"extra": FrozenMap(extra)}
    if len(actors) == 2:
        optional["directed"] = True
    location = cell("ActionGeo_FullName")
    if location:
        optional["location"] = location
    if sources:
        optional["sources"] = sources
    if measures:
        optional["measures"] = FrozenMap._trusted(measures)
    return Event._trusted(when, kind, actors, title, f"gdelt-{event_id}", optional)


def _report_key(e: Event) -> tuple[object, ...]:
    x, m = e.extra, e.measures
    return (
        e.when,
        x.get("actor1_code"),
        x.get("actor2_code"),
        e.actors,
        x.get("cameo"),
        e.location,
        m.get("latitude"),
        m.get("longitude"),
    )


def dedupe_gdelt(events: Iterable[Event]) -> list[Event]:
    """Collapse GDELT rows that report one event into one event per report group.

    **The rule.** Two GDELT events report the same event when they have the same date
    (``SQLDATE``), the same actor codes (``Actor1Code`` and ``Actor2Code``, hence the same
    actors and direction), the same CAMEO ``EventCode``, and the same place
    (``ActionGeo_FullName``, latitude and longitude). GDELT creates a new event row whenever
    a new article is not matched to an existing row, so one meeting can appear many times.
    The first event of a group (in the order given: file order for an import) is kept, with
    its id, title and first source URL; its ``mentions``, ``sources`` and ``articles``
    measures become the largest of the group (GDELT's counts of one report are updated in
    place, so the largest is the most complete, and adding them would count articles
    twice); ``extra["gdelt_reports"]`` says how many rows were collapsed (only when more
    than one). Other measures (``tone``, ``goldstein``) are the first row's.

    >>> import io
    >>> row = "\\t".join(["1", "20240619", "202406", "2024", "2024.4658", "RUS", "RUSSIA", "RUS"]
    ...                  + [""] * 7 + ["PRK", "NORTH KOREA", "PRK"] + [""] * 7
    ...                  + ["1", "057", "057", "05", "1", "8.0", "4", "2", "4", "1.5"]
    ...                  + [""] * 21 + ["20240620", "https://www.example.org/treaty"])
    >>> again = row.replace("1\\t2024", "2\\t2024", 1).replace("\\t4\\t2\\t4\\t", "\\t9\\t1\\t9\\t")
    >>> tl = import_gdelt(io.StringIO(row + "\\n" + again + "\\n"), dedupe=True)
    >>> len(tl), tl[0].id, tl[0].measures["mentions"], tl[0].extra["gdelt_reports"]
    (1, 'gdelt-1', 9, '2')
    """
    groups: dict[tuple[object, ...], list[Event]] = {}
    for e in events:
        groups.setdefault(_report_key(e), []).append(e)
    out = []
    for group in groups.values():
        first = group[0]
        if len(group) == 1:
            out.append(first)
            continue
        measures = dict(first.measures)
        for key in ("mentions", "sources", "articles"):
            values = [e.measures[key] for e in group if key in e.measures]
            if values:
                measures[key] = max(values)
        extra = {**first.extra, "gdelt_reports": str(len(group))}
        out.append(first.evolve(measures=measures, extra=extra))
    return out


@overload
def import_gdelt(
    source: PathOrFile,
    *,
    dedupe: bool = ...,
    report: Literal[False] = ...,
    **options: Unpack[ReadOptions],
) -> Timeline: ...
@overload
def import_gdelt(
    source: PathOrFile,
    *,
    dedupe: bool = ...,
    report: Literal[True],
    **options: Unpack[ReadOptions],
) -> tuple[Timeline, ReadReport]: ...
def import_gdelt(
    source: PathOrFile,
    *,
    dedupe: bool = False,
    report: bool = False,
    **options: Unpack[ReadOptions],
) -> Timeline | tuple[Timeline, ReadReport]:
    """Import a GDELT 1.0 or 2.0 event file (layouts may be mixed) into a Timeline.

    With ``dedupe=True`` rows that report one event are collapsed by the rule of
    :func:`dedupe_gdelt` (same date, actor codes, event code and place; the row with the
    lowest ``GLOBALEVENTID``, GDELT's first report, is kept, with the largest mention, source
    and article counts of the group).

    ``source`` is a path or an open file of the tab-separated, headerless export (unzip
    GDELT's ``.zip`` files first, or pass ``zipfile.ZipFile(...).open(member)``). The mapping
    is described in the module docs. Arguments, errors and the report are as for
    :func:`relations.io.read_jsonl`.

    >>> import io
    >>> import_gdelt(io.BytesIO(b"1\\t20240619\\tshort row\\n"))
    Traceback (most recent call last):
    ...
    relations.errors.ParseError: <stream>:1: row has 3 columns; GDELT rows have 57 (1.0 backfile), 58 (1.0 daily) or 61 (2.0)
    """
    tl, rep = _import(source, report=True, **options)
    if dedupe:
        from relations.io._coded_timeline import ImportedColumns
        from relations.io._gdelt_timeline import dedupe as dedupe_columns

        columns = tl._col if isinstance(tl._col, ImportedColumns) else None
        fast = dedupe_columns(columns) if columns is not None else None
        tl = (
            type(tl)._from_columns(fast) if fast is not None else type(tl)(dedupe_gdelt(_by_id(tl)))
        )
    return (tl, rep) if report else tl


def _by_id(tl: Timeline) -> list[Event]:
    # GLOBALEVENTIDs are assigned in order: the first report of an event has the lowest
    def number(e: Event) -> tuple[int, str]:
        text = e.extra.get("source_event_id", "")
        known = text.isascii() and text.isdigit() and len(text) < 19
        return (int(text) if known else 1 << 62, e.id)

    return sorted(tl, key=number)


def _rows(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Iterator[tuple[int, Event]]:
    """Import a GDELT 1.0 or 2.0 event file (see :func:`import_gdelt`)."""
    cache = RowCache(NameIndex())
    for n, row in tsv_rows(source, tally.file, tally, max_line_bytes):
        try:
            yield n, row_to_event(row, cache, tally.file, n)
        except RelationsError as e:
            tally.problem(n, e)


def _columnar(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """The whole file through the Arrow CSV reader into a column-backed Timeline, or None
    (nothing counted, the source rewound) when any block needs the row-by-row reader."""
    from relations.io._gdelt_timeline import read_columns

    return read_columns(source, tally, max_line_bytes)


_import = reader(_rows, _columnar)
