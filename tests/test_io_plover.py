"""PLOVER import: manual (v2) and gold-standard field names, JSON Lines and arrays."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from relations import InvalidDate, InvalidEvent, ParseError, UnknownActor
from relations.io import import_plover
from relations.io.plover import PLOVER_KINDS
from relations.kinds import validate_kind
from relations.timeline import Timeline

MANUAL: dict[str, Any] = {
    "id": "20240619-RUS-PRK-1",
    "date": "2024-06-19",
    "actor": [{"code": "RUS", "sector": "GOV", "entity_text": "Vladimir Putin"}],
    "recipient": [{"code": "PRK", "sector": "GOV", "entity_text": "Kim Jong Un"}],
    "event": "AGREE",
    "event_text": ["signed", "comprehensive strategic partnership"],
    "mode": ["formal"],
    "context": ["military", "diplomatic"],
    "quad_code": 1,
    "event_scale": 8.0,
    "text": "Putin and Kim signed a treaty in Pyongyang.",
    "event_loc": {"resolved_place": "Pyongyang, North Korea", "geonameid": 1871859},
    "cite_info": {
        "publication": "KCNA",
        "title": "Treaty signed",
        "url": "https://kcna.example/1",
        "codebook": "plover-base-2.0",
    },
    "link": "treaty-2024",
    "coder": "test",
    "coded_date": "2024-06-20",
}
GSR: dict[str, Any] = {
    "id": "PLOVER-GSR01-AGREE-0005",
    "date": "2000-01-01",
    "source": [{"actorText": "Libya", "code": "LBY"}],
    "target": [{"actorText": "Great Britain", "code": "GBR"}],
    "event": "AGREE",
    "eventText": "offered to hand over suspected",
    "context": "",
    "mode": "",
    "text": "Libya has offered to hand over to Great Britain two of its nationals.",
    "publication": "OEDA team from CAMEO 1.1b3 manual",
    "coder": "Parus Analytics",
    "version": "0.5b1",
    "dateCoded": "2016-12-12",
}


def _jsonl(*records: Any) -> io.StringIO:
    return io.StringIO("".join(json.dumps(r) + "\n" for r in records))


def _one(**changes: Any) -> Timeline:
    return import_plover(_jsonl({**MANUAL, **changes}))


def test_manual_record() -> None:
    (e,) = _one()
    assert e.id == "plover-20240619-RUS-PRK-1"
    assert (str(e.when), e.kind, e.actors, e.directed) == (
        "2024-06-19",
        "agreement",
        ("RUS", "PRK"),
        True,
    )
    assert e.title == "AGREE: signed; comprehensive strategic partnership"
    assert e.summary.startswith("Putin and Kim")
    assert e.location == "Pyongyang, North Korea"
    assert e.tags == ("diplomatic", "military")
    (s,) = e.sources
    assert (s.publisher, s.title, s.url) == ("KCNA", "Treaty signed", "https://kcna.example/1")
    assert e.extra["source_dataset"] == "plover" and e.extra["source_event_id"] == MANUAL["id"]
    assert (e.extra["plover_event"], e.extra["quad_code"], e.extra["event_scale"]) == (
        "AGREE",
        "1",
        "8.0",
    )
    assert (e.extra["mode"], e.extra["link"], e.extra["codebook"]) == (
        "formal",
        "treaty-2024",
        "plover-base-2.0",
    )
    assert e.extra["actor_text"] == "Vladimir Putin"


def test_gold_standard_record_field_names() -> None:
    (e,) = import_plover(_jsonl(GSR))
    assert e.actors == ("LBY", "GBR") and e.directed
    assert e.title == "AGREE: offered to hand over suspected"
    assert e.sources[0].publisher == "OEDA team from CAMEO 1.1b3 manual"
    assert (e.extra["version"], e.extra["coded_date"]) == ("0.5b1", "2016-12-12")
    assert e.tags == ()


def test_compound_actor_without_recipient_is_undirected() -> None:
    rec = {**GSR, "source": [{"code": "USA"}, {"code": "JOR"}], "target": ""}
    (e,) = import_plover(_jsonl(rec))
    assert e.actors == ("USA", "JOR") and not e.directed


def test_non_state_entity_is_looked_up_by_its_text() -> None:
    (e,) = _one(actor=[{"code": "IGO", "entity_text": "United Nations"}])
    assert e.actors[0] == "UN"
    (e,) = _one(actor=[{"code": "IGO", "entity_text": "Asia-Pacific Economic Cooperation"}])
    assert e.actors[0] == "UNSPECIFIED"


def test_end_date_makes_an_interval() -> None:
    (e,) = _one(enddate="2024-06-20")
    assert str(e.when) == "2024-06-19/2024-06-20" and e.when.is_interval


def test_size_becomes_quantities() -> None:
    (e,) = _one(event="ASSAULT", size={"dead": 3, "injured": 10})
    assert e.kind == "plover.assault"
    assert {k: str(q) for k, q in e.quantities.items()} == {
        "dead": "3 people",
        "injured": "10 people",
    }


def test_json_array_file() -> None:
    text = json.dumps([MANUAL, GSR], indent=2)
    tl = import_plover(io.StringIO(text))
    assert sorted(e.id for e in tl) == [
        "plover-20240619-RUS-PRK-1",
        "plover-PLOVER-GSR01-AGREE-0005",
    ]


def test_every_category_has_a_valid_kind() -> None:
    assert len(PLOVER_KINDS) == 20
    for category, kind in PLOVER_KINDS.items():
        assert validate_kind(kind) == kind
        assert _one(event=category)[0].kind == kind


@pytest.mark.parametrize(
    ("changes", "error", "pattern"),
    [
        ({"event": "GREET"}, InvalidEvent, r"<stream>:1: field 'event': unknown PLOVER category"),
        ({"date": "2024-02-30"}, InvalidDate, r"<stream>:1: field 'date'"),
        ({"enddate": "2024-06-01"}, InvalidDate, r"field 'enddate'"),
        ({"actor": [{"code": "XYZ"}]}, UnknownActor, r"field 'actor'.*'XYZ'"),
        ({"actor": "RUS"}, InvalidEvent, r"field 'actor': expected a list of entity objects"),
        ({"actor": []}, InvalidEvent, r"field 'actor': is missing"),
        ({"id": ""}, InvalidEvent, r"field 'id': is missing"),
        # issue 19: Quantity allows negative amounts; the PLOVER reader refuses negative counts
        ({"size": {"dead": -2}}, InvalidEvent, r"field 'size': 'dead' is -2: a count cannot be"),
    ],
)
def test_bad_records(changes: dict[str, Any], error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        _one(**changes)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, "[" + "9" * 5000 + "]", '[{"a": 1}, ' + "[" * 100_000],
)
def test_hostile_json_arrays_are_parse_errors(text: str) -> None:
    with pytest.raises(ParseError, match=r"<stream>:1: not valid JSON"):
        import_plover(io.StringIO(text))


def test_hostile_json_lines_are_parse_errors() -> None:
    with pytest.raises(ParseError, match=r"<stream>:1: not valid JSON"):
        import_plover(io.StringIO('{"id": ' + "9" * 5000 + "}\n"))


def test_bad_lines_skip() -> None:
    src = io.StringIO(json.dumps(MANUAL) + "\n{oops\n" + json.dumps({**GSR, "event": "X"}) + "\n")
    tl, rep = import_plover(src, errors="collect", report=True)
    assert len(tl) == 1 and [(i.line, type(i.error)) for i in rep.issues] == [
        (2, ParseError),
        (3, InvalidEvent),
    ]


def test_not_an_object() -> None:
    with pytest.raises(InvalidEvent, match="must be a JSON object"):
        import_plover(io.StringIO("3\n"))
