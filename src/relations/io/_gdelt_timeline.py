"""A GDELT file read block by block through the Arrow CSV reader into a column-backed Timeline.

:func:`read_columns` is the fast path of :func:`relations.io.import_gdelt`: every block goes
through :func:`relations.io._gdelt_columns.convert`; the blocks' record columns become one
table, checked and ordered by :func:`relations._timeline.columns.from_table`. If any block
(or the table) needs the row-by-row reader, it returns None with the source rewound and
nothing counted, and the importer reads the file row by row, so every error, warning and line
number is that reader's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations.io._chunks import Block, blocks
from relations.io._coded_columns import in_order
from relations.io._coded_timeline import ImportedColumns, blank_block, ordered
from relations.io._coded_timeline import read_columns as read_block_columns
from relations.io._gdelt_columns import GdeltColumns, convert, lookups
from relations.io._lines import PathOrFile
from relations.io._report import Tally

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["block_columns", "cells_per_row", "read_columns"]


def cells_per_row(block: Block, *, last: bool = False) -> int:
    """The number of tab-separated cells on the block's first (or ``last``) non-blank line
    (0 if none).

    >>> cells_per_row(Block(b"\\na\\tb\\tc\\n", 1)), cells_per_row(Block(b"a\\nb\\tc\\n\\n", 1), last=True)
    (3, 2)
    """
    data = block.data
    if last:
        end = len(data)
        while end > 0:  # line by line from the end
            start = data.rfind(b"\n", 0, end) + 1
            line = data[start:end]
            if line.strip():
                return line.count(b"\t") + 1
            end = start - 1
        return 0
    start = 0
    while start < len(data):  # line by line, without splitting (copying) the whole block
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end]
        if line.strip():
            return line.count(b"\t") + 1
        start = end + 1
    return 0


def uniform_runs(block: Block) -> list[tuple[Block, int]]:
    """The block cut where the number of cells per line changes (GDELT files may mix the
    57-, 58- and 61-column layouts): ``(part, cells per row)``; blank lines go with the part
    before them.

    >>> [(b.first, b.data, n) for b, n in uniform_runs(Block(b"a\\tb\\nc\\td\\n\\ne\\n", 4))]
    [(4, b'a\\tb\\nc\\td\\n\\n', 2), (7, b'e\\n', 1)]
    """
    data = block.data
    arr = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    if not len(data) or data[-1:] != b"\n":
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1] + 1))
    tabs = np.flatnonzero(arr == 9)
    counts = np.searchsorted(tabs, ends) - np.searchsorted(tabs, starts) + 1
    blank = (ends - starts) == 0
    if blank.all():
        return [(block, 0)]
    # a blank line takes the count of the line before it (the first non-blank one at the start)
    idx = np.where(blank, 0, np.arange(len(counts)))
    idx = np.maximum.accumulate(idx)
    counts = counts[idx]
    first_real = int(np.flatnonzero(~blank)[0])
    counts[:first_real] = counts[first_real]
    cuts = np.flatnonzero(counts[1:] != counts[:-1]) + 1
    if not len(cuts):
        return [(block, int(counts[0]))]
    out = []
    bounds = [0, *cuts.tolist(), len(counts)]
    for a, b in itertools.pairwise(bounds):
        lo = int(starts[a])
        hi = int(ends[b - 1]) + 1 if b - 1 < len(ends) else len(data)
        out.append((Block(data[lo:hi], block.first + a), int(counts[a])))
    return out


#: Blocks converted at a time, on worker threads (the Arrow reader, Arrow's kernels and numpy
#: release the GIL, so on two cores two blocks overlap); at most one more is read ahead.
WORKERS = 2


def _converted(
    block: Block, cache: Any, max_line_bytes: int
) -> list[tuple[Block, GdeltColumns | None]]:
    """The block's columns (None: read it row by row), cut where the layout changes."""
    if blank_block(block) or block.error is not None:
        return [(block, None)]  # nothing to convert, or a line too long: the row reader's
    cells = cells_per_row(block)
    same = cells == cells_per_row(block, last=True)  # else layouts mixed: no whole attempt
    whole = convert(block, cells, cache, max_line_bytes) if same else None
    runs = uniform_runs(block) if whole is None else []
    if len(runs) < 2:  # one layout throughout
        return [(block, whole)]
    # layouts mixed (GDELT 1.0 backfile and daily rows)
    return [(part, convert(part, cells, cache, max_line_bytes)) for part, cells in runs]


