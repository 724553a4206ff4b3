"""SVG and HTML charts: valid XML, one mark per event, honest imprecision, no collisions,
escaped text, adaptive ticks; series charts."""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import events

from relations import Event, Quantity, Source, timeline
from relations.errors import InvalidArgument
from relations.render import html_fragment, series_to_svg, to_html, to_svg
from relations.render._common import text_width
from relations.render.html import safe_url
from relations.series import Series

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script> & "quotes"'


def marks(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{NS}g") if "rl-event" in (g.get("class") or "").split()]


def ev(when: str, title: str = "x", kind: str = "trade", **kw: object) -> Event:
    return Event(when, kind, ["RUS", "PRK"], title, **kw)  # type: ignore[arg-type]


# ---- structure ---------------------------------------------------------------------------


def test_one_mark_per_event_with_stable_ids() -> None:
    tl = timeline.load("russia-north-korea")
    svg = tl.to_svg()
    found = marks(svg)
    assert len(found) == len(tl)
    assert sorted(g.get("data-event-id") or "" for g in found) == sorted(e.id for e in tl)
    assert svg == tl.to_svg()  # deterministic


@given(st.lists(events(), max_size=6, unique_by=lambda e: e.id))
def test_any_events_make_valid_svg_and_html(evs: list[Event]) -> None:
    svg = to_svg(evs)
    found = marks(svg)
    assert len(found) == len(evs)
    assert sorted(g.get("data-event-id") or "" for g in found) == sorted(e.id for e in evs)
    page = to_html(evs)
    assert page.count("<script") == 1
    assert page.count('class="rl-event') == len(evs)


@pytest.mark.parametrize("lanes", ["kind", "actor", "dyad", "status", None, lambda e: e.title])
def test_lanes(lanes: object) -> None:
    evs = [
        ev("2024-06-19", "A", kind="agreement.treaty.signed"),
        Event("2024-10", "military.deployment", ["PRK", "RUS"], "B", directed=True),
        ev("2025", "C", kind="trade.volume", status="claimed"),
    ]
    svg = to_svg(evs, lanes=lanes)  # type: ignore[arg-type]
    root = ET.fromstring(svg)
    lane_groups = [g for g in root.iter(f"{NS}g") if g.get("class") == "rl-lane"]
    expected = {"kind": 3, "actor": 2, "dyad": 2, "status": 2, None: 1}.get(lanes, 3)  # type: ignore[call-overload]
    assert len(lane_groups) == expected
    assert len(marks(svg)) == 3


def test_bad_options_raise_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="lanes="):
        to_svg([ev("2024")], lanes="colour")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="scale="):
        to_svg([ev("2024")], scale="log")
    with pytest.raises(InvalidArgument, match="kind="):
        series_to_svg({"a": 1}, kind="pie")  # type: ignore[arg-type]


def test_empty_timeline_draws_an_empty_chart() -> None:
    svg = to_svg([])
    assert marks(svg) == [] and "no events" in svg
    ET.fromstring(svg)


# ---- honest marks ------------------------------------------------------------------------


def _shapes(g: ET.Element) -> tuple[list[ET.Element], list[ET.Element], list[ET.Element]]:
    return (
        list(g.iter(f"{NS}circle")),
        list(g.iter(f"{NS}rect")),
        list(g.iter(f"{NS}path")),
    )


