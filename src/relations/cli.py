"""The ``relations`` command (console script and ``python -m relations``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from relations import __version__

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``relations`` command.

    >>> build_parser().prog
    'relations'
    """
    parser = argparse.ArgumentParser(
        prog="relations",
        description="The dated history of relations between actors.",
    )
    parser.add_argument("--version", action="version", version=f"relations {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code.

    >>> main(["--help"])  # doctest: +ELLIPSIS
    usage: relations ...
    0
    """
    parser = build_parser()
    try:
        parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    parser.print_help(sys.stdout)
    return 0
