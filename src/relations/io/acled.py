"""Import ACLED data exports (CSV with a header row).

ACLED (Armed Conflict Location & Event Data; Raleigh et al. 2010) exports one row per event
with the columns of its codebook: ``event_id_cnty, event_date, year, time_precision,
disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1, actor2,
assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country, admin1, admin2,
admin3, location, latitude, longitude, geo_precision, source, source_scale, notes,
fatalities, tags, timestamp`` (the layout since 20 March 2023; older exports with
``event_id_no_cnty``, ``data_id`` and ``iso3`` and upper-case names read too). ACLED's terms
restrict redistribution, so no ACLED rows ship with this library.

Each row becomes one :class:`~relations.Event`:

=============== ================================================================================
Event field     from
=============== ================================================================================
``id``          ``"acled-"`` + ``event_id_cnty``
``when``        ``event_date`` (``YYYY-MM-DD``, ``DD-MM-YYYY``, ``DD/MM/YYYY`` or
                ``15 January 2020``) at the precision ``time_precision`` gives:
                1 (the source gives the day) → that day;
                2 (the source gives the week or weekend; ACLED codes a day in it) → one day of
                the seven centred on the coded date, EDTF ``[2020-01-12..2020-01-18]``;
                3 (the source gives only the month) → that month, ``2020-01``.
                Any other value is an error. The raw value is kept as ``extra["time_precision"]``
                (ACLED's codebook wording of levels 2 and 3 has varied between versions).
``kind``        ``acled.<event_type>.<sub_event_type>`` in lower case with ``_`` for other
                characters, e.g. ``acled.battles.armed_clash``,
                ``acled.explosions_remote_violence.air_drone_strike``: ACLED's own taxonomy,
                kept whole (the standard vocabulary is about relations between states)
``actors``      the country each of ``actor1`` and ``actor2`` belongs to: from "... of <country>"
                ("Military Forces of Russia (2000-)" → ``RUS``), else a trailing "(<country>)"
                ("Protesters (Ukraine)" → ``UKR``), else the event's ``country`` (or numeric
                ``iso``); an unknown event country is an error under ``errors=``
``directed``    false: ACLED's actor order does not imply direction
``title``       "<sub_event_type>: <actor1> – <actor2>"
``summary``     ``notes``
``location``    ``location``, ``admin1``, ``country``
``quantities``  ``fatalities`` → ``{"fatalities": Quantity(n, "people", approximate=True)}``
                (exactly 0 when 0): ACLED's figures are reports and estimates
``sources``     ``source``, split at ``;``, one :class:`~relations.Source` per outlet
``measures``    ``fatalities`` (the count, a number), ``latitude``, ``longitude`` (numbers; a
                cell that is not a finite number is an InvalidEvent naming the column)
``extra``       ``source_dataset`` (``acled``), ``source_event_id``, and every other non-empty
                column under its own (lower-case) name: ``time_precision``, ``event_type``,
                ``actor1``, ``inter1``, ``geo_precision``, ``source_scale``, ...
=============== ================================================================================

A file (a path or a binary file that can be rewound) is read through the Arrow CSV reader
(quoted cells over several lines included) and mapped column-wise
(:mod:`relations.io._acled_columns`), building no Event until one is touched; anything that
path cannot vouch for sends the whole file to the row reader below, so events, errors, line
numbers and reports are the same either way. A text stream is read by the row reader.

>>> import io
>>> csv_text = (
...     "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
...     "actor2,country,location,source,notes,fatalities\\n"
...     "UKR1,2024-10-16,2024,2,Battles,Armed clash,Military Forces of Russia (2000-),"
...     "Military Forces of Ukraine (2019-),Russia,Kursk,Outlet A; Outlet B,Clashes.,3\\n")
>>> e = import_acled(io.StringIO(csv_text))[0]
>>> e.id, str(e.when), e.kind, e.actors, str(e.quantities["fatalities"])
('acled-UKR1', '[2024-10-13..2024-10-19]', 'acled.battles.armed_clash', ('RUS', 'UKR'), 'about 3 people')
>>> [s.publisher for s in e.sources], e.extra["time_precision"]
(['Outlet A', 'Outlet B'], '2')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from relations.errors import (
    InvalidQuantity,
    ParseError,
    RelationsError,
    UnknownActor,
    location_prefix,
)
from relations.events import Event, Source
from relations.io._acled_layout import ACLED_COLUMNS, actor_country, iso_country, slug, when_of
from relations.io._acled_layout import MAPPED as _MAPPED
from relations.io._acled_layout import REQUIRED as _REQUIRED
from relations.io._actors import NameIndex
from relations.io._contract import reader
from relations.io._importing import make_event, measure, need
from relations.io._lines import PathOrFile
from relations.io._report import Tally
from relations.io.csv import table_rows
from relations.quantities import Quantity

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["ACLED_COLUMNS", "import_acled"]


class _Row:
    __slots__ = ("_numeric", "index", "name")

    def __init__(self, name: str, index: NameIndex) -> None:
        self.name = name
        self.index = index
        self._numeric: dict[str, str | None] = {}

    def _country(self, cell: Callable[[str], str], n: int) -> str:
        country = cell("country")
        code = self.index.get(country) if country else None
        if code is None and cell("iso"):
            code = self._from_iso(cell("iso"))
        if code is None:
            raise UnknownActor(
                f"{location_prefix(file=self.name, line=n, field='country')}unknown country "
                f"{country!r} (iso {cell('iso')!r}); register it with "
                "relations.actors.register(Actor(code, name)) or use errors='skip'"
            )
        return code

    def _from_iso(self, iso: str) -> str | None:
        if iso not in self._numeric:
            self._numeric[iso] = iso_country(iso, self.index)
        return self._numeric[iso]

    def _actor_country(self, actor: str, fallback: str) -> str:
        return actor_country(actor, self.index) or fallback

    def event(self, header: list[str], row: list[str], n: int) -> Event:
        name = self.name
        cells = dict(zip(header, (c.strip() for c in row), strict=True))

        def cell(c: str) -> str:
            return cells.get(c, "")

        event_id = need(cell("event_id_cnty"), file=name, line=n, field="event_id_cnty")
        when = when_of(cell("event_date"), cell("time_precision"), name, n)
        event_type = need(cell("event_type"), file=name, line=n, field="event_type")
        sub_type = cell("sub_event_type") or event_type
        kind = f"acled.{slug(event_type)}.{slug(sub_type)}"

        country = self._country(cell, n)
        actor_names = [a for a in (cell("actor1"), cell("actor2")) if a]
        actors = list(dict.fromkeys(self._actor_country(a, country) for a in actor_names))
        title = f"{sub_type}: " + " – ".join(actor_names) if actor_names else sub_type

        quantities = {}
        fatalities = cell("fatalities")
        if fatalities:
            try:
                number = int(fatalities)
                if number < 0:
                    raise ValueError
            except ValueError:
                raise InvalidQuantity(
                    f"{location_prefix(file=name, line=n, field='fatalities')}"
                    f"{fatalities!r} is not a count of people"
                ) from None
            quantities["fatalities"] = Quantity(number, "people", approximate=number > 0)
        measures: dict[str, int | float] = {}
        if fatalities:
            measures["fatalities"] = number
        for column in ("latitude", "longitude"):
            value = measure(cell(column), file=name, line=n, field=column)
            if value is not None:
                measures[column] = value

        outlets = dict.fromkeys(s.strip() for s in cell("source").split(";"))
        sources = [Source(s) for s in outlets if s]
        place = [cell("location"), cell("admin1"), cell("country")]
        extra = {"source_dataset": "acled", "source_event_id": event_id}
        extra.update((k, v) for k, v in cells.items() if v and k not in _MAPPED)
        return make_event(
            name,
            n,
            when,
            kind,
            actors or [country],
            title,
            id=f"acled-{event_id}",
            summary=cell("notes"),
            location=", ".join(dict.fromkeys(p for p in place if p)) or None,
            quantities=quantities,
            measures=measures,
            sources=sources,
            extra=extra,
        )


def _check_header(header: list[str], name: str, n: int) -> list[str]:
    lowered = [h.lower() for h in header]
    missing = [c for c in _REQUIRED if c not in lowered]
    if missing:
        raise ParseError(
            f"{location_prefix(file=name, line=n)}not an ACLED export: missing column(s) "
            f"{missing!r}"
        )
    return lowered


def _rows(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Iterator[tuple[int, Event]]:
    """Import an ACLED CSV export into a Timeline (mapping in the module docs).

    Arguments, errors and the report are as for :func:`relations.io.read_jsonl`; a file
    without ACLED's required columns raises ParseError.

    >>> import io
    >>> import_acled(io.StringIO("event_id_cnty,event_date\\n"))
    Traceback (most recent call last):
    ...
    relations.errors.ParseError: <stream>:1: not an ACLED export: missing column(s) ['time_precision', 'event_type', 'sub_event_type', 'actor1', 'country']
    """
    parser = _Row(tally.file, NameIndex())
    for n, header, row in table_rows(source, tally, _check_header, max_line_bytes=max_line_bytes):
        try:
            yield n, parser.event(header, row, n)
        except RelationsError as e:
            tally.problem(n, e)


def _columnar(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """The fast path: the file through the Arrow CSV reader into columns, or None."""
    from relations.io._acled_columns import block_columns
    from relations.io._coded_timeline import read_columns

    return read_columns(source, tally, max_line_bytes, block_columns)


_rows.__name__ = _rows.__qualname__ = "import_acled"
import_acled = reader(_rows, _columnar)

#: The measures this importer gives events: (name, is a count), for the columnar layout.
MEASURES: tuple[tuple[str, bool], ...] = (
    ("fatalities", True),
    ("latitude", False),
    ("longitude", False),
)
