"""relations.testing: a light extra of its own, a friendly error without hypothesis, knobs."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import find, given, settings

from relations.testing import edtf_points, events, timelines

ROOT = Path(__file__).resolve().parents[1]


def test_without_hypothesis_the_import_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import relations.testing\n"
        "except ImportError as e:\n    print(type(e).__name__, e)\n"
    )
    env_path = str(ROOT / "src")
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout
    assert out.startswith("ImportError ") and 'pip install "relations[strategies]"' in out


def test_the_strategies_extra_is_light() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert [d.split(">")[0] for d in extras["strategies"]] == ["hypothesis"]


@settings(max_examples=60, deadline=None)
@given(
    timelines(
        max_size=5,
        min_year=2020,
        max_year=2021,
        actors=["RUS", "PRK"],
        kinds=["trade", "military.deployment"],
        precisions=["day"],
        qualifiers=False,
        intervals=False,
    )
)
def test_timeline_knobs_are_honoured(tl) -> None:  # type: ignore[no-untyped-def]
    for e in tl:
        assert set(e.actors) <= {"RUS", "PRK"} and set(e.claimed_by) <= {"RUS", "PRK"}
        assert e.kind in ("trade", "military.deployment")
        assert e.when.precision.name == "DAY" and str(e.when)[:4] in ("2020", "2021")
        assert str(e.when)[-1].isdigit()


@settings(max_examples=40, deadline=None)
@given(events(precisions=["year", "month"], min_year=1990, max_year=1990))
def test_event_precision_mix(e) -> None:  # type: ignore[no-untyped-def]
    assert str(e.when)[:4] == "1990" or "/" in str(e.when)
    assert e.when.precision.name in ("YEAR", "MONTH") or "/" in str(e.when)


@pytest.mark.parametrize(
    "kwargs", [{"min_year": 2001, "max_year": 2000}, {"precisions": ["week"]}, {"precisions": []}]
)
def test_bad_knobs_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"min_year|precisions"):
        find(edtf_points(**kwargs), lambda s: True)  # type: ignore[arg-type]


def test_timelines_is_typed() -> None:
    import typing

    import relations.testing as t

    hints = typing.get_type_hints(t.timelines.__wrapped__, vars(t) | {"Timeline": object})  # type: ignore[attr-defined]
    assert hints["return"] is not typing.Any


# ---- notebook representations (issue 19) ----------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(events())
def test_event_html_escapes_every_value(e) -> None:  # type: ignore[no-untyped-def]
    import html

    page = e._repr_html_()
    assert page.startswith('<table class="relations-event">') and page.endswith("</table>")
    assert html.escape(e.title) in page
    for s in e.sources:
        assert html.escape(s.publisher) in page
    assert "<script" not in page.replace(html.escape("<script"), "")


def test_when_html() -> None:
    from relations import When

    assert "1985-01-01 … ?" in When.parse("1985/..")._repr_html_()
    assert "<code>2024-10~</code>" in When.parse("2024-10~")._repr_html_()
