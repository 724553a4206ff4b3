"""The :class:`LazyTimeline`: the query vocabulary of :class:`~relations.timeline.Timeline`,
compiled by ibis to the SQL of the engine that holds the rows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from relations._timeline import Timeline
from relations.actors import predecessors_of, resolve_code
from relations.errors import InvalidArgument, InvalidDate
from relations.events import Status
from relations.formats.arrow import TABLE_COLUMNS
from relations.io import from_arrow
from relations.keys import kind_prefixes
from relations.kinds import (
    OPEN_NAMESPACES,
    VOCABULARY,
    is_within,
    unknown_kind_error,
    validate_kind,
)
from relations.lazy import _compact
from relations.lazy._source import require_ibis, table_of
from relations.when import When

if TYPE_CHECKING:
    from typing import Unpack

    from relations.aggregate import Bucketing, By
    from relations.series import Series

__all__ = ["LazyTimeline", "scan"]

_MODES = ("overlaps", "within")


def _within(mode: object, where: str) -> bool:
    if mode not in _MODES:
        raise InvalidArgument(f"{where}: mode must be 'overlaps' or 'within', not {mode!r}")
    return mode == "within"


def _coerce(x: object, where: str) -> When:
    try:
        return When.coerce(x)
    except InvalidDate as e:
        raise InvalidDate(f"{where}: {e}") from None


def _group(code: str, follow_succession: bool) -> tuple[str, ...]:
    if not follow_succession:
        return (code,)
    return (code, *(p for p in predecessors_of(code) if p != code))


def _vocabulary_knows(kind: str) -> bool:
    return kind.split(".")[0] in OPEN_NAMESPACES or any(is_within(v, kind) for v in VOCABULARY)


class LazyTimeline:
    """A timeline that stays where its rows are (Parquet files, an Arrow table, a database
    table) until a result is asked for. Every query returns a new LazyTimeline (an immutable
    value wrapping an ibis expression); nothing is read until :meth:`collect`, :meth:`count`,
    an aggregation, :meth:`head`, :meth:`to_arrow` or :meth:`to_parquet`. Queries and
    aggregations mean exactly what they mean on :class:`~relations.timeline.Timeline`.

    >>> import pytest; _ = pytest.importorskip("ibis")
    >>> from relations import Event, timeline
    >>> tl = timeline.of(
    ...     Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty", id="s"),
    ...     Event("2024-10", "military.deployment", ["PRK", "RUS"], "Troops", id="t",
    ...           directed=True),
    ...     Event("2024", "trade.volume", ["RUS", "CHN"], "Trade", id="v"))
    >>> lazy = timeline.scan(tl.to_arrow())
    >>> q = lazy.involving("Russia", "North Korea").between("2024-10-15", "2024-12-31")
    >>> [e.id for e in q.collect()], q.count()
    (['t'], 1)
    >>> print(lazy.count("quarter"))
    quarter  count
    2024-Q2      1
    2024-Q4      1
    (1 unplaced event; policy 'contained')
    """

    __slots__ = ("_backend", "_expr")

    _expr: Any
    _backend: Any

    def __init__(self, expr: Any, backend: Any = None) -> None:
        object.__setattr__(self, "_expr", expr)
        object.__setattr__(self, "_backend", backend)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"LazyTimeline is immutable; cannot set {name!r}")

    @property
    def expr(self) -> Any:
        """The ibis table expression behind this timeline (one row per event)."""
        return self._expr

    def _where(self, *predicates: Any) -> LazyTimeline:
        preds = [p for p in predicates if p is not None]
        if not preds:
            return self
        return LazyTimeline(self._expr.filter(*preds), self._backend)

    def _run(self, expr: Any) -> Any:
        if self._backend is not None:
            return self._backend.to_pyarrow(expr)
        return expr.to_pyarrow()

    def _scalar(self, expr: Any) -> Any:
        if self._backend is not None:
            return self._backend.execute(expr)
        return expr.execute()

    # ---- time -------------------------------------------------------------------------------

    def _window(self, a: int | None, b: int | None, within: bool) -> LazyTimeline:
        """``a``/``b``: first and last day (None: unbounded), as in the in-memory engine."""
        t = self._expr
        if a is not None and b is not None and b < a and not within:
            return self._where(require_ibis().literal(False))
        if within:
            return self._where(
                t.lo >= a if a is not None else None, t.hi <= b if b is not None else None
            )
        return self._where(
            t.lo <= b if b is not None else None, t.hi >= a if a is not None else None
        )

    def between(self, start: object, end: object, mode: str = "overlaps") -> LazyTimeline:
        """Events in the days from ``start`` to ``end``: :meth:`Timeline.between
        <relations.timeline.Timeline.between>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.between("2022", "2025").count() == len(rnk.between("2022", "2025"))
        True
        """
        s = _coerce(start, "between(): start")
        e = _coerce(end, "between(): end")
        if e.hi < s.lo:
            raise InvalidArgument(f"between({str(s)!r}, {str(e)!r}): the end is before the start")
        return self._window(s.lo, e.hi, _within(mode, "between()"))

    def on(self, x: object, mode: str = "overlaps") -> LazyTimeline:
        """Events on ``x``: :meth:`Timeline.on <relations.timeline.Timeline.on>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.on("2024-06").count() == len(rnk.on("2024-06"))
        True
        """
        w = _coerce(x, "on()")
        return self._window(w.lo, w.hi, _within(mode, "on()"))

    def before(self, x: object, mode: str = "within") -> LazyTimeline:
        """Events before ``x`` began: :meth:`Timeline.before <relations.timeline.Timeline.before>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.before("2000").count() == len(rnk.before("2000"))
        True
        """
        w = _coerce(x, "before()")
        return self._window(None, w.lo - 1, _within(mode, "before()"))

    def until(self, x: object, mode: str = "within") -> LazyTimeline:
        """Events on or before ``x``: :meth:`Timeline.until <relations.timeline.Timeline.until>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.until("2000").count() == len(rnk.until("2000"))
        True
        """
        w = _coerce(x, "until()")
        return self._window(None, w.hi, _within(mode, "until()"))

    def after(self, x: object, mode: str = "within") -> LazyTimeline:
        """Events after ``x`` ended: :meth:`Timeline.after <relations.timeline.Timeline.after>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.after("2020").count() == len(rnk.after("2020"))
        True
        """
        w = _coerce(x, "after()")
        return self._window(w.hi + 1, None, _within(mode, "after()"))

    def since(self, x: object, mode: str = "within") -> LazyTimeline:
        """Events on or after ``x``: :meth:`Timeline.since <relations.timeline.Timeline.since>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.since("2020").count() == len(rnk.since("2020"))
        True
        """
        w = _coerce(x, "since()")
        return self._window(w.lo, None, _within(mode, "since()"))

    def as_of(self, x: object, *, definitely: bool = False) -> LazyTimeline:
        """Events that had begun by ``x``: :meth:`Timeline.as_of
        <relations.timeline.Timeline.as_of>`.

        With ``definitely=True`` the latest possible start of the few events that straddle
        ``x``'s last day is read from their distinct EDTF texts (one small query, now).

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.as_of("2024-07-01").count() == len(rnk.as_of("2024-07-01"))
        True
        """
        w = _coerce(x, "as_of()")
        t = self._expr
        if not definitely:
            return self._where(t.lo <= w.hi)
        straddling = t.filter(t.lo <= w.hi, t.hi > w.hi).select("when").distinct()
        texts = self._run(straddling).column("when").to_pylist()
        begun = [s for s in texts if When.parse(s).latest_start_day <= w.hi]
        return self._where((t.lo <= w.hi) & ((t.hi <= w.hi) | t["when"].isin(begun)))

    # ---- who and what -------------------------------------------------------------------------

    def involving(
        self, *actors: str, any: bool = False, follow_succession: bool = False
    ) -> LazyTimeline:
        """Events involving all of ``actors`` (any with ``any=True``): :meth:`Timeline.involving
        <relations.timeline.Timeline.involving>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.involving("Russia", "North Korea").count() == len(rnk.involving("RUS", "PRK"))
        True
        """
        codes = list(dict.fromkeys(resolve_code(a) for a in actors))
        groups = [_group(c, follow_succession) for c in codes]
        t = self._expr
        if any:
            return self._where(self._any_in(t.actors, [c for g in groups for c in g]))
        return self._where(*[self._any_in(t.actors, g) for g in groups])

    @staticmethod
    def _any_in(column: Any, values: list[str] | tuple[str, ...]) -> Any:
        ibis = require_ibis()
        if not values:
            return ibis.literal(False)
        pred = column.contains(values[0])
        for v in values[1:]:
            pred = pred | column.contains(v)
        return pred

    def from_to(
        self,
        source: str | None = None,
        target: str | None = None,
        *,
        follow_succession: bool = False,
    ) -> LazyTimeline:
        """Directed events from ``source`` to ``target``: :meth:`Timeline.from_to
        <relations.timeline.Timeline.from_to>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.from_to("PRK", "RUS").count() == len(rnk.from_to("PRK", "RUS"))
        True
        """
        t = self._expr
        directed = t.directed
        first = t.actors[0]
        preds = [directed]
        gs = _group(resolve_code(source), follow_succession) if source is not None else None
        gt = _group(resolve_code(target), follow_succession) if target is not None else None
        if gs is not None:
            preds.append(first.isin(list(gs)))
        if gt is not None:  # a target is any actor after the first
            rest = t.actors[1:]
            preds.append(self._any_in(rest, gt))
        return self._where(*preds)

    def of_kind(self, *kinds: str) -> LazyTimeline:
        """Events of any of ``kinds``, hierarchically: :meth:`Timeline.of_kind
        <relations.timeline.Timeline.of_kind>` (a kind no vocabulary knows is checked against
        the data with one small query).

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.of_kind("military").count() == len(rnk.of_kind("military"))
        True
        """
        valid = [validate_kind(k, warn=False) for k in kinds]
        t = self._expr
        unknown = [k for k in valid if not _vocabulary_knows(k)]
        if unknown:
            known = self._run(t.select("kind").distinct()).column("kind").to_pylist()
            for k in unknown:
                if not known:
                    validate_kind(k)  # no events: the near-miss warning, as in memory
                elif not any(k in kind_prefixes(x) for x in known):
                    raise unknown_kind_error(k, known=set(known))
        if not valid:
            return self._where(require_ibis().literal(False))
        pred = (t.kind == valid[0]) | t.kind.startswith(valid[0] + ".")
        for k in valid[1:]:
            pred = pred | (t.kind == k) | t.kind.startswith(k + ".")
        return self._where(pred)

    def tagged(self, *tags: str, any: bool = False) -> LazyTimeline:
        """Events with all of ``tags`` (any with ``any=True``): :meth:`Timeline.tagged
        <relations.timeline.Timeline.tagged>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.tagged("kursk").count() == len(rnk.tagged("kursk"))
        True
        """
        for x in tags:
            if not isinstance(x, str):
                raise InvalidArgument(f"tagged(): a tag is text, not {x!r}")
        t = self._expr
        if any:
            return self._where(self._any_in(t.tags, list(tags)))
        return self._where(*[t.tags.contains(x) for x in tags])

    def with_status(self, *statuses: Status | str) -> LazyTimeline:
        """Events with any of the statuses: :meth:`Timeline.with_status
        <relations.timeline.Timeline.with_status>`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.with_status("confirmed").count() == len(rnk.with_status("confirmed"))
        True
        """
        keys: list[str] = []
        for s in statuses:
            try:
                keys.append(Status(s).value)
            except ValueError:
                allowed = ", ".join(x.value for x in Status)
                raise InvalidArgument(
                    f"with_status(): {s!r} is not a status; expected one of {allowed}"
                ) from None
        return self._where(self._expr.status.isin(keys))

    # ---- set algebra --------------------------------------------------------------------------

    def _other(self, other: object, op: str) -> LazyTimeline:
        if not isinstance(other, LazyTimeline):
            raise InvalidArgument(f"{op}: both sides must be lazy timelines, not {other!r:.60}")
        return other

    def __and__(self, other: LazyTimeline) -> LazyTimeline:
        """Events in both (by id)."""
        o = self._other(other, "&")
        return self._where(self._expr.id.isin(o._expr.id))

    def __sub__(self, other: LazyTimeline) -> LazyTimeline:
        """Events in this one and not in ``other`` (by id)."""
        o = self._other(other, "-")
        return self._where(~self._expr.id.isin(o._expr.id))

    def __or__(self, other: LazyTimeline) -> LazyTimeline:
        """Events in either (by id; the same id twice is kept once, from this side)."""
        o = self._other(other, "|")
        cols = self._expr.columns
        theirs = o._expr.filter(~o._expr.id.isin(self._expr.id)).select(*cols)
        return LazyTimeline(self._expr.union(theirs), self._backend)

    # ---- results ------------------------------------------------------------------------------

    def count(self, by: By | None = None, **options: Unpack[Bucketing]) -> Any:
        """The number of events (one query); with ``by``, the number per period or key as a
        :class:`~relations.series.Series`, exactly as :meth:`Timeline.count
        <relations.timeline.Timeline.count>` would give it.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.count("decade") == rnk.count("decade")
        True
        """
        if by is None:
            if options:
                raise InvalidArgument("count(): options need by=")
            return int(self._scalar(self._expr.count()))
        return _compact.aggregate_lazy(self, _compact.Ask("count", None, by, None, dict(options)))

    def __len__(self) -> int:
        return int(self.count())

    def __iter__(self) -> Iterator[Any]:
        return iter(self.collect())

    def sum(self, name: str, by: By = "year", **options: Unpack[Bucketing]) -> Series[Any, Any]:
        """Total of measure or quantity ``name`` per key: :func:`relations.aggregate.sum`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.sum("soldiers", "year") == rnk.sum("soldiers", "year")
        True
        """
        return _compact.aggregate_lazy(self, _compact.Ask("sum", name, by, None, dict(options)))

    def mean(
        self,
        name: str,
        by: By = "year",
        *,
        weight: str | None = None,
        **options: Unpack[Bucketing],
    ) -> Series[Any, Any]:
        """Mean of measure or quantity ``name`` per key (``weight``: a measure to weight by):
        :func:`relations.aggregate.mean` (of a quantity: computed after :meth:`collect`)."""
        return _compact.aggregate_lazy(self, _compact.Ask("mean", name, by, weight, dict(options)))

    def _record_columns(self) -> list[str]:
        have = set(self._expr.columns)
        return [c for c in TABLE_COLUMNS if c in have]

    def _events_of(self, expr: Any) -> Timeline:
        table = self._run(expr.select(*self._record_columns()))
        if table.num_rows == 0:
            return Timeline()
        return from_arrow(table)

    def collect(self) -> Timeline:
        """Run the query and return its events as an in-memory
        :class:`~relations.timeline.Timeline`.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.of_kind("military").collect() == rnk.of_kind("military")
        True
        """
        return self._events_of(self._expr)

    def head(self, n: int = 10) -> Timeline:
        """The first ``n`` events in timeline order (earliest day, latest day, id).

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> [e.id for e in lazy.head(2)] == [e.id for e in rnk][:2]
        True
        """
        t = self._expr
        return self._events_of(t.order_by([t.lo, t.hi, t.id]).limit(n))

    def tail(self, n: int = 10) -> Timeline:
        """The last ``n`` events in timeline order.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import Event, timeline
        >>> tl = timeline.of(*(Event(str(y), "trade", ["RUS"], "T", id=f"y{y}")
        ...                    for y in range(2000, 2010)))
        >>> lazy = timeline.scan(tl.to_arrow())
        >>> [e.id for e in lazy.head(2)], [e.id for e in lazy.tail(2)]
        (['y2000', 'y2001'], ['y2008', 'y2009'])
        """
        t = self._expr
        return self._events_of(t.order_by([t.lo.desc(), t.hi.desc(), t.id.desc()]).limit(n))

    def to_arrow(self) -> Any:
        """The rows as a ``pyarrow.Table`` (every column of the source).

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import timeline
        >>> rnk = timeline.load("russia-north-korea")
        >>> lazy = timeline.scan(rnk.to_arrow())
        >>> lazy.to_arrow().num_rows == len(rnk)
        True
        """
        return self._run(self._expr)

    def _batches(self) -> Any:
        """The rows as a ``pyarrow.RecordBatchReader``, streamed from the engine."""
        if getattr(self._backend, "name", None) == "duckdb":
            # DuckDB's own reader: ibis 12's to_pyarrow_batches calls a cursor method that
            # DuckDB 2.0 no longer has
            sql = str(require_ibis().to_sql(self._expr, dialect="duckdb"))
            return self._backend.con.sql(sql).to_arrow_reader(100_000)
        if self._backend is not None:
            return self._backend.to_pyarrow_batches(self._expr)
        return self._expr.to_pyarrow_batches()

    def to_parquet(self, path: str | os.PathLike[str]) -> int:
        """Write the rows to one Parquet file of the columnar layout, streamed from the engine
        in record batches (bounded memory) and atomically (``path`` appears only when
        complete); return how many rows were written.

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> import pathlib, tempfile
        >>> from relations import Event, timeline
        >>> tl = timeline.of(Event("2024", "trade", ["RUS"], "T", id="a"),
        ...                  Event("2023", "trade", ["PRK"], "U", id="b"))
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "rus.parquet"
        >>> timeline.scan(tl.to_arrow()).involving("RUS").to_parquet(out)
        1
        >>> [e.id for e in timeline.scan(out).collect()]
        ['a']
        """
        import pyarrow.parquet as pq

        from relations.formats.layout import METADATA

        target = os.fspath(path)
        reader = self._batches()
        meta = dict(reader.schema.metadata or {})
        meta.update(METADATA)
        schema = reader.schema.with_metadata(meta)
        partial = f"{target}.{os.getpid()}.partial"
        n = 0
        try:
            with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    n += batch.num_rows
            os.replace(partial, target)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
        return n

    def explain(self) -> str:
        """The SQL the engine runs for this timeline, in its own dialect (for Polars, which
        runs no SQL, its query plan).

        >>> import pytest; _ = pytest.importorskip("ibis")
        >>> from relations import Event, timeline
        >>> lazy = timeline.scan(timeline.of(Event("2024", "trade", ["RUS"], "T")).to_arrow())
        >>> print(lazy.involving("RUS").explain())  # doctest: +ELLIPSIS
        SELECT
        ...
        WHERE
          ARRAY_CONTAINS("t0"."actors", 'RUS')
        """
        ibis = require_ibis()
        name = getattr(self._backend, "name", None)
        if name == "polars":
            return str(self._backend.compile(self._expr).explain())
        try:
            return str(ibis.to_sql(self._expr, dialect=name))
        except (ValueError, AttributeError):  # a backend without a SQL dialect
            return str(self._backend.compile(self._expr))

    def __repr__(self) -> str:
        name = getattr(self._backend, "name", "ibis")
        return f"<LazyTimeline on {name}: {len(self._expr.columns)} columns, not yet run>"


def scan(source: object, *, engine: object = "duckdb") -> LazyTimeline:
    """A lazy timeline over ``source``: a Parquet path, folder or glob in the columnar layout,
    an Arrow table, dataset or record-batch reader, or an ibis table expression on any ibis
    backend (PostgreSQL, Spark, ...). Paths and Arrow data run on ``engine``: ``"duckdb"``
    (the default, embedded), ``"polars"``, or an ibis backend you connected. Nothing is read
    until a result is asked for. Needs ``pip install "relations[scale]"``.

    >>> import pytest; _ = pytest.importorskip("ibis")
    >>> import pathlib, tempfile
    >>> import pyarrow.parquet as pq
    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06", "trade.volume", ["RUS", "PRK"], "Trade", id="t"))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.parquet"
    >>> pq.write_table(tl.to_arrow(), path)
    >>> lazy = scan(path)
    >>> lazy.collect() == tl, lazy.on("2024-06-19", mode="within").count()
    (True, 0)
    """
    expr, backend = table_of(source, engine)
    missing = [c for c in ("id", "when", "lo", "hi", "kind", "actors") if c not in expr.columns]
    if missing:
        raise InvalidArgument(
            f"scan(): the source has no column {missing[0]!r}; it is not in the columnar "
            "layout (docs/reference/columnar-layout.md)"
        )
    return LazyTimeline(expr, backend)
