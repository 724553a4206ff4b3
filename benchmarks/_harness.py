"""Shared machinery for the hand-run benchmarks: data, engines, timing, answer checks, tables.

Nothing here is part of the library. Every engine answers from its own prepared in-memory
structure, built once per run (that preparation is *not* in the query timings; it is printed
separately, and ``bench_load.py`` measures loading on its own):

- ``relations``: a ``Timeline`` read from the JSON Lines file (its lazy indexes are built by the
  first, untimed, call, reported in the "first call" table; every engine is then called until
  its time per call settles before it is sampled).
- ``pandas``: a DataFrame sorted by (lo, hi, id) with ``datetime64`` columns ``lo``/``hi``
  (earliest and latest possible day), ``category`` columns ``kind``/``a0``/``a1`` and a float
  ``amount`` (NaN when absent).
- ``polars``: the same columns as a polars DataFrame (``Date``, ``Categorical``, ``Int64``),
  sorted, so polars knows ``lo`` is sorted.
- ``duckdb``: an in-memory table with the same columns, ``ENUM`` types for kind and actors,
  rows stored in (lo, hi, id) order so that DuckDB's zone maps can skip row groups.

Times are medians of several samples; each sample repeats the call enough times to last at
least ``--min-time`` seconds (like ``timeit``'s autorange), and the engines take turns within
each round so that noise from other processes hits them alike.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import importlib.util
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import generate

DEFAULT_N = 1_000_000
QUICK_N = 100_000
ENGINES = ("relations", "pandas", "polars", "duckdb")
PEERS = ("pandas", "polars", "duckdb")


# --------------------------------------------------------------------------------------------
# command line and data


def parser(description: str, *, repeats: int = 7) -> argparse.ArgumentParser:
    """The options every benchmark script shares."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--n", type=int, default=DEFAULT_N, help=f"events (default {DEFAULT_N:,})")
    ap.add_argument("--quick", action="store_true", help=f"shorthand for --n {QUICK_N:,}")
    ap.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    ap.add_argument(
        "--data",
        type=Path,
        help="JSON Lines file to use (generated there if missing; default: a cache file under "
        "$RELATIONS_BENCH_DATA or the temp dir, named after N and seed)",
    )
    ap.add_argument(
        "--repeats", type=int, default=repeats, help=f"timed samples per engine ({repeats})"
    )
    ap.add_argument(
        "--min-time",
        type=float,
        default=0.05,
        help="each sample repeats the call until it lasts at least this many seconds (0.05)",
    )
    ap.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated subset of " + ",".join(ENGINES),
    )
    ap.add_argument("--json", type=Path, help="also write the raw results to this JSON file")
    return ap


def parse_args(
    ap: argparse.ArgumentParser, argv: Sequence[str] | None = None
) -> argparse.Namespace:
    """Parse, apply ``--quick`` and validate ``--engines``."""
    args = ap.parse_args(argv)
    if args.quick:
        args.n = QUICK_N
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        ap.error(f"unknown engine(s) {unknown}; choose from {', '.join(ENGINES)}")
    args.engines = [e for e in ENGINES if e in engines]
    return args


def dataset(args: argparse.Namespace) -> Path:
    """The JSON Lines file for this run (generated once, then reused)."""
    return generate.ensure_dataset(args.n, seed=args.seed, path=args.data)


def log(msg: str) -> None:
    """Progress goes to stderr so that stdout is just the Markdown report."""
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# relations (being written alongside; degrade gracefully while it is incomplete)


def relations_missing(*attrs: str) -> str | None:
    """Why relations cannot run yet (None when ``Timeline`` has every attribute in ``attrs``)."""
    try:
        from relations.timeline import Timeline
    except Exception as e:
        return f"relations.timeline not importable ({type(e).__name__}: {e})"
    missing = [a for a in attrs if not hasattr(Timeline, a)]
    return f"Timeline lacks {', '.join(missing)}" if missing else None


def skip_relations_if_missing(args: argparse.Namespace, *attrs: str) -> dict[str, str]:
    """Drop ``relations`` from ``args.engines`` if it cannot run yet; return why, by engine."""
    if "relations" not in args.engines:
        return {}
    why = relations_missing(*attrs)
    if not why:
        return {}
    args.engines.remove("relations")
    log(f"relations skipped: {why}")
    return {"relations": why}


