"""Aggregation of a lazy timeline: the engine groups, the library places.

The engine filters the rows and groups them by what placement and keys need: the bucket of
the period unit for events whose possible days lie in one bucket (they all place alike), the
exact ``(lo, hi)`` days for the others, and the columns the keys come from (actors, kind,
status, tags, directed), with a count and the measure's sum per group. The result is bounded by
buckets × keys plus the distinct spans of imprecise events, not by events. Those groups are then
placed by :mod:`relations.aggregate` itself, as if each were one event weighing its count (or
its sum), so policies, keys, fills and unplaced events mean exactly what they mean in memory.

Quantities (bounds, units, "about") and tables without the engine columns are aggregated in
memory after :meth:`~relations.lazy.LazyTimeline.collect`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Self, cast

from relations import aggregate
from relations.aggregate import columnar
from relations.aggregate.grammar import BY_KEYS, check_policy, parse_by
from relations.errors import InvalidArgument
from relations.events import Status
from relations.periods import first_day
from relations.series import Series

if TYPE_CHECKING:
    from relations._timeline import Timeline
    from relations.lazy.timeline import LazyTimeline

__all__ = ["aggregate_lazy"]

_UNB = 2**61  # as relations.aggregate: |ordinal| at or beyond this is an open end


class _Group:
    """One group of the engine's answer, standing in for its events during placement."""

    __slots__ = ("actors", "directed", "id", "kind", "measures", "quantities", "status", "tags")

    def __init__(self, row: dict[str, Any], i: int, measures: dict[str, Any]) -> None:
        self.id = str(i)
        self.actors = tuple(row.get("actors") or ())
        self.directed = bool(row.get("directed"))
        self.kind = row.get("kind") or ""
        self.status = Status(row["status"]) if row.get("status") is not None else None
        self.tags = tuple(row.get("tags") or ())
        self.measures = measures
        self.quantities: dict[str, Any] = {}


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
        return [], sorted({m for g in self._groups for m in g.measures})


def _bucket(t: Any, unit: str) -> tuple[Any, Any, Any]:
    """SQL for the bucket index of an event's first and last possible day, and whether those
    are unknown (an open end, or a day outside years 1-9999 for the calendar units)."""
    if unit in ("day", "week"):
        unknown = (t.lo <= -_UNB) | (t.hi >= _UNB)
        if unit == "day":
            return t.lo, t.hi, unknown
        return (t.lo - 1) // 7, (t.hi - 1) // 7, unknown
    e, z = t.earliest, t.latest
    unknown = e.isnull() | z.isnull()
    if unit == "month":
        return e.year() * 12 + e.month() - 1, z.year() * 12 + z.month() - 1, unknown
    if unit == "quarter":
        return e.year() * 4 + e.quarter() - 1, z.year() * 4 + z.quarter() - 1, unknown
    if unit == "year":
        return e.year(), z.year(), unknown
    step = {"decade": 10, "century": 100}[unit]
    return e.year() // step, z.year() // step, unknown


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


def _aggregate_timeline(
    tl: Timeline,
    op: str,
    name: str | None,
    by: Any,
    weight: str | None,
    options: dict[str, Any],
) -> Series[Any, Any]:
    if op == "count":
        return tl.count(by, **options)
    if op == "sum":
        return tl.sum(cast(str, name), by, **options)
    return tl.mean(cast(str, name), by, weight=weight, **options)


