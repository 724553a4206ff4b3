"""The Relationship projection over the bundled Russia–North Korea dataset and small timelines."""

from __future__ import annotations

import pytest

from relations import Event, Quantity, Source, UnknownActor
from relations.errors import InvalidArgument
from relations.projections import fold
from relations.relationship import Agreement, Relationship, RelationshipState
from relations.store import MemoryStore
from relations.testing import ManualClock
from relations.timeline import Timeline, load

TREATY_2024 = "Comprehensive Strategic Partnership Treaty"


@pytest.fixture(scope="module")
def rel() -> Relationship:
    return Relationship.of("RUS", "PRK")


def test_end_of_2024_has_the_treaty_in_force_and_troops_in_kursk(rel: Relationship) -> None:
    state = rel.as_of("2024-12-31")
    in_force = [a.name for a in state.agreements_in_force]
    assert any(TREATY_2024 in name for name in in_force)
    troops = state.troops()
    assert ("PRK", "RUS") in troops
    assert troops["PRK", "RUS"].lower >= 10_000
    assert troops["PRK", "RUS"].unit == "people"
    kursk = [e for e in state.active_deployments if "Kursk" in e.title]
    assert kursk and all(e.sources for e in kursk)  # with sources
    text = str(state)
    assert "as of 2024-12-31" in text
    assert TREATY_2024 in text.split("Agreements in force:")[1].split("Agreements ended")[0]
    assert "PRK → RUS" in text


def test_mid_2024_has_neither(rel: Relationship) -> None:
    state = rel.as_of("2024-06-01")
    assert not any(TREATY_2024 in a.name for a in state.agreements_in_force)
    assert state.troops() == {}
    assert not state.active_deployments
    assert "Troops deployed: none" in str(state)


def test_agreement_lifecycles(rel: Relationship) -> None:
    by_name = {a.name: a for a in rel.as_of("2024-12-31").agreements}
    treaty = next(a for n, a in by_name.items() if TREATY_2024 in n)
    assert str(treaty.signed) == "2024-06-19"  # the confirmed date, not the disputed 18 June
    assert str(treaty.in_force) == "2024-12-04"
    assert treaty.ratified  # Duma, Federation Council, Putin, Kim
    assert treaty.in_force_on("2024-12-04") and not treaty.in_force_on("2024-12-03")
    old = next(a for n, a in by_name.items() if "Good-Neighbourliness" in n)
    assert old.status == "ended"
    assert str(old.ended) == "2024-12-04"
    before = {a.name: a for a in rel.as_of("2024-06-01").agreements}
    # the 2000 treaty was in force (from a day not found, shown as a set of days) until 2024
    assert next(a for n, a in before.items() if "Good-Neighbourliness" in n).status == "in force"
    soviet = next(a for n, a in by_name.items() if "1961" in str(a.signed))
    assert soviet.status == "ended"
    assert (str(soviet.in_force), str(soviet.ended), soviet.how_ended) == (
        "1961-09-10",
        "1996-09-10",
        "lapsed",
    )  # one process: notice in 1995, lapse in 1996; not two rival end dates
    assert "ended 1996-09-10 (lapsed)" in str(soviet)
    assert old.how_ended == "superseded"


def test_the_ussr_counts_for_russia(rel: Relationship) -> None:
    state = rel.as_of("1962")
    assert [str(a.signed) for a in state.agreements] == ["1961-07-06"]
    assert state.agreements[0].events[0].actors[0] == "SUN"


def test_debt_trade_transfers_vetoes_sanctions(rel: Relationship) -> None:
    state = rel.as_of("2024-12-31")
    debt = state.debt_outstanding
    assert debt is not None
    amount, source = debt
    assert amount.unit == "USD" and 1.0e9 <= float(amount) <= 1.2e9
    assert str(source.when) == "2012-09-17"
    assert rel.as_of("2011").debt_outstanding is None
    trade = state.trade_by_year
    assert trade[2023] == Quantity(34_400_000, "USD")
    assert 2024 in trade
    assert 2024 not in rel.as_of("2024-06-01").trade_by_year  # the year was not over yet
    assert any(e.kind == "arms.transfer" for e in state.transfers_from("PRK"))
    assert any(e.kind == "technology.transfer" for e in state.transfers_from("RUS"))
    assert all(e.actors[0] in ("RUS", "SUN") for e in state.transfers_from("Russia"))
    assert len(state.vetoes) >= 2
    assert len(rel.as_of("2023").vetoes) < len(state.vetoes)
    assert any(e.actors[0] == "UNSC" for e in state.sanctions)  # linked context


