"""How importers turn the actor codes and names of event datasets into `relations` actors.

- ISO 3166 codes and names (and everything else the actor registry knows) resolve as usual.
- CAMEO's region codes, which are not ISO (``AFR`` Africa, ``EUR`` Europe, ``MEA`` Middle
  East, ``WST`` the West, ...), are built-in actors of kind ``"other"`` under their CAMEO code
  (:data:`CAMEO_REGIONS`), so imported files read back in any process.
- A few codes and names datasets use for countries that ISO names differently are mapped
  (``ROM`` → ``ROU``, "Occupied Palestinian Territory" → ``PSE``, ...).
- A side of an event that is present but names no country or known actor (GDELT's ``GOV``
  with an empty country code, ICEWS's "Unspecified Actor" or a person without a country) is
  the registered placeholder actor :data:`UNSPECIFIED`, so that the event keeps its direction
  (who acted on whom) and the dataset's own code or name is kept in ``extra``.
- A code that is none of these (a typo, a code this library does not know) is an error,
  handled by the importer's ``errors=`` policy.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from relations.actors import CAMEO_REGIONS, Actor, all_actors, register, resolve_code
from relations.errors import UnknownActor, location_prefix

__all__ = [
    "CAMEO_REGIONS",
    "UNSPECIFIED",
    "NameIndex",
    "code_for",
    "ensure_registered",
]

#: Placeholder actor for an event side that names no identifiable actor.
UNSPECIFIED = "UNSPECIFIED"


# Country codes and names used by event datasets that the ISO-based registry spells otherwise.
_ALIASES: dict[str, str] = {
    # CAMEO country codes that differ from ISO 3166-1 alpha-3
    "ROM": "ROU",
    "ZAR": "COD",
    "TMP": "TLS",
    # ICEWS country names
    "occupied palestinian territory": "PSE",
    "the former yugoslav republic of macedonia": "MKD",
    "macedonia": "MKD",
    "holy see": "VAT",
    "vatican city": "VAT",
    "democratic republic of congo": "COD",
    "republic of congo": "COG",
    "swaziland": "SWZ",
    "burma": "MMR",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "east timor": "TLS",
    "shanghai cooperation organization": "SCO",
}

_lock = threading.Lock()
_registered = False


def ensure_registered() -> None:
    """Register the CAMEO region actors and the UNSPECIFIED placeholder (once; idempotent).

    >>> ensure_registered()
    >>> resolve_code("AFR"), resolve_code("Middle East"), resolve_code("UNSPECIFIED")
    ('AFR', 'MEA', 'UNSPECIFIED')
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        wanted = [Actor(UNSPECIFIED, "Unspecified actor", kind="other")]
        wanted += [Actor(c, n, kind="other") for c, n in CAMEO_REGIONS.items()]
        for actor in wanted:
            try:
                if resolve_code(actor.code) == actor.code:
                    continue  # already there (registered by the library or the user)
            except UnknownActor:
                pass
            register(actor)
        _registered = True


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _key(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII as it is, and casefold is lower
        return _NOT_ALNUM.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub(" ", plain.casefold()).strip()


# The last snapshot of the registry: its actors, its key table and the names looked up in it
# so far. An import reuses it while the registry holds the same actors (register() and
# unregister() change the tuple).
_snapshot: tuple[tuple[Actor, ...], dict[str, str], dict[str, str | None]] = ((), {}, {})


class NameIndex:
    """Code, name or alias → actor code, without raising: a snapshot of the registry.

    Built once per import (the registry's own lookup suggests close names on a miss, which is
    too slow for the many unknown person names of a large ICEWS file).

    >>> idx = NameIndex()
    >>> idx.get("Russian Federation"), idx.get("Occupied Palestinian Territory"), idx.get("Nobody")
    ('RUS', 'PSE', None)
    """

    __slots__ = ("_by_key", "_seen")

    def __init__(self) -> None:
        global _snapshot
        ensure_registered()
        actors = all_actors()
        last, by_key, seen = _snapshot
        if actors != last:
            by_key = {}
            for a in actors:
                for n in (a.code, a.name, *a.aliases):
                    by_key.setdefault(_key(n), a.code)
            for alias, code in _ALIASES.items():
                by_key.setdefault(_key(alias), code)
            seen = {}
            _snapshot = (actors, by_key, seen)
        self._by_key = by_key  # read only
        self._seen = seen  # each distinct text is normalised once (shared: same registry)

    @property
    def table(self) -> dict[str, str]:
        """The key table (the same object while the registry holds the same actors)."""
        return self._by_key

    def get(self, name: str) -> str | None:
        """The actor code for ``name``, or None."""
        seen = self._seen
        try:
            return seen[name]
        except KeyError:
            if len(seen) >= 100_000:
                seen.clear()
            code = seen[name] = self._by_key.get(_key(name))
            return code


def code_for(value: str, index: NameIndex, *, file: str, line: int, field: str) -> str:
    """The actor code for a dataset's country code or name; UnknownActor names the field.

    >>> code_for("PRK", NameIndex(), file="g.tsv", line=3, field="Actor1CountryCode")
    'PRK'
    >>> code_for("XYZ", NameIndex(), file="g.tsv", line=3, field="Actor1CountryCode")
    Traceback (most recent call last):
    ...
    relations.errors.UnknownActor: g.tsv:3: field 'Actor1CountryCode': unknown actor code or name 'XYZ' ...
    """
    code = index.get(value)
    if code is None:
        raise UnknownActor(
            f"{location_prefix(file=file, line=line, field=field)}unknown actor code or name "
            f"{value!r} (not ISO 3166, not a CAMEO region, not a registered actor); register "
            "it with relations.actors.register(Actor(code, name)) or use errors='skip'"
        )
    return code
