"""Concurrency: processes appending with expected versions over a few shared streams.

``--processes`` writer processes each make ``--appends`` appends of one event to one of
``--streams`` shared streams, each with the version it just read as ``expected_version``; on
a :class:`~relations.errors.ConcurrencyError` it reads the version again and retries (the
same event). Beside them a reader process reads the whole log over and over. Then:

- nothing is lost or duplicated: every event is recorded exactly once, positions are
  gapless and each stream's versions contiguous, and ``store.check()`` passes;
- a ConcurrencyError comes exactly when versions clash: every append that returned landed
  right after the version it expected (``result.version == expected + 1``), and after every
  ConcurrencyError the stream had indeed moved on (a :class:`~relations.errors.StoreBusy`,
  the lock held past the timeout, is counted apart);
- retries succeed: every writer finishes its appends;
- readers only ever see committed prefixes: every read is positions 1..n, without a gap,
  with contiguous versions per stream;
- no raw driver error escapes: any other exception fails the run, named.

Run (the long run of issue 17; PostgreSQL needs ``--postgres CONNINFO``)::

    PYTHONPATH=src python benchmarks/long/store_concurrency.py --processes 8 --appends 500
    PYTHONPATH=src python benchmarks/long/store_concurrency.py --processes 8 --appends 500 \\
        --postgres "host=/tmp/pg dbname=postgres"

The test suite runs 4 × 50 on SQLite (``tests/test_store_durability.py``) and on PostgreSQL
(``tests/test_store_postgres.py``).

Last long run (2026-12-04, 2 CPUs shared with other work, Python 3.11.7, SQLite 3.40.1, a local
PostgreSQL server on a unix socket, default settings)::

    SQLite: 8 processes x 500 appends over 3 streams, all passed: 4000 events recorded exactly
    once, 15 ConcurrencyErrors (each a real clash, each retried), 0 StoreBusy, 2536 reads all
    committed prefixes; 12 s
    PostgreSQL: 8 processes x 500 appends over 3 streams, all passed: 4000 events recorded
    exactly once, 7092 ConcurrencyErrors (each a real clash, each retried), 0 StoreBusy, 4163
    reads all committed prefixes; 60 s
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from pathlib import Path
from typing import Any

Factory = tuple[Any, tuple[Any, ...], dict[str, Any]]


def _writer(factory: Factory, name: str, appends: int, streams: int, seed: int, out: Any) -> None:
    from relations import ConcurrencyError, Event, StoreBusy

    result: dict[str, Any] = {"name": name, "done": 0, "clashes": 0, "busy": 0, "errors": []}
    try:
        cls, args, kwargs = factory
        store = cls(*args, **kwargs)
        rng = random.Random(seed)
        while result["done"] < appends:
            stream = f"s{rng.randrange(streams)}"
            event = Event(
                "2024", "trade", ["RUS", "PRK"], f"{name} {result['done']}",
                id=f"{name}-{result['done']}",
            )  # fmt: skip
            while True:
                expected = store.version(stream)
                try:
                    got = store.append(stream, [event], expected_version=expected)
                except StoreBusy:
                    result["busy"] += 1
                    continue
                except ConcurrencyError:
                    result["clashes"] += 1
                    if store.version(stream) == expected:
                        result["errors"].append(f"ConcurrencyError at version {expected}, no clash")
                    continue
                if got.version != expected + 1 or got.already_present != (False,):
                    result["errors"].append(f"{event.id}: expected {expected}, got {got}")
                break
            result["done"] += 1
        store.close()
    except Exception:
        result["errors"].append(traceback.format_exc(limit=3))
    out.put(result)


def _reader(factory: Factory, stop: Any, out: Any) -> None:
    result: dict[str, Any] = {"reads": 0, "errors": []}
    try:
        cls, args, kwargs = factory
        store = cls(*args, **kwargs)
        while not stop.is_set():
            records = store.read_all()
            positions = [r.position for r in records]
            if positions != list(range(1, len(records) + 1)):
                result["errors"].append(f"a read saw positions with a gap: {positions[:20]}...")
            versions: dict[str, int] = defaultdict(int)
            for r in records:
                versions[r.stream] += 1
                if r.version != versions[r.stream]:
                    result["errors"].append(f"a read saw {r.stream} skip to version {r.version}")
                    break
            result["reads"] += 1
        store.close()
    except Exception:
        result["errors"].append(traceback.format_exc(limit=3))
    out.put(result)


def run(
    factory: Factory, processes: int = 4, appends: int = 50, streams: int = 3
) -> dict[str, int]:
    """Run the writers and a reader on the store ``factory`` makes; AssertionError on any
    failure; returns counts (appends, clashes, busy, reads)."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    stop = ctx.Event()
    reader = ctx.Process(target=_reader, args=(factory, stop, out))
    reader.start()
    writers = [
        ctx.Process(target=_writer, args=(factory, f"w{i}", appends, streams, i, out))
        for i in range(processes)
    ]
    for w in writers:
        w.start()
    results = [out.get(timeout=1_800) for _ in writers]
    stop.set()
    results.append(out.get(timeout=600))
    for p in [*writers, reader]:
        p.join(timeout=60)
    errors = [e for r in results for e in r["errors"]]
    assert not errors, "\n".join(errors)
    cls, args, kwargs = factory
    with cls(*args, **kwargs) as store:
        report = store.check()
        assert report.ok, str(report)
        records = store.read_all()
    ids = [r.event.id for r in records]
    assert len(ids) == len(set(ids)) == processes * appends, (len(ids), len(set(ids)))
    assert set(ids) == {f"w{i}-{k}" for i in range(processes) for k in range(appends)}
    return {
        "appends": len(ids),
        "clashes": sum(r.get("clashes", 0) for r in results),
        "busy": sum(r.get("busy", 0) for r in results),
        "reads": sum(r.get("reads", 0) for r in results),
    }


def main() -> None:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--streams", type=int, default=3)
    parser.add_argument("--postgres", metavar="CONNINFO", help="run on PostgreSQL instead")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            from relations.store import PostgreSQLStore

            schema = f"concurrency_{int(time.time())}"
            factory: Factory = (PostgreSQLStore, (args.postgres,), {"schema": schema})
        else:
            from relations.store import SQLiteStore

            factory = (SQLiteStore, (str(Path(tmp) / "shared.db"),), {"timeout": 60})
        got = run(factory, args.processes, args.appends, args.streams)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{engine}: {args.processes} processes x {args.appends} appends over {args.streams} "
        f"streams, all passed: {got['appends']} events recorded exactly once, "
        f"{got['clashes']} ConcurrencyErrors (each a real clash, each retried), "
        f"{got['busy']} StoreBusy, {got['reads']} reads all committed prefixes; "
        f"{time.monotonic() - started:.0f} s",
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
