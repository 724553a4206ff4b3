"""The columnar ICEWS import (Arrow CSV reader, column-wise mapping) is the row reader's twin.

For every input it must give what the row-by-row reader gives: the same events, and for
anything it cannot vouch for, the same errors, lines and reports (it hands such blocks, or
the whole file, to the row-by-row reader). The import to Parquet writes the same records.
"""

from __future__ import annotations

import io
import json
import re
from functools import partial
from pathlib import Path
from unittest import mock

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests._icews_rows import ICEWS_ROW
from tests._reader_outcomes import outcome, table_bytes

from relations.io import _chunks, _coded_columns, icews, import_icews, to_arrow
from relations.io._coded_timeline import ImportedColumns
from relations.io.icews import ICEWS_COLUMNS
from relations.io.import_parquet import import_to_parquet

SAMPLE = "icews_events.2018.sample.tab"
HEADER = "\t".join(ICEWS_COLUMNS)
rows_only = icews.reader(icews._rows)  # the row-by-row reader, for reference


def _row(columns: tuple[str, ...] = ICEWS_COLUMNS, **values: str) -> str:
    cells = {**ICEWS_ROW, **{k.replace("_", " "): v for k, v in values.items()}}
    return "\t".join(cells.get(c, "") for c in columns)


_table = partial(table_bytes, header=HEADER)  # (header= overrides it)


def _both(data: bytes, **kwargs: object) -> tuple[object, object]:
    return outcome(import_icews, data, **kwargs), outcome(rows_only, data, **kwargs)


def test_sample_fast_path_equals_row_by_row(samples_dir: Path) -> None:
    fast, rep = import_icews(samples_dir / SAMPLE, report=True)
    assert isinstance(fast._col, ImportedColumns)  # column-backed: no event built yet
    assert fast._col._built.count(None) == len(fast)
    ref, ref_rep = rows_only(samples_dir / SAMPLE, report=True)
    assert list(fast) == list(ref)
    assert rep == ref_rep


def _fast_used(data: bytes) -> bool:
    tl = import_icews(io.BytesIO(data), errors="skip")
    return isinstance(tl._col, ImportedColumns)


GOOD = _row()


@pytest.mark.parametrize(
    "rows",
    [
        [GOOD, _row(Event_ID="2", Source_Country="NA", Source_Name="European Union")],
        [GOOD, _row(Event_ID="2", Source_Country="NA", Source_Name="Some Person")],
        [GOOD, _row(Event_ID="2", Target_Country="", Target_Name="")],
        [GOOD, _row(Event_ID="2", Target_Country="Russian Federation")],
        [GOOD, _row(Event_ID="2", Source_Country="NA", Source_Name="NA", Target_Name="NA")],
        [GOOD, _row(Event_ID="2", Target_Country="Nowhere Land")],
        [GOOD, _row(Event_ID="2", Event_Date="20180602")],
        [GOOD, _row(Event_ID="2", Event_Date="2018-06-31")],
        [GOOD, _row(Event_ID="2", Event_Date="NA")],
        [GOOD, _row(Event_ID="NA")],
        [GOOD, _row(Event_ID="2", CAMEO_Code="999")],
        [GOOD, _row(Event_ID="2", CAMEO_Code="")],
        [GOOD, _row(Event_ID="2", Event_Text="", CAMEO_Code="0234")],
        [GOOD, _row(Event_ID="2", Intensity="NA", Latitude="", Longitude="NA")],
        [GOOD, _row(Event_ID="2", Intensity="inf")],
        [GOOD, _row(Event_ID="2", Latitude="1e999")],
        [GOOD, _row(Event_ID="2", Intensity="-.5e1", Longitude="+3.")],
        [GOOD, _row(Event_ID="2", Source_Sectors='"Military, Government",NA')],
        [GOOD, _row(Event_ID="2", City="Pyongyang", Province="Pyongyang", Country="NA")],
        [GOOD, _row(Event_ID="2", City="NA", District="NA", Province="NA", Country="NA")],
        [GOOD, _row(Event_ID="2", Publisher="NA")],
        [GOOD, _row(Event_ID=" 2 ", Source_Name=" Kim  ", Event_Text="Visit ")],
        [GOOD, _row(Event_ID="2", Source_Name="\u00a0Kim")],
        [GOOD, _row(Event_ID="2", Source_Name="Kim\x0bJong")],
        [GOOD, _row(Event_ID="2", Event_Text="say \"hi\" \\ 'x'")],
        [GOOD, GOOD],
        [GOOD, _row(CAMEO_Code="043")],
        [GOOD, "", "   ", _row(Event_ID="3")],
        [GOOD, "\t" * (len(ICEWS_COLUMNS) - 1)],
        [GOOD, "too\tshort"],
        [GOOD, _row(Event_ID="2") + "\textra"],
    ],
)
@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_fast_path_is_the_row_readers_twin(rows: list[str], errors: str) -> None:
    fast, ref = _both(_table(*rows), errors=errors)
    assert fast == ref


