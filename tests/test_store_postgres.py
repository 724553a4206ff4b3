"""The PostgreSQL store passes the store conformance suite (threads and processes), plus its
layout, schema handling, durability setting, upcasting, locking and error handling.

The tests need a server: ``RELATIONS_TEST_POSTGRES`` (a libpq connection string) if set, else
a throwaway cluster started here with ``initdb`` and ``pg_ctl`` (listening only on a unix
socket in a temporary directory; run as the ``postgres`` user when we are root). Without
either, they are skipped, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from relations import Event, InvalidEvent, StoreClosed, StoreCorrupt
from relations.errors import (
    ConcurrencyError,
    InvalidArgument,
    MissingDependency,
    StoreBusy,
    StoreUnavailable,
)
from relations.store import Correction, Store
from relations.testing import ManualClock, StoreConformance

# ---- the server: the session fixture ``postgres_conninfo`` (tests/conftest.py, tests/_postgres.py)


_names = itertools.count(1)


def _admin(conninfo: str) -> Any:
    import psycopg

    return psycopg.connect(conninfo, autocommit=True)


def _fresh_schema(conninfo: str) -> str:
    """A new, empty schema name (dropped first if a previous run left it)."""
    from psycopg import sql

    name = f"relations_test_{os.getpid()}_{next(_names)}"
    with _admin(conninfo) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
    return name


def _drop_schema(conninfo: str, name: str) -> None:
    from psycopg import sql

    with _admin(conninfo) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


# ---- the conformance suite ------------------------------------------------------------------


class TestPostgreSQLStore(StoreConformance):
    conninfo: str

    @pytest.fixture(autouse=True)
    def _server(self, postgres_conninfo: str) -> None:
        self.conninfo = postgres_conninfo

    def create_store(self, clock: Callable[[], pendulum.DateTime]) -> Store:
        from relations.store import PostgreSQLStore

        schema = _fresh_schema(self.conninfo)
        self.addCleanup(_drop_schema, self.conninfo, schema)  # after the store is closed
        return PostgreSQLStore(self.conninfo, schema=schema, clock=clock)

    def reopen_store(self, store: Store, clock: Callable[[], pendulum.DateTime]) -> Store | None:
        from relations.store import PostgreSQLStore

        assert isinstance(store, PostgreSQLStore)
        return PostgreSQLStore(self.conninfo, schema=store.schema, clock=clock)

    def process_factory(self, store: Store) -> tuple[Callable[..., Store], tuple[Any, ...]]:
        from relations.store import PostgreSQLStore

        assert isinstance(store, PostgreSQLStore)
        return functools.partial(PostgreSQLStore, self.conninfo, schema=store.schema), ()


# ---- engine-specific tests ------------------------------------------------------------------


@pytest.fixture
def pg(postgres_conninfo: str) -> Iterator[tuple[str, str]]:
    """(conninfo, a fresh schema name), the schema dropped afterwards."""
    schema = _fresh_schema(postgres_conninfo)
    yield postgres_conninfo, schema
    _drop_schema(postgres_conninfo, schema)


def _event(n: int = 1) -> Event:
    return Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], f"Treaty {n}", id=f"t{n}")


def _store(pg: tuple[str, str], **kw: Any) -> Any:
    from relations.store import PostgreSQLStore

    conninfo, schema = pg
    return PostgreSQLStore(conninfo, schema=kw.pop("schema", schema), **kw)


def test_layout_and_canonical_payloads(pg: tuple[str, str]) -> None:
    from psycopg import sql

    from relations.store._codec import encode

    clock = ManualClock("2025-01-15T10:11:12.345678Z")
    with _store(pg, clock=clock) as store:
        store.append("s", [_event()])
        store.append("s", [Correction("t1", {"title": "fixed"}, "typo")])
        assert store.schema == pg[1]
        assert "durability='full'" in repr(store)
        assert store._conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"
    with _admin(pg[0]) as conn:
        rows = conn.execute(
            sql.SQL(
                "SELECT position, stream, version, id, type, target, schema, recorded_at, payload "
                "FROM {} ORDER BY position"
            ).format(sql.Identifier(pg[1], "relations_events"))
        ).fetchall()
        head = conn.execute(
            sql.SQL("SELECT format, position, recorded_at FROM {}").format(
                sql.Identifier(pg[1], "relations_head")
            )
        ).fetchall()
    assert rows[0][:7] == (1, "s", 1, "t1", "event", None, 1)
    assert rows[0][7] == 1_736_935_872_345_678  # microseconds, exactly as the clock said
    assert rows[0][8] == encode(_event())  # the canonical JSON text, byte for byte
    assert json.loads(rows[0][8]) == _event().to_dict()
    assert rows[1][4:6] == ("correction", "t1")
    assert head == [(1, 2, rows[1][7])]


def test_durability_normal(pg: tuple[str, str]) -> None:
    with _store(pg, durability="normal") as store:
        assert store._conn.execute("SHOW synchronous_commit").fetchone()[0] == "off"
        assert "durability='normal'" in repr(store)
        store.append("s", [_event()])
        assert store.version("s") == 1


def test_bad_arguments(pg: tuple[str, str]) -> None:
    with pytest.raises(InvalidArgument, match="durability"):
        _store(pg, durability="fast")
    with pytest.raises(InvalidArgument, match="timeout"):
        _store(pg, timeout=-1)
    for bad in ("", "  ", "x" * 64, "a\x00b", 3, None):
        with pytest.raises(InvalidArgument, match="schema") as caught:
            _store(pg, schema=bad)
        assert repr(bad)[:20] in str(caught.value)


def test_schema_names_are_quoted_and_kept_apart(pg: tuple[str, str]) -> None:
    conninfo, _ = pg
    odd = 'Odd "Schema"; DROP TABLE x; --'
    plain = _fresh_schema(conninfo)
    _drop_schema(conninfo, odd)
    try:
        with _store(pg, schema=odd) as a, _store(pg, schema=plain) as b:
            a.append("s", [_event(1), _event(2)])
            b.append("s", [_event(1).evolve(title="other content, other store")])
            assert [r.position for r in a.read_all()] == [1, 2]
            assert [r.event.title for r in b.read_all()] == ["other content, other store"]
            assert "Odd" in repr(a)
        with _admin(conninfo) as conn:
            names = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace").fetchall()}
        assert odd in names and plain in names
    finally:
        _drop_schema(conninfo, odd)
        _drop_schema(conninfo, plain)


def test_reopen_keeps_everything_and_refuses_a_newer_format(pg: tuple[str, str]) -> None:
    from psycopg import sql

    with _store(pg, clock=ManualClock()) as store:
        store.append("s", [_event(1), _event(2)])
    with _store(pg) as again:  # opening an existing store creates nothing, keeps everything
        assert [r.event.id for r in again.read_all()] == ["t1", "t2"]
        assert again.append("s", [_event(3)]).positions == (3,)
    with _admin(pg[0]) as conn:
        conn.execute(
            sql.SQL("UPDATE {} SET format = 99").format(sql.Identifier(pg[1], "relations_head"))
        )
    with pytest.raises(InvalidEvent, match="newer"):
        _store(pg)


def test_bad_conninfo_names_it_without_the_password(tmp_path: Path) -> None:
    from relations.store import PostgreSQLStore

    nowhere = tmp_path / "no-server-here"
    for conninfo in (
        f"host={nowhere} port=5999 user=analyst password=hunter2 dbname=events",
        f"postgresql://analyst:hunter2@/events?host={nowhere}&port=5999",
    ):
        with pytest.raises(StoreUnavailable, match="cannot open the store") as caught:
            PostgreSQLStore(conninfo, timeout=2)
        msg = str(caught.value)
        assert "hunter2" not in msg
        assert str(nowhere) in msg and "analyst" in msg and "events" in msg
    with pytest.raises(InvalidArgument, match="not a valid") as caught:
        PostgreSQLStore("dbname=events password=hunter2 oops")
    assert "hunter2" not in str(caught.value)
    assert "dbname=events" in str(caught.value)


def test_missing_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from relations.store.postgres import PostgreSQLStore

    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    with pytest.raises(MissingDependency, match=r'pip install "relations\[postgres\]"'):
        PostgreSQLStore("dbname=events")
    with pytest.raises(ImportError):  # MissingDependency is an ImportError too
        PostgreSQLStore("dbname=events")


def test_import_relations_does_not_import_psycopg() -> None:
    code = (
        "import sys, relations, relations.store, relations.testing\n"
        "assert 'psycopg' not in sys.modules, 'psycopg imported'\n"
        "from relations.store import PostgreSQLStore\n"
        "assert 'psycopg' not in sys.modules, 'psycopg imported by the lazy export'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _insert_raw(pg: tuple[str, str], payload: str, schema_version: int, rid: str) -> None:
    from psycopg import sql

    with _admin(pg[0]) as conn:
        conn.execute(
            sql.SQL(
                "INSERT INTO {} (position, stream, version, id, type, target, schema, "
                "recorded_at, payload) VALUES (1, 'old', 1, %s, 'event', NULL, %s, 0, %s)"
            ).format(sql.Identifier(pg[1], "relations_events")),
            (rid, schema_version, payload),
        )
        conn.execute(
            sql.SQL("UPDATE {} SET position = 1, recorded_at = 0").format(
                sql.Identifier(pg[1], "relations_head")
            )
        )


def test_upcasters_and_unreadable_payloads(pg: tuple[str, str]) -> None:
    _store(pg).close()
    old = {"schema": 0, "id": "old-1", "date": "2000-02-09", "type": "agreement.treaty.signed",
           "parties": ["RUS", "PRK"], "title": "Treaty signed"}  # fmt: skip
    _insert_raw(pg, json.dumps(old), 0, "old-1")

    def v0_to_v1(d: dict[str, Any]) -> dict[str, Any]:
        return {"schema": 1, "id": d["id"], "when": d["date"], "kind": d["type"],
                "actors": d["parties"], "title": d["title"]}  # fmt: skip

    with _store(pg) as store, pytest.raises(InvalidEvent, match="no upcaster") as caught:
        store.read_all()
    assert "position 1" in str(caught.value) and pg[1] in str(caught.value)
    with _store(pg, upcasters={0: v0_to_v1}) as store:
        (record,) = store.read_all()
        assert isinstance(record.event, Event)
        assert str(record.event.when) == "2000-02-09"
        assert record.recorded_at == pendulum.datetime(1970, 1, 1)
        assert [e.id for e in store.timeline()] == ["old-1"]
        assert store.append("old", [_event()]).positions == (2,)  # the head was honoured


def test_corrupt_payload_names_its_position(pg: tuple[str, str]) -> None:
    _store(pg).close()
    _insert_raw(pg, "{oops", 1, "x")
    with _store(pg) as store, pytest.raises(InvalidEvent, match="position 1"):
        store.read_all()


def test_large_batches_use_copy(pg: tuple[str, str]) -> None:
    with _store(pg, clock=ManualClock()) as store:
        result = store.append("s", [_event(n) for n in range(3_000)])
        assert result.positions == tuple(range(1, 3_001))
        assert store.append("s", [_event(n) for n in range(3_000)]).written == 0
        store.append("s", [Correction("t5", {"title": "fixed"}, "typo")])
        assert [r.position for r in store.read_all(2_999, 5)] == [2_999, 3_000, 3_001]
        assert len(store.read_all()) == 3_001
        assert len(store.timeline()) == 3_000


def test_closed_and_lost_connections(pg: tuple[str, str]) -> None:
    store = _store(pg)
    store.close()
    with pytest.raises(StoreClosed, match=pg[1]):
        store.read_all()
    store = _store(pg)
    store.append("s", [_event()])
    pid = store._conn.info.backend_pid
    with _admin(pg[0]) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(StoreClosed, match="connection was lost"):
        store.read_all()
    assert store.closed
    store.close()


def test_a_writer_waiting_too_long_gets_a_concurrency_error(pg: tuple[str, str]) -> None:
    from psycopg import sql

    with _store(pg, timeout=0.2) as store:
        store.append("s", [_event(1)])
        with _admin(pg[0]) as other, other.transaction():  # another writer holds the head
            other.execute(
                sql.SQL("SELECT position FROM {} FOR UPDATE").format(
                    sql.Identifier(pg[1], "relations_head")
                )
            )
            with pytest.raises(ConcurrencyError, match="gave up") as caught:
                store.append("s", [_event(2)])
            assert isinstance(caught.value, StoreBusy)  # and a TimeoutError
        assert store.append("s", [_event(2)]).positions == (2,)  # nothing half-written


def test_text_postgresql_cannot_hold(pg: tuple[str, str]) -> None:
    with _store(pg) as store:
        with pytest.raises(InvalidArgument, match="NUL"):
            store.append("bad\x00stream", [_event()])
        assert store.read_all() == []
        store.append("B", [_event(1)])
        store.append("a", [_event(2)])
        store.append("é", [_event(3)])
        assert store.streams() == sorted(["B", "a", "é"])  # code-point order


def test_odd_server_defaults(postgres_conninfo: str) -> None:
    """A SQL_ASCII database whose default isolation is SERIALIZABLE: text still round-trips
    and concurrent writers still get gapless positions (the store asks for READ COMMITTED)."""
    import threading

    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    from relations.store import PostgreSQLStore

    name = f"relations_test_ascii_{os.getpid()}"
    ident = sql.Identifier(name)
    try:
        with _admin(postgres_conninfo) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            conn.execute(
                sql.SQL(
                    "CREATE DATABASE {} ENCODING 'SQL_ASCII' TEMPLATE template0 "
                    "LC_COLLATE 'C' LC_CTYPE 'C'"
                ).format(ident)
            )
            conn.execute(
                sql.SQL("ALTER DATABASE {} SET default_transaction_isolation = 'serializable'")
                .format(ident)
            )  # fmt: skip
    except psycopg.Error as e:
        pytest.skip(f"cannot create a test database on this server: {e}")
    conninfo = make_conninfo(postgres_conninfo, dbname=name)
    try:
        title = "Договор о всеобъемлющем стратегическом партнёрстве ✓"
        treaty = _event(1).evolve(title=title)
        stores = [PostgreSQLStore(conninfo, clock=ManualClock()) for _ in range(3)]
        try:
            stores[0].append("s", [treaty])
            assert stores[1].read_all()[0].event == treaty

            def write(k: int) -> None:
                for n in range(15):
                    stores[k].append(f"w{k}", [_event(100 * (k + 1) + n)])

            threads = [threading.Thread(target=write, args=(k,)) for k in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            records = stores[2].read_all()
            assert [r.position for r in records] == list(range(1, 47))
        finally:
            for s in stores:
                s.close()
    finally:
        with _admin(postgres_conninfo) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))


def test_processes_appending_with_expected_versions(pg: tuple[str, str]) -> None:
    # issue 17: 4 processes x 50 appends over shared streams (the long run: 8 x 500,
    # benchmarks/long/store_concurrency.py)
    import importlib

    from relations.store import PostgreSQLStore

    long_dir = str(Path(__file__).resolve().parent.parent / "benchmarks" / "long")
    if long_dir not in sys.path:
        sys.path.insert(0, long_dir)
    concurrency = importlib.import_module("store_concurrency")
    factory = (PostgreSQLStore, (pg[0],), {"schema": pg[1]})
    got = concurrency.run(factory, processes=4, appends=50, streams=2)
    assert got["appends"] == 200


def test_check(pg: tuple[str, str]) -> None:
    from psycopg import sql

    with _store(pg) as store:
        store.append("s", [_event(1), _event(2), _event(3)])
        assert store.check().ok
        with _admin(pg[0]) as admin:
            admin.execute(
                sql.SQL("DELETE FROM {} WHERE position = 2").format(
                    sql.Identifier(pg[1], "relations_events")
                )
            )
        report = store.check()
        assert not report.ok and "position 2 is missing" in report.problems[0]
        with pytest.raises(StoreCorrupt, match="refusing"):
            store.append("s", [_event(4)])


# ---- the trusted decoder: rows carry a CRC-32 of their payload (issue 17) ---------------------


def _sql(pg: tuple[str, str], text: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run ``text`` with ``{events}``, ``{head}`` and ``{snapshots}`` naming the store's tables."""
    from psycopg import sql

    names = {t: sql.Identifier(pg[1], f"relations_{t}") for t in ("events", "head", "snapshots")}
    with _admin(pg[0]) as conn:
        cur = conn.execute(sql.SQL(text).format(**names), params)
        return cur.fetchall() if cur.description else []


