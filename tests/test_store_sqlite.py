"""The SQLite store passes the store conformance suite (threads and processes), plus its
durability settings, file format, upcasting and error handling."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest

from relations import DuplicateEvent, Event, InvalidEvent, StoreClosed
from relations.errors import InvalidArgument
from relations.store import Correction, SQLiteStore, Store
from relations.testing import ManualClock, StoreConformance


class TestSQLiteStore(StoreConformance):
    def create_store(self, clock: Callable[[], pendulum.DateTime]) -> Store:
        return SQLiteStore(self.temp_dir() / "events.db", clock=clock)

    def reopen_store(self, store: Store, clock: Callable[[], pendulum.DateTime]) -> Store | None:
        assert isinstance(store, SQLiteStore)
        return SQLiteStore(store.path, clock=clock)

    def process_factory(self, store: Store) -> tuple[Callable[..., Store], tuple[Any, ...]]:
        assert isinstance(store, SQLiteStore)
        return SQLiteStore, (store.path,)


class TestSQLiteStoreInMemory(StoreConformance):
    """A private ``:memory:`` database behaves the same (one connection, no WAL)."""

    def create_store(self, clock: Callable[[], pendulum.DateTime]) -> Store:
        return SQLiteStore(":memory:", clock=clock)


def _event(n: int = 1) -> Event:
    return Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], f"Treaty {n}", id=f"t{n}")


def test_pragmas_and_layout(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStore(path) as store:
        store.append("s", [_event()])
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    with SQLiteStore(path, durability="normal") as store:
        assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert "durability='normal'" in repr(store)
    raw = sqlite3.connect(path)
    row = raw.execute(
        "SELECT position, stream, version, id, type, target, schema, payload FROM relations_events"
    ).fetchone()
    raw.close()
    assert row[:7] == (1, "s", 1, "t1", "event", None, 1)
    assert json.loads(row[7]) == _event().to_dict()  # the canonical JSON, schema included


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="durability"):
        SQLiteStore(tmp_path / "x.db", durability="fast")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="timeout"):
        SQLiteStore(tmp_path / "x.db", timeout=-1)


def test_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version=99")
    raw.close()
    with pytest.raises(InvalidEvent, match="newer"):
        SQLiteStore(path)


def _insert_raw(path: Path, payload: dict[str, Any], *, kind: str = "event") -> None:
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "INSERT INTO relations_events (position, stream, version, id, type, target, schema, "
            "recorded_at, payload) VALUES (1, 'old', 1, ?, ?, NULL, ?, 0, ?)",
            (payload.get("id", "x"), kind, payload.get("schema", 1), json.dumps(payload)),
        )
    raw.close()


def test_upcasters_turn_old_payloads_into_current_ones(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    SQLiteStore(path).close()
    _insert_raw(
        path,
        {
            "schema": 0,
            "id": "old-1",
            "date": "2000-02-09",
            "type": "agreement.treaty.signed",
            "parties": ["RUS", "PRK"],
            "title": "Treaty signed",
        },
    )

    def v0_to_v1(d: dict[str, Any]) -> dict[str, Any]:
        return {"schema": 1, "id": d["id"], "when": d["date"], "kind": d["type"],
                "actors": d["parties"], "title": d["title"]}  # fmt: skip

    with SQLiteStore(path) as store, pytest.raises(InvalidEvent, match="no upcaster") as caught:
        store.read_all()
    assert "position 1" in str(caught.value)
    with SQLiteStore(path, upcasters={0: v0_to_v1}) as store:
        (record,) = store.read_all()
        assert isinstance(record.event, Event)
        assert str(record.event.when) == "2000-02-09"
        assert record.event.id == "old-1"
        assert record.recorded_at == pendulum.datetime(1970, 1, 1)
        assert [e.id for e in store.timeline()] == ["old-1"]


def test_a_payload_from_the_future_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    SQLiteStore(path).close()
    _insert_raw(path, {**_event().to_dict(), "schema": 7})
    with SQLiteStore(path) as store, pytest.raises(InvalidEvent, match="newer"):
        store.read_all()


def test_corrupt_payload_names_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    SQLiteStore(path).close()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "INSERT INTO relations_events (position, stream, version, id, type, target, schema, "
            "recorded_at, payload) VALUES (1, 's', 1, 'x', 'event', NULL, 1, 0, '{oops')"
        )
    raw.close()
    with SQLiteStore(path) as store, pytest.raises(InvalidEvent, match="position 1"):
        store.read_all()


def test_fast_encoding_and_trusted_decoding_match_the_canonical_form(tmp_path: Path) -> None:
    from hypothesis import given, settings

    from relations.record import dumps as _dumps
    from relations.store._codec import decode, encode
    from relations.testing import events

    @settings(max_examples=60, deadline=None)
    @given(events())
    def check(e: Event) -> None:
        assert encode(e) == _dumps(e.to_dict())  # the direct writer is the canonical JSON
        back = decode("event", encode(e))
        assert back == e
        assert hash(back) == hash(e)
        assert repr(back) == repr(e)
        assert list(back.quantities) == list(e.quantities)

    check()


def test_read_all_of_many_records_in_pages(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "many.db", durability="normal", clock=ManualClock()) as store:
        store.append("s", [_event(n) for n in range(3_000)])
        store.append("s", [Correction("t5", {"title": "fixed"}, "typo")])
        assert [r.position for r in store.read_all(2_999, 5)] == [2_999, 3_000, 3_001]
        assert len(store.read_all()) == 3_001
        assert len(store.timeline()) == 3_000


def test_closed_store_and_operations(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "c.db")
    store.close()
    with pytest.raises(StoreClosed, match=r"c\.db"):
        store.read_all()
    with pytest.raises(StoreClosed):
        store.append("s", [_event()])


def test_unusable_paths_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument, match="cannot open"):
        SQLiteStore(tmp_path / "no" / "such" / "dir" / "x.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(InvalidArgument, match=r"junk\.db"):
        SQLiteStore(junk)


def test_repeats_are_found_whichever_store_object_wrote_them(tmp_path: Path) -> None:
    # ids are checked against each object's in-memory map, caught up inside the write lock
    path = tmp_path / "two.db"
    with SQLiteStore(path) as a, SQLiteStore(path) as b:
        b.append("b", [_event(1)])  # b's id map now exists
        a.append("a", [_event(2), _event(3)])  # appended behind b's back
        result = b.append("b", [_event(3), _event(4), _event(2)])
        assert result.positions == (3, 4, 2)
        assert result.already_present == (True, False, True)
        with pytest.raises(DuplicateEvent, match=r"'t2'.*position 2 in stream 'a'"):
            b.append("b", [_event(5), _event(2).evolve(title="Other")])
        assert b.version("b") == 2  # the failed batch wrote nothing
        b.correct("t2", {"title": "Treaty two"}, "clearer")  # found by b's map too
        assert [r.event.title for r in a.history("t2")] == ["Treaty 2", "Treaty two"]
        assert a.append("a", [_event(5)]).positions == (6,)
        assert [r.position for r in b.read_all()] == [1, 2, 3, 4, 5, 6]


def test_a_format_1_file_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "CREATE TABLE relations_events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, "
            "version INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, target TEXT, "
            "schema INTEGER NOT NULL, recorded_at INTEGER NOT NULL, payload TEXT NOT NULL, "
            "UNIQUE (stream, version))"
        )
        raw.execute("CREATE UNIQUE INDEX relations_events_id ON relations_events (id)")
        raw.execute(
            "INSERT INTO relations_events VALUES (1, 's', 1, 't1', 'event', NULL, 1, 0, ?)",
            (json.dumps(_event(1).to_dict()),),
        )
        raw.execute("PRAGMA user_version=1")
    raw.close()
    with SQLiteStore(path) as store:
        conn = store._conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "relations_events_id" not in names
        assert store.append("s", [_event(1), _event(2)]).already_present == (True, False)
        assert [r.event for r in store.read_all()] == [_event(1), _event(2)]


# ---- persisted snapshots (issue 19) -----------------------------------------------------------

_COUNTER = """
import sys
from relations.projections import Projection
from relations.store import SQLiteStore