FEWER = tuple(c for c in ICEWS_COLUMNS if c not in ("Latitude", "District"))


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        ("\ufeff" + HEADER, [GOOD]),
        (HEADER + "\tNote", [GOOD + "\tfirst", _row(Event_ID="2") + "\tNA"]),
        (HEADER + "\tcameo", [GOOD + "\tx"]),
        (HEADER + "\tA b\ta_b", [GOOD + "\tx\ty"]),
        ("\t".join(FEWER), [_row(FEWER), _row(FEWER, Event_ID="2", Country="NA")]),
        ("Event ID\tEvent Date", [GOOD]),
        (HEADER + "\tEvent ID", [GOOD + "\t1"]),
        ("", [HEADER, GOOD]),
    ],
)
def test_headers(header: str, rows: list[str]) -> None:
    fast, ref = _both(_table(*rows, header=header), errors="collect")
    assert fast == ref


def test_windows_line_ends_take_the_fast_path() -> None:
    data = _table(GOOD, _row(Event_ID="2"), end="\r\n")
    assert _fast_used(data)
    fast, ref = _both(data)
    assert fast == ref


def test_blocks_keep_line_numbers() -> None:
    rows = [_row(Event_ID=str(i)) for i in range(1, 40)]
    rows[17] = _row(Event_ID="18", Target_Country="Atlantis")
    rows[23] = "short\trow"
    data = _table(*rows)
    with mock.patch.object(_chunks, "BLOCK_BYTES", 900):  # a few rows a block
        fast, ref = _both(data, errors="collect")
    assert fast == ref
    assert [(i.line, type(i.error).__name__) for i in fast[1].issues] == [  # type: ignore[index]
        (19, "UnknownActor"),
        (25, "ParseError"),
    ]


_CELLS = {
    "Event ID": st.sampled_from(["1", "2", "3", "NA", " 4", ""]),
    "Event Date": st.sampled_from(["2018-06-01", "20180602", "2018-02-30", "NA", "2018-06-01 "]),
    "Source Name": st.sampled_from(["Kim Jong-Un", "NA", "", "European Union", "Ümit"]),
    "Source Country": st.sampled_from(["Russian Federation", "NA", "Atlantis", "north korea"]),
    "Event Text": st.sampled_from(["Make a visit", "", "NA", 'Say "x"']),
    "CAMEO Code": st.sampled_from(["042", "0234", "190", "999", "", "04"]),
    "Intensity": st.sampled_from(["1.9", "-10", "NA", "", "x", "1e400", ".5"]),
    "Target Name": st.sampled_from(["Sergey Lavrov", "NA", "United Nations", "A\x1fB"]),
    "Target Country": st.sampled_from(["North Korea", "NA", "China"]),
    "Source Sectors": st.sampled_from(["NA", "Government,Executive", '"B,A",C', ""]),
    "City": st.sampled_from(["Pyongyang", "NA", "Hanoi"]),
    "Country": st.sampled_from(["North Korea", "NA", "Pyongyang"]),
    "Latitude": st.sampled_from(["39.03", "NA", "-0", "nan"]),
}


