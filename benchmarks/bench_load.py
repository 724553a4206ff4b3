"""Loading JSON Lines, relations vs pandas, polars and DuckDB: time and memory held (issue 8).

Each measurement runs in a **fresh subprocess** (one per engine and repeat), so that one
engine's allocations and caches never colour another's:

1. the child imports the engine's modules (not timed, not counted);
2. it runs ``gc.collect()``, reads its resident set size (``VmRSS`` in ``/proc/self/status``)
   as the baseline and resets the peak (``echo 5 > /proc/self/clear_refs``);
3. it loads the file, timing with ``time.perf_counter`` (wall-clock; the goal) and
   ``time.process_time`` (CPU time of all its threads: less sensitive to other processes on a
   shared machine, but larger than wall-clock for multi-threaded polars and DuckDB);
4. it runs ``gc.collect()`` with the result still referenced and reads ``VmRSS`` again:
   **held** = RSS after − baseline (what the loaded data occupies), **peak** = ``VmHWM`` −
   baseline (the high-water mark during the load).

RSS is used rather than ``tracemalloc`` because tracemalloc sees only Python's allocator: it
would miss Arrow, polars (Rust) and DuckDB buffers entirely and would slow relations down.

Two ways of loading are measured for the peers:

- **raw**: the idiomatic reader alone: ``pd.read_json(path, lines=True)``,
  ``pl.read_ndjson(path)``, DuckDB ``CREATE TABLE events AS SELECT * FROM read_json(?)``.
  This is the comparison the goal refers to.
- **query-ready**: raw plus what the query benchmarks need (earliest/latest day columns derived
  from the EDTF strings, categoricals, sorted), i.e. the structure relations' ``Timeline``
  corresponds to. For relations both are the same: ``read_jsonl`` → ``Timeline``.

Goals: issue 15, relations' load within 1.5× of polars ``read_ndjson`` and the memory it holds
no more than 1.5× polars'; issue 8, load no slower than pandas and memory no more than twice
pandas'. The report states each for the peers in the run.

With ``--parquet`` it measures loading **Parquet** instead (issue 15's second goal: within
1.5× of polars ``read_parquet``): the JSON Lines data is first written once, by
``relations.io.to_parquet``, in the columnar layout (``--parquet-file``, default beside the
data; not timed), then each engine reads that same file: ``relations.io.read_parquet``
(a column-backed Timeline), ``pl.read_parquet``, ``pd.read_parquet`` and DuckDB
``CREATE TABLE AS SELECT * FROM read_parquet(?)``.

Usage::

    python benchmarks/bench_load.py            # N = 1 000 000, 3 repeats
    python benchmarks/bench_load.py --quick    # N = 100 000
    python benchmarks/bench_load.py --parquet --engines relations,polars --data events-1m.jsonl
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _harness as h

MODES = ("raw", "ready")


# --------------------------------------------------------------------------------------------
# child


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _import_engine(engine: str) -> None:
    if engine == "relations":
        for mod in ("relations.events", "relations.timeline", "relations.io"):
            if importlib.util.find_spec(mod) is not None:
                importlib.import_module(mod)
    else:
        __import__(engine)
        if engine == "pandas":
            import numpy  # noqa: F401


def _rows(engine: str, obj: Any) -> int:
    if engine == "duckdb":
        table = "events" if "events" in {r[0] for r in obj.sql("SHOW TABLES").fetchall()} else "ev"
        return int(obj.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    if hasattr(obj, "height"):
        return int(obj.height)
    return len(obj)


def read_parquet(engine: str, path: Path) -> Any:
    """Each engine's Parquet reader, nothing else (``--parquet``)."""
    if engine == "relations":
        from relations.io import read_parquet as read

        return read(path)
    if engine == "polars":
        import polars as pl

        return pl.read_parquet(path)
    if engine == "pandas":
        import pandas as pd

        return pd.read_parquet(path)
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute("CREATE TABLE events AS SELECT * FROM read_parquet(?)", [str(path)])
        return con
    raise ValueError(f"unknown engine {engine!r}")


