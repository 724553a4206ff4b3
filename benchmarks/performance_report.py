"""The tables and the chart of ``docs/performance.md``, from the benchmarks' JSON results.

Reads ``load-SIZE.json``, ``q-SIZE.json`` and ``a-SIZE.json`` (written by ``bench_load.py``,
``bench_queries.py`` and ``bench_aggregations.py`` with ``--json``) for each SIZE found in a
directory, prints the Markdown table, and draws the chart with the library's own
:func:`relations.render.series_to_svg`::

    python benchmarks/performance_report.py RESULTS_DIR [--svg docs/_static/charts/performance.svg]

Time to first answer is the engine's prepare time in the query (or aggregation) run plus its
first call: what a user waits for from a file to the first q1 (a2).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

ENGINES = ("relations", "polars", "duckdb", "pandas")
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def _load(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text()) if path.exists() else None


def _t(s: float | None) -> str:
    if s is None:
        return "–"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def rows(results: Path) -> list[dict[str, Any]]:
    """One row per (size, engine) with every measurement found."""
    out = []
    for size in SIZES:
        load = _load(results / f"load-{size}.json")
        q = _load(results / f"q-{size}.json")
        a = _load(results / f"a-{size}.json")
        if load is None and q is None and a is None:
            continue
        for engine in ENGINES:
            r: dict[str, Any] = {"size": size, "engine": engine}
            for mode in ("raw", "ready"):
                runs = (load or {}).get("runs", {}).get(f"{engine}/{mode}") or []
                if not runs and engine == "relations":  # one reader: raw is query-ready
                    runs = (load or {}).get("runs", {}).get(f"{engine}/raw") or []
                if runs:
                    r[f"load_{mode}"] = statistics.median(x["seconds"] for x in runs)
                    r[f"held_{mode}"] = statistics.median(x["held_mib"] for x in runs)
            for bench, cases in ((q, ("q1", "q2", "q3")), (a, ("a1", "a2"))):
                if bench is None:
                    continue
                for c in cases:
                    t = bench["cases"].get(c, {}).get("timings", {}).get(engine)
                    if t is not None:
                        r[c] = t["median"]
                        prep = bench.get("prepare", {}).get(engine)
                        if prep is not None:
                            r[f"first_{c}"] = prep + t["first"]
            if len(r) > 2:
                out.append(r)
    return out


def table(rs: list[dict[str, Any]]) -> str:
    head = (
        "| events | engine | load (raw) | load (query-ready) | held (raw) | held (ready) "
        "| file → first q1 | file → first a2 | warm q1 | warm q2 | warm q3 | warm a1 "
        "| warm a2 |"
    )
    lines = [head, "|" + "---|" * 13]
    for r in rs:
        mib = [f"{r[k]:.0f} MiB" if k in r else "–" for k in ("held_raw", "held_ready")]
        lines.append(
            f"| {r['size']} | {r['engine']} | {_t(r.get('load_raw'))} | "
            f"{_t(r.get('load_ready'))} | {mib[0]} | {mib[1]} | {_t(r.get('first_q1'))} | "
            f"{_t(r.get('first_a2'))} | "
            + " | ".join(_t(r.get(c)) for c in ("q1", "q2", "q3", "a1", "a2"))
            + " |"
        )
    return "\n".join(lines)


def chart(rs: list[dict[str, Any]]) -> str:
    """Microseconds per event from the file to the first a2, per size and engine (a flat
    row of bars: the cost grows linearly), drawn by relations itself. pandas is left out
    (its 10-15 s at 1M would flatten the others)."""
    from relations.render import series_to_svg

    data = {
        f"{r['size']} {r['engine']}": round(r["first_a2"] / SIZES[r["size"]] * 1e6, 2)
        for r in rs
        if "first_a2" in r and r["engine"] != "pandas"
    }
    return series_to_svg(
        data,
        kind="bar",
        fill=False,
        title="Microseconds per event from a JSON Lines file to the first a2 (lower is better)",
        width=900,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--svg", type=Path)
    args = ap.parse_args()
    rs = rows(args.results)
    print(table(rs))
    if args.svg is not None:
        args.svg.write_text(chart(rs), encoding="utf-8")


if __name__ == "__main__":
    main()
