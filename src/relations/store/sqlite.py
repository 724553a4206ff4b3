"""A store in one SQLite file (stdlib ``sqlite3``): embedded, durable, safe across processes.

Layout: a table ``relations_events``, with one row per recorded event or amendment::

    position    INTEGER PRIMARY KEY   -- global, gapless: max + 1 inside the write transaction
    stream      TEXT, version INTEGER -- UNIQUE (stream, version)
    id          TEXT                  -- the event's id (unique: checked by every append)
    type        TEXT                  -- 'event', 'correction' or 'retraction'
    target      TEXT                  -- the amended event's id (amendments only, indexed)
    schema      INTEGER               -- schema version of the payload
    recorded_at INTEGER               -- microseconds since 1970-01-01 UTC, never decreasing
    payload     TEXT                  -- canonical JSON (Event.to_dict(), or the amendment's)
    crc         INTEGER               -- CRC-32 of the payload's UTF-8 text, as this library wrote it

and one for persisted projection snapshots, ``relations_snapshots`` (see
:meth:`relations.store.Projector.save_snapshot`), one row per ``(name, version, scope)``
with the log ``position`` and number of ``events`` its JSON ``state`` covers, a ``digest`` of
those events' ids, ``saved_at`` and a ``crc`` over the row. Opening a file of format 3 made
before snapshots existed adds the table in place; the format number stays 3, since older
readers of format 3 never look at it.

Idempotency: ids are unique across the log, but no on-disk index is kept on them. Event ids
are content hashes, so such an index is written at random places: each batch of 1 000
appends rewrote most of its pages, which more than doubled the cost of a batched append.
Instead each store object keeps a map of every recorded id to its position in memory (about
150 bytes per record; built on first use, by one read of the ids, about 2 s per million
records), and brings it up to date inside each write transaction, holding the write lock,
from the records other connections appended since (a range read by position). So a repeat
is found whatever process wrote the original; :meth:`SQLiteStore.history` and the
amendments find their event through the same map. (Store format 1 had a unique index on
``id``; opening such a file drops the index, in place, and marks the file as format 2.)

Trust: reads build events from payloads that this library wrote without validating them
again (several times faster), and only those: each row carries ``crc``, the CRC-32 of its
payload as written. A row whose payload no longer matches its ``crc`` (edited by hand,
damaged) or that has none (written by another tool that follows the published layout) is
validated like any input, and an invalid one raises InvalidEvent naming the file and the
position. (Store format 2 had no ``crc``; opening such a file adds the column, in place,
validates every row once and seals the valid ones, and marks the file as format 3; invalid
rows stay unsealed, so reading them says what is wrong.)

Durability: the database is in WAL mode. With ``durability="full"`` (the default,
``PRAGMA synchronous=FULL``) an append that returned is on disk and survives a power cut.
``durability="normal"`` (``synchronous=NORMAL``) is faster for one-event appends: a
committed append survives the application crashing, but the last appends before a power cut
or OS crash may be lost (the database stays consistent).

Concurrency: writers take the write lock with ``BEGIN IMMEDIATE``; waiting writers retry for
up to ``timeout`` seconds (SQLite's busy handler, then a retry loop with jitter), so several
threads and processes can append to one file and nothing is lost or duplicated. Readers never
block writers (WAL). All SQL is parameterised.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from relations import _gc
from relations.errors import (
    InvalidArgument,
    InvalidEvent,
    RelationsError,
    StoreBusy,
    StoreClosed,
    StoreCorrupt,
)
from relations.events import SCHEMA_VERSION
from relations.record import Upcasters
from relations.store._base import StoreBase, check_range, check_repeats
from relations.store._codec import TYPE_EVENT, Batch, Row, decode_rows, seal, seals
from relations.store._records import Recordable, RecordedEvent
from relations.store._snapshots import SnapshotRow

if TYPE_CHECKING:
    import pendulum

__all__ = ["SQLiteStore"]

FORMAT_VERSION = 3
"""``PRAGMA user_version`` of a store file in this layout (1: with a unique index on ``id``;
2: without the ``crc`` column)."""

_T = TypeVar("_T")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS relations_events (
        position INTEGER PRIMARY KEY,
        stream TEXT NOT NULL,
        version INTEGER NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        target TEXT,
        schema INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        payload TEXT NOT NULL,
        crc INTEGER,
        UNIQUE (stream, version)
    )""",
    "CREATE INDEX IF NOT EXISTS relations_events_target ON relations_events (target) "
    "WHERE target IS NOT NULL",
    # projection snapshots (a cache of folds: the log stays the truth); added to store format
    # 3 without a new format number, since readers of format 3 do not look at this table
    """CREATE TABLE IF NOT EXISTS relations_snapshots (
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        scope TEXT NOT NULL,
        position INTEGER NOT NULL,
        events INTEGER NOT NULL,
        digest TEXT NOT NULL,
        state TEXT NOT NULL,
        saved_at INTEGER NOT NULL,
        crc INTEGER NOT NULL,
        PRIMARY KEY (name, version, scope)
    )""",
)
_SNAPSHOT_COLUMNS = "name, version, scope, position, events, digest, state, saved_at, crc"
_COLUMNS = "position, stream, version, recorded_at, type, payload"
_SEALED = f"{_COLUMNS}, crc"  # what reads select: the trusted path needs the seal
_INSERT = (
    "INSERT INTO relations_events "
    "(position, stream, version, id, type, target, schema, recorded_at, payload, crc) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Events (the common case) bind six values: their type, target and schema are constants here.
_INSERT_EVENTS = (
    "INSERT INTO relations_events "
    "(position, stream, version, id, type, target, schema, recorded_at, payload, crc) "
    "VALUES (?, ?, ?, ?, 'event', NULL, 1, ?, ?, ?)"
)
_INSERT_EVENTS_SCHEMA = 1  # the schema number _INSERT_EVENTS writes
_BUSY = {5, 6, 261, 262, 517}  # SQLITE_BUSY, SQLITE_LOCKED and their extended codes
_DAMAGE = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary codes)
_IOERR_SHORT_READ = 522  # reading past the end of a truncated file


