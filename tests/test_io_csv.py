"""CSV: the documented flat layout, exact round trips, located errors, atomic writes."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import events, timelines

from relations import Event, InvalidEvent, ParseError, Quantity, Source, timeline
from relations.io import read_csv, write_csv
from relations.io.csv import COLUMNS
from relations.timeline import Timeline

HEADER = "when,kind,actors,title"


@given(timelines())
def test_round_trip_is_exact(tmp_path_factory: pytest.TempPathFactory, tl: Timeline) -> None:
    path = tmp_path_factory.mktemp("csv") / "events.csv"
    assert write_csv(tl, path) == len(tl)
    back = read_csv(path)
    assert back == tl
    assert [e.to_dict() for e in back] == [e.to_dict() for e in tl]


@given(
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            min_size=1,
        ).filter(lambda s: s.strip() != ""),
        min_size=1,
        max_size=4,
    )
)
def test_hostile_text_survives(texts: list[str]) -> None:
    # commas, quotes, newlines (\n, \r\n, lone \r), semicolons, non-ASCII in every text field
    evs = [
        Event(
            "2024-06",
            "trade",
            ["RUS", "PRK"],
            t,
            id=f"e{i}",
            summary=t + '\r\n"quoted", ;',
            location=t,
            tags=[t],
            links=[t],
            extra={t: t},
            sources=[Source(t, t, quote=t)],
        )
        for i, t in enumerate(texts)
    ]
    buf = io.StringIO()
    write_csv(evs, buf)
    assert read_csv(io.StringIO(buf.getvalue())) == Timeline(evs)


def test_layout_is_the_documented_one() -> None:
    e = Event(
        "2024-10~",
        "military.deployment",
        ["PRK", "RUS"],
        "Troops",
        id="k",
        directed=True,
        claimed_by=["UKR"],
        quantities={"soldiers": Quantity.at_least(11000, "people")},
        measures={"goldstein": -5.0, "mentions": 4},
        sources=[Source("BBC", url="https://bbc.com/x")],
        tags=["kursk"],
        extra={"cameo": "0874"},
        status="estimated",
        location="Kursk",
        summary="S",
    )
    buf = io.StringIO()
    write_csv([e], buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert tuple(rows[0]) == COLUMNS
    assert dict(zip(rows[0], rows[1], strict=True)) == {
        "schema": "1",
        "id": "k",
        "when": "2024-10~",
        "kind": "military.deployment",
        "actors": "PRK;RUS",
        "title": "Troops",
        "directed": "true",
        "summary": "S",
        "location": "Kursk",
        "status": "estimated",
        "claimed_by": "UKR",
        "quantities": '{"soldiers":{"unit":"people","low":11000}}',
        "measures": '{"goldstein":-5.0,"mentions":4}',
        "sources": '[{"publisher":"BBC","url":"https://bbc.com/x"}]',
        "tags": '["kursk"]',
        "links": "",
        "extra": '{"cameo":"0874"}',
    }


def test_minimal_columns_in_any_order_and_defaults() -> None:
    tl = read_csv(io.StringIO("title,actors,when,kind\nTrade,RUS; PRK ,2024-06,trade\n"))
    e = tl[0]
    assert (str(e.when), e.actors, e.status.value, e.directed) == (
        "2024-06",
        ("RUS", "PRK"),
        "reported",
        False,
    )


def test_method_and_function_agree(tmp_path: Path) -> None:
    tl = timeline.of(Event("2024", "trade", ["RUS"], "x", id="x"))
    tl.write_csv(tmp_path / "a.csv")
    write_csv(tl, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert timeline.read_csv(tmp_path / "a.csv") == tl


def test_interrupted_write_leaves_old_file_intact(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    write_csv([Event("2020", "trade", ["RUS"], "Old", id="old")], path)
    before = path.read_bytes()

    def failing() -> Iterator[Event]:
        yield Event("2024", "trade", ["RUS"], "New", id="new")
        raise OSError("no space left on device")

    with pytest.raises(OSError, match="no space"):
        write_csv(failing(), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["events.csv"]


# ---- hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error", "pattern"),
    [
        (
            f"{HEADER}\n2024,trade,RUS\n",
            ParseError,
            r"<stream>:2: row has 3 cells; the header has 4",
        ),
        (f"{HEADER}\n2024,trade,RUS,x,y\n", ParseError, r"<stream>:2: row has 5 cells"),
        (f'{HEADER}\n2024,trade,RUS,"x"y\n', ParseError, r"<stream>:2: .*"),
        (f"{HEADER}\n2024-02-30,trade,RUS,x\n", ValueError, r"<stream>:2: .*2024-02-30"),
        (f"{HEADER}\n2024,Trade,RUS,x\n", InvalidEvent, r"<stream>:2: .*kind"),
        (f"{HEADER},tags\n2024,trade,RUS,x,[oops\n", ParseError, r"<stream>:2: field 'tags'"),
        (f"{HEADER},directed\n2024,trade,RUS;PRK,x,maybe\n", InvalidEvent, "field 'directed'"),
        (f"{HEADER}\n2024,trade,,x\n", InvalidEvent, "<stream>:2: .*actors"),
        (f"{HEADER}\n2024,trade,RUS,\n", InvalidEvent, "<stream>:2: .*title"),
        (f"{HEADER},colour\n2024,trade,RUS,x,red\n", ParseError, r"<stream>:1: unknown column"),
        ("when,kind,title\n2024,trade,x\n", ParseError, r"missing column\(s\) \['actors'\]"),
        ("when,kind,actors,title,when\n", ParseError, "repeated column"),
        ("", ParseError, "empty file"),
    ],
)
def test_bad_input_raises_with_location(text: str, error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        read_csv(io.StringIO(text))


def test_row_location_is_the_line_it_starts_on() -> None:
    text = f'{HEADER}\n2024,trade,RUS,"two\nlines"\n2024,trade,RUS,"three\nmore\nlines",extra\n'
    with pytest.raises(ParseError, match=r"<stream>:4: row has 5 cells"):
        read_csv(io.StringIO(text))


def test_broken_utf8_inside_a_multiline_cell_names_its_record() -> None:
    data = (
        HEADER.encode()
        + b'\n2024,trade,RUS,ok\n2024,trade,RUS,"bad\n\xff here"\n2025,trade,PRK,fine\n'
    )
    with pytest.raises(ParseError, match=r"<stream>:4: not valid UTF-8"):
        read_csv(io.BytesIO(data))
    tl, rep = read_csv(io.BytesIO(data), errors="collect", report=True)
    assert [e.title for e in tl] == ["ok", "fine"]
    assert [(i.line, type(i.error)) for i in rep.issues] == [(3, ParseError)]


def test_huge_cell_is_a_parse_error_and_reading_goes_on() -> None:
    text = f"{HEADER}\n2024,trade,RUS,{'x' * 200_000}\n2025,trade,PRK,fine\n"
    with pytest.raises(ParseError, match=r"<stream>:2: field larger than field limit"):
        read_csv(io.StringIO(text))
    tl, rep = read_csv(io.StringIO(text), errors="skip", report=True)
    assert [e.title for e in tl] == ["fine"] and rep.skipped == 1


def test_huge_line_limit() -> None:
    text = f"{HEADER}\n2024,trade,RUS,{'x' * 5000}\n2025,trade,PRK,fine\n"
    tl, rep = read_csv(io.StringIO(text), max_line_bytes=1000, errors="skip", report=True)
    assert len(tl) == 1 and "longer than 1000 bytes" in rep.issues[0].message


def test_skip_and_collect_report_rows() -> None:
    text = f"{HEADER}\n2024,trade,RUS,a\n2024,trade,RUS\n\n2024,nope!,RUS,c\n2025,trade,PRK,d\n"
    tl, rep = read_csv(io.StringIO(text), errors="collect", report=True)
    assert [e.title for e in tl] == ["a", "d"]
    assert (rep.records, rep.loaded, rep.skipped) == (4, 2, 2)
    assert [i.line for i in rep.issues] == [3, 5]


@given(events())
def test_row_and_record_agree(e: Event) -> None:
    from relations.io.csv import event_to_row, row_to_record

    record = row_to_record(list(COLUMNS), event_to_row(e), "x.csv", 2)
    assert Event.from_dict(record) == e