def parquet_file(jsonl: Path, target: Path | None) -> Path:
    """The data in the columnar layout, written once by relations (not timed)."""
    target = target or jsonl.with_suffix(".layout2.parquet")
    if not target.exists() or target.stat().st_mtime < jsonl.stat().st_mtime:
        from relations.io import read_jsonl, to_parquet

        h.log(f"writing {target} (once) ...")
        to_parquet(read_jsonl(jsonl), target)
    return target


def child(engine: str, mode: str, path: Path) -> dict[str, Any]:
    """Load once in this (fresh) process and report seconds, MiB held and MiB peak."""
    _import_engine(engine)
    if mode == "parquet":
        load = read_parquet
    else:
        load = h.read_raw if mode == "raw" else (lambda e, p: h.PREPARE[e](p))
    gc.collect()
    base = _status_kb("VmRSS")
    peak_reset = _reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    obj = load(engine, path)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    gc.collect()
    held = _status_kb("VmRSS") - base
    peak = _status_kb("VmHWM") - base
    return {
        "engine": engine,
        "mode": mode,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "held_mib": held / 1024,
        "peak_mib": peak / 1024,
        "peak_reset": peak_reset,
        "rows": _rows(engine, obj),
        "base_mib": base / 1024,
    }


# --------------------------------------------------------------------------------------------
# parent


