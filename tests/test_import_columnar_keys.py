"""Keys computed from an import's columns equal the row reader's (issue 15).

The coded importers' fast paths hand ``from_table`` the columns the key functions read; a
column left out reads as its default for every row, so ``count(by="directed_dyad")`` once
gave 760 groups on the ICEWS sample's fast path against the row reader's 565.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from relations.io import import_gdelt, import_icews

CASES = [
    (import_icews, "icews_events.2018.sample.tab"),
    (import_gdelt, "gdelt1_events_sample.tsv"),
]
KEYS = ["directed_dyad", "dyad", "actor", "kind", "status"]


@pytest.mark.parametrize(("importer", "path"), CASES, ids=["icews", "gdelt"])
@pytest.mark.parametrize("key", KEYS)
def test_keys_of_the_fast_path_equal_the_row_readers(samples_dir: Path, importer, path, key):
    path = samples_dir / path
    fast = importer(path)  # a path: the columnar fast path
    rows = importer(io.StringIO(path.read_text(encoding="utf-8")))  # a text stream: row by row
    assert fast == rows
    assert fast.count(by=key) == rows.count(by=key)
