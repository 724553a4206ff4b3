"""Seeded generator of synthetic political events, written as canonical JSON Lines.

Each line is exactly what ``relations.Event.to_dict()`` returns for the event (schema 1), so
``relations``, pandas, polars and DuckDB all read the same file:

- ``when``: a day drawn uniformly from 1990-01-01 .. 2025-12-31, kept at day precision for 85%
  of events, truncated to the month for 10% and to the year for 5% (EDTF ``2024-06-19``,
  ``2024-06``, ``2024``);
- ``actors``: two distinct ISO 3166 alpha-3 codes out of 200 (from pycountry), drawn with a
  Zipf-like skew (weight ``1 / rank``; RUS, PRK, USA, CHN, UKR are the five most frequent);
- ``kind``: one of 20 dotted kinds (uniform), including a ``sanction`` family and an
  ``agreement.treaty`` family (and ``agreement.memorandum``, which is *not* a treaty);
- ``quantities``: ``{"amount": {"unit": "USD", "value": <int>}}`` on 30% of events
  (log-uniform between 10^4 and 10^10);
- ``id``: ``"ev-"`` + 16 hex digits of a BLAKE2b hash of ``(seed, counter)``, given explicitly.

The output depends only on ``n``, ``seed`` and pycountry's list of countries.

Usage::

    python benchmarks/generate.py -n 1000000 -o /tmp/events-1m.jsonl --seed 42

Doctest (the first record for seed 42 is stable):

>>> rec = next(iter_records(1, seed=42))
>>> list(rec)[:6]
['schema', 'id', 'when', 'kind', 'actors', 'title']
>>> rec["schema"], rec["id"].startswith("ev-"), len(rec["id"])
(1, True, 19)
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pycountry

__all__ = [
    "ACTORS",
    "KINDS",
    "ensure_dataset",
    "generate",
    "iter_records",
]

#: Most frequent actors first (ranks 1..5 get the largest Zipf weights).
HOT_ACTORS = ("RUS", "PRK", "USA", "CHN", "UKR")
#: Next ranks: other actors frequent in political event data.
NOTABLE_ACTORS = (
    "KOR", "JPN", "IRN", "SYR", "ISR", "GBR", "FRA", "DEU", "IND", "TUR",
    "BLR", "POL", "PAK", "AFG", "IRQ", "SAU", "EGY", "VEN", "CUB", "BRA",
)  # fmt: skip
N_ACTORS = 200
#: Seed of the fixed shuffle that ranks the remaining countries (independent of ``--seed``).
_ACTOR_ORDER_SEED = 20240619


def _actor_codes() -> tuple[str, ...]:
    """Return the 200 actor codes, most frequent first."""
    ranked = list(HOT_ACTORS) + list(NOTABLE_ACTORS)
    rest = sorted({c.alpha_3 for c in pycountry.countries} - set(ranked))
    random.Random(_ACTOR_ORDER_SEED).shuffle(rest)
    return tuple(ranked + rest)[:N_ACTORS]


ACTORS: tuple[str, ...] = _actor_codes()

#: The 20 kinds; q2 asks for the ``sanction`` family, q3 for ``agreement.treaty``.
KINDS: tuple[str, ...] = (
    "sanction.imposed",
    "sanction.lifted",
    "sanction.extended",
    "agreement.treaty.signed",
    "agreement.treaty.ratified",
    "agreement.memorandum",
    "military.deployment",
    "military.exercise",
    "military.strike",
    "military.arms_transfer",
    "trade.volume",
    "trade.restriction",
    "aid.humanitarian",
    "aid.economic",
    "diplomacy.visit",
    "diplomacy.summit",
    "diplomacy.statement",
    "finance.loan",
    "cyber.attack",
    "protest",
)

FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2025, 12, 31)
P_DAY, P_MONTH = 0.85, 0.10  # the rest (5%) has year precision
P_AMOUNT = 0.30


def _event_id(seed: int, counter: int) -> str:
    digest = hashlib.blake2b(f"{seed}:{counter}".encode(), digest_size=8).hexdigest()
    return "ev-" + digest


def iter_records(n: int, *, seed: int = 42) -> Iterator[dict[str, Any]]:
    """Yield ``n`` canonical event dicts (schema 1), deterministically for ``seed``.

    >>> len({r["id"] for r in iter_records(1000, seed=1)})
    1000
    """
    rng = random.Random(seed)
    lo = FIRST_DAY.toordinal()
    days = [date.fromordinal(o).isoformat() for o in range(lo, LAST_DAY.toordinal() + 1)]
    n_days = len(days)
    cum = list(itertools.accumulate(1.0 / r for r in range(1, len(ACTORS) + 1)))
    actors, kinds = ACTORS, KINDS
    choices, rand, randrange = rng.choices, rng.random, rng.randrange
    seen: set[str] = set()
    for i in range(n):
        day = days[randrange(n_days)]
        p = rand()
        when = day if p < P_DAY else day[:7] if p < P_DAY + P_MONTH else day[:4]
        a, b = choices(actors, cum_weights=cum, k=2)
        while b == a:
            b = choices(actors, cum_weights=cum)[0]
        kind = kinds[randrange(len(kinds))]
        eid = _event_id(seed, i)
        salt = 0
        while eid in seen:  # astronomically unlikely; keeps ids unique regardless
            salt += 1
            eid = _event_id(seed, i * 1_000_003 + salt)
        seen.add(eid)
        rec: dict[str, Any] = {
            "schema": 1,
            "id": eid,
            "when": when,
            "kind": kind,
            "actors": [a, b],
            "title": f"{a}-{b} {kind.replace('.', ' ').replace('_', ' ')}",
        }
        if rand() < P_AMOUNT:
            rec["quantities"] = {"amount": {"unit": "USD", "value": int(10 ** rng.uniform(4, 10))}}
        yield rec


def generate(path: str | os.PathLike[str], n: int, *, seed: int = 42) -> Path:
    """Write ``n`` events as JSON Lines to ``path`` atomically (write beside, then rename)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name + ".", suffix=".tmp")
    try:
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            batch: list[str] = []
            for rec in iter_records(n, seed=seed):
                batch.append(dumps(rec))
                if len(batch) >= 10_000:
                    f.write("\n".join(batch) + "\n")
                    batch.clear()
            if batch:
                f.write("\n".join(batch) + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def default_path(n: int, seed: int) -> Path:
    """Where the benchmarks cache the dataset for ``n`` events and ``seed``."""
    root = Path(
        os.environ.get("RELATIONS_BENCH_DATA", Path(tempfile.gettempdir()) / "relations-bench")
    )
    return root / f"events-n{n}-seed{seed}.jsonl"


def ensure_dataset(n: int, *, seed: int = 42, path: str | os.PathLike[str] | None = None) -> Path:
    """Return the dataset file, generating it first if it does not exist yet (the cache)."""
    p = Path(path) if path is not None else default_path(n, seed)
    if not p.exists():
        t0 = time.perf_counter()
        print(f"generating {n:,} events (seed {seed}) -> {p} ...", file=sys.stderr, flush=True)
        generate(p, n, seed=seed)
        print(f"  done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return p


def verify_with_relations(path: str | os.PathLike[str], k: int = 1000) -> int:
    """Round-trip the first ``k`` lines through ``relations.Event``; return how many matched.

    Raises AssertionError on the first line whose ``Event.from_dict(d).to_dict()`` differs.
    """
    from relations.events import Event

    checked = 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(itertools.islice(f, k), start=1):
            d = json.loads(line)
            back = Event.from_dict(d, file=str(path), line=lineno).to_dict()
            if back != d or list(back) != list(d):
                raise AssertionError(f"{path}:{lineno}: to_dict() differs:\n  {d}\n  {back}")
            checked += 1
    return checked


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python benchmarks/generate.py -n N -o PATH --seed S``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1_000_000, help="number of events (default 1e6)")
    ap.add_argument("-o", "--output", help="output .jsonl (default: the benchmarks' cache path)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--force", action="store_true", help="regenerate even if the file exists")
    ap.add_argument(
        "--verify",
        type=int,
        metavar="K",
        default=0,
        help="round-trip the first K lines through relations.Event (needs relations)",
    )
    args = ap.parse_args(argv)
    path = Path(args.output) if args.output else default_path(args.n, args.seed)
    if args.force:
        path.unlink(missing_ok=True)
    elif path.exists():
        print(f"{path} exists; reusing it (use --force to regenerate)", file=sys.stderr)
    ensure_dataset(args.n, seed=args.seed, path=path)
    if args.verify:
        print(f"verified {verify_with_relations(path, args.verify)} lines", file=sys.stderr)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
