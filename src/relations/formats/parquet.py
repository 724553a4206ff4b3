"""Parquet: the events written in the columnar layout (:mod:`relations.formats.layout`).

:func:`to_parquet` writes one file (or, with ``partition_by="year"``, a folder of
``year=YYYY/`` Hive partitions) atomically; :func:`relations.io.read_parquet` reads it back
into a Timeline, and DuckDB, polars, pandas and Spark read it as it is.

>>> import pytest; _ = pytest.importorskip("pyarrow")
>>> import tempfile, pathlib, pyarrow.parquet as pq
>>> from relations import Event
>>> path = pathlib.Path(tempfile.mkdtemp()) / "events.parquet"
>>> to_parquet([Event("2024", "trade", ["RUS"], "Trade", id="t")], path)
1
>>> pq.read_schema(path).metadata[b"relations.layout"]
b'2'
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Literal

from relations.events import Event
from relations.formats.arrow import to_arrow
from relations.formats.atomic import atomic_path

__all__ = ["to_parquet"]

#: The Hive partition value of events whose earliest day is unknown (Hive's own null).
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"


def to_parquet(
    events: Iterable[Event],
    path: str | os.PathLike[str],
    *,
    partition_by: Literal["year"] | None = None,
    compression: str = "zstd",
    row_group_size: int = 131_072,
) -> int:
    """Write the events as Parquet in the columnar layout (record and engine columns);
    return how many were written.

    The write is atomic: ``path`` is replaced only when the file (or folder) is complete.
    ``partition_by="year"`` writes a folder with one ``year=YYYY/`` sub-folder per year of
    the events' earliest possible day (``year=__HIVE_DEFAULT_PARTITION__`` for an unknown
    start); each file holds the layout's columns (``year`` is only in the folder names).
    Row groups of ``row_group_size`` rows let readers decode them in parallel. Needs pyarrow.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> import tempfile, pathlib
    >>> from relations import Event
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "events"
    >>> to_parquet([Event("2023", "trade", ["RUS"], "A"), Event("2024-06", "trade", ["RUS"], "B")],
    ...            folder, partition_by="year")
    2
    >>> sorted(p.name for p in folder.iterdir())
    ['year=2023', 'year=2024']
    """
    try:
        import pyarrow.compute as pc
        import pyarrow.parquet as pq
    except ImportError as e:
        raise ImportError(
            "this needs the optional package 'pyarrow': pip install \"relations[arrow]\""
        ) from e

    table = to_arrow(events, engine_columns=True)
    if partition_by is None:
        with atomic_path(path) as tmp:
            pq.write_table(table, tmp, compression=compression, row_group_size=row_group_size)
        return int(table.num_rows)
    if partition_by != "year":
        raise ValueError(f"partition_by must be 'year' or None, not {partition_by!r}")
    years = pc.year(table.column("earliest"))
    with atomic_path(path) as tmp:
        os.mkdir(tmp)
        keys = pc.unique(years).to_pylist()
        for y in sorted(keys, key=lambda k: (k is None, k or 0)):
            part = table.filter(pc.is_null(years) if y is None else pc.equal(years, y))
            folder = os.path.join(tmp, f"year={NULL_PARTITION if y is None else y}")
            os.mkdir(folder)
            pq.write_table(
                part,
                os.path.join(folder, "part-0.parquet"),
                compression=compression,
                row_group_size=row_group_size,
            )
    return int(table.num_rows)
