"""The terminal view: dates in words, aligned lines within a width, series as bar tables."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import events

from relations import Event, Quantity, Source, When, timeline
from relations.render import series_to_text, to_text, when_in_words
from relations.render.text import display_width
from relations.series import Series

TREATY = Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed", id="t")
KURSK = Event(
    "2024-10~",
    "military.deployment",
    ["PRK", "RUS"],
    "Troops sent to Kursk",
    directed=True,
    status="estimated",
    id="k",
)
WAR = Event("1950-06-25/1953-07-27", "war", ["PRK", "KOR"], "Korean War", id="w")
IN_FORCE = Event("2024-12-04/..", "agreement.treaty.in_force", ["RUS", "PRK"], "In force", id="f")
CLAIM = Event(
    "2025",
    "claim.assessment",
    ["UKR", "PRK"],
    "Up to 30 000 more soldiers",
    status="claimed",
    claimed_by=["UKR"],
    id="c",
)


@pytest.mark.parametrize(
    ("edtf", "words", "short"),
    [
        ("2024-06-19", "19 June 2024", "19 Jun 2024"),
        ("2024-06", "June 2024", "Jun 2024"),
        ("2024", "2024", "2024"),
        ("2024-10~", "about October 2024", "c. Oct 2024"),
        ("2024?", "2024 (uncertain)", "2024?"),
        ("2024%", "about 2024 (uncertain)", "c. 2024?"),
        ("2024-22", "summer 2024", "summer 2024"),
        ("2024-24", "winter 2024/25", "winter 2024/25"),
        ("2024-33", "Q1 2024", "Q1 2024"),
        ("199X", "the 1990s", "the 1990s"),
        ("19XX", "the 1900s (20th century)", "the 1900s"),
        ("-0043-03-15", "15 March 44 BCE", "15 Mar 44 BCE"),
        ("1950/1953", "1950 to 1953", "1950 – 1953"),
        ("1950-06-25/1953-07-27", "25 June 1950 to 27 July 1953", "25 Jun 1950 – 27 Jul 1953"),
        ("2024-12-04/..", "from 4 December 2024, ongoing", "4 Dec 2024 – …"),
        ("2024-12-04/", "from 4 December 2024, end unknown", "4 Dec 2024 – ?"),
        ("../1953", "until 1953", "… – 1953"),
        ("/1953", "until 1953, start unknown", "? – 1953"),
        ("[2024-06,2024-09]", "one of: June 2024, September 2024", "one of Jun 2024, Sep 2024"),
        ("2024-06-19T14:30:00Z", "19 June 2024, 14:30", "19 Jun 2024, 14:30"),
    ],
)
def test_when_in_words(edtf: str, words: str, short: str) -> None:
    assert when_in_words(When.parse(edtf)) == words
    assert when_in_words(edtf, short=True) == short


@given(st.sampled_from(["2024-06-19", "2024-06", "2024", "1950/1953", "2024-10~", "199X"]))
def test_words_never_empty(edtf: str) -> None:
    assert when_in_words(edtf).strip()


def test_one_aligned_line_per_event() -> None:
    lines = to_text([WAR, TREATY, KURSK, IN_FORCE, CLAIM], width=120).splitlines()
    assert len(lines) == 5
    # every column starts at the same place on every line
    for col in (1, 2, 3):
        starts = {[m.start() for m in re.finditer(r"(?<=  )\S", line)][col - 1] for line in lines}
        assert len(starts) == 1, lines
    assert lines[0].startswith("1950-06-25/1953-07-27  25 Jun 1950 – 27 Jul 1953  PRK · KOR")
    assert "PRK → RUS" in lines[2] and "[estimate]" in lines[2]
    assert "4 Dec 2024 – …" in lines[3]
    assert "[claimed by UKR]" in lines[4]


def test_precision_is_visible() -> None:
    text = to_text([TREATY, KURSK])
    assert "2024-06-19  19 Jun 2024" in text
    assert "2024-10~    c. Oct 2024" in text


def test_width_is_respected_and_long_fields_are_cut() -> None:
    long = Event("2024", "trade", ["RUS", "PRK"], "A very long title " * 10, id="long")
    for width in (40, 60, 80, 100, 140):
        out = to_text([long, WAR, TREATY], width=width)
        assert all(display_width(line) <= width for line in out.splitlines()), (width, out)
    assert "…" in to_text([long], width=80)
    narrow = to_text([WAR], width=40)  # too narrow for the words: the EDTF date stays
    assert "1950-06-25/1953-07-27" in narrow and "Jun 1950" not in narrow


@given(st.lists(events(), max_size=8), st.integers(40, 160))
def test_every_line_fits_any_width(evs: list[Event], width: int) -> None:
    out = to_text(evs, width=width)
    lines = out.splitlines()
    assert all(display_width(line) <= width for line in lines)
    assert len(lines) >= len(evs)  # a line per event (two when a narrow width wraps the title)


def test_hostile_text_cannot_control_the_terminal() -> None:
    e = Event("2024", "trade", ["RUS"], "red\x1b[31m alert\nsecond line\tx", id="h")
    out = to_text([e])
    assert "\x1b" not in out and "\n" not in out and "\t" not in out
    assert "red\ufffd[31m alert second line x" in out


def test_limit_title_and_empty() -> None:
    evs = [Event(f"20{i:02d}", "trade", ["RUS"], f"T{i}", id=f"e{i}") for i in range(10)]
    out = to_text(evs, limit=4, title="Ten events").splitlines()
    assert out[0] == "Ten events"
    assert [line.split()[-1] for line in out[1:3]] == ["T0", "T1"]
    assert out[3] == "… 6 more events …"
    assert [line.split()[-1] for line in out[4:]] == ["T8", "T9"]
    assert to_text([], title="None") == "None\n(no events)"
    assert "T2" not in to_text(evs, limit=1) and "T0" in to_text(evs, limit=1)
    assert to_text(evs, words=False).splitlines()[0].split() == ["2000", "RUS", "T0"]


def test_timeline_text_methods() -> None:
    tl = timeline.of(WAR, TREATY, KURSK)
    assert str(tl) == tl.to_text() == to_text(tl)
    assert tl.to_text(width=50).splitlines()[0].startswith("1950-06-25/1953-07-27  PRK · KOR")
    big = timeline.of(
        *(Event(f"{1900 + i}", "trade", ["RUS"], f"T{i}", id=f"b{i}") for i in range(150))
    )
    assert "… 50 more events …" in str(big)
    assert len(big.to_text().splitlines()) == 150


def test_the_bundled_dataset_reads_well() -> None:
    tl = timeline.load("russia-north-korea")
    lines = tl.to_text(width=100).splitlines()
    assert len(lines) == len(tl)
    assert all(display_width(line) <= 100 for line in lines)
    assert any(line.startswith("2024-06-19 ") and "Comprehensive" in line for line in lines)


# ---- series ----------------------------------------------------------------------------------


def test_series_bars_are_proportional() -> None:
    out = series_to_text({"2022": 3.8, "2023": 34.4, "2025": 52.9}, width=60).splitlines()
    bars = [line.split("  ")[-1] for line in out]
    full = [b.count("█") for b in bars]
    assert full[0] < full[1] < full[2]
    assert abs(full[1] / full[2] - 34.4 / 52.9) < 0.05
    assert all(display_width(line) <= 60 for line in out)


def test_series_negative_values_and_empty() -> None:
    out = series_to_text({"a": -2, "b": 1, "c": 0}, width=40).splitlines()
    axis = {line.index("│") for line in out}
    assert len(axis) == 1  # one axis, aligned
    assert out[0].split("│")[1] == "" and "█" in out[0].split("│")[0]
    assert "█" not in out[1].split("│")[0] and "█" in out[1].split("│")[1]
    assert "█" not in out[2]
    assert series_to_text({}) == "(empty series)"


def test_series_from_a_timeline_has_a_header_and_says_what_is_unplaced() -> None:
    tl = timeline.of(TREATY, KURSK, Event("2024", "trade", ["RUS", "PRK"], "Trade", id="y"))
    out = series_to_text(tl.count(by="month"), width=60).splitlines()
    assert out[0].split() == ["month", "count"]
    assert out[1].startswith("2024-06")
    assert "policy: contained" in out[-1] and "1 event not placed" in out[-1]


def test_series_with_quantities_and_missing_values() -> None:
    s = Series(
        {"2024": Quantity.at_least(11000, "people"), "2025": None},
        name="soldiers",
        key_names=("year",),
        missing=3,
    )
    out = series_to_text(s, width=70)
    assert "at least 11 000 people" in out and "NA" in out
    assert "3 events without a value" in out


def test_sources_do_not_change_the_text_view() -> None:
    sourced = TREATY.evolve(sources=[Source("TASS", url="https://tass.com/x")])
    assert to_text([sourced]) == to_text([TREATY])
