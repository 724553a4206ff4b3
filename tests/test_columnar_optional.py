"""The optional fields read column-wise (issue 15): summary, location, claimed_by, links,
sources and extra are checked column by column, so a file that has them builds no Event at
load; every row's event, built on demand, equals the checked reader's; a bad value is
reported exactly as the record-by-record reader reports it, with its line. A measure written
as an int in a column Arrow reads as floats comes back as the int (write_jsonl reproduces
the file byte for byte).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relations import Event, Timeline
from relations._timeline.columns import Columns, from_table
from relations.errors import RelationsWarning
from relations.io import read_jsonl, write_jsonl
from relations.testing import events

_BASE = {"schema": 1, "when": "2024-06", "kind": "trade", "actors": ["RUS", "PRK"], "title": "T"}
# A record with every optional field this module is about, valid.
_FULL = {
    **_BASE,
    "id": "full",
    "directed": True,
    "summary": "A summary",
    "location": "Pyongyang",
    "status": "claimed",
    "claimed_by": ["Russia", "PRK"],
    "measures": {"tone": 2.5, "mentions": 3},
    "sources": [
        {"publisher": "TASS", "title": "x", "url": "https://tass.com/x", "published": "2024-06"},
        {"publisher": "KCNA", "quote": "q"},
    ],
    "tags": ["b", "a"],
    "links": ["ev-1", "ev-2", "ev-1"],
    "extra": {"cameo": "042", "source_dataset": "hand"},
}
# Valid values that are easy to get wrong column-wise (empty, normalised, a lone object).
_EDGE_VALID: list[tuple[str, Any]] = [
    ("summary", ""),
    ("location", ""),
    ("claimed_by", []),
    ("claimed_by", ["Russian Federation"]),
    ("links", []),
    ("sources", []),
    ("sources", [{"publisher": "P", "published": "2024-06-19?"}]),
    ("extra", {}),
    ("extra", {"": "empty key"}),
    ("sources", [{"publisher": "P"}]),  # (no URL in any row)
    ("sources", [{"publisher": "P", "published": "2024-06-19"}]),  # (not a timestamp)
]
# Invalid values of each field: the file must be read as the record-by-record reader reads it.
_INVALID: list[tuple[str, Any]] = [
    ("summary", 5),
    ("location", ["Kursk"]),
    ("claimed_by", ["Atlantis-on-Sea"]),
    ("claimed_by", ["RUS", "Russia"]),
    ("claimed_by", ["RUS", "RUS"]),
    ("claimed_by", "RUS"),
    ("links", [""]),
    ("links", "ev-1"),
    ("links", [1]),
    ("sources", [{"title": "no publisher"}]),
    ("sources", [{"publisher": " "}]),
    ("sources", [{"publisher": "\x1f"}]),
    ("sources", [{"publisher": "P", "url": "ftp://x.org"}]),
    ("sources", [{"publisher": "P", "url": "javascript:alert(1)"}]),
    ("sources", [{"publisher": "P", "published": "2024-13"}]),
    ("sources", [{"publisher": "P", "colour": "red"}]),
    ("sources", [{"publisher": "P", "title": 5}]),
    ("sources", ["TASS"]),
    ("sources", {"publisher": "P"}),  # (valid: a lone source)
    ("extra", {"a": 5}),
    ("extra", {"a": {"b": "c"}}),
    ("extra", "text"),
    ("extra", ["a"]),
]


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _built(tl: Timeline) -> int:
    """The events built so far by a column-backed timeline."""
    cols = tl._col
    assert isinstance(cols, Columns), "not column-backed"
    return sum(e is not None for e in cols._built)


def _outcome(source: Any) -> Any:
    """What read_jsonl gives under each policy: the events and the problems, or the error."""
    out: list[Any] = []
    try:
        tl = read_jsonl(source() if callable(source) else source)
        out.append(("ok", list(tl), tl.ids()))
    except Exception as e:  # compared with the row reader's
        out.append((type(e), str(e)))
    src = source() if callable(source) else source
    tl, rep = read_jsonl(src, errors="collect", report=True)
    out.append((list(tl), [(i.line, i.message) for i in rep.issues], rep.skipped))
    return out


def _row_reader(path: Path) -> Any:
    """The record-by-record reader's outcome (an open file never takes the column path)."""
    files: list[Any] = []

    def opened() -> Any:
        files.append(path.open("rb"))
        return files[-1]

    try:
        return _outcome(opened)
    finally:
        for f in files:
            f.close()


