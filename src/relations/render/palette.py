"""Lane colours that depend on the lane's value, never on its position in a chart.

A kind, a status, an actor or a dyad gets the same colour in every chart, in every session and
on every machine, so that two charts in one report agree. Colours come from palettes chosen to
stay distinguishable under the common forms of colour blindness (Okabe & Ito's, and Paul Tol's
"muted" and "dark" schemes), dark enough to carry a white outline and, darkened, to be read as
text. Colour is never the only cue: every lane is also named.

* the top-level **kinds** of the standard vocabulary have fixed colours (:data:`KIND_COLORS`);
* the five **statuses** have fixed colours (:data:`STATUS_COLORS`), graded from the confirmed
  (dark blue) to the contested (vermilion, reddish purple);
* any other value (an actor code, a dyad, a kind outside the vocabulary, the result of your own
  lane function) takes one of the sixteen colours of :data:`PALETTE`, picked by a hash of its
  text (SHA-256, not Python's per-process ``hash``). Two different values may share a colour;
  pass ``colors={"RUS": "#0072B2"}`` to choose.

>>> color_for("military"), color_for("military", lanes="kind")
('#D55E00', '#D55E00')
>>> color_for("claimed", lanes="status")
'#D55E00'
>>> color_for("RUS") == color_for("RUS") and color_for("RUS") in PALETTE
True
>>> color_for("RUS", colors={"RUS": "#123456"})
'#123456'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from relations.errors import InvalidArgument

__all__ = ["KIND_COLORS", "PALETTE", "STATUS_COLORS", "check_colors", "color_for"]

#: Sixteen distinct hues for values without a fixed colour, led by the Okabe-Ito colours.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#332288",  # indigo (Tol)
    "#882255",  # wine (Tol)
    "#117733",  # green (Tol)
    "#44AA99",  # teal (Tol)
    "#999933",  # olive (Tol)
    "#AA4499",  # purple (Tol)
    "#CC6677",  # rose (Tol)
    "#8C6D31",  # brown
    "#5D6D7E",  # slate
    "#1F4E79",  # navy
)

#: The colour of each top-level kind of the standard vocabulary (``lanes="kind"``).
KIND_COLORS: Mapping[str, str] = {
    "diplomacy": "#0072B2",
    "agreement": "#009E73",
    "military": "#D55E00",
    "war": "#882255",
    "occupation": "#8C6D31",
    "arms": "#E69F00",
    "technology": "#56B4E9",
    "labour": "#AA4499",
    "un": "#332288",
    "sanction": "#CC6677",
    "trade": "#117733",
    "economic": "#999933",
    "infrastructure": "#5D6D7E",
    "exchange": "#44AA99",
    "claim": "#1F4E79",
    "state": "#CC79A7",
    "cameo": "#6F7782",
}

#: The colour of each status (``lanes="status"``).
STATUS_COLORS: Mapping[str, str] = {
    "confirmed": "#1F4E79",
    "reported": "#56B4E9",
    "claimed": "#D55E00",
    "estimated": "#E69F00",
    "disputed": "#CC79A7",
}

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def check_colors(colors: Mapping[str, str] | None) -> dict[str, str]:
    """Validate user colours (``#rrggbb``), so that nothing else reaches the SVG.

    >>> check_colors({"RUS": "#AABBCC"})
    {'RUS': '#aabbcc'}
    >>> check_colors({"RUS": "red"})
    Traceback (most recent call last):
    ...
    relations.errors.InvalidArgument: colors['RUS']='red': expected a colour as #rrggbb
    """
    out: dict[str, str] = {}
    for k, v in (colors or {}).items():
        if not isinstance(v, str) or not _HEX.match(v):
            raise InvalidArgument(f"colors[{k!r}]={v!r}: expected a colour as #rrggbb")
        out[str(k)] = v.lower()
    return out


def color_for(value: str, *, lanes: object = None, colors: Mapping[str, str] | None = None) -> str:
    """The colour of a lane's value: yours (``colors``), then the fixed colour of a kind or
    status, then a colour of :data:`PALETTE` chosen by a stable hash of the text.

    ``lanes`` is the chart's lane specification: with ``"status"`` a status name takes its
    status colour, with anything else a kind name takes its kind colour.

    >>> color_for("reported", lanes="status"), color_for("trade")
    ('#56B4E9', '#117733')
    """
    if colors and value in colors:
        return colors[value]
    if lanes == "status" and value in STATUS_COLORS:
        return STATUS_COLORS[value]
    if value in KIND_COLORS:
        return KIND_COLORS[value]
    digest = hashlib.sha256(value.encode("utf-8")).digest()
    return PALETTE[int.from_bytes(digest[:4], "big") % len(PALETTE)]
