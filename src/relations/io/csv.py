"""CSV: one row per event, in a flat, documented layout that reads back exactly.

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
schema,id,when,kind,actors,title,directed,summary,location,status,claimed_by,quantities,sources,tags,links,extra
1,kursk,2024-10~,military.deployment,PRK;RUS,"Troops sent, 'Kursk; 2024'",true,,,reported,,,,,,
>>> read_csv(io.StringIO(buf.getvalue())) == tl
True
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, Literal, overload

from relations.errors import InvalidEvent, ParseError, RelationsError, location_prefix
from relations.events import Event
from relations.io._actors import ensure_registered
from relations.io._atomic import open_sink
from relations.io._lines import MAX_LINE_BYTES, PathOrFile, numbered_lines, open_source, source_name
from relations.io._report import ErrorPolicy, Progress, ReadIssue, ReadReport, Tally
from relations.io.jsonl import finish, record_to_event

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["COLUMNS", "read_csv", "write_csv"]

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
    "sources",
    "tags",
    "links",
    "extra",
)
_REQUIRED = ("when", "kind", "actors", "title")
_CODES = frozenset({"actors", "claimed_by"})
_JSON = frozenset({"quantities", "sources", "tags", "links", "extra"})
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_BOOLS = {"true": True, "false": False, "1": True, "0": False}


def event_to_row(e: Event) -> list[str]:
    """The CSV cells of one event, in :data:`COLUMNS` order.

    >>> from relations import Event
    >>> event_to_row(Event("2024", "trade", ["RUS", "PRK"], "Trade", id="t", tags=["a"]))
    ['1', 't', '2024', 'trade', 'RUS;PRK', 'Trade', 'false', '', '', 'reported', '', '', '', '["a"]', '', '']
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
        _ENCODE(d["quantities"]) if "quantities" in d else "",
        _ENCODE(d["sources"]) if "sources" in d else "",
        _ENCODE(d["tags"]) if "tags" in d else "",
        _ENCODE(d["links"]) if "links" in d else "",
        _ENCODE(d["extra"]) if "extra" in d else "",
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


class _Lines:
    """Feeds csv.reader physical lines (with their newlines), remembering line numbers and
    any line that was bad (not UTF-8, too long), so that its record can be reported."""

    __slots__ = ("bad", "it", "line")

    def __init__(self, f: IO[bytes] | IO[str], name: str, max_bytes: int) -> None:
        self.bad: list[ParseError] = []
        self.it = numbered_lines(f, name, max_bytes, keep_ends=True, on_bad_utf8=self.bad.append)
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        for n, text in self.it:
            self.line = n
            if isinstance(text, ParseError):
                self.bad.append(text)
                yield "\n"
            else:
                yield text


def _check_header(header: list[str], name: str, n: int) -> list[str]:
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


def table_rows(
    source: PathOrFile,
    tally: Tally,
    check_header: Callable[[list[str], str, int], list[str]],
    *,
    max_line_bytes: int = MAX_LINE_BYTES,
    delimiter: str = ",",
) -> Iterator[tuple[int, list[str], list[str]]]:
    """``(first line, header, cells)`` for each data row of a delimited file with a header.

    The header (stripped; repeated names refused) goes through ``check_header``, which may
    rename columns or raise; a bad header always raises. Blank lines are skipped; rows with
    a wrong number of cells, bad quoting, bad UTF-8 or a huge cell go to ``tally.problem``.
    """
    name = tally.file
    with open_source(source) as f:
        lines = _Lines(f, name, max_line_bytes)
        reader = csv.reader(iter(lines), strict=True, delimiter=delimiter)
        try:
            first = next(reader, None)
        except csv.Error as e:
            raise ParseError(f"{location_prefix(file=name, line=1)}bad header: {e}") from None
        if lines.bad:
            raise lines.bad[0]
        if first is None:
            raise ParseError(f"{name}: empty file; expected a header row naming the columns")
        header = [h.strip() for h in first]
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            raise ParseError(
                f"{location_prefix(file=name, line=lines.line)}repeated column(s) {dupes!r}"
            )
        header = check_header(header, name, lines.line)
        end = lines.line
        while True:
            start = end + 1
            try:
                row = next(reader, None)
            except csv.Error as e:
                end = lines.line
                tally.record()
                tally.problem(start, ParseError(f"{location_prefix(file=name, line=start)}{e}"))
                lines.bad.clear()
                continue
            end = lines.line
            if row is None:
                return
            if lines.bad:
                tally.record()
                tally.problem(start, lines.bad[0])
                lines.bad.clear()
                continue
            if not row or (len(row) == 1 and not row[0].strip() and len(header) > 1):
                continue  # a blank line
            tally.record()
            if len(row) != len(header):
                tally.problem(
                    start,
                    ParseError(
                        f"{location_prefix(file=name, line=start)}row has {len(row)} cells; "
                        f"the header has {len(header)}"
                    ),
                )
                continue
            yield start, header, row


