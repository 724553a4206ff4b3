"""ICEWS import: the bundled sample completely, non-unique Event IDs, names to actor codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests._icews_rows import ICEWS_ROW

from relations import InvalidDate, InvalidEvent, ParseError, UnknownActor
from relations.io import import_icews
from relations.io.icews import ICEWS_COLUMNS
from relations.timeline import Timeline

SAMPLE = "icews_events.2018.sample.tab"
HEADER = "\t".join(ICEWS_COLUMNS)


@pytest.fixture(scope="module")
def sample(samples_dir: Path) -> Timeline:
    return import_icews(samples_dir / SAMPLE)


def _row(**values: str) -> str:
    base = dict(ICEWS_ROW)
    base.update(values)
    return "\t".join(base[c] for c in ICEWS_COLUMNS)


def _import(*rows: str, header: str = HEADER, **kwargs: object) -> Timeline:
    data = io.BytesIO(("\n".join([header, *rows]) + "\n").encode())
    return import_icews(data, **kwargs)  # type: ignore[call-overload,no-any-return]


def test_sample_imports_completely(samples_dir: Path) -> None:
    tl, rep = import_icews(samples_dir / SAMPLE, report=True)
    assert len(tl) == 3705 and rep.ok and rep.records == 3705


def test_russia_north_korea_rows_are_found(sample: Timeline) -> None:
    rows = sample.involving("RUS", "PRK")
    assert len(rows) == 80
    assert {frozenset((e.extra["source_country"], e.extra["target_country"])) for e in rows} == {
        frozenset(("Russian Federation", "North Korea"))
    }
    lavrov = [e for e in rows if e.extra.get("source_name", "").startswith("Sergey")]
    assert lavrov and all(e.directed and e.actors[0] == "RUS" for e in lavrov)


def test_cameo_codes_and_scores(sample: Timeline) -> None:
    e = next(e for e in sample if e.extra["cameo"] == "040")
    assert (e.kind, e.extra["cameo_root"], e.extra["quad_class"]) == (
        "diplomacy.meeting",
        "04",
        "1",
    )
    # ICEWS's own Intensity is kept beside the table's Goldstein score (they differ for 016);
    # issue 15: as a number among the measures, no longer text in extra
    e = next(e for e in sample if e.extra["cameo"] == "016")
    assert (e.extra["goldstein"], e.measures["intensity"]) == ("-2", -5.0)
    assert not {"intensity", "latitude", "longitude"} & set(e.extra)


def test_numeric_columns_are_measures(sample: Timeline) -> None:
    located = [e for e in sample if "latitude" in e.measures]
    assert located and all(type(e.measures["latitude"]) is float for e in located)
    assert all(-10 <= e.measures["intensity"] <= 10 for e in sample if "intensity" in e.measures)


def test_a_repeated_header_column_is_a_parse_error() -> None:
    header = "Event ID\tEvent Date\tSource Name\tCAMEO Code\tTarget Name\tEvent ID\n"
    row = "1\t2018-01-01\tRussia\t042\tChina\t1\n"
    with pytest.raises(ParseError, match=r"<stream>:1: .*repeats column\(s\) \['Event ID'\]"):
        import_icews(io.BytesIO((header + row).encode()))


def test_a_bad_intensity_names_line_and_column() -> None:
    header = "Event ID\tEvent Date\tSource Name\tCAMEO Code\tTarget Name\tIntensity\n"
    row = "1\t2018-01-01\tRussia\t042\tChina\t²\n"
    with pytest.raises(InvalidEvent, match=r"<stream>:2: field 'Intensity': '²'"):
        import_icews(io.BytesIO((header + row).encode()))


def test_sectors_are_a_sorted_set(sample: Timeline) -> None:
    for e in sample:
        for key in ("source_sectors", "target_sectors"):
            if key in e.extra:
                parts = e.extra[key].split(",")
                assert parts == sorted(set(parts)) and '"' not in e.extra[key]


def test_na_is_missing(sample: Timeline) -> None:
    assert not any(v == "NA" for e in sample for v in e.extra.values())
    assert all(e.location is None or "NA" not in e.location.split(", ") for e in sample)


def test_names_resolve_where_the_country_is_missing(sample: Timeline) -> None:
    eu = [e for e in sample if e.extra.get("source_name") == "European Union"]
    assert eu and all(e.actors[0] == "EU" for e in eu)
    unspecified = [e for e in sample if e.extra.get("target_name") == "Unspecified Actor"]
    assert unspecified and all(e.actors[-1] == "UNSPECIFIED" for e in unspecified)


def test_event_id_is_not_unique_so_the_date_is_part_of_the_key() -> None:
    tl = _import(_row(), _row(**{"Event Date": "2013-03-01"}))
    assert [e.id for e in tl] == ["icews-1-2013-03-01", "icews-1-2018-06-01"]
    assert {e.extra["source_event_id"] for e in tl} == {"1"}


def test_row_mapping() -> None:
    (e,) = _import(_row(**{"Source Sectors": '"Government",Executive,Government'}))
    assert e.actors == ("RUS", "PRK") and e.directed
    assert e.title == "Sergey Viktorovich Lavrov → Kim Jong-Un: Make a visit"
    assert e.location == "Pyongyang, North Korea"
    assert [s.publisher for s in e.sources] == ["Xinhua News Agency"]
    assert e.extra["source_sectors"] == "Executive,Government"
    assert "target_sectors" not in e.extra
    assert (e.extra["story_id"], e.extra["sentence_number"]) == ("47400351", "2")


def test_icews_country_names_that_iso_spells_otherwise() -> None:
    (e,) = _import(_row(**{"Target Country": "Occupied Palestinian Territory"}))
    assert e.actors == ("RUS", "PSE")


def test_extra_columns_are_kept() -> None:
    (e,) = _import(_row() + "\tv2", header=HEADER + "\tRelease Version")
    assert e.extra["release_version"] == "v2"


@pytest.mark.parametrize(
    ("values", "error", "pattern"),
    [
        ({"Event Date": "2018-02-30"}, InvalidDate, r"<stream>:2: field 'Event Date'"),
        ({"CAMEO Code": "40"}, InvalidEvent, r"<stream>:2: field 'CAMEO Code'.*'040'"),
        ({"Source Country": "Atlantis"}, UnknownActor, r"field 'Source Country'.*Atlantis"),
        ({"Event ID": "NA"}, InvalidEvent, r"field 'Event ID': is empty"),
    ],
)
def test_bad_rows(values: dict[str, str], error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        _import(_row(**values))


def test_wrong_column_count_and_skip() -> None:
    rows = [_row(), "1\t2018-06-01\tshort", _row(**{"Event ID": "2"})]
    with pytest.raises(ParseError, match=r"<stream>:3: row has 3 columns; the header has 20"):
        _import(*rows)
    tl, rep = _import(*rows, errors="skip", report=True)  # type: ignore[misc]
    assert len(tl) == 2 and rep.skipped == 1 and rep.records == 3


def test_not_an_icews_file() -> None:
    with pytest.raises(ParseError, match=r"<stream>:1: not an ICEWS header"):
        import_icews(io.BytesIO(b"a\tb\n1\t2\n"))


def test_events_built_without_converters_equal_checked_ones(sample: Timeline) -> None:
    # the importer builds events from already-checked values (issue 15's speed); they must be
    # exactly what the checked constructor makes of the same record
    from relations.record import decode_event

    assert all(decode_event(e.to_dict()) == e for e in sample)
    assert all(hash(decode_event(e.to_dict())) == hash(e) for e in sample)
