"""A coded-event file read block by block through the Arrow CSV reader into a Timeline.

:func:`read_columns` is the fast path of the importers that have one (GDELT, ICEWS, ACLED): the
blocks' record columns (from the dataset's ``block_columns``) become one table, checked and
ordered by :func:`relations._timeline.columns.from_table`. If any block (or the table)
needs the row-by-row reader, it returns None with the source rewound and nothing counted,
and the importer reads the file row by row, so every error, warning and line number is that
reader's.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations._frozen import FrozenMap
from relations._timeline.columns import Columns
from relations.events import Event, Source
from relations.io._chunks import Block
from relations.io._lines import PathOrFile
from relations.io._report import PROGRESS_EVERY, Tally
from relations.quantities import Quantity
from relations.when import When

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = [
    "BlockColumns",
    "ImportedColumns",
    "binary_source",
    "blank_block",
    "crossed",
    "ordered",
    "read_columns",
]


def binary_source(source: PathOrFile) -> tuple[IO[bytes], bool] | None:
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


def blank_block(block: Block) -> bool:
    """True for a block of blank lines only (and no error).

    >>> blank_block(Block(b" \\n\\n", 1)), blank_block(Block(b"\\nx\\n", 1))
    (True, False)
    """
    data = block.data
    return block.error is None and (not data or data.isspace())


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

    def value_names(self) -> tuple[list[str], list[str]]:
        """The quantity and measure names: from ``full`` (``table`` holds the five checked
        fields only)."""
        out = []
        for column in ("quantities", "measures"):
            t = self.full.schema.field(column).type if column in self.full.column_names else None
            out.append(sorted(f.name for f in t) if t is not None and pa.types.is_struct(t) else [])
        return out[0], out[1]

    def _struct_field(self, column: str, name: str) -> pa.Array | bool | None:
        """Field ``name`` of struct column ``column`` of ``full``, in file order (the rows of
        ``from_table``'s table: the caller puts it in timeline order with ``_perm``)."""
        if column not in self.full.column_names:
            return False
        t = self.full.schema.field(column).type
        if not pa.types.is_struct(t):
            return None
        if t.get_field_index(name) < 0:
            return False
        return cast(pa.Array, pc.struct_field(self.full.column(column).combine_chunks(), name))

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
    """The events of rows of an imported record table (values checked when imported); the
    optional ``summary`` and ``quantities`` columns are read when the table has them."""
    whens: dict[str, When] = {}
    stamps: dict[str, When] = {}
    amounts: dict[tuple[Any, ...], Quantity] = {}
    out = []
    n = t.num_rows
    cols = [t.column(c).to_pylist() for c in _FIELDS]
    more = [t.column(c).to_pylist() if c in t.column_names else [None] * n for c in _MORE_FIELDS]
    for i, w, k, a, title, d, loc, m, src, x, summary, q in zip(*cols, *more, strict=True):
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
        if summary:
            optional["summary"] = summary
        if q is not None:
            quantities = _quantities(q, amounts)
            if quantities:
                optional["quantities"] = quantities
        if src:
            optional["sources"] = tuple(_source(s, stamps) for s in src)
        measures = {key: v for key, v in m.items() if v is not None}
        if measures:
            optional["measures"] = FrozenMap._trusted(measures)
        out.append(Event._trusted(when, k, tuple(a), title, i, optional))
    return out


def _source(s: dict[str, Any], stamps: dict[str, When]) -> Source:
    p = s["published"]
    published = None
    if p is not None:
        published = stamps.get(p)
        if published is None:
            published = stamps[p] = When.parse(p)
    return Source(s["publisher"], url=s["url"], published=published)


def _quantities(
    q: dict[str, Any], amounts: dict[tuple[Any, ...], Quantity]
) -> FrozenMap[str, Quantity]:
    """A row's quantities (struct fields ``unit``, ``value``, ``low``, ``high``,
    ``approximate``), each distinct one made once."""
    out = {}
    for name, parts in q.items():
        if parts is None:
            continue
        key = tuple(parts.items())
        amount = amounts.get(key)
        if amount is None:
            amount = amounts[key] = Quantity.from_dict(
                {f: v for f, v in parts.items() if v is not None}, name=name
            )
        out[name] = amount
    return FrozenMap(out)


# the record's fields an import gives: the five from_table checks, then the optional ones
_CHECKED = ("id", "when", "kind", "actors", "title")
_FIELDS = (*_CHECKED, "directed", "location", "measures", "sources", "extra")
_MORE_FIELDS = ("summary", "quantities")
# optional fields a key reads from from_table's columns (relations.keys: directed_dyad)
_KEYED = ("directed",)


def ordered(table: pa.Table) -> ImportedColumns | None:
    """The record table checked and ordered by ``from_table`` (its five required fields and
    ``directed``, which the key columns read), with the whole table (in file order) and each
    timeline position's file row; None if ``from_table`` refuses it."""
    from relations._timeline.columns import from_table

    keys = [*_CHECKED, *(c for c in _KEYED if c in table.column_names)]
    base = from_table(table.select(keys))
    if base is None:
        return None
    # from_table keeps the rows where they are: its order is each position's file row.
    return ImportedColumns.extend(base, table, base.row_order())


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

    opened = binary_source(source)
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
                if blank_block(block):
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
        columns = ordered(table)
        if columns is None:
            f.seek(start)
            return None
        tally.records += rows
        return Timeline._from_columns(columns)
    finally:
        if close:
            f.close()
