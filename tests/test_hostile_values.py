"""Hostile values decided at the boundary (issue #17): numbers beyond the float range and
lone surrogates are refused where an event is made, with the error naming file, line and
field, so that every writer can write every event that exists."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from relations import Event, InvalidEvent, InvalidQuantity, Quantity, RelationsError, Source
from relations.io import read_csv, read_jsonl, validate_jsonl, write_csv, write_jsonl
from relations.store import SQLiteStore

HUGE = 10**400
SURROGATE = "\ud800"


def line(**fields: object) -> str:
    d = {"schema": 1, "id": "a", "when": "2024", "kind": "trade", "actors": ["RUS"]}
    d.setdefault("title", "x")
    d.update(fields)
    # ensure_ascii escapes the surrogate as \ud800, which is how a hostile file spells it
    return json.dumps(d)


@pytest.mark.parametrize("value", [HUGE, -HUGE, 2**1024, float("inf"), float("nan")])
def test_quantity_beyond_float_range_is_refused(value: float) -> None:
    with pytest.raises(InvalidQuantity, match="quantity value must be finite"):
        Quantity(value, "people")
    with pytest.raises(InvalidQuantity, match="quantity 'n'"):
        Quantity.from_dict({"unit": "people", "value": value}, name="n")


def test_largest_float_sized_integer_is_accepted_and_converts() -> None:
    q = Quantity(int(1.7e308), "count")
    assert float(q) == float(int(1.7e308))


def test_huge_quantity_in_a_file_is_located() -> None:
    text = line(quantities={"n": {"unit": "count", "value": HUGE}}) + "\n"
    with pytest.raises(InvalidQuantity, match=r"^x\.jsonl:1: quantity 'n': .*float range"):
        _read(text)
    rep = validate_jsonl(io.BytesIO(text.encode()))
    assert [i.line for i in rep.issues] == [1]
    assert "float range" in rep.issues[0].message


def _read(text: str) -> object:
    """read_jsonl of ``text`` as a file named x.jsonl (so errors are located in it)."""
    f = io.BytesIO(text.encode("ascii"))
    f.name = "x.jsonl"
    return read_jsonl(f)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "a" + SURROGATE}, "title"),
        ({"summary": SURROGATE}, "summary"),
        ({"location": "Kursk" + SURROGATE}, "location"),
        ({"id": "id" + SURROGATE}, "id"),
        ({"tags": ["ok", "\udfff"]}, "tags"),
        ({"links": [SURROGATE]}, "links"),
        ({"extra": {"k": SURROGATE}}, "extra"),
        ({"extra": {SURROGATE: "v"}}, "extra"),
        ({"quantities": {SURROGATE: 3}}, "quantities"),
        ({"sources": [{"publisher": "P" + SURROGATE}]}, "publisher"),
        ({"sources": [{"publisher": "P", "quote": SURROGATE}]}, "quote"),
    ],
)
def test_lone_surrogate_in_a_file_is_refused_naming_the_field(
    fields: dict[str, object], field: str
) -> None:
    text = line(**fields) + "\n"
    assert "\\ud" in text  # the file itself is plain ASCII JSON
    with pytest.raises(InvalidEvent, match=rf"x\.jsonl:1: field '{field}' holds a lone surrogate"):
        _read(text)


def test_lone_surrogate_in_a_unit_is_refused() -> None:
    with pytest.raises(InvalidQuantity, match="unit holds a lone surrogate"):
        Quantity(3, "people" + SURROGATE)


def test_lone_surrogate_refused_by_the_constructors() -> None:
    with pytest.raises(InvalidEvent, match="field 'title'"):
        Event("2024", "trade", ["RUS"], SURROGATE + "x")
    with pytest.raises(InvalidEvent, match="field 'title'"):
        Source("P", title=SURROGATE)


def test_paired_surrogates_and_other_scripts_round_trip(tmp_path: Path) -> None:
    # A proper astral character (one code point, written as a surrogate pair in JSON) is fine.
    e = Event("2024", "trade", ["RUS"], "Торговля 🚢 贸易", summary="\U0001f600", id="u")
    tl = read_jsonl(io.StringIO(json.dumps(e.to_dict()) + "\n"))
    assert next(iter(tl)) == e
    write_jsonl(tl, tmp_path / "u.jsonl")
    write_csv(tl, tmp_path / "u.csv")
    assert next(iter(read_csv(tmp_path / "u.csv"))).title == e.title
    store = SQLiteStore(tmp_path / "u.db")
    try:
        store.append("s", [e])
        assert [x.event.title for x in store.read("s")] == [e.title]
    finally:
        store.close()


def test_skip_keeps_the_good_records() -> None:
    text = line(title=SURROGATE) + "\n" + line(id="b") + "\n"
    tl, rep = read_jsonl(io.StringIO(text), errors="skip", report=True)
    assert len(tl) == 1 and rep.skipped == 1


@pytest.mark.parametrize(
    "text",
    [
        "Y" + "9" * 4301,
        "Y-" + "9" * 5000,
        "Y1E" + "9" * 5000,
        "2024S" + "9" * 5000,
        "1" * 5000 + "S2",
    ],
)
def test_huge_edtf_years_raise_invalid_date(text: str) -> None:
    from relations import InvalidDate, When

    with pytest.raises(InvalidDate, match=r"beyond the supported range|not|significant"):
        When.parse(text)
    with pytest.raises(InvalidDate):
        When.from_edtf(text)


@pytest.mark.parametrize("depth", [990, 5000, 100_000])
def test_deeply_nested_record_is_an_issue_not_a_crash(depth: int) -> None:
    head = '{"schema":1,"id":"a","when":"2024","kind":"trade","actors":["RUS"],"title":"x",'
    text = head + '"extra":' + '{"a":' * depth + "1" + "}" * depth + "}\n"
    rep = validate_jsonl(io.BytesIO(text.encode()))
    assert rep.skipped == 1 and rep.issues[0].line == 1
    with pytest.raises(RelationsError, match=r"^x\.jsonl:1: "):  # ParseError or InvalidEvent
        _read(text)
