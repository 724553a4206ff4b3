"""CSV: one row per event, in a flat, documented layout that reads back exactly.

This module writes the layout (:func:`write_csv`) and decodes its rows (:func:`row_to_record`);
:func:`relations.io.read_csv` reads files in it.

The file is UTF-8, comma-separated, quoted where needed (RFC 4180 quoting; rows end with
``\\n``), with a header row naming the columns. :data:`COLUMNS` is the order written:

============== ===========================================================================
column         cell
============== ===========================================================================
``schema``     ``1`` (the record schema version)
``id``         the event id
``when``       the date as canonical EDTF (``2024-06``, ``2024-10~``, ``1950/1953``)
``kind``       the dotted kind (``military.deployment``)
``actors``     actor codes joined by ``;`` (``RUS;PRK``); codes never contain ``;``
``title``      text
``directed``   ``true`` or ``false``
``summary``    text (empty for none)
``location``   text (empty for none)
``status``     ``confirmed``, ``reported``, ``claimed``, ``estimated`` or ``disputed``
``claimed_by`` actor codes joined by ``;`` (empty for none)
``quantities`` a JSON object, name → quantity dict, as in the JSON record (empty for none)
``measures``   a JSON object, name → number, as in the JSON record (empty for none)
``sources``    a JSON array of source objects, as in the JSON record (empty for none)
``tags``       a JSON array of text (empty for none)
``links``      a JSON array of event ids (empty for none)
``extra``      a JSON object of text → text (empty for none)
============== ===========================================================================

So the rule is: plain values are written as they are; lists of actor codes, which can never
contain ``;``, are ``;``-joined for readability; every other list or mapping is one
JSON-encoded cell (the same JSON as in the canonical record). Every event survives a write and
a read unchanged, with one exception: an empty ``location`` (``""``) reads back as no
location, since CSV cannot tell an empty cell from a missing one.

When reading, only ``when``, ``kind``, ``actors`` and ``title`` are required and the columns
may come in any order; an unknown column is an error (it would otherwise be silently lost).
A cell longer than ``csv.field_size_limit()`` (131 072 characters by default) is a ParseError.

>>> import io
>>> from relations import Event, timeline
>>> tl = timeline.of(Event("2024-10~", "military.deployment", ["PRK", "RUS"],
...                        "Troops sent, 'Kursk; 2024'", id="kursk", directed=True))
>>> buf = io.StringIO()
>>> write_csv(tl, buf)
1
>>> print(buf.getvalue(), end="")
schema,id,when,kind,actors,title,directed,summary,location,status,claimed_by,quantities,measures,sources,tags,links,extra
1,kursk,2024-10~,military.deployment,PRK;RUS,"Troops sent, 'Kursk; 2024'",true,,,reported,,,,,,,
>>> from relations.io import read_csv
>>> read_csv(io.StringIO(buf.getvalue())) == tl
True
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any

from relations.errors import InvalidEvent, ParseError, location_prefix
from relations.events import Event
from relations.formats.atomic import PathOrFile, Progress, open_sink
from relations.formats.jsonl import compact_json

__all__ = ["COLUMNS", "check_header", "event_to_row", "row_to_record", "write_csv"]

#: The columns :func:`write_csv` writes, in order.
COLUMNS: tuple[str, ...] = (
    "schema",
    "id",
    "when",
    "kind",
    "actors",
    "title",
    "directed",
    "summary",
    "location",
    "status",
    "claimed_by",
    "quantities",
    "measures",
    "sources",
    "tags",
    "links",
    "extra",
)
_REQUIRED = ("when", "kind", "actors", "title")
_CODES = frozenset({"actors", "claimed_by"})
_JSON = frozenset({"quantities", "measures", "sources", "tags", "links", "extra"})
_BOOLS = {"true": True, "false": False, "1": True, "0": False}


def event_to_row(e: Event) -> list[str]:
    """The CSV cells of one event, in :data:`COLUMNS` order.

    >>> from relations import Event
    >>> event_to_row(Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t", tags=["a"]))
    ['1', 't', '2024', 'trade', 'RUS;PRK', 'Trade', 'false', '', '', 'reported', '', '', '', '', '["a"]', '', '']
    """
    d = e.to_dict()
    return [
        str(d["schema"]),
        e.id,
        d["when"],
        e.kind,
        ";".join(e.actors),
        e.title,
        "true" if e.directed else "false",
        e.summary,
        e.location or "",
        e.status.value,
        ";".join(e.claimed_by),
        compact_json(d["quantities"]) if "quantities" in d else "",
        compact_json(d["measures"]) if "measures" in d else "",
        compact_json(d["sources"]) if "sources" in d else "",
        compact_json(d["tags"]) if "tags" in d else "",
        compact_json(d["links"]) if "links" in d else "",
        compact_json(d["extra"]) if "extra" in d else "",
    ]


def row_to_record(header: list[str], row: list[str], name: str, n: int) -> dict[str, Any]:
    """Decode one CSV row into a canonical record dict (errors name the line and column).

    >>> row_to_record(["when", "kind", "actors", "title", "tags"],
    ...               ["2024", "trade", "RUS;PRK", "Trade", '["a"]'], "x.csv", 2)
    {'when': '2024', 'kind': 'trade', 'actors': ['RUS', 'PRK'], 'title': 'Trade', 'tags': ['a']}
    """
    if len(row) != len(header):
        raise ParseError(
            f"{location_prefix(file=name, line=n)}row has {len(row)} cells; "
            f"the header has {len(header)}"
        )
    d: dict[str, Any] = {}
    for col, cell in zip(header, row, strict=True):
        if col in _CODES:
            d[col] = [c.strip() for c in cell.split(";")] if cell.strip() else []
        elif cell == "":
            if col in _REQUIRED:
                d[col] = cell  # the Event reports the empty field
            continue
        elif col in _JSON:
            try:
                d[col] = json.loads(cell)
            except (ValueError, RecursionError) as e:
                raise ParseError(
                    f"{location_prefix(file=name, line=n, field=col)}not valid JSON: {e}"
                ) from None
        elif col == "directed":
            value = _BOOLS.get(cell.strip().lower())
            if value is None:
                raise InvalidEvent(
                    f"{location_prefix(file=name, line=n, field=col)}"
                    f"expected true or false, not {cell!r}"
                )
            d[col] = value
        elif col == "schema":
            d[col] = int(cell) if cell.strip().isdigit() else cell
        else:
            d[col] = cell
    return d


def check_header(header: list[str], name: str, n: int) -> list[str]:
    """``header`` if it names only columns of :data:`COLUMNS` and has the required ones.

    >>> check_header(["when", "kind", "actors", "title", "colour"], "x.csv", 1)
    Traceback (most recent call last):
    ...
    relations.errors.ParseError: x.csv:1: unknown column(s) ['colour']; the columns are schema, id, ...
    """
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ParseError(
            f"{location_prefix(file=name, line=n)}unknown column(s) {unknown!r}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise ParseError(f"{location_prefix(file=name, line=n)}missing column(s) {missing!r}")
    return header


def write_csv(
    events: Iterable[Event],
    target: PathOrFile,
    *,
    progress: Progress | None = None,
) -> int:
    """Write events as CSV in the layout of :data:`COLUMNS`; return how many were written.

    A path is written atomically (see :func:`relations.formats.jsonl.write_jsonl`).

    >>> import io
    >>> from relations import Event
    >>> buf = io.StringIO()
    >>> write_csv([Event("2024", "trade", ["RUS"], "Trade, 'goods'", id="t")], buf)
    1
    >>> print(buf.getvalue().splitlines()[1])
    1,t,2024,trade,RUS,"Trade, 'goods'",false,,,reported,,,,,,,
    """
    count = 0
    with open_sink(target) as f:
        w = csv.writer(f, lineterminator="\n")
        # The csv module quotes a cell with a line feed but not one with a lone carriage
        # return (not part of this line terminator); such rows are written fully quoted.
        quoted = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL)
        w.writerow(COLUMNS)
        for e in events:
            if not isinstance(e, Event):
                raise InvalidEvent(f"item {count} to write is not an Event: {e!r}")
            row = event_to_row(e)
            (quoted if any("\r" in c for c in row) else w).writerow(row)
            count += 1
            if progress is not None and count % 10_000 == 0:
                progress(count)
    if progress is not None:
        progress(count)
    return count
