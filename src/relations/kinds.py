"""Kinds of events: dotted, hierarchical names with a documented standard vocabulary.

A kind is a dotted, lower-case name; each dot goes one level down, so
``military.deployment`` is inside ``military`` and ``agreement.treaty.signed`` inside both
``agreement.treaty`` and ``agreement``. The standard vocabulary below covers every kind of event
in the bundled Russia–North Korea dataset and maps each kind to CAMEO root codes and a default
cooperation–conflict score on the Goldstein scale (−10 most conflictual, +10 most cooperative).
Custom kinds are accepted as long as they are well formed; they inherit the score of their
nearest standard parent.

>>> is_within("military.deployment", "military")
True
>>> is_within("militaryx", "military")
False
>>> score_of("agreement.treaty.signed"), score_of("agreement.treaty.signed.custom_detail")
(8.0, 8.0)
>>> validate_kind("Military Deployment")
Traceback (most recent call last):
...
relations.errors.UnknownKind: kind 'Military Deployment' is not a dotted lower-case name such as 'military.deployment'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from relations._frozen import FrozenMap
from relations.errors import UnknownKind

__all__ = ["VOCABULARY", "KindInfo", "is_within", "parents_of", "score_of", "validate_kind"]

_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


@attrs.frozen
class KindInfo:
    """What a standard kind means, its CAMEO root codes and its default score.

    >>> VOCABULARY["un.veto"].cameo
    ('16',)
    """

    description: str
    cameo: tuple[str, ...] = ()
    score: float | None = None


def _k(description: str, cameo: tuple[str, ...] = (), score: float | None = None) -> KindInfo:
    return KindInfo(description, cameo, score)


# Scores follow the Goldstein scale's ordering of CAMEO roots (see event-data-standards);
# they are defaults for score_sum/score_mean, replaceable per call.
VOCABULARY: Mapping[str, KindInfo] = FrozenMap(
    {
        "diplomacy": _k("Diplomatic contact and statements", ("01", "02", "03", "04", "05"), 3.0),
        "diplomacy.statement": _k("A public statement or declaration", ("01",), 1.0),
        "diplomacy.meeting": _k("Officials or parliamentarians meet", ("04",), 3.0),
        "diplomacy.visit": _k("An official visit to the other party", ("04",), 4.0),
        "diplomacy.summit": _k("Leaders meet in person", ("04",), 5.0),
        "diplomacy.recognition": _k(
            "Recognition of a state, territory or annexation", ("05",), 4.0
        ),
        "diplomacy.relations_established": _k("Diplomatic relations are established", ("05",), 6.0),
        "diplomacy.relations_weakened": _k("Ties weaken or are downgraded", ("11", "16"), -3.0),
        "diplomacy.relations_weakened.severed": _k(
            "Diplomatic relations broken off", ("16",), -7.0
        ),
        "diplomacy.rapprochement": _k("Ties are restored or warm again", ("05",), 4.0),
        "agreement": _k("An agreement between the parties", ("05", "06"), 6.0),
        "agreement.cooperation": _k("A cooperation agreement or memorandum", ("06",), 6.0),
        "agreement.treaty": _k("A treaty (lifecycle below)", ("05", "06"), 8.0),
        "agreement.treaty.submitted": _k("A treaty is submitted for ratification", ("05",), 7.0),
        "agreement.treaty.signed": _k("A treaty is signed", ("05",), 8.0),
        "agreement.treaty.ratified": _k("A treaty is ratified", ("05",), 8.0),
        "agreement.treaty.in_force": _k("A treaty enters into force", ("05",), 8.0),
        "agreement.treaty.ended": _k("A treaty lapses or is terminated", ("16",), -4.0),
        "military": _k("Military cooperation, deployment or force", ("06", "15", "18", "19"), None),
        "military.cooperation": _k("Military cooperation between the parties", ("06",), 6.0),
        "military.deployment": _k("Troops deployed (for or against a party)", ("15",), 6.0),
        "military.casualties": _k("Soldiers killed or injured", ("19",), -8.0),
        "military.deployment.announced": _k(
            "A deployment announced (intent, not arrival)", ("15",), 4.0
        ),
        "military.exercise": _k("A joint or hostile military exercise", ("15",), 2.0),
        "military.aid": _k("Military aid given", ("07",), 7.0),
        "military.aid.paused": _k("Military aid paused or withheld", ("16",), -4.0),
        "war": _k("War and support in war", ("19", "20"), -10.0),
        "war.support": _k("Support for a party at war", ("07",), 7.0),
        "occupation": _k("Occupation or administration of territory", ("18",), -9.0),
        "occupation.annexation": _k("Territory annexed", ("18",), -9.0),
        "state": _k("Statehood: founding and dissolution of states", (), None),
        "state.founded": _k("A state is proclaimed or founded", (), None),
        "state.dissolved": _k("A state is dissolved", (), None),
        "arms": _k("Arms and ammunition", ("06",), 6.0),
        "arms.transfer": _k("Arms, ammunition or military equipment supplied", ("06", "07"), 6.0),
        "technology": _k("Technology and know-how", ("06",), 6.0),
        "technology.transfer": _k(
            "Technology, know-how or intelligence supplied", ("06", "07"), 6.0
        ),
        "un": _k("Acts in the United Nations", (), None),
        "un.veto": _k("A veto in the UN Security Council", ("16",), -4.0),
        "un.vote": _k("A vote in a UN body", ("01",), 0.0),
        "un.resolution": _k("A UN resolution adopted", ("01", "17"), -2.0),
        "un.censure": _k("Censure or punishment by the UN", ("11", "17"), -5.0),
        "sanction": _k("Sanctions", ("16", "17"), -6.0),
        "sanction.imposed": _k("Sanctions imposed", ("16",), -6.0),
        "sanction.lifted": _k("Sanctions lifted or eased", ("08",), 5.0),
        "sanction.violation": _k("A reported breach of sanctions", ("16",), -5.0),
        "trade": _k("Trade between the parties", ("06",), 4.0),
        "trade.volume": _k("Trade turnover over a period", ("06",), 4.0),
        "economic": _k("Economic relations", ("06", "07"), 5.0),
        "economic.debt_relief": _k("Debt written off or restructured", ("07",), 7.0),
        "economic.aid": _k("Economic or humanitarian aid", ("07",), 7.0),
        "economic.investment": _k("Investment or joint economic projects", ("06",), 5.0),
        "infrastructure": _k("Infrastructure linking the parties", ("06",), 5.0),
        "infrastructure.project": _k("An infrastructure project announced or agreed", ("06",), 5.0),
        "infrastructure.construction": _k("Construction under way", ("06",), 5.0),
        "infrastructure.opening": _k("Infrastructure opened", ("06",), 5.0),
        "labour": _k("Workers sent between the parties", ("06",), 4.0),
        "labour.workers": _k("Workers sent to work abroad", ("06",), 4.0),
        "exchange": _k("People-to-people exchanges", ("06",), 4.0),
        "exchange.education": _k("Student and academic exchanges", ("06",), 4.0),
        "exchange.culture": _k("Cultural exchanges", ("06",), 3.0),
        "claim": _k("A claim or assessment about the relationship", (), None),
        "claim.assessment": _k("An intelligence or analyst assessment", (), None),
    }
)


def validate_kind(kind: object, *, field: str = "kind") -> str:
    """Return ``kind`` if it is a well-formed dotted name, else raise UnknownKind.

    Custom kinds are fine: ``validate_kind("cyber.attack")`` returns ``'cyber.attack'``.

    >>> validate_kind("cyber.attack")
    'cyber.attack'
    """
    if isinstance(kind, str) and _KIND_RE.match(kind):
        return kind
    raise UnknownKind(
        f"{field} {kind!r} is not a dotted lower-case name such as 'military.deployment'"
    )


def is_within(kind: str, prefix: str) -> bool:
    """True if ``kind`` is ``prefix`` or lies below it in the hierarchy.

    >>> is_within("agreement.treaty.signed", "agreement.treaty"), is_within("agreement", "agreement.treaty")
    (True, False)
    """
    return kind == prefix or kind.startswith(prefix + ".")


def parents_of(kind: str) -> tuple[str, ...]:
    """The kind and its ancestors, most specific first.

    >>> parents_of("agreement.treaty.signed")
    ('agreement.treaty.signed', 'agreement.treaty', 'agreement')
    """
    parts = kind.split(".")
    return tuple(".".join(parts[:i]) for i in range(len(parts), 0, -1))


def score_of(kind: str, scale: Mapping[str, float | None] | None = None) -> float | None:
    """The cooperation–conflict score of a kind (nearest scored ancestor), or None.

    ``scale`` replaces the default: a mapping of kind → score, looked up the same way.

    >>> score_of("un.veto"), score_of("cyber.attack"), score_of("cyber.attack", {"cyber": -7})
    (-4.0, None, -7)
    """
    for k in parents_of(kind):
        if scale is not None:
            if k in scale:
                return scale[k]
            continue
        info = VOCABULARY.get(k)
        if info is not None and info.score is not None:
            return info.score
    return None
