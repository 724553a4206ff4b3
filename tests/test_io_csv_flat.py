"""The spreadsheet round trip (issue 19): the flat CSV layout, column mapping, formula escaping."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relations import Event, Quantity, Source, timeline
from relations.errors import ParseError
from relations.formats.csv import escape_formula, unescape_formula
from relations.io import read_csv, write_csv
from relations.testing import events, timelines


def _normalised(e: Event) -> Event:
    """An empty location reads back as none (CSV cannot tell them apart)."""
    return e.evolve(location=None) if e.location == "" else e


def _round_trip(tl, **kwargs):
    buf = io.StringIO()
    write_csv(tl, buf, **kwargs)
    return read_csv(io.StringIO(buf.getvalue())), buf.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(max_size=6), st.sampled_from(["canonical", "flat"]), st.booleans())
def test_every_timeline_reads_back_in_either_layout(tl, layout, escape):
    back, _ = _round_trip(tl, layout=layout, escape_formulas=escape)
    assert list(back) == [_normalised(e) for e in tl]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="'=+-@\t\r x1.", max_size=8), st.booleans())
def test_formula_escaping_is_undone_exactly(text, neutralise):
    assert unescape_formula(escape_formula(text, neutralise=neutralise)) == text


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_a_hostile_title_is_neutralised_and_reads_back(title):
    tl = timeline.of(Event("2024", "trade", ["RUS"], title, id="t"))
    back, text = _round_trip(tl)
    cell = next(csv.DictReader(io.StringIO(text)))["title"]
    assert cell == "'" + title
    assert back[0].title == title
    _, raw = _round_trip(tl, escape_formulas=False)
    assert next(csv.DictReader(io.StringIO(raw)))["title"] == title


def test_numbers_and_negative_years_are_not_formulas():
    e = Event("-0044", "trade", ["RUS"], "Ides", id="t", quantities={"n": Quantity(-5, "count")})
    back, text = _round_trip(timeline.of(e), layout="flat")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["when"] == "-0044" and row["quantity.n.value"] == "-5"
    assert back[0] == e
    # but a negative date a spreadsheet would compute is neutralised
    e2 = Event("-0044-03-15", "trade", ["RUS"], "Ides", id="t2")
    back2, text2 = _round_trip(timeline.of(e2), layout="flat")
    assert next(csv.DictReader(io.StringIO(text2)))["when"] == "'-0044-03-15"
    assert back2[0] == e2


def test_the_flat_layout_has_no_json_in_common_cells():
    e = Event(
        "2024-06",
        "military.deployment",
        ["PRK", "RUS"],
        "Troops",
        id="t",
        quantities={"soldiers": Quantity.range(10000, 12000, "people")},
        sources=[Source("Reuters", "Troops sent", "https://example.org/x")],
        tags=["kursk", "troops"],
        extra={"cameo": "150"},
    )
    back, text = _round_trip(timeline.of(e), layout="flat")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["earliest"] == "2024-06-01" and row["latest"] == "2024-06-30"
    assert row["quantity.soldiers.low"] == "10000" and row["quantity.soldiers.high"] == "12000"
    assert row["quantity.soldiers.unit"] == "people"
    assert row["source.publisher"] == "Reuters" and row["source.url"] == "https://example.org/x"
    assert row["tags"] == "kursk;troops" and row["extra.cameo"] == "150"
    assert not any(v.startswith(("{", "[")) for v in row.values())
    assert back[0] == e


def test_a_users_own_column_names_are_mapped():
    text = "date,type,actor1,actor2,headline,deaths,comment\n2024-06-19,trade,RUS,PRK,Deal,3,x\n"
    tl = read_csv(
        io.StringIO(text),
        columns={
            "date": "when",
            "type": "kind",
            "actor1": "actors",
            "actor2": "actors",
            "headline": "title",
            "deaths": "quantity.deaths.value",
            "comment": "extra.comment",
        },
    )
    (e,) = tl
    assert e.actors == ("RUS", "PRK") and e.title == "Deal"
    assert float(e.quantities["deaths"]) == 3 and e.extra["comment"] == "x"


def test_a_dropped_column_and_mapping_errors():
    text = "date,kind,actors,title,junk\n2024,trade,RUS,T,zz\n"
    tl = read_csv(io.StringIO(text), columns={"date": "when", "junk": None})
    assert len(tl) == 1
    with pytest.raises(ParseError, match=r"unknown column\(s\) \['junk'\]"):
        read_csv(io.StringIO(text), columns={"date": "when"})
    with pytest.raises(ParseError, match=r"\['datum'\] of the mapping are not in the file"):
        read_csv(io.StringIO(text), columns={"datum": "when"})


@settings(max_examples=50, deadline=None)
@given(events())
def test_to_pandas_flat_has_the_flat_columns(e):
    pytest.importorskip("pandas")
    from relations.formats.arrow import to_pandas

    df = to_pandas([e], layout="flat")
    assert "quantities" not in df.columns and "sources" not in df.columns
    for name in e.quantities:
        assert f"quantity.{name}.unit" in df.columns


def test_measures_get_one_number_column_each_in_the_flat_layout() -> None:
    e = Event("2024", "cameo", ["RUS"], "T", id="t", measures={"goldstein": -2.5, "mentions": 3})
    buf = io.StringIO()
    write_csv([e], buf, layout="flat")
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert (cells["measure.goldstein"], cells["measure.mentions"]) == ("-2.5", "3")
    assert "measures" not in rows[0]
    back = read_csv(io.StringIO(buf.getvalue()))
    assert back[0].measures == {"goldstein": -2.5, "mentions": 3}
    assert type(back[0].measures["mentions"]) is int
