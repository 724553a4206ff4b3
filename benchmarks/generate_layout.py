"""Stream N synthetic events straight to Parquet in the columnar layout (version 2), in batches.

The events follow ``generate.py``'s model (the same actors with the same 1/rank skew, the same
20 kinds, days uniform over 1990..2025 at day/month/year precision 85/10/5 %, an ``amount``
in USD on 30 % of events, log-uniform 10^4..10^10), drawn with numpy one batch at a time
instead of one Python dict per event, so 100 000 000 events take minutes and memory depends on
the batch, not on N (measured peak RSS with the default 1 000 000-row batch: 0.48 GB at 1M
events, 0.81 GB at 10M, 0.85 GB at 100M, which took 4 minutes and 3.0 GB of Parquet;
``--batch 250000``: 0.32 GB at 10M; see ``long/scan_100m.md``). Two differences: the random
stream is numpy's (so the events are not the ones ``generate.py`` writes for the same seed),
and ``--open-share`` (default 1 %) of the day-precision events are open-ended
(``2024-06-19/..``), the case hand-written SQL gets wrong.

Ids are ``"ev-"`` + 16 hex digits of splitmix64(seed, counter) (a bijection: unique).

Rows are in generation order (not sorted by date): both sides of ``bench_scan.py`` scan the
same files. Files hold at most ``--rows-per-file`` rows (``part-00000.parquet``, ...), row
groups of ``--batch`` rows, zstd-compressed.

Usage::

    python benchmarks/generate_layout.py -n 10000000 -o /tmp/relations-bench/10m --seed 42

>>> import tempfile, pyarrow.parquet as pq
>>> d = tempfile.mkdtemp()
>>> files = write_layout(d, 2500, batch=1000, rows_per_file=2000, seed=1)
>>> [f.name for f in files], pq.read_metadata(files[0]).num_rows
(['part-00000.parquet', 'part-00001.parquet'], 2000)
>>> t = pq.read_table(files[1])
>>> t.num_rows, t.schema.metadata[b"relations.layout"], t.column_names[21:24]
(500, b'2', ['source', 'target', 'quantity.amount.value'])
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import generate
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from relations.formats import layout

__all__ = ["batches", "layout_schema", "write_layout"]

UNBOUNDED_HI = 2**62  # relations' open end (relations.formats.csv.UNBOUNDED_HI)
_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal(): the layout's lo/hi are day ordinals
_MASK = (1 << 64) - 1


def layout_schema() -> pa.Schema:
    """The layout's schema for these files: the one quantity ``amount``, integer, no measures."""
    return layout.layout_schema(
        ["amount"], [], integers=[f"quantity.amount.{f}" for f in ("value", "low", "high")]
    )


