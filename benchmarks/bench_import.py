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
200000`` for an ICEWS-shaped file, ``--plover-rows 200000`` for a PLOVER-shaped JSON Lines
file against ``pandas.read_json(lines=True, engine="pyarrow")`` and polars ``read_ndjson``,
``--repeat 3`` samples per engine).
``--file PATH`` times an existing GDELT-shaped file instead (``--write PATH`` keeps the
generated one). ``--isolate`` runs every sample in a fresh process and adds its peak RSS.
The engine ``rows`` is the pure-Python row-by-row importer (``import_gdelt`` / ``import_icews``
with the fast path off, as before the columnar work); ``--rows-limit N`` times it on the first
``N`` rows only and scales the time to the whole file (said in the output); ``--row-reader``
adds it to the engines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from relations.io import acled, gdelt, icews, import_acled, import_gdelt, import_icews
from relations.io._contract import reader
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


# ACLED-shaped rows: (event_type, sub_event_type, disorder_type) of ACLED's codebook.
_ACLED_TYPES = [
    ("Battles", "Armed clash", "Political violence"),
    ("Battles", "Government regains territory", "Political violence"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Political violence"),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
    ("Violence against civilians", "Attack", "Political violence"),
    ("Protests", "Peaceful protest", "Demonstrations"),
    ("Riots", "Violent demonstration", "Demonstrations"),
    ("Strategic developments", "Looting/property destruction", "Strategic developments"),
]
_ACLED_COUNTRIES = [
    ("Ukraine", "804", "Europe"),
    ("Russia", "643", "Europe"),
    ("Syria", "760", "Middle East"),
    ("Nigeria", "566", "Western Africa"),
    ("Mexico", "484", "Caribbean and Central America"),
    ("India", "356", "South Asia"),
    ("Pakistan", "586", "South Asia"),
    ("Brazil", "76", "South America"),
    ("Myanmar", "104", "Southeast Asia"),
    ("Sudan", "729", "Northern Africa"),
    ("Yemen", "887", "Middle East"),
    ("Colombia", "170", "South America"),
]
_ACLED_OUTLETS = ["Reuters", "AFP", "Ukrinform", "Local Source", "Twitter", "Al Jazeera", "BBC"]


def acled_row(rng: random.Random, i: int, newlines: float = 0.05) -> list[str]:
    """One ACLED-shaped row (the 31 columns of :data:`relations.io.acled.ACLED_COLUMNS`)."""
    event_type, sub_type, disorder = rng.choice(_ACLED_TYPES)
    country, iso, region = rng.choice(_ACLED_COUNTRIES)
    other = rng.choice(_ACLED_COUNTRIES)[0]
    actor1 = rng.choice(
        [f"Military Forces of {country} (2019-)", f"Police Forces of {country} (2000-)",
         f"Protesters ({country})", f"Unidentified Armed Group ({country})", "Rioters"]
    )  # fmt: skip
    actor2 = rng.choice(["", f"Civilians ({country})", f"Military Forces of {other} (2000-)"])
    day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(1500))
    fatalities = 0 if rng.random() < 0.6 else rng.randrange(1, 60)
    notes = (
        f"On {day:%d %B %Y}, {actor1} clashed with {actor2 or 'unknown forces'} near "
        f'"{country} town {i % 977}", {region}. {fatalities} fatalities reported.'
    )
    if rng.random() < newlines:
        notes += "\n[size=no report]"
    sources = "; ".join(rng.sample(_ACLED_OUTLETS, rng.randrange(1, 3)))
    return [
        f"{iso}{i}", day.isoformat(), str(day.year), rng.choice("1111112223"), disorder,
        event_type, sub_type, actor1, "", str(rng.randrange(1, 9)), actor2, "",
        str(rng.randrange(0, 9)), str(rng.randrange(10, 90)), "", iso, region, country,
        f"Oblast {i % 31}", f"Raion {i % 211}", "", f"{country} town {i % 977}",
        f"{rng.uniform(-40, 60):.4f}", f"{rng.uniform(-100, 140):.4f}", rng.choice("123"),
        sources, "National", notes, str(fatalities), "", str(1700000000 + i),
    ]  # fmt: skip


