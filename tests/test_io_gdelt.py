"""GDELT 1.0/2.0 import: the bundled sample completely, both layouts, CAMEO kept as strings."""

from __future__ import annotations

import collections
import io
from pathlib import Path

import pytest

from relations import InvalidDate, InvalidEvent, ParseError, UnknownActor
from relations.io import cameo, cameo_codes, import_gdelt, kind_for_cameo
from relations.io.cameo import CAMEO_KINDS, QUAD_CLASSES
from relations.io.gdelt import GDELT1_BACKFILE_COLUMNS, GDELT1_COLUMNS, GDELT2_COLUMNS
from relations.kinds import validate_kind
from relations.timeline import Timeline

SAMPLE = "gdelt1_events_sample.tsv"


@pytest.fixture(scope="module")
def sample(samples_dir: Path) -> Timeline:
    return import_gdelt(samples_dir / SAMPLE)


def _row(columns: tuple[str, ...], **values: str) -> str:
    cells = dict.fromkeys(columns, "")
    base = {
        "GLOBALEVENTID": "410412347",
        "SQLDATE": "20150218",
        "Actor1Code": "RUSGOV",
        "Actor1Name": "RUSSIA",
        "Actor1CountryCode": "RUS",
        "Actor2Code": "PRK",
        "Actor2Name": "NORTH KOREA",
        "Actor2CountryCode": "PRK",
        "IsRootEvent": "1",
        "EventCode": "042",
        "EventBaseCode": "042",
        "EventRootCode": "04",
        "QuadClass": "1",
        "GoldsteinScale": "1.9",
        "NumMentions": "10",
        "NumSources": "2",
        "NumArticles": "10",
        "AvgTone": "1.5",
        "ActionGeo_FullName": "Pyongyang, P'yongyang-si, North Korea",
        "ActionGeo_CountryCode": "KN",
        "DATEADDED": "20150218230000",
        "SOURCEURL": "https://www.example.com/news/1",
    }
    for k, v in {**base, **values}.items():
        if k in cells:
            cells[k] = v
    return "\t".join(cells[c] for c in columns)


def _import(*rows: str, **kwargs: object) -> Timeline:
    data = io.BytesIO(("\n".join(rows) + "\n").encode())
    return import_gdelt(data, **kwargs)  # type: ignore[call-overload,no-any-return]


# ---- the bundled sample ---------------------------------------------------------------------


def test_sample_imports_completely(samples_dir: Path) -> None:
    tl, rep = import_gdelt(samples_dir / SAMPLE, report=True)
    assert len(tl) == 710 and rep.ok and (rep.records, rep.loaded) == (710, 710)


def test_sample_has_both_gdelt1_layouts(sample: Timeline) -> None:
    with_url = sum(1 for e in sample if e.sources)
    assert (with_url, len(sample) - with_url) == (509, 201)
    backfile = [e for e in sample if not e.sources]
    assert {e.extra["date_added"][:4] for e in backfile} == {"2013"}
    assert {e.when.earliest.year for e in backfile if e.when.earliest} == {1982}
    assert {e.extra["source_dataset"] for e in sample} == {"gdelt1"}


def test_russia_north_korea_rows_are_found(sample: Timeline) -> None:
    rows = sample.involving("RUS", "PRK", any=True)
    assert len(rows) == 24
    for e in rows:
        countries = {e.extra.get("actor1_code", "")[:3], e.extra.get("actor2_code", "")[:3]}
        assert countries & {"RUS", "PRK"}


def test_cameo_codes_stay_strings_with_leading_zeros(sample: Timeline) -> None:
    codes = collections.Counter(e.extra["cameo"] for e in sample)
    assert "0834" in codes and "010" in codes and "10" not in codes
    e = next(e for e in sample if e.extra["cameo"] == "0834")
    assert (e.extra["cameo_root"], e.extra["quad_class"]) == ("08", "2")
    assert e.kind == "cameo.yield"


