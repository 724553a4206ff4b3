"""Aggregation of a lazy timeline: the engine groups, the library places.

The engine filters the rows and groups them by what placement and keys need: the bucket of
the period unit for events whose possible days lie in one bucket (they all place alike), the
exact ``(lo, hi)`` days for the others, and the columns the keys come from (actors, kind,
status, tags, directed), with a count and the measure's sum per group. The result is bounded by
buckets × keys plus the distinct spans of imprecise events, not by events. Those groups are then
placed by :mod:`relations.aggregate` itself, as if each were one event weighing its count (or
its sum), so policies, keys, fills and unplaced events mean exactly what they mean in memory.

Sums of a quantity with integer engine columns (``quantity.N.*``) are summed by the engine
too, per group and per shape (which of value, low and high the events state, and "about"), so
each group stands for events that add up as one quantity; :func:`relations.aggregate.sum` then
propagates bounds, units and "about" exactly as it does for the events. Means of quantities,
float quantities (SQL float sums are not ``math.fsum``, and a float column no longer says which
numbers were integers), mixed units (the in-memory error names events) and tables without the
engine columns are aggregated in memory after :meth:`~relations.lazy.LazyTimeline.collect`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Self, cast

from relations import aggregate
from relations._gc import paused
from relations.aggregate import columnar
from relations.aggregate.engine import trusted_quantity
from relations.aggregate.grammar import BY_KEYS, check_policy, parse_by
from relations.errors import InvalidArgument
from relations.events import Status
from relations.formats.layout import quantity_columns
from relations.periods import Unit, first_day
from relations.series import Series

if TYPE_CHECKING:
    from relations._timeline import Timeline
    from relations.lazy.timeline import LazyTimeline

__all__ = ["Ask", "aggregate_lazy"]

_UNB = 2**61  # as relations.aggregate: |ordinal| at or beyond this is an open end
_NOWHERE = -(2**62)  # the span (open start, same day) of a group that places nowhere


class _Group:
    """One group of the engine's answer, standing in for its events during placement."""

    __slots__ = ("actors", "directed", "id", "kind", "measures", "quantities", "status", "tags")

    def __init__(
        self, row: dict[str, Any], i: int, measures: dict[str, Any], quantities: dict[str, Any]
    ) -> None:
        self.id = str(i)
        self.actors = tuple(row.get("actors") or ())
        self.directed = bool(row.get("directed"))
        self.kind = row.get("kind") or ""
        self.status = Status(row["status"]) if row.get("status") is not None else None
        self.tags = tuple(row.get("tags") or ())
        self.measures = measures
        self.quantities = quantities


class _Compact:
    """The groups as an :class:`~relations.aggregate.EventColumns` (sorted by lo, hi)."""

    def __init__(self, groups: Sequence[_Group], los: list[int], his: list[int]) -> None:
        self._groups = groups
        self._los = los
        self._his = his
        self._memo: dict[str, dict[Any, Any]] = {}

    def __len__(self) -> int:
        return len(self._groups)

    def ordered_events(self) -> Sequence[Any]:
        return self._groups

    def lo_days(self) -> Sequence[int]:
        return self._los

    def hi_days(self) -> Sequence[int]:
        return self._his

    def memo(self, owner: str) -> dict[Any, Any]:
        return self._memo.setdefault(owner, {})

    def take(self, positions: Sequence[int]) -> Self:
        return type(self)(
            [self._groups[p] for p in positions],
            [self._los[p] for p in positions],
            [self._his[p] for p in positions],
        )

    # the columns aggregation reads, computed from the groups (once each)
    def _column(self, what: str, name: str, build: Callable[[Sequence[Any], str], Any]) -> Any:
        memo = self.memo("lazy.columns")
        key = (what, name)
        if key not in memo:
            memo[key] = build(self._groups, name)
        return memo[key]

    def ids(self) -> Sequence[str]:
        return [g.id for g in self._groups]

    def key_column(self, name: str) -> Any:
        return self._column("key", name, columnar.key_column_from_events)

    def quantity_column(self, name: str) -> Any:
        return self._column("quantity", name, columnar.quantity_column_from_events)

    def measure_column(self, name: str) -> Any:
        return self._column("measure", name, columnar.measure_column_from_events)

    def value_names(self) -> tuple[list[str], list[str]]:
        quantities = sorted({q for g in self._groups for q in g.quantities})
        return quantities, sorted({m for g in self._groups for m in g.measures})