def test_an_imprecise_date_is_a_band_from_earliest_to_latest_day_never_a_point() -> None:
    evs = [ev("2024-06-01", "first", id="a"), ev("2024-06", "month", id="m")]
    evs.append(ev("2024-06-30", "last", id="z"))
    evs.append(ev("2024-05-10", "pad", id="p"))
    evs.append(ev("2024-07-20", "pad", id="q"))
    by_id = {g.get("data-event-id"): g for g in marks(to_svg(evs, scale="linear", lanes=None))}
    circles, rects, _ = _shapes(by_id["m"])
    assert circles == [] and len(rects) == 1
    band = rects[0]
    assert float(band.get("fill-opacity") or 1) < 0.5  # faded
    first = next(by_id["a"].iter(f"{NS}circle"))
    last = next(by_id["z"].iter(f"{NS}circle"))
    day = (float(last.get("cx") or 0) - float(first.get("cx") or 0)) / 29
    left = float(band.get("x") or 0)
    right = left + float(band.get("width") or 0)
    assert abs(left - (float(first.get("cx") or 0) - day / 2)) < 1
    assert abs(right - (float(last.get("cx") or 0) + day / 2)) < 1
    for when in ("2024-06-19~", "2024-06-19?", "2024-22", "[2024-06-01,2024-06-30]"):
        circles, rects, _ = _shapes(marks(to_svg([ev(when)]))[0])
        assert circles == [] and rects, when


def test_points_intervals_and_open_ends() -> None:
    point = marks(to_svg([ev("2024-06-19")]))[0]
    assert len(list(point.iter(f"{NS}circle"))) == 1
    war = marks(to_svg([ev("1950-06-25/1953-07-27")]))[0]
    circles, rects, _ = _shapes(war)
    assert circles == [] and len(rects) == 1 and float(rects[0].get("width") or 0) > 100
    fuzzy = marks(to_svg([ev("1961-07-06/1995")]))[0]  # the end is known only to the year
    _, rects, _ = _shapes(fuzzy)
    assert len(rects) == 2  # the certain part, and a faded band for the imprecise end
    ongoing = marks(to_svg([ev("2022-02-24/.."), ev("2024")]))[0]
    _, rects, paths = _shapes(ongoing)
    assert any("url(#" in (r.get("fill") or "") for r in rects)  # fades out
    assert paths  # with an arrow


def test_hedged_events_are_hollow_and_labelled() -> None:
    claim = ev("2024-06-19", "Ships", status="claimed", claimed_by=["UKR"])
    g = marks(to_svg([claim]))[0]
    assert "rl-hedged" in (g.get("class") or "")
    circle = next(g.iter(f"{NS}circle"))
    assert circle.get("fill") == "#ffffff"
    label = next(t for t in g.iter(f"{NS}text") if "rl-label" in (t.get("class") or ""))
    assert label.text == "Ships · claimed by UKR"


def _extents(svg: str) -> dict[tuple[str, float], list[tuple[float, float]]]:
    """Per lane and row: the horizontal extent of each event's marks and label."""
    root = ET.fromstring(svg)
    rows: dict[tuple[str, float], list[tuple[float, float]]] = {}
    for lane in (g for g in root.iter(f"{NS}g") if g.get("class") == "rl-lane"):
        for g in lane:
            if "rl-event" not in (g.get("class") or ""):
                continue
            xs: list[float] = []
            for c in g.iter(f"{NS}circle"):
                xs += [float(c.get("cx") or 0) - 5, float(c.get("cx") or 0) + 5]
            for r in g.iter(f"{NS}rect"):
                xs += [float(r.get("x") or 0), float(r.get("x") or 0) + float(r.get("width") or 0)]
            labels = [t for t in g.iter(f"{NS}text") if "rl-label" in (t.get("class") or "")]
            assert len(labels) == 1
            t = labels[0]
            w = text_width(t.text or "", 12)
            x = float(t.get("x") or 0)
            xs += [x, x + w] if t.get("text-anchor") == "start" else [x - w, x]
            row = (lane.get("data-lane") or "", float(t.get("y") or 0))
            rows.setdefault(row, []).append((min(xs), max(xs)))
    return rows


@pytest.mark.parametrize("width", [700, 1200, 1600])
def test_labels_and_marks_never_collide(width: int) -> None:
    svg = timeline.load("russia-north-korea").to_svg(width=width)
    rows = _extents(svg)
    assert rows
    for spans in rows.values():
        spans.sort()
        for (_, b), (c, _) in itertools.pairwise(spans):
            assert b <= c, spans
    for spans in rows.values():
        assert all(a >= -1 and b <= width + 1 for a, b in spans)


