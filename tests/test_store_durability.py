"""Nothing acknowledged is ever lost, damage never gets through (issue 17), for the store.

- lock contention: StoreBusy (a ConcurrencyError and a TimeoutError) naming the file and the
  timeout, from append, open and read, never a raw ``sqlite3.OperationalError``;
- the trusted decoder: only rows this library wrote (sealed with their payload's CRC-32) take
  it; hand-edited, damaged or foreign rows are validated;
- damage: a garbled or truncated file gives StoreCorrupt naming the file, ``check()`` reports
  it, ``relations store check`` exits 1, and the store refuses appends;
- crash safety: writers killed with SIGKILL at random moments lose nothing they acknowledged
  and leave no partial batch (``benchmarks/long/kill_trials.py``; 20 trials here);
- concurrency: processes appending with expected versions over shared streams
  (``benchmarks/long/store_concurrency.py``; 4 × 50 here, on SQLite; PostgreSQL in
  ``test_store_postgres.py``).
"""

from __future__ import annotations

import importlib
import json
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

import pytest

from relations import (
    ConcurrencyError,
    Event,
    InvalidArgument,
    InvalidEvent,
    StoreBusy,
    StoreCorrupt,
)
from relations.cli import main
from relations.store import SQLiteStore

LONG = Path(__file__).resolve().parent.parent / "benchmarks" / "long"


def _long(name: str) -> ModuleType:
    """A long-run script of ``benchmarks/long`` as a module (importable by name, so that
    processes it spawns find its functions)."""
    if str(LONG) not in sys.path:
        sys.path.insert(0, str(LONG))
    return importlib.import_module(name)


def _event(n: int) -> Event:
    return Event("2024-06-19", "trade", ["RUS", "PRK"], f"Trade {n}", id=f"t{n}")


def _filled(path: Path, n: int = 2_000) -> Path:
    with SQLiteStore(path, durability="normal") as store:
        for start in range(0, n, 500):
            store.append(f"s{start % 3}", [_event(k) for k in range(start, start + 500)])
    return path


# ---- lock contention ------------------------------------------------------------------------


def test_a_held_write_lock_gives_store_busy_naming_file_and_timeout(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    SQLiteStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with SQLiteStore(path, timeout=0) as store:
            pass
    except StoreBusy:
        pass  # opening may need the lock too (it checks the layout in a write transaction)
    try:
        with pytest.raises(StoreBusy, match=r"busy\.db.*0\.2 s") as caught:
            SQLiteStore(path, timeout=0.2)
        assert isinstance(caught.value, ConcurrencyError)
        assert isinstance(caught.value, TimeoutError)
    finally:
        holder.execute("ROLLBACK")
    store = SQLiteStore(path, timeout=0.2)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreBusy, match=r"busy\.db.*0\.2 s"):
            store.append("s", [_event(1)])
        holder.execute("ROLLBACK")
        assert store.append("s", [_event(1)]).positions == (1,)  # a retry succeeds
    finally:
        store.close()


def test_reads_and_opening_under_an_exclusive_lock_give_store_busy(tmp_path: Path) -> None:
    path = tmp_path / "excl.db"
    with SQLiteStore(path) as store:
        store.append("s", [_event(1)])
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")  # no reader may even look at the file
        with pytest.raises(StoreBusy, match=r"excl\.db.*0\.2 s"):
            SQLiteStore(path, timeout=0.2)
    finally:
        holder.close()

    class Locked:  # a connection on which every statement finds the database locked
        def execute(self, *args: object) -> None:
            raise sqlite3.OperationalError("database is locked")

    store = SQLiteStore(path, timeout=0.1)
    real, store._conn = store._conn, Locked()  # type: ignore[assignment]
    try:
        for read in (store.read_all, lambda: store.read("s"), store.streams, store.check):
            with pytest.raises(StoreBusy, match=r"excl\.db"):
                read()
    finally:
        store._conn = real
        store.close()


def test_other_sqlite_errors_name_the_file_and_do_not_mark_it_damaged(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"

    class ReadOnly:  # a connection on which SQLite refuses every write
        def execute(self, *args: object) -> None:
            e = sqlite3.OperationalError("attempt to write a readonly database")
            e.sqlite_errorcode = 8  # type: ignore[attr-defined]  # SQLITE_READONLY
            raise e

    store = SQLiteStore(path)
    real, store._conn = store._conn, ReadOnly()  # type: ignore[assignment]
    try:
        with pytest.raises(InvalidArgument, match=r"ro\.db.*readonly") as caught:
            store.append("s", [_event(1)])
        assert not isinstance(caught.value, StoreCorrupt)
    finally:
        store._conn = real
    assert store.append("s", [_event(1)]).positions == (1,)  # not refused: nothing is damaged
    store.close()


# ---- the trusted decoder --------------------------------------------------------------------


def test_a_hand_edited_row_is_validated_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "edited.db"
    with SQLiteStore(path) as store:
        store.append("s", [_event(1), _event(2)])
    bad = {**_event(2).to_dict(), "actors": []}  # valid JSON, in the canonical order, no actor
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "UPDATE relations_events SET payload = ? WHERE position = 2", (json.dumps(bad),)
        )
    raw.close()
    with SQLiteStore(path) as store:
        with pytest.raises(InvalidEvent, match=r"edited\.db: position 2 .*actor"):
            store.read_all()
        assert [r.event for r in store.read_all(1, 1)] == [_event(1)]  # sealed rows still read
        report = store.check()
        assert not report.ok and "position 2" in report.problems[0]
        with pytest.raises(StoreCorrupt, match=r"edited\.db.*refusing"):
            store.append("s", [_event(3)])


