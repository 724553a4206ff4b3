"""The PostgreSQL server of the test session, shared by the store tests and the ibis tests.

``RELATIONS_TEST_POSTGRES`` (a libpq connection string) if set, else a throwaway cluster started
here with ``initdb`` and ``pg_ctl`` (listening only on a unix socket in a temporary directory;
run as the ``postgres`` user when we are root). Without either, the tests that need it are
skipped, except under CI (``CI`` set), where they fail. ``tests/conftest.py`` turns
:func:`postgres_server` into the session fixture ``postgres_conninfo``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ENV = "RELATIONS_TEST_POSTGRES"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests must run under CI: {reason}")
    pytest.skip(reason)


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    candidates.sort(key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return candidates[-1] if candidates else None


def _run(cmd: list[str], cwd: Path) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        _unavailable(
            f"{' '.join(cmd[:6])} ... failed: {done.stderr.strip() or done.stdout.strip()}"
        )


def postgres_server() -> Iterator[str]:
    """Yield a connection string to a PostgreSQL server; stop the throwaway one afterwards."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable('psycopg is not installed (pip install -e ".[postgres]")')
    given = os.environ.get(ENV)
    if given:
        yield given
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        _unavailable(f"no PostgreSQL server: set {ENV}, or install initdb and pg_ctl")
        return
    base = Path(tempfile.mkdtemp(prefix="relations-pg-"))  # short: a socket path is <= 107
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        if shutil.which("runuser") is None:
            _unavailable("running as root without runuser: cannot start PostgreSQL")
        try:
            import pwd

            user = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no 'postgres' user to run the server")
            return
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    options = (
        f"-c listen_addresses='' -k {base} -p 5432 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
    )
    try:
        init = ["-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"]
        _run([*prefix, initdb, *init, "--no-sync"], base)
        start = ["-D", str(data), "-l", str(base / "log"), "-o", options, "-w", "-t", "60"]
        _run([*prefix, pg_ctl, *start, "start"], base)
        yield f"host={base} port=5432 user=postgres dbname=postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                cwd=base,
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)


def parse_conninfo(conninfo: str) -> dict[str, str]:
    """The ``key=value`` pairs of a libpq connection string (or URL), as psycopg reads them."""
    from psycopg.conninfo import conninfo_to_dict

    return {key: str(value) for key, value in conninfo_to_dict(conninfo).items()}


def ibis_postgres(conninfo: str) -> Any:
    """An ibis connection (ibis's postgres backend) to the server of ``conninfo``."""
    try:
        import ibis
    except ImportError:
        _unavailable('ibis is not installed (pip install -e ".[scale]")')
    params = parse_conninfo(conninfo)
    return ibis.postgres.connect(
        host=params.get("host"),
        port=int(params.get("port", "5432")),
        user=params.get("user"),
        password=params.get("password"),
        database=params.get("dbname", "postgres"),
    )


def put_table(con: Any, name: str, table: Any) -> Any:
    """Put an Arrow table (a layout table) into the database of ``con``; return the ibis table.

    Replaces a table of the same name. The layout's list<string> columns become ``text[]``,
    date32 ``date``, the JSON text columns ``text`` (ibis maps the Arrow types).
    """
    return con.create_table(name, table, overwrite=True)
