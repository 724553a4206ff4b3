"""Kinds: validation, hierarchy, the standard vocabulary and its scores."""

from __future__ import annotations

import pytest

from relations import UnknownKind
from relations.kinds import VOCABULARY, is_within, parents_of, score_of, validate_kind


def test_hierarchy() -> None:
    assert is_within("military.deployment", "military")
    assert is_within("military", "military")
    assert not is_within("militarydeployment", "military")
    assert parents_of("a.b.c") == ("a.b.c", "a.b", "a")


@pytest.mark.parametrize("bad", ["", "Military", "a..b", ".a", "a.", "a b", "1a", None, 3])
def test_bad_kinds(bad: object) -> None:
    with pytest.raises(UnknownKind, match=repr(bad).replace("(", r"\(").replace(")", r"\)")):
        validate_kind(bad)


def test_vocabulary_is_well_formed_and_closed_under_parents() -> None:
    for kind, info in VOCABULARY.items():
        assert validate_kind(kind) == kind
        assert info.description
        for parent in parents_of(kind)[1:]:
            assert parent in VOCABULARY, f"{kind}: parent {parent} missing"
        if info.score is not None:
            assert -10 <= info.score <= 10


def test_seed_article_kinds_are_covered() -> None:
    needed = [
        "agreement.treaty.signed",
        "military.deployment",
        "military.casualties",
        "arms.transfer",
        "technology.transfer",
        "diplomacy.visit",
        "un.veto",
        "diplomacy.recognition",
        "sanction.imposed",
        "trade.volume",
        "economic.debt_relief",
        "infrastructure.project",
        "labour.workers",
        "exchange.education",
    ]
    assert all(k in VOCABULARY for k in needed)


def test_scores_inherit_and_can_be_replaced() -> None:
    assert score_of("arms.transfer.shells") == VOCABULARY["arms.transfer"].score
    assert score_of("custom.thing") is None
    assert score_of("un.veto", {"un": -9.0}) == -9.0
