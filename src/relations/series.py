"""Series: the result of an aggregation, an immutable ordered mapping from key to value.

Keys are periods (``Period('2024-06')``), other keys (``'military'``, ``('PRK', 'RUS')``) or
tuples of these (``(('PRK', 'RUS'), Period('2024'))``); values are numbers, quantities
(:class:`~relations.Quantity`, whose ``float()`` is the best estimate), timelines (from
``group_by``) or ``None`` where a value is undefined (the mean of nothing).

A Series remembers how it was made: ``name`` (what the values are), ``key_names`` (what each
part of the key is), ``policy`` (how imprecise dates were placed), ``unplaced`` (a Timeline of
the events that could not be placed, so nothing silently disappears), ``missing`` (how many
events lacked the quantity or score being aggregated) and ``unit``.

>>> from relations.periods import Period
>>> s = Series({Period.parse(m): n for m, n in [("2024-01", 2), ("2024-02", 5), ("2024-03", 4)]},
...            name="count", key_names=("month",))
>>> print(s)
month    count
2024-01      2
2024-02      5
2024-03      4
>>> s["2024-02"], list(s.cumulative().values()), list(s.diff().values())
(5, [2, 7, 11], [2, 3, -1])
>>> s.growth("2024-01", "2024-03")
1.0

Time-series operations (``cumulative``, ``diff``, ``pct_change``, ``rolling``) run along the
period part of the key; with tuple keys such as ``(dyad, year)`` they run separately for each
dyad. They assume consecutive periods: aggregate with ``fill=True`` for a regular series.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

from relations._frozen import FrozenMap, items_hash
from relations.errors import InvalidArgument, MissingDependency, UnknownKey
from relations.events import Status
from relations.periods import Period
from relations.quantities import Quantity
from relations.render.text import format_key, format_value

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["Series", "Statuses", "format_key", "format_value", "key_order"]

K = TypeVar("K")
V = TypeVar("V")

empty_timeline: Callable[[], Timeline] | None = None
"""Makes the empty Timeline a Series without recorded unplaced events reports. The timeline
package (a higher layer) sets it when it is imported, which importing :mod:`relations` always
does; so this module never imports it."""

Statuses = FrozenMap[Any, frozenset[Status]]
"""Key → the statuses of the events behind each value (see :attr:`Series.statuses`)."""

RollingFn = Literal["mean", "sum", "min", "max", "median"] | Callable[[Sequence[float]], float]
"""How :meth:`Series.rolling` combines a window: a name or a function of the window's floats."""


def key_order(key: object) -> tuple[Any, ...]:
    """A sort key that orders any mix of series keys: periods by time, then numbers, text, ...

    >>> sorted(["b", Period.parse("2024"), 3, ("a", 1), None], key=key_order)
    [Period('2024'), 3, 'b', None, ('a', 1)]
    """
    if isinstance(key, Period):
        return (0, key.lo, key.hi)
    if isinstance(key, bool):
        return (1, int(key))
    if isinstance(key, int | float):
        return (1, key)
    if isinstance(key, str):
        return (2, key)
    if key is None:
        return (3,)
    if isinstance(key, tuple):
        return (4, tuple(key_order(k) for k in key))
    return (5, type(key).__name__, repr(key))


