"""``timeline.scan``: the lazy timeline's surface (sources, results, errors) and the edge
dates (open ends, years outside 1-9999, sets, seasons) under every grouping and policy."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ibis = pytest.importorskip("ibis")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("pandas")


from relations import Event, Quantity, timeline  # noqa: E402
from relations.errors import (  # noqa: E402
    InvalidArgument,
    RelationsError,
    UnknownKind,
    UnsupportedLayout,
)
from relations.io import to_arrow, to_parquet  # noqa: E402
from relations.lazy import LazyTimeline, scan  # noqa: E402


def _layout(events: Any) -> Any:
    return to_arrow(events, engine_columns=True)


EDGES = timeline.of(
    Event("-0500", "military.war", ["RUS", "PRK"], "BCE", id="bce", measures={"m": 1}),
    Event("0000", "trade", ["RUS"], "Year zero", id="zero", measures={"m": 2}),
    Event("../2024", "military.deployment", ["RUS", "PRK"], "Open start", id="open-lo"),
    Event(
        "2024/..",
        "military.deployment",
        ["PRK", "RUS"],
        "Open end",
        id="open-hi",
        directed=True,
        measures={"m": 3},
    ),
    Event(
        "2023-11-20/2024-02-10",
        "diplomacy.visit",
        ["RUS", "PRK", "CHN"],
        "Long",
        id="long",
        tags=["kursk"],
        measures={"m": 4},
    ),
    Event("2021-21", "trade.volume", ["CHN", "RUS"], "Spring", id="spring", status="claimed"),
    Event("[2020,2022]", "diplomacy", ["PRK"], "One of", id="oneof", measures={"m": 5}),
    Event("{2020-01,2020-03}", "diplomacy.visit", ["PRK", "RUS"], "All of", id="allof"),
    Event("Y12000", "trade", ["UKR", "RUS"], "Far", id="far", measures={"m": 6}),
    Event(
        "2024-06-19",
        "agreement.treaty.signed",
        ["RUS", "PRK"],
        "Treaty",
        id="treaty",
        tags=["treaty", "kursk"],
        measures={"m": 7},
    ),
    Event("2024-06", "agreement", ["RUS", "PRK"], "Month", id="month", status="estimated"),
    Event(
        "1999~/2003?", "military.exercise", ["USA", "KOR"], "Approx", id="approx", measures={"m": 8}
    ),
)


@pytest.fixture(params=["duckdb", "polars"])
def edges(request: pytest.FixtureRequest, tmp_path: Path) -> LazyTimeline:
    if request.param == "duckdb":
        to_parquet(EDGES, tmp_path / "edges.parquet")
        return timeline.scan(tmp_path / "edges.parquet")
    return timeline.scan(to_arrow(EDGES, engine_columns=True), engine="polars")


BYS: list[Any] = [
    "day",
    "week",
    "month",
    "quarter",
    "year",
    "decade",
    "century",
    "actor",
    "dyad",
    "directed_dyad",
    "kind:1",
    "status",
    "tag",
    ("dyad", "year"),
]


def _answer(t: Any, op: str, args: tuple[Any, ...], opts: dict[str, Any]) -> Any:
    try:
        return getattr(t, op)(*args, **opts)
    except RelationsError as e:
        return type(e)


@pytest.mark.parametrize("policy", ["contained", "earliest", "spread", "overlap"])
def test_edge_dates_aggregate_as_in_memory(edges: LazyTimeline, policy: str) -> None:
    for n, by in enumerate(BYS):
        for fill in (False, True) if n % 3 == 0 else (n % 2 == 0,):
            opts: dict[str, Any] = {"policy": policy, "fill": fill}
            measure = ("sum", ("m", by)) if n % 2 else ("mean", ("m", by))
            for op, args in [("count", (by,)), measure]:
                got, want = _answer(edges, op, args, opts), _answer(EDGES, op, args, opts)
                if isinstance(want, type):  # a span too long to fill: refused alike
                    assert got is want, (by, fill)
                    continue
                assert list(got.items()) == list(want.items()), (by, fill)
                assert [e.id for e in got.unplaced] == [e.id for e in want.unplaced], by
                assert got.missing == want.missing
                if fill:
                    assert dict(got.statuses or {}) == dict(want.statuses or {})


def test_edge_dates_query_as_in_memory(edges: LazyTimeline) -> None:
    for q in [
        lambda t: t.between("2020", "2024"),
        lambda t: t.between("2020", "2024", mode="within"),
        lambda t: t.before("2000"),
        lambda t: t.after("2023", mode="overlaps"),
        lambda t: t.since("2024-06"),
        lambda t: t.until("2021", mode="overlaps"),
        lambda t: t.as_of("2001", definitely=True),
        lambda t: t.as_of("2023-12", definitely=True),
        lambda t: t.involving("PRK", "RUS", "CHN"),
        lambda t: t.from_to("PRK"),
        lambda t: t.of_kind("diplomacy"),
    ]:
        assert [e.id for e in q(edges).collect()] == [e.id for e in q(EDGES)]


def test_results(edges: LazyTimeline, tmp_path: Path) -> None:
    assert len(edges) == edges.count() == len(EDGES)
    assert [e.id for e in edges.head(3)] == [e.id for e in EDGES[:3]]
    assert edges.to_arrow().num_rows == len(EDGES)
    edges.involving("PRK").to_parquet(tmp_path / "prk.parquet")
    assert scan(tmp_path / "prk.parquet").collect() == EDGES.involving("PRK")
    assert list(edges.of_kind("trade")) == list(EDGES.of_kind("trade"))
    plan = edges.between("2024", "2024").explain()  # SQL, or Polars' plan
    assert "738886" in plan and "739251" in plan
    assert "not yet run" in repr(edges)


def test_sources_globs_folders_datasets_and_ibis_tables(tmp_path: Path) -> None:
    table = _layout(EDGES)
    (tmp_path / "year=1").mkdir()
    pq.write_table(table.slice(0, 5), tmp_path / "year=1" / "a.parquet")
    pq.write_table(table.slice(5), tmp_path / "b.parquet")
    assert scan(tmp_path).collect() == EDGES
    assert scan(str(tmp_path / "*.parquet")).count() == len(EDGES) - 5
    import pyarrow.dataset as ds

    assert scan(ds.dataset(tmp_path / "b.parquet")).count() == len(EDGES) - 5
    con = ibis.duckdb.connect()
    t = con.read_parquet(tmp_path / "b.parquet")
    assert scan(t).involving("RUS").collect() == EDGES[5:].involving("RUS")


def test_immutable_values() -> None:
    lazy = scan(_layout(EDGES))
    q = lazy.involving("PRK")
    assert lazy.count() == len(EDGES)  # the query made a new value
    with pytest.raises(AttributeError):
        q._expr = None  # type: ignore[misc]


def test_errors_name_the_input(tmp_path: Path) -> None:
    with pytest.raises(RelationsError, match="no such file"):
        scan(tmp_path / "nope.parquet")
    with pytest.raises(RelationsError, match="no Parquet file matches"):
        scan(str(tmp_path / "*.parquet"))
    with pytest.raises(InvalidArgument, match="not int"):
        scan(42)
    with pytest.raises(InvalidArgument, match="engine must be"):
        scan(_layout(EDGES), engine="sqlite3")
    with pytest.raises(InvalidArgument, match="no column 'lo'"):
        scan(pa.table({"id": ["a"], "when": ["2024"]}))
    newer = _layout(EDGES).replace_schema_metadata({"relations.layout": "3"})
    pq.write_table(newer, tmp_path / "newer.parquet")
    with pytest.raises(UnsupportedLayout, match=r"newer\.parquet: columnar layout version 3"):
        scan(tmp_path / "newer.parquet")
    lazy = scan(_layout(EDGES))
    with pytest.raises(InvalidArgument, match="mode must be"):
        lazy.between("2020", "2021", mode="inside")  # type: ignore[arg-type]
    with pytest.raises(UnknownKind, match="militray"):
        lazy.of_kind("militray")
    with pytest.raises(InvalidArgument, match="not by a function"):
        lazy.count(lambda e: e.kind)


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_edge_dates_sum_quantities_in_the_engine_as_in_memory(engine: str, tmp_path: Path) -> None:
    shapes = [
        Quantity.exact(5, "USD"),
        Quantity.about(7, "USD"),
        Quantity.at_least(11, "USD"),
        Quantity.up_to(13, "USD"),
        Quantity.range(2, 3, "USD"),
    ]
    tl = timeline.of(
        *(e.evolve(quantities={"usd": shapes[i % 5]} if i % 6 else {}) for i, e in enumerate(EDGES))
    )
    if engine == "duckdb":
        to_parquet(tl, tmp_path / "q.parquet")
        lazy = timeline.scan(tmp_path / "q.parquet")
    else:
        lazy = timeline.scan(to_arrow(tl, engine_columns=True), engine="polars")
    for policy in ("contained", "earliest", "spread", "overlap"):
        for by in ("month", "year", "century", "actor", ("kind:1", "quarter")):
            opts: dict[str, Any] = {"policy": policy}
            got, want = (
                _answer(lazy, "sum", ("usd", by), opts),
                _answer(tl, "sum", ("usd", by), opts),
            )
            if isinstance(want, type):
                assert got is want
                continue
            assert list(got.items()) == list(want.items()), (policy, by)
            assert (got.unit, got.missing) == (want.unit, want.missing)
            assert [e.id for e in got.unplaced] == [e.id for e in want.unplaced]
            assert dict(got.statuses or {}) == dict(want.statuses or {})


def test_quantities_and_plain_tables_are_aggregated_after_collecting() -> None:
    tl = timeline.of(
        Event(
            "2024-01",
            "military.deployment",
            ["PRK", "RUS"],
            "a",
            quantities={"soldiers": 1000},
            measures={"tone": 1.5},
        ),
        Event("2024", "military.deployment", ["PRK", "RUS"], "b", quantities={"soldiers": 3000}),
    )
    lazy = scan(tl.to_arrow())  # the record columns only: scan derives the engine columns
    for policy in ("contained", "spread"):
        assert lazy.sum("soldiers", "month", policy=policy) == tl.sum(
            "soldiers", "month", policy=policy
        )
        assert lazy.mean("tone", "year", policy=policy) == tl.mean("tone", "year", policy=policy)


def test_without_ibis_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ibis", None)
    with pytest.raises(ImportError, match=r"relations\[scale\]"):
        scan(_layout(EDGES))