def _date_part(ibis: Any, duckdb: bool, part: str) -> Callable[[Any], Any]:
    """``year``, ``month`` or ``quarter`` of a date column: ibis' ``EXTRACT``, or on DuckDB its
    own function of that name (a month grouping of 10M events: 0.8 s instead of 1.5 s)."""
    if not duckdb:
        return lambda d: getattr(d, part)()

    def declared(d: Any) -> Any: ...

    signature = ((ibis.dtype("date"),), ibis.dtype("int64"))
    return cast(
        "Callable[[Any], Any]", ibis.udf.scalar.builtin(declared, name=part, signature=signature)
    )


def _bucket(ibis: Any, t: Any, unit: str, duckdb: bool = False) -> tuple[Any, Any, Any, Any]:
    """SQL for the bucket index of an event's first and last possible day, and whether each is
    unknown (an open end, or a day outside years 1-9999 for the calendar units)."""
    if unit in ("day", "week"):
        lo_unknown, hi_unknown = t.lo <= -_UNB, t.hi >= _UNB
        if unit == "day":
            return t.lo, t.hi, lo_unknown, hi_unknown
        return (t.lo - 1) // 7, (t.hi - 1) // 7, lo_unknown, hi_unknown
    e, z = t.earliest, t.latest
    year = _date_part(ibis, duckdb, "year")
    if unit in ("month", "quarter"):
        n, part = (12, "month") if unit == "month" else (4, "quarter")
        of = _date_part(ibis, duckdb, part)
        blo, bhi = (year(d) * n + of(d) - 1 for d in (e, z))
    elif unit == "year":
        blo, bhi = year(e), year(z)
    else:
        step = {"decade": 10, "century": 100}[unit]
        blo, bhi = year(e) // step, year(z) // step
    return blo, bhi, e.isnull(), z.isnull()


def _placing(
    ibis: Any, t: Any, unit: str, policy: str, duckdb: bool
) -> tuple[dict[str, Any], Any, Any]:
    """The columns that place an event (``b_lo``/``b_hi``: the buckets of its first and last
    possible day; ``x_lo``/``x_hi``: its exact days where the buckets do not place it); the
    events to place by their days in a second query, if the first finds any (None: no second
    query), and the events among them that place nowhere.

    Under "earliest" events of one start bucket place alike, whatever their end: one group per
    start bucket and key. Under "contained" and "overlap" events of the same two buckets place
    alike. For the calendar units neither reads the day columns (most of the time at 10M
    events); events with an unknown bucket (an open end, a day outside years 1-9999) are
    grouped by their days in the second query, unless a count finds that they all place
    nowhere (the usual case: open ends; the count reads fewer columns). Under "spread" events across buckets place by
    their days, and for days and weeks the buckets are the days: one query reads them.
    An open start (or an open end, but under "earliest") places nowhere: all such events are
    one span, not one per day (8 000 groups of open-ended events at 1M)."""
    blo, bhi, lo_unknown, hi_unknown = _bucket(ibis, t, unit, duckdb)
    null = ibis.null("int64")
    nowhere = t.lo <= -_UNB if policy == "earliest" else (t.lo <= -_UNB) | (t.hi >= _UNB)
    if policy == "earliest":
        exact, placing = lo_unknown, {"b_lo": lo_unknown.ifelse(null, blo)}
    else:
        exact, placing = lo_unknown | hi_unknown, {"b_lo": blo, "b_hi": bhi}
    if policy == "earliest" or (policy != "spread" and unit not in ("day", "week")):
        return placing, exact, nowhere
    if policy == "spread":
        exact = exact | (blo != bhi)
    placing.update({k: exact.ifelse(v, null) for k, v in _days(t, nowhere).items()})
    return placing, None, None


def _days(t: Any, nowhere: Any) -> dict[str, Any]:
    """An event's exact days, or the one span of events that place nowhere."""
    return {"x_lo": nowhere.ifelse(_NOWHERE, t.lo), "x_hi": nowhere.ifelse(_NOWHERE, t.hi)}


