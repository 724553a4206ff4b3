"""Event store benchmark: relations' SQLiteStore against eventsourcing and raw sqlite3.

One run measures, on fresh database files in a temporary directory on local disk, with the
same durability everywhere (SQLite WAL, ``synchronous=FULL``: a returned append is on disk):

1. **append, 1 per transaction** — ``N`` events, one commit each;
2. **append, 1 000 per transaction** — ``N`` events in batches of 1 000 (100 streams of 1 000);
3. **read + decode all** — every event back as an object;
4. **rebuild a projection** — from the database file to a folded state over all ``N`` events.

Engines:

- ``relations``: ``SQLiteStore.append`` / ``read_all`` / ``fold(store.timeline(), ...)``.
- ``raw sqlite3``: hand-written stdlib code on the same table and indexes as ``relations``
  (``BEGIN IMMEDIATE``; ``INSERT`` or ``executemany``; ``COMMIT``), payloads made with
  ``json.dumps(event.to_dict())``; reading is ``SELECT`` + ``json.loads`` (dicts, no objects).
- ``es recorder``: eventsourcing's ``SQLiteApplicationRecorder`` with ``StoredEvent`` objects
  whose state is the same JSON (``insert_events``, ``select_notifications``; no decoding).
- ``es application``: an eventsourcing ``Application`` with an aggregate per stream whose
  ``Recorded`` event carries the same fields (``app.save``; ``select_notifications`` +
  ``mapper.to_domain_event``; ``repository.get`` of every aggregate for the rebuild).

Events are prepared before timing (relations ``Event`` objects; eventsourcing aggregates with
their pending events for the batched case). The engines take turns batch by batch (and every
250 single appends), so that changes in the machine's load and in the disk's flush latency hit
them alike; each engine's time is the sum of its turns. Times are medians of ``--repeats``
runs; ratios are ``relations`` speed ÷ the other engine's speed (> 1: relations is faster).
The rebuilt states are checked to be equal across engines.

Reading and rebuilding in ``relations`` go through a *new* ``SQLiteStore`` object for the
rebuild (nothing cached) and the appending one for ``read_all`` (which caches nothing).

Usage::

    python benchmarks/bench_store.py                 # N = 100 000 (several minutes)
    python benchmarks/bench_store.py --quick         # N = 10 000
    python benchmarks/bench_store.py --single-n 20000   # fewer one-per-transaction appends
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

from relations import Event
from relations.projections import Projection, fold
from relations.store import SQLiteStore

BATCH = 1_000
STREAMS = 100


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# data


def make_events(n: int, seed: int) -> list[Event]:
    return [Event.from_dict(r) for r in generate.iter_records(n, seed=seed)]


def stream_of(i: int, n: int) -> str:
    per = max(1, n // STREAMS)
    return f"dyad-{i // per:03d}"


def amount(e: Event) -> float:
    q = e.quantities.get("amount")
    return 0.0 if q is None else float(q)


# The projection every engine rebuilds: event count and total amount.
TOTALS: Projection[tuple[int, float]] = Projection.simple(
    (0, 0.0), lambda s, e: (s[0] + 1, s[1] + amount(e))
)


# --------------------------------------------------------------------------------------------
# engines


class Relations:
    name = "relations"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = SQLiteStore(path)

    def append_each(self, events: Sequence[Event], offset: int, total: int) -> None:
        append = self.store.append
        for j, e in enumerate(events):
            append(stream_of(offset + j, total), [e])

    def append_batch(self, k: int, batch: Sequence[Event], total: int) -> None:
        self.store.append(stream_of(k * BATCH, total), batch)

    def read_all(self) -> int:
        return len(self.store.read_all())

    def rebuild(self) -> tuple[int, float]:
        with SQLiteStore(self.path) as fresh:  # nothing cached: from the file
            return fold(fresh.timeline(), TOTALS)

    def close(self) -> None:
        self.store.close()


_RAW_SCHEMA = (
    """CREATE TABLE relations_events (
        position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
        id TEXT NOT NULL, type TEXT NOT NULL, target TEXT, schema INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL, payload TEXT NOT NULL, UNIQUE (stream, version))""",
    "CREATE INDEX relations_events_target ON relations_events (target) WHERE target IS NOT NULL",
)
_RAW_INSERT = (
    "INSERT INTO relations_events (stream, version, id, type, target, schema, recorded_at, "
    "payload) VALUES (?, ?, ?, 'event', NULL, 1, ?, ?)"
)


class Raw:
    name = "raw sqlite3"

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        for sql in _RAW_SCHEMA:
            self.conn.execute(sql)
        self.versions: dict[str, int] = {}

    def _row(self, stream: str, e: Event) -> tuple[Any, ...]:
        v = self.versions.get(stream, 0) + 1
        self.versions[stream] = v
        payload = json.dumps(e.to_dict(), ensure_ascii=False, separators=(",", ":"))
        return (stream, v, e.id, time.time_ns() // 1000, payload)

    def append_each(self, events: Sequence[Event], offset: int, total: int) -> None:
        conn = self.conn
        for j, e in enumerate(events):
            row = self._row(stream_of(offset + j, total), e)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(_RAW_INSERT, row)
            conn.execute("COMMIT")

    def append_batch(self, k: int, batch: Sequence[Event], total: int) -> None:
        stream = stream_of(k * BATCH, total)
        rows = [self._row(stream, e) for e in batch]
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany(_RAW_INSERT, rows)
        self.conn.execute("COMMIT")

    def read_all(self) -> int:
        rows = self.conn.execute(
            "SELECT position, stream, version, recorded_at, payload FROM relations_events "
            "ORDER BY position"
        ).fetchall()
        return len([json.loads(r[4]) for r in rows])

    def rebuild(self) -> tuple[int, float]:
        count, total = 0, 0.0
        for (payload,) in self.conn.execute(
            "SELECT payload FROM relations_events ORDER BY position"
        ):
            d = json.loads(payload)
            count += 1
            q = d.get("quantities", {}).get("amount")
            total += 0.0 if q is None else float(q.get("value", 0))
        return count, total

    def close(self) -> None:
        self.conn.close()


def _es_state(e: Event) -> dict[str, Any]:
    d = e.to_dict()
    del d["schema"]
    return d


class EsRecorder:
    name = "es recorder"

    def __init__(self, path: Path) -> None:
        from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

        self.datastore = SQLiteDatastore(str(path))
        self.recorder = SQLiteApplicationRecorder(self.datastore)
        self.recorder.create_table()
        self.ids: dict[str, Any] = {}
        self.versions: dict[str, int] = {}

    def _stored(self, stream: str, e: Event) -> Any:
        import uuid

        from eventsourcing.persistence import StoredEvent

        oid = self.ids.setdefault(stream, uuid.uuid4())
        v = self.versions.get(stream, 0) + 1
        self.versions[stream] = v
        state = json.dumps(_es_state(e), separators=(",", ":")).encode()
        return StoredEvent(originator_id=oid, originator_version=v, topic="bench:Recorded",
                           state=state)  # fmt: skip

    def append_each(self, events: Sequence[Event], offset: int, total: int) -> None:
        for j, e in enumerate(events):
            self.recorder.insert_events([self._stored(stream_of(offset + j, total), e)])

    def append_batch(self, k: int, batch: Sequence[Event], total: int) -> None:
        stream = stream_of(k * BATCH, total)
        self.recorder.insert_events([self._stored(stream, e) for e in batch])

    def read_all(self) -> int:
        count, start = 0, 1
        while True:
            page = self.recorder.select_notifications(start, limit=BATCH)
            count += len(page)
            if len(page) < BATCH:
                return count
            start = page[-1].id + 1

    def rebuild(self) -> tuple[int, float]:
        count, total = 0, 0.0
        start = 1
        while True:
            page = self.recorder.select_notifications(start, limit=BATCH)
            for n in page:
                d = json.loads(n.state)
                count += 1
                q = d.get("quantities", {}).get("amount")
                total += 0.0 if q is None else float(q.get("value", 0))
            if len(page) < BATCH:
                return count, total
            start = page[-1].id + 1

    def close(self) -> None:
        self.datastore.close()


@functools.cache
def _es_classes() -> tuple[type, type]:
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Dyad(Aggregate):
        @event("Opened")
        def __init__(self, name: str) -> None:
            self.name = name
            self.count = 0
            self.total = 0.0

        @event("Recorded")
        def record(
            self, event_id: str, when: str, kind: str, actors: list[str], title: str,
            quantities: dict[str, Any],
        ) -> None:  # fmt: skip
            self.count += 1
            q = quantities.get("amount")
            self.total += 0.0 if q is None else float(q.get("value", 0))

    class Dyads(Application[Any]):
        pass

    return Dyad, Dyads


def _record(agg: Any, e: Event) -> None:
    d = _es_state(e)
    agg.record(d["id"], d["when"], d["kind"], d["actors"], d["title"], d.get("quantities", {}))


class EsApplication:
    name = "es application"

    def __init__(self, path: Path) -> None:
        dyad, dyads = _es_classes()
        self.Dyad = dyad
        self.app = dyads(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                              "SQLITE_DBNAME": str(path)})  # fmt: skip
        self.aggs: dict[str, Any] = {}
        self.prepared: list[Any] = []

    def _agg(self, stream: str) -> Any:
        agg = self.aggs.get(stream)
        if agg is None:
            agg = self.aggs[stream] = self.Dyad(stream)
        return agg

    def append_each(self, events: Sequence[Event], offset: int, total: int) -> None:
        save = self.app.save
        for j, e in enumerate(events):
            agg = self._agg(stream_of(offset + j, total))
            _record(agg, e)
            save(agg)

    def prepare_batches(self, events: Sequence[Event]) -> None:
        """Aggregates with their pending events, made before the timed saves."""
        n = len(events)
        self.prepared = []
        for i in range(0, n, BATCH):
            agg = self._agg(stream_of(i, n))
            for e in events[i : i + BATCH]:
                _record(agg, e)
            self.prepared.append(agg)

    def append_batch(self, k: int, batch: Sequence[Event], total: int) -> None:
        self.app.save(self.prepared[k])  # the aggregate's 1 000 pending events, one transaction

    def read_all(self) -> int:
        recorder, to_domain = self.app.recorder, self.app.mapper.to_domain_event
        count, start = 0, 1
        while True:
            page = recorder.select_notifications(start, limit=BATCH)
            count += len([to_domain(n) for n in page])
            if len(page) < BATCH:
                return count
            start = page[-1].id + 1

    def rebuild(self) -> tuple[int, float]:
        dyad, dyads = _es_classes()
        del dyad
        app = dyads(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                         "SQLITE_DBNAME": self.app.env["SQLITE_DBNAME"]})  # fmt: skip
        count, total = 0, 0.0
        for agg_id in [a.id for a in self.aggs.values()]:
            agg = app.repository.get(agg_id)
            count += agg.count
            total += agg.total
        app.close()
        return count, total

    def close(self) -> None:
        self.app.close()


ENGINES: dict[str, Callable[[Path], Any]] = {
    "relations": Relations,
    "raw sqlite3": Raw,
    "es recorder": EsRecorder,
    "es application": EsApplication,
}


# --------------------------------------------------------------------------------------------
# running


@dataclass
class Result:
    times: dict[str, dict[str, list[float]]] = field(default_factory=dict)

    def add(self, case: str, engine: str, seconds: float) -> None:
        self.times.setdefault(case, {}).setdefault(engine, []).append(seconds)

    def median(self, case: str, engine: str) -> float | None:
        samples = self.times.get(case, {}).get(engine)
        return statistics.median(samples) if samples else None


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def synchronous_of(engine: Any) -> int | None:
    """The PRAGMA synchronous the engine's connection uses (to show durability is equal)."""
    try:
        if isinstance(engine, Relations):
            return int(engine.store._conn.execute("PRAGMA synchronous").fetchone()[0])
        if isinstance(engine, Raw):
            return int(engine.conn.execute("PRAGMA synchronous").fetchone()[0])
        if isinstance(engine, EsRecorder | EsApplication):
            ds = engine.datastore if isinstance(engine, EsRecorder) else None
            if ds is None:
                ds = engine.app.recorder.datastore
            with ds.transaction(commit=False) as c:
                c.execute("PRAGMA synchronous")
                return int(c.fetchone()[0])
    except Exception:
        return None
    return None


