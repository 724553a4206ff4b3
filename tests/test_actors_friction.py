"""Issue 19, actors: the names political-science data uses, COW/GW codes, states by date."""

from __future__ import annotations

import pytest

from relations.actors import Actor, all_actors, predecessors_of, resolve_code, successors_of
from relations.errors import UnknownActor


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Republic of Korea", "KOR"),
        ("Korea, South", "KOR"),
        ("S. Korea", "KOR"),
        ("South Korean", "KOR"),
        ("Korea, North", "PRK"),
        ("N. Korea", "PRK"),
        ("North Korean", "PRK"),
        ("Burma", "MMR"),
        ("Ivory Coast", "CIV"),
        ("Swaziland", "SWZ"),
        ("Kosovo", "XKX"),
        ("Palestine", "PSE"),
        ("Vatican", "VAT"),
        ("Holy See", "VAT"),
        ("Russian", "RUS"),
        ("Democratic Republic of the Congo", "COD"),
        ("Cape Verde", "CPV"),
        ("Yugoslavia", "YUG"),
        ("GDR", "DDR"),
        ("East Germany", "DDR"),
        ("Czechoslovakia", "CSK"),
        ("Serbia and Montenegro", "SCG"),
        ("South Vietnam", "RVN"),
        ("North Yemen", "YAR"),
        ("South Yemen", "YMD"),
        ("Zaire", "ZAR"),
    ],
)
def test_names_of_political_science_data(name: str, code: str) -> None:
    assert resolve_code(name) == code


def test_historical_states_have_dates_and_successors() -> None:
    gdr = Actor.resolve("GDR")
    assert gdr.kind == "historical" and gdr.successor == "DEU"
    assert str(gdr.existed) == "1949-10-07/1990-10-02"
    assert str(gdr.successor_from) == "1990-10-03"
    assert successors_of("YUG") == ("SCG", "SRB")
    assert "YUG" in predecessors_of("SRB")
    assert Actor.resolve("USSR").existed is not None
    assert Actor.resolve("Czechoslovakia").successor is None  # dissolved into equals


def test_existing_resolution_is_unchanged() -> None:
    assert resolve_code("RUS") == "RUS"
    assert resolve_code("USSR") == "SUN"
    assert successors_of("SUN") == ("RUS",)
    assert predecessors_of("RUS") == ("SUN",)


@pytest.mark.parametrize(
    ("name", "on", "code"),
    [
        ("RUS", "1982", "SUN"),  # GDELT's 1982 RUS rows
        ("RUS", "1991-12-25", "SUN"),
        ("RUS", "1991-12-26", "RUS"),
        ("RUS", "1991", "RUS"),  # only a date certainly before the change goes back
        ("RUS", "2024-06-19", "RUS"),
        ("Ukraine", "1970", "SUN"),
        ("Estonia", "1985", "SUN"),
        ("Slovakia", "1980", "CSK"),
        ("SRB", "2000", "SCG"),
        ("SRB", "1985", "YUG"),
        ("Croatia", "1985", "YUG"),
        ("DEU", "1980", "DEU"),  # West Germany is Germany
        ("PRK", "1982", "PRK"),
        ("Yemen", "1980", "YAR"),
    ],
)
def test_resolution_by_date(name: str, on: str, code: str) -> None:
    assert resolve_code(name, on=on) == code


@pytest.mark.parametrize(
    ("scheme", "value", "code"),
    [
        ("cow", 365, "RUS"),
        ("cow", "365", "RUS"),
        ("cow", "RUS", "RUS"),
        ("cow", "GFR", "DEU"),
        ("cow", 260, "DEU"),
        ("cow", 255, "DEU"),
        ("cow", "ROK", "KOR"),
        ("cow", 732, "KOR"),
        ("cow", 731, "PRK"),
        ("cow", "GDR", "DDR"),
        ("cow", 315, "CSK"),
        ("cow", 347, "XKX"),
        ("cow", 970, "NRU"),
        ("gw", 970, "KIR"),
        ("gw", 340, "SRB"),
        ("gw", 260, "DEU"),
        ("gw", 365, "RUS"),
        ("gw", 678, "YEM"),
        ("cow", 678, "YAR"),
    ],
)
def test_cow_and_gw_codes_are_explicit(scheme: str, value: int | str, code: str) -> None:
    assert resolve_code(value, scheme=scheme) == code
    found = Actor.from_cow(value) if scheme == "cow" else Actor.from_gw(value)
    assert found.code == code


def test_cow_codes_by_date() -> None:
    assert resolve_code(365, scheme="cow", on="1982") == "SUN"
    assert Actor.from_cow(345, on="1985").code == "YUG"
    assert Actor.from_gw(678, on="1980").code == "YAR"


def test_cow_letter_codes_do_not_overload_iso() -> None:
    # COW's KOR is the Korean Empire (1887-1905), ISO's KOR is South Korea
    assert resolve_code("KOR") == "KOR"
    with pytest.raises(UnknownActor, match="Korea, a state relations does not register"):
        resolve_code("KOR", scheme="cow")
    with pytest.raises(UnknownActor, match="unknown GW code 679"):
        Actor.from_gw(679)
    with pytest.raises(UnknownActor, match="unknown code scheme 'iso'"):
        resolve_code("RUS", scheme="iso")


def test_every_cow_state_since_1945_resolves() -> None:
    import csv
    import importlib.resources

    text = importlib.resources.files("relations").joinpath("actor_data", "cow_gw_codes.csv")
    rows = csv.DictReader(x for x in text.read_text().splitlines() if not x.startswith("#"))
    codes = {a.code for a in all_actors()}
    for row in rows:
        if row["code"]:
            assert row["code"] in codes, row
