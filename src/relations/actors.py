"""Actors: states, organisations and historical states, resolved from the names people use.

Every state in ISO 3166-1 is known by its alpha-3 code (``RUS``), alpha-2 code (``RU``), ISO
name (``Russian Federation``), official and common names, and a few everyday aliases
(``Russia``, ``DPRK``); the country data comes from `pycountry`, not from a hand-typed table.
Organisations (``UN``, ``UNSC``, ``NATO``, ``EU``, ...) and historical states (``SUN``, the
USSR, whose successor is ``RUS`` from 1991-12-26; ``DDR``, ``CSK``, ``YUG``, ...; with the
dates they existed, ``Actor.existed``) are added here, along with the names political-science
data uses: inverted forms (``Korea, North``), abbreviations (``N. Korea``), demonyms
(``North Korean``), former names (``Burma``, ``Swaziland``, ``Ivory Coast``) and Kosovo
(``XKX``, the code the EU and IMF use). Users register their own.

**Code schemes.** Correlates of War (COW) and Gleditsch–Ward (GW) numbers, and COW's letter
codes, are read only when asked for, because they clash with ISO 3166 (COW ``GFR`` is West
Germany, COW ``KOR`` is the Korean Empire of 1887-1905, GW 970 is Kiribati but COW 970
Nauru): ``resolve_code(365, scheme="cow")``, ``Actor.from_cow("GFR")``, ``Actor.from_gw(260)``.
The tables ship in ``relations/actor_data/`` with their sources.

**Dates.** A code can mean another state in the past: GDELT writes ``RUS`` for the USSR in
1982. ``resolve_code("RUS", on="1982")`` is ``SUN``: with ``on``, a code whose state came out
of another (Russia and the other Soviet republics from the USSR, the Czech Republic and
Slovakia from Czechoslovakia, ...) resolves to that earlier state for a date certainly before
the change.

>>> resolve_code("RUS", on="1982"), resolve_code("RUS", on="1992"), resolve_code(365, scheme="cow")
('SUN', 'RUS', 'RUS')
>>> Actor.resolve("Korea, North").code, Actor.resolve("North Korean").code
('PRK', 'PRK')

>>> Actor.resolve("Russia") is Actor.resolve("RU") is Actor.resolve("Russian Federation")
True
>>> Actor.resolve("north korea").code
'PRK'
>>> Actor.resolve("USSR").successor, str(Actor.resolve("USSR").successor_from)
('RUS', '1991-12-26')
"""

from __future__ import annotations

import csv
import difflib
import importlib.resources
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal

import attrs

from relations.errors import InvalidEvent, UnknownActor

if TYPE_CHECKING:
    from relations.when import When

__all__ = [
    "Actor",
    "ActorKind",
    "all_actors",
    "predecessors_of",
    "register",
    "resolve_code",
    "successors_of",
    "unregister",
]

ActorKind = Literal["state", "organisation", "historical", "group", "person", "other"]
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_\-]{1,31}$")


def _coerce_when(value: object) -> When | None:
    if value is None:
        return None
    from relations.when import When  # lower module; imported late only to keep start-up light

    return When.coerce(value)


