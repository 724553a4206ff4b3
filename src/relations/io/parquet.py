"""Parquet in the columnar layout, both directions: :func:`read_parquet` and :func:`to_parquet`.

Writing is :func:`relations.formats.parquet.to_parquet` (re-exported here). Reading takes a
file, a folder (every ``*.parquet`` below it, e.g. the ``year=YYYY/`` partitions that
``partition_by="year"`` writes) or a glob, refuses a layout newer than this library knows
(:class:`~relations.errors.UnsupportedLayout`, naming the file and the version), and builds a
column-backed Timeline, with no Event built until one is asked for, whenever the records pass
the column-wise checks; otherwise it reads row by row under the ``errors=`` policy, each
problem located as ``file:row`` (rows counted from 1 in each file).

>>> import pytest; _ = pytest.importorskip("pyarrow")
>>> import tempfile, pathlib
>>> from relations import Event, timeline
>>> tl = timeline.of(Event("2024-06~", "trade", ["RUS", "PRK"], "Trade", id="t"))
>>> path = pathlib.Path(tempfile.mkdtemp()) / "events.parquet"
>>> to_parquet(tl, path)
1
>>> read_parquet(path) == tl
True
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from relations.errors import ParseError, RelationsError, location_prefix
from relations.events import Event
from relations.formats.layout import check_version, record_schema
from relations.formats.parquet import to_parquet
from relations.io._columnar import columnar_timeline, is_engine_column, record_columns
from relations.io._contract import reader
from relations.io._lines import PathOrFile
from relations.io._pool import system_pool
from relations.io._report import PROGRESS_EVERY, Tally
from relations.record import decode_event

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["read_parquet", "to_parquet"]

_DERIVED = frozenset({"earliest", "latest", "lo", "hi", "precision"})
_JSON = frozenset({"quantities", "measures", "sources", "extra"})


def parquet_files(source: PathOrFile) -> list[Any]:
    """The files ``source`` names: itself, the ``*.parquet`` files below a folder, or a glob's
    matches (sorted); an open file is itself. FileNotFoundError when a glob matches nothing."""
    if not isinstance(source, str | os.PathLike):
        return [source]
    path = os.fspath(source)
    if os.path.isdir(path):  # (an empty folder: the partitions of no events)
        return sorted(
            os.path.join(d, f)
            for d, _, fs in os.walk(path)
            for f in fs
            if f.endswith(".parquet") and not f.startswith(".")
        )
    if glob.has_magic(path):
        found = sorted(glob.glob(path, recursive=True))
    else:
        return [path]
    if not found:
        raise FileNotFoundError(f"{path}: no Parquet file found")
    return found


def _name(f: Any) -> str:
    if isinstance(f, str):
        return f
    name = getattr(f, "name", None)
    return name if isinstance(name, str) else "<stream>"


def _read(f: Any, *, derived: bool = True) -> pa.Table:
    """One file's record columns (the derived ones too unless ``derived`` is False; never the
    engine columns), its layout version checked first."""
    # ParquetFile, not read_table: no dataset machinery (whose import alone pulls in pandas),
    # and no Hive partition column added from a year=YYYY folder name.
    pf = pq.ParquetFile(f)
    schema = pf.schema_arrow
    check_version(schema, _name(f))
    keep = [c for c in schema.names if not is_engine_column(c) and (derived or c not in _DERIVED)]
    return pf.read(columns=keep)


# Optional record columns not read when the file's statistics say each row holds null or
# this default (the record then has no such field). The list columns are always read: an
# empty list and a list of one null look alike in the statistics.
_SKIPPABLE: dict[str, object] = {
    "directed": False,
    "status": "reported",
    "summary": "",
    "location": None,
    "quantities": None,
    "measures": None,
    "sources": None,
    "extra": None,
}


def _all_default(meta: pq.FileMetaData, index: int, default: object) -> bool:
    """True if the statistics of leaf column ``index`` say each row is null or ``default``."""
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        stats = group.column(index).statistics
        if stats is None or not stats.has_null_count:
            return False
        if stats.null_count == group.num_rows:
            continue
        if default is None or not stats.has_min_max or not stats.min == stats.max == default:
            return False
    return True


def _needed(pf: pq.ParquetFile) -> list[str]:
    """The columns of ``pf`` the column path reads: the record columns but the derived ones
    and those each row of which is null or the default, and the engine columns of
    ``quantities``/``measures`` when those are read (relations.io._columnar uses them once
    checked against the text)."""
    meta = pf.metadata
    names = pf.schema_arrow.names
    schema = pf.schema_arrow
    leaves = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
    types = record_schema()
    skip = {
        c
        for c, default in _SKIPPABLE.items()
        if c in leaves
        and schema.get_field_index(c) >= 0  # (-1: a name twice; the row path says why)
        and schema.field(c).type == types.field(c).type
        and _all_default(meta, leaves[c], default)
    }
    keep = [c for c in names if c not in _DERIVED and c not in skip and not is_engine_column(c)]
    engine = tuple(
        p for c, p in (("quantities", "quantity."), ("measures", "measure.")) if c in keep
    )
    # (an engine column of nulls only is not read: a missing one is taken as nulls, which
    # the check against the text confirms)
    return keep + [
        c
        for c in names
        if engine
        and c.startswith(engine)
        and not (c in leaves and _all_default(meta, leaves[c], None))
    ]


def _concat(tables: list[pa.Table]) -> pa.Table | None:
    """The files' tables as one: without the engine columns if those differ; None if the
    record columns differ."""
    if len(tables) == 1:
        return tables[0]
    try:
        return pa.concat_tables(tables)
    except (pa.ArrowException, ValueError):
        pass
    try:
        return pa.concat_tables([record_columns(t) for t in tables])
    except (pa.ArrowException, ValueError):
        return None


def read_columns(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """Every file read into columns and checked column-wise, or None (then row by row)."""
    files = parquet_files(source)
    if not files:
        return None
    with system_pool():  # (the pages the reader freed are given back: see io/_pool.py)
        files_columns = []
        for f in files:
            # (the dates and kinds as the file's dictionaries: from_table takes their
            # distinct values from them instead of encoding a million texts; a column of
            # numbers is read as it is)
            try:
                pf = pq.ParquetFile(f, read_dictionary=["when", "kind"], pre_buffer=True)
            except KeyError:  # (no such column, or a nested one: the row path says why)
                if not isinstance(f, str):
                    f.seek(0)
                return None
            check_version(pf.schema_arrow, _name(f))
            files_columns.append((f, pf, _needed(pf)))
        # Each file reads what any file needs (the tables then have the same columns).
        union = set().union(*(cols for _, _, cols in files_columns))
        tables = []
        for f, pf, _ in files_columns:
            tables.append(pf.read(columns=[c for c in pf.schema_arrow.names if c in union]))
            if not isinstance(f, str):
                f.seek(0)  # the row reader may read it again
        table = _concat(tables)
        del tables
        if table is None:
            return None
        tl = columnar_timeline(table)
        del table
    if tl is None:
        return None
    n = len(tl)
    for k in range(PROGRESS_EVERY, n + 1, PROGRESS_EVERY):
        tally.records = k - 1
        tally.record()
    tally.records = n
    return tl


def _record(row: dict[str, Any], name: str, n: int) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for k, v in row.items():
        if v is None or k in _DERIVED or is_engine_column(k):
            continue
        if k in _JSON and isinstance(v, str):
            try:
                v = json.loads(v)
            except ValueError as e:
                where = location_prefix(file=name, line=n, field=k)
                raise ParseError(f"{where}not valid JSON: {e}") from None
        d[k] = v
    return d


@partial(reader, columnar=read_columns)
def read_parquet(
    source: PathOrFile, tally: Tally, max_line_bytes: int
) -> Iterator[tuple[int, Event]]:
    """Read Parquet files of the columnar layout into a Timeline.

    Args:
        source: a path, a folder (its ``*.parquet`` files, partitions included), a glob
            (``"events/*.parquet"``), or an open binary file.
        errors: ``"raise"`` (default), ``"skip"`` or ``"collect"``, as for
            :func:`relations.io.read_jsonl`; a bad row is located as ``file:row``.
        progress, on_error, report: as for :func:`relations.io.read_jsonl`.
        max_line_bytes: not used (the reader's common signature).

    Returns:
        The Timeline, or ``(Timeline, ReadReport)`` with ``report=True``.

    Raises:
        UnsupportedLayout: a file of a layout version newer than this library reads.
        InvalidEvent, InvalidDate, ParseError: a bad row (under ``errors="raise"``).

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> import tempfile, pathlib
    >>> from relations import Event
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "e.parquet"
    >>> _ = to_parquet([Event("2024", "trade", ["RUS"], "Trade", id="t")], path)
    >>> [e.id for e in read_parquet(path)]
    ['t']
    """
    for f in parquet_files(source):
        name = _name(f)
        table = _read(f)
        for i, row in enumerate(table.to_pylist(), start=1):
            tally.record()
            try:
                yield i, decode_event(_record(row, name, i), name, i)
            except RelationsError as e:
                tally.problem(i, e)
