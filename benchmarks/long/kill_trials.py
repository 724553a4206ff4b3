"""Crash safety: writers appending to a SQLiteStore are killed with SIGKILL at random moments.

Each trial starts ``--writers`` processes on one store file (the same file for 20 trials in a
row, so most trials also open a file left behind by a kill). Each writer appends single events and
batches (1, 1, 1, 5 or 50 events, over three streams) and prints one line per append *after*
``append`` returned (the acknowledgement). After a random delay every writer is killed with
SIGKILL, at its own moment. Then the store must open; ``store.check()`` must pass (gapless
positions, contiguous versions per stream, every payload decodes and validates, SQLite's
pages and indexes agree); every acknowledged batch must be present, each event exactly once;
and every batch present must be present whole, in consecutive positions (no partial batch).

Run (the long run of issue 17)::

    PYTHONPATH=src python benchmarks/long/kill_trials.py --trials 500

The test suite runs 20 trials (``tests/test_store_durability.py``).

Last long run (2026-12-04, ``--trials 500``, 2 CPUs shared with other work, Python 3.11.7,
SQLite 3.40.1, ``durability="full"``)::

    500 trials, 2 writers each, all passed: 154310 acknowledged appends all present exactly
    once, 1782675 records in the final files, check() ok after every kill; 1917 s
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

SIZES = (1, 1, 1, 5, 50)
STREAMS = ("rus-prk", "rus-ukr", "prk-kor")


def writer(path: str, name: str, seed: int) -> None:
    """Append batches forever, printing ``name n size`` after each append returns."""
    from relations import Event
    from relations.store import SQLiteStore

    rng = random.Random(seed)
    store = SQLiteStore(path, timeout=60)
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    n = 0
    while True:
        size = rng.choice(SIZES)
        batch = [
            Event(
                "2024-06-19",
                "trade",
                ["RUS", "PRK"],
                f"{name} batch {n} event {k}",
                id=f"{name}-{n}-{size}-{k}",
            )
            for k in range(size)
        ]
        store.append(rng.choice(STREAMS), batch)
        out.write(f"{name} {n} {size}\n")
        out.flush()
        n += 1


def _start(path: Path, name: str, seed: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen(
        [sys.executable, __file__, "--writer", str(path), name, str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def trial(path: Path, number: int, rng: random.Random, writers: int = 2) -> dict[str, int]:
    """One trial: start writers, kill them at random moments, verify the store; returns
    counts (acknowledged batches, records in the store). Raises AssertionError on a failure."""
    from relations.store import SQLiteStore

    procs = [_start(path, f"w{number}x{i}", rng.randrange(2**32)) for i in range(writers)]
    for p in procs:
        assert p.stdout is not None
        line = p.stdout.readline()
        assert line == "ready\n", f"writer did not start: {line!r}"
    for p in sorted(procs, key=lambda _: rng.random()):
        time.sleep(rng.uniform(0.0, 0.3))
        p.send_signal(signal.SIGKILL)
    acknowledged: dict[tuple[str, int], int] = {}
    for p in procs:
        assert p.stdout is not None
        out, _ = p.communicate()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3:  # a line cut by the kill is not an acknowledgement
                acknowledged[(parts[0], int(parts[1]))] = int(parts[2])
    with SQLiteStore(path) as store:
        report = store.check()
        assert report.ok, str(report)
        records = store.read_all()
    seen: dict[tuple[str, int], list[int]] = defaultdict(list)
    sizes: dict[tuple[str, int], int] = {}
    ids = set()
    for r in records:
        assert r.event.id not in ids, f"{r.event.id} recorded twice"
        ids.add(r.event.id)
        name, n, size, _k = r.event.id.rsplit("-", 3)
        seen[(name, int(n))].append(r.position)
        sizes[(name, int(n))] = int(size)
    for key, size in acknowledged.items():
        assert key in seen, f"acknowledged batch {key} is missing"
        assert len(seen[key]) == size, f"batch {key}: {len(seen[key])} of {size} events"
    for key, positions in seen.items():  # every batch whole, in consecutive positions
        assert len(positions) == sizes[key], f"batch {key} is partial ({len(positions)} events)"
        assert positions == list(range(positions[0], positions[0] + len(positions))), key
    return {"acknowledged": len(acknowledged), "records": len(records)}


def run(
    trials: int, directory: Path, seed: int = 0, writers: int = 2, *, progress: bool = False
) -> dict[str, int]:
    """Run ``trials`` trials in ``directory`` (a new store file every 20); totals of the
    counts; ``progress`` prints a line every 20 trials. The first failure raises."""
    rng = random.Random(seed)
    totals = {"trials": 0, "acknowledged": 0, "records": 0}
    for number in range(trials):
        path = directory / f"killed-{number // 20}.db"  # a fresh file every 20 trials
        got = trial(path, number, rng, writers)
        totals["trials"] += 1
        totals["acknowledged"] += got["acknowledged"]
        totals["records"] += got["records"] if number % 20 == 19 or number == trials - 1 else 0
        if progress and (number % 20 == 19 or number == trials - 1):
            print(f"{number + 1} trials passed", flush=True)
    return totals


def main() -> None:
    """The command line (see the module docstring)."""
    if len(sys.argv) > 1 and sys.argv[1] == "--writer":
        writer(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        totals = run(args.trials, Path(tmp), args.seed, args.writers, progress=True)
    print(
        f"{totals['trials']} trials, {args.writers} writers each, all passed: "
        f"{totals['acknowledged']} acknowledged appends all present exactly once, "
        f"{totals['records']} records in the final files, check() ok after every kill; "
        f"{time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