def _as_tuple_of_str(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if value is None:
        return ()
    if not isinstance(value, Iterable):
        raise InvalidEvent(f"actor aliases must be a list of names, not {value!r}")
    return tuple(str(v) for v in value)


@attrs.frozen(repr=False)
class Actor:
    """A party to events: a state, an organisation, a historical state or a group.

    ``code`` is stable and upper-case: ISO 3166-1 alpha-3 for states, short names for
    organisations. ``successor`` and ``successor_from`` record state succession, so that a
    query can follow the USSR into Russia.

    >>> Actor("WAGNER", "Wagner Group", aliases=("PMC Wagner",), kind="group")
    Actor('WAGNER', 'Wagner Group', aliases=('PMC Wagner',), kind='group')
    """

    code: str
    name: str
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_as_tuple_of_str)
    kind: ActorKind = "state"
    successor: str | None = None
    successor_from: When | None = attrs.field(default=None, converter=_coerce_when)
    existed: When | None = attrs.field(default=None, converter=_coerce_when, kw_only=True)
    """When a historical state existed (``1922-12-30/1991-12-25`` for the USSR), else None."""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.code, str) or not _CODE_RE.match(self.code):
            raise InvalidEvent(
                f"actor code {self.code!r} is not an upper-case code such as 'RUS' or 'NATO'"
            )
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidEvent(f"actor {self.code!r}: name {self.name!r} is empty")
        if self.kind not in ("state", "organisation", "historical", "group", "person", "other"):
            raise InvalidEvent(f"actor {self.code!r}: unknown actor kind {self.kind!r}")

    def __repr__(self) -> str:
        parts = [repr(self.code), repr(self.name)]
        if self.aliases:
            parts.append(f"aliases={self.aliases!r}")
        if self.kind != "state":
            parts.append(f"kind={self.kind!r}")
        if self.successor is not None:
            parts.append(f"successor={self.successor!r}")
        if self.successor_from is not None:
            parts.append(f"successor_from={str(self.successor_from)!r}")
        if self.existed is not None:
            parts.append(f"existed={str(self.existed)!r}")
        return f"Actor({', '.join(parts)})"

    def __str__(self) -> str:
        return self.code

    @classmethod
    def resolve(cls, name: Actor | str) -> Actor:
        """The registered actor for a code, ISO code, name or alias (case-insensitive).

        >>> Actor.resolve("DPRK").name
        'North Korea'
        >>> Actor.resolve("Rusia")
        Traceback (most recent call last):
        ...
        relations.errors.UnknownActor: unknown actor 'Rusia'; did you mean 'Russia' (RUS)?
        """
        if isinstance(name, Actor):
            return name
        return _REGISTRY.get(resolve_code(name))

    @classmethod
    def from_cow(cls, code: int | str, *, on: object = None) -> Actor:
        """The actor a Correlates of War number (``365``) or letter code (``"GFR"``) means.

        ``on`` (a date) resolves to the state of that time, as in :func:`resolve_code`.

        >>> Actor.from_cow(260).code, Actor.from_cow("ROK").code, Actor.from_cow(365, on="1982").code
        ('DEU', 'KOR', 'SUN')
        """
        return _REGISTRY.get(resolve_code(code, scheme="cow", on=on))

    @classmethod
    def from_gw(cls, code: int | str, *, on: object = None) -> Actor:
        """The actor a Gleditsch–Ward number means (``260`` Germany, ``340`` Serbia).

        >>> Actor.from_gw(970).name, Actor.from_cow(970).name
        ('Kiribati', 'Nauru')
        """
        return _REGISTRY.get(resolve_code(code, scheme="gw", on=on))


