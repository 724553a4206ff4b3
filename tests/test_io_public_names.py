"""Every public name of relations.io and its modules stays importable (issue 13 moved the writers
to relations.formats; io re-exports them), and the re-exports are the formats' own objects."""

from __future__ import annotations

import importlib

import pytest

import relations.formats
import relations.io

PUBLIC: dict[str, tuple[str, ...]] = {
    "relations.io": tuple(relations.io.__all__),
    "relations.io.jsonl": (
        "read_jsonl",
        "write_jsonl",
        "parse_line",
        "record_to_event",
        "iter_records",
        "paused_gc",
        "finish",
    ),
    "relations.io.csv": (
        "COLUMNS",
        "read_csv",
        "write_csv",
        "event_to_row",
        "row_to_record",
        "table_rows",
    ),
    "relations.io.arrow": (
        "TABLE_COLUMNS",
        "arrow_schema",
        "from_pandas",
        "to_arrow",
        "to_columns",
        "to_pandas",
        "to_polars",
    ),
    "relations.io.exporters": (
        "Bucket",
        "GroupBy",
        "markdown_text",
        "mermaid_text",
        "to_markdown",
        "to_mermaid",
        "to_timelinejs",
        "to_vis",
    ),
    "relations.io.acled": ("ACLED_COLUMNS", "import_acled"),
    "relations.io.gdelt": (
        "GDELT1_BACKFILE_COLUMNS",
        "GDELT1_COLUMNS",
        "GDELT2_COLUMNS",
        "dedupe_gdelt",
        "import_gdelt",
        "row_to_event",
    ),
    "relations.io.icews": ("ICEWS_COLUMNS", "import_icews"),
    "relations.io.plover": ("PLOVER_KINDS", "import_plover"),
    "relations.io.cameo": (
        "CAMEO_KINDS",
        "QUAD_CLASSES",
        "TABLE_FILE",
        "CameoCode",
        "cameo",
        "cameo_codes",
        "kind_for_cameo",
    ),
    "relations.io.schema": ("SCHEMA_FILE", "event_schema", "validate_jsonl"),
}


def test_io_all_is_unchanged() -> None:
    assert sorted(relations.io.__all__) == sorted(
        [
            "read_jsonl", "write_jsonl", "read_csv", "write_csv", "event_schema",
            "validate_jsonl", "ErrorPolicy", "Progress", "ReadIssue", "ReadReport",
            "SkippedRecordsWarning", "import_gdelt", "import_icews", "import_acled",
            "import_plover", "CameoCode", "cameo", "cameo_codes", "kind_for_cameo",
            "to_timelinejs", "to_mermaid", "to_vis", "to_markdown", "TABLE_COLUMNS",
            "to_arrow", "to_pandas", "to_polars", "from_pandas",
            # added by the columnar layout (issues 15 and 16): new names, none removed
            "from_arrow", "from_polars", "read_parquet", "to_parquet", "import_to_parquet",
        ]
    )  # fmt: skip


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_public_names_importable(module: str) -> None:
    mod = importlib.import_module(module)
    missing = [name for name in PUBLIC[module] if not hasattr(mod, name)]
    assert not missing


def test_writers_are_the_formats_functions() -> None:
    for name in ("write_jsonl", "write_csv", "to_arrow", "to_pandas", "to_polars", "to_vis"):
        assert getattr(relations.io, name) is getattr(relations.formats, name)
    assert relations.io.TABLE_COLUMNS is relations.formats.TABLE_COLUMNS
