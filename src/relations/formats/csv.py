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

**The flat layout** (``write_csv(events, path, layout="flat")``) is for spreadsheets: no JSON
in the common cases, one column per value. Its columns are :data:`FLAT_COLUMNS`, then the
columns the events need:

========================== ==================================================================
column                     cell
========================== ==================================================================
``earliest``, ``latest``   the earliest and latest possible day (``YYYY-MM-DD``; empty when
                           open, unknown or outside years 1–9999); derived from ``when`` and
                           ignored when reading
``tags``, ``links``        joined by ``;`` (a JSON array when an item contains ``;``)
``quantity.NAME.FIELD``    one column per quantity name and field: ``value``, ``low``,
                           ``high`` (numbers), ``unit``, ``approximate`` (``true``/empty)
``measure.NAME``           one column per measure name (a number; empty where the event
                           has no such measure)
``source.FIELD``           the first source's ``publisher``, ``title``, ``url``,
                           ``published`` and ``quote``
``sources.more``           the second and later sources, a JSON array (only when some event
                           has more than one)
``extra.KEY``              one column per key of ``extra``
========================== ==================================================================

:func:`relations.io.read_csv` reads both layouts (and a mix: the columns say what they hold),
and every event written in the flat layout reads back unchanged (the same exception for an
empty ``location``).