def generate_acled(path: Path, rows: int, seed: int = 15, newlines: float = 0.05) -> Path:
    """Write an ACLED-shaped CSV export of ``rows`` rows (seeded): ACLED's 31 columns, quoted
    notes (the fraction ``newlines`` of them over two lines), a dozen countries, actors of
    ACLED's forms."""
    import csv

    from relations.io.acled import ACLED_COLUMNS

    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ACLED_COLUMNS)
        for i in range(rows):
            w.writerow(acled_row(rng, i, newlines))
    return path


def _acled_engine(name: str, path: Path, out: Path) -> Callable[[], int] | None:
    """pandas and DuckDB read ACLED's quoted CSV (commas, newlines in notes). pandas' pyarrow
    engine cannot read a cell over several lines (it has no ``newlines_in_values``): for such
    a file pandas uses engine='c' (said in the output)."""
    if name == "pandas":
        import pandas as pd

        def parse() -> int:
            try:
                return len(pd.read_csv(path, engine="pyarrow", dtype=str))
            except pd.errors.ParserError:
                print(f"  ({path.name}: cells over several lines; pandas uses engine='c')")
                return len(pd.read_csv(path, engine="c", dtype=str))

        return parse
    if name == "duckdb":
        import duckdb

        def run() -> int:
            con = duckdb.connect()
            target = out / "duck.parquet"
            con.execute(f"COPY (SELECT * FROM read_csv('{path}', header=true)) TO '{target}'")
            n = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()
            con.close()
            return int(n[0]) if n else 0

        return run
    return None


ENGINES = ("pandas", "relations", "duckdb", "relations-parquet", "rows")
_LABEL = {
    "pandas": "pandas(pyarrow)",
    "relations": "relations",
    "duckdb": "duckdb->parquet",
    "relations-parquet": "relations->parquet",
    "rows": "pure-Python rows",
}
_IMPORTERS: dict[str, Any] = {"gdelt": import_gdelt, "icews": import_icews}
# the importers with the fast path off: what they were before the columnar work
_ROW_READERS: dict[str, Any] = {"gdelt": reader(gdelt._rows), "icews": reader(icews._rows)}
_IMPORTERS["acled"], _ROW_READERS["acled"] = import_acled, reader(acled._rows)


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


def _engine(name: str, path: Path, fmt: str, header: bool, out: Path) -> Callable[[], int]:
    """One engine's import of ``path``, as a function returning the rows it read."""
    if fmt == "acled" and (run := _acled_engine(name, path, out)) is not None:
        return run
    if name == "pandas":
        return _pandas(path, header)
    if name == "duckdb":
        return _duckdb_parquet(path, header, out / "duck.parquet")
    if name == "relations-parquet":
        return lambda: (
            import_to_parquet(  # type: ignore[call-overload,no-any-return]
                path, out / "rel.parquet", format=fmt, errors="skip"
            ).loaded
        )
    importer = _IMPORTERS[fmt] if name == "relations" else _ROW_READERS[fmt]
    return lambda: len(importer(path, errors="skip"))


def _head(path: Path, rows: int, into: Path, header: bool) -> tuple[Path, float]:
    """The first ``rows`` rows of ``path`` (after its header) in ``into``, and the factor
    from their count to the whole file's."""
    total = 0
    with path.open("rb") as src, into.open("wb") as dst:
        for i, line in enumerate(src):
            if i < rows + header:
                dst.write(line)
            total += 1
    return into, (total - header) / max(1, min(rows, total - header))


def _time(fn: Callable[[], int]) -> tuple[float, int]:
    gc.collect()
    t0 = time.perf_counter()
    n = fn()
    return time.perf_counter() - t0, n


def _isolated(name: str, path: Path, fmt: str, header: bool, out: Path) -> tuple[float, int, float]:
    """One sample in a fresh process: (seconds, rows, peak RSS in MiB)."""
    cmd = [sys.executable, __file__, "--one", name, "--path", str(path), "--format", fmt]
    cmd += ["--out", str(out)] + (["--header"] if header else [])
    lines = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()
    for line in lines[:-1]:  # the engine's own notes
        print(line)
    got = json.loads(lines[-1])
    return got["seconds"], got["rows"], got["rss_mib"]


