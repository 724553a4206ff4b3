"""Writing a loaded timeline: relations' ``to_parquet`` / ``to_arrow`` against polars (issue 15).

A Timeline read by ``relations.io.read_jsonl`` is held as Arrow columns; ``to_parquet`` and
``to_arrow(engine_columns=True)`` write it from those columns. The peer is polars:
``pl.read_ndjson(path).write_parquet(out)`` of the same file, in the same run. Each sample
runs in a **fresh subprocess** (the engines take turns within each round), which times the
load and the write separately (``time.perf_counter``); medians are reported.

Cases:

- ``parquet``: ``read_jsonl(path)`` then ``tl.to_parquet(out)`` (from the columns);
- ``arrow``: ``read_jsonl(path)`` then ``tl.to_arrow(engine_columns=True)``;
- ``parquet-events`` / ``arrow-events``: the same writers given ``list(tl)``: every Event is
  built and written one by one, the path every write took before the column path existed
  (slow: about two minutes at 1 M events on a loaded 2-core machine);
- ``polars``: ``pl.read_ndjson(path)`` then ``df.write_parquet(out)`` (zstd, as relations).

``--src`` runs the relations cases against another source tree (e.g. an older checkout's
``src``) to measure "before" with the library as it was.

Usage::

    python benchmarks/bench_write.py --data /work/notes/events-1m.jsonl
    python benchmarks/bench_write.py --data events-1m.jsonl --cases parquet,arrow,polars,parquet-events
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CASES = ("parquet", "arrow", "polars", "parquet-events", "arrow-events")
DEFAULT_CASES = "parquet,arrow,polars"


def child(case: str, data: str, out: str) -> dict[str, Any]:
    """Run one case in this process; the timings in seconds."""
    if case == "polars":
        import polars as pl

        t0 = time.perf_counter()
        df = pl.read_ndjson(data)
        t1 = time.perf_counter()
        df.write_parquet(out, compression="zstd")
        t2 = time.perf_counter()
        return {"load": t1 - t0, "write": t2 - t1, "rows": df.height}
    from relations.formats.arrow import to_arrow
    from relations.formats.parquet import to_parquet
    from relations.io import read_jsonl

    t0 = time.perf_counter()
    tl = read_jsonl(data)
    t1 = time.perf_counter()
    events: Any = list(tl) if case.endswith("-events") else tl
    t_list = time.perf_counter()
    if case.startswith("parquet"):
        rows = to_parquet(events, out)
    else:
        rows = to_arrow(events, engine_columns=True).num_rows
    t2 = time.perf_counter()
    # For the -events cases the Events built by list(tl) are part of the write's cost.
    return {"load": t1 - t0, "write": t2 - t1, "build_events": t_list - t1, "rows": rows}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="a JSON Lines file of events")
    ap.add_argument("--cases", default=DEFAULT_CASES, help=f"comma-separated, of {CASES}")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--src", type=Path, help="run the relations cases with this src on PYTHONPATH")
    ap.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--json", type=Path, help="also write the raw samples here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, str(args.data), args.out)))
        return
    cases = [c for c in args.cases.split(",") if c]
    unknown = set(cases) - set(CASES)
    if unknown:
        ap.error(f"unknown case(s) {sorted(unknown)}; the cases are {', '.join(CASES)}")
    samples: dict[str, list[dict[str, Any]]] = {c: [] for c in cases}
    src = str(args.src or Path(__file__).resolve().parent.parent / "src")
    for r in range(args.repeats):
        for case in cases:
            out = args.scratch / f"bench-write-{os.getpid()}-{case}.parquet"
            env = dict(os.environ, PYTHONPATH=src)
            cmd = [sys.executable, __file__, "--data", str(args.data)]
            cmd += ["--child", case, "--out", str(out)]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            s = json.loads(done.stdout.strip().splitlines()[-1])
            out.unlink(missing_ok=True)
            samples[case].append(s)
            print(f"round {r + 1} {case}: load {s['load']:.2f} s, write {s['write']:.2f} s",
                  file=sys.stderr, flush=True)  # fmt: skip
    med = {
        c: {k: statistics.median(s[k] for s in samples[c]) for k in ("load", "write")}
        for c in cases
    }
    peer = med.get("polars")
    print(f"\n{args.data.name}, {args.repeats} rounds, medians (seconds); ratio: / polars")
    print("| case | load | write | load + write | write / polars write | total / polars total |")
    print("|---|---|---|---|---|---|")
    for c in cases:
        m = med[c]
        total = m["load"] + m["write"]
        ratios = ["", ""]
        if peer is not None:
            ratios = [
                f"{m['write'] / peer['write']:.2f}x",
                f"{total / (peer['load'] + peer['write']):.2f}x",
            ]
        print(f"| {c} | {m['load']:.2f} | {m['write']:.2f} | {total:.2f} | {ratios[0]} | {ratios[1]} |")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(samples, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