def test_rows_are_sealed_with_their_payloads_crc(pg: tuple[str, str]) -> None:
    from relations.store._codec import seal

    with _store(pg) as store:
        store.append("s", [_event(1)])
        store.append("s", [_event(n) for n in range(2, 200)])  # COPY writes the seal too
        store.correct("t1", {"title": "Treaty one"}, "typo")
    rows = _sql(pg, "SELECT payload, crc FROM {events} ORDER BY position")
    assert len(rows) == 200 and all(crc == seal(payload) for payload, crc in rows)


def test_a_hand_edited_row_is_validated_not_trusted(pg: tuple[str, str]) -> None:
    with _store(pg) as store:
        store.append("s", [_event(1), _event(2)])
    bad = {**_event(2).to_dict(), "actors": []}  # valid JSON, in the canonical order, no actor
    _sql(pg, "UPDATE {events} SET payload = %s WHERE position = 2", (json.dumps(bad),))
    with _store(pg) as store:
        with pytest.raises(InvalidEvent, match=rf"{pg[1]}.*position 2 .*actor"):
            store.read_all()
        with pytest.raises(InvalidEvent, match="position 2"):
            store.read("s")
        assert [r.event for r in store.read_all(1, 1)] == [_event(1)]  # sealed rows still read
        report = store.check()
        assert not report.ok and "position 2" in report.problems[0]
        with pytest.raises(StoreCorrupt, match="refusing"):
            store.append("s", [_event(3)])


