"""Charts an analyst puts in a report (issue #18): an axis that never lies, titles that name the
selection, colours that follow the lane's value, dense charts of coded event data, honest series
charts, and PNG/PDF output.

The ICEWS and GDELT samples are read from the shared sample directory (see conftest.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from relations import timeline
from relations.cli import main
from relations.events import Event
from relations.io.gdelt import import_gdelt
from relations.io.icews import import_icews
from relations.quantities import Quantity
from relations.render import convert as chart_convert
from relations.render import series_to_svg, to_svg
from relations.render._scale import build_scale
from relations.render.palette import KIND_COLORS, PALETTE, STATUS_COLORS, color_for
from relations.series import Series
from relations.timeline import Timeline
from relations.when import ordinal

NS = "{http://www.w3.org/2000/svg}"
DATASET = "russia-north-korea"
YEAR = re.compile(r"^-?\d{1,4}( BCE)?$")


@pytest.fixture(scope="module")
def icews(samples_dir: Path) -> Timeline:
    return import_icews(samples_dir / "icews_events.2018.sample.tab")


@pytest.fixture(scope="module")
def gdelt(samples_dir: Path) -> Timeline:
    return import_gdelt(samples_dir / "gdelt1_events_sample.tsv")


def axis(svg: str) -> list[tuple[float, str, str | None]]:
    """The top axis: (x, label, year context) per tick, left to right."""
    root = ET.fromstring(svg)
    labels: dict[float, str] = {}
    contexts: dict[float, str] = {}
    for t in root.iter(f"{NS}text"):
        x = float(t.get("x") or 0)
        if t.get("class") == "rl-tick":
            labels.setdefault(x, t.text or "")
        elif t.get("class") == "rl-tick-context":
            contexts.setdefault(x, t.text or "")
    return [(x, labels[x], contexts.get(x)) for x in sorted(labels)]


def cuts(svg: str) -> list[float]:
    root = ET.fromstring(svg)
    out = []
    for g in root.iter(f"{NS}g"):
        if g.get("class") == "rl-break":
            out.append(float(next(g.iter(f"{NS}rect")).get("x") or 0))
    return sorted(out)


def names_a_year(tick: tuple[float, str, str | None]) -> bool:
    _, label, context = tick
    return bool(YEAR.match(label)) or (context is not None and bool(YEAR.match(context)))


def assert_years_named(svg: str) -> None:
    ticks = axis(svg)
    assert ticks and names_a_year(ticks[0]), ticks[:3]
    for c in cuts(svg):
        before = [t for t in ticks if t[0] < c]
        after = [t for t in ticks if t[0] > c]
        assert before and names_a_year(before[-1]), (c, before[-2:])
        assert after and names_a_year(after[0]), (c, after[:2])
    # every change of year is named
    years_seen = [t for t in ticks if names_a_year(t)]
    assert years_seen


def title_and_subtitle(svg: str) -> tuple[str, str]:
    root = ET.fromstring(svg)
    texts = {t.get("class"): t.text or "" for t in root.iter(f"{NS}text")}
    return texts["rl-title"], texts["rl-sub"]


def lane_colors(svg: str) -> dict[str, str]:
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter(f"{NS}g"):
        if g.get("class", "").startswith("rl-lane"):
            out[g.get("data-lane") or ""] = next(g.iter(f"{NS}rect")).get("fill") or ""
    return out


def height(svg: str) -> float:
    return float(ET.fromstring(svg).get("height") or 0)


# ---- the axis never lies ---------------------------------------------------------------------


def test_a_compact_axis_has_one_scale_and_marks_its_cuts() -> None:
    anchors = [
        (ordinal(y, 6, 1), ordinal(y, 6, 1)) for y in (1950, 1951, 1953, 2010, 2012, 2014, 2015)
    ]
    s = build_scale(anchors, 0, 1000, compact=True)
    assert s.breaks
    ppd = {round((g.x1 - g.x0) / (g.d1 - g.d0), 9) for g in s.segments}
    assert len(ppd) == 1  # 2010→2014 is four times as wide as 2014→2015
    a, b, c = (s.x(ordinal(y, 6, 1)) for y in (2010, 2014, 2015))
    assert (b - a) == pytest.approx(4 * (c - b), rel=0.01)


def test_the_bundled_dataset_names_a_year_at_every_cut() -> None:
    svg = timeline.load(DATASET).to_svg(scale="compact")
    assert len(cuts(svg)) >= 1
    assert_years_named(svg)
    assert "axis cut: a stretch without events left out" in svg  # in the legend
    assert "except where it is cut" in svg  # and explained in the notes


def test_a_filtered_chart_names_its_years() -> None:
    svg = timeline.load(DATASET).between("2022", "2025").to_svg()
    assert cuts(svg)  # auto: here the cuts free much of the axis
    assert_years_named(svg)
    first = axis(svg)[0]
    assert first[2] is not None or YEAR.match(first[1])


def test_auto_is_linear_unless_a_cut_saves_much() -> None:
    tl = timeline.of(
        *(Event(f"{y}-06", "trade", ["RUS"], f"t{y}", id=f"t{y}") for y in range(2000, 2025))
    )
    assert cuts(tl.to_svg()) == []
    assert "The time axis is linear" in tl.to_svg()
    assert cuts(timeline.load(DATASET).to_svg(scale="linear")) == []
    assert cuts(timeline.load(DATASET).to_svg()) == []  # the cuts would free under 40%


def test_the_axis_spans_the_data(icews: Timeline) -> None:
    labels = [t[1] for t in axis(to_svg(icews))]
    assert labels == ["1 Jun", "2 Jun"], labels  # two days, not May to July
    assert_years_named(to_svg(icews))


def test_gdelt_names_every_year(gdelt: Timeline) -> None:
    svg = to_svg(gdelt)
    assert_years_named(svg)
    named = {t[2] for t in axis(svg)} | {t[1] for t in axis(svg)}
    assert "1982" in named  # "Nov 1981 … Feb" never named 1982


# ---- titles describe what is drawn -----------------------------------------------------------


def test_cli_title_and_subtitle_name_the_selection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "c.svg"
    assert main(["chart", DATASET, "-o", str(out), "--between", "2022", "2025"]) == 0
    title, sub = title_and_subtitle(out.read_text(encoding="utf-8"))
    assert title == "Russia – North Korea relations" and "1945" not in title
    assert "selected: 2022 to 2025" in sub
    n = len(timeline.load(DATASET).between("2022", "2025"))
    assert sub.startswith(f"{n} events · ") and "2025" in sub and "1945" not in sub
    assert main(["chart", DATASET, "-o", str(out), "--kind", "military", "--title", "Mine"]) == 0
    title, sub = title_and_subtitle(out.read_text(encoding="utf-8"))
    assert title == "Mine" and "kind military" in sub


def test_imported_data_is_titled_by_its_dataset(icews: Timeline, gdelt: Timeline) -> None:
    assert title_and_subtitle(to_svg(icews))[0] == "ICEWS events"
    assert title_and_subtitle(to_svg(gdelt))[0] == "GDELT events"
    assert title_and_subtitle(to_svg(icews, title="Mine"))[0] == "Mine"


# ---- stable colours --------------------------------------------------------------------------


def test_a_kind_has_the_same_colour_in_different_charts() -> None:
    tl = timeline.load(DATASET)
    full = lane_colors(tl.to_svg())
    some = lane_colors(tl.of_kind("military", "trade").to_svg())
    assert full["military"] == some["military"] == KIND_COLORS["military"]
    assert full["trade"] == some["trade"]
    by_status = lane_colors(tl.to_svg(lanes="status"))
    assert by_status["claimed"] == STATUS_COLORS["claimed"]
    actors = lane_colors(tl.involving("PRK").to_svg(lanes="actor"))
    assert actors["PRK"] == color_for("PRK") and color_for("PRK") in PALETTE


def test_colours_can_be_overridden_but_only_with_colours() -> None:
    tl = timeline.load(DATASET).of_kind("trade")
    assert lane_colors(tl.to_svg(colors={"trade": "#112233"}))["trade"] == "#112233"
    with pytest.raises(ValueError, match="rrggbb"):
        tl.to_svg(colors={"trade": "red;stroke:url(x)"})


# ---- dense charts ----------------------------------------------------------------------------


def test_dense_chart_of_icews_is_page_sized(icews: Timeline) -> None:
    assert len(icews) == 3705
    svg = icews.to_svg()
    assert height(svg) < 2000
    root = ET.fromstring(svg)
    bins = [g for g in root.iter(f"{NS}g") if g.get("class") == "rl-bin"]
    marks = [g for g in root.iter(f"{NS}g") if g.get("class", "").startswith("rl-event")]
    assert bins and 0 < len(marks) <= 8 * 8  # the most important events, labelled
    labels = [t.text or "" for t in root.iter(f"{NS}text") if t.get("class") == "rl-label"]
    assert any(len(t) > 30 for t in labels)  # titles are not cut to 30 characters
    assert "events per day" in title_and_subtitle(svg)[1]


def test_dense_counts_add_up_and_imprecise_dates_are_spread() -> None:
    evs = [Event("2024-06-19", "trade", ["RUS"], f"d{i}", id=f"d{i}") for i in range(5)]
    evs.append(Event("2024", "trade", ["RUS"], "a year", id="y"))
    svg = to_svg(evs, dense=True, scale="linear", width=3000)  # wide enough for days
    root = ET.fromstring(svg)
    tips = [
        next(g.iter(f"{NS}title")).text or ""
        for g in root.iter(f"{NS}g")
        if g.get("class") == "rl-bin"
    ]
    assert any(t.startswith("2024-06-19: 5 events dated within the day") for t in tips)
    spread = [float(m.group(1)) for t in tips if (m := re.search(r"and ([\d.e-]+) spread", t))]
    assert len(spread) == 366  # the year-dated event, spread over its possible days
    assert sum(spread) == pytest.approx(1.0, abs=0.01)


def test_a_hundred_thousand_events_make_a_page_sized_chart() -> None:
    """Dense mode keeps 100 000 events to a page; its speed is measured in benchmarks, not here."""
    kinds = ("diplomacy.visit", "war", "trade", "agreement.treaty.signed", "sanction")
    evs = [
        Event(
            f"{2000 + i % 20}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            kinds[i % 5],
            ["RUS", "PRK"],
            f"event {i}",
            id=f"e{i}",
        )
        for i in range(100_000)
    ]
    svg = to_svg(evs)
    assert height(svg) < 1500 and len(svg) < 2_000_000


# ---- series charts ---------------------------------------------------------------------------


def test_series_show_empty_periods_and_speak_english() -> None:
    counts = timeline.load(DATASET).count(by="year")
    svg = series_to_svg(counts)
    keys = [
        g.get("data-key") for g in ET.fromstring(svg).iter(f"{NS}g") if g.get("class") == "rl-bar"
    ]
    assert "2021" in keys and "2021" not in [str(k) for k in counts]  # filled, as zero
    assert keys == [str(y) for y in range(int(keys[0]), int(keys[-1]) + 1)]
    assert "events with dates too imprecise to place by year are not counted" in svg
    assert ".unplaced" not in svg and "years with no events are shown as zero" in svg
    unfilled = series_to_svg(counts, fill=False)
    assert unfilled.count('class="rl-bar"') == len(counts)


def test_series_bounds_labels_and_status() -> None:
    s = Series(
        {
            "2023": Quantity.at_least(11000, "people"),
            "2024": Quantity.range(14000, 15000, "people"),
            "2025": Quantity(12000, "people"),
        },
        name="soldiers",
        key_names=("year",),
    )
    root = ET.fromstring(series_to_svg(s, statuses={"2025": "claimed"}))
    bars = {g.get("data-key"): g for g in root.iter(f"{NS}g") if g.get("class") == "rl-bar"}
    assert {k: g.get("data-status") for k, g in bars.items()} == {
        "2023": "estimated",
        "2024": "estimated",
        "2025": "claimed",
    }
    for g in bars.values():
        rect = next(g.iter(f"{NS}rect"))
        assert rect.get("stroke-dasharray")  # hollow and dashed, not drawn as confirmed
        label = next(t for t in g.iter(f"{NS}text") if "people" in (t.text or ""))
        whisker = next(g.iter(f"{NS}path"), None)
        if whisker is not None:  # the label sits above the whisker, never on it
            ys = [
                float(v) for v in re.findall(r"[MVHL]\s*[\d.]+\s+([\d.]+)", whisker.get("d") or "")
            ]
            ys += [float(v) for v in re.findall(r"V([\d.]+)", whisker.get("d") or "")]
            assert float(label.get("y") or 0) < min(ys), (label.get("y"), ys)
    assert "estimate, claim or disputed" in ET.tostring(root, encoding="unicode")
    plain = series_to_svg(Series({"2024": 3, "2025": 4}, name="count", key_names=("year",)))
    assert "stroke-dasharray" not in plain and "estimate, claim" not in plain


# ---- PNG and PDF -----------------------------------------------------------------------------

needs_converter = pytest.mark.skipif(
    not chart_convert.available(),
    reason='PNG/PDF output needs the optional extra: pip install "relations[png]" (vl-convert)',
)


@needs_converter
def test_cli_writes_png_and_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png, pdf = tmp_path / "chart.png", tmp_path / "chart.pdf"
    assert main(["chart", DATASET, "-o", str(png), "--between", "2022", "2025"]) == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert width == 2400  # twice the SVG's 1200 px, sharp in print
    assert main(["chart", DATASET, "-o", str(pdf)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert [p.name for p in tmp_path.iterdir()] == sorted(["chart.png", "chart.pdf"]) or len(
        list(tmp_path.iterdir())
    ) == 2  # no temporary files left behind


def test_without_the_converter_png_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chart_convert, "available", lambda: False)
    assert main(["chart", DATASET, "-o", str(tmp_path / "c.png")]) == 1
    assert 'pip install "relations[png]"' in capsys.readouterr().err
