"""Parquet in the columnar layout (issue 15/16): round trip, partitions, version refusal,
errors, and the columnar readers (read_parquet, from_arrow, from_pandas, from_polars) that
build no Event until one is touched."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from relations import Event, Quantity, timeline  # noqa: E402
from relations.errors import InvalidDate, RelationsError, UnsupportedLayout  # noqa: E402
from relations.io import (  # noqa: E402
    from_arrow,
    from_pandas,
    from_polars,
    read_parquet,
    to_arrow,
    to_parquet,
)
from relations.testing import timelines  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(max_size=8))
def test_parquet_round_trip(tmp_path_factory, tl):
    path = tmp_path_factory.mktemp("pq") / "events.parquet"
    assert to_parquet(tl, path) == len(tl)
    back = read_parquet(path)
    assert back == tl
    assert list(back) == list(tl)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(max_size=8))
def test_partitioned_round_trip(tmp_path_factory, tl):
    folder = tmp_path_factory.mktemp("pq") / "events"
    to_parquet(tl, folder, partition_by="year")
    assert read_parquet(folder) == tl


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(max_size=8))
def test_from_arrow_round_trip(tl):
    assert from_arrow(to_arrow(tl, engine_columns=True)) == tl
    assert from_arrow(to_arrow(tl)) == tl


def _plain(n: int = 5) -> list[Event]:
    return [
        Event(
            f"2024-0{i + 1}",
            "trade",
            ["RUS", "PRK"],
            f"T{i}",
            id=f"t{i}",
            quantities={"usd": Quantity(i + 1, "USD")} if i % 2 else {},
        )
        for i in range(n)
    ]


def _unbuilt(tl) -> list[bool]:
    cols = tl._col
    assert cols is not None, "not column-backed"
    return [e is None for e in cols._built]


@pytest.mark.parametrize("via", ["parquet", "arrow", "pandas", "polars"])
def test_columnar_readers_build_no_event_until_one_is_touched(tmp_path, via):
    tl = timeline.of(*_plain())
    if via == "parquet":
        path = tmp_path / "e.parquet"
        to_parquet(tl, path)
        back = read_parquet(path)
    elif via == "arrow":
        back = from_arrow(to_arrow(tl, engine_columns=True))
    elif via == "pandas":
        pytest.importorskip("pandas")
        back = from_pandas(tl.to_pandas())
    else:
        pytest.importorskip("polars")
        back = from_polars(tl.to_polars())
    assert all(_unbuilt(back))
    assert len(back) == 5
    assert all(_unbuilt(back))
    first = back[0]
    assert _unbuilt(back) == [False, True, True, True, True]
    assert first == tl[0]
    assert back == tl


def test_a_newer_layout_is_refused_naming_file_and_version(tmp_path):
    path = tmp_path / "future.parquet"
    t = to_arrow(_plain(1), engine_columns=True)
    meta = dict(t.schema.metadata)
    meta[b"relations.layout"] = b"3"
    pq.write_table(t.replace_schema_metadata(meta), path)
    with pytest.raises(UnsupportedLayout, match=r"future\.parquet.*version 3"):
        read_parquet(path)
    with pytest.raises(UnsupportedLayout):
        read_parquet(path, errors="skip")
    assert issubclass(UnsupportedLayout, RelationsError)


def test_an_older_layout_is_read(tmp_path):
    path = tmp_path / "v1.parquet"
    pq.write_table(to_arrow(_plain(3)), path)  # the record columns only: layout 1
    assert read_parquet(path) == timeline.of(*_plain(3))


def test_a_bad_row_is_located_and_follows_the_policy(tmp_path):
    path = tmp_path / "bad.parquet"
    t = to_arrow(_plain(3))
    when = t.column("when").to_pylist()
    when[1] = "2024-02-30"
    t = t.set_column(t.column_names.index("when"), "when", pa.array(when))
    pq.write_table(t, path)
    with pytest.raises(InvalidDate, match=r"bad\.parquet:2"):
        read_parquet(path)
    back, rep = read_parquet(path, errors="collect", report=True)
    assert len(back) == 2 and rep.skipped == 1 and rep.issues[0].line == 2


def test_a_glob_of_files_and_a_missing_path(tmp_path):
    evs = _plain(4)
    to_parquet(evs[:2], tmp_path / "a.parquet")
    to_parquet(evs[2:], tmp_path / "b.parquet")
    assert read_parquet(str(tmp_path / "*.parquet")) == timeline.of(*evs)
    with pytest.raises(FileNotFoundError):
        read_parquet(str(tmp_path / "none-*.parquet"))


def test_write_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "e.parquet"
    to_parquet(_plain(2), path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", boom)
    with pytest.raises(OSError, match="disk full"):
        to_parquet(_plain(3), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["e.parquet"]


def test_polars_and_duckdb_read_the_file(tmp_path):
    pl = pytest.importorskip("polars")
    path = tmp_path / "e.parquet"
    to_parquet(_plain(3), path)
    df = pl.read_parquet(path)
    assert df["quantity.usd.value"].to_list() == [None, 2, None]
    duckdb = pytest.importorskip("duckdb")
    n = duckdb.sql(f"select count(*) from read_parquet('{path}') where source is null")
    assert n.fetchall() == [(3,)]


def test_from_arrow_errors_name_the_row():
    t = to_arrow(_plain(2))
    titles = t.column("title").to_pylist()
    titles[1] = " "
    t = t.set_column(t.column_names.index("title"), "title", pa.array(titles))
    with pytest.raises(RelationsError, match="row 1"):
        from_arrow(t)


def test_a_partitioned_folder_is_read_into_columns(tmp_path):
    evs = [*_plain(3), Event("2019", "trade", ["RUS"], "Old", id="old")]
    to_parquet(evs, tmp_path / "events", partition_by="year")
    assert sorted(p.name for p in (tmp_path / "events").iterdir()) == ["year=2019", "year=2024"]
    back = read_parquet(tmp_path / "events")
    assert all(_unbuilt(back)) and back == timeline.of(*evs)


def test_an_open_start_goes_to_the_null_partition(tmp_path):
    evs = [Event("../2020", "trade", ["RUS"], "Open", id="o"), *_plain(1)]
    to_parquet(evs, tmp_path / "events", partition_by="year")
    names = sorted(p.name for p in (tmp_path / "events").iterdir())
    assert names == ["year=2024", "year=__HIVE_DEFAULT_PARTITION__"]
    assert read_parquet(tmp_path / "events") == timeline.of(*evs)


def test_the_row_path_keeps_its_errors():
    pd = pytest.importorskip("pandas")
    from relations.formats.arrow import events_from_pandas

    df = pd.DataFrame({"when": ["2024"], "kind": ["trade"], "actors": [["RUS"]], "title": ["a"],
                       "colour": ["red"]})  # fmt: skip
    with pytest.raises(RelationsError) as direct:
        events_from_pandas(df)
    with pytest.raises(type(direct.value)) as via:
        from_pandas(df)
    assert str(via.value) == str(direct.value)
    # ";"-joined actors and no ids: not columnar, read row by row as before
    df = pd.DataFrame({"when": ["2024"], "kind": ["trade"], "actors": ["RUS;PRK"], "title": ["a"]})
    assert from_pandas(df)[0].actors == ("RUS", "PRK")
