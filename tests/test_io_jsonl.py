"""JSON Lines: exact round trips, streaming errors with locations, policies, atomic writes."""

from __future__ import annotations

import io
import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import timelines

from relations import (
    DuplicateEvent,
    Event,
    InvalidDate,
    InvalidEvent,
    ParseError,
    RelationsError,
    timeline,
)
from relations.errors import InvalidArgument
from relations.io import (
    ReadIssue,
    ReadReport,
    SkippedRecordsWarning,
    read_jsonl,
    write_jsonl,
)
from relations.timeline import Timeline

GOOD = '{"when": "2024", "kind": "trade", "actors": ["RUS"], "title": "ok", "id": "a"}'


def _lines(*lines: str | bytes) -> io.BytesIO:
    return io.BytesIO(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))


# ---- round trips ----------------------------------------------------------------------------


@given(timelines())
def test_round_trip_is_exact(tmp_path_factory: pytest.TempPathFactory, tl: Timeline) -> None:
    path = tmp_path_factory.mktemp("rt") / "events.jsonl"
    assert write_jsonl(tl, path) == len(tl)
    back = read_jsonl(path)
    assert back == tl
    assert [e.to_dict() for e in back] == [e.to_dict() for e in tl]
    for a, b in zip(back, tl, strict=True):  # every field, not just the id
        assert a.to_dict() == b.to_dict() and a.when == b.when and a.extra == b.extra


@given(timelines(max_size=5))
def test_each_line_is_the_canonical_record(tl: Timeline) -> None:
    buf = io.StringIO()
    write_jsonl(tl, buf)
    lines = buf.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == [e.to_dict() for e in tl]
    assert all(list(json.loads(line))[:2] == ["schema", "id"] for line in lines)


def test_non_ascii_is_written_as_utf8(tmp_path: Path) -> None:
    tl = timeline.of(Event("2024", "trade", ["RUS"], "Торговля, 무역 ✓", id="t"))
    path = tmp_path / "u.jsonl"
    tl.write_jsonl(path)
    assert "Торговля, 무역 ✓".encode() in path.read_bytes()
    assert read_jsonl(path) == tl


