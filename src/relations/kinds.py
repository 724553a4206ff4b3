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

The vocabulary is open, but typos are not silent. A kind outside the vocabulary whose dotted
segments are a near miss of a known kind's (one letter wrong, missing, extra or two letters
swapped; two in a segment of ten letters or more with the right first letter) is still accepted, with an
:class:`UnknownKindWarning` that says what was probably meant (:func:`suggest_kind`). Kinds
of the open namespaces in :data:`OPEN_NAMESPACES` (``cameo.*``, ``plover.*``, ...) and kinds
that are near no known kind (``economy.trade``, ``cyber.attack``) are accepted silently.
Silence the warning, or make it an error, with the :mod:`warnings` filters::

    warnings.filterwarnings("ignore", category=relations.kinds.UnknownKindWarning)
    warnings.filterwarnings("error", category=relations.kinds.UnknownKindWarning)

>>> suggest_kind("militray.deployment"), suggest_kind("economy.trade")
('military.deployment', None)
"""

from __future__ import annotations

import difflib
import functools
import inspect
import os
import re
import warnings
from collections.abc import Iterable, Mapping

import attrs

from relations._frozen import FrozenMap
from relations.errors import RelationsWarning, UnknownKind

__all__ = [
    "OPEN_NAMESPACES",
    "VOCABULARY",
    "KindInfo",
    "UnknownKindWarning",
    "check_kind",
    "is_within",
    "parents_of",
    "score_of",
    "suggest_kind",
    "unknown_kind_error",
    "validate_kind",
]

_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")

OPEN_NAMESPACES: frozenset[str] = frozenset(
    {"cameo", "plover", "acled", "gdelt", "icews", "ucdp", "custom"}
)
"""Roots of open vocabularies (importers' and users' own): never corrected by suggest_kind."""


class UnknownKindWarning(RelationsWarning, UserWarning):
    """A kind outside the vocabulary that is a near miss of a known kind (``militray``).

    The kind is accepted; the warning names the kind that was probably meant. Silence it or
    turn it into an error with :func:`warnings.filterwarnings` and this category.
    """


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


def validate_kind(
    kind: object, *, field: str = "kind", stacklevel: int | None = None, warn: bool = True
) -> str:
    """Return ``kind`` if it is a well-formed dotted name, else raise UnknownKind.

    Custom kinds are fine: ``validate_kind("cyber.attack")`` returns ``'cyber.attack'``. A
    near miss of a known kind is accepted too, with an :class:`UnknownKindWarning` (see
    :func:`check_kind`). A kind of the vocabulary costs one set lookup; the check of any
    other kind is cached, so importing millions of events stays fast.

    ``stacklevel`` is as for a :func:`warnings.warn` called here (2: the line that called
    ``validate_kind``); by default the warning points at the first caller outside this
    package, such as the line that built an ``Event``. ``warn=False`` checks the form only:
    for a query that raises :class:`~relations.errors.UnknownKind` itself for a kind it
    cannot find, so a typo gives one error rather than a warning and then an error.

    >>> validate_kind("cyber.attack")
    'cyber.attack'
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     validate_kind("militray")
    'militray'
    >>> str(caught[0].message)
    "kind 'militray' is not in the vocabulary; did you mean 'military'? (a kind of your own is fine: silence this with warnings.filterwarnings('ignore', category=relations.kinds.UnknownKindWarning))"
    """
    if type(kind) is str and kind in _KNOWN:
        return kind
    if isinstance(kind, str) and _KIND_RE.match(kind):
        if warn and _near_miss(kind) is not None:
            check_kind(kind, stacklevel=_outside_caller() if stacklevel is None else stacklevel + 1)
        return kind
    raise UnknownKind(
        f"{field} {kind!r} is not a dotted lower-case name such as 'military.deployment'"
    )


def check_kind(kind: str, *, stacklevel: int = 2) -> str | None:
    """Warn :class:`UnknownKindWarning` if ``kind`` is a near miss of a known kind.

    Returns the suggestion (or ``None``: the kind is known, of an open namespace, or near no
    known kind). ``stacklevel`` is as for :func:`warnings.warn` (2: the caller's line).

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     check_kind("diplomacy.sumit"), check_kind("diplomacy.summit")
    ('diplomacy.summit', None)
    """
    suggestion = suggest_kind(kind)
    if suggestion is not None:
        warnings.warn(
            f"kind {kind!r} is not in the vocabulary; did you mean {suggestion!r}? (a kind of "
            "your own is fine: silence this with warnings.filterwarnings('ignore', "
            "category=relations.kinds.UnknownKindWarning))",
            UnknownKindWarning,
            stacklevel=stacklevel,
        )
    return suggestion


def suggest_kind(kind: str, known: Iterable[str] = ()) -> str | None:
    """The known kind that ``kind`` probably misspells, or ``None``.

    Each dotted segment is compared with the known segments at its place in the hierarchy
    (the standard :data:`VOCABULARY`, plus ``known``): a segment of four letters or more that
    is one edit away from a known one (a letter wrong, missing or extra, or two letters
    swapped; two edits for ten letters or more, first letter right) is corrected, ranked by
    :mod:`difflib`. The first segment that is near nothing known ends the walk: below it the
    kind is the user's own (``agreement.treaty.signed.bilateral``). Kinds that are known,
    and kinds of :data:`OPEN_NAMESPACES`, get ``None``.

    >>> suggest_kind("militray.deployment"), suggest_kind("agreement.treaty.sgined")
    ('military.deployment', 'agreement.treaty.signed')
    >>> suggest_kind("sanctions.imposed"), suggest_kind("cameo.appeal")
    ('sanction.imposed', None)
    >>> suggest_kind("economy.trade"), suggest_kind("military.deployment")
    (None, None)
    >>> suggest_kind("trade.volumes", known=["trade.volumes_monthly"])
    'trade.volume'
    """
    if not isinstance(kind, str):
        return None
    extra = frozenset(known)
    if not extra:
        return _near_miss(kind)
    return _suggest(kind, _tree(_KNOWN | extra), _KNOWN | extra)


def unknown_kind_error(kind: str, known: Iterable[str] = ()) -> UnknownKind:
    """The error for a query of a kind that no event has and no vocabulary knows.

    ``known`` are the kinds the caller has (a timeline's), offered as suggestions along with
    the standard vocabulary. The caller raises it.

    >>> raise unknown_kind_error("militray", known=["cameo.appeal"])
    Traceback (most recent call last):
    ...
    relations.errors.UnknownKind: no event has kind 'militray' and no vocabulary knows it; did you mean 'military'?
    """
    suggestion = suggest_kind(kind, known)
    message = f"no event has kind {kind!r} and no vocabulary knows it"
    if suggestion is not None:
        return UnknownKind(f"{message}; did you mean {suggestion!r}?")
    return UnknownKind(
        f"{message} (kinds are dotted lower-case names such as 'military.deployment')"
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


# -- near misses -------------------------------------------------------------------------------

_KNOWN: frozenset[str] = frozenset(VOCABULARY)
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _tree(kinds: frozenset[str]) -> dict[str, frozenset[str]]:
    """Parent kind ('' for the roots) -> the segments known directly below it."""
    children: dict[str, set[str]] = {}
    for k in kinds:
        parts = k.split(".")
        for i, part in enumerate(parts):
            children.setdefault(".".join(parts[:i]), set()).add(part)
    return {parent: frozenset(segs) for parent, segs in children.items()}


_VOCABULARY_TREE = _tree(_KNOWN)


@functools.lru_cache(maxsize=1 << 14)
def _near_miss(kind: str) -> str | None:
    """suggest_kind against the standard vocabulary, cached: importers repeat their kinds."""
    return _suggest(kind, _VOCABULARY_TREE, _KNOWN)


def _suggest(kind: str, tree: dict[str, frozenset[str]], known: frozenset[str]) -> str | None:
    if kind in known:
        return None
    parts = kind.split(".")
    if parts[0] in OPEN_NAMESPACES:
        return None
    fixed: list[str] = []
    changed = False
    for i, part in enumerate(parts):
        segs = tree.get(".".join(fixed), frozenset())
        if part not in segs:
            best = _closest(part, segs)
            if best is None:
                fixed.extend(parts[i:])  # the user's own kind from here down
                break
            part = best
            changed = True
        fixed.append(part)
    return ".".join(fixed) if changed else None


def _closest(part: str, segs: frozenset[str]) -> str | None:
    if len(part) < 4:
        return None
    ranked = difflib.get_close_matches(part, sorted(segs), n=10, cutoff=0.6)
    for candidate in ranked:
        edits = _edits(part, candidate)
        if edits <= 1 or (edits == 2 and len(part) >= 10 and part[0] == candidate[0]):
            return candidate
    return None


def _edits(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions, swaps."""
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _outside_caller() -> int:
    """The warnings.warn stacklevel, counted from check_kind, of the first caller outside this
    package (attrs' generated ``__init__`` counts as inside)."""
    frame = inspect.currentframe()
    level = 0
    try:
        while frame is not None:
            name = frame.f_code.co_filename
            if level >= 2 and not (
                name.startswith(_PACKAGE_DIR) or name.startswith("<attrs generated")
            ):
                return level + 1
            frame = frame.f_back
            level += 1
    finally:
        del frame
    return 2
