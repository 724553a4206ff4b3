"""``timeline.scan``: every query and aggregation of a lazy timeline gives exactly the answer
of the in-memory Timeline of the same events, on every engine.

The ``lazy_of`` fixture turns a Timeline into a LazyTimeline on one engine; add engines to its
``params`` (Spark and PostgreSQL fixtures plug in the same way). Events are drawn by
``relations.testing.timelines`` (imprecise, qualified and open dates); measures are rewritten
to whole numbers (``mentions``) and halves (``tone``), whose sums are exact in any order, so
float answers compare exactly too. Quantities are rewritten to integer ``soldiers`` of every
shape (exact, about, at least, up to, a range, a value with bounds) in one unit, and ``usd``
whose seventh carrier uses another unit (the UnitMismatch must be the in-memory one).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ibis = pytest.importorskip("ibis")
pa = pytest.importorskip("pyarrow")
pytest.importorskip("pandas")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from relations import Quantity, RelationsError, timeline  # noqa: E402
from relations.io import to_arrow, to_parquet  # noqa: E402
from relations.lazy import LazyTimeline  # noqa: E402
from relations.testing import timelines  # noqa: E402
from relations.timeline import Timeline  # noqa: E402

Make = Callable[[Timeline], LazyTimeline]


@pytest.fixture(scope="module", params=["duckdb", "polars", "postgres", "spark"])
def lazy_of(request: pytest.FixtureRequest) -> Iterator[Make]:
    """Timeline → LazyTimeline on the engine ``request.param``: Parquet for DuckDB, an Arrow
    table for Polars (so both source kinds are covered), a table of the session's PostgreSQL
    server and a temporary view of the session's local Spark, each read as an ibis table."""
    engine = request.param
    folder = Path(tempfile.mkdtemp(prefix="relations-scan-"))
    counter = iter(range(10**9))
    if engine == "postgres":
        from tests._postgres import put_table

        con = request.getfixturevalue("ibis_postgres")
        names: list[str] = []

        def put(tl: Timeline) -> LazyTimeline:
            names.append(f"relations_scan_{next(counter)}")
            return timeline.scan(put_table(con, names[-1], to_arrow(tl, engine_columns=True)))

        yield put
        for name in names:
            con.drop_table(name, force=True)
        return
    if engine == "spark":
        session = request.getfixturevalue("spark_session")
        con = request.getfixturevalue("ibis_spark")

        def view(tl: Timeline) -> LazyTimeline:
            # A temporary view of a Spark DataFrame: ibis' create_table refuses the layout's
            # all-null columns (Spark's VOID type), createDataFrame types them from Arrow.
            name = f"relations_scan_{next(counter)}"
            frame = session.createDataFrame(to_arrow(tl, engine_columns=True))
            frame.createOrReplaceTempView(name)
            return timeline.scan(con.table(name))

        yield view
        return

    def make(tl: Timeline) -> LazyTimeline:
        if engine == "duckdb":
            path = folder / f"t{next(counter)}.parquet"
            to_parquet(tl, path)
            return timeline.scan(path)
        return timeline.scan(to_arrow(tl, engine_columns=True), engine=engine)

    yield make


def _rewrite_measures(tl: Timeline) -> Timeline:
    out = []
    for i, e in enumerate(tl):
        ms: dict[str, Any] = {}
        if i % 3 != 0:
            ms["mentions"] = (i * 7) % 11
        if i % 4 != 1:
            ms["tone"] = ((i * 5) % 13 - 6) / 2
        out.append(e.evolve(measures=ms))
    return Timeline(out)


_SHAPES: list[Callable[[int], Quantity]] = [
    lambda a: Quantity.exact(a, "people"),
    lambda a: Quantity.about(a, "people"),
    lambda a: Quantity.at_least(a, "people"),
    lambda a: Quantity.up_to(a, "people"),
    lambda a: Quantity.range(a, 3 * a, "people"),
    lambda a: Quantity(2 * a, "people", low=a, high=3 * a, approximate=True),
    lambda a: Quantity(0, "people"),
]


def _rewrite_quantities(tl: Timeline) -> Timeline:
    out = []
    for i, e in enumerate(tl):
        qs: dict[str, Quantity] = {}
        if i % 4 != 3:
            qs["soldiers"] = _SHAPES[(i * 3) % len(_SHAPES)](100 * i + 7)
        if i % 2 == 0:
            qs["usd"] = Quantity.exact(1000 + i, "EUR" if i == 12 else "USD")
        out.append(e.evolve(quantities=qs))
    return Timeline(out)


events = timelines(max_size=14, min_year=2019, max_year=2025).map(_rewrite_measures)
events = events.map(_rewrite_quantities)

