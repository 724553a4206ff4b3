"""Issue #16 at 100 million events: ``bench_scan.py`` one question and one side per process.

``bench_scan.py`` runs every question of a side in one process, so its peak RSS is that of
the most demanding question. Here each (size, question, side) is its own run of
``bench_scan.py --sizes N --sides SIDE --only Q`` (whose child process measures ``ru_maxrss``),
so each figure is that question's alone. The data are ``bench_scan.py``'s cache layout
(``DATA/n<N>-s<seed>/part-*.parquet`` and ``DONE``), written beforehand by
``generate_layout.py`` (streamed: about 0.85 GB peak RSS whatever N), e.g.::

    python benchmarks/generate_layout.py -n 100000000 -o /work/scratch/h5/n100000000-s42

A run that exceeds ``--timeout`` seconds is killed (its whole process group) and reported as
such. Each result is appended to ``--out`` (JSON Lines) as it finishes, so a long run can be
followed and resumed (``--resume`` skips the rows already there). Nothing is asserted: the
script prints a Markdown table (cold / warm ms, peak RSS, load average at the start).

    PYTHONPATH=src python benchmarks/long/scan_100m.py --data /work/scratch/h5 \
        --sizes 100000000 --out scan-100m.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[1] / "bench_scan.py"
QUESTIONS = ["q1", "q2", *(f"a1.{p}" for p in ("contained", "earliest", "spread", "overlap"))]
QUESTIONS.append("a2")


def measure(n: int, question: str, side: str, args: argparse.Namespace) -> dict[str, Any]:
    """One ``bench_scan.py`` run of one question on one side; its numbers, or why none."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        cmd = [sys.executable, str(BENCH), "--sizes", str(n), "--data", args.data]
        cmd += ["--seed", str(args.seed), "--sides", side, "--only", question]
        cmd += ["--cold", str(args.cold), "--repeats", str(args.repeats), "--json", str(out)]
        row: dict[str, Any] = {"n": n, "question": question, "side": side}
        row["load"] = os.getloadavg()[0]
        t0 = time.perf_counter()
        # A session of its own, so a timeout kills bench_scan's child too.
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        try:
            _, err = proc.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            row["skipped"] = f"timeout after {args.timeout} s"
            return row
        row["seconds"] = time.perf_counter() - t0
        if proc.returncode != 0 or not out.exists():
            row["skipped"] = (err.strip().splitlines() or ["no output"])[-1]
            return row
        result = json.loads(out.read_text())[f"{n}/{side}"]
    if "warm" not in result or question not in result["warm"]:
        row["skipped"] = str(result.get("skipped", "no answer"))
        return row
    row.update(
        cold_ms=result["cold"][question] * 1e3 if question in result["cold"] else None,
        warm_ms=result["warm"][question] * 1e3,
        maxrss_mb=result["maxrss_mb"],
        summary=result["summary"][question],
    )
    return row


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown: per size and question, each side's cold / warm ms and peak RSS, scan / exact."""
    lines = [
        "| events | question | naive ms (RSS) | exact ms (RSS) | scan ms (RSS) | scan / exact warm |",
        "|---|---|---|---|---|---|",
    ]
    by = {(r["n"], r["question"], r["side"]): r for r in rows}
    for n in sorted({r["n"] for r in rows}):
        for q in QUESTIONS:
            if not any((n, q, s) in by for s in ("naive", "exact", "scan")):
                continue
            cells = []
            for s in ("naive", "exact", "scan"):
                r = by.get((n, q, s))
                if r is None:
                    cells.append("-")
                elif "skipped" in r:
                    cells.append(f"not run: {r['skipped']}")
                else:
                    cold = "-" if r["cold_ms"] is None else f"{r['cold_ms']:,.0f}"
                    cells.append(f"{cold} / {r['warm_ms']:,.0f} ({r['maxrss_mb']:,.0f} MB)")
            scan, exact = by.get((n, q, "scan"), {}), by.get((n, q, "exact"), {})
            ratio = (
                f"{scan['warm_ms'] / exact['warm_ms']:.2f}×"
                if "warm_ms" in scan and "warm_ms" in exact
                else "-"
            )
            lines.append(f"| {n:,} | {q} | " + " | ".join(cells) + f" | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="bench_scan.py's --data (holds n<N>-s<seed>)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000_000])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--questions", nargs="+", default=QUESTIONS, choices=QUESTIONS)
    ap.add_argument("--sides", nargs="+", default=["naive", "exact", "scan"])
    ap.add_argument("--cold", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=1200, help="seconds per run, then killed")
    ap.add_argument("--out", required=True, help="results, one JSON object a line (appended)")
    ap.add_argument("--resume", action="store_true", help="skip the runs already in --out")
    args = ap.parse_args(argv)
    out = Path(args.out)
    rows = [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []
    done = {(r["n"], r["question"], r["side"]) for r in rows if "skipped" not in r}
    for n in args.sizes:
        for q in args.questions:
            for side in args.sides:
                if args.resume and (n, q, side) in done:
                    continue
                row = measure(n, q, side, args)
                print(json.dumps(row), file=sys.stderr, flush=True)
                with out.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(row, default=str) + "\n")
                rows.append(row)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
