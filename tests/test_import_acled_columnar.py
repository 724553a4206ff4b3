"""The columnar ACLED import (Arrow CSV reader, column-wise mapping) is the row reader's twin.

For every input it must give what the row-by-row reader gives: the same events, and for
anything it cannot vouch for, the same errors, lines and reports (it hands the whole file to
the row-by-row reader then). ACLED is quoted CSV whose notes hold commas, quotes and newlines.
"""

from __future__ import annotations

import csv
import io
from functools import partial
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests._reader_outcomes import outcome, table_bytes

from relations.io import _chunks, acled, import_acled, to_arrow
from relations.io._acled_columns import record_blocks
from relations.io._coded_timeline import ImportedColumns
from relations.io.acled import ACLED_COLUMNS

rows_only = acled.reader(acled._rows)  # the row-by-row reader, for reference

ROW = {
    **dict.fromkeys(ACLED_COLUMNS, ""),
    "event_id_cnty": "UKR1001",
    "event_date": "2024-10-16",
    "year": "2024",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Military Forces of Russia (2000-)",
    "inter1": "1",
    "actor2": "Military Forces of Ukraine (2019-)",
    "inter2": "1",
    "interaction": "11",
    "iso": "804",
    "region": "Europe",
    "country": "Ukraine",
    "admin1": "Sumy",
    "location": "Sumy",
    "latitude": "50.9077",
    "longitude": "34.7981",
    "geo_precision": "1",
    "source": "Ministry of Defence of Ukraine; Meduza",
    "source_scale": "National-International",
    "notes": 'On 16 October 2024, forces clashed near "Sumy", north of Kharkiv.',
    "fatalities": "12",
    "timestamp": "1729600000",
}


def _line(columns: tuple[str, ...] = ACLED_COLUMNS, **values: str) -> str:
    cells = {**ROW, **values}
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([cells.get(c, "") for c in columns])
    return buf.getvalue().removesuffix("\n")


HEADER = ",".join(ACLED_COLUMNS)
GOOD = _line()


_table = partial(table_bytes, header=HEADER)  # (header= overrides it)


def _both(data: bytes, **kwargs: object) -> tuple[object, object]:
    return outcome(import_acled, data, **kwargs), outcome(rows_only, data, **kwargs)


def _fast_used(data: bytes) -> bool:
    tl = import_acled(io.BytesIO(data), errors="skip")
    return isinstance(tl._col, ImportedColumns)


def test_well_formed_rows_take_the_fast_path_and_equal_the_row_reader() -> None:
    rows = [
        GOOD,
        _line(event_id_cnty="2", time_precision="2", notes='Line one,\nline two; "q"\n'),
        _line(event_id_cnty="3", time_precision="3", actor2="", fatalities="0"),
        _line(event_id_cnty="4", actor1="Protesters (Russia)", actor2="Rioters", country="Russia"),
        _line(event_id_cnty="5", event_date="16 October 2024", sub_event_type="", notes=""),
        _line(event_id_cnty="6", source="", latitude="", longitude="", fatalities=""),
        _line(event_id_cnty="7", actor1="", actor2="", admin1="Sumy", location="Sumy"),
        _line(event_id_cnty="8", country="Russie", iso="643", source="A;A; ;B"),
        _line(event_id_cnty="9", fatalities="+3", latitude="-0", longitude="1e2"),
        _line(event_id_cnty=" 10 ", notes="  padded  ", region=" "),
        _line(event_id_cnty="11", notes="Kyiv’s “centre” – é"),
    ]
    data = _table(*rows)
    assert _fast_used(data)
    fast, ref = _both(data)
    assert fast == ref
    tl = import_acled(io.BytesIO(data))
    assert tl._col._built.count(None) == len(tl)  # type: ignore[union-attr]


def test_the_canonical_table_is_the_row_readers() -> None:
    """The writers read the imported columns (summary, quantities, several sources)."""
    rows = [GOOD, _line(event_id_cnty="2", fatalities="0", source="A; B; C", notes="x\ny")]
    data = _table(*rows)
    fast, ref = import_acled(io.BytesIO(data)), rows_only(io.BytesIO(data))
    assert isinstance(fast._col, ImportedColumns)
    assert to_arrow(fast).to_pylist() == to_arrow(ref).to_pylist()


