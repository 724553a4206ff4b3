"""Actors: resolution from codes, names and aliases; suggestions; registration; succession."""

from __future__ import annotations

import pytest

from relations import Actor, InvalidEvent, UnknownActor
from relations.actors import (
    all_actors,
    predecessors_of,
    register,
    resolve_code,
    successors_of,
    unregister,
)


@pytest.mark.parametrize(
    "name", ["Russia", "RU", "RUS", "Russian Federation", "russia", " RUSSIA "]
)
def test_russia_by_every_name(name: str) -> None:
    assert Actor.resolve(name) is Actor.resolve("RUS")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("North Korea", "PRK"),
        ("DPRK", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("KP", "PRK"),
        ("South Korea", "KOR"),
        ("United States", "USA"),
        ("US", "USA"),
        ("Ukraine", "UKR"),
        ("Georgia", "GEO"),
        ("China", "CHN"),
        ("United Nations", "UN"),
        ("Security Council", "UNSC"),
        ("NATO", "NATO"),
        ("USSR", "SUN"),
        ("Soviet Union", "SUN"),
    ],
)
def test_common_names(name: str, code: str) -> None:
    assert resolve_code(name) == code


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(UnknownActor) as info:
        Actor.resolve("Rusia")
    assert "'Rusia'" in str(info.value) and "Russia" in str(info.value)
    assert isinstance(info.value, KeyError)


def test_unknown_name_without_close_match_says_how_to_register() -> None:
    with pytest.raises(UnknownActor, match="register"):
        Actor.resolve("Qwxyz Zzz")


def test_non_string_is_rejected_clearly() -> None:
    with pytest.raises(UnknownActor, match="not 7"):
        resolve_code(7)  # type: ignore[arg-type]


def test_register_and_unregister_a_custom_actor() -> None:
    register(Actor("WAGNER", "Wagner Group", aliases=("PMC Wagner",), kind="group"))
    try:
        assert resolve_code("pmc wagner") == "WAGNER"
        with pytest.raises(InvalidEvent, match="already registered"):
            register(Actor("WAGNER", "Wagner"))
        with pytest.raises(InvalidEvent, match="already means 'RUS'"):
            register(Actor("RUS2", "Russia"))
    finally:
        unregister("WAGNER")
    with pytest.raises(UnknownActor):
        resolve_code("pmc wagner")


def test_succession() -> None:
    ussr = Actor.resolve("USSR")
    assert ussr.successor == "RUS" and str(ussr.successor_from) == "1991-12-26"
    assert successors_of("SUN") == ("RUS",)
    assert predecessors_of("RUS") == ("SUN",)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "rus", "name": "x"}, "upper-case"),
        ({"code": "X", "name": "x"}, "upper-case"),
        ({"code": "ABC", "name": " "}, "empty"),
        ({"code": "ABC", "name": "x", "kind": "planet"}, "'planet'"),
    ],
)
def test_bad_actor_records(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        Actor(**kwargs)  # type: ignore[arg-type]


def test_every_iso_state_is_known() -> None:
    codes = {a.code for a in all_actors()}
    # the 249 states of ISO 3166-1, and Kosovo (XKX), which ISO does not list (issue 19)
    assert len([a for a in all_actors() if a.kind == "state"]) == 250
    assert {"RUS", "PRK", "KOR", "UN", "NATO", "EU", "SUN"} <= codes


def test_actor_repr_and_hash() -> None:
    a = Actor("WAG", "Wagner", kind="group")
    assert repr(a) == "Actor('WAG', 'Wagner', kind='group')"
    assert hash(a) == hash(Actor("WAG", "Wagner", kind="group"))
