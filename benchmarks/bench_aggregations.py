"""Aggregations, relations vs pandas, polars and DuckDB (issue 5).

- **a1** number of events per calendar month, every event placed in the month of its
  earliest possible day (relations' ``earliest`` policy: what the peers do with a date column).
- **a2** sum of the ``amount`` quantity (USD) per (year, kind), same policy; events without an
  amount do not contribute.

Every engine must give the same numbers (months / (year, kind) pairs with no events are left
out of the comparison), or the run fails. Goal (issue 5): relations at least 2× faster than
the fastest peer at N = 1 000 000.

Usage::

    python benchmarks/bench_aggregations.py            # N = 1 000 000
    python benchmarks/bench_aggregations.py --quick    # N = 100 000
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import _harness as h

GOAL = 2.0


# --------------------------------------------------------------------------------------------
# peers: native answers, then canonical {month: count} / {(year, kind): total}


def pandas_cases(df: Any) -> dict[str, Callable[[], Any]]:
    """``resample`` by month start (a1); boolean mask + ``groupby`` (a2)."""

    def a1() -> Any:
        return df.resample("MS", on="lo").size()

    def a2() -> Any:
        s = df[df["amount"].notna()]
        return s.groupby([s["lo"].dt.year, "kind"], observed=True)["amount"].sum()

    return {"a1": a1, "a2": a2}


def pandas_canon() -> dict[str, Callable[[Any], Any]]:
    """Series -> plain dicts."""
    return {
        "a1": lambda s: {f"{ts:%Y-%m}": int(v) for ts, v in s.items() if v},
        "a2": lambda s: {(int(y), str(k)): int(v) for (y, k), v in s.items()},
    }


def polars_cases(df: Any) -> dict[str, Callable[[], Any]]:
    """``group_by_dynamic`` on the sorted date (a1); lazy filter + ``group_by`` (a2)."""
    import polars as pl

    def a1() -> Any:
        return df.group_by_dynamic("lo", every="1mo").agg(pl.len())

    def a2() -> Any:
        return (
            df.lazy()
            .filter(pl.col("amount").is_not_null())
            .group_by(pl.col("lo").dt.year().alias("year"), "kind")
            .agg(pl.col("amount").sum())
            .collect()
        )

    return {"a1": a1, "a2": a2}


def polars_canon() -> dict[str, Callable[[Any], Any]]:
    """DataFrame -> plain dicts."""
    return {
        "a1": lambda d: {f"{m:%Y-%m}": int(n) for m, n in d.iter_rows() if n},
        "a2": lambda d: {(int(y), str(k)): int(v) for y, k, v in d.iter_rows()},
    }


DUCKDB_SQL = {
    "a1": "SELECT year(lo) AS y, month(lo) AS m, count(*) FROM ev GROUP BY y, m",
    "a2": "SELECT year(lo) AS y, CAST(kind AS VARCHAR), sum(amount) FROM ev "
    "WHERE amount IS NOT NULL GROUP BY y, kind",
}


def duckdb_cases(con: Any) -> dict[str, Callable[[], Any]]:
    """SQL ``GROUP BY`` on the in-memory table."""

    def a1() -> Any:
        return con.sql(DUCKDB_SQL["a1"]).fetchall()

    def a2() -> Any:
        return con.sql(DUCKDB_SQL["a2"]).fetchall()

    return {"a1": a1, "a2": a2}


def duckdb_canon() -> dict[str, Callable[[Any], Any]]:
    """Rows -> plain dicts."""
    return {
        "a1": lambda rows: {f"{y:04d}-{m:02d}": int(n) for y, m, n in rows if n},
        "a2": lambda rows: {(int(y), str(k)): int(v) for y, k, v in rows},
    }


# --------------------------------------------------------------------------------------------
# relations


RELATIONS_NEEDS = ("count", "sum")


def relations_cases(tl: Any) -> dict[str, Callable[[], Any]]:
    """``Timeline.count`` / ``Timeline.sum`` with the ``earliest`` policy."""

    def a1() -> Any:
        return tl.count(by="month", policy="earliest")

    def a2() -> Any:
        return tl.sum("amount", by=("year", "kind"), policy="earliest")

    return {"a1": a1, "a2": a2}


def _number(v: Any) -> int:
    return int(float(v))


def _year(key: Any) -> int:
    text = str(key)
    return int(text[:4]) if text[:4].isdigit() else int(getattr(key, "year", text))


def relations_canon() -> dict[str, Callable[[Any], Any]]:
    """Series (period -> count; (period, kind) -> Quantity/number) -> plain dicts."""
    return {
        "a1": lambda s: {str(k): _number(v) for k, v in s.items() if _number(v)},
        "a2": lambda s: {(_year(y), str(k)): _number(v) for (y, k), v in s.items()},
    }


# --------------------------------------------------------------------------------------------


QUESTIONS = {
    "a1": "events per calendar month (earliest policy)",
    "a2": "sum of amount (USD) per (year, kind) (earliest policy)",
}


def main(argv: list[str] | None = None) -> int:
    """Run a1 and a2 on every engine and print the Markdown report."""
    args = h.parse_args(h.parser(__doc__.split("\n\n")[0]), argv)
    skipped = h.skip_relations_if_missing(args, *RELATIONS_NEEDS)
    path = h.dataset(args)
    data, took = h.prepare(args.engines, path)
    builders = {
        "relations": (relations_cases, relations_canon),
        "pandas": (pandas_cases, pandas_canon),
        "polars": (polars_cases, polars_canon),
        "duckdb": (duckdb_cases, duckdb_canon),
    }
    runs = {e: builders[e][0](data[e]) for e in args.engines}
    canons = {e: builders[e][1]() for e in args.engines}
    notes = {
        "pandas": "df.resample('MS', on='lo').size()",
        "polars": "df.group_by_dynamic('lo', every='1mo').agg(pl.len()) on the sorted frame",
        "duckdb": DUCKDB_SQL["a1"],
        "relations": "tl.count(by='month', policy='earliest')",
    }
    notes2 = {
        "pandas": "mask on amount.notna(), groupby([lo.dt.year, 'kind'], observed=True).sum()",
        "polars": "lazy: filter(amount not null).group_by(year, kind).agg(sum)",
        "duckdb": DUCKDB_SQL["a2"],
        "relations": "tl.sum('amount', by=('year', 'kind'), policy='earliest')",
    }
    cases = [
        h.Case(
            name=q,
            question=QUESTIONS[q],
            goal=GOAL,
            run={e: runs[e][q] for e in args.engines},
            canon={e: canons[e][q] for e in args.engines},
            notes=notes if q == "a1" else notes2,
        )
        for q in QUESTIONS
    ]
    return h.run_all("Aggregations (issue 5)", cases, args, path, took, skipped)


if __name__ == "__main__":
    sys.exit(main())
