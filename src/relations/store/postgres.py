"""A store in a PostgreSQL database (psycopg 3): shared by many clients, processes and machines.

Needs the ``postgres`` extra (``pip install "relations[postgres]"``); psycopg is imported when
a store is opened, never at ``import relations``.

Layout: two tables in one schema (``schema="relations"`` by default; created if missing)::

    relations_events                        -- one row per recorded event or amendment
        position    bigint PRIMARY KEY      -- global, gapless: head + 1 inside the write transaction
        stream      text, version bigint    -- UNIQUE (stream, version)
        id          text UNIQUE             -- the event's id: appends are idempotent
        type        text                    -- 'event', 'correction' or 'retraction'
        target      text                    -- the amended event's id (amendments only, indexed)
        schema      integer                 -- schema version of the payload
        recorded_at bigint                  -- microseconds since 1970-01-01 UTC, never decreasing
        payload     text                    -- canonical JSON (Event.to_dict(), or the amendment's)
        crc         bigint                  -- CRC-32 of the payload's UTF-8 text, as this library wrote it
    relations_head                          -- exactly one row
        format      integer                 -- the layout version (FORMAT_VERSION)
        position    bigint                  -- the last position written
        recorded_at bigint                  -- recorded_at of the last append
    relations_snapshots                     -- persisted projection snapshots (a cache of folds)
        name, version, scope text           -- PRIMARY KEY: the projection and its version
        position, events bigint             -- the log position and the events the state covers
        digest, state text                  -- the folded ids' SHA-256; the state as JSON
        saved_at, crc bigint                -- when saved; CRC-32 over the row

Why these choices (the same contract as :class:`~relations.store.SQLiteStore`, in PostgreSQL):

- **Gapless positions under concurrent writers.** Every append transaction first locks the one
  ``relations_head`` row (``SELECT ... FOR UPDATE``), then numbers its records from the
  ``position`` stored there and writes the new head before it commits. Writers to one store
  therefore take turns, and positions are handed out and committed in order: a reader
  following the log never sees position ``p + 1`` before ``p``. A ``SEQUENCE`` (``serial``,
  ``identity``) cannot give this: ``nextval()`` is not transactional, so an append that rolls
  back (a version clash, a duplicate id) burns its numbers and leaves a gap for ever, and two
  concurrent transactions can commit out of order, so a subscriber that has read up to 12
  while 11 is still uncommitted skips 11 for good. (``eventsourcing`` takes ``LOCK TABLE ...
  IN EXCLUSIVE MODE`` for the same reason.) The row lock was preferred to
  ``pg_advisory_xact_lock``: it lives in the store's own schema, cannot collide with another
  application's advisory-lock keys, and keeps the head and ``recorded_at`` in one place. The
  transactions run at ``READ COMMITTED`` whatever the server's default, so the statements
  after the lock see what the previous writer committed.
- **Checks in the same transaction.** With the head locked, the append reads the stream's
  version and looks its ids up (``id = ANY(%s)``) before anything is written, so
  ``expected_version`` clashes raise :class:`~relations.ConcurrencyError`, and one id with
  other content raises :class:`~relations.DuplicateEvent`, with the same messages as the other
  engines; ``UNIQUE (stream, version)`` and the unique id index back them up. A writer that
  waits longer than ``timeout`` for the lock (``lock_timeout``) gets a ConcurrencyError.
- **Record time.** ``recorded_at`` comes from the store's ``clock`` (injectable, as in every
  engine), never from the server's ``now()``; it is kept as integer microseconds exactly as
  the clock gave it, independent of the session's ``TimeZone``, and never runs backwards
  along the log (``to_timestamp(recorded_at / 1e6)`` turns it into a ``timestamptz`` for ad
  hoc SQL).
- **Trust.** Reads build events from payloads this library wrote without validating them
  again, and only those: each row carries ``crc``, the CRC-32 of its payload as written (as
  in SQLite's store format 3). A row whose payload no longer matches (edited by hand) or that
  has none (written by another tool) is validated like any input, and an invalid one raises
  InvalidEvent naming the store and the position. A store made before rows were sealed is
  upgraded in place when opened: the column and the snapshots table are added and every
  valid row is sealed once (the format number stays 1: older versions of relations still
  read and write it, and the rows they write, unsealed, are validated when read).
- **Payloads** are the canonical JSON text the other engines store, byte for byte, in a
  ``text`` column: ``jsonb`` would reorder keys, drop duplicate keys and refuse ``\\u0000``,
  so the exact text could not be read back; query it with ``payload::jsonb`` when needed.
  All SQL is parameterised; the schema name is quoted with ``psycopg.sql.Identifier``.
- **Durability.** With ``durability="full"`` (the default) an append that returned is
  flushed on the server (``synchronous_commit=on`` for the store's connection, whatever the
  server's default); ``durability="normal"`` sets ``synchronous_commit=off`` instead: faster
  single appends, and the last ones may be lost if the *server* crashes (the database stays
  consistent).
- **Subscriptions** poll, as with SQLite: appends through this store object wake them at
  once; other clients' appends are seen within ``poll_interval`` seconds.
- **Errors.** A server that cannot be reached raises :class:`~relations.errors.StoreUnavailable`
  naming the connection string with its password removed; a connection lost later closes the
  store (:class:`~relations.StoreClosed`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from relations import _gc
from relations.errors import (
    InvalidArgument,
    InvalidEvent,
    MissingDependency,
    StoreBusy,
    StoreClosed,
    StoreUnavailable,
)
from relations.record import Upcasters
from relations.store._base import StoreBase, check_range, check_repeats
from relations.store._codec import Batch, Row, decode_rows, seals
from relations.store._layout_table import check_identifier
from relations.store._records import Recordable, RecordedEvent
from relations.store._snapshots import SnapshotRow

if TYPE_CHECKING:
    from types import ModuleType

    import pendulum
    import psycopg

__all__ = ["PostgreSQLStore"]

FORMAT_VERSION = 1
"""``relations_head.format`` of a store in this layout. The ``crc`` column and the snapshots
table came later without a new number: older versions of relations read and write such a
store unchanged (their rows, unsealed, are validated when read)."""

_T = TypeVar("_T")

_COPY_THRESHOLD = 64
"""Batches with more new records than this are written with ``COPY`` instead of INSERTs."""
_MAX_IDENTIFIER = 63  # PostgreSQL's NAMEDATALEN - 1: longer names would be silently truncated

_SCHEMA = (
    "CREATE SCHEMA IF NOT EXISTS {schema}",
    """CREATE TABLE {events} (
        position bigint PRIMARY KEY,
        stream text NOT NULL,
        version bigint NOT NULL,
        id text NOT NULL,
        type text NOT NULL,
        target text,
        schema integer NOT NULL,
        recorded_at bigint NOT NULL,
        payload text NOT NULL,
        crc bigint,
        UNIQUE (stream, version)
    )""",
    "CREATE UNIQUE INDEX relations_events_id ON {events} (id)",
    "CREATE INDEX relations_events_target ON {events} (target) WHERE target IS NOT NULL",
    """CREATE TABLE {head} (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        format integer NOT NULL,
        position bigint NOT NULL,
        recorded_at bigint
    )""",
)
_UPGRADE = (  # a store made before rows were sealed, inside the setup transaction
    "ALTER TABLE {events} ADD COLUMN IF NOT EXISTS crc bigint",
    """CREATE TABLE IF NOT EXISTS {snapshots} (
        name text NOT NULL,
        version text NOT NULL,
        scope text NOT NULL,
        position bigint NOT NULL,
        events bigint NOT NULL,
        digest text NOT NULL,
        state text NOT NULL,
        saved_at bigint NOT NULL,
        crc bigint NOT NULL,
        PRIMARY KEY (name, version, scope)
    )""",
)
_SNAPSHOT_COLUMNS = "name, version, scope, position, events, digest, state, saved_at, crc"
_COLUMNS = "position, stream, version, recorded_at, type, payload"
_SEALED = f"{_COLUMNS}, crc"  # what reads select: the trusted path needs the seal
_INSERT_COLUMNS = "position, stream, version, id, type, target, schema, recorded_at, payload, crc"


def _psycopg() -> ModuleType:
    """The psycopg module, or MissingDependency naming the extra that brings it."""
    try:
        import psycopg
        import psycopg.sql
    except ImportError as e:
        raise MissingDependency(
            'PostgreSQLStore needs psycopg 3; install it with: pip install "relations[postgres]" '
            f"({e})"
        ) from None
    return psycopg


_PASSWORD_KV = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_PASSWORD_URI = re.compile(r"(://[^:/?#@]*:)[^@/?#]*(@)")


def _redact(conninfo: str) -> str:
    """``conninfo`` without its password (key=value or URI form; parsed by libpq if possible)."""
    try:
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        params = conninfo_to_dict(conninfo)
    except Exception:  # unparseable, or no psycopg: scrub the text itself
        return _PASSWORD_URI.sub(r"\1***\2", _PASSWORD_KV.sub(r"\1***", conninfo))
    params.pop("password", None)
    return make_conninfo("", **params)


def _setup_key(schema: str) -> int:
    """A 64-bit advisory-lock key for creating the tables of ``schema`` (setup only)."""
    digest = hashlib.sha256(f"relations.store.postgres:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgreSQLStore(StoreBase):
    """A store kept in a PostgreSQL database, in ``schema`` (created with its tables if missing).

    ``conninfo`` is a libpq connection string (``"host=db dbname=app user=me"`` or
    ``"postgresql://me@db/app"``). ``durability``: ``"full"`` (default: a returned append is
    flushed on the server) or ``"normal"`` (``synchronous_commit=off``: faster single
    appends). ``clock`` stamps ``recorded_at`` (UTC; default now). ``upcasters`` maps an old
    schema version to a function that turns such a payload (a dict) into the next version;
    they run when reading. ``timeout``: seconds to wait for the server and for another writer
    before giving up. Needs the ``postgres`` extra.

    >>> from relations import Event
    >>> with PostgreSQLStore("dbname=relations") as store:  # doctest: +SKIP
    ...     store.append("rus-prk", [Event("2024-06-19", "agreement.treaty.signed",
    ...                                    ["RUS", "PRK"], "Treaty signed", id="t")]).positions
    (1,)
    >>> with PostgreSQLStore("dbname=relations") as store:  # doctest: +SKIP
    ...     [r.event.title for r in store.read("rus-prk")]
    ['Treaty signed']
    """

    def __init__(
        self,
        conninfo: str,
        *,
        schema: str = "relations",
        durability: Literal["full", "normal"] = "full",
        clock: Callable[[], pendulum.DateTime] | None = None,
        upcasters: Upcasters | None = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(clock)
        if not isinstance(conninfo, str):
            raise InvalidArgument(f"conninfo must be a connection string, not {conninfo!r}")
        if durability not in ("full", "normal"):
            raise InvalidArgument(f"durability must be 'full' or 'normal', not {durability!r}")
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout < 0:
            raise InvalidArgument(f"timeout must be a number of seconds >= 0, not {timeout!r}")
        self._schema = check_identifier(schema, "schema")
        pg = _psycopg()
        self._pg = pg
        self._conninfo = _redact(conninfo)
        self._durability = durability
        self._upcasters = dict(upcasters) if upcasters else None
        self._timeout = float(timeout)
        self._closed = True  # until connected
        # text is exchanged as UTF-8 even in a SQL_ASCII database (psycopg would return bytes)
        extra: dict[str, Any] = {"client_encoding": "UTF8"}
        try:
            if "connect_timeout" not in pg.conninfo.conninfo_to_dict(conninfo):
                extra["connect_timeout"] = max(1, round(self._timeout))
        except pg.Error as e:
            detail = "" if "password" in conninfo.lower() else f": {e}"
            raise InvalidArgument(
                f"{self._conninfo!r}: not a valid PostgreSQL connection string{detail}"
            ) from None
        try:
            self._conn: psycopg.Connection[tuple[Any, ...]] = pg.Connection.connect(
                conninfo, autocommit=True, **extra
            )
        except pg.Error as e:
            raise StoreUnavailable(f"{self._conninfo!r}: cannot open the store: {e}") from None
        self._closed = False
        try:
            self._setup()
        except pg.Error as e:
            self._conn.close()
            self._closed = True
            raise InvalidArgument(
                f"{self._describe()}: not a usable store: {str(e).strip()}"
            ) from None
        except BaseException:
            self._conn.close()
            self._closed = True
            raise

    def _setup(self) -> None:
        pg, conn = self._pg, self._conn
        sql = pg.sql
        conn.isolation_level = pg.IsolationLevel.READ_COMMITTED
        names = {
            "schema": sql.Identifier(self._schema),
            "events": sql.Identifier(self._schema, "relations_events"),
            "head": sql.Identifier(self._schema, "relations_head"),
            "snapshots": sql.Identifier(self._schema, "relations_snapshots"),
        }

        def q(text: str) -> bytes:
            return bytes(sql.SQL(text).format(**names).as_bytes(conn))

        ms = max(1, round(self._timeout * 1000))  # lock_timeout=0 would mean "wait for ever"
        conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{ms}ms",))
        sync = "on" if self._durability == "full" else "off"  # whatever the server's default
        conn.execute("SELECT set_config('synchronous_commit', %s, false)", (sync,))
        with conn.transaction():
            # creating the tables is serialised too, so that two first opens do not race
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_setup_key(self._schema),))
            found = conn.execute(
                "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s "
                "AND tablename = 'relations_head'",
                (self._schema,),
            ).fetchone()
            if found is None:
                for statement in (*_SCHEMA, *_UPGRADE):
                    conn.execute(q(statement))
                conn.execute(
                    q("INSERT INTO {head} (format, position) VALUES (%s, 0)"), (FORMAT_VERSION,)
                )
            row = conn.execute(q("SELECT format FROM {head}")).fetchone()
            if row is None:
                raise InvalidEvent(f"{self._describe()}: the store's head row is missing")
            if row[0] > FORMAT_VERSION:
                raise InvalidEvent(
                    f"{self._describe()}: store format {row[0]} is newer than this version of "
                    f"relations reads ({FORMAT_VERSION}); upgrade relations"
                )
            sealed = conn.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = 'relations_events' AND column_name = 'crc'",
                (self._schema,),
            ).fetchone()
            if sealed is None:  # made before rows were sealed: upgrade in place
                for statement in _UPGRADE:
                    conn.execute(q(statement))
                self._add_seals(q)
        select = f"SELECT {_SEALED} FROM {{events}} "  # noqa: S608 - constant SQL
        self._q_lock = q("SELECT position, recorded_at FROM {head} FOR UPDATE")
        self._q_version = q("SELECT max(version) FROM {events} WHERE stream = %s")
        self._q_existing = q(
            "SELECT id, position, stream, type, payload FROM {events} WHERE id = ANY(%s)"
        )
        self._q_insert = q(
            f"INSERT INTO {{events}} ({_INSERT_COLUMNS}) "  # noqa: S608 - constant SQL
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        self._q_copy = q(f"COPY {{events}} ({_INSERT_COLUMNS}) FROM STDIN")
        self._q_head = q("UPDATE {head} SET position = %s, recorded_at = %s")
        read = select + "WHERE stream = %s AND version >= %s AND version <= %s ORDER BY version "
        self._q_read = q(read + "ASC LIMIT %s")
        self._q_read_back = q(read + "DESC LIMIT %s")
        self._q_read_all = q(select + "WHERE position >= %s ORDER BY position LIMIT %s")
        # streams sort by code point, as in the other engines, whatever the database collation
        self._q_streams = q('SELECT DISTINCT stream COLLATE "C" AS s FROM {events} ORDER BY s')
        self._q_records_of = q(select + "WHERE id = %s OR target = %s ORDER BY position")
        self._q_raw = q(
            f"SELECT {_COLUMNS} FROM {{events}} WHERE position >= %s "  # noqa: S608 - constant SQL
            "ORDER BY position LIMIT %s"
        )
        snap = f"SELECT {_SNAPSHOT_COLUMNS} FROM {{snapshots}} "  # noqa: S608 - constant SQL
        self._q_snapshot = q(snap + "WHERE name = %s AND version = %s AND scope = %s")
        self._q_snapshots = q(snap + 'ORDER BY name COLLATE "C", version COLLATE "C", scope')
        self._q_snapshot_put = q(
            f"INSERT INTO {{snapshots}} ({_SNAPSHOT_COLUMNS}) "  # noqa: S608 - constant SQL
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (name, version, scope) "
            "DO UPDATE SET position = EXCLUDED.position, events = EXCLUDED.events, "
            "digest = EXCLUDED.digest, state = EXCLUDED.state, saved_at = EXCLUDED.saved_at, "
            "crc = EXCLUDED.crc"
        )
        self._q_snapshot_delete = q("DELETE FROM {snapshots} WHERE name = %s")
        self._q_snapshot_delete_all = q("DELETE FROM {snapshots}")

    def _add_seals(self, q: Callable[[str], bytes]) -> None:
        """Seal every unsealed row that validates (inside the setup transaction)."""
        conn = self._conn
        last = 0
        while True:
            rows = conn.execute(
                q(
                    "SELECT position, stream, type, payload FROM {events} "
                    "WHERE crc IS NULL AND position > %s ORDER BY position LIMIT 5000"
                ),
                (last,),
            ).fetchall()
            sealed = seals(rows, self._decode_row)  # invalid rows stay unsealed
            if sealed:
                with conn.cursor() as cur:
                    cur.executemany(q("UPDATE {events} SET crc = %s WHERE position = %s"), sealed)
            if len(rows) < 5000:
                return
            last = rows[-1][0]

    def __repr__(self) -> str:
        state = ", closed" if self._closed else ""
        return (
            f"PostgreSQLStore({self._conninfo!r}, schema={self._schema!r}, "
            f"durability={self._durability!r}{state})"
        )

    def _describe(self) -> str:
        return f"PostgreSQLStore({self._conninfo!r}, schema={self._schema!r})"

    @property
    def conninfo(self) -> str:
        """The connection string, without its password (safe to log).

        >>> PostgreSQLStore("host=db user=me password=secret dbname=app").conninfo  # doctest: +SKIP
        'host=db user=me dbname=app'
        """
        return self._conninfo

    @property
    def schema(self) -> str:
        """The PostgreSQL schema that holds the store's tables.

        >>> PostgreSQLStore("dbname=app", schema="kursk").schema  # doctest: +SKIP
        'kursk'
        """
        return self._schema

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called (or the connection was lost).

        >>> s = PostgreSQLStore("dbname=app"); s.close(); s.closed  # doctest: +SKIP
        True
        """
        return self._closed

    def close(self) -> None:
        """Close the connection (idempotent); later operations raise StoreClosed.

        >>> s = PostgreSQLStore("dbname=app"); s.close(); s.close()  # doctest: +SKIP
        >>> s.version("x")  # doctest: +SKIP
        Traceback (most recent call last):
        ...
        relations.errors.StoreClosed: PostgreSQLStore('dbname=app', schema='relations') is closed
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._conn.close()
            self._appended.notify_all()

    # -- errors ---------------------------------------------------------------------------
    def _run(self, fn: Callable[[], _T]) -> _T:
        """Run ``fn`` (holding the lock), turning psycopg's errors into this library's."""
        pg = self._pg
        try:
            return fn()
        except pg.errors.LockNotAvailable:
            raise StoreBusy(
                f"{self._describe()}: gave up after waiting {self._timeout:g} s for another "
                "writer (timeout)"
            ) from None
        except pg.Error as e:
            if self._conn.closed or self._conn.broken:
                self._closed = True
                self._conn.close()
                self._appended.notify_all()
                raise StoreClosed(
                    f"{self._describe()} is closed: the connection was lost ({e})"
                ) from None
            if isinstance(e, pg.DataError):
                raise InvalidArgument(f"{self._describe()}: {str(e).strip()}") from None
            raise InvalidArgument(
                f"{self._describe()}: not a usable store: {str(e).strip()}"
            ) from None

    # -- writing: the primitives of StoreBase.append ----------------------------------------
    def _in_write_transaction(self, fn: Callable[[], _T]) -> _T:
        return self._run(lambda: self._transaction(fn))

    def _transaction(self, fn: Callable[[], _T]) -> _T:
        with self._conn.transaction():
            return fn()

    def _head(self, stream: str) -> tuple[int, int | None, int]:
        # the head row lock serialises writers; the statements after it see their commits
        head = self._conn.execute(self._q_lock).fetchone()
        if head is None:
            raise InvalidEvent(f"{self._describe()}: the store's head row is missing")
        row = self._conn.execute(self._q_version, (stream,)).fetchone()
        return head[0], head[1], int(row[0] or 0) if row else 0

    def _find(self, items: Sequence[Recordable], rows: Sequence[Row]) -> list[int | None]:
        if not items:
            return []
        existing = {
            rid: (pos, rstream, kind, payload)
            for rid, pos, rstream, kind, payload in self._conn.execute(
                self._q_existing, ([item.id for item in items],)
            )
        }
        if not existing:
            return [None] * len(items)
        recorded = {i: existing[x.id] for i, x in enumerate(items) if x.id in existing}
        check_repeats(items, rows, recorded, self._decode_row)
        return [existing[x.id][0] if x.id in existing else None for x in items]

    def _write_batch(self, batch: Batch) -> None:
        with _gc.paused(len(batch.items), threshold=100):  # short-lived objects only
            self._insert(batch.insert_rows())
        self._conn.execute(self._q_head, (batch.first_position + len(batch.items) - 1, batch.us))

    def _insert(self, params: list[tuple[Any, ...]]) -> None:
        if len(params) <= _COPY_THRESHOLD:
            with self._conn.cursor() as cur:
                cur.executemany(self._q_insert, params)
            return
        with self._conn.cursor() as cur, cur.copy(self._q_copy) as copy:
            for row in params:
                copy.write_row(row)

    # -- reading --------------------------------------------------------------------------
    def _where(self) -> str:
        return self._describe()

    def _query(self, query: bytes, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            self._check_open()
            return self._run(lambda: self._conn.execute(query, params).fetchall())

    def _read_stream(
        self, stream: str, first: int, last: int | None, backwards: bool, limit: int | None
    ) -> list[RecordedEvent]:
        query = self._q_read_back if backwards else self._q_read
        params = (stream, first, 2**62 if last is None else last, limit)
        return self._fetch_records(lambda: self._query(query, params), limit)

    def read_all(self, from_position: int = 1, limit: int | None = None) -> list[RecordedEvent]:
        """Every record from ``from_position`` on, in log order (at most ``limit``).

        >>> from relations import Event
        >>> store = PostgreSQLStore("dbname=app", schema="doc_read_all")  # doctest: +SKIP
        >>> _ = store.append("a", [Event("2024", "trade", ["RUS", "PRK"], "T")])  # doctest: +SKIP
        >>> _ = store.append("b", [Event("2023", "trade", ["RUS", "PRK"], "T")])  # doctest: +SKIP
        >>> [(r.position, r.stream) for r in store.read_all(from_position=2)]  # doctest: +SKIP
        [(2, 'b')]
        """
        check_range(from_position, None, limit)
        return self._fetch_records(
            lambda: self._query(self._q_read_all, (from_position, limit)), limit
        )

    def streams(self) -> list[str]:
        """The names of every stream, sorted (by code point, whatever the collation).

        >>> PostgreSQLStore("dbname=app", schema="doc_empty").streams()  # doctest: +SKIP
        []
        """
        return [str(r[0]) for r in self._query(self._q_streams, ())]

    def version(self, stream: str) -> int:
        """The version of ``stream``: how many records it holds (0 if it does not exist).

        >>> PostgreSQLStore("dbname=app", schema="doc_empty").version("nothing")  # doctest: +SKIP
        0
        """
        rows = self._query(self._q_version, (stream,))
        return int(rows[0][0] or 0)

    # -- the columnar layout, for questions asked in the database ---------------------------
    def write_layout(self, table: str = "relations_layout", *, known_at: object = None) -> int:
        """Write the timeline (as :meth:`timeline` gives it) into ``table`` in the columnar layout.

        The table (the record and engine columns of :mod:`relations.formats.layout`) goes in
        the store's schema, replaced in one transaction (readers see the old table or the new
        one), one row per event: corrections applied, retractions left out,
        as known now or at ``known_at``. It is a snapshot: call again to refresh it. An ibis
        PostgreSQL connection then reads it lazily, so a team can ask questions of its store
        in the database (``timeline.scan(con.table(table, database=schema))``). Returns the
        number of events written. The log's payloads cannot serve directly: an EDTF date's
        earliest and latest days are computed by this library, not by SQL.

        >>> store = PostgreSQLStore("dbname=app", schema="rus_prk")  # doctest: +SKIP
        >>> store.write_layout()  # doctest: +SKIP
        42
        """
        from relations.formats.arrow import to_arrow  # a lower layer, loaded when needed
        from relations.formats.layout import LAYOUT_VERSION
        from relations.store import _layout_table

        name = _layout_table.check_table_name(table)
        events = to_arrow(self.timeline(known_at), engine_columns=True)
        comment = (
            f"relations columnar layout {LAYOUT_VERSION}: the timeline of the store in schema "
            f"{self._schema}, written by PostgreSQLStore.write_layout"
        )
        with self._lock:
            self._check_open()
            return self._run(
                lambda: _layout_table.write(
                    self._conn, self._pg.sql, self._schema, name, events, comment
                )
            )

    def _raw_rows(self, from_position: int, limit: int) -> list[tuple[Any, ...]]:
        return self._conn.execute(self._q_raw, (from_position, limit)).fetchall()

    def _decode_rows(self, rows: list[tuple[Any, ...]]) -> list[RecordedEvent]:
        """Decode rows (position, stream, version, recorded_at µs, type, payload, crc)."""
        return decode_rows(rows, self._decode_row, sealed=True) if rows else []

    # -- snapshots ----------------------------------------------------------------------------
    def _snapshot_get(self, name: str, version: str, scope: str) -> SnapshotRow | None:
        row = self._conn.execute(self._q_snapshot, (name, version, scope)).fetchone()
        return None if row is None else tuple(row)

    def _snapshot_put(self, row: SnapshotRow) -> None:
        self._conn.execute(self._q_snapshot_put, row)

    def _snapshot_rows(self) -> list[SnapshotRow]:
        return [tuple(r) for r in self._conn.execute(self._q_snapshots).fetchall()]

    def _snapshot_delete(self, name: str | None) -> int:
        if name is None:
            return self._conn.execute(self._q_snapshot_delete_all).rowcount
        return self._conn.execute(self._q_snapshot_delete, (name,)).rowcount

    def _records_of_locked(self, event_id: str) -> list[RecordedEvent]:
        rows = self._conn.execute(self._q_records_of, (event_id, event_id)).fetchall()
        return self._decode_rows(rows)

    def _guard(self, fn: Callable[[], _T]) -> _T:
        return self._run(fn)
