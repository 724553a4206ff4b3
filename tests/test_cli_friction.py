"""The command line's rough edges from issue 19: typos exit non-zero, one notion of a valid file,
``--json`` everywhere, no placeholder hints, unplaced events, zsh and fish completion."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import relations.io as rio
from relations import Event, Quantity, timeline
from relations.cli import main

DATASET = "russia-north-korea"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_kind_typo_exits_non_zero_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", DATASET, "--kind", "militray")
    assert code == 1 and out == ""
    assert "did you mean 'military'?" in err and err.count("\n") == 1
    # a known kind that no event has is no typo: an empty listing
    code, _, err = run(capsys, "show", DATASET, "--kind", "un.veto")
    assert code == 0 and err == ""


def test_a_quantity_typo_exits_non_zero_naming_the_quantities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "stats", DATASET, "--sum", "soldier")
    assert code == 1 and out == ""
    assert "did you mean 'soldiers'?" in err and "casualties" in err


def test_the_tour_hint_names_the_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "tour", "--width", "100")
    assert "SOURCE" not in out
    assert f"relations show {DATASET} --status disputed --status claimed" in out


def test_validate_accepts_what_the_readers_accept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "validate", DATASET)
    assert code == 0 and "all valid" in out
    plain = tmp_path / "plain.jsonl"  # no schema, no id: read_jsonl and show read it
    plain.write_text('{"when": "2024", "kind": "trade", "actors": ["RUS"], "title": "T"}\n')
    assert len(rio.read_jsonl(plain)) == 1
    code, out, _ = run(capsys, "validate", str(plain))
    assert code == 0 and "1 records, all valid" in out


def test_validate_lists_every_problem_of_a_record(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"when": "2024", "kind": "Trade", "actors": "RUS", "title": ""}\n')
    code, out, _ = run(capsys, "validate", str(bad), "--json")
    (issue,) = json.loads(out)["issues"]
    assert code == 1
    for field in ("actors:", "kind:", "title:"):
        assert field in issue["message"]
    assert "more)" not in issue["message"]


def test_json_on_chart_import_and_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chart = tmp_path / "c.svg"
    code, out, _ = run(capsys, "chart", DATASET, "-o", str(chart), "--json")
    assert code == 0 and json.loads(out) == {"output": str(chart), "format": "svg", "events": 115}
    dest = tmp_path / "x.csv"
    code, out, _ = run(capsys, "export", DATASET, "--format", "csv", "-o", str(dest), "--json")
    assert code == 0 and json.loads(out)["events"] == 115
    code, _, err = run(capsys, "export", DATASET, "--format", "csv", "--json")
    assert code == 1 and "-o" in err
    src = tmp_path / "p.tsv"
    src.write_text("no\tplover\n")
    code, out, _ = run(
        capsys, "import", "--format", "plover", str(src), "-o", str(tmp_path / "o.jsonl"),
        "--errors", "collect", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["records"] == data["skipped"] + data["written"]


def test_import_into_a_directory_names_no_temporary_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = tmp_path / "p.jsonl"
    src.write_text("{}\n")
    code, _, err = run(capsys, "import", "--format", "plover", str(src), "-o", str(tmp_path))
    assert code == 1 and "is a directory" in err and ".tmp" not in err


def test_export_flat_csv_reads_back_and_neutralises_formulas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = tmp_path / "e.jsonl"
    e = Event("2024", "trade", ["RUS"], "=cmd|'/C calc'!A0", id="x",
              quantities={"usd": Quantity.about(5, "USD")})  # fmt: skip
    rio.write_jsonl(timeline.of(e), src)
    code, out, _ = run(capsys, "export", str(src), "--format", "csv", "--layout", "flat")
    row = next(csv.DictReader(io.StringIO(out)))
    assert code == 0 and row["title"].startswith("'=") and row["quantity.usd.value"] == "5"
    assert list(rio.read_csv(io.StringIO(out))) == [e]
    code, out, _ = run(capsys, "export", str(src), "--format", "csv", "--no-escape-formulas")
    assert next(csv.DictReader(io.StringIO(out)))["title"].startswith("=")


def test_stats_lists_the_unplaced_events(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats", DATASET, "--unplaced", "--width", "100")
    assert code == 0 and "Not placed (" in out
    code, out, _ = run(capsys, "stats", DATASET, "--unplaced", "--json")
    data = json.loads(out)
    assert len(data["unplaced_events"]) == data["unplaced"] > 0


def test_value_column_follows_the_width(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "e.jsonl"
    q = Quantity(None, "international_observers", low=10000, high=12000, approximate=True)
    rio.write_jsonl(timeline.of(Event("2024", "trade", ["RUS"], "T", quantities={"n": q})), src)
    _, narrow, _ = run(capsys, "stats", str(src), "--sum", "n", "--width", "60")
    _, wide, _ = run(capsys, "stats", str(src), "--sum", "n", "--width", "160")
    row = [line for line in narrow.splitlines() if line.startswith("2024")]
    assert "…" in row[0]
    row = [line for line in wide.splitlines() if line.startswith("2024")]
    assert "international_observers" in row[0]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_for_each_shell(capsys: pytest.CaptureFixture[str], shell: str) -> None:
    code, out, _ = run(capsys, "completion", shell)
    assert code == 0 and "relations" in out and "validate" in out
    exe = shutil.which(shell)
    if exe is not None and shell != "fish":
        checked = subprocess.run([exe, "-n"], input=out, text=True, capture_output=True)
        assert checked.returncode == 0, checked.stderr
