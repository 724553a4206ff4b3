"""Shared test configuration: hypothesis profiles and paths to the shared sample data.

The default profile keeps the suite fast on a 2-core machine; run the long one with
``HYPOTHESIS_PROFILE=long pytest``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.register_profile("long", max_examples=2_000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)

REPO = Path(__file__).resolve().parents[1]
# RELATIONS_SAMPLES points elsewhere (a worktree whose parent has no shared/ directory).
SAMPLES = Path(os.environ.get("RELATIONS_SAMPLES") or REPO.parent / "shared" / "data" / "samples")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The directory of shared GDELT/ICEWS sample files (a sibling of the repository)."""
    if not SAMPLES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"sample data missing under CI: {SAMPLES}")
        pytest.skip(f"sample data not found at {SAMPLES}")
    return SAMPLES


# ---- servers and engines shared by the whole session ------------------------------------------
# Started at most once per run, and only when a test asks for them.


@pytest.fixture(scope="session")
def postgres_conninfo() -> Iterator[str]:
    """A connection string to the session's PostgreSQL server (see tests/_postgres.py)."""
    from tests._postgres import postgres_server

    yield from postgres_server()


@pytest.fixture(scope="session")
def ibis_postgres(postgres_conninfo: str) -> Any:
    """An ibis connection to the session's PostgreSQL server (put tables in with
    ``tests._postgres.put_table``)."""
    from tests._postgres import ibis_postgres as connect

    con = connect(postgres_conninfo)
    yield con
    con.disconnect()


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """The one local[1] SparkSession of the run (see tests/_spark.py)."""
    from tests._spark import spark_session as start

    yield from start()


@pytest.fixture(scope="session")
def ibis_spark(spark_session: Any) -> Any:
    """An ibis connection (pyspark backend) on the shared SparkSession."""
    from tests._spark import ibis_spark as connect

    return connect(spark_session)
