"""ACLED import, tested with hand-made rows in ACLED's column layout (ACLED's terms restrict
redistribution of real rows, so none are used here)."""

from __future__ import annotations

import csv
import io

import pytest

from relations import InvalidDate, InvalidEvent, InvalidQuantity, ParseError, UnknownActor
from relations.io import import_acled
from relations.io.acled import ACLED_COLUMNS
from relations.timeline import Timeline
from relations.when import Precision


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(ACLED_COLUMNS, "")
    row.update(
        event_id_cnty="RUS1001",
        event_date="2024-10-16",
        year="2024",
        time_precision="1",
        disorder_type="Political violence",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Military Forces of Russia (2000-)",
        inter1="1",
        actor2="Military Forces of Ukraine (2019-)",
        inter2="1",
        interaction="11",
        civilian_targeting="",
        iso="643",
        region="Europe",
        country="Russia",
        admin1="Kursk",
        admin2="Sudzhanskiy",
        location="Sudzha",
        latitude="51.1913",
        longitude="35.2709",
        geo_precision="1",
        source="Ministry of Defence of Ukraine; Meduza",
        source_scale="National-International",
        notes="On 16 October 2024, Russian forces clashed with Ukrainian forces near Sudzha.",
        fatalities="12",
        tags="",
        timestamp="1729600000",
    )
    row.update(values)
    return row


def _csv(*rows: dict[str, str], columns: tuple[str, ...] = ACLED_COLUMNS) -> io.StringIO:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") for c in columns])
    return io.StringIO(buf.getvalue())


def _one(**values: str) -> Timeline:
    return import_acled(_csv(_row(**values)))


def test_row_mapping() -> None:
    (e,) = _one()
    assert e.id == "acled-RUS1001"
    assert str(e.when) == "2024-10-16" and e.when.precision == Precision.DAY
    assert e.kind == "acled.battles.armed_clash"
    assert e.actors == ("RUS", "UKR") and not e.directed  # ACLED order is not a direction
    assert e.title == (
        "Armed clash: Military Forces of Russia (2000-) – Military Forces of Ukraine (2019-)"
    )
    assert e.summary.startswith("On 16 October 2024")
    assert e.location == "Sudzha, Kursk, Russia"
    assert str(e.quantities["fatalities"]) == "about 12 people"
    assert [s.publisher for s in e.sources] == ["Ministry of Defence of Ukraine", "Meduza"]
    assert e.extra["source_dataset"] == "acled" and e.extra["source_event_id"] == "RUS1001"
    assert (e.extra["time_precision"], e.extra["geo_precision"]) == ("1", "1")
    assert e.extra["inter1"] == "1" and e.extra["actor2"].startswith("Military Forces of Ukraine")
    assert "notes" not in e.extra and "fatalities" not in e.extra


@pytest.mark.parametrize(
    ("precision", "when", "days"),
    [("1", "2024-10-16", 1), ("2", "[2024-10-13..2024-10-19]", 7), ("3", "2024-10", 31)],
)
def test_time_precision_is_kept(precision: str, when: str, days: int) -> None:
    (e,) = _one(time_precision=precision)
    assert str(e.when) == when and e.when.hi - e.when.lo + 1 == days
    assert e.extra["time_precision"] == precision


def test_numbers_are_measures() -> None:
    (e,) = _one()
    assert dict(e.measures) == {"fatalities": 12, "latitude": 51.1913, "longitude": 35.2709}
    assert not {"latitude", "longitude"} & set(e.extra)


@pytest.mark.parametrize(
    ("values", "pattern"),
    [({"latitude": "²"}, r"field 'latitude': '²'"), ({"longitude": "inf"}, r"field 'longitude'")],
)
def test_bad_coordinates_name_line_and_column(values: dict[str, str], pattern: str) -> None:
    with pytest.raises(InvalidEvent, match=pattern):
        _one(**values)


@pytest.mark.parametrize("iso", ["²", "9" * 5000])
def test_a_hostile_numeric_iso_is_not_a_raw_value_error(iso: str) -> None:
    with pytest.raises(UnknownActor, match=r"field 'country'"):
        _one(country="Atlantis", iso=iso)


def test_zero_fatalities_are_exact() -> None:
    (e,) = _one(fatalities="0")
    assert e.quantities["fatalities"].is_exact and float(e.quantities["fatalities"]) == 0


def test_fatalities_sum_over_a_timeline() -> None:
    tl = import_acled(_csv(_row(), _row(event_id_cnty="RUS1002", fatalities="3")))
    assert sum(float(e.quantities["fatalities"]) for e in tl) == 15


def test_actor_countries() -> None:
    (e,) = _one(actor1="Protesters (Ukraine)", actor2="", country="Ukraine", iso="804")
    assert e.actors == ("UKR",)
    (e,) = _one(actor1="Unidentified Armed Group (Russia)", actor2="Civilians (International)")
    assert e.actors == ("RUS",)  # "International" is no country: the event's country
    (e,) = _one(actor1="Police Forces of the United States (2021-)", country="United States")
    assert e.actors[0] == "USA"


def test_numeric_iso_when_the_country_name_is_unknown() -> None:
    (e,) = _one(country="Russie", actor1="Rioters", actor2="")
    assert e.actors == ("RUS",)


def test_older_exports_with_upper_case_columns_and_text_dates() -> None:
    old = (*(c.upper() for c in ACLED_COLUMNS), "EVENT_ID_NO_CNTY", "DATA_ID", "ISO3")
    row = {c.upper(): v for c, v in _row(event_date="16 October 2024").items()}
    row.update(EVENT_ID_NO_CNTY="1001", DATA_ID="99", ISO3="RUS")
    (e,) = import_acled(_csv(row, columns=old))
    assert str(e.when) == "2024-10-16"
    assert (e.extra["data_id"], e.extra["iso3"]) == ("99", "RUS")


@pytest.mark.parametrize("date", ["16-10-2024", "16/10/2024", "2024-10-16", "16 october 2024"])
def test_date_formats(date: str) -> None:
    assert str(_one(event_date=date)[0].when) == "2024-10-16"


@pytest.mark.parametrize(
    ("values", "error", "pattern"),
    [
        ({"time_precision": "4"}, InvalidDate, r"<stream>:2: field 'time_precision'"),
        ({"event_date": "2024-02-30"}, InvalidDate, r"<stream>:2: field 'event_date'"),
        ({"event_date": "yesterday"}, InvalidDate, r"field 'event_date'"),
        ({"fatalities": "-1"}, InvalidQuantity, r"field 'fatalities'"),
        ({"fatalities": "a few"}, InvalidQuantity, r"field 'fatalities'"),
        ({"country": "Atlantis", "iso": ""}, UnknownActor, r"field 'country'.*Atlantis"),
        ({"event_id_cnty": ""}, InvalidEvent, r"field 'event_id_cnty': is empty"),
    ],
)
def test_bad_rows(values: dict[str, str], error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        _one(**values)


def test_skip_bad_rows() -> None:
    src = _csv(_row(), _row(event_id_cnty="X2", time_precision="9"), _row(event_id_cnty="X3"))
    tl, rep = import_acled(src, errors="collect", report=True)
    assert [e.id for e in tl] == ["acled-RUS1001", "acled-X3"]
    assert [i.line for i in rep.issues] == [3]


def test_not_an_acled_export() -> None:
    with pytest.raises(ParseError, match="not an ACLED export"):
        import_acled(io.StringIO("id,date\n1,2024-01-01\n"))
