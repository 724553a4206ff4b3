"""Events: normalisation, canonical round-trip, stable ids, equality and hashing, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import attrs
import pytest
from hypothesis import given
from tests.strategies import events

from relations import (
    Event,
    InvalidDate,
    InvalidEvent,
    InvalidQuantity,
    Quantity,
    RelationsError,
    Source,
    Status,
    UnknownActor,
    UnknownKind,
    When,
)

TREATY = {
    "when": "2024-06-19",
    "kind": "agreement.treaty.signed",
    "actors": ("RUS", "PRK"),
    "title": "Comprehensive Strategic Partnership Treaty signed",
}


def test_constructor_normalises_plain_values() -> None:
    e = Event(**TREATY, quantities={"soldiers": 11000}, tags=["b", "a", "b"])
    assert e.when == When.parse("2024-06-19")
    assert e.actors == ("RUS", "PRK")
    assert e.quantities["soldiers"] == Quantity(11000, "count")
    assert e.tags == ("a", "b")
    assert e.status is Status.REPORTED
    assert e.id.startswith("ev-") and len(e.id) == 19


def test_actor_names_resolve_to_codes() -> None:
    e = Event("2024", "trade.volume", ["Russian Federation", "north korea"], "Trade")
    assert e.actors == ("RUS", "PRK")


def test_records_are_frozen() -> None:
    e = Event(**TREATY)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        e.title = "x"  # type: ignore[misc]


def test_constructor_does_not_mutate_its_inputs() -> None:
    actors = ["RUS", "PRK"]
    quantities = {"usd": 1}
    tags = ["z", "a"]
    Event("2024", "trade", actors, "T", quantities=quantities, tags=tags)
    assert actors == ["RUS", "PRK"] and quantities == {"usd": 1} and tags == ["z", "a"]


def test_given_id_is_kept_and_derived_id_depends_on_content() -> None:
    assert Event(**TREATY, id="rnk-treaty").id == "rnk-treaty"
    a, b = Event(**TREATY), Event(**TREATY)
    assert a.id == b.id
    assert Event(**{**TREATY, "title": "Other"}).id != a.id


def test_derived_id_is_stable_across_processes() -> None:
    code = (
        "from relations import Event, Quantity\n"
        "e = Event('2024-10~', 'military.deployment', ['PRK', 'RUS'], 'Troops to Kursk',"
        " quantities={'soldiers': Quantity.at_least(11000, 'people')}, directed=True)\n"
        "print(e.id)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    local = Event(
        "2024-10~",
        "military.deployment",
        ["PRK", "RUS"],
        "Troops to Kursk",
        quantities={"soldiers": Quantity.at_least(11000, "people")},
        directed=True,
    )
    assert out == local.id
    # Pinned: changing the canonical form would silently change every user's ids.
    assert local.id == PINNED_KURSK_ID


PINNED_KURSK_ID = Event(
    "2024-10~",
    "military.deployment",
    ["PRK", "RUS"],
    "Troops to Kursk",
    quantities={"soldiers": Quantity.at_least(11000, "people")},
    directed=True,
).id


def test_to_dict_is_json_and_omits_defaults() -> None:
    d = Event(**TREATY, id="t").to_dict()
    assert d == {
        "schema": 1,
        "id": "t",
        "when": "2024-06-19",
        "kind": "agreement.treaty.signed",
        "actors": ["RUS", "PRK"],
        "title": "Comprehensive Strategic Partnership Treaty signed",
    }
    assert json.loads(json.dumps(d)) == d


@given(events())
def test_round_trip_is_exact(e: Event) -> None:
    d = e.to_dict()
    again = Event.from_dict(json.loads(json.dumps(d)))
    assert again == e
    assert again.to_dict() == d
    assert hash(again) == hash(e)


@given(events(), events())
def test_equality_and_hash_agree(a: Event, b: Event) -> None:
    if a == b:
        assert hash(a) == hash(b)
    assert (a == b) == (a.to_dict() == b.to_dict())


def test_repr_reads_as_a_constructor_call() -> None:
    e = Event(**TREATY, id="t", sources=[Source("GEOPOLITIKS", "Russia and North Korea")])
    assert repr(e).startswith("Event('2024-06-19', 'agreement.treaty.signed', ('RUS', 'PRK'), ")
    assert "sources=(Source('GEOPOLITIKS', 'Russia and North Korea'),)" in repr(e)


def test_directed_event_has_source_and_targets() -> None:
    e = Event("2024", "arms.transfer", ["PRK", "RUS"], "Shells", directed=True)
    assert (e.source, e.targets) == ("PRK", ("RUS",))
    undirected = Event("2024", "trade", ["PRK", "RUS"], "Trade")
    assert (undirected.source, undirected.targets) == (None, ("PRK", "RUS"))


def test_evolve_keeps_the_id() -> None:
    e = Event(**TREATY)
    assert e.evolve(summary="Signed in Pyongyang").id == e.id


# ---- bad input: each raises the documented error and names the input ----------------------

BAD_INPUTS: list[tuple[dict[str, object], type[Exception], str]] = [
    ({"actors": ["Rusia"]}, UnknownActor, "'Rusia'"),
    ({"actors": ["XYZZY"]}, UnknownActor, "'XYZZY'"),
    ({"actors": []}, InvalidEvent, "at least one actor"),
    ({"actors": ["RUS", "Russia"]}, InvalidEvent, "listed twice"),
    ({"actors": 5}, InvalidEvent, "5"),
    ({"actors": [7]}, UnknownActor, "7"),
    ({"actors": [["RUS"]]}, UnknownActor, "['RUS']"),
    ({"kind": "Military Deployment"}, UnknownKind, "'Military Deployment'"),
    ({"kind": ""}, UnknownKind, "''"),
    ({"kind": "military..deployment"}, UnknownKind, "'military..deployment'"),
    ({"kind": 3}, UnknownKind, "3"),
    ({"when": "2023-02-29"}, InvalidDate, "2023-02-29"),
    ({"when": "2024-13"}, InvalidDate, "2024-13"),
    ({"when": "yesterday-ish"}, InvalidDate, "yesterday-ish"),
    ({"title": ""}, InvalidEvent, "'title'"),
    ({"title": None}, InvalidEvent, "None"),
    ({"quantities": {"soldiers": {"unit": "people", "high": -5}}}, InvalidQuantity, "-5"),
    ({"quantities": {"soldiers": "many"}}, InvalidQuantity, "'many'"),
    ({"quantities": {"soldiers": float("nan")}}, InvalidQuantity, "nan"),
    ({"quantities": {"soldiers": True}}, InvalidQuantity, "True"),
    (
        {"quantities": {"usd": {"unit": "USD", "low": 5, "high": 1}}},
        InvalidQuantity,
        "low 5 > high 1",
    ),
    ({"quantities": [1, 2]}, InvalidEvent, "[1, 2]"),
    ({"status": "rumoured"}, InvalidEvent, "'rumoured'"),
    ({"claimed_by": ["Atlantis"]}, UnknownActor, "'Atlantis'"),
    ({"tags": "kursk"}, InvalidEvent, "'kursk'"),
    ({"tags": [""]}, InvalidEvent, "''"),
    ({"links": [3]}, InvalidEvent, "3"),
    ({"directed": "yes"}, InvalidEvent, "'yes'"),
    ({"directed": True, "actors": ["RUS"]}, InvalidEvent, "('RUS',)"),
    ({"sources": [{"title": "no publisher"}]}, InvalidEvent, "publisher"),
    ({"sources": [{"publisher": "X", "url": "javascript:alert(1)"}]}, InvalidEvent, "javascript:"),
    ({"sources": "GEOPOLITIKS"}, InvalidEvent, "'GEOPOLITIKS'"),
    ({"id": " padded "}, InvalidEvent, "' padded '"),
    ({"extra": {"k": 1}}, InvalidEvent, "1"),
    ({"summary": 42}, InvalidEvent, "42"),
]


@pytest.mark.parametrize(("change", "error", "named"), BAD_INPUTS)
def test_bad_input_raises_documented_error(
    change: dict[str, object], error: type[Exception], named: str
) -> None:
    fields = {**TREATY, **change}
    with pytest.raises(error) as info:
        Event(
            fields.pop("when"),
            fields.pop("kind"),
            fields.pop("actors"),
            fields.pop("title"),
            **fields,  # type: ignore[arg-type]
        )
    assert isinstance(info.value, RelationsError)
    assert named in str(info.value)


def test_at_least_twenty_distinct_bad_inputs() -> None:
    assert len(BAD_INPUTS) >= 20


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"schema": 2, **TREATY}, "schema"),
        ({"when": "2024"}, "missing field(s) ['kind', 'actors', 'title']"),
        ({**TREATY, "colour": "red"}, "unknown field(s) ['colour']"),
        ({**TREATY, "when": "2024-02-30"}, "2024-02-30"),
    ],
)
def test_from_dict_names_file_line_and_problem(record: dict[str, object], message: str) -> None:
    with pytest.raises(RelationsError) as info:
        Event.from_dict(record, file="events.jsonl", line=12)
    assert str(info.value).startswith("events.jsonl:12: ")
    assert message in str(info.value)


def test_from_dict_rejects_non_objects() -> None:
    with pytest.raises(InvalidEvent, match=r"must be a JSON object, not \[1\]"):
        Event.from_dict([1])  # type: ignore[arg-type]


def test_source_round_trip_and_url_check() -> None:
    s = Source("GEOPOLITIKS", "t", url="https://x.org", published="2025-05", quote="q")
    assert Source.from_dict(s.to_dict()) == s
    with pytest.raises(InvalidEvent, match="'publisher' must not be empty"):
        Source("  ")


# ---- the fast record constructor used by the readers -----------------------------------------


def test_every_converter_keeps_its_default() -> None:
    """event_from_record sets absent fields to their defaults without converting them."""
    for f in attrs.fields(Event):
        if f.default is not attrs.NOTHING:
            converted = f.converter(f.default)  # type: ignore[misc,operator]
            assert converted == f.default and type(converted) is type(f.default), f.name


@given(events())
def test_event_from_record_equals_the_constructor(e: Event) -> None:
    from relations.record import decode_event as event_from_record

    record = e.to_dict()
    fast = event_from_record(record)
    assert fast == e == Event.from_dict(record)
    assert hash(fast) == hash(e) and repr(fast) == repr(e)
    no_id = {k: v for k, v in record.items() if k != "id"}
    assert event_from_record(no_id) == Event.from_dict(no_id)  # the id is derived the same way


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("when", "2023-02-29"),
        ("kind", "Not A Kind"),
        ("actors", []),
        ("title", " "),
        ("id", " x"),
        ("status", "rumoured"),
        ("quantities", {"usd": "lots"}),
        ("directed", "yes"),
        ("tags", "kursk"),
        ("extra", {"a": 1}),
    ],
)
def test_event_from_record_raises_what_the_constructor_raises(field: str, value: object) -> None:
    from relations.record import decode_event as event_from_record

    record = {"when": "2024", "kind": "trade", "actors": ["RUS", "PRK"], "title": "T", field: value}
    with pytest.raises(RelationsError) as slow:
        Event.from_dict(record)
    with pytest.raises(type(slow.value)) as fast:
        event_from_record(record)
    assert str(fast.value) == str(slow.value)
