"""The PLOVER fields that both readers of :mod:`relations.io.plover` work out alike: the
category table, multi-values, entity texts and codes (one definition for the row reader and
the column-wise one, :mod:`relations.io._plover_columns`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from relations._frozen import FrozenMap
from relations.io._actors import UNSPECIFIED, NameIndex

__all__ = ["ENTITY_TEXTS", "KINDS", "entity_code", "entity_text", "plover_texts"]

#: PLOVER event category → kind (published as ``relations.io.plover.PLOVER_KINDS``).
KINDS: Mapping[str, str] = FrozenMap(
    {
        "AGREE": "agreement",
        "CONSULT": "diplomacy.meeting",
        "SUPPORT": "diplomacy",
        "CONCEDE": "plover.concede",
        "COOPERATE": "plover.cooperate",
        "AID": "plover.aid",
        "RETREAT": "plover.retreat",
        "REQUEST": "plover.request",
        "ACCUSE": "plover.accuse",
        "REJECT": "plover.reject",
        "THREATEN": "plover.threaten",
        "SANCTION": "sanction.imposed",
        "PROTEST": "plover.protest",
        "MOBILIZE": "military.deployment",
        "COERCE": "plover.coerce",
        "ASSAULT": "plover.assault",
        "DEMAND": "plover.demand",
        "DISAPPROVE": "plover.disapprove",
        "INVESTIGATE": "plover.investigate",
        "CRIME": "plover.crime",
    }
)

# CAMEO's non-state and sector codes: an entity with one of these names no country.
_NON_STATE = frozenset(
    {
        *("IGO", "NGO", "MNC", "AGR", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI"),
        *("ENV", "GOV", "HLH", "HRI", "IMG", "INS", "JUD", "LAB", "LEG", "MED", "MIL"),
        *("MOD", "OPP", "PTY", "RAD", "REB", "REF", "REL", "SEP", "SPY", "UAF", "UIS"),
    }
)


def plover_texts(value: Any) -> list[str]:
    """A PLOVER multi-value: a list, a comma-joined string, or "" → list of text."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


ENTITY_TEXTS = ("entity_text", "actorText", "text", "name")


def entity_text(ent: Mapping[str, Any]) -> str:
    """An entity's text: the first of :data:`ENTITY_TEXTS` that is non-blank text, stripped."""
    for key in ENTITY_TEXTS:
        v = ent.get(key)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return ""


def entity_code(index: NameIndex, code: Any, text: str) -> str | None:
    """The actor of an entity with ``code`` (any JSON value) and text ``text`` (see the
    module docs); None for a code that is unknown (an error)."""
    if isinstance(code, str) and code.strip():
        found = index.get(code.strip())
        if found is not None:
            return found
        if code.strip().upper() not in _NON_STATE:
            return None
    return (index.get(text) if text else None) or UNSPECIFIED