@st.composite
def _files(draw: st.DrawFn) -> bytes:
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["row", "row", "row", "row", "short", "blank"]))
        if kind == "short":
            rows.append("a\tb")
        elif kind == "blank":
            rows.append("")
        else:
            values = {c: draw(s) for c, s in _CELLS.items()}
            rows.append("\t".join(values.get(c, ICEWS_ROW[c]) for c in ICEWS_COLUMNS))
    return _table(*rows, end=draw(st.sampled_from(["\n", "\r\n"])))


@settings(max_examples=40, deadline=None)
@given(data=_files(), errors=st.sampled_from(["raise", "collect"]), block=st.sampled_from([0, 600]))
def test_generated_files_read_as_the_row_reader_reads_them(
    data: bytes, errors: str, block: int
) -> None:
    with mock.patch.object(_chunks, "BLOCK_BYTES", block or _chunks.BLOCK_BYTES):
        fast, ref = _both(data, errors=errors)
    assert fast == ref


def _canonical(table: object, names: list[str]) -> dict[str, list[object]]:
    out = {}
    for name in names:
        values = table.column(name).to_pylist()  # type: ignore[attr-defined]
        if name in ("measures", "sources", "extra", "quantities"):
            values = [None if v is None else json.loads(v) for v in values]
        out[name] = values
    return out


