"""The ``relations`` command, through ``main([...])`` and as ``python -m relations``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import relations.io as rio
from relations import Event, timeline
from relations.cli import ProgressBar, build_parser, main

DATASET = "russia-north-korea"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("relations: error: ")
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    tl = timeline.of(
        Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed", id="t"),
        Event("2024-10", "military.deployment", ["PRK", "RUS"], "Troops", directed=True, id="k"),
        Event("2012-09-17", "economic.debt_relief", ["RUS", "PRK"], "Debt", id="d"),
    )
    rio.write_jsonl(tl, path)
    return path


# ---- tour and show -----------------------------------------------------------------------


def test_tour_prints_the_timeline_then_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "tour", "--width", "100")
    assert code == 0 and err == ""
    n = len(timeline.load(DATASET))
    assert f"{n} events" in out.splitlines()[0]
    assert "Summary" in out and "by status" in out and "disagreements" in out
    assert "disputed" in out and "claimed" in out
    assert out.index("2024-06-19") < out.index("Summary")
    assert all(len(line) <= 100 for line in out.splitlines())


def test_tour_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tour", "--json")
    data = json.loads(out)
    assert code == 0 and data["dataset"] == DATASET
    assert data["events"] == sum(data["by_status"].values())
    assert data["disagreements"] and data["span"]["from"] < data["span"]["to"]


def test_show_with_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "show", DATASET, "--between", "2024", "2024", "--kind", "agreement.treaty",
        "--actor", "Russia", "--actor", "DPRK", "--width", "120",
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    expected = timeline.load(DATASET).between("2024", "2024").of_kind("agreement.treaty")
    assert len(lines) == len(expected.involving("RUS", "PRK")) > 0
    assert any("2024-06-19" in line for line in lines)
    code, out, _ = run(capsys, "show", DATASET, "--status", "disputed", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and records and all(r["status"] == "disputed" for r in records)
    code, out, _ = run(capsys, "show", DATASET, "--limit", "4", "--summary", "--width", "90")
    assert "more events" in out and "Summary" in out


def test_show_a_file(capsys: pytest.CaptureFixture[str], events_file: Path) -> None:
    code, out, _ = run(capsys, "show", str(events_file), "--width", "80")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["2012-09-17", "2024-06-19", "2024-10"]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["show", "no-such-dataset"], "no such file or bundled dataset: 'no-such-dataset'"),
        (["show", "missing.jsonl"], "missing.jsonl"),
        (["show", DATASET, "--between", "2024-13", "2025"], "2024-13"),
        (["show", DATASET, "--actor", "Atlantis"], "Atlantis"),
        (["stats", DATASET, "--by", "fortnight"], "fortnight"),
        (["chart", DATASET, "-o", "chart.gif"], ".svg, .html, .png or .pdf"),
        (["validate", "missing.jsonl"], "missing.jsonl: no such file"),
        (["store", "read", "missing.db"], "missing.db: no such store"),
        (["store", "read", "notes.txt"], "notes.txt"),
        (["store", "append", "nowhere/x.db", DATASET], "'nowhere' does not exist"),
        (["chart", DATASET, "-o", "nowhere/c.svg"], "'nowhere' does not exist"),
        (["export", DATASET, "--format", "csv", "-o", "nowhere/c.csv"], "does not exist"),
    ],
)
def test_errors_are_one_clear_line(
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    needle: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("not a database, just some text\n" * 100)
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert needle in one_error_line(err)


def test_a_bad_file_names_its_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"schema": 1, "when": "2024", "kind": "trade", "actors": ["RUS"], "title": "a"}\n'
                   '{"schema": 1, "when": "2024-02-30", "kind": "trade", "actors": ["RUS"], "title": "b"}\n',
                   encoding="utf-8")  # fmt: skip
    code, _, err = run(capsys, "show", str(bad))
    assert code == 1 and f"{bad}:2:" in one_error_line(err)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show"]) == 2
    assert main(["nonsense"]) == 2
    assert main(["stats", DATASET, "--policy", "guess"]) == 2
    err = capsys.readouterr().err
    assert "usage: relations" in err and "Traceback" not in err
    assert main([]) == 0 and "tour" in capsys.readouterr().out
    assert main(["--version"]) == 0


def test_interrupt_and_unexpected_errors(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import relations.cli as cli

    def interrupted(_: object) -> int:
        raise KeyboardInterrupt

    def broken(_: object) -> int:
        raise TypeError("boom")

    monkeypatch.setattr(cli, "_cmd_tour", interrupted)
    assert main(["tour"]) == 130
    monkeypatch.setattr(cli, "_cmd_tour", broken)
    monkeypatch.delenv("RELATIONS_DEBUG", raising=False)
    assert main(["tour"]) == 70
    line = one_error_line(capsys.readouterr().err)
    assert "unexpected TypeError: boom" in line


# ---- stats and chart ---------------------------------------------------------------------


def test_stats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "stats", DATASET, "--by", "year", "--policy", "earliest", "--width", "80"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["year", "count"]
    row = next(line for line in lines if line.startswith("2024 "))
    assert "█" in row
    code, out, _ = run(capsys, "stats", DATASET, "--by", "dyad,year", "--json")
    data = json.loads(out)
    assert code == 0 and data["by"] == ["dyad", "year"] and data["policy"] == "contained"
    total = sum(r["value"] for r in data["rows"]) + data["unplaced"]
    assert total >= len(timeline.load(DATASET))  # nothing disappears
    assert all(isinstance(r["key"], list) for r in data["rows"])


@pytest.mark.parametrize("suffix", [".svg", ".html"])
def test_chart(capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str) -> None:
    out_file = tmp_path / f"chart{suffix}"
    code, out, err = run(capsys, "chart", DATASET, "-o", str(out_file), "--lanes", "status")
    assert code == 0 and out == "" and str(out_file) in err
    text = out_file.read_text(encoding="utf-8")
    n = len(timeline.load(DATASET))
    assert text.count('class="rl-event') == n
    if suffix == ".svg":
        ET.fromstring(text)
        assert "Russia – North Korea" in text


# ---- validate, import, export ------------------------------------------------------------


def test_validate(capsys: pytest.CaptureFixture[str], events_file: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate", str(events_file))
    assert code == 0 and "3 records, all valid" in out
    bad = tmp_path / "bad.jsonl"
    lines = events_file.read_text(encoding="utf-8").splitlines()
    lines.insert(
        1, '{"schema": 1, "when": "2024", "kind": "Trade", "actors": ["RUS"], "title": "x"}'
    )
    lines.append("not json")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 1
    assert [line.split(":")[1] for line in out.splitlines()] == ["2", "5"]
    assert "2 of 5 records invalid" in err
    code, out, _ = run(capsys, "validate", str(bad), "--json")
    data = json.loads(out)
    assert code == 1 and not data["ok"] and [i["line"] for i in data["issues"]] == [2, 5]


def test_import_gdelt_with_a_progress_bar(
    capsys: pytest.CaptureFixture[str], samples_dir: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "gdelt.jsonl"
    src = samples_dir / "gdelt1_events_sample.tsv"
    code, out, err = run(
        capsys, "import", "--format", "gdelt", str(src), "-o", str(out_file), "--progress"
    )
    assert code == 0 and out == ""
    assert "100%" in err and "records" in err
    n = len(out_file.read_text(encoding="utf-8").splitlines())
    assert n > 0 and f"wrote {n} events" in err
    code, _, err = run(capsys, "import", "--format", "gdelt", str(src), "-o", str(out_file))
    assert code == 0 and "%" not in err  # no bar when stderr is not a terminal


def test_import_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("1\t20240619\tshort row\n", encoding="utf-8")
    code, _, err = run(
        capsys, "import", "--format", "gdelt", str(bad), "-o", str(tmp_path / "o.jsonl")
    )
    assert code == 1 and f"{bad}:1:" in one_error_line(err)
    code, _, err = run(
        capsys,
        "import",
        "--format",
        "gdelt",
        str(bad),
        "-o",
        str(tmp_path / "o.jsonl"),
        "--errors",
        "skip",
    )
    assert code == 0 and "skipped" in err and "0 of 1 records loaded" in err


def test_progress_bar_draws_percent() -> None:
    import io

    buf = io.StringIO()
    pos = iter([50, 100])
    bar = ProgressBar(buf, total_bytes=100, position=lambda: next(pos), width=10)
    bar(10)
    bar(20)
    bar.finish(20)
    text = buf.getvalue()
    assert "[#####.....]  50%" in text and "[##########] 100%" in text
    assert text.endswith("\n")


@pytest.mark.parametrize("fmt", ["timelinejs", "mermaid", "csv", "markdown", "jsonl"])
def test_export(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    if fmt not in ("csv", "jsonl") and not hasattr(rio, f"to_{fmt}"):
        pytest.skip(f"relations.io.to_{fmt} is not available")
    code, out, _ = run(
        capsys, "export", DATASET, "--format", fmt, "--between", "2024-06", "2024-06"
    )
    assert code == 0 and out.strip()
    if fmt == "timelinejs":
        assert json.loads(out)["events"]
    if fmt == "jsonl":
        assert all(json.loads(line)["schema"] == 1 for line in out.splitlines())
    target = tmp_path / f"out.{fmt}"
    code, out2, err = run(
        capsys,
        "export",
        DATASET,
        "--format",
        fmt,
        "--between",
        "2024-06",
        "2024-06",
        "-o",
        str(target),
    )
    assert code == 0 and out2 == "" and str(target) in err
    assert target.read_text(encoding="utf-8") == out


# ---- store -------------------------------------------------------------------------------


def test_store_append_read_timeline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, events_file: Path
) -> None:
    db = str(tmp_path / "events.db")
    code, out, _ = run(capsys, "store", "append", db, str(events_file), "--stream", "rus-prk")
    assert code == 0 and "appended 3 events to stream 'rus-prk'" in out
    code, out, _ = run(
        capsys, "store", "append", db, str(events_file), "--stream", "rus-prk", "--json"
    )
    assert code == 0 and json.loads(out) == {
        "stream": "rus-prk",
        "appended": 0,
        "already_present": 3,
        "version": 3,
    }
    code, out, _ = run(capsys, "store", "read", db)
    assert code == 0 and len(out.splitlines()) == 3 and "rus-prk@1" in out
    code, out, _ = run(capsys, "store", "read", db, "--stream", "rus-prk", "--json", "--limit", "2")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["position"] for r in rows] == [1, 2] and rows[0]["event"]["schema"] == 1
    code, out, _ = run(capsys, "store", "timeline", db, "--width", "80")
    assert code == 0 and len(out.splitlines()) == 3
    code, out, _ = run(capsys, "store", "timeline", db, "--known-at", "2000-01-01T00:00:00Z")
    assert code == 0 and out.strip() == "(no events)"
    code, out, _ = run(capsys, "store", "timeline", db, "--json", "--kind", "military")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == ["k"]


# ---- small commands and the real entry point ---------------------------------------------


def test_datasets_and_completion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "datasets")
    assert code == 0 and out.startswith(DATASET)
    code, out, _ = run(capsys, "completion")
    assert code == 0 and "complete -F _relations relations" in out
    assert '"store") opts="--help append check correct read retract timeline"' in out
    assert build_parser().prog == "relations"


def _python_m(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("RELATIONS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "relations", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_python_dash_m(tmp_path: Path) -> None:
    ok = _python_m("show", DATASET, "--kind", "un.veto", "--width", "100", cwd=tmp_path)
    assert ok.returncode == 0 and ok.stderr == ""
    assert len(ok.stdout.splitlines()) == len(timeline.load(DATASET).of_kind("un.veto"))
    bad = _python_m("show", "atlantis", cwd=tmp_path)
    assert bad.returncode == 1 and bad.stdout == ""
    assert one_error_line(bad.stderr).startswith("relations: error: no such file or bundled")
    usage = _python_m("chart", DATASET, cwd=tmp_path)
    assert usage.returncode == 2 and "-o/--output" in usage.stderr
    chart = _python_m("chart", DATASET, "-o", "rnk.html", cwd=tmp_path)
    assert chart.returncode == 0 and (tmp_path / "rnk.html").is_file()
