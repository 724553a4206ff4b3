"""Persisted projection snapshots (issue 19): a projector in a new store object, from 0 or resumed.

A SQLite store holds ``--events`` events (one year-dated event per day, 100 a batch); a
named projection (events and distinct actor pairs per kind: a state of a few dozen numbers)
is saved once, then ``--new`` more events are appended. Each run opens a new store object on
the file (as a new process would) and times its first ``as_of()``: with ``snapshot_version``
changed (no snapshot: fold from position 0) and with the saved one (fold only what came after).
It prints the seconds and how many events each folded; both must give the same state.

Usage::

    python benchmarks/bench_snapshots.py --events 100000 --new 1000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from relations import Event
from relations.projections import Projection
from relations.store import SQLiteStore

Kinds = tuple[tuple[str, int, tuple[str, ...]], ...]


def _projection(version: str, applied: list[int]) -> Projection[Kinds]:
    def apply(state: Kinds, e: Event) -> Kinds:
        applied[0] += 1
        pair = "-".join(e.actors[:2])
        rows = {k: (n, pairs) for k, n, pairs in state}
        n, pairs = rows.get(e.kind, (0, ()))
        rows[e.kind] = (n + 1, pairs if pair in pairs else tuple(sorted((*pairs, pair))))
        return tuple((k, n, p) for k, (n, p) in sorted(rows.items()))

    def encode(state: Kinds) -> Any:
        return [[k, n, list(p)] for k, n, p in state]

    def decode(data: Any) -> Kinds:
        return tuple((k, n, tuple(p)) for k, n, p in data)

    start: Kinds = ()
    return Projection.simple(
        start, apply, snapshot_name="kinds", snapshot_version=version, encode=encode, decode=decode
    )


def _events(start: int, count: int) -> list[Event]:
    kinds = ("trade.volume", "diplomacy.meeting", "military.exercise", "arms.transfer")
    actors = (["RUS", "PRK"], ["CHN", "PRK"], ["RUS", "CHN"])
    return [
        Event(
            f"{1000 + n // 365:04d}",
            kinds[n % 4],
            actors[n % 3],
            f"event {n}",
            id=f"e{n:08d}",
        )
        for n in range(start, start + count)
    ]


def _first_answer(path: Path, version: str) -> tuple[float, int, Kinds]:
    applied = [0]
    t = time.perf_counter()
    with SQLiteStore(path) as store:
        state = store.project(_projection(version, applied)).as_of()
    return time.perf_counter() - t, applied[0], state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1_000)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "snapshots.db"
    with SQLiteStore(path, durability="normal") as store:
        for start in range(0, args.events, 1_000):
            store.append("s", _events(start, min(1_000, args.events - start)))
        t = time.perf_counter()
        saved = store.project(_projection("1", [0])).save_snapshot()
        saving = time.perf_counter() - t
        store.append("s", _events(args.events, args.new))
    cold, cold_applied, cold_state = _first_answer(path, "no-snapshot")
    warm, warm_applied, warm_state = _first_answer(path, "1")
    assert cold_state == warm_state, "a resumed projector must give the state of a full fold"
    print(f"events: {args.events} + {args.new} after the snapshot ({saved.events} in it)")
    print(f"save_snapshot (folds everything once): {saving:.2f} s")
    print(f"new store object, no snapshot : {cold:.2f} s, {cold_applied} events folded")
    print(f"new store object, resumed     : {warm:.2f} s, {warm_applied} events folded")


if __name__ == "__main__":
    main()