def block_columns(
    f: IO[bytes], name: str, max_line_bytes: int
) -> Iterator[tuple[Block, GdeltColumns | None]]:
    """Each block of a GDELT file with its columns (None: read that block row by row), in
    file order; the file is read in the caller's thread, the blocks converted on
    :data:`WORKERS` threads."""
    cache = lookups()

    def one(block: Block) -> list[tuple[Block, GdeltColumns | None]]:
        return _converted(block, cache, max_line_bytes)

    for _, parts in in_order(blocks(f, name, max_line_bytes), one, WORKERS):
        yield from parts


def read_columns(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """The file as a column-backed Timeline, or None (see the module documentation)."""
    return read_block_columns(source, tally, max_line_bytes, block_columns)


_COUNTS = ("articles", "mentions", "sources")
_DIGITS = r"^[0-9]{1,18}$"


def dedupe(columns: ImportedColumns) -> ImportedColumns | None:
    """:func:`relations.io.gdelt.dedupe_gdelt`'s rule on the columns (one group by); None
    when the ids are not all GDELT's numbers (the event-by-event rule decides then)."""
    t = columns.full
    x, m = t.column("extra"), t.column("measures")
    raw = pc.struct_field(x, "source_event_id")
    if not pc.all(pc.match_substring_regex(raw, _DIGITS)).as_py():
        return None
    t = t.take(pc.sort_indices(pc.cast(raw, pa.int64())))  # first report first
    x, m = t.column("extra"), t.column("measures")

    def zeroed(a: Any) -> Any:
        return pc.add(a, 0.0)  # -0.0 and 0.0 are one place, as for Python's ==

    keys = pa.table(
        {
            "when": t.column("when"),
            "a1": pc.struct_field(x, "actor1_code"),
            "a2": pc.struct_field(x, "actor2_code"),
            "actors": pc.binary_join(t.column("actors"), "\x1f"),
            "cameo": pc.struct_field(x, "cameo"),
            "location": t.column("location"),
            "lat": zeroed(pc.struct_field(m, "latitude")),
            "lon": zeroed(pc.struct_field(m, "longitude")),
            "row": pa.array(np.arange(t.num_rows, dtype=np.int64)),
            **{c: pc.struct_field(m, c) for c in _COUNTS},
        }
    )
    g = keys.group_by(
        ["when", "a1", "a2", "actors", "cameo", "location", "lat", "lon"], use_threads=False
    ).aggregate([("row", "min"), ("row", "count"), *((c, "max") for c in _COUNTS)])
    kept = t.take(g.column("row_min"))
    reports = g.column("row_count").combine_chunks()
    mk = kept.column("measures").combine_chunks()
    fields = {f.name: mk.field(f.name) for f in mk.type}
    for c in _COUNTS:
        fields[c] = g.column(f"{c}_max").combine_chunks()
    xk = kept.column("extra").combine_chunks()
    extra = {f.name: xk.field(f.name) for f in xk.type}
    extra["gdelt_reports"] = pc.if_else(
        pc.greater(reports, 1), pc.cast(reports, pa.string()), pa.scalar(None, pa.string())
    )
    names = sorted(extra)
    kept = kept.set_column(
        kept.schema.get_field_index("measures"),
        "measures",
        pa.StructArray.from_arrays(list(fields.values()), names=list(fields)),
    )
    kept = kept.set_column(
        kept.schema.get_field_index("extra"),
        "extra",
        pa.StructArray.from_arrays([extra[n] for n in names], names=names),
    )
    return ordered(kept)
