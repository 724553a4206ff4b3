"""The lazy timeline at scale: ``timeline.scan`` on DuckDB against hand-written DuckDB SQL.

For each size (1M, 10M; 100M with ``--sizes``), the events are generated once, streamed to
Parquet in the columnar layout (``generate_layout.py``; cached under ``--data``), then every
side answers the same questions **in the same run**, each side of each size in its own child
process (so its peak RSS, ``ru_maxrss``, is its own):

- q1: the USA-CHN dyad within 2020 (``mode="within"``: certainly inside the year; count);
- q2: the ``sanction`` kind family within 2020 (count);
- a1: count per month, under each policy (``contained``, ``earliest``, ``spread``, ``overlap``);
- a2: sum of ``amount`` per year and kind.

Sides:

- ``naive``: the SQL an analyst writes against a date column (here ``earliest``, which is what
  "2024" becomes in a date column: 2024-01-01): ``BETWEEN`` on that date, ``date_trunc``.
  One query per question (a1 is the same query whatever the policy: it has only one).
- ``exact``: hand-written DuckDB SQL with the library's semantics on ``lo``/``hi`` (day
  ordinals), one query per policy; the reference for what the naive SQL gets wrong (the
  "wrong" table gives, per question, how many events or how much weight it misplaces).
- ``scan``: ``relations.timeline.scan(glob)`` (skipped, with the reason, until it exists).

Times: *cold* is the first execution in a fresh DuckDB connection (the OS file cache is warm:
the files were just written or read), median of ``--cold`` connections; *warm* is the median of
``--repeats`` further executions on one connection. ``threads`` is DuckDB's default (the cores).

Usage::

    python benchmarks/bench_scan.py --sizes 1000000 10000000 --data /tmp/relations-bench
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

POLICIES = ("contained", "earliest", "spread", "overlap")
WINDOW = ("2020-01-01", "2020-12-31")
DYAD = ("USA", "CHN")
FAMILY = "sanction"
SIDES = ("naive", "exact", "scan")

_ORD = "(date_diff('day', DATE '0001-01-01', DATE '{d}') + 1)"  # a date as a day ordinal
W_LO, W_HI = _ORD.format(d=WINDOW[0]), _ORD.format(d=WINDOW[1])
DYAD_SQL = f"list_contains(actors, '{DYAD[0]}') AND list_contains(actors, '{DYAD[1]}')"
FAMILY_SQL = f"(kind = '{FAMILY}' OR starts_with(kind, '{FAMILY}.'))"

# ---- the questions in hand-written DuckDB SQL ----------------------------------------------

NAIVE = {
    "q1": f"SELECT count(*) FROM ev WHERE {DYAD_SQL} "
    f"AND earliest BETWEEN DATE '{WINDOW[0]}' AND DATE '{WINDOW[1]}'",
    "q2": f"SELECT count(*) FROM ev WHERE {FAMILY_SQL} "
    f"AND earliest BETWEEN DATE '{WINDOW[0]}' AND DATE '{WINDOW[1]}'",
    **{
        f"a1.{p}": "SELECT date_trunc('month', earliest) AS m, count(*) AS n FROM ev GROUP BY m"
        for p in POLICIES
    },
    "a2": 'SELECT year(earliest) AS y, kind, sum("quantity.amount.value") AS s FROM ev '
    "GROUP BY y, kind",
}

# An open end is hi = 2^62 and latest NULL; an open start lo = -2^62 and earliest NULL.
_BOUNDED = "earliest IS NOT NULL AND latest IS NOT NULL"
_MONTHS = (
    "unnest(generate_series(date_trunc('month', earliest), date_trunc('month', latest), "
    "INTERVAL 1 MONTH)) AS m"
)
EXACT = {
    "q1": f"SELECT count(*) FROM ev WHERE {DYAD_SQL} AND lo >= {W_LO} AND hi <= {W_HI}",
    "q2": f"SELECT count(*) FROM ev WHERE {FAMILY_SQL} AND lo >= {W_LO} AND hi <= {W_HI}",
    # contained: the whole span in one month; the rest is reported as unplaced (m NULL).
    "a1.contained": "SELECT CASE WHEN latest IS NOT NULL AND earliest IS NOT NULL AND "
    "date_trunc('month', earliest) = date_trunc('month', latest) "
    "THEN date_trunc('month', earliest) END AS m, count(*) AS n FROM ev GROUP BY m",
    # earliest: the month of the first possible day (an open end does not matter).
    "a1.earliest": "SELECT date_trunc('month', earliest) AS m, count(*) AS n FROM ev GROUP BY m",
    # spread: weight split over the months in proportion to the days in each.
    "a1.spread": f"SELECT m, sum(CASE WHEN m IS NULL THEN 1 ELSE "
    f"(date_diff('day', greatest(earliest, m::DATE), "
    f"least(latest, (m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE)) + 1) "
    f"/ (date_diff('day', earliest, latest) + 1) END) AS n "
    f"FROM (SELECT earliest, latest, {_MONTHS} FROM ev WHERE {_BOUNDED} "
    f"UNION ALL SELECT earliest, latest, NULL FROM ev WHERE NOT ({_BOUNDED})) GROUP BY m",
    # overlap: a full count in every month touched.
    "a1.overlap": f"SELECT m, count(*) AS n FROM (SELECT {_MONTHS} FROM ev WHERE {_BOUNDED} "
    f"UNION ALL SELECT NULL FROM ev WHERE NOT ({_BOUNDED})) GROUP BY m",
    # a2 under contained: the whole span in one year, else unplaced (y NULL).
    "a2": "SELECT CASE WHEN latest IS NOT NULL AND year(earliest) = year(latest) "
    'THEN year(earliest) END AS y, kind, sum("quantity.amount.value") AS s FROM ev '
    "GROUP BY y, kind",
}


def _duckdb(glob: str) -> Any:
    import duckdb

    con = duckdb.connect()
    literal = "'" + glob.replace("'", "''") + "'"  # a view cannot take a prepared parameter
    con.execute(f"CREATE VIEW ev AS SELECT * FROM read_parquet({literal}, union_by_name = true)")
    return con


def sql_questions(glob: str, queries: dict[str, str]) -> Callable[[], dict[str, Callable[[], Any]]]:
    """A factory of fresh-connection question sets (one per call): name -> () -> answer."""

    def make() -> dict[str, Callable[[], Any]]:
        con = _duckdb(glob)
        return {name: (lambda q=q: con.execute(q).fetchall()) for name, q in queries.items()}

    return make


def scan_questions(glob: str) -> Callable[[], dict[str, Callable[[], Any]]]:
    """The same questions through ``relations.timeline.scan`` (the one function to adapt)."""
    from relations import timeline

    def make() -> dict[str, Callable[[], Any]]:
        lt = timeline.scan(glob)
        window = lt.between(*WINDOW, mode="within")
        qs: dict[str, Callable[[], Any]] = {
            "q1": lambda: len(window.involving(*DYAD)),
            "q2": lambda: len(window.of_kind(FAMILY)),
            "a2": lambda: lt.sum("amount", ("year", "kind")),
        }
        for p in POLICIES:
            qs[f"a1.{p}"] = lambda p=p: lt.count("month", policy=p)
        return qs

    return make


# ---- one side of one size, in a child process ----------------------------------------------


def _child(side: str, glob: str, cold: int, repeats: int, only: list[str]) -> dict[str, Any]:
    if side == "scan":
        try:
            factory = scan_questions(glob)
            factory()  # builds the lazy expressions: fails here if scan does not exist yet
        except (ImportError, AttributeError) as exc:
            return {"skipped": f"{type(exc).__name__}: {exc}"}
    else:
        factory = sql_questions(glob, NAIVE if side == "naive" else EXACT)

    def chosen() -> dict[str, Callable[[], Any]]:
        return {k: v for k, v in factory().items() if not only or k in only}

    colds: dict[str, list[float]] = {}
    for _ in range(cold):
        for name, q in chosen().items():
            t0 = time.perf_counter()
            q()
            colds.setdefault(name, []).append(time.perf_counter() - t0)
    warm: dict[str, float] = {}
    answers: dict[str, Any] = {}
    for name, q in chosen().items():
        answers[name] = q()
        samples = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            q()
            samples.append(time.perf_counter() - t0)
        warm[name] = statistics.median(samples)
    return {
        "cold": {k: statistics.median(v) for k, v in colds.items()},
        "warm": warm,
        "summary": {k: _summary(v) for k, v in answers.items()},
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _summary(answer: Any) -> Any:
    """A small comparable digest: a count, or (buckets, total, unplaced-bucket value)."""
    if isinstance(answer, list) and answer and len(answer[0]) == 1:
        return answer[0][0]
    if isinstance(answer, list):
        total = sum(float(r[-1] or 0) for r in answer)
        unplaced = sum(float(r[-1] or 0) for r in answer if r[0] is None)
        january = sum(
            float(r[-1] or 0) for r in answer if r[0] is not None and getattr(r[0], "month", 0) == 1
        )
        return {"buckets": len(answer), "total": total, "unplaced": unplaced, "january": january}
    return repr(answer)[:200]


# ---- the parent ----------------------------------------------------------------------------


def _ensure_data(root: Path, n: int, seed: int) -> str:
    folder = root / f"n{n}-s{seed}"
    done = folder / "DONE"
    if not done.exists():
        from generate_layout import write_layout

        t0 = time.perf_counter()
        files = write_layout(folder, n, seed=seed)
        size = sum(f.stat().st_size for f in files)
        done.write_text(json.dumps({"seconds": time.perf_counter() - t0, "bytes": size}))
    info = json.loads(done.read_text())
    print(
        f"data {n:,}: {info['bytes'] / 1e6:,.0f} MB, generated in {info['seconds']:,.1f} s",
        file=sys.stderr,
    )
    return str(folder / "*.parquet")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--data", default="/tmp/relations-bench-scan")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--sides", nargs="+", default=list(SIDES), choices=SIDES)
    ap.add_argument("--cold", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--only", nargs="+", default=[], help="these questions only (q1 a1.spread ...)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--child", nargs=2, metavar=("SIDE", "GLOB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child, args.cold, args.repeats, args.only)))
        return 0
    results: dict[str, Any] = {}
    for n in args.sizes:
        glob = _ensure_data(Path(args.data), n, args.seed)
        for side in args.sides:
            cmd = [sys.executable, __file__, "--child", side, glob]
            cmd += ["--cold", str(args.cold), "--repeats", str(args.repeats)]
            cmd += ["--only", *args.only] if args.only else []
            done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=os.environ)
            if done.returncode != 0:
                results[f"{n}/{side}"] = {"skipped": done.stderr.strip().splitlines()[-1:]}
            else:
                results[f"{n}/{side}"] = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{n:,} {side}: done", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    print(report(results, args.sizes, args.sides))
    return 0


def report(results: dict[str, Any], sizes: list[int], sides: list[str]) -> str:
    """Markdown tables: times (ms, cold/warm) per question and side, ratios, RSS, what's wrong."""
    lines: list[str] = []
    names = ["q1", "q2", *(f"a1.{p}" for p in POLICIES), "a2"]
    for n in sizes:
        live = [s for s in sides if "warm" in results.get(f"{n}/{s}", {})]
        lines += [f"\n### {n:,} events (ms: cold / warm)\n"]
        head = "| question | " + " | ".join(live)
        if "scan" in live:
            head += " | scan/naive warm | scan/exact warm"
        lines += [head + " |", "|---" * (1 + len(live) + 2 * ("scan" in live)) + "|"]
        for q in names:
            if any(q not in results[f"{n}/{s}"]["warm"] for s in live):
                continue
            row = [q]
            for s in live:
                r = results[f"{n}/{s}"]
                row.append(f"{r['cold'][q] * 1e3:,.0f} / {r['warm'][q] * 1e3:,.0f}")
            if "scan" in live:
                scan = results[f"{n}/scan"]["warm"][q]
                for base in ("naive", "exact"):
                    b = results.get(f"{n}/{base}", {}).get("warm", {}).get(q)
                    row.append(f"{scan / b:.2f}×" if b else "-")
            lines.append("| " + " | ".join(row) + " |")
        rss = ", ".join(f"{s} {results[f'{n}/{s}']['maxrss_mb']:,.0f} MB" for s in live)
        lines.append(f"\npeak RSS: {rss}")
        for s in sides:
            if "skipped" in results.get(f"{n}/{s}", {}):
                lines.append(f"{s}: not run ({results[f'{n}/{s}']['skipped']})")
        if {"naive", "exact"} <= set(live):
            lines.append("\nwhat the naive SQL gets wrong (naive vs exact):")
            for q in names:
                if q not in results[f"{n}/naive"]["summary"]:
                    continue
                a = results[f"{n}/naive"]["summary"][q]
                b = results[f"{n}/exact"]["summary"][q]
                lines.append(f"- {q}: naive {json.dumps(a)} vs exact {json.dumps(b)}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