def test_casualties_count_once_their_period_is_over(rel: Relationship) -> None:
    assert rel.as_of("2024-12-31").latest_casualties is None
    feb = rel.as_of("2025-02-01")
    latest = feb.latest_casualties
    assert latest is not None
    assert latest.quantities["casualties"].lower >= 3_000
    assert latest.sources
    assert all(e.hi <= When_hi("2025-02-01") for e in feb.casualties)


def When_hi(day: str) -> int:
    from relations import When

    return When(day).hi


def test_small_timeline_and_fold_agree() -> None:
    tl = Timeline(
        [
            Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Pact signed", id="s"),
            Event("2024-12-04", "agreement.treaty.in_force", ["RUS", "PRK"], "Pact", links=["s"]),
            Event("2024-10/2025-02", "military.deployment", ["PRK", "RUS"], "Troops",
                  directed=True, quantities={"soldiers": Quantity.at_least(11_000, "people")}),
            Event("2025-01", "military.deployment", ["PRK", "RUS"], "More troops",
                  directed=True, quantities={"soldiers": Quantity.about(3_000, "people")}),
            Event("2024", "trade.volume", ["RUS", "PRK"], "Trade",
                  quantities={"trade_usd": Quantity.exact(34_000_000, "USD")}),
            Event("2024", "trade.volume", ["USA", "PRK"], "Not this pair",
                  quantities={"trade_usd": Quantity.exact(1, "USD")}),
        ]
    )  # fmt: skip
    rel = Relationship("RUS", "PRK", timeline=tl)
    jan = rel.as_of("2025-01-31")
    assert jan == fold(tl, Relationship("RUS", "PRK"), as_of="2025-01-31")
    assert jan.count == 5
    assert jan.troops() == {("PRK", "RUS"): Quantity(None, "people", low=14_000, approximate=True)}
    assert rel.as_of("2025-03-01").troops() == {}  # both deployments over by March
    assert [a.name for a in jan.agreements_in_force] == ["Pact"]
    assert dict(jan.trade_by_year) == {2024: Quantity.exact(34_000_000, "USD")}
    assert hash(jan) == hash(fold(tl, Relationship("RUS", "PRK"), as_of="2025-01-31"))
    assert isinstance(jan, RelationshipState)


def test_agreement_without_a_signing_and_an_empty_state() -> None:
    a = Agreement.from_events(
        [Event("2014-04", "agreement.treaty.ratified", ["RUS", "PRK"], "Ratified", id="r")]
    )
    assert (a.status, a.signed, a.id) == ("ratified", None, "r")
    empty = Relationship("RUS", "PRK", timeline=Timeline()).as_of(None)
    text = str(empty)
    assert "as of now (0 events)" in text
    assert "Agreements in force: none" in text


def test_bad_pairs() -> None:
    with pytest.raises(InvalidArgument, match="two different actors"):
        Relationship("RUS", "Russia")
    with pytest.raises(UnknownActor):
        Relationship("RUS", "Atlantis")


def test_what_we_knew_composes_with_valid_time() -> None:
    clock = ManualClock("2025-01-15T00:00:00Z", step=0)
    store = MemoryStore(clock=clock)
    store.append("rus-prk", list(load("russia-north-korea")))
    event_id = "rnk-2024-12-dprk-casualties-about-4000"
    clock.set("2025-03-01T00:00:00Z")
    store.correct(
        event_id,
        {"quantities.casualties": Quantity.about(4_500, "people")},
        "illustrative revision",
        source=Source("Test"),
    )
    then = Relationship("RUS", "PRK", timeline=store.timeline(known_at="2025-02-01"))
    now = Relationship("RUS", "PRK", timeline=store.timeline())
    pick = [e for e in then.as_of("2025-02-01").casualties if e.id == event_id]
    assert pick[0].quantities["casualties"] == Quantity.about(4_000, "people")
    pick = [e for e in now.as_of("2025-02-01").casualties if e.id == event_id]
    assert pick[0].quantities["casualties"] == Quantity.about(4_500, "people")