**Formulas.** A spreadsheet evaluates a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return, so a hostile title could become a live formula (CSV injection). By
default such a text cell is written with a leading apostrophe (``'=cmd``), the OWASP rule,
which spreadsheets show as text; a plain number (``-5``, ``-0044``) is not a formula and is
written as it is. ``escape_formulas=False`` turns this off. Reading removes the apostrophe
again, so every value reads back exactly: a text that itself begins with apostrophes and then
one of those characters is written with one apostrophe more, in either mode.

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
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from relations.errors import InvalidEvent, ParseError, location_prefix
from relations.events import Event
from relations.formats.atomic import PathOrFile, Progress, checked_events, open_sink
from relations.formats.jsonl import compact_json
from relations.when import UNBOUNDED_HI, UNBOUNDED_LO, ymd

__all__ = [
    "COLUMNS",
    "FLAT_COLUMNS",
    "Layout",
    "check_header",
    "escape_formula",
    "event_to_row",
    "flat_header",
    "flat_row",
    "map_header",
    "row_to_record",
    "unescape_formula",
    "write_csv",
]

Layout = Literal["canonical", "flat"]
"""The CSV layouts: ``canonical`` (:data:`COLUMNS`, the default) or ``flat`` (spreadsheets)."""

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
#: The fixed columns of the flat layout, in order; the quantity, source and extra columns follow:
#: the canonical columns without the JSON cells, with ``earliest`` and ``latest`` after ``when``.
FLAT_COLUMNS: tuple[str, ...] = tuple(
    name
    for c in COLUMNS
    if c not in ("schema", "quantities", "measures", "sources", "extra")
    for name in ((c, "earliest", "latest") if c == "when" else (c,))
)
_QUANTITY_FIELDS = ("value", "low", "high", "unit", "approximate")
_SOURCE_FIELDS = ("publisher", "title", "url", "published", "quote")
_DERIVED = frozenset({"earliest", "latest"})
_REQUIRED = ("when", "kind", "actors", "title")
_CODES = frozenset({"actors", "claimed_by"})
_LISTS = frozenset({"actors", "claimed_by", "tags", "links"})
_JSON = frozenset({"quantities", "measures", "sources", "extra"})
_BOOLS = {"true": True, "false": False, "1": True, "0": False}
_FIRST = frozenset("=+-@\t\r'")
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def escape_formula(cell: str, *, neutralise: bool = True) -> str:
    """``cell`` as written to CSV: a leading apostrophe where a spreadsheet would evaluate it.

    A plain number is never a formula; a text that already begins with apostrophes and then
    a formula character gets one more (also with ``neutralise=False``), so
    :func:`unescape_formula` always restores the text.

    >>> escape_formula("=HYPERLINK(1)"), escape_formula("-0044"), escape_formula("-0044-03")
    ("'=HYPERLINK(1)", '-0044', "'-0044-03")
    >>> escape_formula("=1+1", neutralise=False), escape_formula("'=x", neutralise=False)
    ('=1+1', "''=x")
    """
    if not cell or cell[0] not in _FIRST or not _FORMULA.match(cell):
        return cell
    if cell[0] == "'":
        return "'" + cell
    if not neutralise or _NUMBER.fullmatch(cell):
        return cell
    return "'" + cell


def unescape_formula(cell: str) -> str:
    """The text of a cell written by :func:`escape_formula` (one leading apostrophe removed).

    >>> unescape_formula("'=HYPERLINK(1)"), unescape_formula("''=x"), unescape_formula("'tis")
    ('=HYPERLINK(1)', "'=x", "'tis")
    """
    return cell[1:] if cell and cell[0] == "'" and _ESCAPED.match(cell) else cell


def _joined(items: Iterable[str], *, codes: bool = False) -> str:
    items = list(items)
    if codes or not any(not t or ";" in t or t != t.strip() or t[:1] == "[" for t in items):
        return ";".join(items)
    return compact_json(items)


def _number(value: Any) -> str:
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


def _day(day: int) -> str:
    if day in (UNBOUNDED_LO, UNBOUNDED_HI):
        return ""
    y, m, d = ymd(day)
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= y <= 9999 else ""


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


def flat_header(events: Iterable[Event]) -> list[str]:
    """The columns of the flat layout for ``events``: :data:`FLAT_COLUMNS` and those they need.

    >>> from relations import Event, Quantity, Source
    >>> flat_header([Event("2024", "trade", ["RUS"], "T", quantities={"usd": Quantity(5, "USD")},
    ...                    sources=[Source("TASS")], extra={"cameo": "061"})])[14:]
    ['quantity.usd.value', 'quantity.usd.unit', 'source.publisher', 'extra.cameo']
    """
    fields: dict[str, set[str]] = {}
    source_fields: set[str] = set()
    more = False
    extra: set[str] = set()
    measures: set[str] = set()
    for e in events:
        for name, q in e.quantities.items():
            fields.setdefault(name, {"unit"}).update(q.to_dict())
        measures.update(e.measures)
        for s in e.sources[:1]:
            source_fields.update(s.to_dict())
        more = more or len(e.sources) > 1
        extra.update(e.extra)
    header = list(FLAT_COLUMNS)
    for name in sorted(fields):
        header += [f"quantity.{name}.{f}" for f in _QUANTITY_FIELDS if f in fields[name]]
    header += [f"measure.{name}" for name in sorted(measures)]
    header += [f"source.{f}" for f in _SOURCE_FIELDS if f in source_fields]
    if more:
        header.append("sources.more")
    header += [f"extra.{k}" for k in sorted(extra)]
    return header


def flat_row(e: Event, header: list[str]) -> list[str]:
    """The cells of one event in the flat layout, for the columns of ``header``.

    >>> from relations import Event
    >>> flat_row(Event("2024-06", "trade", ["RUS", "PRK"], "T", id="t", tags=["a", "b"]),
    ...          list(FLAT_COLUMNS))
    ['t', '2024-06', '2024-06-01', '2024-06-30', 'trade', 'RUS;PRK', 'T', 'false', '', '', 'reported', '', 'a;b', '']
    """
    first = e.sources[0].to_dict() if e.sources else {}
    cells: list[str] = []
    for col in header:
        if col == "id":
            cells.append(e.id)
        elif col == "when":
            cells.append(str(e.when))
        elif col == "earliest":
            cells.append(_day(e.lo))
        elif col == "latest":
            cells.append(_day(e.hi))
        elif col in _LISTS:
            cells.append(_joined(getattr(e, col), codes=col in _CODES))
        elif col == "directed":
            cells.append("true" if e.directed else "false")
        elif col == "status":
            cells.append(e.status.value)
        elif col == "location":
            cells.append(e.location or "")
        elif col in ("kind", "title", "summary"):
            cells.append(getattr(e, col))
        elif col.startswith("quantity."):
            name, _, field = col[len("quantity.") :].rpartition(".")
            q = e.quantities.get(name)
            qd = q.to_dict() if q is not None else {}
            if field == "approximate":
                cells.append("true" if qd.get(field) else "")
            elif field == "unit":
                cells.append(qd.get("unit", ""))
            else:
                cells.append(_number(qd.get(field)))
        elif col.startswith("measure."):
            cells.append(_number(e.measures.get(col[len("measure.") :])))
        elif col.startswith("source."):
            cells.append(str(first.get(col[len("source.") :], "")))
        elif col == "sources.more":
            rest = [s.to_dict() for s in e.sources[1:]]
            cells.append(compact_json(rest) if rest else "")
        elif col.startswith("extra."):
            cells.append(e.extra.get(col[len("extra.") :], ""))
        else:
            raise ValueError(f"not a column of the flat layout: {col!r}")
    return cells


def _parse_number(cell: str, where: str) -> int | float:
    try:
        return int(cell)
    except ValueError:
        pass
    try:
        return float(cell)
    except ValueError:
        raise InvalidEvent(f"{where}expected a number, not {cell!r}") from None


def _json_cell(cell: str, where: str) -> Any:
    try:
        return json.loads(cell)
    except (ValueError, RecursionError) as e:
        raise ParseError(f"{where}not valid JSON: {e}") from None


def row_to_record(header: list[str], row: list[str], name: str, n: int) -> dict[str, Any]:
    """Decode one CSV row (either layout) into a canonical record dict (errors name the line and column).

    Several columns with the same list name (``actors`` twice, from a column mapping) are
    joined in order.

    >>> row_to_record(["when", "kind", "actors", "title", "tags"],
    ...               ["2024", "trade", "RUS;PRK", "Trade", '["a"]'], "x.csv", 2)
    {'when': '2024', 'kind': 'trade', 'actors': ['RUS', 'PRK'], 'title': 'Trade', 'tags': ['a']}
    >>> row_to_record(["when", "kind", "actors", "actors", "title", "quantity.usd.value"],
    ...               ["2024", "trade", "RUS", "PRK", "'=1", "5"], "x.csv", 2)["quantities"]
    {'usd': {'value': 5}}
    """
    if len(row) != len(header):
        raise ParseError(
            f"{location_prefix(file=name, line=n)}row has {len(row)} cells; "
            f"the header has {len(header)}"
        )
    d: dict[str, Any] = {}
    quantities: dict[str, dict[str, Any]] = {}
    measures: dict[str, int | float] = {}
    first: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for col, raw in zip(header, row, strict=True):
        cell = unescape_formula(raw)
        if col in _LISTS:
            if cell.startswith("["):
                items = _json_cell(cell, location_prefix(file=name, line=n, field=col))
            elif col in _CODES:
                items = [c.strip() for c in cell.split(";")] if cell.strip() else []
            else:
                items = cell.split(";") if cell else []
            if col in d:
                d[col] = list(d[col]) + list(items)
            elif items or col in _CODES:
                d[col] = items
        elif col in _DERIVED:
            continue
        elif cell == "":
            if col in _REQUIRED:
                d[col] = cell  # the Event reports the empty field
            continue
        elif col in _JSON or col == "sources.more":
            d[col] = _json_cell(cell, location_prefix(file=name, line=n, field=col))
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
        elif col.startswith("quantity."):
            qname, _, field = col[len("quantity.") :].rpartition(".")
            where = location_prefix(file=name, line=n, field=col)
            q = quantities.setdefault(qname, {})
            if field == "unit":
                q[field] = cell
            elif field == "approximate":
                value = _BOOLS.get(cell.strip().lower())
                if value is None:
                    raise InvalidEvent(f"{where}expected true or false, not {cell!r}")
                q[field] = value
            else:
                q[field] = _parse_number(cell.strip(), where)
        elif col.startswith("measure."):
            where = location_prefix(file=name, line=n, field=col)
            measures[col[len("measure.") :]] = _parse_number(cell.strip(), where)
        elif col.startswith("source."):
            first[col[len("source.") :]] = cell
        elif col.startswith("extra."):
            extra[col[len("extra.") :]] = cell
        else:
            d[col] = cell
    if quantities:
        d["quantities"] = _merged(d.get("quantities"), quantities, "quantities", name, n)
    if measures:
        d["measures"] = _merged(d.get("measures"), measures, "measures", name, n)
    more = d.pop("sources.more", None)
    if first or more:
        listed = [first] if first else []
        if more is not None:
            if not isinstance(more, list):
                raise InvalidEvent(
                    f"{location_prefix(file=name, line=n, field='sources.more')}"
                    f"expected a JSON array, not {more!r}"
                )
            listed += more
        if "sources" in d:
            if not isinstance(d["sources"], list):
                raise InvalidEvent(
                    f"{location_prefix(file=name, line=n, field='sources')}"
                    f"expected a JSON array, not {d['sources']!r}"
                )
            listed = d["sources"] + listed
        d["sources"] = listed
    if extra:
        d["extra"] = _merged(d.get("extra"), extra, "extra", name, n)
    return d


def _merged(json_value: Any, flat: Mapping[str, Any], col: str, name: str, n: int) -> Any:
    """The JSON column's mapping and the flat columns' values together (a name only once)."""
    if json_value is None:
        return dict(flat)
    if not isinstance(json_value, dict):
        return json_value  # the Event reports it
    both = sorted(set(json_value) & set(flat))
    if both:
        raise InvalidEvent(
            f"{location_prefix(file=name, line=n, field=col)}{both!r} given both in the "
            f"{col!r} column and in its own column"
        )
    return {**json_value, **flat}


def _flat_column(col: str) -> bool:
    if col in FLAT_COLUMNS or col == "sources.more":
        return True
    if col.startswith("quantity."):
        qname, _, field = col[len("quantity.") :].rpartition(".")
        return bool(qname) and field in _QUANTITY_FIELDS
    if col.startswith("measure."):
        return len(col) > len("measure.")
    if col.startswith("source."):
        return col[len("source.") :] in _SOURCE_FIELDS
    return col.startswith("extra.") and len(col) > len("extra.")


def check_header(header: list[str], name: str, n: int) -> list[str]:
    """``header`` if it names only columns of either layout and has the required ones.

    >>> check_header(["when", "kind", "actors", "title", "colour"], "x.csv", 1)
    Traceback (most recent call last):
    ...
    relations.errors.ParseError: x.csv:1: unknown column(s) ['colour']; the columns are schema, id, ...
    """
    unknown = [h for h in header if h not in COLUMNS and not _flat_column(h)]
    if unknown:
        raise ParseError(
            f"{location_prefix(file=name, line=n)}unknown column(s) {unknown!r}; "
            f"the columns are {', '.join(COLUMNS)} (or those of the flat layout: "
            "earliest, latest, quantity.NAME.FIELD, source.FIELD, sources.more, extra.KEY); "
            "map your own names with read_csv(..., columns={'yours': 'ours'})"
        )
    repeated = sorted({h for h in header if header.count(h) > 1 and h not in _LISTS})
    if repeated:
        raise ParseError(f"{location_prefix(file=name, line=n)}repeated column(s) {repeated!r}")
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise ParseError(f"{location_prefix(file=name, line=n)}missing column(s) {missing!r}")
    return header


def map_header(
    header: list[str], columns: Mapping[str, str | None], name: str, n: int
) -> tuple[list[str], list[int]]:
    """The header renamed by ``columns`` (yours → ours; ``None`` drops a column), and the
    positions of the columns kept. A name of ``columns`` not in the file is an error.

    >>> map_header(["date", "actor1", "actor2", "what", "notes"],
    ...            {"date": "when", "actor1": "actors", "actor2": "actors", "what": "title",
    ...             "notes": None}, "x.csv", 1)
    (['when', 'actors', 'actors', 'title'], [0, 1, 2, 3])
    """
    absent = [c for c in columns if c not in header]
    if absent:
        raise ParseError(
            f"{location_prefix(file=name, line=n)}column(s) {absent!r} of the mapping are not "
            f"in the file (its columns: {', '.join(header)})"
        )
    renamed: list[str] = []
    keep: list[int] = []
    for i, h in enumerate(header):
        target = columns.get(h, h)
        if target is not None:
            renamed.append(target)
            keep.append(i)
    return renamed, keep


def write_csv(
    events: Iterable[Event],
    target: PathOrFile,
    *,
    layout: Layout = "canonical",
    escape_formulas: bool = True,
    progress: Progress | None = None,
) -> int:
    """Write events as CSV; return how many were written.

    ``layout`` is ``"canonical"`` (the columns of :data:`COLUMNS`) or ``"flat"`` (for
    spreadsheets: :data:`FLAT_COLUMNS` and a column per quantity field, first-source field
    and extra key; see the module docs). ``escape_formulas`` (default ``True``) writes a text
    cell a spreadsheet would evaluate with a leading apostrophe; reading removes it. A path
    is written atomically (see :func:`relations.formats.jsonl.write_jsonl`).

    >>> import io
    >>> from relations import Event, Quantity
    >>> buf = io.StringIO()
    >>> write_csv([Event("2024", "trade", ["RUS"], "Trade, 'goods'", id="t")], buf)
    1
    >>> print(buf.getvalue().splitlines()[1])
    1,t,2024,trade,RUS,"Trade, 'goods'",false,,,reported,,,,,,,
    >>> buf = io.StringIO()
    >>> write_csv([Event("2024", "trade", ["RUS"], "=1+1", id="t",
    ...                  quantities={"usd": Quantity.about(5, "USD")})], buf, layout="flat")
    1
    >>> print(buf.getvalue(), end="")  # doctest: +NORMALIZE_WHITESPACE
    id,when,earliest,latest,kind,actors,title,directed,summary,location,status,claimed_by,tags,links,quantity.usd.value,quantity.usd.unit,quantity.usd.approximate
    t,2024,2024-01-01,2024-12-31,trade,RUS,'=1+1,false,,,reported,,,,5,USD,true
    """
    if layout not in ("canonical", "flat"):
        raise ValueError(f"layout must be 'canonical' or 'flat', not {layout!r}")
    header: list[str] = list(COLUMNS)
    if layout == "flat":
        events = list(checked_events(events))
        header = flat_header(events)
    count = 0
    with open_sink(target) as f:
        w = csv.writer(f, lineterminator="\n")
        # The csv module quotes a cell with a line feed but not one with a lone carriage
        # return (not part of this line terminator); such rows are written fully quoted.
        quoted = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL)
        w.writerow(header)
        for e in checked_events(events, progress):
            cells = flat_row(e, header) if layout == "flat" else event_to_row(e)
            row = [escape_formula(c, neutralise=escape_formulas) for c in cells]
            (quoted if any("\r" in c for c in row) else w).writerow(row)
            count += 1
    return count
