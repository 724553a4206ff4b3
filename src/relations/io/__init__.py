"""Interchange: canonical files, dataset importers, exporters and dataframes.

Canonical files (one event a record, exact round trip):

- :func:`read_jsonl` / :func:`write_jsonl`: JSON Lines, the canonical format, validated by the
  shipped JSON Schema (:func:`event_schema`, :func:`validate_jsonl`);
- :func:`read_csv` / :func:`write_csv`: CSV in a flat, documented layout
  (:mod:`relations.io.csv`).

Importers (one dataset row → one :class:`~relations.Event`; CAMEO codes kept as strings with
their root, quad class and Goldstein score from the shipped table in :mod:`relations.io.cameo`):
:func:`import_gdelt` (GDELT 1.0 and 2.0), :func:`import_icews`, :func:`import_acled`,
:func:`import_plover`; :func:`import_to_parquet` writes any of them to Parquet in the
columnar layout, streamed in bounded memory.

Exporters: :func:`to_timelinejs`, :func:`to_mermaid`, :func:`to_vis`, :func:`to_markdown`;
Parquet in the columnar layout (:mod:`relations.formats.layout`): :func:`to_parquet`,
:func:`read_parquet`;
tables: :func:`to_arrow`, :func:`to_pandas`, :func:`to_polars`, :func:`from_arrow`,
:func:`from_pandas`, :func:`from_polars` (the
Timeline also speaks the Arrow PyCapsule protocol, so ``pyarrow.table(tl)``,
``polars.DataFrame(tl)`` and DuckDB read it directly).

Every reader and importer streams its input, takes ``errors="raise" | "skip" | "collect"``,
``progress=`` and ``on_error=``, names the file, line and field of every problem, and with
``report=True`` also returns a :class:`ReadReport`; see :mod:`relations.io._report`. Writers
are atomic.

>>> import io
>>> from relations import Event, timeline
>>> tl = timeline.of(Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"],
...                        "Treaty signed", id="treaty"))
>>> buf = io.StringIO()
>>> write_jsonl(tl, buf)
1
>>> read_jsonl(io.StringIO(buf.getvalue())) == tl
True
"""

from __future__ import annotations

from relations.io._report import (
    ErrorPolicy,
    Progress,
    ReadIssue,
    ReadReport,
    SkippedRecordsWarning,
)
from relations.io.acled import import_acled
from relations.io.arrow import (
    TABLE_COLUMNS,
    from_arrow,
    from_pandas,
    from_polars,
    to_arrow,
    to_pandas,
    to_polars,
)
from relations.io.cameo import CameoCode, cameo, cameo_codes, kind_for_cameo
from relations.io.csv import read_csv, write_csv
from relations.io.exporters import to_markdown, to_mermaid, to_timelinejs, to_vis
from relations.io.gdelt import import_gdelt
from relations.io.icews import import_icews
from relations.io.import_parquet import import_to_parquet
from relations.io.jsonl import read_jsonl, write_jsonl
from relations.io.parquet import read_parquet, to_parquet
from relations.io.plover import import_plover
from relations.io.schema import event_schema, validate_jsonl

__all__ = [
    # canonical files
    "read_jsonl",
    "write_jsonl",
    "read_csv",
    "write_csv",
    "event_schema",
    "validate_jsonl",
    # reading: policy and report
    "ErrorPolicy",
    "Progress",
    "ReadIssue",
    "ReadReport",
    "SkippedRecordsWarning",
    # importers
    "import_gdelt",
    "import_icews",
    "import_acled",
    "import_plover",
    "CameoCode",
    "cameo",
    "cameo_codes",
    "kind_for_cameo",
    # exporters
    "to_timelinejs",
    "to_mermaid",
    "to_vis",
    "to_markdown",
    # tables
    "TABLE_COLUMNS",
    "to_arrow",
    "to_pandas",
    "to_polars",
    "from_pandas",
    "from_arrow",
    "from_polars",
    # Parquet in the columnar layout
    "read_parquet",
    "to_parquet",
    "import_to_parquet",
]
