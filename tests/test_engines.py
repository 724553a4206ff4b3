"""The shared engine fixtures work: a layout table goes into PostgreSQL and Spark through ibis
and comes back equal (the lazy timeline's backend tests build on these fixtures)."""

from __future__ import annotations

from typing import Any

from tests._postgres import put_table

from relations import Event
from relations.formats.arrow import to_arrow

EVENTS = [
    Event("2024", "diplomacy.visit", ["USA", "CHN"], "Visit", directed=True),
    Event("2024-03-02/..", "conflict.clash", ["RUS", "UKR"], "Open-ended"),
    Event("2023-21", "trade", ["FRA", "DEU"], "A spring", tags=["x", "y"]),
]


def _rows(table: Any) -> list[dict[str, Any]]:
    return sorted(table.to_pylist(), key=lambda r: r["id"])


def test_layout_table_round_trips_through_postgres(ibis_postgres: Any) -> None:
    table = to_arrow(EVENTS)
    back = put_table(ibis_postgres, "relations_test_layout", table).to_pyarrow()
    assert back.column_names == table.column_names
    assert _rows(back) == _rows(table)


def test_layout_table_round_trips_through_spark(ibis_spark: Any) -> None:
    table = to_arrow(EVENTS)
    back = ibis_spark.create_table("relations_test_layout", table, overwrite=True).to_pyarrow()
    assert back.column_names == table.column_names
    assert _rows(back) == _rows(table)


def test_spark_session_is_small_and_quiet(spark_session: Any) -> None:
    conf = spark_session.sparkContext.getConf()
    assert spark_session.sparkContext.master == "local[1]"
    assert conf.get("spark.sql.shuffle.partitions") == "1"
    assert conf.get("spark.ui.enabled") == "false"
