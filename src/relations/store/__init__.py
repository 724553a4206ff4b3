"""Event sourcing: an append-only store of events, their corrections and retractions.

Facts about a relationship are recorded over time, corrected, sometimes retracted. A store
keeps every recorded event with its stream, version, global position and ``recorded_at``;
corrections and retractions are recorded too, never edits. So the store answers both
questions an analyst asks: *what was the state on 2024-12-31?* (valid time, asked of the
Timeline) and *what did we know on 2025-01-15?* (record time, ``known_at``).

Three engines pass one conformance suite (:class:`relations.store.conformance.StoreConformance`):
:class:`MemoryStore`, :class:`SQLiteStore` and :class:`PostgreSQLStore` (the ``postgres``
extra, ``pip install "relations[postgres]"``; imported on first use, so ``import relations``
never imports psycopg).

>>> import pendulum
>>> from relations import Event, Quantity, Source
>>> days = iter([pendulum.datetime(2025, 1, 10), pendulum.datetime(2025, 5, 1)])
>>> store = MemoryStore(clock=lambda: next(days))
>>> _ = store.append("rus-prk", [Event(
...     "2025-01", "military.casualties", ["PRK", "UKR"], "North Korean casualties in Kursk",
...     id="kursk-casualties", quantities={"casualties": Quantity.about(3800, "people")})])
>>> _ = store.correct("kursk-casualties",
...                   {"quantities.casualties": Quantity.about(4000, "people")},
...                   "UK MoD estimate", source=Source("BBC"))
>>> [str(e.quantities["casualties"]) for e in store.timeline(known_at="2025-01-15")]
['about 3 800 people']
>>> [str(e.quantities["casualties"]) for e in store.timeline()]
['about 4 000 people']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from relations.store import _records
from relations.store._base import Store, StoreBase, Subscription
from relations.store._projector import Projector
from relations.store._records import *  # noqa: F403 - the records, as _records.__all__ lists them
from relations.store._snapshots import StoredSnapshot
from relations.store.memory import MemoryStore
from relations.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from relations.store.postgres import PostgreSQLStore

__all__ = [
    "MemoryStore",
    "PostgreSQLStore",
    "Projector",
    "SQLiteStore",
    "Store",
    "StoreBase",
    "StoredSnapshot",
    "Subscription",
]
__all__ += _records.__all__


def __getattr__(name: str) -> Any:
    """``PostgreSQLStore`` is imported on first use (psycopg is optional).

    >>> from relations.store import PostgreSQLStore
    >>> PostgreSQLStore.__module__
    'relations.store.postgres'
    """
    if name == "PostgreSQLStore":
        from relations.store.postgres import PostgreSQLStore

        return PostgreSQLStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