def _engine_rows(
    lazy: LazyTimeline,
    t: Any,
    placing: dict[str, Any],
    keys: list[str],
    quantity: list[str] | None,
    name: str | None,
    weight: str | None,
) -> list[dict[str, Any]]:
    """The engine's groups: by the placing columns, the keys (and a quantity's shape), each
    with its count and the sums the aggregation needs."""
    derived = dict(placing)
    if quantity is not None:
        derived.update(_quantity_shape(t, quantity))
    u = t.mutate(**derived) if derived else t
    metrics: dict[str, Any] = {"n": u.count()}
    if quantity is not None:
        value, low, high, q_unit, _ = (u[c] for c in quantity)
        metrics.update(s=value.sum(), sl=low.sum(), sh=high.sum(), p=q_unit.count())
    elif name is not None:
        m = u[f"measure.{name}"]
        if weight is not None:
            w = u[f"measure.{weight}"]
            metrics["s"] = (m * w).sum()
            metrics["c"] = w.sum(where=m.notnull())
            metrics["p"] = (m * w).count()
        else:
            metrics["s"] = m.sum()
            metrics["c"] = m.count()
            metrics["p"] = m.count()
    grouped = u.group_by([*derived, *keys]).aggregate(**metrics)
    return cast("list[dict[str, Any]]", lazy._run(grouped).to_pylist())


def _key_columns(names: list[str]) -> list[str]:
    cols: set[str] = set()
    for n in names:
        if n == "status":
            cols.add("status")
        if n in ("actor", "dyad"):
            cols.add("actors")
        elif n == "directed_dyad":
            cols |= {"actors", "directed"}
        elif n == "kind" or n.startswith("kind:"):
            cols.add("kind")
        elif n == "tag":
            cols.add("tags")
    return sorted(cols)


def _unkeyed(t: Any, names: list[str]) -> list[Any]:
    """SQL predicates for events with no key under ``names`` (they are unplaced)."""
    preds = []
    for n in names:
        if n == "actor":
            preds.append(t.actors.length() == 0)
        elif n in ("dyad", "directed_dyad"):
            preds.append(t.actors.length() < 2)
        elif n == "tag":
            preds.append(t.tags.length() == 0)
    return preds


class Ask(NamedTuple):
    """One aggregation asked of a lazy timeline: ``op`` ("count", "sum" or "mean") of ``name``
    (weighted by ``weight``) by ``by``, with the Bucketing ``options``."""

    op: str
    name: str | None
    by: Any
    weight: str | None
    options: dict[str, Any]

    def of(self, tl: Timeline) -> Series[Any, Any]:
        """The same aggregation of an in-memory timeline."""
        if self.op == "count":
            return tl.count(self.by, **self.options)
        if self.op == "sum":
            return tl.sum(cast(str, self.name), self.by, **self.options)
        return tl.mean(cast(str, self.name), self.by, weight=self.weight, **self.options)


def _integer_quantity(t: Any, name: str | None) -> list[str] | None:
    """The engine columns of quantity ``name`` if the engine can sum them as memory does: with
    integer value, low and high (their sums are exact in any order and stay integers)."""
    if name is None:
        return None
    cols = quantity_columns(name)
    if not set(cols) <= set(t.columns):
        return None
    return cols if all(t[c].type().is_integer() for c in cols[:3]) else None


def _quantity_shape(t: Any, cols: list[str]) -> dict[str, Any]:
    """A quantity's unit and shape (which of value, low and high are stated, and "about"):
    events of one group and shape add up as one quantity, the sums of their numbers."""
    value, low, high, unit, approximate = (t[c] for c in cols)
    return {
        "q_unit": unit,
        "q_v": value.notnull(),
        "q_l": low.notnull(),
        "q_h": high.notnull(),
        "q_a": approximate.fill_null(False),
    }


def _group_quantity(r: dict[str, Any]) -> Any:
    """The quantity a group of one unit and shape adds up to (its bounds are sums of bounds)."""
    return trusted_quantity(
        r["s"] if r["q_v"] else None,
        r["q_unit"],
        r["sl"] if r["q_l"] else None,
        r["sh"] if r["q_h"] else None,
        bool(r["q_a"]),
    )


