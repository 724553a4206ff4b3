"""Bundled datasets: sourced timelines that ship with the library, loaded by name.

Each dataset is a package-data file ``<name>.jsonl`` in this package, in the canonical JSON
Lines format (one :meth:`~relations.Event.to_dict` record per line, schema 1), sorted by date.
``timeline.load(name)`` and ``timeline.datasets()`` call :func:`load` and :func:`datasets`.

>>> "russia-north-korea" in datasets()
True
>>> tl = load("russia-north-korea")
>>> tl["rnk-2024-12-04-treaty-in-force"].title
'Comprehensive Strategic Partnership Treaty enters into force'
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING

from relations.errors import UnknownDataset
from relations.io.jsonl import read_jsonl

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["datasets", "load"]

_SUFFIX = ".jsonl"


def datasets() -> tuple[str, ...]:
    """The names of the bundled datasets, sorted.

    >>> datasets()
    ('russia-north-korea',)
    """
    files = resources.files(__name__)
    names = (
        entry.name[: -len(_SUFFIX)]
        for entry in files.iterdir()
        if entry.name.endswith(_SUFFIX) and entry.is_file()
    )
    return tuple(sorted(names))


def load(name: str) -> Timeline:
    """The bundled dataset ``name`` as a :class:`~relations.timeline.Timeline`.

    The file is read with :func:`~relations.io.read_jsonl`, which checks every record; an
    invalid line raises an error naming the file and line. An unknown name raises
    :class:`~relations.errors.UnknownDataset` listing the datasets that exist.

    >>> len(load("russia-north-korea")) > 100
    True
    >>> load("russia-korea")
    Traceback (most recent call last):
    ...
    relations.errors.UnknownDataset: unknown dataset 'russia-korea'; available: 'russia-north-korea'
    """
    available = datasets()
    if not isinstance(name, str) or name not in available:
        listing = ", ".join(repr(n) for n in available) or "none"
        raise UnknownDataset(f"unknown dataset {name!r}; available: {listing}")
    return _load(name)


@functools.lru_cache(maxsize=8)
def _load(name: str) -> Timeline:
    """Read a dataset once per process; timelines are immutable, so sharing one is safe."""
    # A path (a temporary copy if the package is zipped): read_jsonl reads a path into
    # columns, with no Event built until one is asked for.
    with resources.as_file(resources.files(__name__).joinpath(name + _SUFFIX)) as path:
        return read_jsonl(path)
