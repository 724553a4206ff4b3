"""Parsing speed of relations.When against datetime.date.fromisoformat.

Run: ``python benchmarks/bench_when.py`` (``--quick`` for a smoke run). Prints a Markdown table
of parses per second (median of several repeats) for day, month and year dates, qualified
dates and intervals:

* **repeated**: a realistic stream where dates repeat (a pool of 2,000 distinct strings
  cycled), served mostly by ``When.parse``'s bounded cache;
* **distinct, cold**: every string parsed for the first time (caches cleared before each
  repeat), i.e. the parser itself.

The "vs fromisoformat" columns divide ``date.fromisoformat``'s rate on the same day strings
by the When rate (the goal for day dates is at most 3x).

The **floor** rows time what any pure-Python parser returning a ``When`` must pay on day
strings, whatever its grammar: (a) a Python function around ``fromisoformat``, (b) that plus
building the ``When`` (``object.__new__`` and its nine slots, the way ``relations.when._make``
does it, the fastest we found), (c) that plus remembering the result in an ``lru_cache``, as
``When.parse`` does (a cold parse is a cache miss: the new object and its cache entry stay
alive, which costs memory traffic and garbage-collector work that ``fromisoformat``, whose
results are dropped at once, does not pay).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence

from relations import when as when_module
from relations.when import Precision, When


def _days(n: int) -> list[str]:
    start = dt.date(1900, 1, 1).toordinal()
    return [dt.date.fromordinal(start + i).isoformat() for i in range(n)]


def _months(n: int) -> list[str]:
    return [f"{1000 + i // 12:04d}-{i % 12 + 1:02d}" for i in range(n)]


def _years(n: int) -> list[str]:
    return [f"{1 + i % 9999:04d}" for i in range(n)]  # repeats after 9,999


def _qualified(n: int) -> list[str]:
    marks = "~?%"
    return [d + marks[i % 3] for i, d in enumerate(_days(n))]


def _qualified_months(n: int) -> list[str]:
    marks = "~?%"
    return [d + marks[i % 3] for i, d in enumerate(_months(n))]


def _intervals(n: int) -> list[str]:
    days = _days(n + 400)
    return [f"{days[i]}/{days[i + 400]}" for i in range(n)]


def _year_intervals(n: int) -> list[str]:
    return [f"{1000 + i // 100:04d}/{1000 + i // 100 + i % 100:04d}" for i in range(n)]


def _open_intervals(n: int) -> list[str]:
    months = _months(n)
    return [f"{m}/.." if i % 2 else f"/{m}" for i, m in enumerate(months)]


def _clear_when_caches() -> None:
    when_module._parse_any_cached.cache_clear()
    when_module._parse_edtf_cached.cache_clear()


def _rate(
    fn: Callable[[str], object],
    inputs: Sequence[str],
    repeats: int,
    clear: Callable[[], None] | None = None,
) -> float:
    """Median parses per second over ``repeats`` passes; ``clear()`` runs before each pass.

    The garbage collector stays on (a parser that keeps its results pays for it) but is run
    before each pass.
    """
    times = []
    for _ in range(repeats):
        if clear is not None:
            clear()
        gc.collect()  # each pass starts from the same collector state
        t0 = time.perf_counter()
        for s in inputs:
            fn(s)
        times.append(time.perf_counter() - t0)
    return len(inputs) / statistics.median(times)


def _floors(days: Sequence[str], repeats: int) -> dict[str, float]:
    """Rates of the floor rows (see the module docstring) on distinct day strings."""
    fromisoformat = dt.date.fromisoformat
    make = when_module._make
    day = Precision.DAY

    def f(s: str) -> int:
        return fromisoformat(s).toordinal()

    def f_when(s: str) -> When:
        o = fromisoformat(s).toordinal()
        return make(o, o, day, False, False, o, o, s, 0)

    f_cached = functools.lru_cache(maxsize=1 << 16)(f_when)
    return {
        "floor (a): `def f(s): return fromisoformat(s).toordinal()`": _rate(f, days, repeats),
        "floor (b): (a) + build the When (`object.__new__`, 9 slots)": _rate(f_when, days, repeats),
        "floor (c): (b) + `lru_cache` miss (a cold `When.parse`'s least)": _rate(
            f_cached, days, repeats, f_cached.cache_clear
        ),
    }


def main(argv: Sequence[str]) -> None:
    quick = "--quick" in argv
    n = 5_000 if quick else 40_000
    repeats = 3 if quick else 7
    pool = 2_000
    cases = {
        "day dates (2024-06-19)": _days(n),
        "month dates (2024-06)": _months(n),
        "year dates (2024)": _years(min(n, 9_999)),
        "qualified dates (2024-06-19~)": _qualified(n),
        "qualified months (2024-06?)": _qualified_months(n),
        "intervals (day/day)": _intervals(n),
        "intervals (year/year)": _year_intervals(n),
        "intervals (2024-06/.., /2024-06)": _open_intervals(n),
    }
    days = cases["day dates (2024-06-19)"]
    iso_distinct = _rate(dt.date.fromisoformat, days, repeats)
    iso_repeated = _rate(dt.date.fromisoformat, [days[i % pool] for i in range(n)], repeats)
    print(f"Python {sys.version.split()[0]}, {n} parses per pass, median of {repeats} passes\n")
    print(
        "| input | When.parse repeated (/s) | vs fromisoformat | "
        "When.parse distinct, cold cache (/s) | vs fromisoformat |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, inputs in cases.items():
        repeated = [inputs[i % pool] for i in range(n)]
        _clear_when_caches()
        r_rep = _rate(When.parse, repeated, repeats)
        r_cold = _rate(When.parse, inputs, repeats, _clear_when_caches)
        print(
            f"| {name} | {r_rep:,.0f} | {iso_repeated / r_rep:.1f}x | "
            f"{r_cold:,.0f} | {iso_distinct / r_cold:.1f}x |"
        )
    print(
        f"| `date.fromisoformat` (day dates) | {iso_repeated:,.0f} | 1.0x | {iso_distinct:,.0f} | 1.0x |"
    )
    _clear_when_caches()
    r_edtf = _rate(When.from_edtf, [days[i % pool] for i in range(n)], repeats)
    print(
        f"| `When.from_edtf` day dates, repeated | {r_edtf:,.0f} | {iso_repeated / r_edtf:.1f}x | | |"
    )
    for name, rate in _floors(days, repeats).items():
        print(f"| {name} | | | {rate:,.0f} | {iso_distinct / rate:.1f}x |")
    _clear_when_caches()


if __name__ == "__main__":
    main(sys.argv[1:])
