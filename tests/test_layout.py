"""The columnar layout, version 2 (issue 15/16): the engine columns agree with the events, the
schema and its metadata, the flat Arrow and polars layouts (issue 19)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

pa = pytest.importorskip("pyarrow")

from relations import Event, Quantity, timeline  # noqa: E402
from relations.formats.arrow import TABLE_COLUMNS, to_arrow, to_pandas, to_polars  # noqa: E402
from relations.formats.layout import (  # noqa: E402
    LAYOUT_VERSION,
    RECORD_COLUMNS,
    engine_columns,
    layout_schema,
    quantity_columns,
)
from relations.testing import timelines  # noqa: E402


def _expected(events: list[Event]) -> dict[str, list[object]]:
    """The engine columns computed the plain way, from the events."""
    n = len(events)
    cols: dict[str, list[object]] = {
        "source": [e.source for e in events],
        "target": [e.actors[1] if e.directed else None for e in events],
    }
    names = sorted({q for e in events for q in e.quantities})
    for name in names:
        for f, c in zip(
            ("value", "low", "high", "unit", "approximate"), quantity_columns(name), strict=True
        ):
            cols[c] = [
                e.quantities[name].to_dict().get(f) if name in e.quantities else None
                for e in events
            ]
    for m in sorted({m for e in events for m in e.measures}):
        cols[f"measure.{m}"] = [e.measures.to_dict().get(m) for e in events]
    assert all(len(v) == n for v in cols.values())
    for name, values in cols.items():  # the column rule: int64 only if every number is an int
        if any(isinstance(v, float) for v in values):
            cols[name] = [None if v is None else float(v) for v in values]  # type: ignore[arg-type]
    return cols


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines(max_size=8))
def test_engine_columns_agree_with_the_events(tl):
    events = list(tl)
    t = to_arrow(events, engine_columns=True)
    assert t.column_names[: len(RECORD_COLUMNS)] == list(RECORD_COLUMNS)
    expected = _expected(events)
    assert t.column_names[len(RECORD_COLUMNS) :] == list(expected)
    for name, values in expected.items():
        got = t.column(name).to_pylist()
        assert got == values, name
        assert [type(v) for v in got] == [type(v) for v in values], name
    assert t.schema.metadata[b"relations.layout"] == str(LAYOUT_VERSION).encode()


def test_number_columns_are_int64_when_every_value_is_an_integer():
    events = [
        Event(
            "2024",
            "trade",
            ["RUS"],
            "a",
            id="a",
            quantities={"n": Quantity(5, "t")},
            measures={"m": 3, "f": 1.5},
        ),
        Event(
            "2024",
            "trade",
            ["RUS"],
            "b",
            id="b",
            quantities={"n": Quantity(2.5, "t")},
            measures={"m": 4},
        ),
    ]
    t = to_arrow(events, engine_columns=True)
    types = {f.name: str(f.type) for f in t.schema}
    assert types["quantity.n.value"] == "double"
    assert types["quantity.n.low"] == "int64"  # all null
    assert types["measure.m"] == "int64" and types["measure.f"] == "double"
    assert t.column("measure.f").to_pylist() == [1.5, None]


def test_huge_integers_fall_back_to_the_row_path():
    e = Event("2024", "trade", ["RUS"], "a", id="a", quantities={"n": Quantity(10**30, "t")})
    t = to_arrow([e], engine_columns=True)
    assert t.column("quantity.n.value").to_pylist() == [1e30]


def test_engine_columns_of_a_table_without_quantities_or_measures():
    t = engine_columns(to_arrow([Event("2024", "trade", ["RUS", "PRK"], "a", id="a")]))
    assert t.column_names[len(TABLE_COLUMNS) :] == ["source", "target"]
    assert t.column("source").to_pylist() == [None]


def test_engine_columns_replace_existing_ones_and_an_empty_table_works():
    t = to_arrow([], engine_columns=True)
    assert t.num_rows == 0 and t.column_names[-2:] == ["source", "target"]
    t = to_arrow([Event("2024", "trade", ["RUS"], "a", measures={"m": 1})], engine_columns=True)
    again = engine_columns(t)
    assert again.equals(t)


def test_default_to_arrow_is_unchanged():
    t = to_arrow([Event("2024", "trade", ["RUS"], "a")])
    assert t.column_names == list(TABLE_COLUMNS)
    assert t.schema.metadata == {b"relations.schema": b"1"}


def test_layout_schema_matches_what_is_written():
    events = [
        Event(
            "2024",
            "trade",
            ["RUS"],
            "a",
            quantities={"usd": Quantity(1.5, "USD")},
            measures={"tone": 0.5},
        )
    ]
    t = to_arrow(events, engine_columns=True)
    schema = layout_schema(["usd"], ["tone"], integers=["quantity.usd.low", "quantity.usd.high"])
    assert t.schema.equals(schema, check_metadata=True)


def test_json_text_columns_are_not_rewritten():
    e = Event("2024", "trade", ["RUS"], "a", quantities={"usd": Quantity.about(5, "USD")})
    t = to_arrow([e], engine_columns=True)
    assert json.loads(t.column("quantities")[0].as_py()) == {
        "usd": {"unit": "USD", "value": 5, "approximate": True}
    }


# ---- flat layouts (issue 19) ---------------------------------------------------------------


def _flat_events():
    return [
        Event(
            "2024-06",
            "trade",
            ["RUS", "PRK"],
            "T",
            id="t",
            tags=["a"],
            quantities={"usd": Quantity.about(5, "USD")},
            measures={"tone": 2},
        ),
        Event("../2020", "trade", ["RUS"], "U", id="u"),
    ]


def test_flat_arrow_has_the_flat_pandas_columns_and_values():
    events = _flat_events()
    t = to_arrow(events, layout="flat")
    df = to_pandas(events, layout="flat")
    assert t.column_names == list(df.columns)
    assert t.column("quantity.usd.value").to_pylist() == [5.0, None]
    assert t.column("quantity.usd.approximate").to_pylist() == [True, False]
    assert str(t.schema.field("earliest").type) == "date32[day]"
    assert t.column("earliest").to_pylist()[1] is None
    assert t.column("tags").to_pylist() == [["a"], []]
    assert t.column("measure.tone").to_pylist() == [2.0, None]


def test_flat_polars():
    pl = pytest.importorskip("polars")
    df = to_polars(_flat_events(), layout="flat")
    assert df["quantity.usd.unit"].to_list() == ["USD", None]
    assert df.schema["earliest"] == pl.Date and df.schema["actors"] == pl.List(pl.String)


def test_bad_layout_names_are_refused():
    with pytest.raises(ValueError, match="layout"):
        to_arrow([], layout="wide")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="engine_columns"):
        to_arrow([], layout="flat", engine_columns=True)


def test_timeline_flat_polars_matches():
    pytest.importorskip("polars")
    tl = timeline.of(*_flat_events())
    assert to_polars(tl, layout="flat").columns == list(to_pandas(tl, layout="flat").columns)
