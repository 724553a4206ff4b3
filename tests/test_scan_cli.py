"""``relations show/stats/chart`` on Parquet run lazily and print what they print for the
same events read from JSON Lines."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ibis")
pytest.importorskip("pyarrow")
pytest.importorskip("pandas")

from relations import timeline
from relations.cli import main
from relations.io import to_parquet


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    d = tmp_path_factory.mktemp("cli")
    tl = timeline.load("russia-north-korea")
    tl.write_jsonl(d / "events.jsonl")
    to_parquet(tl, d / "events.parquet")
    to_parquet(tl, d / "parts", partition_by="year")
    return str(d / "events.jsonl"), str(d / "events.parquet"), str(d / "parts" / "*" / "*.parquet")


@pytest.mark.parametrize(
    "args",
    [
        ["show", "--limit", "6", "--actor", "PRK", "--between", "2020", "2025"],
        ["show", "--json", "--kind", "military"],
        ["stats", "--by", "dyad,year", "--policy", "spread"],
        ["stats", "--by", "kind:1", "--json", "--unplaced"],
        ["stats", "--sum", "soldiers", "--by", "year", "--unplaced"],
    ],
)
def test_parquet_answers_like_jsonl(
    files: tuple[str, str, str], args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for source in files:
        assert main([args[0], source, *args[1:], "--width", "100"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]


def test_chart_and_errors(
    files: tuple[str, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    charts = []
    for n, source in enumerate(files[:2]):
        out = tmp_path / f"chart{n}.svg"
        assert main(["chart", source, "-o", str(out), "--kind", "military"]) == 0
        charts.append(out.read_text(encoding="utf-8"))
    assert charts[0] == charts[1]
    assert main(["stats", files[1], "--sum", "soldier"]) == 1
    assert "did you mean 'soldiers'" in capsys.readouterr().err
    assert main(["show", files[1], "--kind", "militray"]) == 1
    assert "did you mean 'military'" in capsys.readouterr().err