def _splitmix64(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


_HEX = np.frombuffer(b"".join(f"{i:02x}".encode() for i in range(256)), np.uint8).reshape(256, 2)


def _ids(seed: int, start: int, n: int) -> pa.Array:
    counters = np.arange(start, start + n, dtype=np.uint64) + np.uint64((seed << 40) & _MASK)
    raw = _splitmix64(counters).astype(">u8").view(np.uint8).reshape(n, 8)
    hexed = np.ascontiguousarray(_HEX[raw].reshape(n, 16)).view("S16").ravel()
    return pc.binary_join_element_wise("ev-", pa.array(hexed).cast(pa.string()), "")


def _strings(values: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(idx))


def _batch(rng: np.random.Generator, seed: int, start: int, n: int, open_share: float) -> Any:
    first = np.datetime64(generate.FIRST_DAY.isoformat(), "D")
    span = (generate.LAST_DAY - generate.FIRST_DAY).days + 1
    day = first + rng.integers(0, span, n).astype("timedelta64[D]")
    p = rng.random(n)
    is_day, is_month = (
        p < generate.P_DAY,
        (p >= generate.P_DAY) & (p < generate.P_DAY + generate.P_MONTH),
    )
    is_open = is_day & (rng.random(n) < open_share)
    month = day.astype("datetime64[M]")
    year = day.astype("datetime64[Y]")
    earliest = np.where(
        is_day, day, np.where(is_month, month.astype("datetime64[D]"), year.astype("datetime64[D]"))
    )
    latest = np.where(
        is_day,
        day,
        np.where(
            is_month,
            (month + 1).astype("datetime64[D]") - 1,
            (year + 1).astype("datetime64[D]") - 1,
        ),
    )
    lo = earliest.astype(np.int64) + _EPOCH_ORDINAL
    hi = np.where(is_open, UNBOUNDED_HI, latest.astype(np.int64) + _EPOCH_ORDINAL)
    iso = pa.array(np.datetime_as_string(day, unit="D"), pa.string())
    when = pc.if_else(
        pa.array(is_day),
        pc.if_else(pa.array(is_open), pc.binary_join_element_wise(iso, "/..", ""), iso),
        pc.if_else(
            pa.array(is_month),
            pc.utf8_slice_codeunits(iso, 0, 7),
            pc.utf8_slice_codeunits(iso, 0, 4),
        ),
    )
    precision = _strings(["year", "month", "day"], np.where(is_day, 2, np.where(is_month, 1, 0)))

    weights = 1.0 / np.arange(1, len(generate.ACTORS) + 1)
    weights /= weights.sum()
    a = rng.choice(len(generate.ACTORS), n, p=weights)
    b = rng.choice(len(generate.ACTORS), n, p=weights)
    while (same := a == b).any():
        b[same] = rng.choice(len(generate.ACTORS), int(same.sum()), p=weights)
    actors_a, actors_b = _strings(list(generate.ACTORS), a), _strings(list(generate.ACTORS), b)
    pairs = np.empty(2 * n, np.int64)
    pairs[0::2], pairs[1::2] = a, b
    actors = pa.ListArray.from_arrays(
        pa.array(np.arange(0, 2 * n + 1, 2, dtype=np.int32)), _strings(list(generate.ACTORS), pairs)
    )
    k = rng.integers(0, len(generate.KINDS), n)
    kind = _strings(list(generate.KINDS), k)
    words = [x.replace(".", " ").replace("_", " ") for x in generate.KINDS]
    title = pc.binary_join_element_wise(
        pc.binary_join_element_wise(actors_a, actors_b, "-"), _strings(words, k), " "
    )

    has_amount = rng.random(n) < generate.P_AMOUNT
    value = (10 ** rng.uniform(4, 10, n)).astype(np.int64)
    amount = pa.array(value, pa.int64(), mask=~has_amount)
    quantities = pc.binary_join_element_wise(
        '{"amount":{"unit":"USD","value":', amount.cast(pa.string()), "}}", ""
    )
    empty = pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, np.int32)), pa.array([], pa.string()))
    nulls = pa.nulls(n, pa.string())
    columns = [
        _ids(seed, start, n),
        when,
        pa.array(earliest, pa.date32()),
        pa.array(latest, pa.date32(), mask=is_open),
        pa.array(lo, pa.int64()),
        pa.array(hi, pa.int64()),
        precision,
        kind,
        actors,
        title,
        pa.array(np.zeros(n, bool)),
        pa.array(["reported"] * 1, pa.string()).take(pa.array(np.zeros(n, np.int64))),
        pa.array([""], pa.string()).take(pa.array(np.zeros(n, np.int64))),
        nulls,
        empty,
        empty,
        empty,
        quantities,
        nulls,
        nulls,
        nulls,
        nulls,
        nulls,
        amount,
        pa.nulls(n, pa.int64()),
        pa.nulls(n, pa.int64()),
        pc.if_else(pa.array(has_amount), "USD", pa.scalar(None, pa.string())),
        pa.nulls(n, pa.bool_()),  # the layout's approximate: null unless the amount is "about"
    ]
    return pa.record_batch(columns, schema=layout_schema())


def batches(
    n: int, *, batch: int = 1_000_000, seed: int = 42, open_share: float = 0.01
) -> Iterator[Any]:
    """Yield record batches of at most ``batch`` rows, ``n`` rows in all (deterministic)."""
    rng = np.random.default_rng(seed)
    for start in range(0, n, batch):
        yield _batch(rng, seed, start, min(batch, n - start), open_share)


def write_layout(
    out: str | Path,
    n: int,
    *,
    batch: int = 1_000_000,
    rows_per_file: int = 10_000_000,
    seed: int = 42,
    open_share: float = 0.01,
) -> list[Path]:
    """Write ``n`` events under the directory ``out`` (``part-NNNNN.parquet``); return the files."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    writer: pq.ParquetWriter | None = None
    in_file = 0
    try:
        for rb in batches(n, batch=min(batch, rows_per_file), seed=seed, open_share=open_share):
            offset = 0
            while offset < rb.num_rows:
                if writer is None or in_file >= rows_per_file:
                    if writer is not None:
                        writer.close()
                    files.append(folder / f"part-{len(files):05d}.parquet")
                    writer = pq.ParquetWriter(files[-1], layout_schema(), compression="zstd")
                    in_file = 0
                take = min(rb.num_rows - offset, rows_per_file - in_file)
                writer.write_batch(rb.slice(offset, take), row_group_size=batch)
                offset += take
                in_file += take
    finally:
        if writer is not None:
            writer.close()
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, required=True, help="number of events")
    ap.add_argument("-o", "--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--batch", type=int, default=1_000_000, help="rows per batch / row group")
    ap.add_argument("--rows-per-file", type=int, default=10_000_000)
    ap.add_argument("--open-share", type=float, default=0.01)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    files = write_layout(
        args.out,
        args.n,
        batch=args.batch,
        rows_per_file=args.rows_per_file,
        seed=args.seed,
        open_share=args.open_share,
    )
    size = sum(f.stat().st_size for f in files)
    print(
        f"{args.n:,} events -> {len(files)} file(s) in {args.out}: {size / 1e6:,.0f} MB "
        f"in {time.perf_counter() - t0:,.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