def _rows(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Iterator[tuple[int, Event]]:
    name = tally.file
    for start, header, row in table_rows(
        source, tally, _check_header, max_line_bytes=max_line_bytes
    ):
        try:
            yield start, record_to_event(row_to_record(header, row, name, start), name, start)
        except RelationsError as e:
            tally.problem(start, e)


@overload
def read_csv(
    source: PathOrFile,
    *,
    errors: ErrorPolicy = ...,
    progress: Progress | None = ...,
    on_error: Callable[[ReadIssue], object] | None = ...,
    max_line_bytes: int = ...,
    report: Literal[False] = ...,
) -> Timeline: ...
@overload
def read_csv(
    source: PathOrFile,
    *,
    errors: ErrorPolicy = ...,
    progress: Progress | None = ...,
    on_error: Callable[[ReadIssue], object] | None = ...,
    max_line_bytes: int = ...,
    report: Literal[True],
) -> tuple[Timeline, ReadReport]: ...
def read_csv(
    source: PathOrFile,
    *,
    errors: ErrorPolicy = "raise",
    progress: Progress | None = None,
    on_error: Callable[[ReadIssue], object] | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
    report: bool = False,
) -> Timeline | tuple[Timeline, ReadReport]:
    """Read a CSV file in the layout of :data:`COLUMNS` (see the module docs) into a Timeline.

    Arguments, errors and the report are as for :func:`relations.io.read_jsonl`; a row's
    location is the line it starts on. A bad header (unknown, repeated or missing columns)
    always raises: no row could be read without it.

    >>> import io
    >>> tl = read_csv(io.StringIO("when,kind,actors,title\\n2024-06,trade,RUS;PRK,Trade\\n"))
    >>> [(str(e.when), e.actors) for e in tl]
    [('2024-06', ('RUS', 'PRK'))]
    >>> read_csv(io.StringIO("when,kind,actors,title\\n2024,trade,RUS\\n"))
    Traceback (most recent call last):
    ...
    relations.errors.ParseError: <stream>:2: row has 3 cells; the header has 4
    """
    ensure_registered()  # files written from imported data name CAMEO regions
    tally = Tally(source_name(source), errors, progress, on_error)
    return finish(_rows(source, tally, max_line_bytes), tally, report=report)


def write_csv(
    events: Iterable[Event],
    target: PathOrFile,
    *,
    progress: Progress | None = None,
) -> int:
    """Write events as CSV in the layout of :data:`COLUMNS`; return how many were written.

    A path is written atomically (see :func:`relations.io.write_jsonl`).

    >>> import io
    >>> from relations import Event
    >>> buf = io.StringIO()
    >>> write_csv([Event("2024", "trade", ["RUS"], "Trade, 'goods'", id="t")], buf)
    1
    >>> print(buf.getvalue().splitlines()[1])
    1,t,2024,trade,RUS,"Trade, 'goods'",false,,,reported,,,,,,
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
