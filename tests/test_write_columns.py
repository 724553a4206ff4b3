"""Writing a Timeline held as columns (issue 15): tables and files made from the Arrow columns
are exactly those made from its events.

The column path (:mod:`relations.formats.records`, used when a timeline or the root it is
derived from is column-backed) is compared with the event path (the same writer given a
plain list of the timeline's events), on generated timelines read back by the columnar
reader and on views derived from them.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from relations import Event, Quantity, Timeline
from relations.errors import RelationsWarning
from relations.formats.arrow import to_arrow, to_pandas, to_polars
from relations.formats.parquet import to_parquet
from relations.io import read_jsonl, write_jsonl
from relations.testing import events

# Dates and values the strategy rarely draws: years beyond 1-9999 (null earliest/latest),
# unknown and open ends, seasons, decades, times; floats outside 1e-4 <= |x| < 1e9; text
# that JSON escapes; repeated and unsorted tags and links.
_ODD = [
    Event("Y12000", "trade", ["RUS"], "far future", id="odd-1", measures={"m": 1e-7}),
    Event("Y-20000", "trade", ["PRK"], 'say "hi"\n\\', id="odd-2", measures={"m": 2.5e12}),
    Event("199X", "trade", ["RUS", "PRK"], "decade", id="odd-3", directed=True,
          measures={"m": 3, "n": -0.0}, tags=["b", "a", "b"], links=["x", "y", "x"]),
    Event("2024-21", "trade", ["USA"], "season", id="odd-4", location="",
          quantities={"q": Quantity.range(1, 5, "people"), "r": Quantity.about(7, "usd")}),
    Event("../2024", "trade", ["CHN"], "open start", id="odd-5",
          extra={"k": "\u2028é\x01", "x.approximate": "true", "e": ""}),
    Event("2024-06-19T12:00:00Z", "trade", ["UKR"], "time", id="odd-6", summary="s",
          measures={"m": 123456789.5, "n": 1e16}, status="confirmed"),
]  # fmt: skip


def _whole(e: Event) -> Event:
    """``e`` with whole-number quantities (the columnar reader holds only those as columns)."""
    qs = {
        k: Quantity.from_dict(
            {f: round(v) if type(v) is float else v for f, v in q.to_dict().items()}
        )
        for k, q in e.quantities.items()
    }
    return e.evolve(quantities=qs)


_events = events(with_id=True).map(_whole)


def _column_backed(
    tmp_path: Path, evs: list[Event], name: str, *, generated: bool = False
) -> Timeline:
    path = tmp_path / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelationsWarning)
        write_jsonl(Timeline({e.id: e for e in evs}.values()), path)
        tl = read_jsonl(path)
    if generated:
        assume(tl.record_table() is not None)
    assert tl.record_table() is not None or generated
    return tl


def _views(tl: Timeline, data: st.DataObject) -> list[Timeline]:
    views = [tl]
    if len(tl):
        views.append(tl[:: data.draw(st.integers(1, 3))])
        views.append(tl.between(tl[0].when, tl[-1].when))
        views.append(tl.involving(data.draw(st.sampled_from(tl[0].actors))))
        views.append(tl.of_kind(tl[len(tl) // 2].kind.split(".")[0]))
        views.append(views[1] | views[3])
        views.append(tl - views[3])
        views.append(tl.involving("NOBODY-THERE") if "NOBODY-THERE" in tl else tl[0:0])
    return views


def _jsonl(events: Any) -> tuple[str, list[int], int]:
    buf, heard = io.StringIO(), []
    count = write_jsonl(events, buf, progress=heard.append)
    return buf.getvalue(), heard, count


def _same_tables(got: Any, expected: Any) -> None:
    assert got.schema.equals(expected.schema, check_metadata=True)
    differ = [c for c in got.column_names if not got.column(c).equals(expected.column(c))]
    assert not differ, [
        (c, got.column(c).to_pylist(), expected.column(c).to_pylist()) for c in differ
    ]
    assert got.equals(expected, check_metadata=True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(st.lists(_events, max_size=8), st.booleans(), st.data())
def test_tables_from_columns_equal_tables_from_events(
    tmp_path: Path, evs: list[Event], odd: bool, data: st.DataObject
) -> None:
    tl = _column_backed(tmp_path, evs + (_ODD if odd else []), "t.jsonl", generated=True)
    for view in _views(tl, data):
        plain = list(view)
        _same_tables(to_arrow(view), to_arrow(plain))
        _same_tables(to_arrow(view, engine_columns=True), to_arrow(plain, engine_columns=True))
        assert _jsonl(view) == _jsonl(plain)
        _same_tables(to_arrow(view, layout="flat"), to_arrow(plain, layout="flat"))
        for layout in ("canonical", "flat"):
            assert to_polars(view, layout=layout).equals(to_polars(plain, layout=layout))
            got, expected = to_pandas(view, layout=layout), to_pandas(plain, layout=layout)
            assert list(got.columns) == list(expected.columns)
            assert list(got.dtypes) == list(expected.dtypes)
            assert got.equals(expected)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(st.lists(_events, min_size=1, max_size=8), st.data())
def test_parquet_from_columns_equals_parquet_from_events(
    tmp_path: Path, evs: list[Event], data: st.DataObject
) -> None:
    tl = _column_backed(tmp_path, evs + _ODD, "p.jsonl", generated=True)
    view = data.draw(st.sampled_from(_views(tl, data)))
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    assert to_parquet(view, a) == to_parquet(list(view), b) == len(view)
    assert a.read_bytes() == b.read_bytes()
    _same_tables(pq.read_table(a), pq.read_table(b))


def test_a_timeline_of_events_has_no_record_table() -> None:
    tl = Timeline(_ODD)
    assert tl.record_table() is None and tl.involving("RUS").record_table() is None
    assert to_arrow(tl).num_rows == len(_ODD)


def test_a_column_the_writer_does_not_know_falls_back_to_the_events(tmp_path: Path) -> None:
    tl = _column_backed(tmp_path, _ODD, "f.jsonl")

    class Odd:
        """A column-backed timeline whose record table has a column of an unexpected type."""

        def __iter__(self) -> Any:
            return iter(tl)

        def record_table(self) -> pa.Table:
            t = tl.record_table()
            return t.set_column(t.column_names.index("title"), "title", pa.array([1] * len(tl)))

    _same_tables(to_arrow(Odd()), to_arrow(list(tl)))


@pytest.mark.parametrize("engine_columns", [False, True])
def test_the_example_file_is_written_alike(tmp_path: Path, engine_columns: bool) -> None:
    tl = _column_backed(tmp_path, _ODD, "e.jsonl")
    _same_tables(
        to_arrow(tl, engine_columns=engine_columns),
        to_arrow(list(tl), engine_columns=engine_columns),
    )


def test_jsonl_from_columns_to_a_path_and_a_binary_file(tmp_path: Path) -> None:
    evs = [e.evolve(id=f"{e.id}-{i}") for i in range(4_000) for e in _ODD[:3]]
    tl = _column_backed(tmp_path, evs + _ODD[3:], "many.jsonl")
    heard: list[int] = []
    assert write_jsonl(tl, tmp_path / "a.jsonl", progress=heard.append) == len(tl)
    assert heard == [10_000, len(tl)]
    write_jsonl(list(tl), tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    binary = io.BytesIO()
    write_jsonl(tl, binary)
    assert binary.getvalue() == (tmp_path / "b.jsonl").read_bytes()
    assert read_jsonl(tmp_path / "a.jsonl") == tl


def test_an_imported_gdelt_file_is_written_from_its_columns(
    samples_dir: Path, tmp_path: Path
) -> None:
    from relations.io import import_gdelt

    tl = import_gdelt(samples_dir / "gdelt1_events_sample.tsv")
    assert tl.record_table() is not None
    for view in (tl, tl.involving(tl[3].actors[0]), tl[::3]):
        plain = list(view)
        _same_tables(to_arrow(view, engine_columns=True), to_arrow(plain, engine_columns=True))
        _same_tables(to_arrow(view, layout="flat"), to_arrow(plain, layout="flat"))
        assert _jsonl(view) == _jsonl(plain)
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    to_parquet(tl, a)
    to_parquet(list(tl), b)
    assert a.read_bytes() == b.read_bytes()
