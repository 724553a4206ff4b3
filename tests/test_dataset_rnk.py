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
        ("rnk-2024-10-dprk-troops-deployed-kursk",),
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
        ("rnk-2025-dprk-workers-drone-industry",),
    ),
    (
        "Russia nearly doubled its output capacity and diversified from Iran’s supply.",
        ("rnk-2025-dprk-workers-drone-industry",),
    ),
    ("Pantsir air-defense systems", ("rnk-2024-11-pantsir-to-dprk",)),
    ("Drones", ("rnk-2025-06-17-ukraine-says-drone-know-how-to-dprk",)),
    ("Electronic warfare knowledge", ("rnk-2024-11-ew-to-dprk",)),
    ("Satellite imagery", ("rnk-2023-09-satellite-imagery-article",)),
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
        ("rnk-2025-dprk-workers-rebuild-kursk",),
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
    "rnk-2008-ties-grow-stronger": {"rnk-2012-09-17-debt-agreement-signed": False},
    "rnk-2012-debt-cancelled-article": {"rnk-2012-09-17-debt-agreement-signed": True},
    "rnk-2025-trade-volume-article": {
        "rnk-2024-trade-volume": False,
        "rnk-2023-trade-volume": False,
    },
    "rnk-2025-04-30-tumen-bridge-article": {
        "rnk-2025-04-30-tumen-road-bridge-construction": True,
    },
    "rnk-2025-dprk-workers-rebuild-kursk": {"rnk-2025-06-17-deminers-builders-announced": False},
    "rnk-2025-dprk-workers-drone-industry": {
        "rnk-2025-06-19-nhk-drone-workers-plan": False,
        "rnk-2025-11-ukraine-says-12000-drone-workers": False,
    },
    "rnk-2023-09-satellite-imagery-article": {"rnk-2023-11-russia-helps-dprk-satellite": False},
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
    article_debt = events["rnk-2012-debt-cancelled-article"].quantities["debt_total_usd"]
    debt = events["rnk-2012-09-17-debt-agreement-signed"].quantities["debt_total_usd"]
    assert float(article_debt) == 10_000_000_000
    assert float(debt) == 10_960_000_000
    assert events["rnk-2008-un-punishes-russia-claim"].status == "disputed"
    assert events["rnk-2025-trade-volume-article"].status == "claimed"
    assert events["rnk-2024-06-18-treaty-signed-date-disputed"].status == "disputed"
    ends = [e for e in events.values() if e.kind == "agreement.treaty.ended" and "1961" in e.title]
    assert len(ends) == 2
    assert all(e.status == "disputed" for e in ends)


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
