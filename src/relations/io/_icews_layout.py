"""The ICEWS columns and the text rules shared by the row reader (:mod:`relations.io.icews`)
and the column fast path (:mod:`relations.io._icews_columns`)."""

from __future__ import annotations

import re

__all__ = ["ICEWS_COLUMNS", "KEPT", "MEASURE_COLUMNS", "REQUIRED", "sectors", "snake"]

#: The columns of an ICEWS file, in file order.
ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
)
#: The columns an ICEWS header must have.
REQUIRED = ("Event ID", "Event Date", "CAMEO Code", "Source Name", "Target Name")
#: (ICEWS column, extra key): cells kept in ``Event.extra`` when not empty.
KEPT = (
    ("Source Name", "source_name"),
    ("Source Country", "source_country"),
    ("Target Name", "target_name"),
    ("Target Country", "target_country"),
    ("Story ID", "story_id"),
    ("Sentence Number", "sentence_number"),
)
# (ICEWS column, measure): numbers, read as numbers (see relations.Event.measures).
MEASURE_COLUMNS = (("Intensity", "intensity"), ("Latitude", "latitude"), ("Longitude", "longitude"))


def sectors(value: str) -> str:
    """An ICEWS sector list (an unordered set, sometimes quoted) sorted and comma-joined.

    >>> sectors('"Military, Government",NA')
    'Government,Military'
    """
    parts = {p.strip().strip('"').strip() for p in value.split(",")}
    return ",".join(sorted(p for p in parts if p and p != "NA"))


def snake(column: str) -> str:
    """The ``extra`` key of a further column: lower case, ``_`` for other characters.

    >>> snake("Event Text (2)")
    'event_text_2'
    """
    return re.sub(r"[^0-9a-z]+", "_", column.lower()).strip("_")