def _number(value: object, what: str) -> float | None:
    """The float of a numeric value (a Quantity's best estimate); None stays None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Quantity):
        raise InvalidArgument(
            f"{what} needs numeric values (numbers or quantities), not {type(value).__name__} "
            f"{format_value(value)!r}"
        )
    return float(value)


_ROLLING: dict[str, Callable[[Sequence[float]], float]] = {
    "mean": statistics.fmean,
    "sum": math.fsum,
    "min": min,
    "max": max,
    "median": statistics.median,
}


class Series(Mapping[K, V], Generic[K, V]):
    """An immutable, ordered mapping from key to value, with how it was made.

    ``Series(data)`` keeps the order of ``data`` (``sort=True`` sorts by :func:`key_order`).
    A missing key raises :class:`~relations.errors.UnknownKey` (a ``KeyError``); a text key
    is also looked up as a period, so ``s["2024-06"]`` finds ``Period('2024-06')``.

    >>> s = Series({"b": 2, "a": 1}, sort=True, name="count", key_names=("kind",))
    >>> list(s.items()), s.policy, len(s.unplaced), s.missing
    ([('a', 1), ('b', 2)], None, 0, 0)
    >>> s == {"a": 1, "b": 2}, s.top(1).to_dict()
    (True, {'b': 2})
    """

    __slots__ = (
        "_data",
        "_hash",
        "_statuses",
        "_unplaced",
        "key_names",
        "missing",
        "name",
        "policy",
        "unit",
    )

    _data: dict[K, V]
    _hash: int | None
    _unplaced: Timeline | Callable[[], Timeline] | None
    _statuses: Statuses | Callable[[], Mapping[Any, frozenset[Status]]] | None
    name: str
    key_names: tuple[str, ...]
    policy: str | None
    missing: int
    unit: str | None

    def __init__(
        self,
        data: Mapping[K, V] | Iterable[tuple[K, V]] = (),
        *,
        name: str = "value",
        key_names: Sequence[str] = ("key",),
        policy: str | None = None,
        unplaced: Timeline | Callable[[], Timeline] | None = None,
        missing: int = 0,
        unit: str | None = None,
        sort: bool = False,
        statuses: Mapping[Any, frozenset[Status]]
        | Callable[[], Mapping[Any, frozenset[Status]]]
        | None = None,
    ) -> None:
        items = dict(data)
        if sort:
            items = dict(sorted(items.items(), key=lambda kv: key_order(kv[0])))
        _set = object.__setattr__
        _set(self, "_data", items)
        _set(self, "_hash", None)
        _set(self, "_unplaced", unplaced)
        _set(self, "_statuses", FrozenMap(statuses) if isinstance(statuses, Mapping) else statuses)
        _set(self, "name", name)
        _set(self, "key_names", tuple(key_names))
        _set(self, "policy", policy)
        _set(self, "missing", missing)
        _set(self, "unit", unit)

    def _like(self, data: Mapping[Any, Any] | Iterable[tuple[Any, Any]], **changes: Any) -> Any:
        """A new Series with this one's metadata, except ``changes``."""
        meta: dict[str, Any] = {
            "name": self.name,
            "key_names": self.key_names,
            "policy": self.policy,
            "unplaced": self._unplaced,
            "missing": self.missing,
            "unit": self.unit,
        }
        meta.update(changes)
        return Series(data, **meta)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Series is immutable; cannot set {name!r}")

    # ---- mapping ---------------------------------------------------------------------------
    def __getitem__(self, key: K) -> V:
        try:
            return self._data[key]
        except KeyError:
            pass
        except TypeError:  # unhashable key
            raise UnknownKey(f"series has no key {key!r} (keys must be hashable)") from None
        alt = _as_period_key(key)
        if alt is not None and alt in self._data:
            return self._data[alt]
        keys = list(self._data)
        hint = f"; keys run from {keys[0]!r} to {keys[-1]!r}" if keys else "; the series is empty"
        raise UnknownKey(f"series {self.name!r} has no key {key!r}{hint}")

    def __contains__(self, key: object) -> bool:
        try:
            if key in self._data:
                return True
        except TypeError:
            return False
        alt = _as_period_key(key)
        return alt is not None and alt in self._data

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Series):
            return list(self._data.items()) == list(other._data.items())
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    __hash__ = items_hash

    def _key(self, key: object) -> K:
        """The stored key for ``key`` (after period lookup), or UnknownKey."""
        self[cast(K, key)]
        if key in self._data:
            return key
        return cast(K, _as_period_key(key))

    # ---- metadata --------------------------------------------------------------------------
    @property
    def unplaced(self) -> Timeline:
        """Events the policy could not place in any bucket (or that had no key), as a Timeline.

        >>> len(Series().unplaced)
        0
        """
        u = self._unplaced
        if u is None:
            u = cast("Callable[[], Timeline]", empty_timeline)()
            object.__setattr__(self, "_unplaced", u)
        elif callable(u) and not hasattr(u, "ordered_events"):
            u = u()
            object.__setattr__(self, "_unplaced", u)
        return cast("Timeline", u)

    @property
    def statuses(self) -> Statuses | None:
        """Provenance: key → the statuses (:class:`~relations.events.Status`) of the events
        that contributed to its value (an empty set for a zero-filled key); ``None`` for a
        series not made by an aggregation, or derived from one (``cumulative()``, ``top()``...).

        Aggregations (``count``, ``sum``, ``mean``, ``min``, ``max`` and the scores) fill it,
        computed when first read. A figure that rests only on ``claimed`` or ``estimated``
        events shows it here; to count only confirmed events, filter first
        (``tl.with_status("confirmed")``), and to see statuses apart, group by them
        (``by=("year", "status")``).

        >>> from relations import Event, Status, timeline
        >>> tl = timeline.of(Event("2024-06", "trade.volume", ["RUS"], "a", status="confirmed"),
        ...                  Event("2024-09", "trade.volume", ["RUS"], "b", status="claimed"))
        >>> sorted(tl.count(by="year").statuses[Period.parse("2024")])
        [<Status.CLAIMED: 'claimed'>, <Status.CONFIRMED: 'confirmed'>]
        >>> Series({"a": 1}).statuses is None
        True
        """
        s = self._statuses
        if s is not None and not isinstance(s, FrozenMap):
            s = FrozenMap(s())
            object.__setattr__(self, "_statuses", s)
        return s

    def to_dict(self) -> dict[K, V]:
        """A plain ``dict`` copy (keys as they are: periods stay :class:`Period`).

        For JSON, use ``{str(k): v for k, v in s.items()}``.

        >>> Series({"a": 1}).to_dict()
        {'a': 1}
        """
        return dict(self._data)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k!r}: {v!r}" for k, v in list(self._data.items())[:6])
        more = ", ..." if len(self._data) > 6 else ""
        extra = f", policy={self.policy!r}" if self.policy else ""
        return f"Series({{{shown}{more}}}, name={self.name!r}{extra})"

    # ---- text ------------------------------------------------------------------------------
    def to_text(self, max_rows: int | None = 60) -> str:
        """A readable table: one column per key part, then the values; footnotes on placement.

        ``max_rows`` shows the first and last rows of a long series (None shows all).

        >>> print(Series({("PRK", "RUS"): 3}, name="count", key_names=("dyad",)).to_text())
        dyad     count
        PRK–RUS      3
        """
        names = list(self.key_names)
        rows: list[list[str]] = []
        items = list(self._data.items())
        skipped = 0
        if max_rows is not None and len(items) > max_rows:
            head = max(1, max_rows * 2 // 3)
            tail = max(0, max_rows - head)
            skipped = len(items) - head - tail
            items = items[:head] + items[len(items) - tail :]
        for key, value in items:
            parts = key if isinstance(key, tuple) and len(names) > 1 else (key,)
            cells = [format_key(p, names[i] if i < len(names) else "") for i, p in enumerate(parts)]
            rows.append([*cells, format_value(value)])
        width = max([len(names)] + [len(r) - 1 for r in rows])
        header = [*(names + [""] * (width - len(names))), self.name]
        table = [header, *[r[:-1] + [""] * (width + 1 - len(r)) + r[-1:] for r in rows]]
        widths = [max(len(r[i]) for r in table) for i in range(width + 1)]
        lines = []
        for n, r in enumerate(table):
            if skipped and n == 1 + max(1, cast(int, max_rows) * 2 // 3):
                lines.append(f"... ({skipped} more rows)")
            cells = [r[i].ljust(widths[i]) for i in range(width)]
            lines.append("  ".join([*cells, r[width].rjust(widths[width])]).rstrip())
        notes = []
        if self.policy is not None:
            n_unplaced = len(self.unplaced)
            if n_unplaced:
                notes.append(f"{n_unplaced} unplaced event{'s' if n_unplaced != 1 else ''}")
        if self.missing:
            notes.append(f"{self.missing} event{'s' if self.missing != 1 else ''} without a value")
        if self.policy is not None and notes:
            notes.append(f"policy {self.policy!r}")
        if notes:
            lines.append(f"({'; '.join(notes)})")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def to_bars(self, width: int = 80) -> str:
        """The series as a text table with a bar per row (for terminals).

        >>> print(Series({"a": 1, "b": 2}, name="n").to_bars(width=40))
        key  n
        a    1  ████████████████
        b    2  ████████████████████████████████
        """
        from relations.render.text import series_to_text  # rendering is a higher layer

        return series_to_text(self, width=width)

    # ---- pictures --------------------------------------------------------------------------
    def to_svg(
        self,
        *,
        kind: Literal["auto", "bar", "line"] = "auto",
        title: str | None = None,
        width: int = 800,
        height: int = 360,
    ) -> str:
        """A self-contained SVG bar or line chart of the series.

        >>> Series({"a": 1}).to_svg().startswith("<svg")
        True
        """
        from relations.render.series_svg import series_to_svg  # rendering is a higher layer

        return series_to_svg(self, kind=kind, title=title, width=width, height=height)

    def _repr_svg_(self) -> str | None:
        """Jupyter shows a series as a chart (a table repr above 2000 points)."""
        return self.to_svg() if 0 < len(self) <= 2000 else None

    # ---- time-series operations ------------------------------------------------------------
    def _runs(self) -> list[list[K]]:
        """Keys grouped into the sequences the time-series operations run along."""
        keys = list(self._data)
        if not keys or not all(isinstance(k, tuple) for k in keys):
            return [keys]
        first = cast(tuple[Any, ...], keys[0])
        at = next((i for i, p in enumerate(first) if isinstance(p, Period)), None)
        if at is None:
            return [keys]
        groups: dict[tuple[Any, ...], list[K]] = {}
        for k in keys:
            t = cast(tuple[Any, ...], k)
            groups.setdefault(t[:at] + t[at + 1 :], []).append(k)
        return [
            sorted(g, key=lambda k: key_order(cast(tuple[Any, ...], k)[at]))
            for g in groups.values()
        ]

    def _along(self, fn: Callable[[list[V]], list[Any]], **changes: Any) -> Series[K, Any]:
        out: dict[K, Any] = {}
        for run in self._runs():
            for k, v in zip(run, fn([self._data[k] for k in run]), strict=True):
                out[k] = v
        return cast("Series[K, Any]", self._like({k: out[k] for k in self._data}, **changes))

    def cumulative(self) -> Series[K, V]:
        """Running totals along time (``None`` values add nothing). Quantities keep bounds.

        >>> list(Series({"a": 1, "b": None, "c": 2}).cumulative().values())
        [1, 1, 3]
        """

        def run(values: list[V]) -> list[Any]:
            total: Any = None
            out = []
            for v in values:
                if v is not None:
                    if isinstance(v, bool) or not isinstance(v, int | float | Quantity):
                        _number(v, "cumulative()")
                    total = v if total is None else total + v
                out.append(total)
            return out

        return self._along(run, name=f"cumulative {self.name}")

    def diff(self, initial: float | None = 0) -> Series[K, float]:
        """Change from the previous value; the first is taken from ``initial``.

        With the default ``initial=0`` the first value is kept, so
        ``s.cumulative().diff() == s``; ``initial=None`` gives ``None`` there. Quantities are
        differenced by their best estimates. ``None`` on either side gives ``None``.

        >>> list(Series({"a": 3, "b": 5, "c": 4}).diff(initial=None).values())
        [None, 2, -1]
        """

        def run(values: list[V]) -> list[Any]:
            out: list[Any] = []
            prev: Any = initial
            for v in values:
                x: Any = v
                if not isinstance(v, int | float) or isinstance(v, bool):
                    x = _number(v, "diff()")
                out.append(None if x is None or prev is None else x - prev)
                prev = x
            return out

        return self._along(run, name=f"change in {self.name}", unit=self.unit)

    def pct_change(self) -> Series[K, float | None]:
        """Relative change from the previous value, as a fraction (0.25 is +25 %, -0.5 a
        halving; the name follows pandas); ``None`` where undefined. The result is named
        "relative change in ...", not "% change", since its values are not percentages.

        >>> s = Series({"a": 4, "b": 5, "c": 0, "d": 1}, name="count").pct_change()
        >>> list(s.values()), s.name
        ([None, 0.25, -1.0, None], 'relative change in count')
        """

        def run(values: list[V]) -> list[Any]:
            out: list[Any] = []
            prev: float | None = None
            for v in values:
                x = _number(v, "pct_change()")
                ok = x is not None and prev is not None and prev != 0
                out.append((cast(float, x) - cast(float, prev)) / cast(float, prev) if ok else None)
                prev = x
            return out

        return self._along(run, name=f"relative change in {self.name}", unit=None)

    def rolling(self, window: int, fn: RollingFn = "mean") -> Series[K, float | None]:
        """``fn`` over each window of ``window`` consecutive values ending at each key.

        ``fn`` is ``"mean"``, ``"sum"``, ``"min"``, ``"max"``, ``"median"`` or a function of a
        list of floats. The first ``window - 1`` keys (and windows holding ``None``) get None.

        >>> list(Series({"a": 1, "b": 2, "c": 6, "d": 1}).rolling(3, "mean").values())
        [None, None, 3.0, 3.0]
        """
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise InvalidArgument(f"rolling window must be a positive integer, not {window!r}")
        if callable(fn):
            func = fn
            label = getattr(fn, "__name__", "fn")
        elif fn in _ROLLING:
            func, label = _ROLLING[fn], fn
        else:
            raise InvalidArgument(
                f"rolling fn {fn!r} is not one of {', '.join(_ROLLING)} or a function"
            )

        def run(values: list[V]) -> list[Any]:
            xs = [_number(v, "rolling()") for v in values]
            out: list[Any] = []
            for i in range(len(xs)):
                win = xs[i - window + 1 : i + 1] if i >= window - 1 else None
                if win is None or any(x is None for x in win):
                    out.append(None)
                else:
                    out.append(func(cast(list[float], win)))
            return out

        return self._along(run, name=f"rolling {label} of {self.name} ({window})")

    # ---- comparisons -----------------------------------------------------------------------
    def growth(self, a: object, b: object, *, compound: bool = False) -> float:
        """The growth rate from key ``a`` to key ``b``: ``s[b] / s[a] - 1`` (best estimates).

        A rate, not a factor: 0.728 is +72.8 %, so the factor ("×1.728") is ``growth + 1``; a
        halving is -0.5. The same convention as :meth:`pct_change`, which gives this rate
        between neighbours. With ``compound=True`` and period keys, the average rate per
        period step (``(s[b] / s[a]) ** (1 / steps) - 1``), e.g. the annual growth rate.

        >>> s = Series({Period.parse("2022"): 100.0, Period.parse("2025"): 172.8})
        >>> round(s.growth("2022", "2025"), 3), round(s.growth("2022", "2025", compound=True), 3)
        (0.728, 0.2)
        """
        ka, kb = self._key(a), self._key(b)
        va, vb = _number(self._data[ka], "growth()"), _number(self._data[kb], "growth()")
        if va is None or vb is None:
            raise InvalidArgument(f"growth from {a!r} to {b!r} is undefined: a value is missing")
        if va == 0:
            raise InvalidArgument(
                f"growth from {a!r} to {b!r} is undefined: the value at {a!r} is 0"
            )
        ratio = vb / va
        if not compound:
            return ratio - 1
        if not (isinstance(ka, Period) and isinstance(kb, Period) and ka.unit == kb.unit):
            raise InvalidArgument(
                f"compound growth needs two periods of one unit, not {ka!r} and {kb!r}"
            )
        steps = kb.index - ka.index
        if steps == 0:
            raise InvalidArgument(f"compound growth from {a!r} to itself is undefined")
        if ratio < 0:
            raise InvalidArgument(f"compound growth from {a!r} to {b!r} is undefined (sign change)")
        return float(ratio ** (1 / steps) - 1)

    def normalize(
        self, by: Literal["total", "max", "first"] | Mapping[Any, Any] | float = "total"
    ) -> Series[K, float | None]:
        """Values divided by a denominator (``None`` where it is missing or zero).

        ``by="total"`` gives shares of the sum, ``"max"`` scales the largest to 1, ``"first"``
        indexes to the first value; a number divides every value; a mapping (such as another
        Series, e.g. all events per month) divides each value by the entry for its key or, for
        tuple keys, for the first part of the key that the mapping has (its period, say).

        >>> Series({"a": 1, "b": 3}).normalize().to_dict()
        {'a': 0.25, 'b': 0.75}
        >>> dyads = Series({("X", Period.parse("2024")): 2, ("Y", Period.parse("2024")): 6})
        >>> dyads.normalize(Series({Period.parse("2024"): 8})).to_dict()[("Y", Period.parse("2024"))]
        0.75
        """
        xs = {k: _number(v, "normalize()") for k, v in self._data.items()}
        present = [x for x in xs.values() if x is not None]

        def lookup(k: Any) -> float | None:
            m = cast(Mapping[Any, Any], by)
            if k in m:
                return _number(m[k], "normalize()")
            if isinstance(k, tuple):
                for part in k:
                    try:
                        if part in m:
                            return _number(m[part], "normalize()")
                    except TypeError:
                        continue
            return None

        if isinstance(by, Mapping):
            denoms = {k: lookup(k) for k in xs}
        else:
            if by == "total":
                d: float | None = math.fsum(present)
            elif by == "max":
                d = max(present, default=None)
            elif by == "first":
                d = next(iter(xs.values()), None)
            elif isinstance(by, int | float) and not isinstance(by, bool):
                d = float(by)
            else:
                raise InvalidArgument(
                    f"normalize by {by!r}: expected 'total', 'max', 'first', a number or a mapping"
                )
            denoms = dict.fromkeys(xs, d)
        out = {
            k: (x / denoms[k] if x is not None and denoms[k] else None)  # type: ignore[operator]
            for k, x in xs.items()
        }
        return cast(
            "Series[K, float | None]", self._like(out, name=f"{self.name} (normalized)", unit=None)
        )

    def top(self, n: int = 10) -> Series[K, V]:
        """The ``n`` largest values, largest first (ties keep series order; ``None`` skipped).

        >>> Series({"a": 1, "b": 3, "c": 2}).top(2).to_dict()
        {'b': 3, 'c': 2}
        """
        ranked = [
            (x, i, k)
            for i, (k, v) in enumerate(self._data.items())
            if (x := _number(v, "top()")) is not None
        ]
        ranked.sort(key=lambda t: (-t[0], t[1]))
        return cast("Series[K, V]", self._like((k, self._data[k]) for _, _, k in ranked[:n]))

    def split(self, level: int | str = 0) -> FrozenMap[Any, Series[Any, V]]:
        """Split a tuple-keyed series by one key part: part value → sub-series of the rest.

        ``level`` is the part's position or its name in :attr:`key_names`.

        >>> s = Series({("RUS", "2023"): 1, ("RUS", "2024"): 2, ("PRK", "2024"): 5},
        ...            key_names=("actor", "year"))
        >>> {k: v.to_dict() for k, v in s.split(0).items()}
        {'PRK': {'2024': 5}, 'RUS': {'2023': 1, '2024': 2}}
        >>> s.split("actor") == s.split(0)
        True
        """
        level = self._level(level)
        out: dict[Any, list[tuple[Any, V]]] = {}
        for k, v in self._data.items():
            if not isinstance(k, tuple) or not -len(k) <= level < len(k):
                raise InvalidArgument(
                    f"split(level={level}) needs tuple keys with that part, not {k!r}"
                )
            rest = k[:level] + k[level + 1 :] if level >= 0 else k[:level] + k[len(k) + level + 1 :]
            out.setdefault(k[level], []).append((rest[0] if len(rest) == 1 else rest, v))
        names = list(self.key_names)
        if -len(names) <= level < len(names):
            del names[level]
        return FrozenMap(
            {part: self._like(items, key_names=tuple(names)) for part, items in out.items()}
        )

    def _level(self, level: object) -> int:
        """The key part ``level`` names: a position, or a name of :attr:`key_names`."""
        if isinstance(level, str):
            if level in self.key_names:
                return self.key_names.index(level)
            raise InvalidArgument(
                f"level {level!r} is not a key part of this series; its key parts are "
                f"{', '.join(map(repr, self.key_names))}"
            )
        if isinstance(level, int) and not isinstance(level, bool):
            return level
        raise InvalidArgument(f"level must be a position or a key name, not {level!r}")

    # ---- interchange -----------------------------------------------------------------------
    def to_pandas(self, *, bounds: bool = False) -> Any:
        """A ``pandas.Series`` (needs the ``pandas`` extra: ``pip install relations[pandas]``).

        Period keys become a ``PeriodIndex`` where pandas has the unit (day, week, month,
        quarter, year); decades and centuries become text. Tuple keys become a MultiIndex.
        Quantities become their best estimates; ``bounds=True`` returns a DataFrame with
        ``estimate``, ``lower`` and ``upper`` columns instead.

        >>> s = Series({Period.parse("2024-01"): 2, Period.parse("2024-02"): 5}, name="count")
        >>> s.to_pandas().to_dict()  # doctest: +SKIP
        {Period('2024-01', 'M'): 2, Period('2024-02', 'M'): 5}
        """
        try:
            import pandas as pd
        except ImportError:
            raise MissingDependency(
                "Series.to_pandas() needs pandas; install it with: pip install 'relations[pandas]'"
            ) from None
        keys = list(self._data)
        index: Any
        if keys and all(isinstance(k, tuple) for k in keys):
            width = len(cast(tuple[Any, ...], keys[0]))
            levels = [
                _pandas_level(pd, [cast(tuple[Any, ...], k)[i] for k in keys]) for i in range(width)
            ]
            index = pd.MultiIndex.from_arrays(levels, names=list(self.key_names)[:width] or None)
        else:
            index = _pandas_level(pd, keys)
            index.name = self.key_names[0] if self.key_names else None
        values = list(self._data.values())

        def est(v: object) -> Any:
            if isinstance(v, Quantity):
                return float(v)
            return v

        if not bounds:
            return pd.Series([est(v) for v in values], index=index, name=self.name)

        def lower(v: object) -> Any:
            return float(v.lower) if isinstance(v, Quantity) else v

        def upper(v: object) -> Any:
            if isinstance(v, Quantity):
                return math.nan if v.upper is None else float(v.upper)
            return v

        return pd.DataFrame(
            {
                "estimate": [est(v) for v in values],
                "lower": [lower(v) for v in values],
                "upper": [upper(v) for v in values],
            },
            index=index,
        )


_PANDAS_FREQ = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q-DEC", "year": "Y-DEC"}


def _pandas_level(pd: Any, parts: list[Any]) -> Any:
    """One index level: a PeriodIndex for periods pandas knows, else plain values."""
    if parts and all(isinstance(p, Period) for p in parts):
        units = {p.unit for p in parts}
        known = len(units) == 1 and (u := units.pop()) in _PANDAS_FREQ
        if known and all(p.lo >= 1 and p.hi <= 3652059 for p in parts):
            freq = _PANDAS_FREQ[u]
            return pd.PeriodIndex([pd.Period(p.start.isoformat(), freq=freq) for p in parts])
        return pd.Index([str(p) for p in parts])
    if any(isinstance(p, tuple) for p in parts):
        return pd.Index([format_key(p) for p in parts])
    return pd.Index(parts)


def _as_period_key(key: object) -> object | None:
    """``key`` with period text, or an int year, replaced by Periods (None if nothing changes)."""
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)  # s[2024] is s["2024"]
    if isinstance(key, str):
        try:
            return Period.parse(key)
        except ValueError:
            return None
    if isinstance(key, tuple):
        changed = False
        parts = []
        for p in key:
            q = _as_period_key(p) if isinstance(p, str | int) else None
            changed = changed or q is not None
            parts.append(q if q is not None else p)
        return tuple(parts) if changed else None
    return None
