"""Lazy timelines: the questions of :class:`~relations.timeline.Timeline`, answered where the
data is (DuckDB by default; Polars, PostgreSQL, Spark and any other ibis engine).

``timeline.scan(source)`` returns a :class:`LazyTimeline`. Its queries (``between``, ``on``,
``before``, ``after``, ``until``, ``since``, ``as_of``, ``involving``, ``from_to``,
``of_kind``, ``tagged``, ``with_status``, ``&``, ``|``, ``-``) build an ibis expression and
read nothing. Results run it: ``count()`` (a number), ``count(by)``, ``sum``, ``mean`` (a
:class:`~relations.series.Series`, equal to the in-memory one), ``collect()`` (an in-memory
Timeline), ``head(n)``, ``to_arrow()``, ``to_parquet(path)``; ``explain()`` shows the SQL.

Aggregations run in two steps: the engine filters and groups the rows by bucket (for events
whose possible days lie in one bucket of the period unit), by exact span (for the others) and
by the key columns, counting and summing; :mod:`relations.aggregate` then places those groups
under the policy, exactly as it places events in memory. Counts and integer measures are
identical to the in-memory answer; float measure sums may differ in the last bits (the
engine's ``SUM`` is not ``math.fsum``). Sums of quantities whose amounts are whole numbers run
in the engine too (grouped by unit and by which bounds each event states); means of
quantities, fractional amounts, and tables without the engine columns of the columnar layout
are aggregated in memory after collecting. ``series.unplaced`` is read
from the engine when first asked for.

Needs ``pip install "relations[scale]"`` (ibis-framework with DuckDB).
"""

from relations.lazy.timeline import LazyTimeline, scan

__all__ = ["LazyTimeline", "scan"]
