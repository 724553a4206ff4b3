"""A GDELT file read block by block through the Arrow CSV reader into a column-backed Timeline.

:func:`read_columns` is the fast path of :func:`relations.io.import_gdelt`: every block goes
through :func:`relations.io._gdelt_columns.convert`; the blocks' record columns become one
table, checked and ordered by :func:`relations._timeline.columns.from_table`. If any block
(or the table) needs the row-by-row reader, it returns None with the source rewound and
nothing counted, and the importer reads the file row by row, so every error, warning and line
number is that reader's.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations._frozen import FrozenMap
from relations._timeline.columns import Columns
from relations.events import Event, Source
from relations.io._chunks import Block, blocks
from relations.io._gdelt_columns import GdeltColumns, convert, lookups
from relations.io._lines import PathOrFile
from relations.io._report import PROGRESS_EVERY, Tally
from relations.when import When

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["block_columns", "cells_per_row", "read_columns"]


def cells_per_row(block: Block) -> int:
    """The number of tab-separated cells on the block's first non-blank line (0 if none).

    >>> cells_per_row(Block(b"\\na\\tb\\tc\\n", 1))
    3
    """
    for line in block.data.split(b"\n", 8):
        if line.strip():
            return line.count(b"\t") + 1
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


def block_columns(
    f: IO[bytes], name: str, max_line_bytes: int
) -> Iterator[tuple[Block, GdeltColumns | None]]:
    """Each block of a GDELT file with its columns (None: read that block row by row)."""
    cache = lookups()
    for block in blocks(f, name, max_line_bytes):
        if block.error is None and not block.data.strip():
            yield block, None  # only blank lines: nothing to convert
            continue
        if block.error is not None:
            yield block, None
            continue
        whole = convert(block, cells_per_row(block), cache, max_line_bytes)
        runs = uniform_runs(block) if whole is None else []
        if len(runs) < 2:  # one layout throughout
            yield block, whole
            continue
        for part, cells in runs:  # layouts mixed (GDELT 1.0 backfile and daily rows)
            yield part, convert(part, cells, cache, max_line_bytes)


def _binary(source: PathOrFile) -> tuple[IO[bytes], bool] | None:
    """The source as a binary file positioned at its start, and whether to close it; None
    for a file that cannot be rewound (the row-by-row reader reads it)."""
    if isinstance(source, str | os.PathLike):
        try:
            return open(source, "rb"), True  # closed by the caller
        except OSError:
            return None  # the row-by-row reader reports it
    if isinstance(source, io.TextIOBase):
        return None
    try:
        if not source.seekable():
            return None
        if not isinstance(source.read(0), bytes):
            return None
    except (AttributeError, OSError, ValueError):
        return None
    return source, False  # type: ignore[return-value]  # a binary file, checked above


def crossed(before: int, after: int) -> bool:
    """True when a progress report is due (every ``PROGRESS_EVERY`` records, as Tally does).

    >>> crossed(0, PROGRESS_EVERY - 1), crossed(PROGRESS_EVERY - 1, PROGRESS_EVERY)
    (False, True)
    """
    return after // PROGRESS_EVERY > before // PROGRESS_EVERY


class ImportedColumns(Columns):
    """A column-backed root whose events carry every imported field (measures, sources,
    extra, location, direction): the checked columns of ``from_table`` (the five required
    fields: order, indexes, day columns) plus ``full``, the whole record table in file order,
    and ``perm``, the file row of each timeline position; an event is built from its row the
    first time it is touched."""

    __slots__ = ("full", "perm")

    full: pa.Table
    perm: np.ndarray[Any, Any]

    @classmethod
    def extend(cls, base: Columns, full: pa.Table, perm: np.ndarray[Any, Any]) -> ImportedColumns:
        """``base`` (from ``from_table``) with the whole table ``full`` and its order ``perm``."""
        new = object.__new__(cls)
        for klass in type(base).__mro__:
            for name in getattr(klass, "__slots__", ()):
                if hasattr(base, name):
                    object.__setattr__(new, name, getattr(base, name))
        new.full = full
        new.perm = perm
        return new

    def event(self, pos: int) -> Event:
        """The event at ``pos``, built from its row the first time it is asked for."""
        e = self._built[pos]
        if e is None:
            e = self._built[pos] = _events(self.full.slice(int(self.perm[pos]), 1))[0]
        return e

    def events(self) -> tuple[Event, ...]:
        """Every event, in order (the ones not built yet are built in bulk, and kept)."""
        built = self._built
        missing = [i for i, e in enumerate(built) if e is None]
        if missing:
            rows = self.perm[np.array(missing, dtype=np.int64)]
            fresh = _events(self.full.take(pa.array(rows)))
            for i, e in zip(missing, fresh, strict=True):
                built[i] = e
        return tuple(cast(list[Event], built))


def _events(t: pa.Table) -> list[Event]:
    """The events of rows of an imported record table (values checked when imported)."""
    whens: dict[str, When] = {}
    stamps: dict[str, When] = {}
    out = []
    cols = [t.column(c).to_pylist() for c in _FIELDS]
    for i, w, k, a, title, d, loc, m, src, x in zip(*cols, strict=True):
        when = whens.get(w)
        if when is None:
            when = whens[w] = When.parse(w)
        optional: dict[str, Any] = {
            "extra": FrozenMap._trusted({key: v for key, v in x.items() if v is not None})
        }
        if d:
            optional["directed"] = True
        if loc is not None:
            optional["location"] = loc
        if src:
            s = src[0]
            p = s["published"]
            published = None
            if p is not None:
                published = stamps.get(p)
                if published is None:
                    published = stamps[p] = When.parse(p)
            optional["sources"] = (Source(s["publisher"], url=s["url"], published=published),)
        measures = {key: v for key, v in m.items() if v is not None}
        if measures:
            optional["measures"] = FrozenMap._trusted(measures)
        out.append(Event._trusted(when, k, tuple(a), title, i, optional))
    return out


_FIELDS = (
    "id",
    "when",
    "kind",
    "actors",
    "title",
    "directed",
    "location",
    "measures",
    "sources",
    "extra",
)


def _ordered(table: pa.Table) -> ImportedColumns | None:
    """The record table checked and ordered by ``from_table`` (its five required fields),
    with the whole table in the same order; None if ``from_table`` refuses it."""
    from relations._timeline.columns import from_table

    base = from_table(table.select(list(_FIELDS[:5])))
    if base is None:
        return None
    ids = table.column("id")
    id_order = pc.sort_indices(ids).to_numpy()
    id_rank = np.empty(len(id_order), dtype=np.int64)
    id_rank[id_order] = np.arange(len(id_order), dtype=np.int64)
    # from_table's order is (lo, hi, id): the same sort of this table's own days gives it
    enc = pc.dictionary_encode(table.column("when")).combine_chunks()
    days = [When.parse(w) for w in enc.dictionary.to_pylist()]
    codes = enc.indices.to_numpy(zero_copy_only=False)
    lo_all = np.array([w.lo for w in days], dtype=np.int64)[codes]
    hi_all = np.array([w.hi for w in days], dtype=np.int64)[codes]
    order = np.lexsort((id_rank, hi_all, lo_all))
    ids_in_order = pc.take(ids, pa.array(order))
    if not pc.all(pc.equal(ids_in_order, base.table.column("id"))).as_py():
        return None
    return ImportedColumns.extend(base, table.combine_chunks(), order)


def read_columns(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """The file as a column-backed Timeline, or None (see the module documentation)."""
    from relations.io._coded_timeline import read_columns as read

    return read(source, tally, max_line_bytes, block_columns)


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
    return _ordered(kept)
