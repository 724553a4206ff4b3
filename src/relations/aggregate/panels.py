"""Panels: several aggregations side by side, one row per key (:func:`panel`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from relations.aggregate.engine import count, mean, score_mean, score_sum, sum
from relations.aggregate.grammar import By, Policy
from relations.errors import InvalidArgument
from relations.periods import Period
from relations.quantities import Quantity
from relations.series import Series, key_order

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["PanelValue", "panel"]

PanelValue = str | tuple[str, ...]
"""One column of :func:`panel`: ``"count"``, ``"score_sum"``, ``"score_mean"``,
``("sum", name)``, ``("mean", name)`` or ``("mean", name, weight)``."""


def _panel_series(
    tl: Timeline, column: str, spec: PanelValue, by: By, **options: Any
) -> Series[Any, Any]:
    parts = (spec,) if isinstance(spec, str) else tuple(spec)
    op, args = parts[0], parts[1:]
    if op == "count" and not args:
        return count(tl, by, **options)
    if op in ("score_sum", "score_mean") and not args:
        return (score_sum if op == "score_sum" else score_mean)(tl, by, **options)
    if op == "sum" and len(args) == 1:
        return sum(tl, args[0], by, **options)
    if op == "mean" and len(args) in (1, 2):
        return mean(tl, args[0], by, weight=args[1] if len(args) == 2 else None, **options)
    raise InvalidArgument(
        f"panel column {column!r}: {spec!r} is not one of 'count', 'score_sum', 'score_mean', "
        "('sum', name), ('mean', name), ('mean', name, weight)"
    )


def _panel_cell(v: Any) -> Any:
    if isinstance(v, Quantity):
        return float(v)
    return v


def _panel_key(v: Any) -> Any:
    if isinstance(v, Period):
        return str(v)
    if isinstance(v, tuple):
        return "-".join(str(x) for x in v)
    return v


def panel(
    tl: Timeline,
    by: By = ("dyad", "month"),
    values: Mapping[str, PanelValue] | None = None,
    *,
    fill: bool = True,
    to: Literal["pandas", "polars", "rows"] = "pandas",
    policy: Policy = "contained",
    start: object = None,
    end: object = None,
) -> Any:
    """A panel (one row per key, e.g. per dyad and month) of several aggregations, as a
    pandas or polars DataFrame (or a list of dicts with ``to="rows"``).

    ``values`` maps a column name to what it holds: ``"count"`` (the default, as
    ``{"events": "count"}``), ``"score_sum"``/``"score_mean"``, ``("sum", name)``,
    ``("mean", name)`` or ``("mean", name, weight)`` of a quantity or measure. The key columns
    are named after ``by`` (``dyad``, ``month``, ...): a period is its text (``2024-06``), a
    dyad its codes joined by ``-`` (``PRK-RUS``). With ``fill=True`` (the default) the panel
    is balanced: every key group has a row for every period from the timeline's first to its
    last (or ``start`` to ``end``), counts and sums 0 and means empty where nothing happened; quantities become their best estimate (``float(q)``), empty means ``None``
    (``NaN``/``null`` in the frame).

    >>> from relations import Event, timeline
    >>> tl = timeline.of(
    ...     Event("2024-01-05", "cameo", ["PRK", "RUS"], "a", measures={"goldstein": 4, "mentions": 3}),
    ...     Event("2024-03-09", "cameo", ["PRK", "RUS"], "b", measures={"goldstein": -2, "mentions": 1}))
    >>> for row in panel(tl, values={"n": "count", "g": ("mean", "goldstein", "mentions")}, to="rows"):
    ...     print(row)
    {'dyad': 'PRK-RUS', 'month': '2024-01', 'n': 1, 'g': 4.0}
    {'dyad': 'PRK-RUS', 'month': '2024-02', 'n': 0, 'g': None}
    {'dyad': 'PRK-RUS', 'month': '2024-03', 'n': 1, 'g': -2.0}
    """
    spec: Mapping[str, PanelValue] = values if values is not None else {"events": "count"}
    if not spec:
        raise InvalidArgument("panel: values must name at least one column")
    options: dict[str, Any] = {"policy": policy, "fill": fill, "start": start, "end": end}
    series = {c: _panel_series(tl, c, v, by, **options) for c, v in spec.items()}
    first = next(iter(series.values()))
    names = [str(n) for n in first.key_names]
    clash = set(names) & set(spec)
    if clash:
        raise InvalidArgument(f"panel: column name(s) {sorted(clash)!r} are also key names")
    keys: dict[Any, None] = {}
    for s in series.values():
        keys.update(dict.fromkeys(s))
    rows = []
    for key in sorted(keys, key=key_order):
        parts = key if len(names) > 1 else (key,)
        row = {n: _panel_key(k) for n, k in zip(names, parts, strict=True)}
        for c, s in series.items():
            row[c] = _panel_cell(s[key]) if key in s else None
        rows.append(row)
    if to == "rows":
        return rows
    columns = [*names, *spec]
    data = {c: [r[c] for r in rows] for c in columns}
    if to == "pandas":
        import pandas as pd

        return pd.DataFrame(data, columns=columns)
    if to == "polars":
        import polars as pl

        return pl.DataFrame(data, strict=False)
    raise InvalidArgument(f"panel: to={to!r}; expected 'pandas', 'polars' or 'rows'")
