"""read_parquet's column path (issue 15): quantities and measures taken from the layout's
engine columns when they give Part 1's text exactly (else the text is parsed: Part 1 is
authoritative), optional columns the statistics show all default left unread, dates and
kinds read as dictionaries. Each is compared with the Timeline the events make."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pc = pytest.importorskip("pyarrow.compute")

from relations import Event, Quantity, timeline  # noqa: E402
from relations.errors import RelationsError  # noqa: E402
from relations.io import from_arrow, read_parquet, to_arrow, to_parquet  # noqa: E402
from relations.io._columnar import _from_engine, record_columns, record_table  # noqa: E402
from relations.io._report import Tally  # noqa: E402
from relations.io.parquet import read_columns  # noqa: E402
from relations.testing import timelines  # noqa: E402


def _columns(path):
    """The column path's Timeline (None: the row reader would run)."""
    return read_columns(path, Tally(str(path), "raise", None, None), 0)


def _events(n: int = 6) -> list[Event]:
    out = []
    for i in range(n):
        q: dict[str, Quantity] = {}
        if i % 2:
            q["usd"] = Quantity(1000 * i, "USD")
        if i % 3 == 0:
            q["people"] = Quantity.about(10 + i, "people")
        out.append(
            Event(
                f"2024-0{i % 9 + 1}",
                "trade" if i % 2 else "arms.transfer",
                ["RUS", "PRK"],
                f"T{i}",
                id=f"t{i}",
                directed=i == 4,
                status="claimed" if i == 5 else "reported",
                summary="s" if i == 2 else "",
                quantities=q,
                measures={"tone": 1.5 * i, "n": i} if i != 1 else {},
            )
        )
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(max_size=10), st.integers(1, 4))
def test_the_column_path_gives_the_timeline_of_the_events(tmp_path_factory, tl, group):
    path = tmp_path_factory.mktemp("pq") / "e.parquet"
    to_parquet(tl, path)
    # Several row groups: the statistics are per group.
    pq.write_table(pq.read_table(path), path, row_group_size=group)
    fast = _columns(path)
    if fast is not None:
        assert fast == tl
        assert list(fast) == list(tl)
    assert read_parquet(path) == tl


def _rewrite(path, change) -> None:
    t = pq.read_table(path)
    pq.write_table(change(t), path)


def _set(t, name, values, type_=None):
    return t.set_column(t.column_names.index(name), name, pa.array(values, type_))


@pytest.mark.parametrize(
    "change",
    [
        lambda t: _set(t, "quantity.usd.value", [None, 1, None, 3001, None, 5000]),
        lambda t: _set(t, "quantity.usd.unit", [None, "EUR", None, "USD", None, "USD"]),
        lambda t: _set(t, "quantity.people.approximate", [None] * 6, pa.bool_()),
        lambda t: _set(t, "measure.tone", [0.0, None, 3.0, 4.5, 6.0, 7.5]),
        lambda t: _set(t, "measure.n", [0.0, None, 2.0, 3.0, 4.0, 5.0]),
        lambda t: t.drop_columns(["measure.n"]),
        lambda t: t.drop_columns(["quantity.usd.value"]),
        lambda t: t.append_column("measure.extra", pa.array([1, None, None, None, None, None])),
        lambda t: t.append_column("quantity.x.value", pa.array([None, 1, None, None, None, 2])),
        lambda t: _set(t, "quantity.people.unit", ['pe"ople', None, None, 'pe"ople', None, None]),
    ],
    ids=[
        "value",
        "unit",
        "approximate",
        "float measure",
        "int measure as float",
        "no measure column",
        "no value column",
        "extra measure",
        "extra quantity",
        "unit needing escape",
    ],
)
def test_engine_columns_that_disagree_with_part_1_are_not_used(tmp_path, change):
    tl = timeline.of(*_events())
    path = tmp_path / "e.parquet"
    to_parquet(tl, path)
    _rewrite(path, change)
    fast = _columns(path)
    assert fast is not None
    assert fast == tl and list(fast) == list(tl)
    assert fast.sum("usd", by="kind") == tl.sum("usd", by="kind")
    assert read_parquet(path) == tl