def _compact_of(
    rows: list[dict[str, Any]], unit: Unit | None, quantity: bool, name: str | None
) -> tuple[_Compact, set[tuple[int, int]]]:
    """The engine's groups as a compact timeline (each placed at its bucket range or days),
    and the distinct exact spans among them."""
    entries = []
    spans: set[tuple[int, int]] = set()
    for i, r in enumerate(rows):
        if unit is None:
            lo = hi = 1
        elif r.get("x_lo") is not None:
            lo, hi = int(r["x_lo"]), int(r["x_hi"])
            spans.add((lo, hi))
        else:
            b_lo = int(r["b_lo"])
            b_hi = int(r.get("b_hi", b_lo))
            lo = first_day(b_lo, unit)
            hi = lo if b_hi == b_lo else first_day(b_hi + 1, unit) - 1
        ms: dict[str, Any] = {"n": r["n"]}
        qs: dict[str, Any] = {}
        if quantity:
            if r["q_unit"] is not None:
                qs[cast(str, name)] = _group_quantity(r)
        elif name is not None and r["p"]:
            ms["s"], ms["c"] = r["s"], r["c"]
        entries.append((lo, hi, i, _Group(r, i, ms, qs)))
    entries.sort(key=lambda x: (x[0], x[1], x[2]))
    compact = _Compact([e[3] for e in entries], [e[0] for e in entries], [e[1] for e in entries])
    return compact, spans


def aggregate_lazy(lazy: LazyTimeline, ask: Ask) -> Series[Any, Any]:
    """``count``/``sum``/``mean`` of a lazy timeline, as :mod:`relations.aggregate` gives them
    for the same events in memory."""
    from relations.lazy._source import require_ibis

    ibis = require_ibis()
    op, name, by, weight, options = ask
    policy = check_policy(options.get("policy", "contained"))
    fill, start, end = options.get("fill", False), options.get("start"), options.get("end")
    dims = parse_by(by)
    knames = [d.name for d in dims if d.unit is None]
    if any(n not in BY_KEYS and not n.startswith("kind:") for n in knames):
        raise InvalidArgument(
            f"a lazy timeline aggregates by periods and {', '.join(BY_KEYS)}, not by a "
            "function; collect() first to group by your own function"
        )
    unit = next((d.unit for d in dims if d.unit is not None), None)
    t = lazy.expr
    cols = set(t.columns)
    quantity = _integer_quantity(t, name) if op == "sum" else None
    measures = [n for n in (name, weight) if n is not None]
    if quantity is None and any(
        f"quantity.{n}.value" in cols or f"measure.{n}" not in cols for n in measures
    ):
        return ask.of(lazy.collect())  # float quantities, means of quantities, no engine columns

    # the engine: filter, then group by bucket-or-span, the key columns (and a quantity's shape)
    keys = _key_columns(knames)
    duckdb = getattr(lazy._backend, "name", None) == "duckdb"
    placing: dict[str, Any] = {}
    by_days: Any = None
    nowhere: Any = None
    if unit is not None:
        placing, by_days, nowhere = _placing(ibis, t, unit, policy, duckdb)
    value = (quantity, name, weight)
    rows = _engine_rows(lazy, t, placing, keys, *value)
    unknown = [r for r in rows if r.get("b_lo", 0) is None or r.get("b_hi", 0) is None]
    if by_days is not None and unknown:  # by days, unless they all place nowhere (open ends)
        rows = [r for r in rows if r.get("b_lo", 0) is not None and r.get("b_hi", 0) is not None]
        if int(lazy._scalar(t.filter(by_days, ~nowhere).count())):
            rows += _engine_rows(lazy, t.filter(by_days), _days(t, nowhere), keys, *value)
        else:
            rows += [{**r, "x_lo": _NOWHERE, "x_hi": _NOWHERE} for r in unknown]

    if not rows:  # no events: exactly what an empty in-memory timeline answers
        from relations._timeline import Timeline as Empty

        return ask.of(Empty())
    total = sum(r["n"] for r in rows)
    present = sum(r["p"] for r in rows) if name is not None else total
    if name is not None and total and not present:
        return ask.of(lazy.collect())  # the in-memory UnknownKey
    if quantity is not None and len({r["q_unit"] for r in rows} - {None}) > 1:
        return ask.of(lazy.collect())  # the in-memory UnitMismatch, naming two events

    with paused():  # thousands of groups and no cycles: the collector's passes cost more
        compact, spans = _compact_of(rows, unit, quantity is not None, name)
    tl = cast("Timeline", compact)
    agg_options: Any = {"policy": policy, "fill": fill, "start": start, "end": end}

    if op == "count":
        s = aggregate.sum(tl, "n", by, **agg_options)
        data: Any = list(s.items())
        series_name, missing = "count", 0
    else:
        top = aggregate.sum(tl, cast(str, name) if quantity is not None else "s", by, **agg_options)
        if op == "sum":
            s, data = top, list(top.items())
            series_name = f"sum of {name}"
        else:
            bottom = aggregate.sum(tl, "c", by, **agg_options)
            s = top if weight is None else bottom
            data = [(k, (top[k] / bottom[k] if bottom[k] else None)) for k in bottom]
            series_name = f"mean of {name}" + (f" weighted by {weight}" if weight else "")
        missing = total - present

    unplaced = _unplaced(lazy, ibis, unit, policy, knames, spans, name, weight)
    stat = None
    if not (op == "mean" and weight):
        split = Ask("count" if op == "count" else "sum", name, by, None, options)
        stat = _statuses(lazy, split, [k for k, _ in data])
    return Series(
        data,
        name=series_name,
        key_names=s.key_names,
        policy=s.policy,
        unplaced=unplaced,
        missing=missing,
        unit=s.unit,
        statuses=stat,
    )


