"""The columnar GDELT import and the streamed import to Parquet (the columnar layout).

The fast path (Arrow CSV reader, column-wise mapping) must give exactly what the row-by-row
reader gives: the same events, and for anything it cannot vouch for, the same errors, lines
and reports (it hands such blocks to the row-by-row reader).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from relations import ParseError, UnknownActor
from relations.cli import main
from relations.io import _chunks, gdelt, import_gdelt, import_icews, to_arrow
from relations.io._gdelt_timeline import ImportedColumns
from relations.io.gdelt import GDELT1_COLUMNS, GDELT2_COLUMNS
from relations.io.import_parquet import import_to_parquet

GDELT = "gdelt1_events_sample.tsv"
ICEWS = "icews_events.2018.sample.tab"
rows_only = gdelt.reader(gdelt._rows)  # the row-by-row reader, for reference


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
        "GoldsteinScale": "1.9",
        "NumMentions": "10",
        "NumSources": "2",
        "NumArticles": "10",
        "AvgTone": "1.5",
        "ActionGeo_FullName": 'Pyongyang, "P\'yongyang-si", North Korea \\ KN',
        "ActionGeo_CountryCode": "KN",
        "ActionGeo_Lat": "39.0194",
        "ActionGeo_Long": "125.755",
        "DATEADDED": "20150218230000",
        "SOURCEURL": "https://www.Example.com/news/1",
    }
    for k, v in {**base, **values}.items():
        if k in cells:
            cells[k] = v
    return "\t".join(cells[c] for c in columns)


def _data(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def _both(data: bytes, **kwargs: object) -> tuple[object, object]:
    """(fast path, row-by-row) results of one input: a (Timeline, report) pair or the error."""

    def run(fn: object) -> object:
        try:
            tl, rep = fn(io.BytesIO(data), report=True, **kwargs)  # type: ignore[operator]
        except Exception as e:  # compared below
            return (type(e), str(e))
        return (list(tl), rep)

    return run(import_gdelt), run(rows_only)


def test_sample_fast_path_equals_row_by_row(samples_dir: Path) -> None:
    fast = import_gdelt(samples_dir / GDELT)
    assert isinstance(fast._col, ImportedColumns)  # column-backed: no event built yet
    assert fast._col._built.count(None) == len(fast)
    assert list(fast) == list(rows_only(samples_dir / GDELT))


def test_dedupe_fast_equals_row_by_row(samples_dir: Path) -> None:
    fast = import_gdelt(samples_dir / GDELT, dedupe=True)
    ref = rows_only(samples_dir / GDELT)
    assert list(fast) == gdelt.dedupe_gdelt(gdelt._by_id(ref)) or fast == type(ref)(
        gdelt.dedupe_gdelt(gdelt._by_id(ref))
    )


GOOD = _row(GDELT2_COLUMNS, GLOBALEVENTID="1")


@pytest.mark.parametrize(
    "rows",
    [
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", Actor2CountryCode="", Actor2Code="")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", Actor1CountryCode="", Actor2Code="")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", Actor2CountryCode="RUS")],
        [GOOD, _row(GDELT1_COLUMNS, GLOBALEVENTID="2", SQLDATE="2015-02-19")],
        [GOOD, "", "   ", _row(GDELT2_COLUMNS, GLOBALEVENTID="3")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", NumMentions=" 7")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", AvgTone="NA", GoldsteinScale="")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", AvgTone="inf")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", NumSources="+3", AvgTone="-.5e1")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", Actor1CountryCode="XYZ")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", SOURCEURL="BBC Monitoring")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", SOURCEURL="http://u@h.org:80/x")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", SOURCEURL="", DATEADDED="bad")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", DATEADDED="20151399000000")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", Actor1Name="\u00a0X")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", Actor1Name="A\rB")],
        [GOOD, GOOD],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="1", EventCode="043")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", EventCode="999")],
        [GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", ActionGeo_Lat="-0")],
        ["\ufeff" + GOOD],
        [GOOD, "too\tshort"],
    ],
)
@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_fast_path_is_the_row_readers_twin(rows: list[str], errors: str) -> None:
    fast, ref = _both(_data(*rows), errors=errors)
    assert fast == ref


def test_blocks_keep_line_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_chunks, "BLOCK_BYTES", 700)  # a few rows a block
    rows = [_row(GDELT2_COLUMNS, GLOBALEVENTID=str(i)) for i in range(1, 30)]
    rows[17] = _row(GDELT2_COLUMNS, GLOBALEVENTID="18", Actor1CountryCode="XYZ")
    rows[23] = "short\trow"
    data = _data(*rows)
    fast, ref = _both(data, errors="collect")
    assert fast == ref
    _, rep = import_gdelt(io.BytesIO(data), errors="collect", report=True)
    assert [(i.line, type(i.error)) for i in rep.issues] == [(18, UnknownActor), (24, ParseError)]


def test_parquet_has_the_layout_and_the_events(samples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    rep = import_to_parquet(samples_dir / GDELT, out, format="gdelt")
    assert (rep.records, rep.loaded, rep.skipped) == (710, 710, 0)
    t = pq.read_table(out)
    assert t.schema.metadata[b"relations.layout"] == b"2"
    ref = to_arrow(import_gdelt(samples_dir / GDELT)).sort_by("id")
    got = t.select(ref.column_names).sort_by("id")
    for name in ref.column_names:
        a, b = got.column(name).to_pylist(), ref.column(name).to_pylist()
        if name in ("measures", "sources", "extra", "quantities"):
            a = [None if v is None else json.loads(v) for v in a]
            b = [None if v is None else json.loads(v) for v in b]
        assert a == b, name
    events = {e.id: e for e in import_gdelt(samples_dir / GDELT)}
    for row in t.select(
        ["id", "source", "target", "measure.goldstein", "measure.mentions"]
    ).to_pylist():
        e = events[row["id"]]
        assert row["source"] == (e.actors[0] if e.directed else None)
        assert row["target"] == (e.actors[1] if e.directed else None)
        assert row["measure.goldstein"] == e.measures.get("goldstein")
        assert row["measure.mentions"] == e.measures.get("mentions")


def test_parquet_streams_blocks_and_reports_lines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_chunks, "BLOCK_BYTES", 700)
    rows = [_row(GDELT2_COLUMNS, GLOBALEVENTID=str(i)) for i in range(1, 30)]
    rows[4] = _row(GDELT2_COLUMNS, GLOBALEVENTID="5", SQLDATE="20151301")
    src = tmp_path / "g.tsv"
    src.write_bytes(_data(*rows))
    out = tmp_path / "g.parquet"
    rep = import_to_parquet(src, out, format="gdelt", errors="collect")
    assert [i.line for i in rep.issues] == [5]
    assert pq.ParquetFile(out).metadata.num_row_groups > 2  # written block by block
    assert pq.read_table(out).num_rows == 28 == rep.loaded


def test_failed_import_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "g.parquet"
    out.write_bytes(b"old")
    bad = io.BytesIO(_data(GOOD, _row(GDELT2_COLUMNS, GLOBALEVENTID="2", SQLDATE="x")))
    with pytest.raises(Exception, match=":2: field 'SQLDATE'"):
        import_to_parquet(bad, out, format="gdelt")
    assert out.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["g.parquet"]


def test_partition_by_year(samples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    rep = import_to_parquet(samples_dir / GDELT, out, format="gdelt", partition_by="year")
    years = sorted(p.name for p in out.iterdir())
    assert years == ["year=1982", "year=2006", "year=2015", "year=2016"]
    total = sum(pq.read_table(p / "part-0.parquet").num_rows for p in out.iterdir())
    assert total == rep.loaded == 710
    again = import_to_parquet(samples_dir / GDELT, out, format="gdelt", partition_by="year")
    assert again.loaded == 710 and sorted(p.name for p in out.iterdir()) == years


def test_icews_to_parquet(samples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "icews.parquet"
    rep = import_to_parquet(samples_dir / ICEWS, out, format="icews")
    t = pq.read_table(out)
    assert t.num_rows == rep.loaded == len(import_icews(samples_dir / ICEWS))
    assert "measure.intensity" in t.column_names


def test_cli_import_to_parquet(samples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    assert main(["import", "--format", "gdelt", str(samples_dir / GDELT), "-o", str(out)]) == 0
    assert pq.read_table(out).num_rows == 710
    parts = tmp_path / "parts.parquet"
    args = ["import", "--format", "gdelt", str(samples_dir / GDELT), "-o", str(parts)]
    assert main([*args, "--partition-by", "year"]) == 0
    assert (parts / "year=2016" / "part-0.parquet").is_file()


def test_parquet_reads_back_and_agrees_with_the_layout(samples_dir: Path, tmp_path: Path) -> None:
    from relations.formats.layout import engine_columns
    from relations.io import read_parquet

    out = tmp_path / "events.parquet"
    import_to_parquet(samples_dir / GDELT, out, format="gdelt")
    ref = import_gdelt(samples_dir / GDELT)
    assert read_parquet(out) == ref
    mine = pq.read_table(out).sort_by("id")
    theirs = engine_columns(to_arrow(ref)).sort_by("id")
    assert list(mine.schema) == list(theirs.schema)
    for name in theirs.column_names[21:]:
        assert mine.column(name).to_pylist() == theirs.column(name).to_pylist(), name