def test_parquet_has_the_layout_and_the_events(samples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    rep = import_to_parquet(samples_dir / SAMPLE, out, format="icews")
    assert (rep.records, rep.loaded, rep.skipped) == (3705, 3705, 0)
    t = pq.read_table(out).sort_by("id")
    assert t.schema.metadata[b"relations.layout"] == b"2"
    ref = to_arrow(rows_only(samples_dir / SAMPLE)).sort_by("id")
    assert _canonical(t, ref.column_names) == _canonical(ref, ref.column_names)
    events = {e.id: e for e in rows_only(samples_dir / SAMPLE)}
    for row in t.select(["id", "source", "target", "measure.intensity"]).to_pylist():
        e = events[row["id"]]
        assert row["source"] == (e.actors[0] if e.directed else None)
        assert row["target"] == (e.actors[1] if e.directed else None)
        assert row["measure.intensity"] == e.measures.get("intensity")


def test_parquet_falls_back_per_block_with_the_same_lines(tmp_path: Path) -> None:
    rows = [_row(Event_ID=str(i)) for i in range(1, 40)]
    rows[4] = _row(Event_ID="5", Event_Date="2018-13-01")
    src = tmp_path / "i.tab"
    src.write_bytes(_table(*rows))
    with mock.patch.object(_chunks, "BLOCK_BYTES", 900):
        rep = import_to_parquet(src, tmp_path / "i.parquet", format="icews", errors="collect")
    assert [i.line for i in rep.issues] == [6]
    assert pq.ParquetFile(tmp_path / "i.parquet").metadata.num_row_groups > 2
    got = pq.read_table(tmp_path / "i.parquet").sort_by("id")
    ref = to_arrow(rows_only(src, errors="skip", report=True)[0]).sort_by("id")
    assert rep.loaded == got.num_rows == 38
    assert _canonical(got, ref.column_names) == _canonical(ref, ref.column_names)


@settings(max_examples=25, deadline=None)
@given(data=_files(), errors=st.sampled_from(["raise", "collect"]))
def test_generated_files_write_what_the_row_reader_reads(data: bytes, errors: str) -> None:
    """One block: the Parquet file holds the row reader's events, or the import fails as the
    row reader does (across blocks, a reused id is not detected: see import_to_parquet)."""
    import tempfile

    def parquet() -> object:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "x.parquet"
            try:
                rep = import_to_parquet(io.BytesIO(data), out, format="icews", errors=errors)  # type: ignore[arg-type]
            except Exception as e:  # compared below
                return (type(e), str(e))
            t = pq.read_table(out)
            return (_canonical(t.sort_by("id"), NAMES), rep)

    def rows() -> object:
        try:
            tl, rep = rows_only(io.BytesIO(data), errors=errors, report=True)  # type: ignore[call-overload]
        except Exception as e:  # compared below
            return (type(e), str(e))
        return (_canonical(to_arrow(tl).sort_by("id"), NAMES), rep)

    assert parquet() == rows()


NAMES = [
    "id",
    "when",
    "kind",
    "actors",
    "title",
    "directed",
    "location",
    "measures",
    "sources",
    "extra",
]


def test_gdelt_rows_without_measures_or_actors_write_parquet(tmp_path: Path) -> None:
    """The layout's JSON objects keep a row whose every measure is empty (pyarrow 26's
    ``binary_join_element_wise(null_handling="skip")`` dropped such rows)."""
    from relations.io.gdelt import GDELT1_COLUMNS

    empty = dict.fromkeys(
        ["GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"], ""
    )
    cells = {"GLOBALEVENTID": "7", "SQLDATE": "20150218", "EventCode": "042", "SOURCEURL": ""}
    row = "\t".join(
        {**dict.fromkeys(GDELT1_COLUMNS, ""), **cells, **empty}[c] for c in GDELT1_COLUMNS
    )
    out = tmp_path / "g.parquet"
    assert import_to_parquet(io.BytesIO(row.encode() + b"\n"), out, format="gdelt").loaded == 1
    t = pq.read_table(out)
    assert t.column("measures").to_pylist() == [None]
    assert t.column("actors").to_pylist() == [["UNSPECIFIED"]]


_WIDE = re.compile(  # the reference: a cell starting or ending with a character strip() removes
    rb"(?:^|[\t\n])(?:\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
    rb"|\xe3\x80\x80)|(?:\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
    rb"|\xe3\x80\x80)(?:[\t\n]|$)"
)
_PIECES = [
    "a", "é", "\t", "\n", "\u0085", "\u00a0", "\u1680", "\u2000", "\u2005", "\u200a", "\u200b",
    "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\u3001", "\u2019", "\u00b0", "\u1681",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_wide_characters_at_cell_edges_are_found_as_the_regex_finds_them(
    pieces: list[str],
) -> None:
    data = "".join(pieces).encode()
    assert _coded_columns._wide_at_edge(data) == bool(_WIDE.search(data))


def test_an_actor_registered_between_imports_is_found() -> None:
    """The lookups kept across imports follow the actor registry."""
    from relations.actors import Actor, register, unregister
    from relations.errors import UnknownActor

    data = _table(GOOD, _row(Event_ID="2", Target_Country="Atlantis", Source_Name="Neptune"))
    with pytest.raises(UnknownActor, match="Atlantis"):
        import_icews(io.BytesIO(data))
    register(Actor("XATL", "Atlantis"))
    try:
        tl = import_icews(io.BytesIO(data))
        assert _fast_used(data)
        assert [e.actors for e in tl] == [("RUS", "PRK"), ("RUS", "XATL")]
    finally:
        unregister("XATL")
    with pytest.raises(UnknownActor, match="Atlantis"):
        import_icews(io.BytesIO(data))


def test_measures_aggregate_on_the_imported_columns(samples_dir: Path) -> None:
    """Aggregations read the imported measures (they sat in the whole table, not in the
    checked one, so mean("goldstein") of a GDELT import said no event carried it)."""
    from relations.io import gdelt, import_gdelt

    fast = import_icews(samples_dir / SAMPLE)
    ref = rows_only(samples_dir / SAMPLE)
    assert fast.value_names() == ref.value_names() == ([], ["intensity", "latitude", "longitude"])
    by = ("dyad", "month")
    assert fast.mean("intensity", by=by) == ref.mean("intensity", by=by)
    assert fast.involving("PRK").sum("intensity", by="day") == ref.involving("PRK").sum(
        "intensity", by="day"
    )
    g_fast = import_gdelt(samples_dir / "gdelt1_events_sample.tsv")
    g_ref = gdelt.reader(gdelt._rows)(samples_dir / "gdelt1_events_sample.tsv")
    assert g_fast.mean("goldstein", by="year", weight="mentions") == g_ref.mean(
        "goldstein", by="year", weight="mentions"
    )
    assert g_fast.sum("articles", by="year") == g_ref.sum("articles", by="year")
