"""The shipped JSON Schema: valid itself, accepts every written record, rejects bad ones."""

from __future__ import annotations

import io
import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from tests.strategies import events, timelines

from relations import DuplicateEvent, Event, InvalidDate, InvalidEvent, ParseError
from relations.io import event_schema, validate_jsonl, write_jsonl
from relations.timeline import Timeline

jsonschema = pytest.importorskip("jsonschema")
VALIDATOR = jsonschema.Draft202012Validator(event_schema())
BASE: dict[str, Any] = {
    "schema": 1,
    "id": "a",
    "when": "2024",
    "kind": "trade",
    "actors": ["RUS"],
    "title": "x",
}


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = event_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_ships_inside_the_package() -> None:
    text = resources.files("relations.io").joinpath("event.schema.json").read_text("utf-8")
    assert json.loads(text) == event_schema()


def test_schema_lists_every_field_of_the_record_in_order() -> None:
    full = Event(
        "2024-10~",
        "military.deployment",
        ["PRK", "RUS"],
        "t",
        id="x",
        directed=True,
        summary="s",
        location="l",
        status="claimed",
        claimed_by=["UKR"],
        quantities={"n": 1},
        measures={"goldstein": -5.0},
        sources=[{"publisher": "p"}],
        tags=["a"],
        links=["b"],
        extra={"k": "v"},
    ).to_dict()
    assert list(event_schema()["properties"]) == list(full)


@given(events())
def test_every_written_record_validates(e: Event) -> None:
    VALIDATOR.validate(e.to_dict())


@given(timelines(max_size=8))
def test_every_written_line_validates(tl: Timeline) -> None:
    buf = io.StringIO()
    write_jsonl(tl, buf)
    for line in buf.getvalue().splitlines():
        VALIDATOR.validate(json.loads(line))
    rep = validate_jsonl(io.StringIO(buf.getvalue()))
    assert rep.ok and rep.records == len(tl)


@pytest.mark.parametrize(
    "change",
    [
        {"schema": 2},
        {"kind": "Trade"},
        {"actors": []},
        {"actors": ["rus"]},
        {"actors": ["RUS", "RUS"]},
        {"title": "   "},
        {"status": "reported"},  # the default is omitted, never written
        {"status": "rumoured"},
        {"directed": False},
        {"quantities": {"n": {"unit": "people"}}},
        {"quantities": {"n": {"unit": "people", "value": -1}}},
        {"quantities": {"n": {"unit": "people", "value": 1, "approximate": False}}},
        {"sources": [{"title": "no publisher"}]},
        {"sources": [{"publisher": "p", "url": "javascript:alert(1)"}]},
        {"tags": ["b", "b"]},
        {"extra": {"k": 1}},
        {"colour": "red"},
    ],
)
def test_schema_rejects(change: dict[str, Any]) -> None:
    assert not VALIDATOR.is_valid({**BASE, **change})


@pytest.mark.parametrize("missing", ["schema", "id", "when", "kind", "actors", "title"])
def test_required_fields(missing: str) -> None:
    record = {k: v for k, v in BASE.items() if k != missing}
    assert not VALIDATOR.is_valid(record)


def test_validate_jsonl_lists_every_problem_with_its_line() -> None:
    lines = [
        json.dumps(BASE),
        json.dumps({**BASE, "id": "b", "kind": "Trade"}),  # schema (and the Event) reject
        json.dumps({**BASE, "id": "c", "when": "2023-02-29"}),  # only the Event rejects
        "{broken",
        json.dumps({**BASE, "title": "other"}),  # id "a" again, different event
        json.dumps(BASE),  # the same event again: fine
    ]
    rep = validate_jsonl(io.StringIO("\n".join(lines) + "\n"))
    assert (rep.records, rep.skipped) == (6, 4)
    assert [(i.line, type(i.error)) for i in rep.issues] == [
        (2, InvalidEvent),
        (3, InvalidDate),
        (4, ParseError),
        (5, DuplicateEvent),
    ]
    assert "schema" in rep.issues[0].message and "field 'kind'" in rep.issues[0].message


def test_validate_jsonl_without_jsonschema_still_checks_events() -> None:
    bad = json.dumps({**BASE, "when": "2024-13"})
    rep = validate_jsonl(io.StringIO(bad + "\n"), use_jsonschema=False)
    assert [i.line for i in rep.issues] == [1]
