"""Exporters: TimelineJS partial dates, Mermaid and Markdown escaping, vis-timeline items."""

from __future__ import annotations

import html
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import timelines

from relations import Event, Source, timeline
from relations.errors import InvalidArgument
from relations.io import to_markdown, to_mermaid, to_timelinejs, to_vis
from relations.timeline import Timeline

NASTY = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() != "")


def _ev(when: str, title: str = "T", **kw: object) -> Event:
    return Event(when, "trade", ["RUS", "PRK"], title, **kw)  # type: ignore[arg-type]


# ---- TimelineJS ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "start", "end"),
    [
        ("2024-06-19", {"year": 2024, "month": 6, "day": 19}, None),
        ("2024-06", {"year": 2024, "month": 6}, None),
        ("2024", {"year": 2024}, None),
        ("2024-10~", {"year": 2024, "month": 10, "display_date": "2024-10~"}, None),
        ("196X", {"year": 1960, "display_date": "196X"}, None),
        ("1950/1953-07", {"year": 1950}, {"year": 1953, "month": 7}),
        (
            "2024-06-19/2024-06-21",
            {"year": 2024, "month": 6, "day": 19},
            {"year": 2024, "month": 6, "day": 21},
        ),
    ],
)
def test_timelinejs_partial_dates(when: str, start: dict[str, object], end: object) -> None:
    (slide,) = to_timelinejs([_ev(when, id="x")])["events"]
    assert slide["start_date"] == start
    assert slide.get("end_date") == end
    assert slide["unique_id"] == "x"


def test_timelinejs_open_intervals() -> None:
    slides = to_timelinejs([_ev("2024/..", id="a"), _ev("../2024-03", id="b")])["events"]
    assert slides[0]["start_date"] == {"year": 2024} and "end_date" not in slides[0]
    assert slides[0]["display_date"] == "2024/.."
    assert slides[1]["start_date"] == {"year": 2024, "month": 3}
    assert slides[1]["display_date"] == "../2024-03"


def test_timelinejs_escapes_html_and_is_json() -> None:
    e = _ev(
        "2024",
        "<b>bold</b> & co",
        summary="<script>x</script>",
        sources=[Source("A&B", "t<i>", url='https://x.org/?q="a"&b=1')],
        id="x",
    )
    doc = to_timelinejs([e], title="<T>", group_by="actors")
    text = json.dumps(doc)
    assert "<b>" not in text and "<script>" not in text and "<i>" not in text
    slide = doc["events"][0]
    assert html.unescape(slide["text"]["headline"]) == "<b>bold</b> & co"
    assert (
        '<a href="https://x.org/?q=&quot;a&quot;&amp;b=1">A&amp;B: t&lt;i&gt;</a>'
        in (slide["text"]["text"])
    )
    assert doc["title"]["text"]["headline"] == "&lt;T&gt;" and slide["group"] == "RUS–PRK"


@given(timelines(max_size=8))
def test_timelinejs_every_placeable_event_has_a_slide(tl: Timeline) -> None:
    slides = to_timelinejs(tl)["events"]
    placeable = [e for e in tl if not (e.when.start is None and e.when.end is None)]
    assert [s["unique_id"] for s in slides] == [e.id for e in placeable]
    assert all(isinstance(s["start_date"]["year"], int) for s in slides)


# ---- Mermaid -------------------------------------------------------------------------------


def test_mermaid_layout_and_buckets() -> None:
    tl = timeline.of(
        _ev("2024-06-19", "Treaty", id="a"),
        _ev("2024-06-25", "Visit", id="b"),
        _ev("2024-06", "Month", id="c"),
        _ev("2024", "Year", id="d"),
    )
    assert to_mermaid(tl, title="RUS–PRK").splitlines() == [
        "timeline",
        "    title RUS–PRK",
        "    2024 : Year",
        "    2024-06 : Month",
        "    2024-06-19 : Treaty",
        "    2024-06-25 : Visit",
    ]
    assert to_mermaid(tl, bucket="month").splitlines()[1:] == [
        "    2024 : Year",
        "    2024-06 : Month : Treaty : Visit",
    ]
    assert to_mermaid(tl, bucket="year").splitlines()[1:] == [
        "    2024 : Year : Month : Treaty : Visit"
    ]
    with pytest.raises(InvalidArgument):
        to_mermaid(tl, bucket="week")  # type: ignore[arg-type]