def test_a_foreign_row_is_validated(pg: tuple[str, str]) -> None:
    _store(pg).close()  # another tool writes the published layout; it knows nothing of the seal
    _insert_raw(pg, json.dumps({**_event(1).to_dict(), "title": ""}), 1, "t1")
    with _store(pg) as store, pytest.raises(InvalidEvent, match="position 1"):
        store.read_all()


def test_a_store_made_before_seals_is_upgraded_in_place(pg: tuple[str, str]) -> None:
    with _store(pg) as store:
        store.append("s", [_event(1), _event(2)])
    # the layout before seals and snapshots: no crc column, no snapshots table
    _sql(pg, "ALTER TABLE {events} DROP COLUMN crc")
    _sql(pg, "DROP TABLE {snapshots}")
    bad = {**_event(2).to_dict(), "actors": []}
    _sql(pg, "UPDATE {events} SET payload = %s WHERE position = 2", (json.dumps(bad),))
    with _store(pg) as store:
        crcs = _sql(pg, "SELECT crc FROM {events} ORDER BY position")
        assert crcs[0][0] is not None and crcs[1][0] is None  # the invalid row stays unsealed
        assert _sql(pg, "SELECT format FROM {head}") == [(1,)]
        assert store.read_all(1, 1)[0].event == _event(1)
        with pytest.raises(InvalidEvent, match="position 2"):
            store.read_all()
        assert store.snapshots() == []  # the snapshots table was added


# ---- persisted snapshots (issue 19) -----------------------------------------------------------


def test_snapshot_rows_and_a_hand_edited_snapshot(pg: tuple[str, str]) -> None:
    from relations.errors import SnapshotIgnored
    from relations.projections import Projection

    applied: list[str] = []

    def count(n: int, e: Event) -> int:
        applied.append(e.id)
        return n + 1

    counter = Projection.simple(0, count, snapshot_name="count", snapshot_version="v1")
    with _store(pg) as store:
        store.append("s", [_event(n) for n in range(1, 6)])
        store.project(counter).save_snapshot()
    rows = _sql(pg, "SELECT name, version, scope, position, events, state FROM {snapshots}")
    assert rows == [("count", "v1", "$all", 5, 5, "5")]
    _sql(pg, "UPDATE {snapshots} SET state = '50'")
    with _store(pg) as store:
        applied.clear()
        with pytest.warns(SnapshotIgnored, match="count.*checksum"):
            assert store.project(counter).as_of() == 5
        assert len(applied) == 5
        report = store.check()
        assert not report.ok and "snapshot 'count'" in report.problems[0]
        assert store.append("s", [_event(6)]).positions == (6,)  # appends go on