def rotated(names: Sequence[str], k: int) -> list[str]:
    k %= len(names)
    return [*names[k:], *names[:k]]


def run(args: argparse.Namespace) -> tuple[Result, dict[str, Any]]:
    """Engines take turns batch by batch (and chunk by chunk for single appends), so that
    changes in the machine's load and the disk's flush latency hit them alike."""
    events = make_events(args.n, args.seed)
    single = events[: args.single_n]
    names = [e for e in ENGINES if e in args.engines]
    result = Result()
    info: dict[str, Any] = {"sync": {}, "rebuild": {}}
    root = Path(tempfile.mkdtemp(prefix="bench-store-", dir=args.tmp))
    n = len(events)
    try:
        for rep in range(args.repeats):
            log(f"run {rep + 1}/{args.repeats}: batched appends")
            engines = {m: ENGINES[m](root / f"{m.replace(' ', '-')}-{rep}.db") for m in names}
            for m, eng in engines.items():
                info["sync"][m] = synchronous_of(eng)
                if isinstance(eng, EsApplication):
                    eng.prepare_batches(events)
            spent = dict.fromkeys(names, 0.0)
            gc.collect()
            for k in range(0, (n + BATCH - 1) // BATCH):
                batch = events[k * BATCH : (k + 1) * BATCH]
                for m in rotated(names, k):
                    t0 = time.perf_counter()
                    engines[m].append_batch(k, batch, n)
                    spent[m] += time.perf_counter() - t0
            for m in names:
                result.add("append, 1 000 per transaction", m, spent[m])
            log(f"run {rep + 1}/{args.repeats}: read + decode, rebuild")
            for m in rotated(names, rep):
                t, count = timed(engines[m].read_all)
                assert count >= n, (m, count)  # es: + one "Opened" event per stream
                result.add("read + decode all", m, t)
            for m in rotated(names, rep):
                t, state = timed(engines[m].rebuild)
                assert state[0] == n, (m, state)
                info["rebuild"][m] = state
                result.add("rebuild a projection", m, t)
            for eng in engines.values():
                eng.close()
            if args.single_n and rep < args.single_repeats:
                log(f"run {rep + 1}/{args.repeats}: one append per transaction")
                engines = {
                    m: ENGINES[m](root / f"{m.replace(' ', '-')}-{rep}-single.db") for m in names
                }
                spent = dict.fromkeys(names, 0.0)
                chunk = 250
                for c in range(0, len(single), chunk):
                    part = single[c : c + chunk]
                    for m in rotated(names, c // chunk):
                        t0 = time.perf_counter()
                        engines[m].append_each(part, c, len(single))
                        spent[m] += time.perf_counter() - t0
                for m in names:
                    result.add("append, 1 per transaction", m, spent[m])
                for eng in engines.values():
                    eng.close()
            for p in root.glob("*"):
                p.unlink()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    totals = {tuple(round(x, 2) for x in s) for s in info["rebuild"].values()}
    assert len(totals) <= 1, f"engines disagree on the rebuilt state: {info['rebuild']}"
    return result, info


CASES = (
    ("append, 1 per transaction", "single"),
    ("append, 1 000 per transaction", "n"),
    ("read + decode all", "n"),
    ("rebuild a projection", "n"),
)
GOALS = {
    ("append, 1 000 per transaction", "es application"): 2.0,
    ("append, 1 000 per transaction", "raw sqlite3"): 0.5,
    ("append, 1 per transaction", "raw sqlite3"): 0.8,
    ("read + decode all", "es application"): 2.0,
}


def fmt(seconds: float | None, n: int) -> str:
    if seconds is None:
        return "—"
    return f"{seconds:.3f} s ({n / seconds / 1000:,.0f}k/s)"


def report(result: Result, info: dict[str, Any], args: argparse.Namespace) -> str:
    engines = [e for e in ENGINES if e in args.engines]
    lines = [
        "## Event store: relations vs eventsourcing vs raw sqlite3",
        "",
        f"- N = {args.n:,} events ({args.single_n:,} for one per transaction), "
        f"{STREAMS} streams, seed {args.seed}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"eventsourcing {_es_version()}; {platform.platform()}, {os.cpu_count()} CPUs",
        f"- WAL, PRAGMA synchronous per engine: {info['sync']} (2 = FULL)",
        f"- `{' '.join([Path(sys.executable).name, *sys.argv])}`; medians of {args.repeats} "
        f"runs ({args.single_repeats} for one per transaction); "
        f"{datetime.now():%Y-%m-%d %H:%M}",
        "",
        "| case | " + " | ".join(engines) + " |",
        "|---|" + "---|" * len(engines),
    ]
    for case, size in CASES:
        n = args.single_n if size == "single" else args.n
        cells = [fmt(result.median(case, e), n) for e in engines]
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    lines += ["", "| relations speed ÷ other | goal | ratio | met |", "|---|---|---|---|"]
    for case, _ in CASES:
        ours = result.median(case, "relations")
        for e in engines:
            if e == "relations":
                continue
            theirs = result.median(case, e)
            if ours is None or theirs is None:
                continue
            ratio = theirs / ours
            goal = GOALS.get((case, e))
            met = "—" if goal is None else ("yes" if ratio >= goal else "**no**")
            goal_s = "—" if goal is None else f"≥ {goal:g}×"
            lines.append(f"| {case} vs {e} | {goal_s} | {ratio:.2f}× | {met} |")
    return "\n".join(lines)


def _es_version() -> str:
    try:
        from importlib.metadata import version

        return version("eventsourcing")
    except Exception:
        return "not installed"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="events (default 100 000)")
    ap.add_argument("--single-n", type=int, default=None,
                    help="events appended one per transaction (default: N)")  # fmt: skip
    ap.add_argument("--quick", action="store_true", help="N = 10 000")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--single-repeats", type=int, default=None,
                    help="repeats of the one-per-transaction case (default: --repeats)")  # fmt: skip
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--tmp", default=None, help="directory for the database files (local disk)")
    ap.add_argument("--json", type=Path, help="also write the raw timings here")
    args = ap.parse_args(argv)
    if args.quick:
        args.n = 10_000
    if args.single_n is None:
        args.single_n = args.n
    if args.single_repeats is None:
        args.single_repeats = args.repeats
    args.engines = [e.strip() for e in args.engines.split(",")]
    unknown = set(args.engines) - set(ENGINES)
    if unknown:
        ap.error(f"unknown engines {sorted(unknown)}; choose from {', '.join(ENGINES)}")
    if any(e.startswith("es ") for e in args.engines):
        try:
            import eventsourcing  # noqa: F401
        except ImportError:
            ap.error("eventsourcing is not installed (pip install 'relations[bench]')")
    result, info = run(args)
    print(report(result, info, args))
    if args.json:
        args.json.write_text(json.dumps({"times": result.times, "info": info}, indent=2,
                                        default=str))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
