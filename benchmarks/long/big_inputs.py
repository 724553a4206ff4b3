"""Big inputs stream in bounded memory (issue #17): `relations validate` and
`relations import` on a large file, each in its own process, peak RSS measured.

The JSON Lines file repeats the bundled dataset's records with fresh ids (so every line is a
new valid event, and a bad line every ``--bad-every`` lines exercises the error path); the
GDELT file repeats the shared sample's rows with fresh GLOBALEVENTIDs (so no row repeats an
id, as in a real export) in the 58-column daily layout (the backfile rows get an empty
SOURCEURL). Runs: ``validate``, ``import`` to JSON Lines (a whole Timeline in
memory) and ``import`` to Parquet (streamed, the columnar layout); ``--runs`` picks some.
Nothing is asserted: the script prints a Markdown
table of size, lines, seconds and peak RSS (``ru_maxrss`` of the child), which
``docs/explanation/durability-and-security.md`` quotes with the command that produced it.

    PYTHONPATH=src python benchmarks/long/big_inputs.py --mb 1024      # the 1 GB run
    PYTHONPATH=src python benchmarks/long/big_inputs.py --mb 100       # a quicker check
    PYTHONPATH=src python benchmarks/long/big_inputs.py --mb 1024 --runs parquet
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = Path(os.environ.get("RELATIONS_SAMPLES") or REPO.parent / "shared" / "data" / "samples")


def write_jsonl(path: Path, mb: int, bad_every: int) -> int:
    from relations.datasets import load

    records = [e.to_dict() for e in load("russia-north-korea")]
    limit, size, n = mb * 2**20, 0, 0
    with path.open("w", encoding="utf-8") as f:
        while size < limit:
            for d in records:
                n += 1
                if bad_every and n % bad_every == 0:
                    line = f'{{"schema":1,"id":"bad{n}","when":"2024-02-30","kind":"x"}}\n'
                else:
                    line = json.dumps({**d, "id": f"{d['id']}-{n}"}, ensure_ascii=False) + "\n"
                f.write(line)
                size += len(line.encode())
                if size >= limit:
                    break
    return n


def write_gdelt(path: Path, mb: int) -> int:
    rows = (SAMPLES / "gdelt1_events_sample.tsv").read_bytes().splitlines(keepends=True)
    # one layout throughout, as in a real daily file: backfile rows (57 cells) get an empty
    # SOURCEURL (58)
    tails = [
        row.split(b"\t", 1)[1].replace(b"\n", b"\t\n")
        if row.count(b"\t") == 56
        else row.split(b"\t", 1)[1]
        for row in rows
        if b"\t" in row
    ]
    limit, size, n = mb * 2**20, 0, 0
    with path.open("wb") as f:
        while size < limit:
            chunk = []
            for tail in tails:
                n += 1
                chunk.append(b"%d\t%s" % (n, tail))
            data = b"".join(chunk)
            f.write(data)
            size += len(data)
    return n


def measure(argv: list[str]) -> tuple[float, float, int]:
    """Seconds, peak RSS (MB) and exit status of ``python -m relations argv``."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    code = (
        "import resource, sys, runpy; sys.argv = ['relations'] + sys.argv[1:];"
        "from relations.cli import main; rc = main(sys.argv[1:]);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)"
    )
    t = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - t
    peak_kb = int(r.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024, r.returncode


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mb", type=int, default=1024, help="size of each input file in MiB")
    p.add_argument("--bad-every", type=int, default=1000, help="one invalid line in this many")
    p.add_argument("--dir", type=Path, default=None, help="folder for the files (default: temp)")
    p.add_argument(
        "--runs",
        nargs="+",
        default=["validate", "jsonl", "parquet"],
        choices=["validate", "jsonl", "parquet"],
        help="which runs (default: all)",
    )
    p.add_argument(
        "--only",
        choices=("validate", "import"),
        default=None,
        help="run just validate, or just the import to JSON Lines (the same as --runs jsonl)",
    )
    args = p.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="relations-big-"))
    jsonl, gdelt = folder / "big.jsonl", folder / "big.tsv"
    if args.only is not None:
        args.runs = ["validate"] if args.only == "validate" else ["jsonl"]
    n_jsonl = write_jsonl(jsonl, args.mb, args.bad_every) if "validate" in args.runs else 0
    n_gdelt = write_gdelt(gdelt, args.mb) if {"jsonl", "parquet"} & set(args.runs) else 0
    runs = [
        ("validate (jsonschema)", ["validate", str(jsonl)], n_jsonl, "validate"),
        (
            "import gdelt --errors skip",
            [
                "import",
                "--format",
                "gdelt",
                "-o",
                str(folder / "out.jsonl"),
                "--errors",
                "skip",
                "--no-progress",
                str(gdelt),
            ],
            n_gdelt,
            "jsonl",
        ),
        (
            "import gdelt -o out.parquet --errors skip",
            [
                "import",
                "--format",
                "gdelt",
                "-o",
                str(folder / "out.parquet"),
                "--errors",
                "skip",
                "--no-progress",
                str(gdelt),
            ],
            n_gdelt,
            "parquet",
        ),
    ]
    print(f"Input size {args.mb} MiB each; python {sys.version.split()[0]}; command: "
          f"python benchmarks/long/big_inputs.py --mb {args.mb} --runs {' '.join(args.runs)}\n")  # fmt: skip
    print("| run | lines | seconds | peak RSS (MB) | exit |")
    print("|---|---|---|---|---|")
    baseline = measure(["datasets"])
    print(
        f"| baseline (`relations datasets`) | - | {baseline[0]:.1f} | {baseline[1]:.0f} | {baseline[2]} |"
    )
    for name, argv, lines, key in runs:
        if key not in args.runs:
            continue
        s, mb, rc = measure(argv)
        print(f"| {name} | {lines:,} | {s:.0f} | {mb:.0f} | {rc} |")
    for f in (jsonl, gdelt, folder / "out.jsonl", folder / "out.parquet"):
        f.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
