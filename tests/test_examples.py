"""The example scripts in examples/ run as they are and print what they promise.

Each script is run in a subprocess with this interpreter, from an empty temporary directory (so
it relies on nothing but the installed library and its bundled dataset), and its key output
lines are checked against the bundled Russia–North Korea dataset.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SCRIPTS = ("tour", "trade_growth", "flows", "who_says_so", "treaty_2024")


@cache
def output_of(name: str, cwd: Path) -> str:
    """Run ``examples/<name>.py`` from ``cwd``; return its standard output (it must succeed)."""
    env = dict(os.environ)
    # Works from a source tree too; the installed package is found first if present.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p
    )
    env["PYTHONIOENCODING"] = "utf-8"  # the scripts print "→" and "–"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{name}.py")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{name}.py failed:\n{done.stderr}"
    assert done.stderr == "", f"{name}.py wrote to stderr:\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    cwd = tmp_path_factory.mktemp("examples")

    def _run(name: str) -> str:
        out = output_of(name, cwd)
        assert not list(cwd.iterdir()), f"{name}.py left files in the working directory"
        return out

    return _run


def line_matching(out: str, pattern: str) -> str:
    """The one line of ``out`` matching the regular expression ``pattern`` (whole line)."""
    found = [line for line in out.splitlines() if re.fullmatch(pattern, line)]
    assert len(found) == 1, f"expected one line matching {pattern!r}, found {found!r}"
    return found[0]


def section(out: str, start: str, end: str | None = None) -> str:
    """The text of ``out`` from the line starting with ``start`` to the one starting with
    ``end`` (or the end)."""
    lines = out.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith(start))
    j = len(lines)
    if end is not None:
        j = next(k for k, line in enumerate(lines) if k > i and line.startswith(end))
    return "\n".join(lines[i:j])


# ---- every script ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_uses_only_the_public_api(name: str) -> None:
    tree = ast.parse((EXAMPLES / f"{name}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("relations"):
            assert not any(part.startswith("_") for part in node.module.split(".")), node.module
            assert not any(a.name.startswith("_") for a in node.names), ast.unparse(node)
        if isinstance(node, ast.Import):
            assert not any("._" in a.name for a in node.names), ast.unparse(node)
        if isinstance(node, ast.Attribute):
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            assert not private, f"{name}.py uses a private name: {ast.unparse(node)}"


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_has_a_docstring_saying_how_to_run_it(name: str) -> None:
    doc = ast.get_docstring(ast.parse((EXAMPLES / f"{name}.py").read_text(encoding="utf-8")))
    assert doc is not None
    assert f"python examples/{name}.py" in doc


# ---- tour -----------------------------------------------------------------------------------


def test_tour(run) -> None:
    out = run("tour")
    line_matching(out, r"events:\s+115")
    line_matching(out, r"span:\s+1945-08-01/\.\.")
    line_matching(out, r"first event:\s+1945-08/1948-12\s+Soviet occupation of northern Korea")
    # counts by kind root and by status (the dataset card: 53/32/14/11/5)
    kinds = section(out, "Events by kind", "Events by status")
    for kind, n in [("agreement", 24), ("diplomacy", 25), ("military", 11), ("trade", 6)]:
        line_matching(kinds, rf"{kind}\s+{n}")
    statuses = section(out, "Events by status", "The events of 2024")
    for status, n in [
        ("confirmed", 53),
        ("reported", 32),
        ("claimed", 14),
        ("estimated", 11),
        ("disputed", 5),
    ]:
        line_matching(statuses, rf"{status}\s+{n}")
    # the events of 2024: certainly within the year, and possibly in it
    assert "The events of 2024 (24 within the year, 37 overlapping it)" in out
    year = section(out, "The events of 2024", "A disagreement")
    line_matching(
        year, r"2024-06-19\s+RUS · PRK\s+Comprehensive Strategic Partnership Treaty signed"
    )
    line_matching(year, r"2024-12-04\s+RUS · PRK\s+Comprehensive Strategic Partnership Treaty .*")
    # the disputed signing date is shown, and marked as disputed
    line_matching(year, r"2024-06-18\s+RUS · PRK\s+.*\(18 June per one mirror\) \[disputed\]")
    assert "1950" not in year and "2025-" not in year
    # the disagreement, side by side: each line holds the article's account and the other
    side = section(out, "A disagreement, side by side")
    line_matching(side, r"the article\s+better sourced")
    line_matching(side, r"status: disputed\s+status: confirmed")
    line_matching(side, r"cost_usd: 111 000 000 USD\s+bridge_length_m: 850 m")
    assert "rail bridge" in side
    assert "road bridge" in side


# ---- trade_growth ---------------------------------------------------------------------------


def test_trade_growth(run) -> None:
    out = run("trade_growth")
    # the article's figures: $3.8 million (2022) -> $52.9 million (2025), about 13.9 times
    assert f"{52.9 / 3.8:.1f}" == "13.9"
    line_matching(out, r"2022: \$3\.8 million\s+->\s+2025: \$52\.9 million")
    line_matching(out, r"growth factor 2022 -> 2025: 13\.9x\s+\(141% a year, compounded\)")
    # every figure with its status and sources
    line_matching(out, r"2022\s+\$3\.8 million\s+estimated\s+GEOPOLITIKS; TASS .*")
    line_matching(out, r"2023\s+\$34\.4 million\s+confirmed\s+.*")
    line_matching(out, r"2024\s+\$34\.0 million\s+estimated\s+.*")
    line_matching(out, r"2025\s+\$52\.9 million\s+claimed\s+GEOPOLITIKS")
    # the better-sourced figures: no 2025 value; 2023 and 2024 flat
    sourced = section(out, "By the better-sourced figures", "The 2025 figure")
    line_matching(sourced, r"2023\s+34 400 000 USD")
    line_matching(sourced, r"2024\s+about 34 000 000 USD")
    assert "52 900 000" not in sourced
    line_matching(sourced, r"years with a sourced figure: 2019, 2020, 2022, 2023, 2024")
    line_matching(sourced, r"2022 -> 2023: 9\.1x .*")
    line_matching(sourced, r"2023 -> 2024: -1%")
    # the 2025 figure rests on one source
    claim = section(out, "The 2025 figure")
    line_matching(claim, r"sources: GEOPOLITIKS \(one source\)")
    assert "[status: claimed]" in claim
    assert "+56% on the 2024 estimate" in claim
    assert "rnk-2024-trade-volume, rnk-2023-trade-volume" in claim


# ---- flows ----------------------------------------------------------------------------------


def test_flows(run) -> None:
    out = run("flows")
    to_prk = section(out, "RUS → PRK:", "PRK → RUS:")
    to_rus = section(out, "PRK → RUS:", "North Korean soldiers sent to Russia")
    assert to_prk.startswith("RUS → PRK: 10 flows")
    assert to_rus.startswith("PRK → RUS: 7 flows")
    # Russia -> North Korea: air defence, technology, oil, debt relief, students
    for kind, n in [
        ("arms.transfer", 1),
        ("technology.transfer", 5),
        ("economic.debt_relief", 2),
        ("sanction.violation", 1),
        ("exchange.education", 1),
    ]:
        line_matching(to_prk, rf"{re.escape(kind)} \({n}\)")
    assert "Pantsir" in to_prk
    line_matching(to_prk, r"\s+oil_barrels: at least 1 000 000 barrels")
    line_matching(to_prk, r"\s+debt_total_usd: 10 960 000 000 USD")
    # North Korea -> Russia: shells, troops, workers
    for kind, n in [("arms.transfer", 1), ("military.deployment", 2), ("labour.workers", 3)]:
        line_matching(to_rus, rf"{re.escape(kind)} \({n}\)")
    assert "artillery shells" in to_rus
    assert "Pantsir" not in to_rus
    line_matching(to_rus, r"\s+soldiers: at least 11 000 people")
    line_matching(to_rus, r"\s+workers: about 6 000 people")
    # troops added up with their bounds, beside South Korea's estimate
    line_matching(out, r"\s+total\s+at least about 14 000 people")
    line_matching(out, r"\s+South Korea's estimate \(2025-04-27\): 14 000–15 000 people")
    # the amounts from the assessments, with who made them
    line_matching(out, r"\s+2025-05-29 \(KOR, USA, JPN\): Multilateral Sanctions .*")
    line_matching(out, r"\s+artillery_shells: about 9 000 000 rounds")


# ---- who_says_so ----------------------------------------------------------------------------


def test_who_says_so(run) -> None:
    out = run("who_says_so")
    # the article's 42 events against the others, status by status
    for status, article, others, total in [
        ("confirmed", 17, 36, 53),
        ("reported", 11, 21, 32),
        ("claimed", 8, 6, 14),
        ("estimated", 3, 8, 11),
        ("disputed", 3, 2, 5),
        ("total", 42, 73, 115),
    ]:
        line_matching(out, rf"{status}\s+{article}\s+{others}\s+{total}")
    only = section(out, "Stated only by the article", "The most cited publishers")
    assert only.startswith("Stated only by the article (5):")
    assert "$52.9 million in 2025" in only
    assert "satellite imagery" in only
    # by publisher: the article is the most cited
    publishers = section(out, "The most cited publishers", "By claimant")
    top = publishers.splitlines()[2]
    assert re.fullmatch(r"GEOPOLITIKS\s+42 events\s+\(.*8 claimed.*17 confirmed.*\)", top), top
    # by claimant: Ukraine's five statements are all claims; South Korea's mostly estimates
    claimants = section(out, "By claimant", "Disputed events")
    line_matching(claimants, r"UKR: 5 events \(5 claimed\)")
    line_matching(claimants, r"KOR: 6 events \(1 claimed, 5 estimated\)")
    line_matching(claimants, r"RUS: 1 event \(1 claimed\)")
    # the disputed events, each followed by what it is linked to
    disputed = section(out, "Disputed events")
    assert disputed.startswith("Disputed events (5) and what they are linked to")
    lines = disputed.splitlines()
    first = next(i for i, line in enumerate(lines) if "first foreign deployment" in line)
    assert "[confirmed] DPRK air force pilots fight for North Vietnam" in lines[first + 3]
    bridge = next(i for i, line in enumerate(lines) if "$111 million rail bridge" in line)
    assert "[confirmed] Construction of a road bridge" in lines[bridge + 2]
    assert "-> 2008-08-07/2008-08-12" in disputed


def test_who_says_so_is_deterministic(run, tmp_path: Path) -> None:
    # ties between publishers are broken by name, not by set order (hash randomisation)
    first = run("who_says_so")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p
    )
    again = subprocess.run(
        [sys.executable, str(EXAMPLES / "who_says_so.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=True,
    )
    assert again.stdout == first


# ---- treaty_2024 ----------------------------------------------------------------------------


def test_treaty_2024(run) -> None:
    out = run("treaty_2024")
    lifecycle = section(out, "The treaty's lifecycle", "Russia–North Korea,")
    line_matching(lifecycle, r"2024-06-19\s+signed\s+day\s+\+0\s+.* \[confirmed\]")
    line_matching(lifecycle, r"2024-06-18\s+signed\s+day\s+-1\s+.* \[disputed\]")
    line_matching(lifecycle, r"2024-10-14\s+submitted\s+day \+117\s+.*")
    for day in ("2024-10-24", "2024-11-06", "2024-11-09", "2024-11-11"):
        line_matching(lifecycle, rf"{day}\s+ratified\s+day \+\d+\s+.* \[confirmed\]")
    line_matching(
        lifecycle, r"2024-12-04\s+in force\s+day \+168\s+.*enters into force \[confirmed\]"
    )
    line_matching(lifecycle, r"signed 2024-06-19, in force 2024-12-04: 168 days apart")
    assert "mutual-defence clause" in lifecycle
    # six months either side of the treaty, with the Kursk deployment in it
    window = section(out, "Russia–North Korea,", "The Kursk deployment")
    assert window.startswith("Russia–North Korea, 2023-12-19 to 2025-06-04 (41 events)")
    line_matching(window, r"2024-10/\.\.\s+PRK → RUS\s+DPRK deploys troops .* Kursk region")
    line_matching(window, r"2024-12-04\s+RUS · PRK\s+2000 Treaty of Friendship ends.*")
    assert "2023-09-13" not in window  # the Vostochny summit is before the window
    assert "2025-06-17" not in window  # the deminers' announcement is after it
    kursk = section(out, "The Kursk deployment", "As of")
    assert "2024-10/.. (confirmed), soldiers at least 11 000 people" in kursk
    assert "began 104 to 134 days after the signing" in kursk
    line_matching(kursk, r"2025-04-28\s+PRK · RUS\s+DPRK acknowledges its troops fought for Russia")
    # the state of the relationship, date by date
    as_of = section(out, "As of")
    line_matching(as_of, r"2024-06-01\s+not signed\s+none")
    line_matching(as_of, r"2024-07-01\s+signed\s+none")
    line_matching(as_of, r"2024-10-20\s+submitted\s+at least 11 000 people")
    line_matching(as_of, r"2024-11-15\s+ratified\s+at least 11 000 people")
    line_matching(as_of, r"2024-12-31\s+in force\s+at least 11 000 people")
