"""CAMEO event codes: names, root category, quad class, Goldstein score, and `relations` kind.

The table ``cameo_codes.tsv`` ships with the package (sources and licence in
``CAMEO_CODES.md`` beside it: the CAMEO 1.1b3 codebook, Schrodt 2012; the Goldstein scale,
Goldstein 1992; machine-readable via the GDELT Project's lookup files). Codes are strings and
leading zeros matter: ``"010"`` (make statement) is not ``"10"`` (demand).

>>> c = cameo("0834")
>>> c.name, c.root, c.quad_class, c.goldstein
('Accede to demands for change in institutions, regime', '08', 2, 5.0)
>>> cameo("10").name, cameo("010").name
('DEMAND', 'Make statement, not specified below')

Kinds
-----
:func:`kind_for_cameo` maps a code to a kind of the standard vocabulary
(:data:`relations.kinds.VOCABULARY`) where one fits, and otherwise to a custom kind in the
``cameo`` namespace named after the code's root category. The most specific entry of
:data:`CAMEO_KINDS` (longest matching code prefix) wins:

======= ========================================= =====================================
prefix  CAMEO                                     kind
======= ========================================= =====================================
01      make public statement                     ``diplomacy.statement``
02      appeal                                    ``cameo.appeal``
03      express intent to cooperate               ``cameo.intent_to_cooperate``
04      consult                                   ``diplomacy.meeting``
042/043 make / host a visit                       ``diplomacy.visit``
05      engage in diplomatic cooperation          ``diplomacy``
054     grant diplomatic recognition              ``diplomacy.recognition``
057     sign formal agreement                     ``agreement``
06      engage in material cooperation            ``cameo.material_cooperation``
061     cooperate economically                    ``economic``
062     cooperate militarily                      ``military.cooperation``
064     share intelligence or information         ``technology.transfer``
07      provide aid                               ``cameo.aid``
071/073 provide economic / humanitarian aid       ``economic.aid``
072     provide military aid                      ``military.aid``
08      yield                                     ``cameo.yield``
085     ease economic sanctions, boycott, embargo ``sanction.lifted``
09      investigate                               ``cameo.investigate``
10      demand                                    ``cameo.demand``
11      disapprove                                ``cameo.disapprove``
12      reject                                    ``cameo.reject``
13      threaten                                  ``cameo.threaten``
14      protest                                   ``cameo.protest``
15      exhibit force posture                     ``cameo.force_posture``
154     mobilize or increase armed forces         ``military.deployment``
16      reduce relations                          ``diplomacy.relations_weakened``
163     impose embargo, boycott, or sanctions     ``sanction.imposed``
1622    reduce or stop military assistance        ``military.aid.paused``
17      coerce                                    ``cameo.coerce``
18      assault                                   ``cameo.assault``
19      fight                                     ``war``
192     occupy territory                          ``occupation``
20      use unconventional mass violence          ``war``
======= ========================================= =====================================

The importers always keep the exact code, its root, quad class and Goldstein score in the
event's ``extra`` (``cameo``, ``cameo_root``, ``quad_class``, ``goldstein``), so nothing is
lost by the coarser kind.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources

import attrs

from relations._frozen import FrozenMap
from relations.errors import InvalidEvent

__all__ = [
    "CAMEO_KINDS",
    "QUAD_CLASSES",
    "TABLE_FILE",
    "CameoCode",
    "cameo",
    "cameo_codes",
    "kind_for_cameo",
]

#: File name of the CAMEO table inside the ``relations.io`` package.
TABLE_FILE = "cameo_codes.tsv"

#: The four quad classes of the GDELT codebook.
QUAD_CLASSES: Mapping[int, str] = FrozenMap(
    {
        1: "Verbal Cooperation",
        2: "Material Cooperation",
        3: "Verbal Conflict",
        4: "Material Conflict",
    }
)

#: CAMEO code prefix → kind; the longest prefix of a code that is listed here wins.
CAMEO_KINDS: Mapping[str, str] = FrozenMap(
    {
        "01": "diplomacy.statement",
        "02": "cameo.appeal",
        "03": "cameo.intent_to_cooperate",
        "04": "diplomacy.meeting",
        "042": "diplomacy.visit",
        "043": "diplomacy.visit",
        "05": "diplomacy",
        "054": "diplomacy.recognition",
        "057": "agreement",
        "06": "cameo.material_cooperation",
        "061": "economic",
        "062": "military.cooperation",
        "064": "technology.transfer",
        "07": "cameo.aid",
        "071": "economic.aid",
        "072": "military.aid",
        "073": "economic.aid",
        "08": "cameo.yield",
        "085": "sanction.lifted",
        "09": "cameo.investigate",
        "10": "cameo.demand",
        "11": "cameo.disapprove",
        "12": "cameo.reject",
        "13": "cameo.threaten",
        "14": "cameo.protest",
        "15": "cameo.force_posture",
        "154": "military.deployment",
        "16": "diplomacy.relations_weakened",
        "163": "sanction.imposed",
        "1622": "military.aid.paused",
        "17": "cameo.coerce",
        "18": "cameo.assault",
        "19": "war",
        "192": "occupation",
        "20": "war",
    }
)


@attrs.frozen
class CameoCode:
    """One CAMEO event code with its name, root category, quad class and Goldstein score.

    >>> cameo("042")
    CameoCode(code='042', name='Make a visit', root='04', quad_class=1, goldstein=1.9)
    """

    code: str
    name: str
    root: str
    quad_class: int
    goldstein: float

    @property
    def kind(self) -> str:
        """The `relations` kind for this code (see :data:`CAMEO_KINDS`).

        >>> cameo("0874").kind
        'cameo.yield'
        """
        return kind_for_cameo(self.code)


@functools.cache
def _table() -> Mapping[str, CameoCode]:
    text = resources.files("relations.io").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    rows = text.splitlines()[1:]
    out: dict[str, CameoCode] = {}
    for row in rows:
        code, root, quad, goldstein, name = row.split("\t")
        out[code] = CameoCode(code, name, root, int(quad), float(goldstein))
    return FrozenMap(out)


def cameo_codes() -> Mapping[str, CameoCode]:
    """Every CAMEO code in the shipped table, code → :class:`CameoCode`.

    >>> table = cameo_codes()
    >>> len(table), "0834" in table, "834" in table
    (311, True, False)
    """
    return _table()


def _check(code: object, field: str) -> str:
    if not isinstance(code, str):
        raise InvalidEvent(
            f"field {field!r}: CAMEO codes are text with their leading zeros "
            f"('010' is not '10'), not {type(code).__name__} {code!r}"
        )
    return code.strip()


def cameo(code: str, *, field: str = "cameo") -> CameoCode:
    """Look up a CAMEO code (a string); unknown codes raise InvalidEvent naming the field.

    >>> cameo("0211").goldstein
    3.4
    >>> cameo("999")
    Traceback (most recent call last):
    ...
    relations.errors.InvalidEvent: field 'cameo': unknown CAMEO event code '999'
    """
    key = _check(code, field)
    found = _table().get(key)
    if found is None:
        hint = ""
        if (
            key.isascii()
            and key.isdigit()
            and len(key) < 3
            and _table().get(key.zfill(3)) is not None
        ):
            hint = f" (leading zeros matter: did you mean {key.zfill(3)!r}?)"
        raise InvalidEvent(f"field {field!r}: unknown CAMEO event code {key!r}{hint}")
    return found


def kind_for_cameo(code: str) -> str:
    """The kind an event with this CAMEO code gets (longest prefix in :data:`CAMEO_KINDS`).

    >>> kind_for_cameo("043"), kind_for_cameo("1623"), kind_for_cameo("1622")
    ('diplomacy.visit', 'diplomacy.relations_weakened', 'military.aid.paused')
    """
    key = cameo(code).code
    for n in range(len(key), 1, -1):
        kind = CAMEO_KINDS.get(key[:n])
        if kind is not None:
            return kind
    raise InvalidEvent(f"field 'cameo': no kind for CAMEO code {key!r}")  # pragma: no cover
