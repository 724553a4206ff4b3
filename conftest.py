"""Execute every Python code block in the README and the docs (MyST Markdown) as a test.

A block that starts with ``>>>`` is checked as a doctest; any other ``python`` block must run
without error. Blocks run in one namespace per file, top to bottom, in a temporary directory.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.myst import PythonCodeBlockParser, SkipParser

_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.fixture
def _docs_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=_FLAGS), SkipParser()],
    patterns=["*.md"],
    excludes=["CHANGELOG.md", "_build/*"],
    fixtures=["_docs_tmpdir"],
).pytest()
