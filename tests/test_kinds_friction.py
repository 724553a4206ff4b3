"""Issue 19, kinds: a near miss of a known kind warns with a suggestion; open kinds stay quiet."""

from __future__ import annotations

import warnings

import pytest

from relations import Event
from relations.errors import UnknownKind
from relations.kinds import (
    VOCABULARY,
    UnknownKindWarning,
    check_kind,
    suggest_kind,
    unknown_kind_error,
    validate_kind,
)
from relations.record import decode_event


@pytest.mark.parametrize(
    ("kind", "suggestion"),
    [
        ("militray", "military"),
        ("militray.deployment", "military.deployment"),
        ("military.deploymnet", "military.deployment"),
        ("agreement.treaty.sgined", "agreement.treaty.signed"),
        ("agreemnt.treaty.signed.bilateral", "agreement.treaty.signed.bilateral"),
        ("sanctions", "sanction"),
        ("diplomcy.summit", "diplomacy.summit"),
        ("infrastucture.opening", "infrastructure.opening"),
        ("infrastrcutre", "infrastructure"),  # two edits in a long word
    ],
)
def test_near_misses_are_suggested(kind: str, suggestion: str) -> None:
    assert suggest_kind(kind) == suggestion


@pytest.mark.parametrize(
    "kind",
    [
        *VOCABULARY,
        "economy.trade",  # a project's own vocabulary: two edits from 'economic' is not a typo
        "cyber.attack",
        "cameo.appeal",
        "plover.aid",
        "cameo.militray",  # open namespaces are never corrected
        "agreement.treaty.signed.bilateral",
        "military.deployment.rotation",
        "un.vto",  # segments shorter than four letters are never corrected
    ],
)
def test_known_open_and_distant_kinds_get_no_suggestion(kind: str) -> None:
    assert suggest_kind(kind) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert validate_kind(kind) == kind


def test_event_with_misspelled_kind_warns_at_the_callers_line() -> None:
    with pytest.warns(UnknownKindWarning, match="did you mean 'military'") as record:
        e = Event("2024", "militray", ["RUS"], "Typo")
    assert e.kind == "militray"  # still accepted: the vocabulary is open
    assert record[0].filename == __file__


def test_record_reader_warns_too() -> None:
    with pytest.warns(UnknownKindWarning, match="military.deployment"):
        decode_event(
            {"when": "2024", "kind": "militray.deployment", "actors": ["RUS"], "title": "T"},
            "events.jsonl",
            1,
        )


def test_warning_can_be_an_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownKindWarning)
        with pytest.raises(UnknownKindWarning):
            Event("2024", "diplomacy.sumit", ["RUS"], "Typo")


def test_check_kind_returns_the_suggestion() -> None:
    with pytest.warns(UnknownKindWarning):
        assert check_kind("militray") == "military"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_kind("military") is None


def test_warning_is_a_user_warning() -> None:
    assert issubclass(UnknownKindWarning, UserWarning)


def test_unknown_kind_error_for_queries() -> None:
    e = unknown_kind_error("militray")
    assert isinstance(e, UnknownKind)
    assert "did you mean 'military'?" in str(e)
    e = unknown_kind_error("trade.volumes_monthy", known=["trade.volumes_monthly"])
    assert "did you mean 'trade.volumes_monthly'?" in str(e)
    assert "did you mean" not in str(unknown_kind_error("nothing.like.it"))


def test_an_unknown_kind_is_looked_up_once() -> None:
    # The Event constructor validates every kind: a known kind is one set lookup, an unknown
    # one is searched for near misses once and then found in a cache (speed: benchmarks).
    from relations.kinds import _near_miss

    validate_kind("zzz.custom_kind")
    before = _near_miss.cache_info()
    for _ in range(100):
        validate_kind("zzz.custom_kind")
    after = _near_miss.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + 100
