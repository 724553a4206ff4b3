"""Series as self-contained SVG charts: bars or a line, with honest bounds; no dependencies.

A value that is a :class:`~relations.Quantity` with bounds (``at least 11 000``, ``3.8 to 4.2
million``) is drawn at its best estimate with a whisker over its bounds (an arrow where the
bound is open), its value label above the whisker; a missing value (``None``) leaves a gap
rather than a false zero. Periods with no events are shown (zero for a count, a gap
otherwise), so that 2020 never sits next to 2022. A value that is approximate or bounded, or
whose status is given as claimed, estimated or disputed, is drawn hollow and dashed, with a
legend. Keys are written as the series writes them (``2024-06``, ``PRK–RUS``), and the
chart's notes say in plain English how imprecise dates were placed and what was not counted.

>>> svg = series_to_svg({"2022": 3.8, "2023": 34.4, "2024": 34.0}, title="Trade (USD m)")
>>> import xml.etree.ElementTree as ET
>>> root = ET.fromstring(svg)
>>> len([g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "rl-bar"])
3
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any, Literal

from relations.errors import InvalidArgument
from relations.periods import Period
from relations.render._common import PALETTE, esc, text_width, wrap_text
from relations.render.svg import FONT, INK, MUTED
from relations.render.text import format_value, key_text, series_items

__all__ = ["fill_periods", "nice_ticks", "series_notes", "series_to_svg"]

_HEDGED = ("claimed", "estimated", "disputed")
# the least established status first: it decides how a value of mixed provenance is drawn
_RANK = {"disputed": -4, "claimed": -3, "estimated": -2, "reported": -1, "confirmed": 0}
MAX_FILL = 1000  # a series is filled only up to this many periods


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values covering ``[lo, hi]`` (steps of 1, 2 or 5 × 10ⁿ).

    >>> nice_ticks(0, 52.9)
    [0.0, 20.0, 40.0, 60.0]
    >>> nice_ticks(0, 52.9, 10)
    [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
    >>> nice_ticks(-3, 4, 4)
    [-4.0, -2.0, 0.0, 2.0, 4.0]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    out = []
    v = first
    while v < hi + step * 0.999:
        out.append(round(v / step) * step)
        v += step
    return [float(f"{x:.12g}") for x in out]


def _tick_text(v: float) -> str:
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:g}B"
    if a >= 1e6:
        return f"{v / 1e6:g}M"
    if a >= 1e4:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def _bounds(v: object) -> tuple[float | None, float | None, float | None]:
    """(estimate, lower, upper) of a value; None where undefined or unbounded."""
    if v is None or isinstance(v, bool):
        return None, None, None
    try:
        est = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None, None, None
    if not math.isfinite(est):
        return None, None, None
    lower = getattr(v, "lower", None)
    upper = getattr(v, "upper", None)
    lo = float(lower) if isinstance(lower, int | float) else None
    hi = float(upper) if isinstance(upper, int | float) else None
    return est, lo, hi


def fill_periods(items: list[tuple[object, object]], value: object) -> list[tuple[object, object]]:
    """The items with every missing period between the first and the last added with
    ``value``, when the keys are periods of one unit (else the items unchanged).

    >>> [(str(k), v) for k, v in fill_periods([(Period.parse("2020"), 1),
    ...                                         (Period.parse("2022"), 4)], 0)]
    [('2020', 1), ('2021', 0), ('2022', 4)]
    """
    keys = [k for k, _ in items]
    if len(keys) < 2 or not all(isinstance(k, Period) for k in keys):
        return items
    units = {k.unit for k in keys if isinstance(k, Period)}
    if len(units) != 1:
        return items
    have = dict(items)
    first, last = min(keys), max(keys)  # type: ignore[type-var]
    out: list[tuple[object, object]] = []
    p: Any = first
    while p <= last:
        out.append((p, have.get(p, value)))
        if len(out) > MAX_FILL:
            return items
        p = p.next()
    return out


def _unit_word(series: object) -> str:
    names: Any = getattr(series, "key_names", ())
    for n in reversed(names if isinstance(names, tuple) else ()):
        if n in ("day", "week", "month", "quarter", "year", "decade", "century"):
            return str(n)
    return "period"


def _plural(k: int, word: str) -> str:
    return f"{k} {word}{'s' if k != 1 else ''}"


def series_notes(series: object, *, filled: int = 0, fill_value: object = None) -> list[str]:
    """What a reader of a series chart needs to know, in plain English: how imprecise dates
    were placed, what was not counted, and how empty periods are shown.

    >>> from relations import timeline
    >>> notes = series_notes(timeline.load("russia-north-korea").count(by="year"))
    >>> notes[0]
    'Each event is counted in the year that holds every day it may fall on.'
    >>> notes[1]  # doctest: +ELLIPSIS
    '24 events with dates too imprecise to place by year are not counted.'
    """
    unit = _unit_word(series)
    policy: Any = getattr(series, "policy", None)
    notes: list[str] = []
    how = {
        "contained": f"Each event is counted in the {unit} that holds every day it may fall on.",
        "earliest": f"Each event is counted in the {unit} of its earliest possible day.",
        "latest": f"Each event is counted in the {unit} of its latest possible day.",
        "spread": f"An event with an imprecise date is spread over the {unit}s it may fall in, "
        "in proportion to its possible days.",
        "overlap": f"An event is counted in every {unit} it may fall in, so the counts add up "
        "to more than the number of events.",
    }
    if isinstance(policy, str) and policy:
        notes.append(how.get(policy, f"Imprecise dates are placed by the policy {policy!r}."))
    unplaced: Any = getattr(series, "unplaced", None)
    try:
        k = len(unplaced) if unplaced is not None else 0
    except TypeError:  # pragma: no cover - a Series' unplaced is a Timeline
        k = 0
    if k:
        if policy == "contained":
            notes.append(
                f"{_plural(k, 'event')} with dates too imprecise to place by {unit} "
                f"{'are' if k != 1 else 'is'} not counted."
            )
        else:
            notes.append(
                f"{_plural(k, 'event')} could not be placed and {'are' if k != 1 else 'is'} "
                "not counted."
            )
    missing: Any = getattr(series, "missing", 0)
    if isinstance(missing, int) and missing:
        notes.append(
            f"{_plural(missing, 'event')} without a value {'are' if missing != 1 else 'is'} "
            "not included."
        )
    if filled:
        shown = "as zero" if fill_value == 0 else "as a gap"
        notes.append(
            f"{_plural(filled, unit)} with no events {'are' if filled != 1 else 'is'} shown {shown}."
        )
    return notes


def _status(value: object, given: str | Collection[str] | None) -> str:
    """The status a bar is drawn with: the one given, else "estimated" for an approximate
    or bounded quantity, else "" (a figure as reported). Given the statuses of the events
    behind a value (an aggregate's ``series.statuses``), the least established one."""
    if given and not isinstance(given, str):
        given = min(given, key=lambda s: (_RANK.get(s, 1), str(s)))
    if given:
        return str(given)
    if getattr(value, "is_exact", True) is False:
        return "estimated"
    return ""


def series_to_svg(
    series: object,
    *,
    kind: Literal["auto", "bar", "line"] = "auto",
    title: str | None = None,
    width: int = 800,
    height: int = 360,
    color: str = PALETTE[0],
    fill: bool = True,
    statuses: Mapping[object, str] | None = None,
) -> str:
    """Draw a series (or any mapping of key → number) as an SVG bar or line chart.

    Args:
        series: a :class:`~relations.series.Series` or a mapping, drawn in its order.
        kind: ``"bar"``, ``"line"``, or ``"auto"`` (a line for more than 40 points).
        title: default: the series' name, unit and keys ("count by year").
        width, height: in pixels.
        color: the marks' colour.
        fill: show the periods missing between the first and the last (zero for a count, a
            gap for other values); ``False`` draws only the keys the series has.
        statuses: key → status (``"claimed"``, ``"estimated"``, ``"disputed"``, ...) of each
            value, drawn hollow and dashed when hedged. Default: the series' own
            ``statuses`` if it has them, and "estimated" for an approximate or bounded
            quantity.

    >>> svg = series_to_svg({"a": 1, "b": None, "<c>": 2}, kind="line")
    >>> "&lt;c&gt;" in svg and "<c>" not in svg
    True
    """
    items = series_items(series)
    if kind not in ("auto", "bar", "line"):
        raise InvalidArgument(f"kind={kind!r}: expected 'auto', 'bar' or 'line'")
    name: Any = getattr(series, "name", None)
    fill_value: object = 0 if name == "count" else None
    filled = 0
    if fill:
        before = len(items)
        items = fill_periods(items, fill_value)
        filled = len(items) - before
    if kind == "auto":
        kind = "line" if len(items) > 40 else "bar"
    width, height = max(320, int(width)), max(200, int(height))
    unit: Any = getattr(series, "unit", None)
    if title is None:
        title = str(name) if isinstance(name, str) and name else "Series"
        if isinstance(unit, str) and unit:
            title += f" ({unit})"
        names: Any = getattr(series, "key_names", ())
        if isinstance(names, tuple) and names and names != ("key",):
            title += " by " + " · ".join(str(n) for n in names)
    given: Any = statuses if statuses is not None else getattr(series, "statuses", None)
    if not isinstance(given, Mapping):
        given = {}
    keys = [key_text(series, k) for k, _ in items]
    vals = [_bounds(v) for _, v in items]
    texts = [format_value(v) for _, v in items]
    status = [_status(v, given.get(k)) for k, v in items]
    hedged = [st in _HEDGED for st in status]
    finite = [x for est, lo, hi in vals for x in (est, lo, hi) if x is not None]
    vmin = min([0.0, *finite])
    vmax = max([0.0, *finite])
    ticks = nice_ticks(vmin, vmax * 1.08 if vmax > 0 else vmax)
    y_lo, y_hi = ticks[0], ticks[-1]
    tick_w = max(text_width(_tick_text(t), 11) for t in ticks)
    left, right, top = 20 + tick_w + 8, width - 20, 52.0 + (18 if any(hedged) else 0)
    label_h = 18.0
    notes = series_notes(series, filled=filled, fill_value=fill_value)
    lines = [ln for t in notes for ln in wrap_text(t, width - 40)]
    bottom = height - 14 - label_h - 15 * len(lines)
    plot_w = right - left

    def y(v: float) -> float:
        return bottom - (v - y_lo) / (y_hi - y_lo or 1.0) * (bottom - top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="rl-series" '
        f'font-family="{esc(FONT)}"><title>{esc(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="20" y="28" font-size="16" font-weight="700" fill="{INK}">{esc(title)}</text>'
    ]
    if any(hedged):
        out.append(_status_legend(20.0, 50.0, color))
    for t in ticks:
        ty = y(t)
        stroke = "#9aa5b1" if t == 0 else "#e3e7ec"
        out.append(
            f'<line x1="{left:.1f}" y1="{ty:.1f}" x2="{right:.1f}" y2="{ty:.1f}" '
            f'stroke="{stroke}"/>'
            f'<text x="{left - 6:.1f}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{esc(_tick_text(t))}</text>'
        )
    n = len(items)
    slot = plot_w / max(n, 1)
    widest = max((text_width(k, 11) for k in keys), default=0.0)
    every = max(1, math.ceil((widest + 8) / max(slot, 1e-9)))
    points: list[tuple[float, float] | None] = []
    for i, (key, (est, lo, hi), text) in enumerate(zip(keys, vals, texts, strict=True)):
        cx = left + slot * (i + 0.5)
        st = status[i]
        tip = f"{key}: {text}" + (f" ({st})" if st else "")
        out.append(
            f'<g class="rl-bar" data-key="{esc(key)}" data-status="{esc(st or "reported")}">'
            f"<title>{esc(tip)}</title>"
        )
        dash = ' stroke-dasharray="4 2"' if hedged[i] else ""
        if est is not None and kind == "bar":
            bw = max(1.0, slot * 0.72)
            y0, y1 = sorted((y(0.0), y(est)))
            if hedged[i]:
                out.append(
                    f'<rect x="{cx - bw / 2:.1f}" y="{y0:.1f}" width="{bw:.1f}" '
                    f'height="{max(y1 - y0, 0.5):.1f}" rx="1.5" fill="{color}" '
                    f'fill-opacity="0.2" stroke="{color}" stroke-width="1.5"{dash}/>'
                )
            else:
                out.append(
                    f'<rect x="{cx - bw / 2:.1f}" y="{y0:.1f}" width="{bw:.1f}" '
                    f'height="{max(y1 - y0, 0.5):.1f}" rx="1.5" fill="{color}"/>'
                )
        if est is not None and kind == "line":
            r = 3.5 if n <= 80 else 1.5
            fill_c = "#ffffff" if hedged[i] else color
            out.append(
                f'<circle cx="{cx:.1f}" cy="{y(est):.1f}" r="{r}" fill="{fill_c}" '
                f'stroke="{color}" stroke-width="1.5"{dash}/>'
            )
        label_top = y(est) if est is not None else bottom
        if est is not None and (lo is not None or hi is not None) and lo != hi:
            a = y(lo if lo is not None else min(0.0, est))
            if hi is not None:
                b = y(hi)
                cap = f" M{cx - 4:.1f} {b:.1f} H{cx + 4:.1f}"
            else:  # an open upper bound: an arrow up, not a whisker to the top of the chart
                b = y(est) - 22
                cap = f" M{cx - 4:.1f} {b + 6:.1f} L{cx:.1f} {b:.1f} L{cx + 4:.1f} {b + 6:.1f}"
            out.append(
                f'<path d="M{cx:.1f} {a:.1f} V{b:.1f} M{cx - 4:.1f} {a:.1f} H{cx + 4:.1f}'
                + cap
                + f'" stroke="{INK}" stroke-width="1.2" fill="none"/>'
            )
            label_top = min(label_top, b)
        if est is not None and kind == "bar" and n <= 24 and slot >= text_width(text, 10) + 4:
            ty = label_top - 5 if est >= 0 else y(est) + 13
            style = ' font-style="italic"' if hedged[i] else ""
            out.append(
                f'<text x="{cx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="10" '
                f'fill="{MUTED}"{style}>{esc(text)}</text>'
            )
        if i % every == 0:
            out.append(
                f'<text x="{cx:.1f}" y="{bottom + 15:.1f}" text-anchor="middle" '
                f'font-size="11" fill="{MUTED}">{esc(key)}</text>'
            )
        out.append("</g>")
        points.append((cx, y(est)) if est is not None else None)
    if kind == "line":
        run: list[str] = []
        for p in [*points, None]:
            if p is not None:
                run.append(f"{p[0]:.1f},{p[1]:.1f}")
                continue
            if len(run) > 1:
                out.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{color}" '
                    f'stroke-width="2" stroke-linejoin="round"/>'
                )
            run = []
    if not items:
        out.append(
            f'<text x="{(left + right) / 2:.1f}" y="{(top + bottom) / 2:.1f}" '
            f'text-anchor="middle" font-size="13" fill="{MUTED}">empty series</text>'
        )
    for j, line in enumerate(lines):
        ny = bottom + label_h + 14 + 15 * j
        out.append(
            f'<text x="20" y="{ny:.1f}" font-size="11" fill="{MUTED}" class="rl-note">'
            f"{esc(line)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _status_legend(x: float, y: float, color: str) -> str:
    """Solid for a figure as reported; hollow and dashed for an estimate, claim or dispute."""
    return (
        f'<g class="rl-legend" font-size="11" fill="{INK}">'
        f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="10" fill="{color}"/>'
        f'<text x="{x + 17:.1f}" y="{y:.1f}">figure as reported</text>'
        f'<rect x="{x + 130:.1f}" y="{y - 9:.1f}" width="12" height="10" fill="{color}" '
        f'fill-opacity="0.2" stroke="{color}" stroke-width="1.5" stroke-dasharray="4 2"/>'
        f'<text x="{x + 147:.1f}" y="{y:.1f}">estimate, claim or disputed (approximate or '
        f"bounded)</text></g>"
    )