def test_timeline_method_and_module_function_agree(tmp_path: Path) -> None:
    tl = timeline.of(Event("2024-06", "trade", ["RUS", "PRK"], "Trade", id="t"))
    tl.write_jsonl(tmp_path / "a.jsonl")
    write_jsonl(tl, tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert timeline.read_jsonl(tmp_path / "a.jsonl") == tl


def test_reads_text_and_binary_streams_crlf_bom_and_blank_lines() -> None:
    data = "\ufeff" + GOOD + "\r\n\r\n   \n" + GOOD.replace('"a"', '"b"') + "\r\n"
    assert [e.id for e in read_jsonl(io.StringIO(data))] == ["a", "b"]
    assert [e.id for e in read_jsonl(io.BytesIO(data.encode()))] == ["a", "b"]


def test_writes_to_binary_stream() -> None:
    buf = io.BytesIO()
    write_jsonl([Event("2024", "trade", ["RUS"], "x", id="a")], buf)
    assert buf.getvalue().endswith(b"}\n") and not buf.closed


def test_writing_something_else_than_events_is_an_error() -> None:
    with pytest.raises(InvalidEvent, match="not an Event"):
        write_jsonl([{"when": "2024"}], io.StringIO())  # type: ignore[list-item]


# ---- atomic writes --------------------------------------------------------------------------


def test_interrupted_write_leaves_old_file_intact(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    old = timeline.of(Event("2020", "trade", ["RUS"], "Old", id="old"))
    old.write_jsonl(path)
    before = path.read_bytes()

    def failing() -> Iterator[Event]:
        for i in range(1000):
            if i == 500:
                raise RuntimeError("disk unplugged")
            yield Event("2024", "trade", ["RUS"], f"New {i}", id=f"n{i}")

    with pytest.raises(RuntimeError, match="disk unplugged"):
        write_jsonl(failing(), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["events.jsonl"]  # no temporary file left behind


def test_interrupted_first_write_creates_nothing(tmp_path: Path) -> None:
    def failing() -> Iterator[Event]:
        yield Event("2024", "trade", ["RUS"], "x", id="x")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_jsonl(failing(), tmp_path / "new.jsonl")
    assert os.listdir(tmp_path) == []


def test_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text("")
    path.chmod(0o640)
    write_jsonl([Event("2024", "trade", ["RUS"], "x", id="x")], path)
    assert path.stat().st_mode & 0o777 == 0o640


# ---- hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "error", "pattern"),
    [
        (b'{"when": "2024", "kind": "trade", \xff"actors": []}', ParseError, "not valid UTF-8"),
        (b'{"when": "2024", "kind": "trade"', ParseError, "not valid JSON"),
        (b'{"when": "2024", "kind": NaN}', ParseError, "NaN is not valid JSON"),
        (b"[1, 2]", InvalidEvent, "must be a JSON object"),
        (b'"text"', InvalidEvent, "must be a JSON object"),
        (
            b'{"when": "2023-02-29", "kind": "trade", "actors": ["RUS"], "title": "x"}',
            InvalidDate,
            "2023-02-29",
        ),
        (
            b'{"when": "2024", "kind": "Trade", "actors": ["RUS"], "title": "x"}',
            InvalidEvent,
            "kind",
        ),
        (
            b'{"when": "2024", "kind": "trade", "actors": ["RUS"], "title": "x", "colour": 1}',
            InvalidEvent,
            "colour",
        ),
        (
            b'{"when": "2024", "kind": "trade", "actors": ["Atlantis"], "title": "x"}',
            RelationsError,
            "Atlantis",
        ),
        (b'{"when": "2024", "kind": "trade", "actors": ["RUS"]}', InvalidEvent, "title"),
        (b"[" * 100_000 + b"]" * 100_000, ParseError, "not valid JSON"),
    ],
)
def test_bad_lines_raise_with_file_and_line(
    tmp_path: Path, line: bytes, error: type[Exception], pattern: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(GOOD.encode() + b"\n\n" + line + b"\n")
    with pytest.raises(error, match=pattern) as info:
        read_jsonl(path)
    assert str(info.value).startswith(f"{path}:3: ")


def test_huge_line_is_refused_without_reading_it_whole() -> None:
    huge = '{"when": "2024", "kind": "trade", "actors": ["RUS"], "title": "' + "x" * 5000 + '"}'
    src = _lines(GOOD, huge, GOOD.replace('"a"', '"b"'))
    with pytest.raises(ParseError, match=r"<stream>:2: line is longer than 1000 bytes"):
        read_jsonl(src, max_line_bytes=1000)
    src.seek(0)
    tl, rep = read_jsonl(src, max_line_bytes=1000, errors="skip", report=True)
    assert [e.id for e in tl] == ["a", "b"] and rep.skipped == 1


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot open"):
        read_jsonl(tmp_path / "nope.jsonl")


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats(allow_nan=False)
            | st.text(max_size=10),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=5), inner, max_size=3)
            ),
            max_leaves=8,
        ),
        max_size=6,
    )
)
def test_any_json_object_reads_or_raises_a_library_error(d: dict[str, object]) -> None:
    base = {"when": "2024", "kind": "trade", "actors": ["RUS"], "title": "x"}
    for record in (d, {**base, **d}):
        line = json.dumps(record)
        message = "<stream>:1: (read fine)"
        try:
            read_jsonl(io.StringIO(line + "\n"))
        except RelationsError as e:
            message = str(e)
        assert message.startswith("<stream>:1: ")


# ---- policies and the report ----------------------------------------------------------------


def _mixed() -> io.BytesIO:
    return _lines(
        GOOD,
        b"\xff\xfe",
        "{not json",
        GOOD.replace('"a"', '"b"'),
        GOOD.replace('"2024"', '"2024-13"').replace('"a"', '"c"'),
    )


