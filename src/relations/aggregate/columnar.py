"""The columns aggregation reads instead of events: :class:`KeyColumn` and :class:`ValueColumn`.

A timeline gives them through :class:`~relations.aggregate.protocol.EventColumns`
(``key_column``, ``quantity_column``, ``measure_column``): a timeline held as Arrow columns
computes them with array operations, one held as events with the ``*_from_events`` functions
here (once, memoised). Numbers keep their Python types: a column is ``int64`` when every value
is an integer, ``float64`` when every value is a float, else an ``object`` array of the values
themselves, so the totals (exact integer sums or ``math.fsum``) are the ones the events give.

>>> from relations import Event, Quantity
>>> es = [Event("2024", "trade.volume", ["RUS", "PRK"], "a", quantities={"usd": 5}),
...       Event("2024", "diplomacy", ["RUS"], "b")]
>>> kc = key_column_from_events(es, "actor")
>>> kc.keys, kc.codes.tolist()
([('RUS', 'PRK'), ('RUS',)], [0, 1])
>>> qc = quantity_column_from_events(es, "usd")
>>> qc.present.tolist(), qc.value.tolist(), qc.units
([True, False], [5, 0], ['count'])
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from relations.keys import key_function

if TYPE_CHECKING:
    from relations.events import Event

__all__ = [
    "KeyColumn",
    "ValueColumn",
    "key_column_from_events",
    "measure_column_from_events",
    "numbers",
    "quantity_column_from_events",
]

Array = np.ndarray[Any, Any]


class KeyColumn:
    """Each event's keys under one name: distinct key tuples ``keys`` and, per position, the
    index of its tuple in ``codes`` (``int64``). Keys within a tuple are distinct."""

    __slots__ = ("codes", "keys")

    def __init__(self, keys: list[tuple[Hashable, ...]], codes: Array) -> None:
        self.keys = keys
        self.codes = codes

    def take(self, positions: Array) -> KeyColumn:
        """The column of the events at ``positions``."""
        return KeyColumn(self.keys, self.codes[positions])


class ValueColumn:
    """Per position, one quantity (or measure) of each event, as parallel arrays.

    ``present``: the event has it; ``value``/``low``/``high`` (0 where absent) with
    ``value_ok``/``low_ok``/``high_ok``; ``approximate``; ``units`` and ``unit_codes`` (the
    index of each present row's unit; -1 where absent). A measure has ``value`` and
    ``present`` only (its other arrays are empty)."""

    __slots__ = (
        "approximate",
        "high",
        "high_ok",
        "low",
        "low_ok",
        "present",
        "unit_codes",
        "units",
        "value",
        "value_ok",
    )

    def __init__(
        self,
        present: Array,
        value: Array,
        value_ok: Array | None = None,
        low: Array | None = None,
        low_ok: Array | None = None,
        high: Array | None = None,
        high_ok: Array | None = None,
        approximate: Array | None = None,
        units: list[str] | None = None,
        unit_codes: Array | None = None,
    ) -> None:
        empty = np.zeros(0, dtype=bool)
        self.present = present
        self.value = value
        self.value_ok = present if value_ok is None else value_ok
        self.low = empty if low is None else low
        self.low_ok = empty if low_ok is None else low_ok
        self.high = empty if high is None else high
        self.high_ok = empty if high_ok is None else high_ok
        self.approximate = empty if approximate is None else approximate
        self.units = [] if units is None else units
        self.unit_codes = np.zeros(0, dtype=np.int64) if unit_codes is None else unit_codes

    @property
    def is_measure(self) -> bool:
        return len(self.unit_codes) != len(self.present)

    def take(self, positions: Array) -> ValueColumn:
        """The column of the events at ``positions``."""
        if self.is_measure:
            return ValueColumn(self.present[positions], self.value[positions])
        return ValueColumn(
            self.present[positions],
            self.value[positions],
            self.value_ok[positions],
            self.low[positions],
            self.low_ok[positions],
            self.high[positions],
            self.high_ok[positions],
            self.approximate[positions],
            self.units,
            self.unit_codes[positions],
        )


def numbers(values: Sequence[Any]) -> Array:
    """An array of Python numbers that reads back as the same numbers (types included):
    ``int64`` if all are ints that fit, ``float64`` if all are floats, else ``object``.

    >>> numbers([1, 2]).dtype, numbers([1.5, 2.0]).dtype, numbers([1, 2.0]).dtype
    (dtype('int64'), dtype('float64'), dtype('O'))
    >>> numbers([2**70]).dtype
    dtype('O')
    """
    types = set(map(type, values))
    if types <= {int}:
        try:
            return np.array(values, dtype=np.int64)
        except OverflowError:
            pass
    elif types == {float}:
        return np.array(values, dtype=np.float64)
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def key_column_from_events(events: Sequence[Event], name: str) -> KeyColumn:
    """The key column of ``name`` (a key name of :mod:`relations.keys` or ``kind:N``)."""
    fn = cast(tuple[Any, Any], key_function(name))[0]
    index: dict[tuple[Hashable, ...], int] = {}
    codes = np.empty(len(events), dtype=np.int64)
    for p, e in enumerate(events):
        k = tuple(dict.fromkeys(fn(e)))
        c = index.get(k)
        if c is None:
            c = index[k] = len(index)
        codes[p] = c
    return KeyColumn(list(index), codes)


def _scatter(n: int, where: list[int], values: list[Any]) -> Array:
    """An array of ``n`` zeros with ``values`` at ``where`` (typed by ``values`` alone)."""
    typed = numbers(values)
    out = np.zeros(n, dtype=typed.dtype)
    out[where] = typed
    return out


def quantity_column_from_events(events: Sequence[Event], name: str) -> ValueColumn:
    """The quantity ``name`` of each event."""
    n = len(events)
    present = np.zeros(n, dtype=bool)
    approx = np.zeros(n, dtype=bool)
    unit_codes = np.full(n, -1, dtype=np.int64)
    parts: dict[str, tuple[list[int], list[Any]]] = {k: ([], []) for k in ("v", "l", "h")}
    units: dict[str, int] = {}
    for p, e in enumerate(events):
        q = e.quantities.get(name) if e.quantities else None
        if q is None:
            continue
        present[p] = True
        for k, x in (("v", q.value), ("l", q.low), ("h", q.high)):
            if x is not None:
                parts[k][0].append(p)
                parts[k][1].append(x)
        approx[p] = q.approximate
        u = units.get(q.unit)
        if u is None:
            u = units[q.unit] = len(units)
        unit_codes[p] = u
    arrays = {}
    for k, (where, vals) in parts.items():
        ok = np.zeros(n, dtype=bool)
        ok[where] = True
        arrays[k] = (_scatter(n, where, vals), ok)
    return ValueColumn(
        present,
        arrays["v"][0],
        arrays["v"][1],
        arrays["l"][0],
        arrays["l"][1],
        arrays["h"][0],
        arrays["h"][1],
        approx,
        list(units),
        unit_codes,
    )


def measure_column_from_events(events: Sequence[Event], name: str) -> ValueColumn:
    """The measure ``name`` of each event."""
    where: list[int] = []
    vals: list[Any] = []
    for p, e in enumerate(events):
        v = e.measures.get(name) if e.measures else None
        if v is not None:
            where.append(p)
            vals.append(v)
    present = np.zeros(len(events), dtype=bool)
    present[where] = True
    return ValueColumn(present, _scatter(len(events), where, vals))
