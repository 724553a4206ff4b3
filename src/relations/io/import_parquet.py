"""Import coded event data straight to Parquet in the columnar layout, in bounded memory.

:func:`import_to_parquet` reads a GDELT, ICEWS, ACLED or PLOVER file a block at a time and
writes each block as a record batch with ``pyarrow.parquet.ParquetWriter``; it never holds
the whole file (memory is bounded by the few blocks in flight: 8 MiB of input each and
their columns; a batch is written on a worker thread while the next is made). GDELT
and ICEWS blocks go through the Arrow CSV reader and are mapped column-wise (no Event per row); a
block the fast path cannot vouch for, and the other datasets, are read row by row and
written ``BATCH_EVENTS`` events at a time. Errors, the ``errors=`` policy, line numbers and
the report are the importer's own.

The output replaces ``out`` atomically: a temporary file (or folder) beside it, renamed when
complete. With ``partition_by="year"`` ``out`` is a folder of ``year=YYYY/part-N.parquet``
files (Hive partitioning, by the year of each event's earliest day; events without one go
to ``year=__HIVE_DEFAULT_PARTITION__``), which DuckDB, polars and Spark read as one table.

Unlike the in-memory import, ids repeated in *different* blocks are not detected (that would
need every id in memory), and GDELT's ``dedupe`` is not applied: both are one query away
on the written table.

>>> import io, pathlib, tempfile
>>> import pyarrow.parquet as pq
>>> row = "\\t".join(["1", "20240619", "202406", "2024", "2024.4658", "RUS", "RUSSIA", "RUS"]
...                  + [""] * 7 + ["PRK", "NORTH KOREA", "PRK"] + [""] * 7
...                  + ["1", "057", "057", "05", "1", "8.0", "4", "2", "4", "1.5"]
...                  + [""] * 21 + ["20240620", "https://www.example.org/treaty"])
>>> out = pathlib.Path(tempfile.mkdtemp()) / "events.parquet"
>>> import_to_parquet(io.BytesIO(row.encode() + b"\\n"), out, format="gdelt")
ReadReport(file='<stream>', records=1, loaded=1, skipped=0, issues=(), duplicates=0)
>>> t = pq.read_table(out)
>>> t.column("kind")[0].as_py(), t.column("measure.goldstein")[0].as_py(), t.column("target")[0].as_py()
('agreement', 8.0, 'PRK')
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from relations.errors import RelationsError
from relations.events import Event
from relations.formats.atomic import PathOrFile
from relations.io._actors import ensure_registered
from relations.io._chunks import Block, block_lines
from relations.io._contract import unique
from relations.io._lines import MAX_LINE_BYTES, counted, open_source, source_name
from relations.io._report import ErrorPolicy, Progress, ReadIssue, ReadReport, Tally

__all__ = ["BATCH_EVENTS", "ImportFormat", "import_to_parquet"]

ImportFormat = Literal["gdelt", "icews", "acled", "plover"]
#: Events per written batch when a file is read row by row.
BATCH_EVENTS = 100_000


def import_to_parquet(
    source: PathOrFile,
    out: str | os.PathLike[str],
    *,
    format: ImportFormat,  # the CLI's --format
    partition_by: Literal["year"] | None = None,
    errors: ErrorPolicy = "raise",
    progress: Progress | None = None,
    on_error: Callable[[ReadIssue], object] | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> ReadReport:
    """Import ``source`` (a path or an open binary file) of ``format`` to Parquet at ``out``.

    Returns the import's :class:`~relations.io.ReadReport` (``loaded`` is the number of
    events written). See the module documentation for the layout, partitioning and memory.

    >>> import io, os, tempfile
    >>> from relations.io import read_parquet
    >>> acled = io.BytesIO(
    ...     b"event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,country,fatalities\\n"
    ...     b"UKR1,2024-12-18,1,Battles,Armed clash,Military Forces of North Korea,Russia,3\\n")
    >>> out = os.path.join(tempfile.mkdtemp(), "acled.parquet")
    >>> import_to_parquet(acled, out, format="acled").loaded
    1
    >>> [(str(e.when), e.actors, dict(e.measures)) for e in read_parquet(out)]
    [('2024-12-18', ('PRK',), {'fatalities': 3})]
    """
    if format not in ("gdelt", "icews", "acled", "plover"):
        raise ValueError(f"format must be gdelt, icews, acled or plover, not {format!r}")
    if partition_by not in (None, "year"):
        raise ValueError(f"partition_by must be None or 'year', not {partition_by!r}")
    ensure_registered()
    tally = Tally(source_name(source), errors, progress, on_error)
    if format == "gdelt":
        from relations.io._layout_batch import GDELT_MEASURES, layout_schema

        schema = layout_schema(GDELT_MEASURES)
        batches = _gdelt_batches(source, tally, max_line_bytes, schema)
    elif format == "icews":
        from relations.io._layout_batch import layout_schema
        from relations.io.icews import MEASURES

        schema = layout_schema(MEASURES)
        batches = _icews_batches(source, tally, max_line_bytes, schema)
    elif format == "acled":
        from relations.io._layout_batch import layout_schema
        from relations.io.acled import MEASURES as ACLED_MEASURES

        schema = layout_schema(ACLED_MEASURES, ["fatalities"])
        batches = _acled_batches(source, tally, max_line_bytes)
    else:
        schema, batches = _row_batches(format, source, tally, max_line_bytes)
    written = _write(batches, schema, os.fspath(out), partition_by)
    return tally.report(written, want_report=True)


def _gdelt_batches(
    source: PathOrFile, tally: Tally, max_line_bytes: int, schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    from relations.io._actors import NameIndex
    from relations.io._gdelt_timeline import block_columns
    from relations.io._layout_batch import from_gdelt
    from relations.io.gdelt import RowCache, row_to_event

    cache = RowCache(NameIndex())  # for the blocks read row by row
    with open_source(source) as f:
        if not isinstance(f.read(0), bytes):
            raise ValueError("import_to_parquet reads a path or a binary file")
        pairs = block_columns(f, tally.file, max_line_bytes)  # type: ignore[arg-type]
        yield from _stream(pairs, tally, max_line_bytes, schema, from_gdelt, row_to_event, cache)


def _icews_batches(
    source: PathOrFile, tally: Tally, max_line_bytes: int, schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    from relations.io import icews
    from relations.io._actors import NameIndex
    from relations.io._coded_layout import from_record
    from relations.io._icews_columns import header_and_blocks

    with open_source(source) as f:
        if not isinstance(f.read(0), bytes):
            raise ValueError("import_to_parquet reads a path or a binary file")
        start = f.tell() if f.seekable() else None

        def to_batch(cols: Any) -> pa.RecordBatch:
            return from_record(cols, icews.MEASURES)

        found = (
            None if start is None else header_and_blocks(f, tally.file, max_line_bytes, to_batch)  # type: ignore[arg-type]
        )
        if found is None:  # the row reader reads the header (and reports it)
            if start is not None:
                f.seek(start)
            yield from _row_batches("icews", f, tally, max_line_bytes)[1]
            return
        head, pairs = found
        parser = icews._Row(head.names, tally.file, NameIndex())

        def row_to_event(row: list[str], parser: Any, name: str, n: int) -> Event:
            return parser.event(row, n)  # type: ignore[no-any-return]

        # the batches are made in the worker threads, beside the reading
        yield from _stream(pairs, tally, max_line_bytes, schema, _as_is, row_to_event, parser)


def _acled_batches(
    source: PathOrFile, tally: Tally, max_line_bytes: int
) -> Iterator[pa.RecordBatch]:
    """ACLED's blocks as layout batches; from the first block the fast path refuses, the
    rest of the file is read row by row (a quoted cell may run on past a block's end, so a
    block is not read row by row on its own)."""
    from relations.io._acled_columns import header_and_blocks, layout_batch
    from relations.io._coded_timeline import blank_block, crossed

    with open_source(source) as f:
        if not isinstance(f.read(0), bytes):
            raise ValueError("import_to_parquet reads a path or a binary file")
        start = f.tell() if f.seekable() else None
        found = (
            None
            if start is None
            else header_and_blocks(f, tally.file, max_line_bytes, then=layout_batch)  # type: ignore[arg-type]
        )
        if found is None:  # the row reader reads the header (and reports it)
            if start is not None:
                f.seek(start)
            yield from _row_batches("acled", f, tally, max_line_bytes)[1]
            return
        pairs = found[1]
        for block, batch in pairs:
            if batch is None and blank_block(block):
                continue
            if batch is None and block.error is not None:  # a line too long: reported
                tally.record()
                tally.problem(block.first, block.error)
                continue
            if batch is None:
                pairs.close()  # type: ignore[attr-defined]  # (a generator)
                f.seek(start)  # type: ignore[arg-type]  # (not None: checked above)
                rest = _LinesFrom(f, block.first)  # type: ignore[arg-type]
                yield from _row_batches("acled", rest, tally, max_line_bytes)[1]  # type: ignore[arg-type]
                return
            before = tally.records
            tally.records += batch.num_rows
            if tally.progress is not None and crossed(before, tally.records):
                tally.progress(tally.records)
            yield batch


class _LinesFrom:
    """A binary file read by ``readline`` with lines 2 to ``first - 1`` blank: the row
    reader reads the header and then the file from line ``first``, numbering lines as in
    the file."""

    def __init__(self, f: IO[bytes], first: int) -> None:
        self._f = f
        self._first = first
        self._line = 1  # the line the next readline starts

    def readline(self, limit: int = -1) -> bytes:
        if 1 < self._line < self._first:  # skip the whole line (however long)
            while (part := self._f.readline(1 << 20)) and not part.endswith(b"\n"):
                pass
            self._line += 1
            return b"\n" if part else b""
        line = self._f.readline(limit)
        if line.endswith(b"\n"):
            self._line += 1
        return line


def _as_is(batch: pa.RecordBatch) -> pa.RecordBatch:
    return batch


def _stream(
    pairs: Iterable[tuple[Block, Any]],
    tally: Tally,
    max_line_bytes: int,
    schema: pa.Schema,
    to_batch: Callable[[Any], pa.RecordBatch],
    row_to_event: Callable[..., Event],
    cache: object,
) -> Iterator[pa.RecordBatch]:
    """A batch for each block: from its columns, or (None) read row by row as the importer
    reads it."""
    from relations.io._coded_timeline import crossed
    from relations.io._layout_batch import from_events

    for block, cols in pairs:
        if cols is not None:
            before = tally.records
            batch = to_batch(cols)
            tally.records += batch.num_rows
            if tally.progress is not None and crossed(before, tally.records):
                tally.progress(tally.records)
            yield batch
            continue
        events = unique(_block_events(block, tally, max_line_bytes, row_to_event, cache), tally)
        if events:
            yield from_events(events, schema)


def _block_events(
    block: Block,
    tally: Tally,
    max_line_bytes: int,
    row_to_event: Callable[..., Event],
    cache: object,
) -> Iterator[tuple[int, Event]]:
    """A block read row by row, as the GDELT importer reads it (same errors, same lines)."""
    if block.error is not None:
        tally.record()
        tally.problem(block.first, block.error)
        return
    for n, text in counted(block_lines(block, tally.file, max_line_bytes), tally):
        try:
            yield n, row_to_event(text.split("\t"), cache, tally.file, n)
        except RelationsError as e:
            tally.problem(n, e)


def _row_batches(
    format: str,
    source: PathOrFile,
    tally: Tally,
    max_line_bytes: int,
) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """A dataset read row by row (its importer's own reader), ``BATCH_EVENTS`` at a time."""
    from relations.io import acled, icews, plover
    from relations.io._layout_batch import from_events, layout_schema

    rows = {"icews": icews._rows, "acled": acled._rows, "plover": plover._rows}[format]
    names = {"icews": icews.MEASURES, "acled": acled.MEASURES, "plover": plover.MEASURES}[format]
    schema = layout_schema(names, ["fatalities"] if format == "acled" else [])

    def batches() -> Iterator[pa.RecordBatch]:
        items: list[tuple[int, Event]] = []
        for item in rows(source, tally, max_line_bytes):
            items.append(item)
            if len(items) >= BATCH_EVENTS:
                yield from_events(unique(items, tally), schema)
                items = []
        if items:
            yield from_events(unique(items, tally), schema)

    return schema, batches()


#: Columns whose values are nearly all distinct (ids, titles, JSON texts): not
#: dictionary-encoded in the file, where a dictionary only costs time; the others are.
_MANY_VALUES = ("id", "title", "measures", "sources", "extra")


def _writer_options(schema: pa.Schema) -> dict[str, object]:
    """``ParquetWriter`` options: snappy, and dictionaries but for :data:`_MANY_VALUES`
    (a list column named by its leaf path)."""
    dictionary = [
        f"{f.name}.list.element" if pa.types.is_list(f.type) else f.name
        for f in schema
        if f.name not in _MANY_VALUES
    ]
    return {"compression": "snappy", "use_dictionary": dictionary}


class _OneBehind:
    """Runs each write on a worker thread while the caller makes the next batch (Arrow's
    Parquet writer releases the GIL, so on two cores the two overlap). One write is in flight
    at a time, so at most two batches are held; a write's error is raised in the caller's
    thread, at the next submit or on leaving the ``with`` block."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="relations-parquet")
        self._job: Future[None] | None = None

    def __enter__(self) -> _OneBehind:
        return self

    def submit(self, fn: Callable[[pa.RecordBatch], None], batch: pa.RecordBatch) -> None:
        self.wait()
        self._job = self._pool.submit(fn, batch)

    def wait(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.result()

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None:
                self.wait()
            else:  # already failing: let the write in flight end, keep the first error
                with contextlib.suppress(BaseException):
                    self.wait()
        finally:
            self._pool.shutdown(wait=True)


def _write(
    batches: Iterator[pa.RecordBatch], schema: pa.Schema, out: str, partition_by: str | None
) -> int:
    """Write the batches to ``out`` (a file, or a folder of year partitions), atomically."""
    directory = os.path.dirname(os.path.abspath(out)) or "."
    name = os.path.basename(out)
    options = _writer_options(schema)
    written = 0
    if partition_by is None:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".relations-tmp")
        os.close(fd)
        try:
            with pq.ParquetWriter(tmp, schema, **options) as writer, _OneBehind() as behind:
                for batch in batches:
                    behind.submit(writer.write_batch, batch)
                    written += batch.num_rows
            os.replace(tmp, out)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return written
    tmp = tempfile.mkdtemp(dir=directory, prefix=f".{name}.", suffix=".relations-tmp")
    writers: dict[str, pq.ParquetWriter] = {}

    def write_parts(batch: pa.RecordBatch) -> None:
        years = pc.year(batch.column("earliest"))
        for year in pc.unique(years).to_pylist():
            part = batch.filter(pc.is_null(years) if year is None else pc.equal(years, year))
            key = "__HIVE_DEFAULT_PARTITION__" if year is None else str(year)
            writer = writers.get(key)
            if writer is None:
                folder = os.path.join(tmp, f"year={key}")
                os.makedirs(folder)
                writer = writers[key] = pq.ParquetWriter(
                    os.path.join(folder, "part-0.parquet"), schema, **options
                )
            writer.write_batch(part)

    try:
        with _OneBehind() as behind:
            for batch in batches:
                behind.submit(write_parts, batch)
                written += batch.num_rows
        for writer in writers.values():
            writer.close()
        writers.clear()
        old = None
        if os.path.lexists(out):
            old = tempfile.mkdtemp(dir=directory, prefix=f".{name}.old.", suffix=".relations-tmp")
            os.replace(out, os.path.join(old, name))
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        for writer in writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