def spawn(engine: str, mode: str, path: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; fail loudly if it fails."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", engine, mode, str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{engine} ({mode}) failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def summarise(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Medians over repeats."""
    keys = ("seconds", "cpu_seconds", "held_mib", "peak_mib")
    return {k: statistics.median(r[k] for r in runs) for k in keys}


def table(results: dict[tuple[str, str], dict[str, float]], engines: list[str]) -> str:
    """Markdown: per engine, raw and query-ready load time / held / peak memory."""
    cols = [
        "engine",
        "load (raw)",
        "held (raw)",
        "peak (raw)",
        "load (query-ready)",
        "held (query-ready)",
        "peak (query-ready)",
    ]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for e in engines:
        row = [e]
        for mode in MODES:
            r = results.get((e, mode)) or results.get((e, "raw"))
            if r is None:
                row += ["—", "—", "—"]
            else:
                row += [
                    f"{h.fmt_time(r['seconds'])} (CPU {h.fmt_time(r['cpu_seconds'])})",
                    f"{r['held_mib']:.0f} MiB",
                    f"{r['peak_mib']:.0f} MiB",
                ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def goals(results: dict[tuple[str, str], dict[str, float]]) -> list[str]:
    """Issue 15's goals against polars' raw reader (load ≤ 1.5×, memory held ≤ 1.5×), and
    issue 8's against pandas' (load ≤ 1×, memory ≤ 2×), for the peers in the run."""
    rel = results.get(("relations", "raw"))
    if rel is None:
        return ["- goals: relations is not in the run"]
    out = []
    for peer, t_goal, m_goal, issue in (("polars", 1.5, 1.5, 15), ("pandas", 1.0, 2.0, 8)):
        p = results.get((peer, "raw"))
        if p is None:
            continue
        t_ratio = rel["seconds"] / p["seconds"]
        c_ratio = rel["cpu_seconds"] / p["cpu_seconds"]
        m_ratio = rel["held_mib"] / p["held_mib"]
        out += [
            f"- load time relations ÷ {peer} = {t_ratio:.2f} wall-clock, {c_ratio:.2f} CPU time "
            f"(issue {issue}: ≤ {t_goal:g}): " + ("met" if t_ratio <= t_goal else "**not met**"),
            f"- memory held relations ÷ {peer} = {m_ratio:.2f} (issue {issue}: ≤ {m_goal:g}): "
            + ("met" if m_ratio <= m_goal else "**not met**"),
        ]
    return out or ["- goals: need polars or pandas in the run"]


def main(argv: list[str] | None = None) -> int:
    """Run every engine × mode × repeat in fresh subprocesses; print the Markdown report."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        engine, mode, path = argv[1], argv[2], Path(argv[3])
        print(json.dumps(child(engine, mode, path)))
        return 0
    ap = h.parser(__doc__.split("\n\n")[0], repeats=3)
    ap.add_argument("--parquet", action="store_true", help="load Parquet (see the docs above)")
    ap.add_argument("--parquet-file", type=Path, help="the Parquet copy (default: beside --data)")
    args = h.parse_args(ap, argv)
    skipped = h.skip_relations_if_missing(args)
    path = h.dataset(args)
    if args.parquet:
        return main_parquet(args, parquet_file(path, args.parquet_file))
    jobs = [(e, m) for e in args.engines for m in MODES if not (e == "relations" and m == "ready")]
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {j: [] for j in jobs}
    for r in range(args.repeats):
        order = jobs[r % len(jobs) :] + jobs[: r % len(jobs)]
        for e, m in order:
            h.log(f"repeat {r + 1}/{args.repeats}: {e} ({m}) ...")
            res = spawn(e, m, path)
            if res["rows"] != args.n:
                raise h.AnswerMismatch(f"{e} ({m}) loaded {res['rows']} rows, expected {args.n}")
            h.log(f"  {res['seconds']:.2f} s, held {res['held_mib']:.0f} MiB")
            runs[(e, m)].append(res)
    results = {j: summarise(rs) for j, rs in runs.items()}
    out = [h.header("Loading JSON Lines (issue 8)", args, path)]
    out[0] = out[0].replace(f"samples (each ≥ {args.min_time} s)", "fresh subprocesses")
    out += [table(results, args.engines), "", *goals(results)]
    out.append(
        f"- relations reader: `{h.relations_reader_name()}`" if "relations" in args.engines else ""
    )
    for e, why in skipped.items():
        out.append(f"- {e} skipped: {why}")
    if not all(r["peak_reset"] for rs in runs.values() for r in rs):
        out.append("- note: could not reset VmHWM; peak includes the import-time high-water mark")
    print("\n".join(out))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"n": args.n, "runs": {f"{e}/{m}": rs for (e, m), rs in runs.items()}}, indent=2
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


def main_parquet(args: Any, path: Path) -> int:
    """``--parquet``: every engine reads the same Parquet file; medians and the goal."""
    runs: dict[str, list[dict[str, Any]]] = {e: [] for e in args.engines}
    for r in range(args.repeats):
        order = args.engines[r % len(args.engines) :] + args.engines[: r % len(args.engines)]
        for e in order:
            h.log(f"repeat {r + 1}/{args.repeats}: {e} (parquet) ...")
            res = spawn(e, "parquet", path)
            if res["rows"] != args.n:
                raise h.AnswerMismatch(f"{e} (parquet) loaded {res['rows']} rows, not {args.n}")
            h.log(f"  {res['seconds']:.2f} s, held {res['held_mib']:.0f} MiB")
            runs[e].append(res)
    med = {e: summarise(rs) for e, rs in runs.items()}
    out = [h.header("Loading Parquet in the columnar layout (issue 15)", args, path)]
    out[0] = out[0].replace(f"samples (each ≥ {args.min_time} s)", "fresh subprocesses")
    out += ["| engine | load | CPU | held | peak |", "|---|---|---|---|---|"]
    for e, m in med.items():
        out.append(
            f"| {e} | {h.fmt_time(m['seconds'])} | {h.fmt_time(m['cpu_seconds'])} "
            f"| {m['held_mib']:.0f} MiB | {m['peak_mib']:.0f} MiB |"
        )
    rel, pl_ = med.get("relations"), med.get("polars")
    if rel and pl_:
        ratio = rel["seconds"] / pl_["seconds"]
        out.append(
            f"\n- load relations ÷ polars read_parquet = {ratio:.2f} wall-clock, "
            f"{rel['cpu_seconds'] / pl_['cpu_seconds']:.2f} CPU (goal ≤ 1.5): "
            + ("met" if ratio <= 1.5 else "**not met**")
        )
    print("\n".join(out))
    if args.json:
        args.json.write_text(json.dumps({"n": args.n, "parquet": runs}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