def test_a_file_with_every_optional_field_builds_no_event_at_load(tmp_path: Path) -> None:
    records = [
        {**_FULL, "id": f"r{i}", "when": f"2024-0{i % 9 + 1}", "title": f"T{i}"} for i in range(30)
    ]
    records.append({**_BASE, "id": "plain"})
    path = _write(tmp_path / "full.jsonl", records)
    tl = read_jsonl(path)
    assert _built(tl) == 0
    assert set(tl._col.lazy) >= {"summary", "location", "claimed_by", "links", "sources", "extra"}
    expected = Timeline(Event.from_dict(r) for r in records)
    event = tl[3]
    assert _built(tl) == 1 and event == expected[3]
    assert event.claimed_by == ("RUS", "PRK") and event.links == ("ev-1", "ev-2")
    assert list(tl) == list(expected) and tl == expected


@pytest.mark.parametrize(("field", "value"), _EDGE_VALID)
def test_valid_edge_values_are_lazy_and_read_as_the_checked_reader(
    tmp_path: Path, field: str, value: Any
) -> None:
    records = [{**_FULL, "id": "a"}, {**_BASE, "id": "b", field: value}]
    path = _write(tmp_path / "edge.jsonl", records)
    tl = read_jsonl(path)
    assert _built(tl) == 0
    assert list(tl) == sorted(
        (Event.from_dict(r) for r in records), key=lambda e: (e.lo, e.hi, e.id)
    )
    assert _outcome(path) == _row_reader(path)


@pytest.mark.parametrize(("field", "value"), _INVALID)
def test_invalid_values_are_reported_as_the_row_reader_reports_them(
    tmp_path: Path, field: str, value: Any
) -> None:
    records = [{**_FULL, "id": "a"}, {**_BASE, "id": "b"}, {**_BASE, "id": "c", field: value}]
    path = _write(tmp_path / "bad.jsonl", records)
    assert _outcome(path) == _row_reader(path)


def test_a_date_in_extra_is_read_from_the_text(tmp_path: Path) -> None:
    """Arrow reads "2024-06-19" in an inferred object as a timestamp: those rows are decoded
    at load from their own line, the others stay lazy."""
    records = [
        {**_BASE, "id": "a", "extra": {"added": "2024-06-19", "k": "v"}},
        {**_BASE, "id": "b", "extra": {"k": "w"}},
        {**_BASE, "id": "c"},
    ]
    path = _write(tmp_path / "dates.jsonl", records)
    tl = read_jsonl(path)
    assert _built(tl) == 1 and tl._col._built[0] is not None
    assert list(tl) == [Event.from_dict(r) for r in records]
    assert tl[0].extra["added"] == "2024-06-19"


def test_arrow_tables_with_invalid_values_need_the_checked_reader() -> None:
    """The same checks hold for tables that do not come from JSON Lines (Parquet, from_arrow)."""
    base = {"id": ["x", "y"], "when": ["2024", "2023"], "kind": ["trade", "trade"],
            "actors": [["RUS", "PRK"], ["USA"]], "title": ["T", "U"]}  # fmt: skip
    good = {
        "summary": ["s", None],
        "location": ["", None],
        "claimed_by": [["Russia"], None],
        "links": [["ev-1"], []],
        "sources": [[{"publisher": "P", "url": "http://x.org", "published": "2024"}], None],
        "extra": [{"k": "v"}, None],
    }
    cols = from_table(pa.table({**base, **good}))
    assert cols is not None and not any(cols._built)
    assert cols.event(1).claimed_by == ("RUS",) and cols.event(1).location is None
    bad: list[dict[str, Any]] = [
        {"claimed_by": [["RUS", "Russia"], None]},
        {"claimed_by": [["Nowhere-land"], None]},
        {"links": [[""], None]},
        {"sources": [[{"publisher": ""}], None]},
        {"sources": [[{"title": "t"}], None]},
        {"sources": [[{"publisher": "P", "url": "file:///etc"}], None]},
        {"sources": [[{"publisher": "P", "published": "soon"}], None]},
        {"sources": [[{"publisher": "P", "x": "y"}], None]},
        {"extra": [{"k": 1}, None]},
    ]
    for change in bad:
        assert from_table(pa.table({**base, **change})) is None, change


