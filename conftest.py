"""Execute every Python code block in the README and the docs (MyST Markdown) as a test.

A block that starts with ``>>>`` is checked as a doctest; any other ``python`` block must run
without error. Blocks run top to bottom in one namespace per file, inside one temporary working
folder per file (so a file written by one block can be read by the next).
"""

from __future__ import annotations

import doctest
import os
import shutil
import tempfile
from typing import Any

from sybil import Sybil
from sybil.parsers.myst import PythonCodeBlockParser, SkipParser

_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _enter_tmpdir(namespace: dict[str, Any]) -> None:
    namespace["__docs_cwd__"] = os.getcwd()
    namespace["__docs_tmp__"] = tempfile.mkdtemp(prefix="relations-docs-")
    os.chdir(namespace["__docs_tmp__"])


def _leave_tmpdir(namespace: dict[str, Any]) -> None:
    os.chdir(namespace["__docs_cwd__"])
    shutil.rmtree(namespace["__docs_tmp__"], ignore_errors=True)


pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=_FLAGS), SkipParser()],
    patterns=["*.md"],
    excludes=["CHANGELOG.md", "_build/*"],
    setup=_enter_tmpdir,
    teardown=_leave_tmpdir,
).pytest()
