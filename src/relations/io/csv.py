"""CSV reading, in the flat layout of :mod:`relations.formats.csv` (the columns, the cells).

Writing is :func:`relations.formats.csv.write_csv`, re-exported here with the layout's
:data:`COLUMNS`; every event written reads back unchanged (see the layout's notes).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import IO

from relations.errors import ParseError, RelationsError, location_prefix
from relations.events import Event
from relations.formats.csv import COLUMNS, check_header, row_to_record, write_csv
from relations.formats.csv import event_to_row as event_to_row  # re-exported
from relations.io._contract import reader
from relations.io._lines import MAX_LINE_BYTES, PathOrFile, numbered_lines, open_source
from relations.io._report import Tally
from relations.io.jsonl import record_to_event

__all__ = ["COLUMNS", "read_csv", "write_csv"]


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


@reader
def read_csv(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Iterator[tuple[int, Event]]:
    """Read a CSV file in the layout of :data:`COLUMNS` (see :mod:`relations.formats.csv`) into a Timeline.

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
    name = tally.file
    for start, header, row in table_rows(
        source, tally, check_header, max_line_bytes=max_line_bytes
    ):
        try:
            yield start, record_to_event(row_to_record(header, row, name, start), name, start)
        except RelationsError as e:
            tally.problem(start, e)