def _io_reader() -> Callable[..., Any] | None:
    """``relations.io.read_jsonl`` if it exists yet (``timeline.read_jsonl`` delegates to it)."""
    try:
        io_mod = importlib.import_module("relations.io")
    except ImportError:
        return None
    return getattr(io_mod, "read_jsonl", None)


def read_jsonl_relations(path: Path) -> Any:
    """Read the file into a ``Timeline`` with ``timeline.read_jsonl``.

    Falls back to ``Timeline(Event.from_dict(json.loads(line)) ...)`` while the io module has
    no reader yet.
    """
    from relations import timeline as tl_mod

    if _io_reader() is not None and hasattr(tl_mod, "read_jsonl"):
        return tl_mod.read_jsonl(path)
    from relations.events import Event

    with open(path, encoding="utf-8") as f:
        return tl_mod.Timeline(Event.from_dict(json.loads(line)) for line in f if line.strip())


def relations_reader_name() -> str:
    """Which code path ``read_jsonl_relations`` takes (for the report)."""
    if _io_reader() is not None:
        return "relations.timeline.read_jsonl"
    return "Timeline(Event.from_dict(json.loads(line)) for line in f)"


# --------------------------------------------------------------------------------------------
# peers: raw load (their idiomatic reader) and the prepared, query-ready structure


def read_raw(engine: str, path: Path) -> Any:
    """Each peer's idiomatic JSON Lines reader, nothing else (what ``bench_load`` times)."""
    if engine == "pandas":
        import pandas as pd

        return pd.read_json(path, lines=True)
    if engine == "polars":
        import polars as pl

        return pl.read_ndjson(path)
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute("CREATE TABLE events AS SELECT * FROM read_json(?)", [str(path)])
        return con
    if engine == "relations":
        return read_jsonl_relations(path)
    raise ValueError(f"unknown engine {engine!r}")


def prepare_pandas(path: Path) -> Any:
    """Query-ready pandas DataFrame (see the module docstring)."""
    import numpy as np
    import pandas as pd

    raw = pd.read_json(path, lines=True)
    w = raw["when"].astype(str)
    n = w.str.len()
    # EDTF day / month / year -> earliest possible day
    lo = pd.to_datetime(
        w.where(n == 10, w.where(n != 7, w + "-01").where(n != 4, w + "-01-01")),
        format="%Y-%m-%d",
    )
    # ... and latest possible day
    hi = lo.where(n == 10, lo.where(n != 7, lo + pd.offsets.MonthEnd(0)))
    hi = hi.where(n != 4, lo + pd.offsets.YearEnd(0))
    amount = raw["quantities"].map(
        lambda q: q["amount"]["value"] if isinstance(q, dict) and "amount" in q else np.nan
    )
    df = pd.DataFrame(
        {
            "id": raw["id"],
            "kind": raw["kind"].astype("category"),
            "a0": raw["actors"].str[0].astype("category"),
            "a1": raw["actors"].str[1].astype("category"),
            "lo": lo,
            "hi": hi,
            "amount": amount.astype("float64"),
        }
    )
    return df.sort_values(["lo", "hi", "id"], ignore_index=True)


def prepare_polars(path: Path) -> Any:
    """Query-ready polars DataFrame (see the module docstring)."""
    import polars as pl

    raw = pl.read_ndjson(path)
    w = pl.col("when")
    n = w.str.len_bytes()
    lo = (
        pl.when(n == 10)
        .then(w)
        .when(n == 7)
        .then(w + "-01")
        .otherwise(w + "-01-01")
        .str.to_date("%Y-%m-%d")
        .alias("lo")
    )
    df = raw.select(
        "id",
        pl.col("kind").cast(pl.Categorical),
        pl.col("actors").list.get(0).cast(pl.Categorical).alias("a0"),
        pl.col("actors").list.get(1).cast(pl.Categorical).alias("a1"),
        lo,
        pl.col("quantities").struct.field("amount").struct.field("value").alias("amount"),
        n.alias("_n"),
    )
    c_lo, c_n = pl.col("lo"), pl.col("_n")
    hi = (
        pl.when(c_n == 10)
        .then(c_lo)
        .when(c_n == 7)
        .then(c_lo.dt.month_end())
        .otherwise(c_lo.dt.offset_by("1y") - pl.duration(days=1))
        .alias("hi")
    )
    return (
        df.with_columns(hi)
        .select("id", "kind", "a0", "a1", "lo", "hi", "amount")
        .sort("lo", "hi", "id")
    )


