"""One local Spark session for the whole test run, and an ibis connection on it.

Spark is the slowest backend to start (a JVM, 10-30 s on a 2-core machine), so the suite makes
exactly one ``local[1]`` session and shares it: one core (the CI machine has two, and the
other runs pytest), one shuffle partition (the test tables have tens of rows; the default 200
partitions would mean 200 tasks per aggregation), no web UI, no console progress bars, logs at
ERROR, UTC session time zone (dates must not move with the machine's zone).

Without pyspark or a Java runtime the Spark tests are skipped with the reason, except under CI
(``CI`` set), where ``.ci/run`` installs both and a missing one fails the run loudly.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "1g",
    # Arrow transfers in both directions (ibis reads results as Arrow).
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    # Small tables: no broadcast-join planning work, no adaptive re-planning per query.
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.autoBroadcastJoinThreshold": "-1",
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Spark tests must run under CI: {reason}")
    pytest.skip(reason)


def java_missing() -> str | None:
    """Why no Java runtime can be found (None when one can)."""
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return None
    if shutil.which("java"):
        return None
    return (
        "no Java runtime (java not on PATH, JAVA_HOME unset): apt-get install default-jre-headless"
    )


def spark_session() -> Iterator[Any]:
    """Start the shared local session (skip/fail as above), yield it, stop it."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        _unavailable('pyspark is not installed (pip install -e ".[spark]")')
        return
    reason = java_missing()
    if reason:
        _unavailable(reason)
        return
    # Tables Spark creates (ibis create_table) go to a temporary warehouse, not ./spark-warehouse.
    warehouse = tempfile.mkdtemp(prefix="relations-spark-")
    builder = SparkSession.builder.master("local[1]").appName("relations-tests")
    for key, value in {**SPARK_CONF, "spark.sql.warehouse.dir": warehouse}.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: say why instead of a Py4J traceback
        shutil.rmtree(warehouse, ignore_errors=True)
        _unavailable(f"Spark did not start: {type(exc).__name__}: {exc}")
        return
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        shutil.rmtree(warehouse, ignore_errors=True)


def ibis_spark(session: Any) -> Any:
    """An ibis connection on the shared session (ibis's pyspark backend)."""
    try:
        import ibis
    except ImportError:
        _unavailable('ibis is not installed (pip install -e ".[spark]")')
    return ibis.pyspark.connect(session)
