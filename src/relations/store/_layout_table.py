"""An Arrow table in the columnar layout, written as a table of a PostgreSQL schema.

Used by :meth:`relations.store.PostgreSQLStore.write_layout`, so that a lazy timeline
(``timeline.scan`` on an ibis PostgreSQL table) can ask questions of a store inside the
database. The store's own log keeps canonical JSON payloads and amendments as later records;
the earliest and latest possible days of an EDTF date cannot be computed in SQL, so the
layout is written from the store's timeline (corrections applied, retractions removed) in
Python, once per call: a snapshot, refreshed by calling again.
"""

from __future__ import annotations

from typing import Any

from relations.errors import InvalidArgument

__all__ = ["check_table_name", "create_sql", "postgres_type"]

_MAX_IDENTIFIER = 63  # PostgreSQL's NAMEDATALEN - 1: longer names would be silently truncated


def check_identifier(value: object, what: str) -> str:
    """``value`` if it can name a PostgreSQL ``what`` (a schema, a table), else InvalidArgument.

    >>> check_identifier("relations", "schema")
    'relations'
    >>> check_identifier("", "schema")
    Traceback (most recent call last):
    ...
    relations.errors.InvalidArgument: schema must be a PostgreSQL schema name (non-empty text of at most 63 bytes), not ''
    """
    if (
        not isinstance(value, str)
        or not value.strip()
        or "\x00" in value
        or len(value.encode("utf-8")) > _MAX_IDENTIFIER
    ):
        raise InvalidArgument(
            f"{what} must be a PostgreSQL {what} name (non-empty text of at most "
            f"{_MAX_IDENTIFIER} bytes), not {value!r}"
        )
    return value


_RESERVED = frozenset({"relations_events", "relations_head"})  # the store's own tables
_BATCH = 10_000

# Arrow type (str(pa.DataType)) -> PostgreSQL type: the types the layout uses.
_TYPES = {
    "string": "text",
    "large_string": "text",
    "date32[day]": "date",
    "int64": "bigint",
    "double": "double precision",
    "bool": "boolean",
}


def postgres_type(arrow_type: Any) -> str:
    """The PostgreSQL column type of a layout column's Arrow type.

    >>> import pyarrow as pa
    >>> postgres_type(pa.int64()), postgres_type(pa.list_(pa.string())), postgres_type(pa.date32())
    ('bigint', 'text[]', 'date')
    """
    import pyarrow as pa

    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return postgres_type(arrow_type.value_type) + "[]"
    try:
        return _TYPES[str(arrow_type)]
    except KeyError:
        raise InvalidArgument(
            f"no PostgreSQL type for the layout column type {arrow_type}"
        ) from None


def check_table_name(name: object) -> str:
    """``name`` if it can name the layout table (not one of the store's own tables).

    >>> check_table_name("relations_layout")
    'relations_layout'
    >>> check_table_name("relations_events")
    Traceback (most recent call last):
    ...
    relations.errors.InvalidArgument: table must not be one of the store's own tables ('relations_events', 'relations_head'), not 'relations_events'
    """
    name = check_identifier(name, "table")
    if name in _RESERVED:
        raise InvalidArgument(
            f"table must not be one of the store's own tables ('relations_events', "
            f"'relations_head'), not {name!r}"
        )
    return name


def create_sql(sql: Any, qualified: Any, schema: Any) -> Any:
    """``CREATE TABLE qualified (...)`` for an Arrow ``schema`` (``sql`` is ``psycopg.sql``)."""
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(f.name), sql.SQL(postgres_type(f.type)))
        for f in schema
    )
    return sql.SQL("CREATE TABLE {} ({})").format(qualified, columns)


def write(conn: Any, sql: Any, schema_name: str, name: str, table: Any, comment: str) -> int:
    """Replace ``schema_name.name`` with ``table`` in one transaction; return the row count.

    Readers see the old table or the new one, never a half-written one (DDL is transactional
    in PostgreSQL). ``comment`` goes on the table (the layout version and where it came from).
    """
    qualified = sql.Identifier(schema_name, name)
    columns = sql.SQL(", ").join(sql.Identifier(n) for n in table.column_names)
    with conn.transaction():
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(qualified))
        conn.execute(create_sql(sql, qualified, table.schema))
        conn.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(qualified, sql.Literal(comment)))
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(qualified, columns)
        with conn.cursor() as cur, cur.copy(copy_sql) as copy:
            for batch in table.to_batches(max_chunksize=_BATCH):
                for row in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                    copy.write_row(row)
    return int(table.num_rows)
