"""One well-formed ICEWS row, shared by the ICEWS import tests (each overrides some cells)."""

from __future__ import annotations

ICEWS_ROW = {
    "Event ID": "1",
    "Event Date": "2018-06-01",
    "Source Name": "Sergey Viktorovich Lavrov",
    "Source Sectors": "Government,Executive,Foreign Ministry",
    "Source Country": "Russian Federation",
    "Event Text": "Make a visit",
    "CAMEO Code": "042",
    "Intensity": "1.9",
    "Target Name": "Kim Jong-Un",
    "Target Sectors": "NA",
    "Target Country": "North Korea",
    "Story ID": "47400351",
    "Sentence Number": "2",
    "Publisher": "Xinhua News Agency",
    "City": "Pyongyang",
    "District": "NA",
    "Province": "NA",
    "Country": "North Korea",
    "Latitude": "39.0339",
    "Longitude": "125.754",
}
