"""Tables: the fixed Arrow schema, the PyCapsule stream, pandas/polars, and back from pandas.

Each test skips cleanly when its optional package (pyarrow, pandas, polars, duckdb) is missing.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from tests.strategies import timelines

from relations import Event, InvalidEvent, Quantity, Source, timeline
from relations.io import TABLE_COLUMNS, from_pandas, to_arrow, to_pandas, to_polars
from relations.timeline import Timeline
from relations.when import UNBOUNDED_HI

TL = timeline.of(
    Event(
        "2024-10~",
        "military.deployment",
        ["PRK", "RUS"],
        "Troops",
        id="troops",
        directed=True,
        quantities={"soldiers": Quantity.at_least(11000, "people")},
        sources=[Source("BBC", url="https://bbc.com/x")],
        tags=["kursk"],
        extra={"cameo": "154"},
        claimed_by=["UKR"],
        location="Kursk",
        status="estimated",
    ),
    Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty", id="treaty"),
    Event("2024/..", "agreement.treaty.in_force", ["RUS", "PRK"], "In force", id="open"),
)


def test_columns_are_fixed() -> None:
    assert TABLE_COLUMNS[:7] == ("id", "when", "earliest", "latest", "lo", "hi", "precision")
    assert len(TABLE_COLUMNS) == 21  # 20, and "measures" (issue 15)


# ---- Arrow ---------------------------------------------------------------------------------


def test_arrow_schema_and_values() -> None:
    pa = pytest.importorskip("pyarrow")
    t = to_arrow(TL)
    assert t.column_names == list(TABLE_COLUMNS)
    types = {f.name: str(f.type) for f in t.schema}
    assert types["earliest"] == "date32[day]" and types["lo"] == "int64"
    assert types["actors"] == "list<item: string>" and types["quantities"] == "string"
    rows = {r["id"]: r for r in t.to_pylist()}
    troops = rows["troops"]
    assert troops["when"] == "2024-10~" and troops["precision"] == "month"
    assert (troops["earliest"], troops["latest"]) == (dt.date(2024, 10, 1), dt.date(2024, 10, 31))
    assert troops["actors"] == ["PRK", "RUS"] and troops["directed"] is True
    assert json.loads(troops["quantities"]) == {"soldiers": {"unit": "people", "low": 11000}}
    assert json.loads(troops["extra"]) == {"cameo": "154"}
    assert rows["treaty"]["quantities"] is None and rows["treaty"]["location"] is None
    assert rows["open"]["latest"] is None and rows["open"]["hi"] == UNBOUNDED_HI
    assert t.schema.metadata == {b"relations.schema": b"1"}
    assert pa.table(TL).equals(t)  # through __arrow_c_stream__


def test_capsule_stream_accepts_a_requested_schema() -> None:
    pa = pytest.importorskip("pyarrow")
    reader = pa.RecordBatchReader.from_stream(TL)
    assert reader.read_all().num_rows == 3
    stream = TL.__arrow_c_stream__(None)
    assert type(stream).__name__ == "PyCapsule"


def test_polars_and_duckdb_read_a_timeline_directly() -> None:
    pytest.importorskip("pyarrow")
    pl = pytest.importorskip("polars")
    df = pl.DataFrame(TL)
    assert df.columns == list(TABLE_COLUMNS) and df.height == 3
    duckdb = pytest.importorskip("duckdb")
    tl = TL  # noqa: F841  # DuckDB finds the local by name
    rows = duckdb.sql("select id, lo from tl where kind like 'agreement%' order by lo").fetchall()
    assert [r[0] for r in rows] == ["open", "treaty"]  # 2024/.. starts on 2024-01-01


def test_pandas_from_arrow_stream() -> None:
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    if not hasattr(pd.DataFrame, "from_arrow"):
        pytest.skip("pandas.DataFrame.from_arrow needs pandas >= 3")
    assert pd.DataFrame.from_arrow(TL).shape == (3, len(TABLE_COLUMNS))


@given(timelines(max_size=8))
def test_arrow_rows_match_events(tl: Timeline) -> None:
    pytest.importorskip("pyarrow")
    t = to_arrow(tl)
    assert t.num_rows == len(tl)
    for row, e in zip(t.to_pylist(), tl, strict=True):
        assert (row["id"], row["when"], row["lo"], row["hi"]) == (e.id, str(e.when), e.lo, e.hi)
        first, last = dt.date.min.toordinal(), dt.date.max.toordinal()
        assert row["earliest"] == (dt.date.fromordinal(e.lo) if first <= e.lo <= last else None)
        assert row["latest"] == (dt.date.fromordinal(e.hi) if first <= e.hi <= last else None)


# ---- pandas --------------------------------------------------------------------------------


def test_pandas_dtypes_are_fixed() -> None:
    pd = pytest.importorskip("pandas")
    df = to_pandas(TL)
    assert list(df.columns) == list(TABLE_COLUMNS)
    dtypes = {c: str(t) for c, t in df.dtypes.items()}
    assert dtypes["earliest"] == "datetime64[s]" and dtypes["lo"] == "int64"
    assert dtypes["directed"] == "bool" and dtypes["title"] == "string"
    assert dtypes["actors"] == "object"
    row = df.set_index("id").loc["troops"]
    assert row["earliest"] == pd.Timestamp("2024-10-01") and row["actors"] == ["PRK", "RUS"]
    assert pd.isna(df.set_index("id").loc["open", "latest"])
    assert TL.to_pandas().equals(df)


@given(timelines())
def test_pandas_round_trip_is_exact(tl: Timeline) -> None:
    pytest.importorskip("pandas")
    back = Timeline.from_pandas(tl.to_pandas())
    assert back == tl
    assert [e.to_dict() for e in back] == [e.to_dict() for e in tl]


def test_from_pandas_accepts_plain_frames() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "when": ["2024-06-19", "2024-10"],
            "kind": ["trade", "military.deployment"],
            "actors": ["RUS;PRK", ["PRK", "RUS"]],
            "title": ["Trade", "Troops"],
            "quantities": [None, '{"soldiers": 11000}'],
            "directed": [False, True],
        }
    )
    tl = from_pandas(df)
    assert [e.kind for e in tl] == ["trade", "military.deployment"]
    assert float(tl[1].quantities["soldiers"]) == 11000 and tl[1].directed


@pytest.mark.parametrize(
    ("frame", "pattern"),
    [
        (
            {"when": ["2024"], "kind": ["trade"], "actors": ["RUS"]},
            r"missing column\(s\) \['title'\]",
        ),
        (
            {"when": ["2024"], "kind": ["trade"], "actors": ["RUS"], "title": ["x"], "colour": [1]},
            "unknown column",
        ),
        (
            {"when": ["2024-13"], "kind": ["trade"], "actors": ["RUS"], "title": ["x"]},
            "DataFrame row 0: ",
        ),
        (
            {
                "when": ["2024"],
                "kind": ["trade"],
                "actors": ["RUS"],
                "title": ["x"],
                "extra": ["{bad"],
            },
            "DataFrame row 0: column 'extra': not valid JSON",
        ),
    ],
)
def test_from_pandas_errors_name_row_and_column(frame: dict[str, Any], pattern: str) -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(ValueError, match=pattern):
        from_pandas(pd.DataFrame(frame))


# ---- polars --------------------------------------------------------------------------------


def test_polars_types_and_round_trip() -> None:
    pl = pytest.importorskip("polars")
    df = to_polars(TL)
    assert df.columns == list(TABLE_COLUMNS)
    assert df.schema["earliest"] == pl.Date and df.schema["actors"] == pl.List(pl.String)
    assert TL.to_polars().equals(df)
    assert from_pandas(df) == TL  # a polars frame reads back too


# ---- missing extras ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "module", "extra"),
    [
        ("to_arrow", "pyarrow", "arrow"),
        ("to_pandas", "pandas", "pandas"),
        ("to_polars", "polars", "polars"),
    ],
)
def test_missing_extra_names_the_pip_command(
    monkeypatch: pytest.MonkeyPatch, method: str, module: str, extra: str
) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == module or name.startswith(module + "."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=rf'pip install "relations\[{extra}\]"'):
        getattr(TL, method)()


def test_bad_list_cell() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"when": ["2024"], "kind": ["trade"], "actors": [5], "title": ["x"]})
    with pytest.raises(InvalidEvent, match="column 'actors': expected a list"):
        from_pandas(df)