def test_goldstein_and_quad_class_agree_with_gdelt(sample: Timeline) -> None:
    assert not any("gdelt_goldstein" in e.extra for e in sample)
    for e in sample:
        code = cameo(e.extra["cameo"])
        assert e.extra["quad_class"] == str(code.quad_class)
        assert float(e.extra["goldstein"]) == code.goldstein


def test_region_codes_become_region_actors(sample: Timeline) -> None:
    regions = {a for e in sample for a in e.actors} & {"AFR", "EUR", "MEA", "WST"}
    assert regions == {"AFR", "EUR", "MEA", "WST"}
    assert len(sample.involving("AFR")) >= 1


def test_actor_without_country_is_unspecified_and_keeps_direction(sample: Timeline) -> None:
    e = sample["gdelt-564465142"]  # INDIGENOUS (no country) criticises CANADA
    assert e.actors == ("UNSPECIFIED", "CAN") and e.directed
    assert e.extra["actor1_name"] == "INDIGENOUS"


def test_sources_are_publishers_and_urls(sample: Timeline) -> None:
    e = next(e for e in sample if e.sources)
    s = e.sources[0]
    assert s.url is not None and s.url.startswith("http") and s.publisher in s.url
    assert str(s.published) == "2016-07-28"


# ---- layouts ---------------------------------------------------------------------------------


def test_layout_sizes() -> None:
    assert (len(GDELT1_BACKFILE_COLUMNS), len(GDELT1_COLUMNS), len(GDELT2_COLUMNS)) == (57, 58, 61)


def test_all_three_layouts_in_one_file() -> None:
    tl = _import(
        _row(GDELT2_COLUMNS),
        _row(GDELT1_COLUMNS, GLOBALEVENTID="2", DATEADDED="20160728"),
        _row(GDELT1_BACKFILE_COLUMNS, GLOBALEVENTID="3", DATEADDED="20130203"),
    )
    by_id = {e.id: e for e in tl}
    v2 = by_id["gdelt-410412347"]
    assert v2.extra["source_dataset"] == "gdelt2" and v2.kind == "diplomacy.visit"
    assert v2.actors == ("RUS", "PRK") and v2.directed
    assert str(v2.sources[0].published) == "2015-02-18T23:00:00Z"
    assert v2.sources[0].publisher == "example.com"
    assert v2.location == "Pyongyang, P'yongyang-si, North Korea"
    assert v2.extra["action_geo_country"] == "KN"  # FIPS, kept verbatim
    assert by_id["gdelt-2"].extra["source_dataset"] == "gdelt1"
    assert by_id["gdelt-3"].sources == ()


def test_domestic_event_has_one_actor() -> None:
    (e,) = _import(_row(GDELT2_COLUMNS, Actor2Code="RUSOPP", Actor2CountryCode="RUS"))
    assert e.actors == ("RUS",) and not e.directed


def test_no_country_at_all_is_unspecified() -> None:
    (e,) = _import(
        _row(
            GDELT2_COLUMNS,
            Actor1Code="GOV",
            Actor1CountryCode="",
            Actor2Code="",
            Actor2Name="",
            Actor2CountryCode="",
        )
    )
    assert e.actors == ("UNSPECIFIED",) and e.title.startswith("RUSSIA: Make a visit")


def test_goldstein_that_differs_from_the_table_is_kept() -> None:
    # issue 15: GDELT's own score is the measure (a number), the table's stays in extra
    (e,) = _import(_row(GDELT2_COLUMNS, GoldsteinScale="2.5"))
    assert (e.extra["goldstein"], e.measures["goldstein"]) == ("1.9", 2.5)
    assert "gdelt_goldstein" not in e.extra