def test_the_bundled_dataset_loads_with_no_event_built() -> None:
    from relations import datasets

    tl = datasets._load.__wrapped__("russia-north-korea")  # a fresh read (load() caches)
    assert _built(tl) == 0
    assert {"sources", "summary", "links", "claimed_by"} <= set(tl._col.lazy)
    path = Path(datasets.__file__).parent / "russia-north-korea.jsonl"
    with path.open("rb") as f:
        assert list(tl) == list(read_jsonl(f))  # the record-by-record reader's events


_MEASURE = st.one_of(
    st.integers(-(2**40), 2**40),
    st.integers(-1000, 1000).map(float),  # whole floats: Arrow reads 3 and 3.0 alike
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["m", "n"]), _MEASURE, max_size=2), max_size=8))
def test_write_jsonl_reproduces_mixed_int_and_float_measures_byte_for_byte(
    tmp_path_factory: pytest.TempPathFactory, measures: list[dict[str, int | float]]
) -> None:
    tmp = tmp_path_factory.mktemp("m")
    evs = [
        Event(f"2024-01-{i + 1:02d}", "trade", ["RUS"], f"T{i}", id=f"t{i}", measures=m)
        for i, m in enumerate(measures)
    ]
    if not evs:
        return
    src, out = tmp / "in.jsonl", tmp / "out.jsonl"
    write_jsonl(Timeline(evs), src)
    tl = read_jsonl(src)
    if b"null" not in src.read_bytes():
        assert _built(tl) == 0  # the ints are found from the text, no event built
    assert [e.measures for e in tl] == [e.measures for e in evs]
    assert [[type(v) for v in e.measures.values()] for e in tl] == [
        [type(v) for v in e.measures.values()] for e in evs
    ]
    write_jsonl(tl, out)
    assert out.read_bytes() == src.read_bytes()


def test_an_int_a_float_cannot_hold_is_read_exactly(tmp_path: Path) -> None:
    records = [
        {**_BASE, "id": "a", "measures": {"m": 2**53 + 1}},
        {**_BASE, "id": "b", "measures": {"m": 0.5}},
    ]
    path = _write(tmp_path / "big.jsonl", records)
    assert read_jsonl(path)["a"].measures["m"] == 2**53 + 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(events(with_id=True), min_size=1, max_size=8), st.data())
def test_optional_fields_read_column_wise_equal_the_row_reader(
    tmp_path: Path, evs: list[Event], data: st.DataObject
) -> None:
    """Events with every optional field (valid), and sometimes one invalid value in one row:
    the column path gives exactly what the record-by-record reader gives."""
    records = [e.to_dict() for e in {e.id: e for e in evs}.values()]
    for r in records:  # float quantities are read record by record: keep the column path
        r.pop("quantities", None)
    changed = data.draw(st.booleans())
    if changed:  # (some of these the row reader accepts: a lone source, "RUS" for ["RUS"])
        field, value = data.draw(st.sampled_from(_INVALID))
        records[data.draw(st.integers(0, len(records) - 1))][field] = value
    path = tmp_path / "p.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelationsWarning)
        _write(path, records)
        got, expected = _outcome(path), _row_reader(path)
        assert got == expected
        if not changed and b"null" not in path.read_bytes():
            tl = read_jsonl(path)
            assert tl._col is not None and _built(tl) == 0
            assert [tl[i] for i in range(len(tl))] == got[0][1]


@pytest.mark.parametrize("name", ["m", "value", "schema", "gold stein", "tôn"])
def test_ints_among_floats_are_found_whatever_the_measure_name(tmp_path: Path, name: str) -> None:
    """The number's text is searched for in the line (or, for a name another number-valued
    key could have, parsed from it); a title quoting the key does not mislead the search."""
    evs = [
        Event("2024-01", "trade", ["RUS"], f'x"{name}":3', id="a", measures={name: 5}),
        Event("2024-02", "trade", ["RUS"], "T", id="b", measures={name: 2.5}),
        Event("2024-03", "trade", ["RUS"], "T", id="c", measures={name: 7.0}),
        Event("2024-04", "trade", ["RUS"], "T", id="d", quantities={name: 4}),
    ]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(Timeline(evs), src)
    tl = read_jsonl(src)
    assert _built(tl) == 0
    assert [type(e.measures.get(name)) for e in tl] == [int, float, float, type(None)]
    write_jsonl(tl, out)
    assert out.read_bytes() == src.read_bytes()