QUERIES: list[tuple[str, Callable[[Any], Any]]] = [
    ("between", lambda t: t.between("2021-03", "2023")),
    ("between within", lambda t: t.between("2021-03", "2023", mode="within")),
    ("on", lambda t: t.on("2022-06")),
    ("on within", lambda t: t.on("2022", mode="within")),
    ("before", lambda t: t.before("2022-06-15")),
    ("before overlaps", lambda t: t.before("2022-06-15", mode="overlaps")),
    ("after", lambda t: t.after("2021")),
    ("after overlaps", lambda t: t.after("2021", mode="overlaps")),
    ("until", lambda t: t.until("2022-02")),
    ("until overlaps", lambda t: t.until("2022-02", mode="overlaps")),
    ("since", lambda t: t.since("2023-07-01")),
    ("since overlaps", lambda t: t.since("2023-07-01", mode="overlaps")),
    ("as_of", lambda t: t.as_of("2022-05")),
    ("as_of definitely", lambda t: t.as_of("2022-05", definitely=True)),
    ("involving", lambda t: t.involving("RUS")),
    ("involving two", lambda t: t.involving("RUS", "PRK")),
    ("involving any", lambda t: t.involving("RUS", "PRK", any=True)),
    ("involving succession", lambda t: t.involving("RUS", follow_succession=True)),
    ("from_to", lambda t: t.from_to("PRK", "RUS")),
    ("from_to source", lambda t: t.from_to("RUS")),
    ("from_to target", lambda t: t.from_to(target="UKR")),
    ("from_to any", lambda t: t.from_to()),
    ("of_kind", lambda t: t.of_kind("military")),
    ("of_kind two", lambda t: t.of_kind("agreement", "diplomacy.visit")),
    ("with_status", lambda t: t.with_status("confirmed", "claimed")),
    ("tagged", lambda t: t.tagged("kursk")),
    ("tagged all", lambda t: t.tagged("kursk", "arms")),
    ("tagged any", lambda t: t.tagged("kursk", "arms", any=True)),
    ("chain", lambda t: t.involving("RUS").since("2021", mode="overlaps").of_kind("military")),
    ("and", lambda t: t.involving("RUS") & t.between("2022", "2023")),
    ("or", lambda t: t.involving("PRK") | t.on("2021")),
    ("minus", lambda t: t.involving("RUS") - t.with_status("confirmed")),
]

BYS: list[Any] = [
    "day",
    "week",
    "month",
    "quarter",
    "year",
    "decade",
    "actor",
    "dyad",
    "directed_dyad",
    "kind",
    "kind:1",
    "status",
    "tag",
    ("dyad", "month"),
    ("year", "kind:1"),
    ("actor", "quarter", "status"),
]
POLICIES = ["contained", "earliest", "spread", "overlap"]


def _same_series(lazy: Any, mem: Any) -> None:
    assert list(lazy.items()) == list(mem.items())
    assert (lazy.name, lazy.key_names, lazy.policy, lazy.missing, lazy.unit) == (
        mem.name,
        mem.key_names,
        mem.policy,
        mem.missing,
        mem.unit,
    )
    assert [e.id for e in lazy.unplaced] == [e.id for e in mem.unplaced]
    if mem.statuses is not None:
        assert dict(lazy.statuses) == dict(mem.statuses)


def _same_outcome(tl: Timeline, lazy: LazyTimeline, ask: Callable[[Any], Any]) -> None:
    """The same series, or the same error (type and message)."""
    try:
        mem = ask(tl)
    except RelationsError as e:
        error = e
    else:
        _same_series(ask(lazy), mem)
        return
    with pytest.raises(type(error), match=f"^{re.escape(str(error))}$"):
        ask(lazy)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tl=events, picks=st.lists(st.sampled_from(QUERIES), min_size=3, max_size=6, unique=True))
def test_queries_give_the_in_memory_answer(lazy_of: Make, tl: Timeline, picks: list[Any]) -> None:
    lazy = lazy_of(tl)
    assert lazy.count() == len(tl)
    assert lazy.collect() == tl
    for name, q in picks:
        want = q(tl)
        got = q(lazy)
        assert [e.id for e in got.collect()] == [e.id for e in want], name
        assert got.count() == len(want), name


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tl=events,
    by=st.sampled_from(BYS),
    policy=st.sampled_from(POLICIES),
    fill=st.booleans(),
)
def test_aggregations_give_the_in_memory_answer(
    lazy_of: Make, tl: Timeline, by: Any, policy: str, fill: bool
) -> None:
    lazy = lazy_of(tl)
    options: Any = {"policy": policy, "fill": fill}
    _same_series(lazy.count(by, **options), tl.count(by, **options))
    if len(tl) and any("mentions" in e.measures for e in tl):
        _same_series(lazy.sum("mentions", by, **options), tl.sum("mentions", by, **options))
    if len(tl) and any("tone" in e.measures for e in tl):
        _same_series(lazy.mean("tone", by, **options), tl.mean("tone", by, **options))
        _same_series(lazy.sum("tone", by, **options), tl.sum("tone", by, **options))
    for q in ("soldiers", "usd"):
        if any(q in e.quantities for e in tl):
            _same_outcome(tl, lazy, lambda t, q=q: t.sum(q, by, **options))
    if any("tone" in e.measures and "mentions" in e.measures for e in tl):
        got = lazy.mean("tone", by, weight="mentions", **options)
        want = tl.mean("tone", by, weight="mentions", **options)
        assert list(got.items()) == list(want.items())
        assert (got.name, got.missing) == (want.name, want.missing)


@settings(max_examples=10, deadline=None)
@given(tl=events, policy=st.sampled_from(POLICIES))
def test_aggregations_of_a_query_and_with_a_range(lazy_of: Make, tl: Timeline, policy: str) -> None:
    lazy = lazy_of(tl)
    options: Any = {"policy": policy, "fill": True, "start": "2021-01", "end": "2022-06"}
    mem = tl.involving("RUS").count("month", **options)
    _same_series(lazy.involving("RUS").count("month", **options), mem)