def prepare_duckdb(path: Path) -> Any:
    """Query-ready in-memory DuckDB table ``ev`` (see the module docstring)."""
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE raw AS SELECT * FROM read_json(?)", [str(path)])
    con.execute(
        """
        CREATE TEMP TABLE d AS
        SELECT id, kind, actors[1] AS a0, actors[2] AS a1,
               quantities.amount."value" AS amount, length("when") AS n,
               CASE length("when")
                    WHEN 10 THEN CAST("when" AS DATE)
                    WHEN 7 THEN CAST("when" || '-01' AS DATE)
                    ELSE CAST("when" || '-01-01' AS DATE) END AS lo
        FROM raw
        """
    )
    con.execute("CREATE TYPE actor AS ENUM (SELECT a0 FROM d UNION SELECT a1 FROM d)")
    con.execute("CREATE TYPE kind_t AS ENUM (SELECT DISTINCT kind FROM d)")
    con.execute(
        """
        CREATE TABLE ev AS
        SELECT id, CAST(kind AS kind_t) AS kind, CAST(a0 AS actor) AS a0,
               CAST(a1 AS actor) AS a1, lo,
               CASE n WHEN 10 THEN lo WHEN 7 THEN last_day(lo)
                      ELSE make_date(year(lo), 12, 31) END AS hi,
               amount
        FROM d ORDER BY lo, hi, id
        """
    )
    con.execute("DROP TABLE raw")
    con.execute("DROP TABLE d")
    return con


PREPARE: dict[str, Callable[[Path], Any]] = {
    "relations": read_jsonl_relations,
    "pandas": prepare_pandas,
    "polars": prepare_polars,
    "duckdb": prepare_duckdb,
}


def prepare(engines: Iterable[str], path: Path) -> tuple[dict[str, Any], dict[str, float]]:
    """Build every engine's structure once; return them and how long each took."""
    data: dict[str, Any] = {}
    took: dict[str, float] = {}
    for e in engines:
        log(f"preparing {e} ...")
        gc.collect()
        t0 = time.perf_counter()
        data[e] = PREPARE[e](path)
        took[e] = time.perf_counter() - t0
        log(f"  {e}: {took[e]:.2f} s")
    # The loaded data lives for the whole run: move it out of the collector's sight, so that
    # neither the per-sample gc.collect() nor automatic full collections rescan millions of
    # long-lived objects (which would charge one engine's heap to another's timings).
    gc.collect()
    gc.freeze()
    return data, took


# --------------------------------------------------------------------------------------------
# timing


@dataclass
class Timing:
    """Per-call seconds of each sample, the first (cold) call, and the calls per sample."""

    samples: list[float]
    first: float
    number: int

    @property
    def median(self) -> float:
        """Median per-call time over the samples."""
        return statistics.median(self.samples)


@dataclass
class Case:
    """One question put to every engine.

    ``run[engine]`` answers it in the engine's native form (that is what is timed);
    ``canon[engine]`` turns the native answer into a plain Python value (untimed) that must be
    equal across engines.
    """

    name: str
    question: str
    goal: float
    run: dict[str, Callable[[], Any]]
    canon: dict[str, Callable[[Any], Any]]
    notes: dict[str, str] = field(default_factory=dict)
    timings: dict[str, Timing] = field(default_factory=dict)
    answer: Any = None


class AnswerMismatch(AssertionError):
    """Two engines gave different answers to the same question."""


