"""CSV reading, in either layout of :mod:`relations.formats.csv` (canonical or flat), with an
optional mapping of your own column names.

Writing is :func:`relations.formats.csv.write_csv`, re-exported here with the layout's
:data:`COLUMNS`; every event written reads back unchanged (see the layout's notes). The
mapping step (:func:`relations.formats.csv.map_header`) renames the header before it is
checked; the cells are decoded by :func:`relations.formats.csv.row_to_record`, the one place
that knows the layouts.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Literal, overload

from relations.errors import ParseError, RelationsError, location_prefix
from relations.events import Event
from relations.formats.csv import COLUMNS, check_header, map_header, row_to_record, write_csv
from relations.formats.csv import event_to_row as event_to_row  # re-exported
from relations.io._contract import ReadOptions, reader
from relations.io._lines import MAX_LINE_BYTES, PathOrFile, numbered_lines, open_source
from relations.io._report import ReadReport, Tally
from relations.io.jsonl import record_to_event

__all__ = ["COLUMNS", "read_csv", "write_csv"]

if TYPE_CHECKING:
    from typing import Unpack

    from relations._timeline import Timeline


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


@overload
def read_csv(
    source: PathOrFile,
    *,
    columns: Mapping[str, str | None] | None = ...,
    report: Literal[False] = ...,
    **options: Unpack[ReadOptions],
) -> Timeline: ...
@overload
def read_csv(
    source: PathOrFile,
    *,
    columns: Mapping[str, str | None] | None = ...,
    report: Literal[True],
    **options: Unpack[ReadOptions],
) -> tuple[Timeline, ReadReport]: ...
def read_csv(
    source: PathOrFile,
    *,
    columns: Mapping[str, str | None] | None = None,
    report: bool = False,
    **options: Unpack[ReadOptions],
) -> Timeline | tuple[Timeline, ReadReport]:
    """Read a CSV file in either layout of :mod:`relations.formats.csv` into a Timeline.

    The canonical layout (:data:`COLUMNS`) and the flat one (``write_csv(..., layout="flat")``)
    are both read, the columns in any order. ``columns`` maps your own column names to the
    layout's (``{"date": "when", "actor1": "actors", "actor2": "actors"}``): several columns
    mapped to ``actors``, ``claimed_by``, ``tags`` or ``links`` are joined in order, and a column
    mapped to ``None`` is dropped on purpose. Any other unknown column is an error, never
    silently lost. A cell written with a leading apostrophe against formulas reads back without it.

    The other arguments, errors and the report are as for :func:`relations.io.read_jsonl`; a
    row's location is the line it starts on. A bad header (unknown, repeated or missing
    columns) always raises: no row could be read without it.

    >>> import io
    >>> tl = read_csv(io.StringIO("when,kind,actors,title\\n2024-06,trade,RUS;PRK,Trade\\n"))
    >>> [(str(e.when), e.actors) for e in tl]
    [('2024-06', ('RUS', 'PRK'))]
    >>> read_csv(io.StringIO("when,kind,actors,title\\n2024,trade,RUS\\n"))
    Traceback (most recent call last):
    ...
    relations.errors.ParseError: <stream>:2: row has 3 cells; the header has 4
    >>> mine = "date,type,actor1,actor2,headline,notes\\n2024-06-19,agreement,RUS,PRK,Treaty,x\\n"
    >>> tl = read_csv(io.StringIO(mine), columns={"date": "when", "type": "kind",
    ...     "actor1": "actors", "actor2": "actors", "headline": "title", "notes": None})
    >>> [(str(e.when), e.actors, e.title) for e in tl]
    [('2024-06-19', ('RUS', 'PRK'), 'Treaty')]
    """
    mapping = dict(columns or {})

    def rows(src: PathOrFile, tally: Tally, max_bytes: int) -> Iterator[tuple[int, Event]]:
        return _read_rows(src, tally, max_bytes, mapping)

    rows.__name__ = rows.__qualname__ = "read_csv"
    read = reader(rows)
    return read(source, report=True, **options) if report else read(source, **options)


def _read_rows(
    source: PathOrFile, tally: Tally, max_line_bytes: int, mapping: Mapping[str, str | None]
) -> Iterator[tuple[int, Event]]:
    name = tally.file
    keep: list[int] | None = None

    def header_of(header: list[str], file: str, n: int) -> list[str]:
        nonlocal keep
        if mapping:
            renamed, kept = map_header(header, mapping, file, n)
            checked = check_header(renamed, file, n)
            if len(kept) < len(header):
                keep = kept
                # table_rows checks row lengths against the header it gets back
                return [checked[kept.index(i)] if i in kept else "" for i in range(len(header))]
            return checked
        return check_header(header, file, n)

    for start, header, row in table_rows(source, tally, header_of, max_line_bytes=max_line_bytes):
        if keep is not None:
            header = [header[i] for i in keep]
            row = [row[i] for i in keep]
        try:
            yield start, record_to_event(row_to_record(header, row, name, start), name, start)
        except RelationsError as e:
            tally.problem(start, e)