def test_skip_counts_and_keeps_good_records() -> None:
    tl, rep = read_jsonl(_mixed(), errors="skip", report=True)
    assert [e.id for e in tl] == ["a", "b"]
    assert (rep.records, rep.loaded, rep.skipped, rep.ok) == (5, 2, 3, False)
    assert [i.line for i in rep.issues] == [2, 3, 5]
    assert str(rep) == "<stream>: 2 of 5 records loaded, 3 skipped"


def test_collect_keeps_every_issue_with_its_error() -> None:
    _, rep = read_jsonl(_mixed(), errors="collect", report=True)
    assert [type(i.error) for i in rep.issues] == [ParseError, ParseError, InvalidDate]
    assert all(i.message.startswith(f"<stream>:{i.line}: ") for i in rep.issues)


def test_skip_keeps_only_the_first_issues_but_counts_all() -> None:
    src = _lines(*["{bad"] * 25, GOOD)
    tl, rep = read_jsonl(src, errors="skip", report=True)
    assert len(tl) == 1 and rep.skipped == 25 and len(rep.issues) == 10
    src.seek(0)
    _, rep = read_jsonl(src, errors="collect", report=True)
    assert len(rep.issues) == 25


def test_on_error_sees_every_skipped_line() -> None:
    seen: list[ReadIssue] = []
    tl = read_jsonl(_mixed(), errors="skip", on_error=seen.append)
    assert len(tl) == 2 and [i.line for i in seen] == [2, 3, 5]


def test_skipping_silently_warns() -> None:
    with pytest.warns(SkippedRecordsWarning, match="3 skipped.*first problem: <stream>:2"):
        read_jsonl(_mixed(), errors="skip")


def test_no_warning_when_the_report_is_asked_for() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_jsonl(_mixed(), errors="skip", report=True)
        read_jsonl(_mixed(), errors="collect", on_error=lambda issue: None)


def test_raise_is_the_default() -> None:
    with pytest.raises(ParseError, match="<stream>:2: not valid UTF-8"):
        read_jsonl(_mixed())


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="errors must be"):
        read_jsonl(io.StringIO(GOOD), errors="ignore")  # type: ignore[call-overload]


def test_repeated_identical_records_are_kept_once_and_counted() -> None:
    tl, rep = read_jsonl(_lines(GOOD, GOOD), report=True)
    assert len(tl) == 1 and rep.duplicates == 1 and rep.ok
    assert str(rep) == "<stream>: 1 of 2 records loaded, 1 repeated"


def test_two_different_events_with_one_id_name_the_second_line() -> None:
    other = GOOD.replace('"ok"', '"different"')
    with pytest.raises(DuplicateEvent, match=r"<stream>:2: field 'id': id 'a' is already used"):
        read_jsonl(_lines(GOOD, other))
    tl, rep = read_jsonl(_lines(GOOD, other), errors="skip", report=True)
    assert tl["a"].title == "ok" and rep.skipped == 1


def test_progress_is_called_with_counts() -> None:
    calls: list[int] = []
    src = _lines(*[GOOD.replace('"a"', f'"e{i}"') for i in range(25_000)])
    assert len(read_jsonl(src, progress=calls.append)) == 25_000
    assert calls == [10_000, 20_000, 25_000]


def test_write_progress() -> None:
    calls: list[int] = []
    evs = [Event("2024", "trade", ["RUS"], "x", id=f"e{i}") for i in range(3)]
    write_jsonl(evs, io.StringIO(), progress=calls.append)
    assert calls == [3]


def test_report_type() -> None:
    _, rep = read_jsonl(io.StringIO(GOOD), report=True)
    assert isinstance(rep, ReadReport) and rep == ReadReport("<stream>", 1, 1, 0)


def test_unicode_line_separators_are_escaped_so_one_record_stays_one_line() -> None:
    title = "a\u2028b\x85c\u2029d"
    buf = io.StringIO()
    write_jsonl([Event("2024", "trade", ["RUS"], title, id="x")], buf)
    assert len(buf.getvalue().splitlines()) == 1
    assert read_jsonl(io.StringIO(buf.getvalue()))["x"].title == title