def _one(name: str, path: Path, fmt: str, header: bool, out: Path) -> int:
    """``--one``: time one engine once in this process; print seconds, rows and peak RSS."""
    t, n = _time(_engine(name, path, fmt, header, out))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": t, "rows": n, "rss_mib": rss}))
    return 0


def compare(
    label: str,
    path: Path,
    fmt: str,
    *,
    header: bool,
    repeat: int,
    engines: tuple[str, ...] = ENGINES,
    isolate: bool = False,
    rows_limit: int | None = None,
) -> dict[str, float]:
    """Time each engine on ``path`` (in turns, ``repeat`` times); print medians and ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        scale = dict.fromkeys(engines, 1.0)
        files = dict.fromkeys(engines, path)
        if "rows" in engines and rows_limit:
            files["rows"], scale["rows"] = _head(path, rows_limit, out / "head.tsv", header)
        times: dict[str, list[float]] = {k: [] for k in engines}
        peaks: dict[str, list[float]] = {k: [] for k in engines}
        rows: dict[str, int] = {}
        for _ in range(repeat):
            for name in engines:  # in turns: noise hits all alike
                if isolate:
                    t, n, rss = _isolated(name, files[name], fmt, header, out)
                    peaks[name].append(rss)
                else:
                    t, n = _time(_engine(name, files[name], fmt, header, out))
                times[name].append(t * scale[name])
                rows[name] = round(n * scale[name])
    med = {k: statistics.median(v) for k, v in times.items()}
    for name in engines:
        note = f"  (first {rows_limit:,} rows, scaled)" if scale[name] != 1.0 else ""
        rss = f" {max(peaks[name]):8.0f} MiB peak" if peaks[name] else ""
        print(
            f"{label:<32} {_LABEL[name]:<19} {rows[name]:>10,} rows {med[name]:9.3f} s "
            f"{rows[name] / med[name]:>12,.0f} rows/s{rss}{note}"
        )
    for ours, peer, goal in (
        ("relations", "pandas", "issue 15"),
        ("relations-parquet", "duckdb", "issue 16"),
        ("rows", "pandas", "for comparison"),
        ("rows", "duckdb", "for comparison"),
    ):
        if ours in med and peer in med:
            ratio = med[peer] / med[ours]
            verdict = (
                f"{'meets' if ratio >= 0.5 else 'misses'} {goal}'s 0.5"
                if goal.startswith("issue")
                else goal
            )
            print(
                f"{label:<32} {_LABEL[ours]} speed / {_LABEL[peer]} speed = {ratio:.3f} ({verdict})"
            )
    return med


# ---- PLOVER (JSON Lines) -----------------------------------------------------------------------

_PLOVER_EVENTS = ["AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "REQUEST", "ACCUSE"]
_PLOVER_EVENTS += ["REJECT", "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT"]
_PLOVER_SECTORS = [("GOV", "government"), ("MIL", "army"), ("REB", "rebels"), ("IGO", "UN")]
_PLOVER_WORDS = [
    "said",
    "met",
    "signed",
    "accused",
    "warned",
    "talks",
    "troops",
    "border",
    "deal",
    "aid",
    "strike",
]


def _plover_entity(rng: random.Random) -> dict[str, str]:
    if rng.random() < 0.15:
        code, text = rng.choice(_PLOVER_SECTORS)
        return {"code": code, "entity_text": text.title()}
    code, name = rng.choice(_COUNTRIES)
    return {"code": code, "entity_text": name.title(), "sector": rng.choice(_ROLES)}


def generate_plover(path: Path, rows: int, seed: int = 15) -> Path:
    """A PLOVER-shaped JSON Lines file (manual v2 fields; seeded): one or two actors, up to
    two recipients, a category, event text, contexts, mode, an intensity with one decimal
    (``event_scale``), a story sentence, a place, a citation, a count now and then."""
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    with path.open("w", encoding="utf-8") as f:
        for i in range(rows):
            day = start + dt.timedelta(days=rng.randrange(365))
            words = " ".join(rng.choice(_PLOVER_WORDS) for _ in range(rng.randint(2, 5)))
            rec: dict[str, Any] = {
                "id": f"{day:%Y%m%d}-{i}",
                "date": day.isoformat(),
                "actor": [_plover_entity(rng) for _ in range(1 + (rng.random() < 0.1))],
                "recipient": [_plover_entity(rng) for _ in range(rng.choice([0, 1, 1, 1, 2]))],
                "event": rng.choice(_PLOVER_EVENTS),
                "event_text": words,
                "mode": rng.sample(["formal", "verbal", "material"], rng.randint(0, 1)),
                "context": rng.sample(["military", "economic", "diplomatic", "legal"], 1),
                "quad_code": rng.randint(1, 4),
                "event_scale": round(rng.uniform(-10, 10), 1),
                "text": f"Story {i}: officials {words} on {day:%B %d}. " * rng.randint(1, 3),
                "event_loc": {"city": rng.choice(["Kyiv", "Gaza", "Seoul", ""]), "country": "X"},
                "cite_info": {
                    "publication": rng.choice(["Reuters", "AFP", "Xinhua", "TASS"]),
                    "title": f"Report {i % 997}",
                    "url": f"https://news.example/{i}",
                },
                "coder": "bench",
                "coded_date": "2024-01-15",
            }
            if rng.random() < 0.2:
                rec["size"] = {"dead": rng.randint(0, 50)}
            f.write(json.dumps(rec) + "\n")
    return path


def _plover_engines(path: Path, row_reader: bool) -> dict[str, Callable[[], int]]:
    """The PLOVER import and its peers on ``path``: pandas (pyarrow engine), polars, and
    (``row_reader``) the row-by-row importer."""
    import pandas as pd
    import polars as pl

    from relations.io import import_plover, plover

    engines: dict[str, Callable[[], int]] = {
        "pandas read_json(pyarrow)": lambda: len(pd.read_json(path, lines=True, engine="pyarrow")),
        "polars read_ndjson": lambda: pl.read_ndjson(path).height,
        "relations import_plover": lambda: len(import_plover(path)),
    }
    if row_reader:
        engines["pure-Python rows"] = lambda: len(reader(plover._rows)(path))
    return engines


def compare_plover(label: str, path: Path, repeat: int, row_reader: bool) -> dict[str, float]:
    """Time the PLOVER import and its peers (in turns); print medians and the goal's ratio."""
    engines = _plover_engines(path, row_reader)
    times: dict[str, list[float]] = {k: [] for k in engines}
    rows: dict[str, int] = {}
    for _ in range(repeat):
        for name, fn in engines.items():
            t, rows[name] = _time(fn)
            times[name].append(t)
    med = {k: statistics.median(v) for k, v in times.items()}
    for name in engines:
        print(f"{label:<32} {name:<26} {rows[name]:>10,} rows {med[name]:9.3f} s")
    peer = min(("pandas read_json(pyarrow)", "polars read_ndjson"), key=med.__getitem__)
    ratio = med[peer] / med["relations import_plover"]
    verdict = "meets" if ratio >= 0.5 else "misses"
    print(f"{label:<32} relations speed / {peer} speed = {ratio:.3f} ({verdict} issue 15's 0.5)")
    if row_reader:
        speedup = med["pure-Python rows"] / med["relations import_plover"]
        print(f"{label:<32} fast path / row reader: {speedup:.1f}x faster")
    return med