def _key(text: str) -> str:
    """Normalise a name for lookup: case, accents, punctuation and spacing do not matter."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", ascii_only.casefold()).strip()


# Everyday names that ISO 3166 does not carry, and organisations. Kept short on purpose:
# country names come from pycountry; this table is only what people actually type.
_EVERYDAY_ALIASES: dict[str, tuple[str, ...]] = {
    "RUS": ("Russia",),
    "PRK": ("DPRK", "North Korea", "N. Korea", "Korea, North", "Korea, DPR", "Korea DPR"),
    "KOR": (
        "ROK",
        "South Korea",
        "S. Korea",
        "Korea, South",
        "Republic of Korea",
        "Korea, Rep.",
    ),
    "USA": ("US", "United States of America", "America"),
    "GBR": ("UK", "Britain", "Great Britain"),
    "CHN": ("PRC", "People's Republic of China"),
    "IRN": ("Iran",),
    "SYR": ("Syria",),
    "VNM": ("Vietnam",),
    "TWN": ("Taiwan",),
    "MDA": ("Moldova",),
    "VEN": ("Venezuela",),
    "BOL": ("Bolivia",),
    "TZA": ("Tanzania",),
    "LAO": ("Laos",),
    "CZE": ("Czech Republic",),
    "TUR": ("Turkey",),
    "COD": ("DR Congo", "DRC", "Democratic Republic of the Congo", "Congo-Kinshasa"),
    "COG": ("Congo-Brazzaville", "Congo, Rep."),
    "MMR": ("Burma",),
    "CIV": ("Ivory Coast",),
    "SWZ": ("Swaziland",),
    "PSE": ("Palestine", "State of Palestine", "Palestinian territories"),
    "VAT": ("Vatican", "Vatican City", "Holy See"),
    "CPV": ("Cape Verde",),
    "MKD": ("Macedonia",),
    "BRN": ("Brunei",),
    "FSM": ("Micronesia",),
    "GMB": ("The Gambia",),
    "BHS": ("The Bahamas",),
}
# What people of a state are called, as news and event data write the actor ("North Korean
# troops"). Hand-kept (no maintained table exists in our dependencies); ambiguous ones
# ("Korean", "Congolese", "Guinean", "Dominican") are left out on purpose.
_DEMONYMS: dict[str, tuple[str, ...]] = {
    "AFG": ("Afghan",),
    "ARM": ("Armenian",),
    "AZE": ("Azerbaijani",),
    "BLR": ("Belarusian",),
    "CHN": ("Chinese",),
    "CUB": ("Cuban",),
    "DEU": ("German",),
    "EGY": ("Egyptian",),
    "ESP": ("Spanish",),
    "FRA": ("French",),
    "GBR": ("British",),
    "GEO": ("Georgian",),
    "IND": ("Indian",),
    "IRN": ("Iranian",),
    "IRQ": ("Iraqi",),
    "ISR": ("Israeli",),
    "ITA": ("Italian",),
    "JPN": ("Japanese",),
    "KAZ": ("Kazakh",),
    "KOR": ("South Korean",),
    "LBN": ("Lebanese",),
    "LBY": ("Libyan",),
    "MDA": ("Moldovan",),
    "MNG": ("Mongolian",),
    "PAK": ("Pakistani",),
    "POL": ("Polish",),
    "PRK": ("North Korean",),
    "PSE": ("Palestinian",),
    "RUS": ("Russian",),
    "SAU": ("Saudi",),
    "SDN": ("Sudanese",),
    "SSD": ("South Sudanese",),
    "SYR": ("Syrian",),
    "TUR": ("Turkish",),
    "TWN": ("Taiwanese",),
    "UKR": ("Ukrainian",),
    "USA": ("American",),
    "VEN": ("Venezuelan",),
    "VNM": ("Vietnamese",),
    "YEM": ("Yemeni",),
}
# The preferred display name where ISO's is a catalogue form ("Korea, Democratic People's ...").
_DISPLAY_NAMES = {
    "RUS": "Russia",
    "PRK": "North Korea",
    "KOR": "South Korea",
    "USA": "United States",
}

_ORGANISATIONS: tuple[Actor, ...] = (
    Actor("UN", "United Nations", aliases=("UNO", "U.N."), kind="organisation"),
    Actor("UNSC", "UN Security Council", aliases=("Security Council",), kind="organisation"),
    Actor("UNGA", "UN General Assembly", aliases=("General Assembly",), kind="organisation"),
    Actor("NATO", "North Atlantic Treaty Organization", kind="organisation"),
    Actor("EU", "European Union", kind="organisation"),
    Actor("IAEA", "International Atomic Energy Agency", kind="organisation"),
    Actor("ASEAN", "Association of Southeast Asian Nations", kind="organisation"),
    Actor("OSCE", "Organization for Security and Co-operation in Europe", kind="organisation"),
    Actor("CSTO", "Collective Security Treaty Organization", kind="organisation"),
    Actor("SCO", "Shanghai Cooperation Organisation", kind="organisation"),
    Actor("BRICS", "BRICS", kind="organisation"),
    Actor("G7", "Group of Seven", kind="organisation"),
    Actor("G20", "Group of Twenty", kind="organisation"),
    Actor("IMF", "International Monetary Fund", kind="organisation"),
    Actor("WTO", "World Trade Organization", kind="organisation"),
)


#: CAMEO's region codes (not ISO 3166), used by GDELT and ICEWS actors: built-in actors of kind
#: ``"other"`` (as is ``UNSPECIFIED``, a placeholder for an event side that names no identifiable
#: actor), so that imported files read back in any process without registering anything first.
CAMEO_REGIONS: dict[str, str] = {
    "AFR": "Africa",
    "ASA": "Asia",
    "BLK": "Balkans",
    "CRB": "Caribbean",
    "CAU": "Caucasus",
    "CFR": "Central Africa",
    "CAS": "Central Asia",
    "CEU": "Central Europe",
    "EIN": "East Indies",
    "EAF": "Eastern Africa",
    "EEU": "Eastern Europe",
    "EUR": "Europe",
    "LAM": "Latin America",
    "MEA": "Middle East",
    "MDT": "Mediterranean",
    "NAF": "North Africa",
    "NMR": "North America",
    "PGS": "Persian Gulf",
    "SCN": "Scandinavia",
    "SAM": "South America",
    "SAS": "South Asia",
    "SEA": "Southeast Asia",
    "SAF": "Southern Africa",
    "WAF": "West Africa",
    "WST": "The West",
}


# COW numbers that GW uses for another state, or not at all (see cow_gw_codes.csv)
_GW_DIFFERS = frozenset({"345", "678", "679", "946", "947", "955", "970"})


def _data_rows(name: str) -> Iterator[dict[str, str]]:
    """The rows of a CSV table in ``relations/actor_data`` (lines starting with # skipped)."""
    text = importlib.resources.files("relations").joinpath("actor_data", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    yield from csv.DictReader(lines)


def _ordinal_of(day: str) -> int:
    from relations.when import When  # lower module; imported late only to keep start-up light

    return When.from_edtf(day).lo


class _Registry:
    """Code → Actor and normalised name → code; built lazily, safe to extend from threads."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._by_code: dict[str, Actor] = {}
        self._by_key: dict[str, str] = {}
        self._exact: dict[object, str] = {}  # fast path: the exact strings seen before
        self._schemes: dict[str, dict[str, tuple[str, str]]] = {}  # cow/gw number -> code, name
        self._formerly: dict[str, list[tuple[int, str]]] = {}  # code -> (since, earlier code)
        self._built = False

    def _build(self) -> None:
        import pycountry

        for c in pycountry.countries:
            names = [c.alpha_2, c.name]
            names += [getattr(c, f) for f in ("official_name", "common_name") if hasattr(c, f)]
            names += _EVERYDAY_ALIASES.get(c.alpha_3, ())
            names += _DEMONYMS.get(c.alpha_3, ())
            display = _DISPLAY_NAMES.get(c.alpha_3, getattr(c, "common_name", c.name))
            aliases = tuple(dict.fromkeys(n for n in names if n != display))
            self._add(Actor(c.alpha_3, display, aliases=aliases))
        self._add(Actor("XKX", "Kosovo", aliases=("Republic of Kosovo", "XK", "Kosovar")))
        historic = {h.alpha_3: h for h in pycountry.historic_countries}
        for row in _data_rows("historical_states.csv"):
            if row["kind"] == "formerly":
                self._formerly.setdefault(row["code"], []).append(
                    (_ordinal_of(row["successor_from"]), row["successor"])
                )
                continue
            h = historic.get(row["code"])
            names = [*row["aliases"].split(";"), *((h.name,) if h is not None else ())]
            aliases = tuple(dict.fromkeys(n for n in names if n and n != row["name"]))
            self._add(
                Actor(
                    row["code"],
                    row["name"],
                    aliases=aliases,
                    kind="historical",
                    successor=row["successor"] or None,
                    successor_from=row["successor_from"] or None,
                    existed=f"{row['start']}/{row['end']}",
                )
            )
        for h in pycountry.historic_countries:
            if h.alpha_3 in self._by_code:
                continue
            aliases = (h.alpha_4,)
            self._add(Actor(h.alpha_3, h.name, aliases=aliases, kind="historical"))
        for row in _data_rows("cow_gw_codes.csv"):
            key = str(int(row["number"]))
            self._schemes.setdefault(row["scheme"], {})[key] = (row["code"], row["name"])
            if row["abbreviation"]:
                self._schemes["cow"][row["abbreviation"]] = (row["code"], row["name"])
        gw = self._schemes.setdefault("gw", {})
        for number, entry in self._schemes["cow"].items():
            if number.isdigit() and number not in gw and number not in _GW_DIFFERS:
                gw[number] = entry
        for org in _ORGANISATIONS:
            self._add(org)
        for code, name in CAMEO_REGIONS.items():
            self._add(Actor(code, name, kind="other"))
        self._add(Actor("UNSPECIFIED", "Unspecified actor", kind="other"))

    def _ensure(self) -> None:
        if not self._built:
            with self._lock:
                if not self._built:
                    self._build()
                    self._built = True

    def _add(self, actor: Actor, *, replace: bool = False) -> None:
        keys = {_key(n) for n in (actor.code, actor.name, *actor.aliases)}
        for k in keys:
            owner = self._by_key.get(k)
            if owner is not None and owner != actor.code and not replace:
                raise InvalidEvent(
                    f"cannot register actor {actor.code!r}: name {k!r} already means {owner!r}"
                )
        old = self._by_code.get(actor.code)
        if old is not None:
            if not replace:
                raise InvalidEvent(
                    f"actor {actor.code!r} is already registered; pass replace=True to replace it"
                )
            self._forget(old)
        self._by_code[actor.code] = actor
        for k in keys:
            self._by_key[k] = actor.code
        self._exact.clear()

    def _forget(self, actor: Actor) -> None:
        for k in [k for k, code in self._by_key.items() if code == actor.code]:
            del self._by_key[k]
        del self._by_code[actor.code]
        self._exact.clear()

    def register(self, actor: Actor, *, replace: bool = False) -> Actor:
        self._ensure()
        with self._lock:
            self._add(actor, replace=replace)
        return actor

    def unregister(self, code: str) -> None:
        self._ensure()
        with self._lock:
            actor = self._by_code.get(code)
            if actor is None:
                raise UnknownActor(f"cannot unregister {code!r}: no such actor")
            self._forget(actor)

    def code_of(self, name: object) -> str:
        code = self._exact.get(name)
        if code is not None:
            return code
        if not isinstance(name, str):
            raise UnknownActor(f"actor must be a name or code (str), not {name!r}")
        self._ensure()
        code = self._by_key.get(_key(name))
        if code is None:
            raise UnknownActor(self._unknown_message(name))
        if len(self._exact) < 100_000:  # bounded: a flood of distinct names must not grow it
            self._exact[name] = code
        return code

    def _unknown_message(self, name: str) -> str:
        # Compare against names, not short codes: "Rusia" is close to "USA" as letters go.
        short_query = len(name.strip()) <= 4
        names: dict[str, tuple[str, str]] = {}
        for a in self._by_code.values():
            for n in (a.name, *a.aliases, a.code):
                if len(n) > 4 or short_query:
                    names.setdefault(_key(n), (n, a.code))
        close = difflib.get_close_matches(_key(name), list(names), n=6, cutoff=0.75)
        suggestions: dict[str, str] = {}  # code -> the name that matched, best first
        for c in close:
            shown, code = names[c]
            suggestions.setdefault(code, shown)
        if suggestions:
            listed = " or ".join(f"{n!r} ({code})" for code, n in list(suggestions.items())[:3])
            return f"unknown actor {name!r}; did you mean {listed}?"
        return (
            f"unknown actor {name!r}; register it with relations.actors.register(Actor(code, name))"
        )

    def get(self, code: str) -> Actor:
        self._ensure()
        return self._by_code[code]

    def code_in_scheme(self, value: object, scheme: str) -> str:
        self._ensure()
        table = self._schemes.get(scheme)
        if table is None:
            raise UnknownActor(f"unknown code scheme {scheme!r}; one of 'cow', 'gw'")
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise UnknownActor(f"a {scheme.upper()} code is a number or letters, not {value!r}")
        key = str(value).strip().upper()
        if key.isdigit():
            key = str(int(key))
        entry = table.get(key)
        if entry is None:
            raise UnknownActor(f"unknown {scheme.upper()} code {value!r}")
        code, name = entry
        if not code:
            raise UnknownActor(
                f"{scheme.upper()} code {value!r} is {name}, a state relations does not "
                "register; register it with relations.actors.register(Actor(code, name))"
            )
        return code

    def on(self, code: str, day: int) -> str:
        """The code of the state that ``code``'s territory was part of on a day before ``day``."""
        self._ensure()
        seen = {code}
        changed = True
        while changed:
            changed = False
            for since, earlier in self._formerly.get(code, ()):
                if day < since and earlier not in seen:
                    code = earlier
                    seen.add(code)
                    changed = True
                    break
        return code

    def __iter__(self) -> Iterator[Actor]:
        self._ensure()
        return iter(sorted(self._by_code.values(), key=lambda a: a.code))


_REGISTRY = _Registry()
_EXACT = (
    _REGISTRY._exact
)  # the same dict object for the life of the process (cleared, never rebound)


def resolve_code(name: Actor | str | int, *, scheme: str | None = None, on: object = None) -> str:
    """The code of the actor a name, code or alias refers to (fast; cached).

    ``scheme="cow"`` or ``"gw"`` reads ``name`` as a Correlates of War number or letter code,
    or a Gleditsch–Ward number, instead. ``on`` (anything :class:`~relations.when.When`
    accepts) gives the state of that date: a code whose state came out of another resolves to
    the earlier state when the date is certainly before the change.

    >>> resolve_code("Russian Federation"), resolve_code("kp"), resolve_code("NATO")
    ('RUS', 'PRK', 'NATO')
    >>> resolve_code("RUS", on="1982-05-01"), resolve_code("Slovakia", on="1980")
    ('SUN', 'CSK')
    >>> resolve_code("GFR", scheme="cow"), resolve_code("345", scheme="cow", on="1985")
    ('DEU', 'YUG')
    """
    if scheme is not None or on is not None:
        found = resolve_code(name) if scheme is None else _REGISTRY.code_in_scheme(name, scheme)
        day = _coerce_when(on)
        return found if day is None else _REGISTRY.on(found, day.hi)
    try:
        code = _EXACT.get(name)  # hot path: a name seen before, one dict lookup
    except TypeError:  # unhashable, so certainly not a name
        raise UnknownActor(f"actor must be a name or code (str), not {name!r}") from None
    if code is not None:
        return code
    if isinstance(name, Actor):
        return name.code
    return _REGISTRY.code_of(name)


def register(actor: Actor, *, replace: bool = False) -> Actor:
    """Add a user-defined actor; its code, name and aliases then resolve like built-in ones.

    Raises :class:`~relations.InvalidEvent` if a name already belongs to another actor.

    >>> from relations.actors import register, unregister
    >>> _ = register(Actor("AZOV", "Azov Brigade", kind="group"))
    >>> Actor.resolve("azov brigade").code
    'AZOV'
    >>> unregister("AZOV")
    """
    return _REGISTRY.register(actor, replace=replace)


def unregister(code: str) -> None:
    """Remove a registered actor (mostly for tests and notebooks).

    >>> _ = register(Actor("XTEMP", "Temporary"))
    >>> unregister("XTEMP")
    >>> "XTEMP" in {a.code for a in all_actors()}
    False
    """
    _REGISTRY.unregister(code)


def all_actors() -> tuple[Actor, ...]:
    """Every registered actor, sorted by code.

    >>> len(all_actors()) > 250
    True
    """
    return tuple(_REGISTRY)


def successors_of(code: str) -> tuple[str, ...]:
    """The chain of successor states of ``code`` (USSR → Russia), nearest first.

    >>> successors_of("SUN")
    ('RUS',)
    """
    chain: list[str] = []
    current = _REGISTRY.get(resolve_code(code)).successor
    while current is not None and current not in chain:
        chain.append(current)
        current = _REGISTRY.get(current).successor
    return tuple(chain)


def predecessors_of(code: str) -> tuple[str, ...]:
    """The states that ``code`` succeeded, directly or through others (Russia → USSR).

    >>> predecessors_of("RUS")
    ('SUN',)
    """
    target = resolve_code(code)
    found: list[str] = []
    frontier = [target]
    while frontier:
        current = frontier.pop()
        for actor in _REGISTRY:
            if actor.successor == current and actor.code not in found:
                found.append(actor.code)
                frontier.append(actor.code)
    return tuple(found)