def _once(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def _sample(fn: Callable[[], Any], number: int) -> float:
    gc.collect()
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def _warm_up(fn: Callable[[], Any], min_time: float) -> float:
    """Call ``fn`` until its time per call settles; return that time.

    Lazily built state (indexes, a cached sub-timeline, an id column) is paid for over the
    first calls, so the *second* call is not yet the steady state; sizing the samples from it
    would time the warm-up instead. The first call is reported on its own ("first call").
    Warm-up stops after at least 5 calls once the last call is within 20% of the best seen, or
    after ``4 * min_time`` seconds.
    """
    best = math.inf
    spent = 0.0
    for calls in range(1, 10_001):
        took, _ = _once(fn)
        spent += took
        best = min(best, took)
        if (calls >= 5 and took <= 1.2 * best) or spent >= 4 * min_time:
            break
    return best


def run_case(case: Case, *, repeats: int, min_time: float) -> Case:
    """Warm up and check every engine, then time them in interleaved rounds."""
    engines = list(case.run)
    answers: dict[str, Any] = {}
    first: dict[str, float] = {}
    number: dict[str, int] = {}
    for e in engines:
        gc.collect()
        first[e], native = _once(case.run[e])
        answers[e] = case.canon[e](native)
        steady = _warm_up(case.run[e], min_time)
        number[e] = max(1, min(100_000, math.ceil(min_time / max(steady, 1e-7))))
    check_answers(case.name, answers)
    case.answer = next(iter(answers.values())) if answers else None
    samples: dict[str, list[float]] = {e: [] for e in engines}
    for r in range(repeats):
        order = engines[r % len(engines) :] + engines[: r % len(engines)]
        for e in order:
            samples[e].append(_sample(case.run[e], number[e]))
    case.timings = {e: Timing(samples[e], first[e], number[e]) for e in engines}
    return case


def _describe(value: Any) -> str:
    if isinstance(value, (set, frozenset, dict, list, tuple)):
        return f"{type(value).__name__} of {len(value)}"
    return repr(value)[:200]


def check_answers(name: str, answers: Mapping[str, Any]) -> None:
    """Raise AnswerMismatch (naming engines and differences) unless all answers are equal."""
    items = list(answers.items())
    if len(items) < 2:
        return
    ref_engine, ref = items[0]
    for engine, got in items[1:]:
        if got == ref:
            continue
        detail = f"{ref_engine}: {_describe(ref)}; {engine}: {_describe(got)}"
        if isinstance(ref, (set, frozenset, tuple)) and isinstance(got, (set, frozenset, tuple)):
            only_ref = sorted(set(ref) - set(got), key=repr)[:5]
            only_got = sorted(set(got) - set(ref), key=repr)[:5]
            detail += f"\n  only in {ref_engine}: {only_ref}\n  only in {engine}: {only_got}"
        elif isinstance(ref, dict) and isinstance(got, dict):
            keys = sorted(set(ref) | set(got), key=repr)
            diffs = [(k, ref.get(k), got.get(k)) for k in keys if ref.get(k) != got.get(k)]
            detail += f"\n  {len(diffs)} differing keys, first: {diffs[:5]}"
        else:
            detail += f"\n  {ref_engine}: {ref!r}\n  {engine}: {got!r}"
        raise AnswerMismatch(f"{name}: engines disagree\n  {detail}")


# --------------------------------------------------------------------------------------------
# report


def fmt_time(seconds: float | None) -> str:
    """Human-sized time: µs below 1 ms, ms below 1 s, else s."""
    if seconds is None or math.isnan(seconds):
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def versions(engines: Iterable[str]) -> str:
    """One line naming the Python and every engine's version."""
    parts = [f"Python {platform.python_version()}"]
    for e in engines:
        try:
            mod = __import__(e)
            parts.append(f"{e} {getattr(mod, '__version__', '?')}")
        except ImportError:
            parts.append(f"{e} (not installed)")
    return ", ".join(parts)


def relations_fingerprint() -> str:
    """Short hash of the relations sources in use, and the newest file's time.

    While the library has no release or commit to name, this says which code was measured.
    """
    spec = importlib.util.find_spec("relations")
    if spec is None or not spec.submodule_search_locations:
        return "relations not found"
    root = Path(next(iter(spec.submodule_search_locations)))
    files = sorted(root.rglob("*.py"))
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    newest = max((f.stat().st_mtime for f in files), default=0.0)
    stamp = datetime.fromtimestamp(newest)
    return f"relations sources sha256:{digest.hexdigest()[:12]} (newest file {stamp:%H:%M:%S})"


def header(title: str, args: argparse.Namespace, path: Path) -> str:
    """The Markdown lines above every table: what, on what, when, how."""
    cmd = " ".join([Path(sys.executable).name, *sys.argv])
    return "\n".join(
        [
            f"## {title}",
            "",
            f"- N = {args.n:,} events, seed {args.seed} (`{path}`)",
            f"- {versions(args.engines)}",
            f"- {relations_fingerprint()}",
            f"- {platform.platform()}, {os.cpu_count()} CPUs; {datetime.now():%Y-%m-%d %H:%M}",
            f"- `{cmd}`; medians of {args.repeats} samples (each ≥ {args.min_time} s)",
            "",
        ]
    )


def results_table(cases: Sequence[Case], engines: Sequence[str]) -> str:
    """Markdown: median per engine, fastest peer, relations ÷ fastest peer, goal met?"""
    peers = [e for e in engines if not e.startswith("relations")]
    has_rel = "relations" in engines
    cols = ["query", *engines, "fastest peer"]
    if has_rel and peers:
        cols += ["relations ÷ fastest peer", "speed-up", "goal", "met"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for c in cases:
        med = {e: c.timings[e].median for e in engines if e in c.timings}
        row = [c.name, *(fmt_time(med.get(e)) for e in engines)]
        peer_meds = {e: med[e] for e in peers if e in med}
        best = min(peer_meds, key=peer_meds.__getitem__) if peer_meds else None
        row.append(best or "—")
        if has_rel and peers:
            if best is not None and "relations" in med:
                ratio = med["relations"] / peer_meds[best]
                speedup = 1 / ratio
                row += [f"{ratio:.3f}", f"{speedup:.1f}×", f"≥ {c.goal:g}×"]
                row.append("yes" if speedup >= c.goal else "**no**")
            else:
                row += ["—", "—", f"≥ {c.goal:g}×", "—"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def cold_table(cases: Sequence[Case], engines: Sequence[str]) -> str:
    """Markdown: the first call of each engine (includes lazily built indexes/caches)."""
    cols = ["query (first call)", *engines]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for c in cases:
        row = [c.name, *(fmt_time(c.timings[e].first if e in c.timings else None) for e in engines)]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def prepare_table(took: Mapping[str, float]) -> str:
    """Markdown: one-off preparation time per engine (not part of the query timings)."""
    lines = ["| engine | prepare (read + build, untimed in queries) |", "|---|---|"]
    lines += [f"| {e} | {fmt_time(t)} |" for e, t in took.items()]
    return "\n".join(lines)


def write_json(path: Path, cases: Sequence[Case], args: argparse.Namespace, **extra: Any) -> None:
    """Raw numbers for later comparison."""
    out = {
        "n": args.n,
        "seed": args.seed,
        "versions": versions(args.engines),
        "when": datetime.now().isoformat(timespec="seconds"),
        "argv": sys.argv,
        "cases": {
            c.name: {
                "question": c.question,
                "goal": c.goal,
                "timings": {
                    e: {
                        "median": t.median,
                        "samples": t.samples,
                        "first": t.first,
                        "number": t.number,
                    }
                    for e, t in c.timings.items()
                },
            }
            for c in cases
        },
        **extra,
    }
    path.write_text(json.dumps(out, indent=2, default=str) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# small helpers shared by the benchmark scripts


def day(text: str) -> date:
    """``date.fromisoformat`` (kept here so scripts share one spelling)."""
    return date.fromisoformat(text)


def run_all(
    title: str,
    cases: Sequence[Case],
    args: argparse.Namespace,
    path: Path,
    took: Mapping[str, float],
    skipped: Mapping[str, str],
) -> int:
    """Time every case, print the Markdown report, optionally write JSON; return exit status."""
    for c in cases:
        log(f"running {c.name} ...")
        run_case(c, repeats=args.repeats, min_time=args.min_time)
    engines = list(dict.fromkeys(e for c in cases for e in c.timings))
    out = [header(title, args, path), results_table(cases, engines), ""]
    for e, why in skipped.items():
        out.append(f"- {e} skipped: {why}")
    out += ["", cold_table(cases, engines), "", prepare_table(took), ""]
    for c in cases:
        out.append(f"- **{c.name}** {c.question} — answer: {_describe(c.answer)}")
        for e, note in c.notes.items():
            if e in c.timings:
                out.append(f"  - {e}: {note}")
    print("\n".join(out))
    if args.json:
        write_json(args.json, cases, args, prepare=dict(took), skipped=dict(skipped))
    return 0
