"""A coded-event file read block by block through the Arrow CSV reader into a Timeline.

:func:`read_columns` is the fast path of the importers that have one (GDELT, ICEWS): the
blocks' record columns (from the dataset's ``block_columns``) become one table, checked and
ordered by :func:`relations._timeline.columns.from_table`. If any block (or the table)
needs the row-by-row reader, it returns None with the source rewound and nothing counted,
and the importer reads the file row by row, so every error, warning and line number is that
reader's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Protocol

import pyarrow as pa

from relations.io._chunks import Block
from relations.io._gdelt_timeline import _binary, _ordered, crossed
from relations.io._lines import PathOrFile
from relations.io._report import Tally

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["BlockColumns", "read_columns"]


class _Columns(Protocol):
    def record_table(self) -> pa.Table: ...


BlockColumns = Callable[[IO[bytes], str, int], "Iterator[tuple[Block, _Columns | None]] | None"]
"""A dataset's blocks with their columns (None for a block to read row by row), or None
for a file the row-by-row reader must read from its start."""


def read_columns(
    source: PathOrFile, tally: Tally, max_line_bytes: int, block_columns: BlockColumns
) -> Timeline | None:
    """The file as a column-backed Timeline, or None (see the module documentation)."""
    from relations._timeline import Timeline

    opened = _binary(source)
    if opened is None:
        return None
    f, close = opened
    start = f.tell()
    try:
        pairs = block_columns(f, tally.file, max_line_bytes)
        if pairs is None:
            f.seek(start)
            return None
        tables = []
        rows = 0
        for block, cols in pairs:
            if cols is None:
                if block.error is None and not block.data.strip():
                    continue
                f.seek(start)
                return None
            table = cols.record_table()
            rows += table.num_rows
            if tally.progress is not None and crossed(rows - table.num_rows, rows):
                tally.progress(rows)
            tables.append(table)
        if not tables:
            f.seek(start)
            return None
        table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
        columns = _ordered(table)
        if columns is None:
            f.seek(start)
            return None
        tally.records += rows
        return Timeline._from_columns(columns)
    finally:
        if close:
            f.close()