@pytest.mark.parametrize(
    "values",
    [
        {"time_precision": "4"},
        {"time_precision": ""},
        {"event_date": "2024-02-30"},
        {"event_date": "yesterday"},
        {"fatalities": "-1"},
        {"fatalities": "a few"},
        {"fatalities": "1_000"},
        {"fatalities": "٣"},
        {"fatalities": "9" * 30},
        {"country": "Atlantis", "iso": ""},
        {"country": "Atlantis", "iso": "²"},
        {"event_id_cnty": ""},
        {"event_type": ""},
        {"latitude": "²"},
        {"longitude": "inf"},
        {"latitude": "NA", "longitude": "nan"},
        {"notes": "\u00a0starts wide"},
        {"location": "ends wide\u3000"},
        {"actor1": "Kim\x0bJong"},
        {"notes": "nul\x00byte"},
        {"event_id_cnty": "UKR1001"},  # the same event twice
    ],
)
@pytest.mark.parametrize("errors", ["raise", "skip", "collect"])
def test_bad_rows_are_the_row_readers(values: dict[str, str], errors: str) -> None:
    data = _table(GOOD, _line(**{"event_id_cnty": "2", **values}), _line(event_id_cnty="3"))
    fast, ref = _both(data, errors=errors)
    assert fast == ref


def test_a_reused_id_is_the_row_readers_error() -> None:
    data = _table(GOOD, _line(fatalities="3"))
    fast, ref = _both(data, errors="collect")
    assert fast == ref
    assert "already used" in str(fast[1].issues[0].error)  # type: ignore[index]


@pytest.mark.parametrize(
    "raw",
    [
        "",  # a blank line
        "   ",
        ",,,",
        "too,short",
        GOOD.replace("UKR1001", "X9") + ",extra",
        'X9,"unclosed,2024-10-16',
        'X9,ab"c,1',
        GOOD.replace("UKR1001", "X9").replace(",Europe,", ', "Europe",'),
        GOOD.replace("UKR1001", "X9").replace(",Europe,", ',"Europe" ,'),
        GOOD.replace("UKR1001", "X9") + "\r",
        "\xff\xfe",
    ],
)
@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_odd_lines_are_the_row_readers(raw: str, errors: str) -> None:
    rows = [GOOD, raw, _line(event_id_cnty="3")]
    data = _table(*rows).replace("\xff\xfe".encode(), b"\xff\xfe")  # (not UTF-8)
    fast, ref = _both(data, errors=errors)
    assert fast == ref


def test_bad_utf8_is_the_row_readers() -> None:
    data = _table(GOOD, _line(event_id_cnty="2", notes="x")).replace(b",x,", b",\xff,")
    fast, ref = _both(data, errors="collect")
    assert fast == ref
    assert fast[1].issues  # type: ignore[index]


def test_windows_line_ends_take_the_fast_path() -> None:
    data = _table(GOOD, _line(event_id_cnty="2", notes="a\r\nb"), end="\r\n")
    assert _fast_used(data)
    fast, ref = _both(data)
    assert fast == ref
    summaries = {e.id: e.summary for e in fast[0]}  # type: ignore[index]
    assert summaries["acled-2"] == "a\r\nb"


UPPER = tuple(c.upper() for c in ACLED_COLUMNS)
FEWER = tuple(c for c in ACLED_COLUMNS if c not in ("latitude", "notes", "iso", "admin1"))


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        ("\ufeff" + HEADER, [GOOD]),
        (",".join(UPPER), [GOOD]),
        (",".join(FEWER), [_line(FEWER), _line(FEWER, event_id_cnty="2", country="Atlantis")]),
        (HEADER + ",event_id_no_cnty,data_id", [GOOD + ",1001,99"]),
        (HEADER + ",Source_Event_ID", [GOOD + ",x"]),
        (HEADER + ",NOTES", [GOOD + ",x"]),
        (HEADER + ",notes", [GOOD + ",x"]),
        (HEADER + ", extra ", [GOOD + ",x"]),
        (HEADER.replace("notes", '"notes"'), [GOOD]),
        ("event_id_cnty,event_date", [GOOD]),
        ("", [HEADER, GOOD]),
    ],
)
@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_headers(header: str, rows: list[str], errors: str) -> None:
    fast, ref = _both(_table(*rows, header=header), errors=errors)
    assert fast == ref


