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
from relations.formats.layout import check_version
from relations.formats.parquet import to_parquet
from relations.io._columnar import columnar_timeline, is_engine_column
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


def read_columns(source: PathOrFile, tally: Tally, max_line_bytes: int) -> Timeline | None:
    """Every file read into columns and checked column-wise, or None (then row by row)."""
    files = parquet_files(source)
    if not files:
        return None
    with system_pool():  # (the pages the reader freed are given back: see io/_pool.py)
        tables = []
        for f in files:
            tables.append(_read(f, derived=False))
            if not isinstance(f, str):
                f.seek(0)  # the row reader may read it again
        try:
            table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
        except (pa.ArrowException, ValueError):
            return None
        del tables
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
