"""The three GDELT event-table layouts (57, 58 and 61 columns), shared by the importers."""

from __future__ import annotations

__all__ = [
    "GDELT1_BACKFILE_COLUMNS",
    "GDELT1_COLUMNS",
    "GDELT2_COLUMNS",
    "KEPT",
    "LAYOUTS",
    "MEASURES",
]

_ACTOR = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_BASE = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR),
    *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
)
_GEO1 = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")
_GEO2 = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")


def _geo(fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        f"{block}_{f}" for block in ("Actor1Geo", "Actor2Geo", "ActionGeo") for f in fields
    )


#: GDELT 1.0 daily files (58 columns), in file order.
GDELT1_COLUMNS: tuple[str, ...] = (*_BASE, *_geo(_GEO1), "DATEADDED", "SOURCEURL")
#: GDELT 1.0 historical backfiles (57 columns): the daily layout without ``SOURCEURL``.
GDELT1_BACKFILE_COLUMNS: tuple[str, ...] = GDELT1_COLUMNS[:-1]
#: GDELT 2.0 event files (61 columns).
GDELT2_COLUMNS: tuple[str, ...] = (*_BASE, *_geo(_GEO2), "DATEADDED", "SOURCEURL")

LAYOUTS: dict[int, tuple[str, dict[str, int]]] = {
    len(cols): (dataset, {c: i for i, c in enumerate(cols)})
    for dataset, cols in (
        ("gdelt1", GDELT1_BACKFILE_COLUMNS),
        ("gdelt1", GDELT1_COLUMNS),
        ("gdelt2", GDELT2_COLUMNS),
    )
}

#: (GDELT column, extra key): cells kept verbatim in ``Event.extra`` when not empty, by the
#: row-by-row reader and the column fast path alike.
KEPT = (
    ("Actor1Code", "actor1_code"),
    ("Actor1Name", "actor1_name"),
    ("Actor2Code", "actor2_code"),
    ("Actor2Name", "actor2_name"),
    ("IsRootEvent", "is_root_event"),
    ("DATEADDED", "date_added"),
    ("ActionGeo_CountryCode", "action_geo_country"),
)
#: (GDELT column, measure name, is a count): numbers, read as numbers (see
#: relations.Event.measures), in the order of the measure names (the order a FrozenMap keeps).
MEASURES = (
    ("NumArticles", "articles", True),
    ("GoldsteinScale", "goldstein", False),
    ("ActionGeo_Lat", "latitude", False),
    ("ActionGeo_Long", "longitude", False),
    ("NumMentions", "mentions", True),
    ("NumSources", "sources", True),
    ("AvgTone", "tone", False),
)