def test_empty_and_header_only_files() -> None:
    for data in (b"", _table(), b"\n\n"):
        fast, ref = _both(data)
        assert fast == ref


def test_records_are_never_cut_inside_quotes() -> None:
    rows = [_line(event_id_cnty=str(i), notes=f'note {i}\n, "{i}"\n') for i in range(60)]
    data = _table(*rows)
    blocks = list(record_blocks(io.BytesIO(data), "x", 1 << 20, size=97))
    assert b"".join(b.data for b in blocks) == data
    lines = 1
    for b in blocks:
        assert b.first == lines and b.data.count(b'"') % 2 == 0
        lines += b.data.count(b"\n")
    with mock.patch.object(_chunks, "BLOCK_BYTES", 700):
        assert _fast_used(data)
        fast, ref = _both(data)
    assert fast == ref


def test_measures_and_quantities_aggregate_on_the_imported_columns() -> None:
    rows = [
        _line(event_id_cnty=str(i), event_date=f"20{20 + i % 4}-0{1 + i % 9}-1{i % 10}",
              fatalities=str(i % 7), latitude=f"{i / 3:.4f}", country=("Ukraine", "Russia")[i % 2])
        for i in range(40)
    ]  # fmt: skip
    data = _table(*rows)
    fast, ref = import_acled(io.BytesIO(data)), rows_only(io.BytesIO(data))
    assert isinstance(fast._col, ImportedColumns)
    assert fast.value_names() == ref.value_names()
    assert fast.value_names() == (["fatalities"], ["fatalities", "latitude", "longitude"])
    assert fast.sum("fatalities", by="year") == ref.sum("fatalities", by="year")
    assert fast.mean("latitude", by=("actor", "month")) == ref.mean(
        "latitude", by=("actor", "month")
    )


def test_an_actor_registered_between_imports_is_found() -> None:
    from relations.actors import Actor, register, unregister
    from relations.errors import UnknownActor

    data = _table(GOOD, _line(event_id_cnty="2", country="Atlantis", iso=""))
    with pytest.raises(UnknownActor, match="Atlantis"):
        import_acled(io.BytesIO(data))
    register(Actor("XATL", "Atlantis"))
    try:
        assert _fast_used(data)
        fast, ref = _both(data)
        assert fast == ref
    finally:
        unregister("XATL")
    with pytest.raises(UnknownActor, match="Atlantis"):
        import_acled(io.BytesIO(data))


_CELLS = {
    "event_id_cnty": st.sampled_from(["1", "2", "3", " 4", "", "ab\"c"]),
    "event_date": st.sampled_from(["2024-10-16", "16/10/2024", "16 October 2024", "2024-13-01"]),
    "time_precision": st.sampled_from(["1", "2", "3", " 2 ", "4"]),
    "event_type": st.sampled_from(["Battles", "Riots", "", "Explosions/Remote violence"]),
    "sub_event_type": st.sampled_from(["Armed clash", "", "Mob violence", "2 x"]),
    "actor1": st.sampled_from(["Military Forces of Russia (2000-)", "Rioters", "", "Protesters (Syria)"]),
    "actor2": st.sampled_from(["", "Civilians (Ukraine)", "Police Forces of the United States"]),
    "country": st.sampled_from(["Ukraine", "Russia", "Atlantis", "russia", ""]),
    "iso": st.sampled_from(["804", "", "643", "x"]),
    "location": st.sampled_from(["Sumy", "", "Ukraine", "Kyiv, centre"]),
    "admin1": st.sampled_from(["Sumy", "", "Kyiv"]),
    "latitude": st.sampled_from(["50.9", "", "NA", "nan", "-0", "x"]),
    "source": st.sampled_from(["A; B", "", "A;A", " ; ", "Reuters"]),
    "notes": st.sampled_from(["", "x", "a\nb", 'say "hi", then\r\ngo', "  y  ", "\u2009z"]),
    "fatalities": st.sampled_from(["0", "3", "", "-2", "+1", "many"]),
    "tags": st.sampled_from(["", "crowd size=no report"]),
}  # fmt: skip


@st.composite
def _files(draw: st.DrawFn) -> bytes:
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["row", "row", "row", "row", "row", "short", "blank"]))
        if kind == "short":
            rows.append("a,b")
        elif kind == "blank":
            rows.append("")
        else:
            rows.append(_line(**{c: draw(s) for c, s in _CELLS.items()}))
    return _table(*rows, end=draw(st.sampled_from(["\n", "\r\n"])))


