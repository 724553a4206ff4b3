"""Where a lazy timeline's rows come from: ibis (imported lazily), its engines, and sources."""

from __future__ import annotations

import glob
import importlib
import os
from typing import Any

from relations.errors import InvalidArgument, RelationsError

__all__ = ["backend_of", "require_ibis", "table_of"]

_counter = 0


def require_ibis() -> Any:
    """The ``ibis`` module, or an ImportError naming the ``scale`` extra."""
    try:
        ibis = importlib.import_module("ibis")
    except ImportError as e:
        raise ImportError(
            "lazy timelines need the optional package 'ibis-framework': "
            'pip install "relations[scale]"'
        ) from e
    return ibis


def _connect(engine: object) -> Any:
    ibis = require_ibis()
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "polars":
        return ibis.polars.connect()
    if isinstance(engine, str):
        raise InvalidArgument(
            f"scan(): engine must be 'duckdb', 'polars' or an ibis backend, not {engine!r}"
        )
    return engine  # an ibis backend the caller connected


def _name() -> str:
    global _counter
    _counter += 1
    return f"relations_scan_{os.getpid()}_{_counter}"


def _paths(source: str | os.PathLike[str]) -> list[str]:
    text = os.fspath(source)
    if any(c in text for c in "*?["):
        found = sorted(glob.glob(text, recursive=True))
        if not found:
            raise RelationsError(f"scan(): no Parquet file matches {text!r}")
        return found
    if os.path.isdir(text):
        found = sorted(glob.glob(os.path.join(text, "**", "*.parquet"), recursive=True))
        if not found:
            raise RelationsError(f"scan(): the folder {text!r} holds no .parquet file")
        return found
    if not os.path.exists(text):
        raise RelationsError(f"scan(): no such file {text!r}")
    return [text]


def _check_files(paths: list[str]) -> None:
    """Refuse a file of a newer layout than this library reads, naming it."""
    import pyarrow.parquet as pq

    from relations.formats.layout import check_version

    for p in paths:
        try:
            schema = pq.read_schema(p)
        except Exception as e:  # not Parquet, unreadable
            raise RelationsError(f"scan(): cannot read {p!r} as Parquet: {e}") from e
        check_version(schema, p)


def table_of(source: object, engine: object) -> tuple[Any, Any]:
    """(ibis table expression, backend) for a path or glob, an Arrow table, dataset or reader,
    or an ibis table expression."""
    ibis = require_ibis()
    if isinstance(source, ibis.expr.types.Table):
        return source, backend_of(source)
    con = _connect(engine)
    if isinstance(source, str | os.PathLike):
        paths = _paths(source)
        _check_files(paths)
        try:
            if con.name == "duckdb":
                t = con.read_parquet(
                    paths, table_name=_name(), union_by_name=True, hive_partitioning=False
                )
                return t, con
            return con.read_parquet(paths if len(paths) > 1 else paths[0], table_name=_name()), con
        except Exception as e:  # the engine's own error, named by file
            raise RelationsError(f"scan(): cannot read {os.fspath(source)!r}: {e}") from e
    if hasattr(source, "__arrow_c_stream__") or type(source).__module__.startswith("pyarrow"):
        import pyarrow as pa

        from relations.formats.layout import check_version, engine_columns

        name = _name()
        data: Any = source
        schema = getattr(data, "schema", None)
        if schema is not None:
            check_version(schema, "scan()")
        if schema is not None and "source" in schema.names and con.name == "duckdb":
            con.con.register(name, data)  # zero-copy: DuckDB reads Arrow data in place
            return con.table(name), con
        if hasattr(data, "to_table"):
            data = data.to_table()  # a pyarrow dataset
        elif not isinstance(data, pa.Table):
            data = pa.table(data)
        if "source" not in data.column_names and "measures" in data.column_names:
            data = engine_columns(data)  # the record columns only: derive the rest
        if con.name == "duckdb":
            con.con.register(name, data)
            return con.table(name), con
        return con.create_table(name, data), con
    raise InvalidArgument(
        f"scan(): a source is a Parquet path or glob, an Arrow table or dataset, or an ibis "
        f"table, not {type(source).__name__}"
    )


def backend_of(expr: Any) -> Any:
    """The backend an ibis expression runs on (None for one bound to none, e.g. a memtable)."""
    try:
        return expr._find_backend(use_default=False)
    except Exception:
        return None
