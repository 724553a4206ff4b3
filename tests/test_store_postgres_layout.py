"""PostgreSQLStore.write_layout: the store's timeline as a table in the columnar layout, read
back through ibis (the table a lazy timeline scans in the database)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pendulum
import pytest

from relations import Event
from relations.errors import InvalidArgument
from relations.formats.arrow import to_arrow
from relations.testing import ManualClock


@pytest.fixture
def store(postgres_conninfo: str) -> Iterator[Any]:
    import psycopg
    from psycopg import sql

    from relations.store import PostgreSQLStore

    schema = "relations_test_layout"
    with psycopg.connect(postgres_conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    clock = ManualClock(pendulum.datetime(2025, 1, 1))
    s = PostgreSQLStore(postgres_conninfo, schema=schema, clock=clock)
    s.append(
        "rus-prk",
        [
            Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty", id="t"),
            Event("2024", "trade.volume", ["RUS", "PRK"], "Trade", id="tr", tags=["x"]),
            Event(
                "2024-10/..", "military.deployment", ["PRK", "RUS"], "Troops", id="d", directed=True
            ),
        ],
    )
    clock.advance(days=10)
    s.correct("tr", {"when": "2024-03", "title": "Trade in March"}, "better source")
    s.retract("t", "duplicate")
    yield s
    s.close()


def _rows(table: Any) -> list[dict[str, Any]]:
    return sorted(table.to_pylist(), key=lambda r: r["id"])


def test_the_layout_table_is_the_timeline_corrected_and_retracted(
    store: Any, ibis_postgres: Any
) -> None:
    assert store.write_layout() == 2
    back = ibis_postgres.table("relations_layout", database=store.schema).to_pyarrow()
    expected = to_arrow(store.timeline(), engine_columns=True)
    assert back.column_names == expected.column_names
    assert _rows(back) == _rows(expected)
    assert {r["id"]: r["when"] for r in _rows(back)} == {"d": "2024-10/..", "tr": "2024-03"}


def test_known_at_writes_an_earlier_snapshot_and_a_call_replaces_the_table(
    store: Any, ibis_postgres: Any
) -> None:
    assert store.write_layout("layout_then", known_at="2025-01-05") == 3
    assert store.write_layout("layout_then", known_at="2025-01-05") == 3  # replaced, not added
    back = ibis_postgres.table("layout_then", database=store.schema).to_pyarrow()
    assert _rows(back) == _rows(
        to_arrow(store.timeline(known_at="2025-01-05"), engine_columns=True)
    )


@pytest.mark.parametrize("bad", ["", "relations_events", "relations_head", "x" * 64, 3])
def test_a_bad_table_name_names_itself(store: Any, bad: object) -> None:
    with pytest.raises(InvalidArgument, match="table must"):
        store.write_layout(bad)  # type: ignore[arg-type]
