"""The bundled Russia–North Korea dataset: it loads, validates, is sourced, and covers the article.

``ARTICLE_CLAIMS`` maps every dated sentence or claim of the seed article (a short quote) to the
events that record it; ``COUNTERPARTS`` maps each disputed or claimed article event to the
better-sourced events beside it. See docs/datasets/russia-north-korea.md.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from relations import Event, When
from relations.datasets import datasets, load
from relations.errors import UnknownDataset
from relations.kinds import VOCABULARY

NAME = "russia-north-korea"
PUBLISHER = "GEOPOLITIKS"
ARTICLE_TITLE = "Russia and North Korea: the renewed comradery."
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_466b4b25cc69f09b.txt"

# Every dated sentence or claim of the article → the events that record it.
ARTICLE_CLAIMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "President Putin and North Korea’s leader Kim Jong Un after signing the new partnership "
        "in Pyongyang",
        ("rnk-2024-06-19-treaty-signed",),
    ),
    (
        "Ukraine claims that North Korea could send up to 30 000 soldiers to help Russia.",
        ("rnk-2025-07-02-ukraine-says-30000-more-troops",),
    ),
    ("The U.S. announced a pause in military aid", ("rnk-2025-07-01-us-pauses-weapons-shipments",)),
    (
        "At the same time, Russia is intensifying its drone and missiles attacks on Ukraine.",
        ("rnk-2025-06-russia-intensifies-strikes",),
    ),
    (
        "North Korea and the Soviet Union had a strong relationship during the Cold War.",
        ("rnk-1948-10-12-ussr-dprk-relations", "rnk-1961-07-06-treaty-signed"),
    ),
    ("The Soviets occupied North Korea", ("rnk-1945-08-soviet-occupation",)),
    ("helped set up the regime", ("rnk-1948-09-09-dprk-founded",)),
    (
        "gave its support during the Korean war",
        ("rnk-1950-06-25-soviet-support-korean-war",),
    ),
    (
        "But when the Soviet Union collapsed, the relationship weakened.",
        ("rnk-1991-12-26-ussr-dissolved", "rnk-1991-ties-weaken"),
    ),
    (
        "When President Putin came to power, the ties slowly began to return.",
        ("rnk-2000-ties-slowly-return",),
    ),
    ("They grew stronger after 2008", ("rnk-2008-ties-grow-stronger",)),
    (
        "when Russia was punished by the UN for its actions in Georgia",
        ("rnk-2008-un-punishes-russia-claim",),
    ),
    (
        "However, the war in Ukraine became the real turning point.",
        ("rnk-2022-02-24-russia-invades-ukraine", "rnk-2022-ties-turning-point"),
    ),
    (
        "That war pushed Russia and North Korea to build a much closer partnership.",
        ("rnk-2022-ties-turning-point",),
    ),
    (
        "In June 2024, Russia and North Korea signed the Comprehensive Strategic Partnership "
        "Treaty.",
        ("rnk-2024-06-19-treaty-signed",),
    ),
    (
        "It includes a mutual defense clause, meaning that they must support each other if "
        "attacked.",
        ("rnk-2024-06-19-treaty-signed",),
    ),
    (
        "Later that year, North Korea sent over 11 000 soldiers to fight in the Kursk region.",
        ("rnk-2024-10-dprk-troops-deployed-kursk",),
    ),
    (
        "About 4 000 of them were killed or injured.",
        ("rnk-2024-12-dprk-casualties-about-4000",),
    ),
    (
        "This is the country’s first foreign deployment since the Korean War.",
        ("rnk-2024-10-first-deployment-since-korean-war-claim",),
    ),
    (
        "North Korea also supplied large quantities of materials",
        ("rnk-2023-09-dprk-arms-to-russia",),
    ),
    ("Artillery shells", ("rnk-2023-09-dprk-arms-to-russia",)),
    ("Rockets", ("rnk-2023-09-dprk-arms-to-russia",)),
    ("Missiles.", ("rnk-2023-09-dprk-arms-to-russia",)),
    (
        "North Korean supplies are assessed to make up over half of Russian artillery ammo used "
        "in Ukraine.",
        ("rnk-2024-10-04-half-of-russian-shells-assessment",),
    ),
    (
        "Pyongyang also sent thousands of workers to Russia to serve as workforce for the drone "
        "industry.",
        ("rnk-2025-07-dprk-workers-drone-industry",),
    ),
    (
        "Russia nearly doubled its output capacity and diversified from Iran’s supply.",
        ("rnk-2025-07-dprk-workers-drone-industry",),
    ),
    ("Pantsir air-defense systems", ("rnk-2024-11-pantsir-to-dprk",)),
    ("Drones", ("rnk-2025-06-17-ukraine-says-drone-know-how-to-dprk",)),
    ("Electronic warfare knowledge", ("rnk-2024-11-ew-to-dprk",)),
    ("Satellite imagery", ("rnk-2025-07-satellite-imagery-article",)),
    ("Missile guidance", ("rnk-2024-missile-guidance-to-dprk",)),
    (
        "Their parliaments and diplomats often hold meetings.",
        ("rnk-2024-05-23-parliamentary-meeting", "rnk-2024-11-04-choe-lavrov-moscow"),
    ),
    (
        "Russia uses its veto power at the UN to block sanctions against North Korea.",
        (
            "rnk-2022-05-26-russia-china-veto-dprk-sanctions",
            "rnk-2024-03-28-russia-vetoes-panel-of-experts",
        ),
    ),
    (
        "In return, North Korea supports Russia’s action in Ukraine.",
        ("rnk-2022-07-13-dprk-recognises-dpr-lpr",),
    ),
    (
        "It even recognized Russia’s annexation of Crimea",
        ("rnk-2017-10-12-dprk-recognises-crimea-russian",),
    ),
    (
        "did not stand against the latest invasion",
        ("rnk-2022-03-02-dprk-votes-against-es-11-1",),
    ),
    (
        "About 6 000 deminers and construction workers are helping rebuild the city of Kursk.",
        ("rnk-2025-07-dprk-workers-rebuild-kursk",),
    ),
    (
        "Thousands are also working in forests and mines in the Far East.",
        ("rnk-2025-dprk-workers-forests-mines",),
    ),
    (
        "The two countries also started student exchange programs.",
        ("rnk-2024-08-21-mgimo-students-pyongyang",),
    ),
    (
        "Russia canceled 90% of North Korea’s cold war debt in 2012.",
        ("rnk-2012-debt-cancelled-article",),
    ),
    ("That was about $10 billion.", ("rnk-2012-debt-cancelled-article",)),
    (
        "But trade rocketed after the war in Ukraine.",
        ("rnk-2022-trade-volume", "rnk-2025-trade-volume-article"),
    ),
    (
        "It went from $3,8 million in 2022 to $52,9 million in 2025.",
        ("rnk-2022-trade-volume", "rnk-2025-trade-volume-article"),
    ),
    ("North Korea mostly sells weapons to Russia.", ("rnk-2023-09-dprk-arms-to-russia",)),
    (
        "In return, it gets currencies, oil, gas, food, and technologies.",
        ("rnk-2024-03-russian-oil-to-dprk",),
    ),
    (
        "Russia is also building a rail bridge over the Tumen River connecting the two countries.",
        ("rnk-2025-04-30-tumen-bridge-article",),
    ),
    ("This $111 million project aims at", ("rnk-2025-04-30-tumen-bridge-article",)),
    (
        "It helps the country get around UN sanctions and trade bans.",
        ("rnk-2024-03-russian-oil-to-dprk",),
    ),
    (
        "In return for weapons, North Korea gets fuel, food, and new technology.",
        ("rnk-2024-03-russian-oil-to-dprk", "rnk-2023-09-dprk-arms-to-russia"),
    ),
    (
        "This cooperation boosts its missile accuracy, surveillance abilities and combat training.",
        ("rnk-2024-missile-guidance-to-dprk",),
    ),
)

# Sentences of the article that state no datable fact (stances, opinions): not events.
NOT_EVENTS: tuple[str, ...] = (
    "President Poutine isn’t open to peace talks",
    "Both stand up against the West.",
    "China has been its main partner and protector for a long time.",
    "This help reduce shortages that could cause unrest among the people.",
    "worry South Korea, Japan, and Western nations",
)

# Disputed or claimed article events → their better-sourced counterparts, and whether the
# counterpart links back (True) or the link is one way (False: the counterpart is documented
# on its own and does not depend on the article's claim).
COUNTERPARTS: dict[str, dict[str, bool]] = {
    "rnk-2008-un-punishes-russia-claim": {
        "rnk-2008-08-07-russia-georgia-war": True,
        "rnk-2008-08-26-russia-recognises-abkhazia-south-ossetia": True,
    },
    "rnk-2008-ties-grow-stronger": {
        "rnk-2011-08-24-ulan-ude-summit": False,
        "rnk-2012-09-17-debt-agreement-signed": False,
    },
    "rnk-2024-10-first-deployment-since-korean-war-claim": {
        "rnk-1966-10-dprk-pilots-to-north-vietnam": True,
        "rnk-2024-10-dprk-troops-deployed-kursk": True,
    },
    "rnk-1996-1961-treaty-not-denounced-claim": {"rnk-1996-09-10-1961-treaty-lapsed": True},
    "rnk-2012-debt-cancelled-article": {"rnk-2012-09-17-debt-agreement-signed": True},
    "rnk-2025-trade-volume-article": {
        "rnk-2024-trade-volume": False,
        "rnk-2023-trade-volume": False,
    },
    "rnk-2025-04-30-tumen-bridge-article": {
        "rnk-2025-04-30-tumen-road-bridge-construction": True,
    },
    "rnk-2025-07-dprk-workers-rebuild-kursk": {"rnk-2025-06-17-deminers-builders-announced": False},
    "rnk-2025-07-dprk-workers-drone-industry": {
        "rnk-2025-06-19-nhk-drone-workers-plan": False,
        "rnk-2025-11-ukraine-says-12000-drone-workers": False,
    },
    "rnk-2025-07-satellite-imagery-article": {"rnk-2023-11-russia-helps-dprk-satellite": False},
    "rnk-2024-12-dprk-casualties-about-4000": {
        "rnk-2025-01-05-zelensky-casualties-3800": True,
        "rnk-2025-01-13-nis-casualties-3000": True,
        "rnk-2025-04-30-nis-casualties-4700": True,
        "rnk-2025-06-ukmod-casualties-6000": True,
    },
}

# Kinds used here that are not (yet) in relations.kinds.VOCABULARY; see the dataset card.
EXTRA_KINDS = frozenset(
    {
        "state.founded",
        "state.dissolved",
        "agreement.treaty.submitted",
        "agreement.treaty.notice",
        "agreement.treaty.ended.lapsed",
        "agreement.treaty.ended.superseded",
        "occupation.annexation",
        "military.deployment.announced",
        "diplomacy.relations_weakened.severed",
    }
)

# One unit per quantity name across the dataset.
QUANTITY_UNITS = {
    "soldiers": "people",
    "soldiers_in_russia": "people",
    "casualties": "people",
    "killed": "people",
    "wounded": "people",
    "workers": "people",
    "deminers": "people",
    "construction_workers": "people",
    "students": "people",
    "trade_usd": "USD",
    "debt_total_usd": "USD",
    "debt_written_off_usd": "USD",
    "debt_remaining_usd": "USD",
    "debt_written_off_share": "percent",
    "cost_usd": "USD",
    "bridge_length_m": "m",
    "artillery_shells": "rounds",
    "ballistic_missiles": "count",
    "containers": "count",
    "oil_barrels": "barrels",
    "share_of_russian_artillery_ammunition": "percent",
    "votes_for": "votes",
    "votes_against": "votes",
    "abstentions": "votes",
}

_ID_RE = re.compile(r"^rnk-(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?-[a-z0-9]+(?:-[a-z0-9]+)*$")


def _lines() -> Iterator[tuple[int, str]]:
    text = resources.files("relations.datasets").joinpath(NAME + ".jsonl").read_text("utf-8")
    yield from enumerate(text.splitlines(), start=1)


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return [json.loads(line) for _, line in _lines()]


@pytest.fixture(scope="module")
def events(records: list[dict[str, Any]]) -> dict[str, Event]:
    return {r["id"]: Event.from_dict(r) for r in records}


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"seed article missing under CI: {SEED}")
        pytest.skip(f"seed article not found at {SEED}")
    return re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8"))


def _article_sources(e: Event) -> list[Any]:
    return [s for s in e.sources if s.publisher == PUBLISHER]


# ---- format ---------------------------------------------------------------------------------
def test_every_line_is_a_schema_1_json_object() -> None:
    for number, line in _lines():
        record = json.loads(line)
        assert isinstance(record, dict), number
        assert record["schema"] == 1, number


def test_lines_are_canonical_and_validate() -> None:
    for number, line in _lines():
        record = json.loads(line)
        event = Event.from_dict(record, file=NAME, line=number)
        assert event.to_dict() == record, f"line {number} is not in canonical form"


def test_ids_unique_readable_and_dated(records: list[dict[str, Any]]) -> None:
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    for r in records:
        m = _ID_RE.match(r["id"])
        assert m, r["id"]
        stamp = "-".join(part for part in m.groups() if part)
        named, when = When.parse(stamp), When.parse(r["when"])
        # the date in the id lies within the event's dates (start, or as-of date of an estimate)
        assert named.lo <= when.hi and when.lo <= named.hi, (r["id"], r["when"])


def test_sorted_chronologically(events: dict[str, Event]) -> None:
    ordered = list(events.values())
    assert ordered == sorted(ordered, key=lambda e: (e.lo, e.hi, e.id))


def test_every_event_has_a_source(events: dict[str, Event]) -> None:
    for e in events.values():
        assert e.sources, e.id
        assert all(s.publisher.strip() for s in e.sources), e.id


def test_links_resolve(events: dict[str, Event]) -> None:
    for e in events.values():
        for link in e.links:
            assert link in events, (e.id, link)
            assert link != e.id


def test_kinds_are_standard_or_documented(events: dict[str, Event]) -> None:
    used = {e.kind for e in events.values()}
    assert used <= set(VOCABULARY) | EXTRA_KINDS, used - set(VOCABULARY) - EXTRA_KINDS
    assert used >= EXTRA_KINDS, "stale entry in EXTRA_KINDS"


def test_quantity_names_have_one_unit(events: dict[str, Event]) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for e in events.values():
        for name, q in e.quantities.items():
            seen[name].add(q.unit)
    for name, units in seen.items():
        assert units == {QUANTITY_UNITS[name]}, (name, units)


# ---- the article ----------------------------------------------------------------------------
def test_article_claims_map_to_existing_events(events: dict[str, Event]) -> None:
    for quote, ids in ARTICLE_CLAIMS:
        assert ids, quote
        for event_id in ids:
            assert event_id in events, (quote, event_id)


def test_article_events_cite_the_article(events: dict[str, Event]) -> None:
    for quote, ids in ARTICLE_CLAIMS:
        for event_id in ids:
            sources = _article_sources(events[event_id])
            assert sources, (quote, event_id)
            assert all(s.title == ARTICLE_TITLE for s in sources), event_id


def test_every_event_citing_the_article_is_in_the_table(events: dict[str, Event]) -> None:
    in_table = {event_id for _, ids in ARTICLE_CLAIMS for event_id in ids}
    citing = {e.id for e in events.values() if _article_sources(e)}
    assert citing == in_table


def test_article_quotes_are_verbatim(events: dict[str, Event], seed_text: str) -> None:
    for quote, _ in ARTICLE_CLAIMS:
        assert quote in seed_text, quote
    for quote in NOT_EVENTS:
        assert quote in seed_text, quote
    for e in events.values():
        for s in _article_sources(e):
            assert s.quote and s.quote in seed_text, (e.id, s.quote)


def test_disputed_and_claimed_article_events_link_to_counterparts(
    events: dict[str, Event],
) -> None:
    for event_id, counterparts in COUNTERPARTS.items():
        e = events[event_id]
        for other, both_ways in counterparts.items():
            assert other in e.links, (event_id, other)
            if both_ways:
                assert event_id in events[other].links, (other, event_id)
    article_ids = {event_id for _, ids in ARTICLE_CLAIMS for event_id in ids}
    doubtful = {
        e.id
        for e in events.values()
        if e.id in article_ids and e.status in ("disputed", "claimed") and not e.claimed_by
    }
    assert doubtful <= set(COUNTERPARTS), doubtful - set(COUNTERPARTS)


def test_disputed_events_link_to_what_disputes_them(events: dict[str, Event]) -> None:
    for e in events.values():
        if e.status == "disputed":
            assert e.links, e.id


def test_known_disagreements_are_shown(events: dict[str, Event]) -> None:
    # the article's "about $10 billion" is the amount cancelled, which the sources support
    article = events["rnk-2012-debt-cancelled-article"]
    assert "debt_total_usd" not in article.quantities
    assert float(article.quantities["debt_written_off_usd"]) == 10_000_000_000
    assert article.status == "reported"
    assert any(s.url for s in article.sources if s.publisher != PUBLISHER)
    debt = events["rnk-2012-09-17-debt-agreement-signed"].quantities["debt_total_usd"]
    assert float(debt) == 10_960_000_000
    assert events["rnk-2008-un-punishes-russia-claim"].status == "disputed"
    assert events["rnk-2025-trade-volume-article"].status == "claimed"
    assert events["rnk-2024-06-18-treaty-signed-date-disputed"].status == "disputed"
    # 1995 (notice) and 1996 (lapse) are two stages of one process, not rival end dates
    ends = [e for e in events.values() if "treaty.ended" in e.kind and "1961" in e.title]
    assert [(str(e.when), e.kind) for e in ends] == [
        ("1996-09-10", "agreement.treaty.ended.lapsed")
    ]
    notice = events["rnk-1995-1961-treaty-notice-not-to-extend"]
    assert notice.kind == "agreement.treaty.notice"
    dissent = events["rnk-1996-1961-treaty-not-denounced-claim"]
    assert dissent.status == "disputed" and dissent.kind == "claim.assessment"


def test_treaty_2024_lifecycle(events: dict[str, Event]) -> None:
    signed = events["rnk-2024-06-19-treaty-signed"]
    in_force = events["rnk-2024-12-04-treaty-in-force"]
    assert (signed.kind, str(signed.when)) == ("agreement.treaty.signed", "2024-06-19")
    assert (in_force.kind, str(in_force.when)) == ("agreement.treaty.in_force", "2024-12-04")
    assert signed.id in in_force.links
    lifecycle = [e for e in events.values() if "treaty-2024" in e.tags and e.status == "confirmed"]
    for e in lifecycle:
        for link in e.links:
            target = events[link]
            if target.kind.startswith("agreement.treaty") and target.status == "confirmed":
                assert target.lo <= e.lo, (e.id, link)  # later events link to earlier ones

    def reaches_signed(event_id: str, seen: frozenset[str] = frozenset()) -> bool:
        if event_id == signed.id:
            return True
        return any(
            reaches_signed(link, seen | {event_id})
            for link in events[event_id].links
            if link not in seen
        )

    ratified = [e for e in lifecycle if e.kind == "agreement.treaty.ratified"]
    assert len(ratified) == 4
    assert all(reaches_signed(e.id) for e in ratified)


def test_deployment_is_an_open_interval_from_october_2024(events: dict[str, Event]) -> None:
    e = events["rnk-2024-10-dprk-troops-deployed-kursk"]
    assert str(e.when) == "2024-10/.."
    assert e.directed and e.actors[:2] == ("PRK", "RUS")
    soldiers = e.quantities["soldiers"]
    assert (soldiers.low, soldiers.unit) == (11_000, "people")


# ---- loading --------------------------------------------------------------------------------
def test_dataset_is_listed() -> None:
    assert NAME in datasets()


def test_unknown_dataset_names_the_name_and_lists_what_exists() -> None:
    with pytest.raises(UnknownDataset, match=r"'russia-korea'.*'russia-north-korea'"):
        load("russia-korea")
    with pytest.raises(KeyError):
        load("../russia-north-korea")


def test_timeline_load() -> None:
    from relations import timeline

    if not hasattr(timeline, "load") or not hasattr(timeline, "Timeline"):
        pytest.skip("timeline.load is not wired yet (issue 4)")
    tl = timeline.load(NAME)
    assert isinstance(tl, timeline.Timeline)
    assert len(tl) == sum(1 for _ in _lines())
    assert timeline.datasets() == datasets()


# ---- the history the projection must tell (issue 14) ------------------------------------------
T1961 = "Soviet-DPRK Treaty of Friendship, Co-operation and Mutual Assistance"
T2000 = "Russia-DPRK Treaty of Friendship, Good-Neighbourliness and Cooperation"
T2024 = "Comprehensive Strategic Partnership Treaty"
DEBT = "Russia writes off 90% of the DPRK's Soviet-era debt"


def _expected_in_force(year: int) -> set[str]:
    """The recorded agreements in force at the end of ``year`` (see the audit for the scope)."""
    out = set()
    if 1961 <= year <= 1995:
        out.add(T1961)  # in force 1961-09-10, lapsed 1996-09-10
    if 2000 <= year <= 2023:
        out.add(T2000)  # in force from a day in [2000-06-24..2011-10-20], superseded 2024-12-04
    if year >= 2014:
        out.add(DEBT)  # in force from a day in [2014-05-05..2014-10-20]
    if year >= 2024:
        out.add(T2024)  # in force 2024-12-04
    return out


@pytest.mark.parametrize("year", range(1948, 2026))
def test_agreements_in_force_at_the_end_of_every_year(year: int) -> None:
    from relations.projections import Relationship

    state = Relationship.of("RUS", "PRK").as_of(str(year))
    assert {a.name for a in state.agreements_in_force} == _expected_in_force(year)


@pytest.mark.parametrize(
    ("day", "in_force", "statuses"),
    [
        ("1961-08-01", set(), {T1961: "signed"}),
        ("1961-09-10", {T1961}, {}),
        ("1995-12-31", {T1961}, {}),  # Russia's notice does not end the treaty
        ("1996-09-09", {T1961}, {}),
        ("1996-09-10", set(), {T1961: "ended"}),
        ("2000-03-01", set(), {T2000: "signed"}),
        ("2000-06-24", {T2000}, {T2000: "in force"}),
        ("2014-04-30", {T2000}, {DEBT: "ratified"}),
        ("2024-12-03", {T2000, DEBT}, {T2024: "ratified"}),
        ("2024-12-04", {T2024, DEBT}, {T2000: "ended"}),
    ],
)
def test_agreement_stages_on_chosen_days(
    day: str, in_force: set[str], statuses: dict[str, str]
) -> None:
    from relations.projections import Relationship

    state = Relationship.of("RUS", "PRK").as_of(day)
    assert {a.name for a in state.agreements_in_force} == in_force
    by_name = {a.name: a for a in state.agreements}
    for name, status in statuses.items():
        assert by_name[name].status == status, (day, name)


def test_how_agreements_ended() -> None:
    from relations.projections import Relationship

    by_name = {a.name: a for a in Relationship.of("RUS", "PRK").as_of("2025").agreements}
    assert (str(by_name[T1961].ended), by_name[T1961].how_ended) == ("1996-09-10", "lapsed")
    assert (str(by_name[T2000].ended), by_name[T2000].how_ended) == ("2024-12-04", "superseded")
    assert by_name[T2024].ended is None and by_name[DEBT].ended is None
    assert by_name[T2000].in_force_on("2012") and not by_name[T2000].in_force_on("2000-07")


def test_every_treaty_has_every_known_stage(events: dict[str, Event]) -> None:
    stages = defaultdict(set)
    for tag in ("treaty-1961", "treaty-2000", "treaty-2024"):
        for e in events.values():
            if tag in e.tags and e.kind.startswith("agreement.treaty."):
                stages[tag].add(e.kind.split(".")[2])
    assert stages["treaty-1961"] >= {"signed", "in_force", "notice", "ended"}
    assert stages["treaty-2000"] >= {"signed", "submitted", "in_force", "ended"}
    assert stages["treaty-2024"] >= {"signed", "submitted", "ratified", "in_force"}
    debt = [e.kind for e in events.values() if "debt" in e.tags]
    assert "agreement.treaty.in_force" in debt and "agreement.treaty.ratified" in debt


@pytest.mark.parametrize(
    ("day", "titles"),
    [
        ("2024-09-30", set()),
        ("2024-12-31", {"DPRK deploys troops to fight for Russia in the Kursk region"}),
        (
            "2025-06-30",
            {
                "DPRK deploys troops to fight for Russia in the Kursk region",
                "DPRK sends about 3 000 more soldiers to Russia",
            },
        ),
    ],
)
def test_deployments_active_on_chosen_days(day: str, titles: set[str]) -> None:
    from relations.projections import Relationship

    state = Relationship.of("RUS", "PRK").as_of(day)
    assert {e.title for e in state.active_deployments} == titles


def test_disputed_seed_claims_and_what_they_link_to(events: dict[str, Event]) -> None:
    disputed = {e.id for e in events.values() if e.status == "disputed" and _article_sources(e)}
    assert disputed == {
        "rnk-2008-un-punishes-russia-claim",
        "rnk-2024-10-first-deployment-since-korean-war-claim",
        "rnk-2025-04-30-tumen-bridge-article",
    }
    first = events["rnk-2024-10-first-deployment-since-korean-war-claim"]
    pilots = events["rnk-1966-10-dprk-pilots-to-north-vietnam"]
    assert pilots.id in first.links and pilots.status == "confirmed" and pilots.lo < first.lo
    # the deployment itself no longer carries the unchecked superlative
    kursk = events["rnk-2024-10-dprk-troops-deployed-kursk"]
    assert all("first foreign deployment" not in (s.quote or "") for s in kursk.sources)


def test_claimed_by_goes_with_claimed(events: dict[str, Event]) -> None:
    for e in events.values():
        if e.claimed_by:
            assert e.status in ("claimed", "estimated", "disputed"), e.id


# Events whose only non-article sources are pointers from the fact sheet without a title or URL;
# the audit (docs/datasets/russia-north-korea-audit.md) says why each has none yet.
WITHOUT_OPENABLE_SOURCE = frozenset(
    {
        "rnk-2008-08-26-russia-recognises-abkhazia-south-ossetia",
        "rnk-2019-trade-volume",
        "rnk-2020-trade-volume",
        "rnk-2022-trade-volume",
        "rnk-2023-trade-volume",
        "rnk-2024-trade-volume",
        "rnk-2025-04-27-kor-total-troops-estimate",
        "rnk-2025-04-30-tumen-bridge-article",
        "rnk-2024-10-13-ukraine-warns-dprk-troops",
        "rnk-2024-10-23-us-confirms-dprk-troops",
        "rnk-2024-11-04-pentagon-10000-in-kursk",
        "rnk-2025-04-28-dprk-acknowledges-deployment",
        "rnk-2025-04-28-putin-thanks-kim",
        "rnk-2025-06-ukmod-casualties-6000",
    }
)


def test_every_event_has_a_source_a_reader_can_open(events: dict[str, Event]) -> None:
    """A titled or linked source beside the article, unless the event rests on the article alone."""
    missing = set()
    for e in events.values():
        others = [s for s in e.sources if s.publisher != PUBLISHER]
        if others and not any(s.url or s.title for s in others):
            missing.add(e.id)
        if not others:
            assert e.status in ("claimed", "disputed"), e.id  # the article alone proves nothing
    assert missing == WITHOUT_OPENABLE_SOURCE


def test_no_event_begins_before_the_announcement_it_rests_on(events: dict[str, Event]) -> None:
    rests_on = {
        "rnk-2025-07-dprk-workers-rebuild-kursk": "rnk-2025-06-17-deminers-builders-announced",
        "rnk-2025-07-dprk-workers-drone-industry": "rnk-2025-06-19-nhk-drone-workers-plan",
        "rnk-2014-debt-agreement-in-force": "rnk-2014-05-05-debt-ratification-law",
        "rnk-2000-friendship-treaty-in-force": "rnk-2000-06-24-treaty-sent-to-duma",
    }
    for event_id, announcement in rests_on.items():
        assert events[event_id].lo >= events[announcement].lo, event_id


def test_the_ulan_ude_and_vladivostok_summits_are_recorded(events: dict[str, Event]) -> None:
    for event_id, day in (
        ("rnk-2002-08-23-vladivostok-summit", "2002-08-23"),
        ("rnk-2011-08-24-ulan-ude-summit", "2011-08-24"),
    ):
        e = events[event_id]
        assert (str(e.when), e.kind, e.status) == (day, "diplomacy.summit", "confirmed")
        assert sum(1 for s in e.sources if s.url) >= 2
