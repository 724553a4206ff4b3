"""Import speed of the coded-event-data importers, against pandas and DuckDB, in one run.

Issue 15's goal: import the real ICEWS and GDELT samples and a 1 000 000-row GDELT-shaped file
(to a Timeline) at no less than half the speed of ``pandas.read_csv(engine="pyarrow")``
reading the same file (pandas only parses the table; the importer also maps codes, actors
and dates). Issue 16's goal: import to Parquet in the columnar layout
(``relations.io.import_parquet.import_to_parquet``, what ``relations import -o X.parquet`` runs)
at no less than half the speed of DuckDB's ``read_csv`` → ``COPY ... TO`` Parquet of the
same file (DuckDB only copies the columns; the layout also maps codes, actors, dates and
titles). Every engine runs in the same process, in turns; the table shows medians and ratios.

The real samples are read where they are (``--samples``, default ``/work/shared/data/samples``;
they are never copied into the repository). The GDELT-shaped file is generated (seeded) into a
temporary directory: 58 columns (GDELT 1.0 daily layout), realistic value distributions
(a few hundred actors, the CAMEO codes of the shipped table, a year of dates, a tenth of the
rows without a second actor, coordinates, tone, counts).

Run: ``PYTHONPATH=src python benchmarks/bench_import.py`` (``--rows 100000`` for a quick run,
``--rows 1000000 5000000`` for several sizes, ``--rows`` alone for none, ``--icews-rows
200000`` for an ICEWS-shaped file, ``--repeat 3`` samples per engine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from relations.io import import_gdelt, import_icews
from relations.io.cameo import cameo_codes
from relations.io.import_parquet import import_to_parquet

_COUNTRIES = [
    ("USA", "UNITED STATES"),
    ("RUS", "RUSSIA"),
    ("CHN", "CHINA"),
    ("PRK", "NORTH KOREA"),
    ("KOR", "SOUTH KOREA"),
    ("JPN", "JAPAN"),
    ("GBR", "UNITED KINGDOM"),
    ("FRA", "FRANCE"),
    ("DEU", "GERMANY"),
    ("IND", "INDIA"),
    ("PAK", "PAKISTAN"),
    ("IRN", "IRAN"),
    ("ISR", "ISRAEL"),
    ("UKR", "UKRAINE"),
    ("TUR", "TURKEY"),
    ("SYR", "SYRIA"),
    ("EGY", "EGYPT"),
    ("NGA", "NIGERIA"),
    ("BRA", "BRAZIL"),
    ("MEX", "MEXICO"),
]
_ROLES = ["", "GOV", "MIL", "BUS", "MED", "COP", "OPP", "CVL"]


def _actor(rng: random.Random) -> list[str]:
    code, name = rng.choice(_COUNTRIES)
    role = rng.choice(_ROLES)
    return [code + role, name, code] + [""] * 7


def gdelt_row(rng: random.Random, i: int, codes: list[str], table: Any) -> str:
    """One GDELT 1.0 daily row (58 tab-separated cells)."""
    day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(366))
    sql = day.strftime("%Y%m%d")
    a1 = _actor(rng)
    a2 = _actor(rng) if rng.random() > 0.1 else [""] * 10
    code = rng.choice(codes)
    mentions = rng.randint(1, 40)
    lat, lon = rng.uniform(-60, 70), rng.uniform(-180, 180)
    geo = ["1", "Somewhere, Some Country", "XX", "XX01", f"{lat:.4f}", f"{lon:.4f}", "-1"]
    cells = [
        str(100_000_000 + i),
        sql,
        sql[:6],
        sql[:4],
        f"{day.year + (day.timetuple().tm_yday - 1) / 366:.4f}",
        *a1,
        *a2,
        "1",
        code,
        code[:3],
        code[:2],
        str(table[code].quad_class),
        f"{table[code].goldstein:.1f}",
        str(mentions),
        str(rng.randint(1, mentions)),
        str(mentions),
        f"{rng.uniform(-10, 5):.6f}",
        *([""] * 7),
        *([""] * 7),
        *geo,
        (day + dt.timedelta(days=1)).strftime("%Y%m%d"),
        f"https://www.example{rng.randrange(200)}.com/news/{i}",
    ]
    return "\t".join(cells)


def generate_gdelt(path: Path, rows: int, seed: int = 15) -> Path:
    """Write a GDELT-shaped file of ``rows`` rows to ``path`` (seeded, so the same each run)."""
    rng = random.Random(seed)
    table = cameo_codes()
    codes = sorted(table)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for start in range(0, rows, 10_000):
            f.write(
                "\n".join(
                    gdelt_row(rng, i, codes, table) for i in range(start, min(rows, start + 10_000))
                )
            )
            f.write("\n")
    return path


def generate_icews(path: Path, rows: int, sample: Path, seed: int = 15) -> Path:
    """Write an ICEWS-shaped file of ``rows`` rows: the real sample's rows drawn at random
    (seeded), each with a fresh ``Event ID`` and a day of 2018."""
    rng = random.Random(seed)
    lines = sample.read_text(encoding="utf-8").splitlines()
    head, body = lines[0], [line.split("\t") for line in lines[1:] if line.strip()]
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(head + "\n")
        for start in range(0, rows, 10_000):
            out = []
            for i in range(start, min(rows, start + 10_000)):
                cells = list(rng.choice(body))
                cells[0] = str(40_000_000 + i)
                cells[1] = str(dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(365)))
                out.append("\t".join(cells))
            f.write("\n".join(out) + "\n")
    return path


def _pandas(path: Path, header: bool) -> Callable[[], int]:
    """``pandas.read_csv(engine="pyarrow")``; for a file of mixed GDELT layouts (57 and 58
    columns), which the Arrow reader refuses, the C engine with 58 names (said in the output)."""
    import pandas as pd

    def run() -> int:
        try:
            df = pd.read_csv(
                path, sep="\t", header=0 if header else None, engine="pyarrow", dtype=str
            )
        except pd.errors.ParserError:
            print(f"  ({path.name}: mixed column counts; pandas uses engine='c')")
            df = pd.read_csv(
                path, sep="\t", header=None, names=range(58), engine="c", dtype=str, quoting=3
            )
        return len(df)

    return run


def _relations(path: Path, importer: Any) -> Callable[[], int]:
    def run() -> int:
        return len(importer(path, errors="skip"))

    return run


def _row_reader(fmt: str) -> Any:
    """The importer without its columnar fast path (what it was before)."""
    from relations.io import gdelt, icews

    module = {"icews": icews, "gdelt": gdelt}[fmt]
    return module.reader(module._rows)


def _relations_parquet(path: Path, fmt: str, out: Path) -> Callable[[], int]:
    def run() -> int:
        return import_to_parquet(path, out, format=fmt, errors="skip").loaded  # type: ignore[arg-type]

    return run


def _duckdb_parquet(path: Path, header: bool, out: Path) -> Callable[[], int]:
    """DuckDB's own CSV reader straight to Parquet (types detected, quoting off)."""
    import duckdb

    def run() -> int:
        con = duckdb.connect()
        src = (
            f"read_csv('{path}', delim='\\t', header={str(header).lower()}, quote='', "
            "escape='', null_padding=true)"
        )
        con.execute(f"COPY (SELECT * FROM {src}) TO '{out}' (FORMAT parquet)")
        n = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()
        con.close()
        return int(n[0]) if n else 0

    return run