def test_engine_columns_that_agree_are_used_and_give_the_parsed_struct(tmp_path):
    tl = timeline.of(*_events())
    path = tmp_path / "e.parquet"
    to_parquet(tl, path)
    t = pq.read_table(path)
    parsed = record_table(record_columns(t))
    built = record_table(record_columns(t), t)
    assert parsed is not None and built is not None
    for name in ("quantities", "measures"):
        assert built.column(name).to_pylist() == parsed.column(name).to_pylist()
    for name in ("quantities", "measures"):
        assert _from_engine(t, name, t.column(name).combine_chunks()) is not None
    # A Part 1 text changed: the engine columns no longer give it, the text is read.
    q = t.column("quantities").to_pylist()
    q[1] = q[1].replace("1000", "999")
    t2 = _set(t, "quantities", q)
    assert _from_engine(t2, "quantities", t2.column("quantities").combine_chunks()) is None
    row = record_table(record_columns(t2), t2).column("quantities").to_pylist()[1]
    assert row["usd"]["value"] == 999


@pytest.mark.parametrize("stats", [True, False])
@pytest.mark.parametrize("group", [1, 2, 100])
def test_optional_columns_all_default_or_not(tmp_path, stats, group):
    evs = _events()
    for sub in (evs, evs[:2], [evs[5], evs[0]], [evs[2]], [evs[4]]):
        tl = timeline.of(*sub)
        path = tmp_path / "e.parquet"
        to_parquet(tl, path)
        t = pq.read_table(path)
        pq.write_table(t, path, row_group_size=group, write_statistics=stats)
        fast = _columns(path)
        assert fast is not None
        assert fast == tl and list(fast) == list(tl)


def test_a_list_of_one_null_is_not_taken_for_an_empty_list(tmp_path):
    path = tmp_path / "e.parquet"
    to_parquet(timeline.of(*_events(3)), path)
    _rewrite(path, lambda t: _set(t, "tags", [[], [None], []], pa.list_(pa.string())))
    assert _columns(path) is None  # (the row reader says what is wrong)


def test_a_default_looking_column_of_another_type_goes_to_the_row_reader(tmp_path):
    path = tmp_path / "e.parquet"
    to_parquet(timeline.of(*_events(3)), path)
    _rewrite(path, lambda t: _set(t, "directed", [0, 0, 0], pa.int64()))
    assert _columns(path) is None


def test_dictionary_typed_dates_kinds_and_status(tmp_path):
    tl = timeline.of(*_events())
    t = to_arrow(tl, engine_columns=True)
    for name in ("when", "kind", "status"):
        i = t.column_names.index(name)
        t = t.set_column(i, name, pc.dictionary_encode(t.column(name)))
    assert from_arrow(t) == tl
    path = tmp_path / "e.parquet"
    pq.write_table(t, path, row_group_size=2)
    fast = _columns(path)
    assert fast is not None and fast == tl


def test_partitions_with_different_quantities(tmp_path):
    a = Event("2023", "trade", ["RUS"], "A", id="a", quantities={"usd": Quantity(5, "USD")})
    b = Event("2024", "trade", ["RUS"], "B", id="b", measures={"tone": 2.5})
    c = Event("2024", "trade", ["PRK"], "C", id="c", summary="x")
    tl = timeline.of(a, b, c)
    folder = tmp_path / "parts"
    to_parquet(tl, folder, partition_by="year")
    fast = _columns(folder)
    assert fast is not None and fast == tl
    assert read_parquet(folder) == tl


@pytest.mark.parametrize(
    "change",
    [
        lambda t: _set(t, "when", [2024, 2025, 2026], pa.int64()),
        lambda t: _set(t, "kind", [["trade"], ["trade"], ["trade"]], pa.list_(pa.string())),
        lambda t: t.append_column("summary", pa.array(["", "", ""])),
    ],
    ids=["int dates", "list kinds", "a column twice"],
)
def test_odd_files_go_to_the_row_reader(tmp_path, change):
    path = tmp_path / "e.parquet"
    to_parquet(timeline.of(*_events(3)), path)
    _rewrite(path, change)
    assert _columns(path) is None
    # (the row reader reads it, or says why: no error from inside the column path)
    with contextlib.suppress(RelationsError):
        read_parquet(path)
