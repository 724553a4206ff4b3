"""Series as self-contained SVG charts: bars or a line, with honest bounds; no dependencies.

A value that is a :class:`~relations.Quantity` with bounds (``at least 11 000``, ``3.8 to 4.2
million``) is drawn at its best estimate with a whisker over its bounds; a missing value
(``None``) leaves a gap rather than a false zero. Keys are written as the series writes them
(``2024-06``, ``PRK–RUS``), and the chart's footnote says how imprecise dates were placed and
how many events could not be placed.

>>> svg = series_to_svg({"2022": 3.8, "2023": 34.4, "2024": 34.0}, title="Trade (USD m)")
>>> import xml.etree.ElementTree as ET
>>> root = ET.fromstring(svg)
>>> len([g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "rl-bar"])
3
"""

from __future__ import annotations

import math
from typing import Any, Literal

from relations.errors import InvalidArgument
from relations.render._common import PALETTE, esc, text_width
from relations.render.svg import FONT, INK, MUTED
from relations.render.text import format_value, key_text, series_items, series_notes

__all__ = ["nice_ticks", "series_to_svg"]


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


def series_to_svg(
    series: object,
    *,
    kind: Literal["auto", "bar", "line"] = "auto",
    title: str | None = None,
    width: int = 800,
    height: int = 360,
    color: str = PALETTE[0],
) -> str:
    """Draw a series (or any mapping of key → number) as an SVG bar or line chart.

    Args:
        series: a :class:`~relations.series.Series` or a mapping, drawn in its order.
        kind: ``"bar"``, ``"line"``, or ``"auto"`` (a line for more than 40 points).
        title: default: the series' name, unit and keys ("count by year").
        width, height: in pixels.
        color: the marks' colour.

    >>> svg = series_to_svg({"a": 1, "b": None, "<c>": 2}, kind="line")
    >>> "&lt;c&gt;" in svg and "<c>" not in svg
    True
    """
    items = series_items(series)
    if kind not in ("auto", "bar", "line"):
        raise InvalidArgument(f"kind={kind!r}: expected 'auto', 'bar' or 'line'")
    if kind == "auto":
        kind = "line" if len(items) > 40 else "bar"
    width, height = max(320, int(width)), max(200, int(height))
    name: Any = getattr(series, "name", None)
    unit: Any = getattr(series, "unit", None)
    if title is None:
        title = str(name) if isinstance(name, str) and name else "Series"
        if isinstance(unit, str) and unit:
            title += f" ({unit})"
        names: Any = getattr(series, "key_names", ())
        if isinstance(names, tuple) and names and names != ("key",):
            title += " by " + " · ".join(str(n) for n in names)
    keys = [key_text(series, k) for k, _ in items]
    vals = [_bounds(v) for _, v in items]
    texts = [format_value(v) for _, v in items]
    finite = [x for est, lo, hi in vals for x in (est, lo, hi) if x is not None]
    vmin = min([0.0, *finite])
    vmax = max([0.0, *finite])
    ticks = nice_ticks(vmin, vmax)
    y_lo, y_hi = ticks[0], ticks[-1]
    tick_w = max(text_width(_tick_text(t), 11) for t in ticks)
    left, right, top = 20 + tick_w + 8, width - 20, 52.0
    label_h = 18.0
    notes = series_notes(series)
    bottom = height - 28 - label_h - (16 if notes else 0)
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
        tip = f"{key}: {text}"
        out.append(f'<g class="rl-bar" data-key="{esc(key)}"><title>{esc(tip)}</title>')
        if est is not None and kind == "bar":
            bw = max(1.0, slot * 0.72)
            y0, y1 = sorted((y(0.0), y(est)))
            out.append(
                f'<rect x="{cx - bw / 2:.1f}" y="{y0:.1f}" width="{bw:.1f}" '
                f'height="{max(y1 - y0, 0.5):.1f}" rx="1.5" fill="{color}"/>'
            )
            if n <= 24 and slot >= text_width(text, 10) + 4:
                ty = y(est) - 5 if est >= 0 else y(est) + 13
                out.append(
                    f'<text x="{cx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="10" '
                    f'fill="{MUTED}">{esc(text)}</text>'
                )
        if est is not None and kind == "line":
            out.append(
                f'<circle cx="{cx:.1f}" cy="{y(est):.1f}" r="{3 if n <= 80 else 1.5}" '
                f'fill="{color}"/>'
            )
        if est is not None and (lo is not None or hi is not None) and lo != hi:
            a = y(lo if lo is not None else y_lo)
            b = y(hi if hi is not None else y_hi)
            out.append(
                f'<path d="M{cx:.1f} {a:.1f} V{b:.1f} M{cx - 4:.1f} {a:.1f} H{cx + 4:.1f}'
                + (f" M{cx - 4:.1f} {b:.1f} H{cx + 4:.1f}" if hi is not None else "")
                + f'" stroke="{INK}" stroke-width="1.2" fill="none"/>'
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
    if notes:
        out.append(
            f'<text x="20" y="{height - 12:.1f}" font-size="11" fill="{MUTED}">{esc(notes)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
