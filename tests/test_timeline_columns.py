"""A Timeline held as Arrow columns (issue 15): lazy events, column-wise checks, line numbers.

The columnar reader (``read_jsonl`` of a path) must give the same Timeline as the events it
holds, build an event only when one is asked for, and report every bad record with its file
and line under the same ``errors=`` policies as the record-by-record reader.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relations import Event, InvalidDate, InvalidEvent, Timeline
from relations._timeline.columns import from_table
from relations.errors import RelationsWarning
from relations.io import read_jsonl, write_jsonl
from relations.testing import events

_GOOD = [
    {"schema": 1, "id": "a", "when": "2024-06", "kind": "trade", "actors": ["RUS", "PRK"],
     "title": "A"},
    {"schema": 1, "id": "b", "when": "2023", "kind": "sanction.imposed", "actors": ["USA"],
     "title": "B", "quantities": {"amount": {"unit": "USD", "value": 5}}},
    {"schema": 1, "id": "c", "when": "2024-01-02", "kind": "trade", "actors": ["CHN", "RUS"],
     "title": "C"},
]  # fmt: skip


def _written_and_read(tl: Timeline, tmp_path: Path) -> Timeline:
    """``tl`` written by write_jsonl and read back (by the columnar reader if it can)."""
    path = tmp_path / "t.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelationsWarning)
        write_jsonl(tl, path)
        return read_jsonl(path)


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_columnar_read_equals_the_events_and_builds_them_lazily(tmp_path: Path) -> None:
    tl = read_jsonl(_write(tmp_path / "ok.jsonl", _GOOD))
    assert tl._col is not None and tl._ev is None  # held as columns
    assert tl.ids() == ("b", "c", "a")
    first = tl[0]
    assert tl._ev is None  # one event asked for: one built, not all
    assert first == Event.from_dict(_GOOD[1])
    assert sum(e is not None for e in tl._col._built) == 1
    assert tl.involving("RUS", "PRK").ids() == ("a",)
    assert tl._built_index("dyad") is not None  # built once, from the columns, and kept
    assert tl.of_kind("sanction").ids() == ("b",)
    assert tl == Timeline(Event.from_dict(r) for r in _GOOD)


@pytest.mark.parametrize(
    ("change", "error", "text"),
    [
        ({"when": "2024-02-30"}, InvalidDate, "invalid date '2024-02-30'"),
        ({"actors": ["RUS", "RUS"]}, InvalidEvent, "listed twice"),
        ({"title": "  "}, InvalidEvent, "must not be empty"),
        ({"quantities": {"n": {"unit": "people", "low": 5, "high": 2}}}, InvalidEvent, "reversed"),
        ({"colour": "red"}, InvalidEvent, "unknown field"),
        ({"id": "a"}, Exception, "already used"),
        ({"id": " c"}, InvalidEvent, "surrounding spaces"),
    ],
)
def test_bad_records_are_reported_with_file_and_line(
    tmp_path: Path, change: dict[str, object], error: type[Exception], text: str
) -> None:
    bad = {**_GOOD[2], **change}
    path = _write(tmp_path / "bad.jsonl", [_GOOD[0], _GOOD[1], bad])
    with pytest.raises(error, match=rf"bad\.jsonl:3:.*{text}"):
        read_jsonl(path)
    tl, rep = read_jsonl(path, errors="collect", report=True)
    assert len(tl) == 2 and rep.skipped == 1 and rep.issues[0].line == 3
    tl = read_jsonl(path, errors="skip", on_error=lambda issue: None)
    assert tl.ids() == ("b", "a")


def test_progress_counts_every_record(tmp_path: Path) -> None:
    seen: list[int] = []
    read_jsonl(_write(tmp_path / "ok.jsonl", _GOOD), progress=seen.append)
    assert seen == [3]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(events(with_id=True), max_size=12))
def test_timeline_from_columns_equals_timeline_from_events(
    tmp_path: Path, evs: list[Event]
) -> None:
    expected = Timeline({e.id: e for e in evs}.values())
    got = _written_and_read(expected, tmp_path)
    assert got == expected
    assert list(got) == list(expected) and got.ids() == expected.ids()
    assert [got[i] for i in range(len(got))] == list(expected)
    for name in ("actor", "dyad", "kind", "kind_prefix"):
        for key in {k for e in expected for k in _keys(name, e)}:
            assert got._postings(name, key) == expected._postings(name, key)


def _keys(name: str, e: Event) -> tuple[object, ...]:
    from relations.keys import KEYS

    return tuple(KEYS[name](e))


def test_from_table_refuses_what_needs_the_checked_reader() -> None:
    base = {"id": ["x"], "when": ["2024"], "kind": ["trade"], "actors": [["RUS"]], "title": ["T"]}
    assert from_table(pa.table(base)) is not None
    assert from_table(pa.table({**base, "when": ["2024-13"]})) is None
    assert from_table(pa.table({**base, "actors": [["Russia"]]})) is None  # not canonical
    assert from_table(pa.table({k: v for k, v in base.items() if k != "id"})) is None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(events(with_id=True), min_size=1, max_size=12), st.sampled_from(["RUS", "PRK"]))
def test_repr_of_a_columnar_timeline_and_its_views_builds_no_event(
    tmp_path: Path, evs: list[Event], actor: str
) -> None:
    # (without quantities: a fractional one sends the file to the row reader)
    evs = [
        Event.from_dict({k: v for k, v in e.to_dict().items() if k != "quantities"}) for e in evs
    ]
    expected = Timeline({e.id: e for e in evs}.values())
    got = _written_and_read(expected, tmp_path)
    if got._col is None:
        return  # a record the columnar reader leaves to the checked reader
    views = [(got, expected), (got.since("2000"), expected.since("2000"))]
    views.append((got.involving(actor), expected.involving(actor)))
    for held, built in views:
        # (a repr reads each end's date: those two events, and no other, may be built)
        assert repr(held) == repr(built)
        assert sum(e is not None for e in got._col._built) <= 2 * len(views)
