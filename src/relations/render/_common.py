"""Helpers shared by the views: lanes, colours, status styles, text width, escaping.

>>> lane_key_function("kind")(_ev("agreement.treaty.signed"))
'agreement'
>>> pretty_lane("un"), pretty_lane("economic"), pretty_lane("RUS–PRK")
('UN', 'Economic', 'RUS–PRK')
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from typing import Literal, TypeAlias

from relations.errors import InvalidArgument
from relations.events import Event, Status
from relations.kinds import VOCABULARY
from relations.render.palette import PALETTE

__all__ = [
    "PALETTE",
    "LaneSpec",
    "actors_label",
    "esc",
    "hedge_note",
    "is_hedged",
    "lane_key_function",
    "lane_order",
    "pretty_lane",
    "text_width",
    "wrap_text",
]

LaneSpec: TypeAlias = Literal["kind", "actor", "dyad", "status"] | Callable[[Event], str] | None
"""How events are split into lanes: by top-level kind, first actor, dyad, status, a function of
the event, or None for a single lane."""

# Related kinds next to each other: politics, agreements, force, transfers, UN, economy, people.
_ROOT_ORDER = tuple(
    dict.fromkeys(
        (
            "diplomacy",
            "agreement",
            "military",
            "war",
            "occupation",
            "arms",
            "technology",
            "labour",
            "un",
            "sanction",
            "trade",
            "economic",
            "infrastructure",
            "exchange",
            "claim",
            *sorted(k.split(".", 1)[0] for k in VOCABULARY),
        )
    )
)
_STATUS_ORDER = tuple(s.value for s in Status)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def esc(text: object) -> str:
    """Escape text for HTML and XML (both text and attribute values); characters that XML
    does not allow (control characters, U+FFFE, U+FFFF, lone surrogates) are dropped.

    >>> esc('<script>alert(1)</script> & "quotes"')
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;'
    >>> esc("bell\x07 and \ufffe")
    'bell and '
    """
    return _NOT_XML.sub("", html.escape(str(text), quote=True))


def actors_label(e: Event) -> str:
    """The actors of an event, ``PRK → RUS`` when directed, ``RUS · PRK`` otherwise.

    >>> actors_label(Event("2024", "arms.transfer", ["PRK", "RUS"], "Shells", directed=True))
    'PRK → RUS'
    >>> actors_label(Event("2024", "trade", ["RUS", "PRK"], "Trade"))
    'RUS · PRK'
    """
    if e.directed:
        return f"{e.actors[0]} → {', '.join(e.actors[1:])}"
    return " · ".join(e.actors)


def is_hedged(e: Event) -> bool:
    """True if the event is a claim, estimate or disputed (drawn hollow, labelled as such).

    >>> is_hedged(Event("2024", "trade", ["RUS"], "x", status="claimed"))
    True
    """
    return e.status in (Status.CLAIMED, Status.ESTIMATED, Status.DISPUTED)


def hedge_note(e: Event) -> str:
    """A short note that qualifies a hedged event ("claimed by UKR", "disputed", "estimate").

    >>> hedge_note(Event("2024", "trade", ["RUS"], "x", status="claimed", claimed_by=["UKR"]))
    'claimed by UKR'
    >>> hedge_note(Event("2024", "trade", ["RUS"], "x"))
    ''
    """
    if e.status is Status.CLAIMED:
        return "claimed by " + ", ".join(e.claimed_by) if e.claimed_by else "claimed"
    if e.status is Status.ESTIMATED:
        return "estimate"
    if e.status is Status.DISPUTED:
        return "disputed"
    return ""


def _dyad(e: Event) -> str:
    if e.directed:
        return f"{e.actors[0]} → {'·'.join(e.actors[1:])}"
    return "–".join(sorted(e.actors))


def lane_key_function(lanes: LaneSpec) -> Callable[[Event], str]:
    """The function that names an event's lane for a lane specification.

    ``"kind"``: the top-level kind (``agreement``); ``"actor"``: the first (acting) actor;
    ``"dyad"``: the pair (``PRK → RUS`` when directed, else ``PRK–RUS``); ``"status"``; a
    callable is used as given; None puts every event in one lane.

    >>> e = Event("2024", "arms.transfer", ["PRK", "RUS"], "Shells", directed=True)
    >>> [lane_key_function(s)(e) for s in ("kind", "actor", "dyad", "status", None)]
    ['arms', 'PRK', 'PRK → RUS', 'reported', '']
    """
    if lanes is None:
        return lambda e: ""
    if callable(lanes):
        return lambda e: str(lanes(e))
    if lanes == "kind":
        return lambda e: e.kind.split(".", 1)[0]
    if lanes == "actor":
        return lambda e: e.actors[0]
    if lanes == "dyad":
        return _dyad
    if lanes == "status":
        return lambda e: e.status.value
    raise InvalidArgument(
        f"lanes={lanes!r}: expected 'kind', 'actor', 'dyad', 'status', a function or None"
    )


def lane_order(keys: Iterable[str], lanes: LaneSpec, counts: dict[str, int]) -> list[str]:
    """Lanes in display order: the vocabulary's order for kinds, status order for statuses,
    most events first for actors and dyads (ties by name).

    >>> lane_order(["un", "agreement", "diplomacy"], "kind", {})
    ['diplomacy', 'agreement', 'un']
    >>> lane_order(["KOR", "RUS"], "actor", {"KOR": 1, "RUS": 5})
    ['RUS', 'KOR']
    """
    keys = list(dict.fromkeys(keys))
    if lanes == "kind":
        known = {k: i for i, k in enumerate(_ROOT_ORDER)}
        return sorted(keys, key=lambda k: (known.get(k, len(known)), k))
    if lanes == "status":
        known = {k: i for i, k in enumerate(_STATUS_ORDER)}
        return sorted(keys, key=lambda k: (known.get(k, len(known)), k))
    if lanes in ("actor", "dyad"):
        return sorted(keys, key=lambda k: (-counts.get(k, 0), k))
    return keys


_LANE_NAMES = {"un": "UN", "war": "War", "claim": "Claims", "arms": "Arms"}


def pretty_lane(key: str) -> str:
    """A lane name for people: kind roots capitalised, short codes upper-cased.

    >>> pretty_lane("infrastructure"), pretty_lane("un"), pretty_lane("")
    ('Infrastructure', 'UN', 'All events')
    """
    if not key:
        return "All events"
    if key in _LANE_NAMES:
        return _LANE_NAMES[key]
    if key.islower() and key.replace("_", "").isalpha():
        return key.replace("_", " ").capitalize() if len(key) > 3 else key.upper()
    return key


# Advance widths of Arial / Liberation Sans / Helvetica in 1/1000 em (the fonts named first in
# the charts' font stack); other characters get a generous default, so estimates err wide.
_WIDTHS: dict[str, int] = {}
for _chars, _w in (
    ("ijl'|", 222),
    (" ft.,:;!/\\[]I", 278),
    ("r-()`{}", 333),
    ('"', 355),
    ("*^", 389),
    ("Jcksvxyz", 500),
    ("abdeghnopqu0123456789$#?_L–~+<>=", 556),
    ("FTZ", 611),
    ("ABEKPSVXY&", 667),
    ("CDHNRUw", 722),
    ("GOQ", 778),
    ("mM", 833),
    ("%", 889),
    ("W@", 944),
    ("—…", 1000),
):
    for _c in _chars:
        _WIDTHS[_c] = _w


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated width in pixels of ``text`` at font ``size`` (errs on the wide side).

    >>> round(text_width("Treaty signed", 12))
    75
    """
    total = 0
    for c in text:
        w = _WIDTHS.get(c)
        if w is None:
            w = 1000 if ord(c) >= 0x2E80 else 620  # CJK is full width; others: be generous
        total += w
    factor = 1.08 if bold else 1.03
    return total * size / 1000 * factor


def wrap_text(text: str, width: float, size: float = 11.0) -> list[str]:
    """Greedy word wrap of ``text`` into lines at most ``width`` pixels wide at ``size``.

    >>> wrap_text("one two three four", 60)
    ['one two', 'three four']
    """
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if line and text_width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def _ev(kind: str) -> Event:
    return Event("2024", kind, ["RUS"], "x")