# ---- the time axis -----------------------------------------------------------------------


def _ticks(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{NS}text") if t.get("class") == "rl-tick"]


@pytest.mark.parametrize(
    ("a", "b", "pattern"),
    [
        ("2024-06-10", "2024-06-20", r"^\d{1,2} Jun$"),  # days
        ("2024-01-15", "2024-11-15", r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$"),
        ("1990", "2025", r"^(19|20)\d[02468]$"),  # every few years
        ("1500", "2000", r"^\d{3}0$"),  # decades or more
        ("-2000", "1000", r"^(\d+00 BCE|\d+00)$"),  # centuries, BCE named as such
    ],
)
def test_ticks_adapt_to_the_span(a: str, b: str, pattern: str) -> None:
    labels = _ticks(to_svg([ev(a), ev(b)], scale="linear"))
    assert len(set(labels)) >= 3, labels
    assert all(re.match(pattern, t) for t in labels), labels


def test_empty_stretches_are_cut_and_marked() -> None:
    tl = timeline.load("russia-north-korea")
    svg = tl.to_svg(scale="compact")
    assert svg.count('class="rl-break"') >= 1 and "it is cut (hatched breaks" in svg
    assert "one scale throughout" in svg
    assert 'class="rl-break"' not in tl.to_svg(scale="linear")
    ticks = _ticks(svg)
    assert "1950" in ticks and "2020" in ticks


# ---- escaping ----------------------------------------------------------------------------


def _hostile_event() -> Event:
    return Event(
        "2024-06-19",
        "diplomacy.statement",
        ["RUS", "PRK"],
        HOSTILE,
        summary=HOSTILE,
        location=HOSTILE,
        sources=[Source(HOSTILE, HOSTILE, url="https://example.org/?a=1&b=<2>", quote=HOSTILE)],
        id="hostile",
    )


def test_hostile_text_is_escaped_in_svg() -> None:
    svg = to_svg([_hostile_event()], title=HOSTILE, subtitle=HOSTILE)
    assert "<script" not in svg.lower()
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts.count(HOSTILE) >= 2  # title and subtitle, rendered as text
    g = marks(svg)[0]
    label = next(t for t in g.iter(f"{NS}text") if "rl-label" in (t.get("class") or ""))
    assert label.text == HOSTILE
    assert HOSTILE in (next(g.iter(f"{NS}title")).text or "")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.data: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for k, v in attrs:
            if k == "href":
                self.hrefs.append(v or "")
            if k == "src":
                self.srcs.append(v or "")

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def test_hostile_text_is_escaped_in_html() -> None:
    page = to_html([_hostile_event()], title=HOSTILE)
    parsed = _Tags()
    parsed.feed(page)
    assert parsed.tags.count("script") == 1  # only the page's own script
    assert sum(HOSTILE in d for d in parsed.data) >= 5  # title, tooltip, table ... as text
    assert parsed.hrefs == ["https://example.org/?a=1&b=<2>"] * 2  # tooltip and table
    assert parsed.srcs == []
    fragment = html_fragment([_hostile_event()])
    assert "<script" not in fragment.lower()


def test_links_are_only_http() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    assert safe_url("http://a.example") == "http://a.example"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//a.example", "https://a b", None, 3):
        assert safe_url(bad) is None


def test_html_is_self_contained_and_its_script_is_pinned_by_hash() -> None:
    page = timeline.load("russia-north-korea").to_html(title="Russia – North Korea")
    assert page.startswith("<!DOCTYPE html>")
    head = page.split("<body>")[0]
    assert "<link" not in head and "url(" not in page.split("<main>")[0]
    script = page.split("<script>")[1].split("</script>")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and f"'sha256-{digest}'" in csp.group(1)
    assert "default-src 'none'" in csp.group(1)
    assert page.count('class="rl-event') == len(timeline.load("russia-north-korea"))
    n = len(timeline.load("russia-north-korea"))
    assert page.count('<div id="rl-d-') == n  # one tooltip per event


def test_tooltip_has_title_dates_status_and_sources() -> None:
    e = Event(
        "2024-10~",
        "military.deployment",
        ["PRK", "RUS"],
        "Troops",
        directed=True,
        status="estimated",
        quantities={"soldiers": Quantity.at_least(11000, "people")},
        sources=[Source("DoD News", "Troops in Kursk", url="https://defense.gov/x")],
        id="k",
    )
    page = to_html([e])
    detail = page.split('<div id="rl-d-0">')[1].split('</div><div id="rl-d-')[0]
    for needle in (
        "<h3>Troops</h3>",
        "<code>2024-10~</code> about October 2024",
        "estimated",
        "North Korea → Russia",
        "at least 11 000 people",
        '<a href="https://defense.gov/x" target="_blank" rel="noopener noreferrer">',
    ):
        assert needle in detail


# ---- notebooks and files -----------------------------------------------------------------


def test_jupyter_reprs_and_save_chart(tmp_path: Path) -> None:
    tl = timeline.of(ev("2024-06-19", id="a"), ev("2024-10", id="b"))
    assert (tl._repr_svg_() or "").startswith("<svg")
    assert "<svg" in (tl._repr_html_() or "")
    tl.save_chart(tmp_path / "c.svg", title="T")
    tl.save_chart(tmp_path / "c.html")
    ET.parse(tmp_path / "c.svg")
    assert (tmp_path / "c.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(InvalidArgument, match=r"\.svg, \.html, \.png or \.pdf"):
        tl.save_chart(tmp_path / "c.gif")
    big = timeline.of(*(ev(f"{1000 + i}", id=f"e{i}") for i in range(2001)))
    assert big._repr_svg_() is None and big._repr_html_() is None


# ---- series charts -----------------------------------------------------------------------


def test_series_bar_chart() -> None:
    svg = series_to_svg({"2022": 3.8, "2023": 34.4, "2024": None, "2025": 52.9}, title="Trade")
    root = ET.fromstring(svg)
    bars = [g for g in root.iter(f"{NS}g") if g.get("class") == "rl-bar"]
    assert [b.get("data-key") for b in bars] == ["2022", "2023", "2024", "2025"]
    heights = [float(r.get("height") or 0) for b in bars for r in b.iter(f"{NS}rect")]
    assert len(heights) == 3  # no bar (not a false zero) for the missing value
    assert heights[0] < heights[1] < heights[2]


def test_series_line_chart_and_bounds() -> None:
    s = Series(
        {
            "2024": Quantity.at_least(11000, "people"),
            "2025": Quantity.range(14000, 15000, "people"),
        },
        name="soldiers",
        key_names=("year",),
    )
    svg = series_to_svg(s)
    assert "soldiers" in svg
    root = ET.fromstring(svg)
    assert len(list(root.iter(f"{NS}path"))) == 2  # a whisker per bounded value
    line = series_to_svg({str(y): y % 7 for y in range(1950, 2000)})
    assert "<polyline" in line
    ET.fromstring(line)


def test_series_of_a_timeline() -> None:
    tl = timeline.load("russia-north-korea")
    svg = series_to_svg(tl.count(by="year"))
    ET.fromstring(svg)
    assert "too imprecise to place by year are not counted" in svg  # reported, in English


# ---- the example script ------------------------------------------------------------------


def test_the_example_script_draws_the_dataset(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(repo / "src"), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, str(repo / "examples" / "chart.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    page = tmp_path / "russia-north-korea.html"
    n = len(timeline.load("russia-north-korea"))
    assert f"wrote russia-north-korea.html and russia-north-korea.svg: {n} events" in done.stdout
    assert page.read_text(encoding="utf-8").count('class="rl-event') == n
    assert len(marks((tmp_path / "russia-north-korea.svg").read_text(encoding="utf-8"))) == n