@given(st.lists(NASTY, min_size=1, max_size=5))
def test_mermaid_text_never_breaks_the_grammar(titles: list[str]) -> None:
    evs = [_ev("2024", t, id=f"e{i}") for i, t in enumerate(titles)]
    out = to_mermaid(evs, title=titles[0])
    lines = out.split("\n")
    assert lines[0] == "timeline" and len(lines) == 3  # title line and one period line
    period_line = lines[2]
    assert period_line.count(":") == len(titles)  # only the separators are colons
    for raw in (";", "<", ">", "&", '"', "%", "\r"):
        assert raw not in period_line.replace("#58;", "").replace("#59;", "").replace(
            "#60;", ""
        ).replace("#62;", "").replace("#38;", "").replace("#34;", "").replace("#37;", "").replace(
            "#35;", ""
        )


# ---- vis-timeline --------------------------------------------------------------------------


def test_vis_item_types() -> None:
    items = to_vis(
        [
            _ev("2024-06-19", id="day"),
            _ev("2024-06", id="month"),
            _ev("2024-06-19/2024-07-02", id="range"),
            _ev("2024/..", id="open"),
        ]
    )["items"]
    by = {i["id"]: i for i in items}
    assert by["day"]["type"] == "point" and by["day"]["start"] == "2024-06-19"
    assert (by["month"]["type"], by["month"]["start"], by["month"]["end"]) == (
        "range",
        "2024-06-01",
        "2024-07-01",
    )
    assert by["month"]["className"] == "relations-imprecise"
    assert (by["range"]["className"], by["range"]["end"]) == ("relations-interval", "2024-07-03")
    assert (by["open"]["type"], by["open"]["start"]) == ("box", "2024-01-01")


def test_vis_groups_and_escaping() -> None:
    vis = to_vis([_ev("2024", "<img src=x onerror=alert(1)>", id="x")], group_by="kind")
    (item,) = vis["items"]
    assert "<img" not in item["content"] and "<img" not in item["title"]
    assert vis["groups"] == [{"id": "trade", "content": "trade"}] and item["group"] == "trade"
    assert "group" not in to_vis([_ev("2024", id="y")], group_by=None)["items"][0]


def _ymd(iso: str) -> tuple[int, int, int]:
    m = re.fullmatch(r"([+-]?\d{4,})-(\d\d)-(\d\d)", iso)
    assert m is not None, iso
    return int(m[1]), int(m[2]), int(m[3])


@given(timelines(max_size=8))
def test_vis_items_have_ordered_iso_dates(tl: Timeline) -> None:
    for item in to_vis(tl)["items"]:
        start = _ymd(item["start"])
        if "end" in item:
            assert _ymd(item["end"]) > start


# ---- Markdown ------------------------------------------------------------------------------


def test_markdown_table() -> None:
    md = to_markdown(
        [_ev("2024-10~", "Troops | sent", id="a", sources=[Source("BBC", url="https://b.c/(x)|y")])]
    )
    assert md.splitlines() == [
        "| When | Kind | Actors | Title | Sources |",
        "|---|---|---|---|---|",
        r"| 2024-10\~ | trade | RUS, PRK | Troops \| sent | [BBC](https://b.c/%28x%29%7Cy) |",
    ]


@given(st.lists(NASTY, min_size=1, max_size=5))
def test_markdown_rows_keep_their_cells(titles: list[str]) -> None:
    md = to_markdown([_ev("2024", t, id=f"e{i}") for i, t in enumerate(titles)], sources=False)
    rows = md.split("\n")
    assert len(rows) == 2 + len(titles)  # no line break leaks into a row
    for row in rows[2:]:
        unescaped = re.findall(r"(?<!\\)(?:\\\\)*\|", row)
        assert len(unescaped) == 5  # | when | kind | actors | title |
        assert "<" not in row.replace("\\<", "")