def test_numeric_columns_are_measures_not_text(sample: Timeline) -> None:
    for e in sample:
        assert {"goldstein", "mentions", "sources", "articles", "tone"} <= set(e.measures)
        assert all(type(e.measures[k]) is int for k in ("mentions", "sources", "articles"))
        assert not {"num_mentions", "avg_tone", "action_geo_lat"} & set(e.extra)
    located = [e for e in sample if "latitude" in e.measures]
    assert located and all(-90 <= e.measures["latitude"] <= 90 for e in located)


def test_citation_that_is_not_a_url_becomes_the_publisher() -> None:
    (e,) = _import(_row(GDELT2_COLUMNS, SOURCEURL="BBC Monitoring"))
    assert e.sources[0].publisher == "BBC Monitoring" and e.sources[0].url is None


# ---- hostile rows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "error", "pattern"),
    [
        ({"SQLDATE": "20150231"}, InvalidDate, r"<stream>:1: field 'SQLDATE': invalid date"),
        ({"SQLDATE": "2015"}, InvalidDate, r"field 'SQLDATE'"),
        ({"EventCode": "999"}, InvalidEvent, r"<stream>:1: field 'EventCode': unknown CAMEO"),
        ({"EventCode": "42"}, InvalidEvent, r"did you mean '042'"),
        ({"Actor1CountryCode": "XYZ"}, UnknownActor, r"field 'Actor1CountryCode'.*'XYZ'"),
        ({"GLOBALEVENTID": ""}, InvalidEvent, r"field 'GLOBALEVENTID': is empty"),
        ({"NumMentions": "²"}, InvalidEvent, r"<stream>:1: field 'NumMentions': '²'"),
        ({"NumMentions": "-3"}, InvalidEvent, r"field 'NumMentions': '-3' is below 0"),
        ({"NumSources": "9" * 5000}, InvalidEvent, r"field 'NumSources'"),
        ({"AvgTone": "nan"}, InvalidEvent, r"field 'AvgTone': 'nan' is not a finite"),
        ({"GoldsteinScale": "1e999"}, InvalidEvent, r"field 'GoldsteinScale'"),
        ({"ActionGeo_Lat": "north"}, InvalidEvent, r"field 'ActionGeo_Lat'"),
    ],
)
def test_bad_cells_name_line_and_column(
    values: dict[str, str], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        _import(_row(GDELT2_COLUMNS, **values))


def test_wrong_column_count() -> None:
    good = _row(GDELT2_COLUMNS)
    with pytest.raises(ParseError, match=r"<stream>:2: row has 60 columns"):
        _import(good, good.rsplit("\t", 1)[0])


def test_skip_reports_bad_rows_and_keeps_the_rest() -> None:
    rows = [
        _row(GDELT2_COLUMNS, GLOBALEVENTID="1"),
        _row(GDELT2_COLUMNS, GLOBALEVENTID="2", Actor1CountryCode="XYZ"),
        "too\tshort",
        _row(GDELT2_COLUMNS, GLOBALEVENTID="4", SQLDATE="20151301"),
        _row(GDELT2_COLUMNS, GLOBALEVENTID="5"),
    ]
    tl, rep = _import(*rows, errors="collect", report=True)  # type: ignore[misc]
    assert [e.id for e in tl] == ["gdelt-1", "gdelt-5"]
    assert [(i.line, type(i.error)) for i in rep.issues] == [
        (2, UnknownActor),
        (3, ParseError),
        (4, InvalidDate),
    ]


def test_broken_utf8_row() -> None:
    data = (_row(GDELT2_COLUMNS) + "\n").encode().replace(b"RUSSIA", b"RUSS\xffIA")
    with pytest.raises(ParseError, match="<stream>:1: not valid UTF-8"):
        import_gdelt(io.BytesIO(data))


def test_progress_is_reported(samples_dir: Path) -> None:
    calls: list[int] = []
    import_gdelt(samples_dir / SAMPLE, progress=calls.append)
    assert calls == [710]


# ---- the CAMEO table -------------------------------------------------------------------------


def test_cameo_table_is_consistent() -> None:
    table = cameo_codes()
    assert len(table) == 311
    roots = {c.root for c in table.values()}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    for code, c in table.items():
        assert code == c.code and code.startswith(c.root) and 2 <= len(code) <= 4
        assert c.quad_class == (
            1 if c.root <= "05" else 2 if c.root <= "09" else 3 if c.root <= "14" else 4
        )
        assert QUAD_CLASSES[c.quad_class]
        assert -10 <= c.goldstein <= 10
        assert validate_kind(kind_for_cameo(code)) == c.kind


def test_root_goldstein_scores_match_the_published_scale() -> None:
    # Goldstein values of the CAMEO roots (event-data-standards reference, from andybega/icews)
    expected = {
        "01": 0,
        "02": 3,
        "03": 4,
        "04": 1,
        "05": 3.5,
        "06": 6,
        "07": 7,
        "08": 5,
        "09": -2,
        "10": -5,
        "11": -2,
        "12": -4,
        "13": -6,
        "14": -6.5,
        "15": -7.2,
        "16": -4,
        "17": -7,
        "18": -9,
        "19": -10,
        "20": -10,
    }
    assert {r: cameo(r).goldstein for r in expected} == expected


def test_cameo_kinds_are_valid_kinds() -> None:
    assert all(validate_kind(k) == k for k in CAMEO_KINDS.values())


def test_cameo_codes_must_be_text() -> None:
    with pytest.raises(InvalidEvent, match="leading zeros"):
        cameo(10)  # type: ignore[arg-type]


def test_imported_regions_read_back_in_a_fresh_process(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "regions.jsonl"
    tl = _import(
        _row(GDELT2_COLUMNS, Actor1CountryCode="AFR", Actor2Code="GOV", Actor2CountryCode="")
    )
    assert tl[0].actors == ("AFR", "UNSPECIFIED")
    tl.write_jsonl(path)
    code = (
        "import sys; from relations import timeline; "
        "print(timeline.read_jsonl(sys.argv[1])[0].actors)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "('AFR', 'UNSPECIFIED')"


def test_events_built_without_converters_equal_checked_ones(sample: Timeline) -> None:
    # the importer builds events from already-checked values (issue 15's speed); they must be
    # exactly what the checked constructor makes of the same record
    from relations.record import decode_event

    assert all(decode_event(e.to_dict()) == e for e in sample)
    assert all(hash(decode_event(e.to_dict())) == hash(e) for e in sample)


def test_dedupe_collapses_reports_of_one_event() -> None:
    first = _row(GDELT2_COLUMNS, GLOBALEVENTID="7", NumMentions="3", NumSources="1")
    later = _row(GDELT2_COLUMNS, GLOBALEVENTID="9", NumMentions="8", NumSources="2", AvgTone="-4")
    other = _row(GDELT2_COLUMNS, GLOBALEVENTID="8", EventCode="057")
    text = "\n".join([later, first, other]) + "\n"
    assert len(import_gdelt(io.BytesIO(text.encode()))) == 3
    tl = import_gdelt(io.BytesIO(text.encode()), dedupe=True)
    assert len(tl) == 2
    kept = next(e for e in tl if e.id == "gdelt-7")  # the lowest GLOBALEVENTID is kept
    assert (kept.measures["mentions"], kept.measures["sources"]) == (8, 2)  # the largest
    assert kept.extra["gdelt_reports"] == "2"
    assert kept.measures["tone"] != -4  # other measures are the kept row's
    single = next(e for e in tl if e.id == "gdelt-8")
    assert "gdelt_reports" not in single.extra


def test_dedupe_keeps_the_report() -> None:
    text = _row(GDELT2_COLUMNS) + "\n" + _row(GDELT2_COLUMNS, GLOBALEVENTID="2") + "\n"
    tl, rep = import_gdelt(io.BytesIO(text.encode()), dedupe=True, report=True)
    assert len(tl) == 1 and rep.records == 2 and rep.loaded == 2