@settings(max_examples=40, deadline=None)
@given(
    data=_files(),
    errors=st.sampled_from(["raise", "skip", "collect"]),
    block=st.sampled_from([0, 300]),
)
def test_generated_files_read_as_the_row_reader_reads_them(
    data: bytes, errors: str, block: int
) -> None:
    with mock.patch.object(_chunks, "BLOCK_BYTES", block or _chunks.BLOCK_BYTES):
        fast, ref = _both(data, errors=errors)
    assert fast == ref


@settings(max_examples=20, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries(
    {c: s for c, s in _CELLS.items() if c not in ("country", "event_date", "event_type",
                                                  "time_precision", "fatalities", "latitude",
                                                  "event_id_cnty")}), min_size=1, max_size=6))  # fmt: skip
def test_generated_good_files_take_the_fast_path(rows: list[dict[str, str]]) -> None:
    lines = [_line(**{**r, "event_id_cnty": str(i)}) for i, r in enumerate(rows)]
    data = _table(*lines)
    fast, ref = _both(data)
    assert fast == ref
    wide = any(r["notes"] == "\u2009z" for r in rows)
    assert _fast_used(data) != wide


def _parquet(data: bytes, rows: bool, **kwargs: object) -> object:
    """The written table and report (or the error) of import_to_parquet, through the fast
    path or (``rows``) through the row reader alone."""
    import tempfile
    from pathlib import Path

    import pyarrow.parquet as pq

    from relations.io import import_parquet

    def by_rows(source: object, tally: object, max_line_bytes: int) -> object:
        return import_parquet._row_batches("acled", source, tally, max_line_bytes)[1]  # type: ignore[arg-type]

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "a.parquet"
        with mock.patch.object(import_parquet, "_acled_batches", by_rows) if rows else _nothing():
            try:
                rep = import_parquet.import_to_parquet(
                    io.BytesIO(data),
                    out,
                    format="acled",
                    **kwargs,  # type: ignore[arg-type]
                )
            except Exception as e:  # compared by the caller
                return (type(e), str(e))
        return (pq.read_table(out).to_pylist(), rep)


def _nothing() -> object:
    import contextlib

    return contextlib.nullcontext()


def test_parquet_is_the_row_readers() -> None:
    rows = [GOOD, _line(event_id_cnty="2", fatalities="0", source="A; B; C", notes='x\n"y"')]
    rows += [_line(event_id_cnty=str(i), actor2="", time_precision="2") for i in range(3, 30)]
    data = _table(*rows)
    fast = _parquet(data, rows=False)
    assert fast == _parquet(data, rows=True)
    assert len(fast[0]) == 29  # type: ignore[index]


@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_parquet_reads_the_rest_row_by_row_from_a_refused_block(errors: str) -> None:
    rows = [_line(event_id_cnty=str(i), notes=f"n{i}\nmore") for i in range(40)]
    rows[25] = _line(event_id_cnty="25", country="Atlantis", iso="", notes="a\nb")
    rows[31] = "short,row"
    data = _table(*rows)
    with mock.patch.object(_chunks, "BLOCK_BYTES", 1500):
        fast = _parquet(data, rows=False, errors=errors)
    assert fast == _parquet(data, rows=True, errors=errors)
    if errors == "collect":
        assert [i.line for i in fast[1].issues] == [52, 64]  # type: ignore[index]


@settings(max_examples=25, deadline=None)
@given(data=_files(), errors=st.sampled_from(["raise", "collect"]), block=st.sampled_from([0, 400]))
def test_generated_files_write_what_the_row_reader_writes(
    data: bytes, errors: str, block: int
) -> None:
    """Within one block: across blocks a reused id is not found (see import_to_parquet)."""
    with mock.patch.object(_chunks, "BLOCK_BYTES", block or _chunks.BLOCK_BYTES):
        fast = _parquet(data, rows=False, errors=errors)
    ref = _parquet(data, rows=True, errors=errors)
    if block and fast != ref:  # only an id repeated across blocks may differ
        _, rep = rows_only(io.BytesIO(data), errors="collect", report=True)
        assert rep.duplicates or any("already used" in str(i.error) for i in rep.issues)
        return
    assert fast == ref
