"""The in-memory store passes the store conformance suite, plus its own particulars."""

from __future__ import annotations

from collections.abc import Callable

import pendulum

from relations import Event
from relations.store import MemoryStore, Store
from relations.testing import StoreConformance


class TestMemoryStore(StoreConformance):
    def create_store(self, clock: Callable[[], pendulum.DateTime]) -> Store:
        return MemoryStore(clock=clock)


def test_repr_and_default_clock() -> None:
    store = MemoryStore()
    store.append("s", [Event("2024", "trade", ["RUS", "PRK"], "T", id="t")])
    assert repr(store) == "<MemoryStore: 1 records>"
    assert store.read_all()[0].recorded_at.timezone_name == "UTC"
    store.close()
    assert repr(store) == "<MemoryStore: closed>"


def test_a_single_event_is_accepted_as_a_batch() -> None:
    store = MemoryStore()
    e = Event("2024", "trade", ["RUS", "PRK"], "T", id="t")
    assert store.append("s", e).positions == (1,)  # type: ignore[arg-type]