applied = []

def count(n, e):
    applied.append(e.id)
    return n + 1

counter = Projection.simple(0, count, snapshot_name="count", snapshot_version=sys.argv[2])
with SQLiteStore(sys.argv[1]) as store:
    print(store.project(counter).as_of(), len(applied))
"""


def _count_in_new_process(path: Path, version: str = "1") -> tuple[int, int]:
    """(the count, how many events were folded) by a projector in a new Python process."""
    done = subprocess.run(
        [sys.executable, "-c", _COUNTER, str(path), version],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
    )
    assert done.returncode == 0, done.stderr
    total, folded = done.stdout.split()
    return int(total), int(folded)


def test_a_projector_in_a_new_process_folds_only_what_came_after_the_snapshot(tmp_path: Path) -> None:  # fmt: skip
    from relations.projections import Projection

    path = tmp_path / "snap.db"
    counter = Projection.simple(0, lambda n, e: n + 1, snapshot_name="count")
    with SQLiteStore(path) as store:
        store.append("s", [_event(n) for n in range(1, 101)])
        assert _count_in_new_process(path) == (100, 100)  # no snapshot yet: from the start
        saved = store.project(counter).save_snapshot()
        assert (saved.position, saved.events) == (100, 100)
        later = [_event(n).evolve(when="2025-01") for n in range(101, 104)]  # after them all
        store.append("s", later)
    assert _count_in_new_process(path) == (103, 3)
    assert _count_in_new_process(path, version="2") == (103, 103)  # a changed fold refolds


def test_a_format_3_file_without_snapshots_gets_the_table_in_place(tmp_path: Path) -> None:
    from relations.projections import Projection

    path = tmp_path / "v3.db"
    with SQLiteStore(path) as store:
        store.append("s", [_event(1), _event(2)])
    raw = sqlite3.connect(path)
    with raw:  # a format 3 file as written before snapshots existed
        raw.execute("DROP TABLE relations_snapshots")
    raw.close()
    counter = Projection.simple(0, lambda n, e: n + 1, snapshot_name="count")
    with SQLiteStore(path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == 3
        assert store.project(counter).save_snapshot().events == 2
        assert [r.event for r in store.read_all()] == [_event(1), _event(2)]
        assert store.check().ok
    with SQLiteStore(path) as store:
        assert [(s.name, s.events, s.problem) for s in store.snapshots()] == [("count", 2, None)]


def test_a_hand_edited_snapshot_is_reported_and_ignored(tmp_path: Path) -> None:
    from relations.errors import SnapshotIgnored
    from relations.projections import Projection

    path = tmp_path / "edited-snapshot.db"
    counter = Projection.simple(0, lambda n, e: n + 1, snapshot_name="count")
    with SQLiteStore(path) as store:
        store.append("s", [_event(1), _event(2)])
        store.project(counter).save_snapshot()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE relations_snapshots SET state = '20'")
    raw.close()
    with SQLiteStore(path) as store:
        report = store.check()
        assert not report.ok and "snapshot 'count' (version '1'): checksum" in report.problems[0]
        (listed,) = store.snapshots()
        assert listed.problem is not None and "checksum" in listed.problem
        with pytest.warns(SnapshotIgnored, match=r"count.*edited-snapshot\.db.*checksum"):
            assert store.project(counter).as_of() == 2
        assert store.append("s", [_event(3)]).positions == (3,)  # the log is intact