def _is_busy(e: sqlite3.OperationalError) -> bool:
    code = getattr(e, "sqlite_errorcode", None)
    if code is not None:
        return code in _BUSY
    msg = str(e).lower()
    return "locked" in msg or "busy" in msg


def _is_damage(e: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is damaged (or not a database at all)."""
    if not isinstance(e, sqlite3.OperationalError):
        return True  # DatabaseError itself, IntegrityError, ...: the file breaks its own rules
    code = getattr(e, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE or code == _IOERR_SHORT_READ
    msg = str(e).lower()
    return "malformed" in msg or "not a database" in msg


class SQLiteStore(StoreBase):
    """A store kept in an SQLite database file (``":memory:"`` for a private, temporary one).

    ``durability``: ``"full"`` (default: a returned append is on disk) or ``"normal"``
    (faster single appends; the last ones may be lost in a power cut). ``clock`` stamps
    ``recorded_at`` (UTC; default now). ``upcasters`` maps an old schema version to a
    function that turns such a payload (a dict) into the next version; they run when reading.
    ``timeout``: seconds to wait for another writer before giving up.

    >>> import tempfile, pathlib
    >>> from relations import Event
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.db"
    >>> with SQLiteStore(path) as store:
    ...     store.append("rus-prk", [Event("2024-06-19", "agreement.treaty.signed",
    ...                                    ["RUS", "PRK"], "Treaty signed", id="t")]).positions
    (1,)
    >>> with SQLiteStore(path) as store:
    ...     [r.event.title for r in store.read("rus-prk")]
    ['Treaty signed']
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        durability: Literal["full", "normal"] = "full",
        clock: Callable[[], pendulum.DateTime] | None = None,
        upcasters: Upcasters | None = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(clock)
        if durability not in ("full", "normal"):
            raise InvalidArgument(f"durability must be 'full' or 'normal', not {durability!r}")
        if not isinstance(timeout, int | float) or timeout < 0:
            raise InvalidArgument(f"timeout must be a number of seconds >= 0, not {timeout!r}")
        self._path = str(path) if str(path) == ":memory:" else str(Path(path))
        self._durability = durability
        self._upcasters = dict(upcasters) if upcasters else None
        self._timeout = float(timeout)
        self._closed = False
        self._ids: dict[str, int] = {}  # id → position of every record up to _ids_upto
        self._ids_upto = 0
        self._written: list[tuple[str, int]] = []  # (id, position) written, not yet committed
        try:
            self._conn = sqlite3.connect(
                self._path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as e:
            raise InvalidArgument(f"{self._path}: cannot open the store: {e}") from None
        try:
            self._setup()
        except sqlite3.DatabaseError as e:
            self._conn.close()
            self._closed = True
            raise StoreCorrupt(f"{self._path}: not a usable store: {e}") from None
        except BaseException:
            self._conn.close()
            self._closed = True
            raise

    def _setup(self) -> None:
        conn = self._conn
        if self._path != ":memory:":
            mode = self._retry(lambda: conn.execute("PRAGMA journal_mode=WAL").fetchone()[0])
            if str(mode).lower() != "wal":
                raise InvalidEvent(f"{self._path}: could not switch SQLite to WAL ({mode!r})")
        conn.execute(f"PRAGMA synchronous={'FULL' if self._durability == 'full' else 'NORMAL'}")
        conn.execute(f"PRAGMA busy_timeout={int(self._timeout * 1000)}")

        def create() -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                fmt = conn.execute("PRAGMA user_version").fetchone()[0]
                if fmt > FORMAT_VERSION:
                    raise InvalidEvent(
                        f"{self._path}: store format {fmt} is newer than this version of "
                        f"relations reads ({FORMAT_VERSION}); upgrade relations"
                    )
                for sql in _SCHEMA:
                    conn.execute(sql)
                if fmt < FORMAT_VERSION:  # new, or an older format: upgrade in place
                    conn.execute("DROP INDEX IF EXISTS relations_events_id")  # format 1
                    self._add_seals()  # format 1 or 2, or a table written by another tool
                    conn.execute(f"PRAGMA user_version={FORMAT_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

        self._retry(create)

    def __repr__(self) -> str:
        state = ", closed" if self._closed else ""
        return f"SQLiteStore({self._path!r}, durability={self._durability!r}{state})"

    def _describe(self) -> str:
        return f"SQLiteStore({self._path!r})"

    @property
    def path(self) -> str:
        """The database file (``":memory:"`` for a private in-memory database).

        >>> SQLiteStore(":memory:").path
        ':memory:'
        """
        return self._path

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called.

        >>> s = SQLiteStore(":memory:"); s.close(); s.closed
        True
        """
        return self._closed

    def close(self) -> None:
        """Close the database connection (idempotent); later operations raise StoreClosed.

        >>> s = SQLiteStore(":memory:"); s.close(); s.close()
        >>> s.version("x")
        Traceback (most recent call last):
        ...
        relations.errors.StoreClosed: SQLiteStore(':memory:') is closed
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._conn.close()
            self._appended.notify_all()

    # -- transactions ---------------------------------------------------------------------
    def _retry(self, fn: Callable[[], _T]) -> _T:
        """Run ``fn``, retrying while another connection holds the lock (up to ``timeout``)."""
        deadline = time.monotonic() + self._timeout
        delay = 0.001
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as e:
                if not _is_busy(e):
                    raise self._failed(e) from None
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"{self._path}: another writer held the database lock longer than the "
                        f"timeout ({self._timeout:g} s); try again, or open the store with a "
                        "longer timeout"
                    ) from None
            except sqlite3.ProgrammingError:
                raise
            except sqlite3.DatabaseError as e:  # garbled pages, a truncated file, broken indexes
                raise self._failed(e) from None
            time.sleep(delay * (0.5 + random.random()))  # noqa: S311 - jitter, not crypto
            delay = min(delay * 2, 0.05)

    def _failed(self, e: sqlite3.DatabaseError) -> RelationsError:
        """The library's error for an SQLite error other than a busy database: StoreCorrupt
        for a damaged file (appends refuse from then on), InvalidArgument for the others (a
        read-only file, a full disk), naming the file."""
        if not _is_damage(e):
            return InvalidArgument(f"{self._path}: SQLite cannot use the store: {e}")
        self._damage = f"SQLite: {e}"
        return StoreCorrupt(
            f"{self._path}: the store file is damaged (SQLite: {e}); run "
            f"'relations store check {self._path}' and restore it from a backup"
        )

    # -- writing: the primitives of StoreBase.append ----------------------------------------
    def _in_write_transaction(self, fn: Callable[[], _T]) -> _T:
        return self._retry(lambda: self._transaction(fn))

    def _transaction(self, fn: Callable[[], _T]) -> _T:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        self._written = []
        try:
            result = fn()
            conn.execute("COMMIT")
        except BaseException:
            self._written = []
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if self._written:  # committed: this store's id map now runs to the last position written
            self._ids.update(self._written)
            self._ids_upto = self._written[-1][1]
            self._written = []
        return result

    def _head(self, stream: str) -> tuple[int, int | None, int]:
        _, last_position, last_us, version = self._sync_ids_locked(stream)
        return last_position, last_us, version

    def _find(self, items: Sequence[Recordable], rows: Sequence[Row]) -> list[int | None]:
        get = self._ids.get  # complete: _head brought it up to date inside the write lock
        found = [get(item.id) for item in items]
        if found.count(None) < len(found):
            self._check_repeats(items, rows, found)
        return found

    def _write_batch(self, batch: Batch) -> None:
        items, rows, stream, us = batch.items, batch.rows, batch.stream, batch.us
        only_events = all(kind == TYPE_EVENT for kind, _, _ in rows)
        p, v = batch.first_position, batch.first_version
        with _gc.paused(len(items), threshold=100):  # short-lived objects only
            if only_events and SCHEMA_VERSION == _INSERT_EVENTS_SCHEMA:
                crc = seal
                self._conn.executemany(
                    _INSERT_EVENTS,
                    [
                        (p + k, stream, v + k, item.id, us, row[2], crc(row[2]))
                        for k, (item, row) in enumerate(zip(items, rows, strict=True))
                    ],
                )
            else:
                self._conn.executemany(_INSERT, batch.insert_rows())
        self._written = [(item.id, p + k) for k, item in enumerate(items)]

    def _sync_ids_locked(self, stream: str = "") -> tuple[dict[str, int], int, int | None, int]:
        """The id → position map, brought up to date with what other connections appended;
        with the last position, its ``recorded_at`` (None if the log is empty) and the
        version of ``stream``, all in one query.

        Inside a write transaction (the write lock held) the map is then complete: an id not
        in it is not recorded.
        """
        ids = self._ids
        if not self._ids_upto:  # first use: every id, read straight into the map
            every = self._conn.execute(
                "SELECT id, position FROM relations_events ORDER BY position"
            ).fetchall()
            if every:
                ids.update(every)
                self._ids_upto = every[-1][1]
        rows = self._conn.execute(
            "SELECT id, position, recorded_at, "
            "(SELECT max(version) FROM relations_events WHERE stream = ?) "
            "FROM relations_events WHERE position >= ? ORDER BY position",
            (stream, self._ids_upto),  # from the last position seen, for its recorded_at
        ).fetchall()
        if not rows:
            if self._ids_upto:  # the log is shorter than we saw: it was replaced; start over
                ids.clear()
                self._ids_upto = 0
                return self._sync_ids_locked(stream)
            return ids, 0, None, 0
        if len(rows) > 1:
            ids.update({r[0]: r[1] for r in rows})
        _, last, last_us, version = rows[-1]
        self._ids_upto = last
        return ids, last, last_us, version or 0

    def _check_repeats(
        self, items: Sequence[Recordable], rows: Sequence[Row], found: Sequence[int | None]
    ) -> None:
        """Raise DuplicateEvent if an already recorded id comes with different content."""
        where = [(i, pos) for i, pos in enumerate(found) if pos is not None]
        recorded: dict[int, tuple[str, str, str]] = {}
        for start in range(0, len(where), 500):
            chunk = [pos for _, pos in where[start : start + 500]]
            marks = ",".join("?" * len(chunk))
            for pos, rstream, kind, payload in self._conn.execute(
                "SELECT position, stream, type, payload FROM relations_events "  # noqa: S608 - only '?' marks are interpolated
                f"WHERE position IN ({marks})",
                chunk,
            ):
                recorded[pos] = (rstream, kind, payload)
        check_repeats(items, rows, {i: (pos, *recorded[pos]) for i, pos in where}, self._decode_row)

    # -- reading --------------------------------------------------------------------------
    def _where(self) -> str:
        return self._path

    def _query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            self._check_open()
            try:
                return self._retry(lambda: self._conn.execute(sql, params).fetchall())
            except sqlite3.ProgrammingError as e:  # closed underneath us
                raise StoreClosed(f"{self._describe()} is closed ({e})") from None

    def _read_stream(
        self, stream: str, first: int, last: int | None, backwards: bool, limit: int | None
    ) -> list[RecordedEvent]:
        order = "DESC" if backwards else "ASC"
        sql = (
            f"SELECT {_SEALED} FROM relations_events WHERE stream = ? AND version >= ? "  # noqa: S608 - constant SQL
            f"AND version <= ? ORDER BY version {order} LIMIT ?"
        )
        upto = 2**62 if last is None else last
        params = (stream, first, upto, -1 if limit is None else limit)
        return self._fetch_records(lambda: self._query(sql, params), limit)

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[RecordedEvent]:
        """Every record from ``from_position`` on, in log order (at most ``limit``).

        >>> from relations import Event
        >>> store = SQLiteStore(":memory:")
        >>> _ = store.append("a", [Event("2024", "trade", ["RUS", "PRK"], "T")])
        >>> _ = store.append("b", [Event("2023", "trade", ["RUS", "PRK"], "T")])
        >>> [(r.position, r.stream) for r in store.read_all(from_position=2)]
        [(2, 'b')]
        """
        check_range(from_position, None, limit)
        sql = (
            f"SELECT {_SEALED} FROM relations_events WHERE position >= ? "  # noqa: S608 - constant SQL
            "ORDER BY position LIMIT ?"
        )
        params = (from_position, -1 if limit is None else limit)
        return self._fetch_records(lambda: self._query(sql, params), limit)

    def streams(self) -> list[str]:
        """The names of every stream, sorted.

        >>> SQLiteStore(":memory:").streams()
        []
        """
        rows = self._query("SELECT DISTINCT stream FROM relations_events ORDER BY stream", ())
        return [str(r[0]) for r in rows]

    def version(self, stream: str) -> int:
        """The version of ``stream``: how many records it holds (0 if it does not exist).

        >>> SQLiteStore(":memory:").version("nothing")
        0
        """
        rows = self._query("SELECT max(version) FROM relations_events WHERE stream = ?", (stream,))
        return int(rows[0][0] or 0)

    def _records_of_locked(self, event_id: str) -> list[RecordedEvent]:
        position = self._sync_ids_locked()[0].get(event_id)
        if position is None:  # not recorded (amendments name recorded events only)
            return []
        rows = self._conn.execute(
            f"SELECT {_SEALED} FROM relations_events WHERE position = ? "  # noqa: S608 - constant SQL
            f"UNION SELECT {_SEALED} FROM relations_events WHERE target = ? ORDER BY position",
            (position, event_id),
        ).fetchall()
        return self._decode_rows(rows)

    def _guard(self, fn: Callable[[], _T]) -> _T:
        return self._retry(fn)

    def _decode_rows(self, rows: list[tuple[Any, ...]]) -> list[RecordedEvent]:
        """Decode rows (position, stream, version, recorded_at µs, type, payload, crc)."""
        return decode_rows(rows, self._decode_row, sealed=True) if rows else []

    def _add_seals(self) -> None:
        """Add the ``crc`` column if missing and seal every unsealed row that validates
        (inside the opening transaction)."""
        conn = self._conn
        columns = {r[1] for r in conn.execute("PRAGMA table_info(relations_events)")}
        if "crc" not in columns:
            conn.execute("ALTER TABLE relations_events ADD COLUMN crc INTEGER")
        rows = conn.execute(
            "SELECT position, stream, type, payload FROM relations_events WHERE crc IS NULL"
        ).fetchall()
        sealed = seals(rows, self._decode_row)  # invalid rows stay unsealed
        conn.executemany("UPDATE relations_events SET crc = ? WHERE position = ?", sealed)

    def _raw_rows(self, from_position: int, limit: int) -> list[tuple[Any, ...]]:
        return self._conn.execute(
            f"SELECT {_COLUMNS} FROM relations_events WHERE position >= ? "  # noqa: S608 - constant SQL
            "ORDER BY position LIMIT ?",
            (from_position, limit),
        ).fetchall()

    # -- snapshots ----------------------------------------------------------------------------
    def _snapshot_get(self, name: str, version: str, scope: str) -> SnapshotRow | None:
        row = self._conn.execute(
            f"SELECT {_SNAPSHOT_COLUMNS} FROM relations_snapshots "  # noqa: S608 - constant SQL
            "WHERE name = ? AND version = ? AND scope = ?",
            (name, version, scope),
        ).fetchone()
        return None if row is None else tuple(row)

    def _snapshot_put(self, row: SnapshotRow) -> None:
        self._conn.execute(
            f"INSERT OR REPLACE INTO relations_snapshots ({_SNAPSHOT_COLUMNS}) "  # noqa: S608 - constant SQL
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )

    def _snapshot_rows(self) -> list[SnapshotRow]:
        rows = self._conn.execute(
            f"SELECT {_SNAPSHOT_COLUMNS} FROM relations_snapshots "  # noqa: S608 - constant SQL
            "ORDER BY name, version, scope"
        ).fetchall()
        return [tuple(r) for r in rows]

    def _snapshot_delete(self, name: str | None) -> int:
        if name is None:
            return self._conn.execute("DELETE FROM relations_snapshots").rowcount
        return self._conn.execute(
            "DELETE FROM relations_snapshots WHERE name = ?", (name,)
        ).rowcount

    def _check_engine(self) -> list[str]:
        rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        if [tuple(r) for r in rows] == [("ok",)]:
            return []
        return [f"SQLite integrity check: {r[0]}" for r in rows]