def _statuses(
    lazy: LazyTimeline, ask: Ask, keys: list[Any]
) -> Callable[[], dict[Any, frozenset[Status]]]:
    """Key → statuses of the events behind its value, as in memory: the same aggregation
    split by status too (one more engine query, run when first asked for)."""

    def build() -> dict[Any, frozenset[Status]]:
        by = ask.by
        split_by = (*(by if isinstance(by, tuple) else (by,)), "status")
        split = aggregate_lazy(
            lazy, ask._replace(by=split_by, options={**ask.options, "fill": False})
        )
        found: dict[Any, set[Status]] = {}
        for k in split:
            parts, status = k[:-1], k[-1]
            found.setdefault(parts[0] if len(parts) == 1 else parts, set()).add(status)
        return {k: frozenset(found.get(k, ())) for k in keys}

    return build


def _unplaced(
    lazy: LazyTimeline,
    ibis: Any,
    unit: str | None,
    policy: str,
    knames: list[str],
    spans: set[tuple[int, int]],
    name: str | None,
    weight: str | None,
) -> Callable[[], Timeline]:
    """The unplaced events, read from the engine when first asked for: no key, an unknown
    start, an unknown end (but under "earliest"), across buckets (under "contained")."""
    from relations.periods import index_of

    def placed(lo: int, hi: int) -> bool:
        if lo <= -_UNB:
            return False
        if policy == "earliest":
            return True
        if hi >= _UNB:
            return False
        return policy != "contained" or index_of(lo, unit) == index_of(hi, unit)  # type: ignore[arg-type]

    def build() -> Timeline:
        t = lazy.expr
        carriers = []
        for n in (name, weight):
            if n is not None:  # the quantity of that name if the engine sums it, else the measure
                q_unit = f"quantity.{n}.unit"
                carriers.append(t[q_unit if q_unit in t.columns else f"measure.{n}"].notnull())
        preds = _unkeyed(t, knames)
        if unit is not None:
            preds.append(t.lo <= -_UNB)
            if policy != "earliest":
                preds.append(t.hi >= _UNB)
            if policy == "contained":
                blo, bhi, lo_unknown, hi_unknown = _bucket(ibis, t, unit)
                preds.append(~lo_unknown & ~hi_unknown & (blo != bhi))
        found = None
        if preds:
            pred = preds[0]
            for p in preds[1:]:
                pred = pred | p
            found = lazy._events_of(t.filter(pred, *carriers))
        # the rest: events of a finite span outside the calendar's years (rare), by span
        finite = [s for s in spans if s[0] > -_UNB and s[1] < _UNB]
        bad = sorted(s for s in finite if not placed(*s)) if unit is not None else []
        if bad:
            m = ibis.memtable({"u_lo": [s[0] for s in bad], "u_hi": [s[1] for s in bad]})
            part = t.filter(*carriers) if carriers else t
            part = part.semi_join(m, [part.lo == m.u_lo, part.hi == m.u_hi])
            more = lazy._events_of(part)
            found = more if found is None else found | more
        if found is None:
            from relations._timeline import Timeline as Tl

            return Tl()
        return found

    return build