def _compare_acled(rows: int, newlines: float, opts: dict[str, Any]) -> None:
    """``--acled-rows``: an ACLED-shaped file of ``rows`` rows, generated and compared."""
    with tempfile.TemporaryDirectory() as tmp:
        path = generate_acled(Path(tmp) / "acled.csv", rows, newlines=newlines)
        size = path.stat().st_size / 1e6
        compare(f"ACLED-shaped {rows:,} ({size:.0f} MB)", path, "acled", header=True, **opts)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--rows",
        type=int,
        nargs="*",
        default=[1_000_000],
        help="rows of the generated GDELT-shaped file(s) (none if given alone)",
    )
    p.add_argument(
        "--icews-rows",
        type=int,
        nargs="*",
        default=[],
        help="rows of generated ICEWS-shaped file(s) (the sample's rows, fresh ids and days)",
    )
    p.add_argument(
        "--plover-rows",
        type=int,
        nargs="*",
        default=[],
        help="rows of generated PLOVER-shaped JSON Lines file(s), against pandas and polars",
    )
    p.add_argument(
        "--acled-rows",
        type=int,
        nargs="*",
        default=[],
        help="rows of generated ACLED-shaped CSV file(s) (quoted notes)",
    )
    p.add_argument(
        "--acled-newlines",
        type=float,
        default=0.0,
        help="fraction of the ACLED-shaped notes over two lines (pandas' pyarrow engine "
        "cannot read those; default 0)",
    )
    p.add_argument("--file", type=Path, help="time this GDELT-shaped file (nothing generated)")
    p.add_argument("--write", type=Path, help="keep the generated file here (one --rows size)")
    p.add_argument("--repeat", type=int, default=3, help="samples per engine (median shown)")
    p.add_argument("--samples", type=Path, default=Path("/work/shared/data/samples"))
    p.add_argument("--no-samples", action="store_true", help="skip the real samples")
    p.add_argument(
        "--engines",
        default="pandas,relations,duckdb,relations-parquet",
        help=f"comma-separated, of {','.join(ENGINES)}",
    )
    p.add_argument("--isolate", action="store_true", help="one process a sample, with peak RSS")
    p.add_argument("--rows-limit", type=int, help="the rows engine reads this many rows only")
    p.add_argument(
        "--row-reader", action="store_true", help="add the engine rows (the row-by-row readers)"
    )
    p.add_argument("--one", choices=ENGINES, help=argparse.SUPPRESS)
    p.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--format", default="gdelt", help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--header", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        return _one(args.one, args.path, args.format, args.header, args.out)
    engines = tuple(e for e in args.engines.split(",") if e)
    if args.row_reader and "rows" not in engines:
        engines = (*engines, "rows")
    if unknown := set(engines) - set(ENGINES):
        p.error(f"unknown engines: {', '.join(sorted(unknown))}")
    opts: dict[str, Any] = {
        "repeat": args.repeat,
        "engines": engines,
        "isolate": args.isolate,
        "rows_limit": args.rows_limit,
    }
    print(f"python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")
    icews_file = args.samples / "icews_events.2018.sample.tab"
    gdelt_file = args.samples / "gdelt1_events_sample.tsv"
    if not args.no_samples and icews_file.is_file():
        compare("ICEWS sample", icews_file, "icews", header=True, **opts)
    for rows in args.icews_rows if icews_file.is_file() else []:
        with tempfile.TemporaryDirectory() as tmp:
            path = generate_icews(Path(tmp) / "icews.tab", rows, icews_file)
            size = path.stat().st_size / 1e6
            compare(f"ICEWS-shaped {rows:,} ({size:.0f} MB)", path, "icews", header=True, **opts)
    for rows in args.plover_rows:
        with tempfile.TemporaryDirectory() as tmp:
            path = generate_plover(args.write or Path(tmp) / "plover.jsonl", rows)
            size = path.stat().st_size / 1e6
            label = f"PLOVER-shaped {rows:,} ({size:.0f} MB)"
            compare_plover(label, path, args.repeat, args.row_reader)
    for rows in args.acled_rows:
        _compare_acled(rows, args.acled_newlines, opts)
    if not args.no_samples and gdelt_file.is_file():
        compare("GDELT sample", gdelt_file, "gdelt", header=False, **opts)
    if args.file:
        size = args.file.stat().st_size / 1e6
        compare(f"{args.file.name} ({size:.0f} MB)", args.file, "gdelt", header=False, **opts)
        return 0
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            path = generate_gdelt(args.write or Path(tmp) / "gdelt.tsv", rows)
            size = path.stat().st_size / 1e6
            compare(f"GDELT-shaped {rows:,} ({size:.0f} MB)", path, "gdelt", header=False, **opts)
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
