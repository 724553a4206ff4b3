"""Parsing speed of relations.When against datetime.date.fromisoformat.

Run: ``python benchmarks/bench_when.py`` (``--quick`` for a smoke run). Prints a Markdown table
of parses per second (median of several repeats) for day dates, month dates, qualified dates
and intervals:

* **repeated**: a realistic stream where dates repeat (a pool of 2,000 distinct strings
  cycled), served mostly by ``When.parse``'s bounded cache;
* **distinct, cold**: every string parsed for the first time (caches cleared before each
  repeat), i.e. the parser itself.

The "vs fromisoformat" columns divide ``date.fromisoformat``'s rate on the same day strings
by the When rate (the goal for day dates is at most 3x).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable, Sequence

from relations import when as when_module
from relations.when import When


def _days(n: int) -> list[str]:
    start = dt.date(1900, 1, 1).toordinal()
    return [dt.date.fromordinal(start + i).isoformat() for i in range(n)]


def _months(n: int) -> list[str]:
    return [f"{1000 + i // 12:04d}-{i % 12 + 1:02d}" for i in range(n)]


def _qualified(n: int) -> list[str]:
    marks = "~?%"
    return [d + marks[i % 3] for i, d in enumerate(_days(n))]


def _intervals(n: int) -> list[str]:
    days = _days(n + 400)
    return [f"{days[i]}/{days[i + 400]}" for i in range(n)]


def _rate(
    fn: Callable[[str], object], inputs: Sequence[str], repeats: int, cold: bool = False
) -> float:
    """Median parses per second over ``repeats`` passes over ``inputs``."""
    times = []
    for _ in range(repeats):
        if cold:
            when_module._parse_any_cached.cache_clear()
            when_module._parse_edtf_cached.cache_clear()
        t0 = time.perf_counter()
        for s in inputs:
            fn(s)
        times.append(time.perf_counter() - t0)
    return len(inputs) / statistics.median(times)


def main(argv: Sequence[str]) -> None:
    quick = "--quick" in argv
    n = 5_000 if quick else 40_000
    repeats = 3 if quick else 7
    pool = 2_000
    cases = {
        "day dates (2024-06-19)": _days(n),
        "month dates (2024-06)": _months(n),
        "qualified dates (2024-06-19~)": _qualified(n),
        "intervals (day/day)": _intervals(n),
    }
    iso_distinct = _rate(dt.date.fromisoformat, cases["day dates (2024-06-19)"], repeats)
    iso_repeated = _rate(
        dt.date.fromisoformat,
        [cases["day dates (2024-06-19)"][i % pool] for i in range(n)],
        repeats,
    )
    print(f"Python {sys.version.split()[0]}, {n} parses per pass, median of {repeats} passes\n")
    print(
        "| input | When.parse repeated (/s) | vs fromisoformat | "
        "When.parse distinct, cold cache (/s) | vs fromisoformat |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, inputs in cases.items():
        repeated = [inputs[i % pool] for i in range(n)]
        when_module._parse_any_cached.cache_clear()
        r_rep = _rate(When.parse, repeated, repeats)
        r_cold = _rate(When.parse, inputs, repeats, cold=True)
        print(
            f"| {name} | {r_rep:,.0f} | {iso_repeated / r_rep:.1f}x | "
            f"{r_cold:,.0f} | {iso_distinct / r_cold:.1f}x |"
        )
    print(
        f"| `date.fromisoformat` (day dates) | {iso_repeated:,.0f} | 1.0x | {iso_distinct:,.0f} | 1.0x |"
    )
    when_module._parse_any_cached.cache_clear()
    r_edtf = _rate(
        When.from_edtf, [cases["day dates (2024-06-19)"][i % pool] for i in range(n)], repeats
    )
    print(
        f"| `When.from_edtf` day dates, repeated | {r_edtf:,.0f} | {iso_repeated / r_edtf:.1f}x | | |"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