def test_a_foreign_row_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "foreign.db"
    SQLiteStore(path).close()
    raw = sqlite3.connect(path)
    with raw:  # another tool writes the published layout; it knows nothing of the seal
        raw.execute(
            "INSERT INTO relations_events (position, stream, version, id, type, target, schema, "
            "recorded_at, payload) VALUES (1, 's', 1, 'x', 'event', NULL, 1, 0, ?)",
            (json.dumps({**_event(1).to_dict(), "id": "x", "title": ""}),),
        )
    raw.close()
    with SQLiteStore(path) as store, pytest.raises(InvalidEvent, match="position 1"):
        store.read_all()


def test_a_format_2_file_is_sealed_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "CREATE TABLE relations_events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, "
            "version INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, target TEXT, "
            "schema INTEGER NOT NULL, recorded_at INTEGER NOT NULL, payload TEXT NOT NULL, "
            "UNIQUE (stream, version))"
        )
        bad = {**_event(2).to_dict(), "actors": []}
        for pos, payload in ((1, _event(1).to_dict()), (2, bad)):
            raw.execute(
                "INSERT INTO relations_events VALUES (?, 's', ?, ?, 'event', NULL, 1, 0, ?)",
                (pos, pos, f"t{pos}", json.dumps(payload, separators=(",", ":"))),
            )
        raw.execute("PRAGMA user_version=2")
    raw.close()
    with SQLiteStore(path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == 3
        crcs = store._conn.execute("SELECT crc FROM relations_events ORDER BY position").fetchall()
        assert crcs[0][0] is not None and crcs[1][0] is None  # the invalid row stays unsealed
        assert store.read_all(1, 1)[0].event == _event(1)
        with pytest.raises(InvalidEvent, match="position 2"):
            store.read_all()


# ---- damage -----------------------------------------------------------------------------------


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(
        2 * page, len(data) - page, 3 * page
    ):  # every third page after the first two
        data[start + 100 : start + 1500] = bytes(range(256)) * 5 + bytes(120)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["garbled", "truncated"])
def test_a_damaged_file_is_reported_never_read_partially(tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    path = _filled(tmp_path / f"{damage}.db")
    if damage == "garbled":
        _garble(path)
    else:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    errors: list[Exception] = []
    try:
        store = SQLiteStore(path)
    except StoreCorrupt as e:  # the damage may be found on opening
        errors.append(e)
    else:
        with store:
            try:
                records = store.read_all()
            except (StoreCorrupt, InvalidEvent) as e:
                errors.append(e)
            else:  # a read that succeeds must not be a silent partial read
                assert [r.position for r in records] == list(range(1, 2_001))
            report = store.check()
            assert not report.ok, str(report)
            with pytest.raises(StoreCorrupt, match=path.name):
                store.append("s", [_event(99_999)])
    assert all(path.name in str(e) for e in errors)
    assert main(["store", "check", str(path)]) == 1
    err = capsys.readouterr().err + capsys.readouterr().out
    assert path.name in err or damage == "garbled"


def test_store_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _filled(tmp_path / "fine.db", 1_000)
    assert main(["store", "check", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["records"] == 1_000 and report["problems"] == []
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("DELETE FROM relations_events WHERE position = 400")
    raw.close()
    assert main(["store", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "DAMAGED" in out and "position 400 is missing" in out and "jumps to version" in out


def test_store_correct_and_retract_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    path = _filled(tmp_path / "amend.db", 500)
    assert main(["store", "correct", str(path), "t7", "--set", "title=Trade seven",
                 "--reason", "clearer", "--source", "BBC"]) == 0  # fmt: skip
    assert "correction" in capsys.readouterr().out
    assert main(["store", "retract", str(path), "t8", "--reason", "duplicate", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["amendment"]["type"] == "retraction"
    with SQLiteStore(path) as store:
        titles = {e.id: e.title for e in store.timeline()}
        assert titles["t7"] == "Trade seven" and "t8" not in titles
        assert store.check().ok
    assert main(["store", "retract", str(path), "nope", "--reason", "x"]) == 1
    assert "nope" in capsys.readouterr().err
    assert main(["store", "correct", str(path), "t1", "--set", "oops", "--reason", "x"]) == 1


# ---- crash safety and concurrency --------------------------------------------------------------


def test_writers_killed_at_random_moments_lose_nothing_acknowledged(tmp_path: Path) -> None:
    totals = _long("kill_trials").run(20, tmp_path, seed=17)
    assert totals["trials"] == 20 and totals["acknowledged"] > 20


def test_processes_appending_with_expected_versions(tmp_path: Path) -> None:
    factory = (SQLiteStore, (str(tmp_path / "shared.db"),), {"timeout": 60})
    got = _long("store_concurrency").run(factory, processes=4, appends=50, streams=2)
    assert got["appends"] == 200


def test_store_check_lists_snapshots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from relations.projections import Projection

    path = _filled(tmp_path / "snaps.db", 500)
    counter = Projection.simple(0, lambda n, e: n + 1, snapshot_name="count")
    with SQLiteStore(path) as store:
        store.project(counter).save_snapshot()
    assert main(["store", "check", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (listed,) = report["snapshots"]
    assert (listed["name"], listed["position"], listed["events"], listed["ok"]) == (
        "count",
        500,
        500,
        True,
    )
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE relations_snapshots SET events = 499")
    raw.close()
    assert main(["store", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "snapshot 'count' (version '1'): checksum mismatch" in out and "DAMAGED" in out
    with SQLiteStore(path) as store:
        assert store.delete_snapshots("count") == 1
    assert main(["store", "check", str(path)]) == 0