def _time(fn: Callable[[], int]) -> tuple[float, int]:
    gc.collect()
    t0 = time.perf_counter()
    n = fn()
    return time.perf_counter() - t0, n


ROW_READER = False  # --row-reader: also time the importer's row-by-row reader (the "before")


def compare(label: str, path: Path, fmt: str, importer: Any, *, header: bool, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        engines = {
            "pandas(pyarrow)": _pandas(path, header),
            "relations": _relations(path, importer),
            **(
                {"row reader": _relations(path, _row_reader(fmt))}
                if ROW_READER and fmt in ("icews", "gdelt")
                else {}
            ),
            "duckdb->parquet": _duckdb_parquet(path, header, out / "duck.parquet"),
            "relations->parquet": _relations_parquet(path, fmt, out / "rel.parquet"),
        }
        times: dict[str, list[float]] = {k: [] for k in engines}
        rows: dict[str, int] = {}
        for _ in range(repeat):
            for name, fn in engines.items():  # in turns: noise hits all alike
                t, n = _time(fn)
                times[name].append(t)
                rows[name] = n
    med = {k: statistics.median(v) for k, v in times.items()}
    for name in engines:
        print(
            f"{label:<30} {name:<19} {rows[name]:>10,} rows {med[name]:9.3f} s "
            f"{rows[name] / med[name]:>12,.0f} rows/s"
        )
    pairs = [("relations", "pandas(pyarrow)", "issue 15")]
    if "row reader" in med:
        pairs.append(("row reader", "pandas(pyarrow)", "issue 15"))
    for ours, peer, goal in (
        *pairs,
        ("relations->parquet", "duckdb->parquet", "issue 16"),
    ):
        ratio = med[peer] / med[ours]
        verdict = "meets" if ratio >= 0.5 else "misses"
        print(f"{label:<30} {ours} speed / {peer} speed = {ratio:.3f} ({verdict} {goal}'s 0.5)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--rows", type=int, nargs="*", default=[1_000_000], help="rows of the generated file(s)"
    )
    p.add_argument("--repeat", type=int, default=3, help="samples per engine (median shown)")
    p.add_argument(
        "--icews-rows",
        type=int,
        nargs="*",
        default=[],
        help="rows of generated ICEWS-shaped file(s) (the sample's rows, fresh ids and days)",
    )
    p.add_argument(
        "--row-reader", action="store_true", help="also time the row-by-row readers (before)"
    )
    p.add_argument("--samples", type=Path, default=Path("/work/shared/data/samples"))
    args = p.parse_args(argv)
    global ROW_READER
    ROW_READER = args.row_reader
    print(f"python {sys.version.split()[0]}")
    icews = args.samples / "icews_events.2018.sample.tab"
    gdelt = args.samples / "gdelt1_events_sample.tsv"
    if icews.is_file():
        compare("ICEWS sample", icews, "icews", import_icews, header=True, repeat=args.repeat)
    for rows in args.icews_rows if icews.is_file() else []:
        with tempfile.TemporaryDirectory() as tmp:
            path = generate_icews(Path(tmp) / "icews.tab", rows, icews)
            size = path.stat().st_size / 1e6
            label = f"ICEWS-shaped {rows:,} ({size:.0f} MB)"
            compare(label, path, "icews", import_icews, header=True, repeat=args.repeat)
    if gdelt.is_file():
        compare("GDELT sample", gdelt, "gdelt", import_gdelt, header=False, repeat=args.repeat)
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            path = generate_gdelt(Path(tmp) / "gdelt.tsv", rows)
            size = path.stat().st_size / 1e6
            compare(
                f"GDELT-shaped {rows:,} ({size:.0f} MB)",
                path,
                "gdelt",
                import_gdelt,
                header=False,
                repeat=args.repeat,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