def aggregate_lazy(
    lazy: LazyTimeline,
    op: str,
    name: str | None,
    by: Any,
    weight: str | None,
    options: dict[str, Any],
) -> Series[Any, Any]:
    """``count``/``sum``/``mean`` of a lazy timeline, as :mod:`relations.aggregate` gives them
    for the same events in memory."""
    from relations.lazy._source import require_ibis

    ibis = require_ibis()
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
    measures = [n for n in (name, weight) if n is not None]
    if any(f"quantity.{n}.value" in cols or f"measure.{n}" not in cols for n in measures):
        return _aggregate_timeline(
            lazy.collect(), op, name, by, weight, options
        )  # quantities; no engine columns

    # the engine: filter, then group by bucket-or-span and the key columns
    keys = _key_columns(knames)
    derived: dict[str, Any] = {}
    if unit is not None:
        # Events in one bucket place alike: group them by bucket. Events across buckets place
        # by their buckets too, except under "spread" (by their days); events with an unknown
        # bucket keep their exact days.
        blo, bhi, unknown = _bucket(t, unit)
        exact = unknown | (blo != bhi) if policy == "spread" else unknown
        null = ibis.null("int64")
        derived["b_lo"] = blo
        derived["b_hi"] = bhi
        derived["x_lo"] = exact.ifelse(t.lo, null)
        derived["x_hi"] = exact.ifelse(t.hi, null)
    u = t.mutate(**derived) if derived else t
    metrics: dict[str, Any] = {"n": u.count()}
    if name is not None:
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
    rows = lazy._run(grouped).to_pylist()

    if not rows:  # no events: exactly what an empty in-memory timeline answers
        from relations._timeline import Timeline as Empty

        return _aggregate_timeline(Empty(), op, name, by, weight, options)
    total = sum(r["n"] for r in rows)
    present = sum(r["p"] for r in rows) if name is not None else total
    if name is not None and total and not present:
        return _aggregate_timeline(
            lazy.collect(), op, name, by, weight, options
        )  # the in-memory UnknownKey

    entries = []
    spans: set[tuple[int, int]] = set()
    for i, r in enumerate(rows):
        if unit is None:
            lo = hi = 1
        elif r["x_lo"] is not None:
            lo, hi = int(r["x_lo"]), int(r["x_hi"])
            spans.add((lo, hi))
        else:
            b_lo, b_hi = int(r["b_lo"]), int(r["b_hi"])
            lo = first_day(b_lo, unit)
            hi = lo if b_hi == b_lo else first_day(b_hi + 1, unit) - 1
        ms: dict[str, Any] = {"n": r["n"]}
        if name is not None and r["p"]:
            ms["s"], ms["c"] = r["s"], r["c"]
        entries.append((lo, hi, i, _Group(r, i, ms)))
    entries.sort(key=lambda x: (x[0], x[1], x[2]))
    compact = _Compact([e[3] for e in entries], [e[0] for e in entries], [e[1] for e in entries])
    tl = cast("Timeline", compact)
    agg_options: Any = {"policy": policy, "fill": fill, "start": start, "end": end}

    if op == "count":
        s = aggregate.sum(tl, "n", by, **agg_options)
        data: Any = list(s.items())
        series_name, missing = "count", 0
    else:
        top = aggregate.sum(tl, "s", by, **agg_options)
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
        split_op = "count" if op == "count" else "sum"
        stat = _statuses(lazy, split_op, name, by, options, [k for k, _ in data])
    return Series(
        data,
        name=series_name,
        key_names=s.key_names,
        policy=s.policy,
        unplaced=unplaced,
        missing=missing,
        unit=None,
        statuses=stat,
    )


def _statuses(
    lazy: LazyTimeline,
    op: str,
    name: str | None,
    by: Any,
    options: dict[str, Any],
    keys: list[Any],
) -> Callable[[], dict[Any, frozenset[Status]]]:
    """Key → statuses of the events behind its value, as in memory: the same aggregation
    split by status too (one more engine query, run when first asked for)."""

    def build() -> dict[Any, frozenset[Status]]:
        split_by = (*(by if isinstance(by, tuple) else (by,)), "status")
        split = aggregate_lazy(lazy, op, name, split_by, None, {**options, "fill": False})
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
        if name is not None:
            carriers.append(t[f"measure.{name}"].notnull())
            if weight is not None:
                carriers.append(t[f"measure.{weight}"].notnull())
        preds = _unkeyed(t, knames)
        if unit is not None:
            preds.append(t.lo <= -_UNB)
            if policy != "earliest":
                preds.append(t.hi >= _UNB)
            if policy == "contained":
                blo, bhi, unknown = _bucket(t, unit)
                preds.append(~unknown & (blo != bhi))
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
