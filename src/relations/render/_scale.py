"""The time axis of a chart: day ordinals to x, ticks that adapt to the span, axis cuts.

A scale maps day ordinals (day ``n`` covers ``[n, n + 1)``) to x positions. A *linear* scale
is one stretch; a *compact* scale cuts out long stretches in which no event starts or ends
(each cut is drawn as a narrow, hatched break, so the cut is visible) and gives each
remaining stretch room by both its length and its number of events. Ticks are chosen per
stretch from days to millennia, so that labels never crowd.

>>> from relations.when import ordinal
>>> s = build_scale([(ordinal(2024, 1, 1), ordinal(2024, 12, 31))], 0.0, 600.0, compact=False)
>>> [t.label for t in s.ticks()][:3]
['Jan', 'Feb', 'Mar']
>>> round(s.x(ordinal(2024, 7, 1)))
298
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

import attrs

from relations.render._common import text_width
from relations.render._words import MONTHS_SHORT, format_year
from relations.when import ordinal, ymd

__all__ = ["Break", "Segment", "Tick", "TimeScale", "build_scale", "year_lines"]

TICK_FONT = 11.0
BREAK_WIDTH = 16.0


@attrs.frozen
class Segment:
    """Days ``[d0, d1)`` drawn linearly on ``[x0, x1]``."""

    d0: float
    d1: float
    x0: float
    x1: float

    def x(self, d: float) -> float:
        """The x of day ``d`` (extrapolated linearly outside the segment)."""
        if self.d1 == self.d0:  # pragma: no cover - segments are never empty
            return self.x0
        return self.x0 + (d - self.d0) * (self.x1 - self.x0) / (self.d1 - self.d0)


@attrs.frozen
class Break:
    """An axis cut: days ``[d0, d1)`` (no event starts or ends there) squeezed into
    ``[x0, x1]``."""

    d0: float
    d1: float
    x0: float
    x1: float


@attrs.frozen
class Tick:
    """A tick: its x, its label, an optional context label below it (the year under months),
    and whether it marks a year (drawn more strongly)."""

    x: float
    label: str
    context: str | None = None
    strong: bool = False


@attrs.frozen
class TimeScale:
    """Days to x along a sequence of segments separated by breaks."""

    segments: tuple[Segment, ...]
    breaks: tuple[Break, ...]
    adaptive: bool = False
    _starts: tuple[float, ...] = attrs.field(init=False, repr=False, eq=False)
    _break_starts: tuple[float, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s.d0 for s in self.segments))
        object.__setattr__(self, "_break_starts", tuple(b.d0 for b in self.breaks))

    @property
    def x0(self) -> float:
        """Left end of the axis."""
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        """Right end of the axis."""
        return self.segments[-1].x1

    @property
    def d0(self) -> float:
        """First day shown."""
        return self.segments[0].d0

    @property
    def d1(self) -> float:
        """Day after the last day shown."""
        return self.segments[-1].d1

    def x(self, d: float) -> float:
        """The x of day ordinal ``d`` (a float: ``n + 0.5`` is the middle of day ``n``),
        clamped to the axis; days inside a break fall proportionally inside the break.
        """
        if d <= self.d0:
            return self.x0
        if d >= self.d1:
            return self.x1
        i = bisect.bisect_right(self._starts, d) - 1
        seg = self.segments[i]
        if d <= seg.d1:
            return seg.x(d)
        j = bisect.bisect_right(self._break_starts, d) - 1
        b = self.breaks[j]
        return b.x0 + (d - b.d0) * (b.x1 - b.x0) / max(b.d1 - b.d0, 1e-9)

    def stretches(self) -> list[tuple[float, float, float, float]]:
        """The uncut stretches of the axis as ``(d0, d1, x0, x1)``.

        >>> from relations.when import ordinal
        >>> len(build_scale([(ordinal(2024, 1, 1), ordinal(2024, 2, 1))], 0, 100).stretches())
        1
        """
        out: list[tuple[float, float, float, float]] = []
        for seg in self.segments:
            if out and abs(out[-1][1] - seg.d0) < 1e-9:
                out[-1] = (out[-1][0], seg.d1, out[-1][2], seg.x1)
            else:
                out.append((seg.d0, seg.d1, seg.x0, seg.x1))
        return out

    def ticks(self) -> list[Tick]:
        """Ticks for every segment, then thinned so that no two labels overlap."""
        if self.adaptive:
            return _adaptive_ticks(self)
        out: list[Tick] = []
        for seg in self.segments:
            out.extend(_inside(seg, _segment_ticks(seg)))
        kept: list[Tick] = []
        right = -1e18
        for t in sorted(out, key=lambda t: t.x):
            half = max(_label_width(t.label), _label_width(t.context or "")) / 2
            if t.x - half >= right + 6:
                kept.append(t)
                right = t.x + half
        return kept


def _inside(seg: Segment, ticks: list[Tick]) -> list[Tick]:
    """The ticks whose labels fit inside the segment (or the most central one, if none do), so
    that labels of neighbouring segments do not collide across a cut."""
    if not ticks:
        return ticks

    def half(t: Tick) -> float:
        return max(_label_width(t.label), _label_width(t.context or "")) / 2

    fits = [t for t in ticks if seg.x0 - 1 <= t.x - half(t) and t.x + half(t) <= seg.x1 + 1]
    if fits:
        return fits
    mid = (seg.x0 + seg.x1) / 2
    return [min(ticks, key=lambda t: abs(t.x - mid))]


def _label_width(s: str) -> float:
    return text_width(s, TICK_FONT)


# ---- tick steps ------------------------------------------------------------------------------
# (unit, step, approximate days per step)
_STEPS: tuple[tuple[str, int, float], ...] = (
    ("day", 1, 1),
    ("day", 2, 2),
    ("week", 7, 7),
    ("halfmonth", 1, 15.2),
    ("month", 1, 30.4),
    ("month", 2, 60.9),
    ("month", 3, 91.3),
    ("month", 6, 182.6),
    *(
        ("year", k, 365.2425 * k)
        for k in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)
    ),
    *(("year", m * 10**e, 365.2425 * m * 10**e) for e in range(4, 17) for m in (1, 2, 5)),
)


def _year_of(d: float) -> int:
    return ymd(int(d))[0]


def _gen(unit: str, step: int, d0: float, d1: float) -> Iterator[tuple[int, str, str | None]]:
    """Tick days in ``[d0, d1]`` for a step, with label and context (year) text."""
    if unit in ("day", "week"):
        n = int(d0) if d0 == int(d0) else int(d0) + 1
        offset = 1 if unit == "week" else 0  # ordinal 1 (0001-01-01) is a Monday
        n += (offset - n) % step
        while n <= d1:
            y, m, d = ymd(n)
            yield n, f"{d} {MONTHS_SHORT[m]}", format_year(y)
            n += step
        return
    y0, _, _ = ymd(int(d0))
    if unit == "halfmonth":
        y, m = y0, 1
        while True:
            for day in (1, 15):
                n = ordinal(y, m, day)
                if n > d1:
                    return
                if n >= d0:
                    label = MONTHS_SHORT[m] if day == 1 else f"15 {MONTHS_SHORT[m]}"
                    yield n, label, format_year(y)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if unit == "month":
        y, m = y0, 1
        while True:
            n = ordinal(y, m, 1)
            if n > d1:
                return
            if n >= d0 and ((y * 12 + m - 1) % step == 0):
                yield n, MONTHS_SHORT[m], format_year(y)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    # years: round numbers as people read them (CE multiples of step; "500 BCE" before 1 CE)
    y1 = ymd(int(d1))[0]
    y = y0 - (y0 % step)
    while y <= y1:
        if y > 0 or step == 1:
            n = ordinal(y, 1, 1)
            if d0 <= n <= d1:
                yield n, format_year(y), None
        else:
            bce = 1 - y  # astronomical 1 - y is the BCE year; tick at round BCE years
            yb = 1 - (bce - bce % step) if bce % step else y
            n = ordinal(yb, 1, 1)
            if yb <= 0 and d0 <= n <= d1 and yb < y + step:
                yield n, format_year(yb), None
        y += step


def _segment_ticks(seg: Segment) -> list[Tick]:
    width = seg.x1 - seg.x0
    days = seg.d1 - seg.d0
    if width <= 0 or days <= 0:
        return []
    ppd = width / days
    last_with_ticks: list[Tick] | None = None
    for unit, step, approx in _STEPS:
        if approx * ppd < 28:
            continue
        if (days / approx) > 400:  # pragma: no cover - guarded by the spacing test above
            continue
        ticks = _make_ticks(seg, unit, step)
        if not ticks:
            continue
        widest = max(max(_label_width(t.label), _label_width(t.context or "")) for t in ticks)
        if approx * ppd >= widest + 14:
            return ticks
        last_with_ticks = last_with_ticks or ticks
    if last_with_ticks is not None:
        return last_with_ticks[:1]
    # a narrow stretch: label the coarsest unit that has a tick in it
    for unit, step, approx in reversed(_STEPS):
        if days / approx > 300:
            break
        ticks = _make_ticks(seg, unit, step)
        if ticks:
            return ticks[:1]
    return []


def _make_ticks(seg: Segment, unit: str, step: int) -> list[Tick]:
    out: list[Tick] = []
    prev_context: str | None = None
    for n, label, context in _gen(unit, step, seg.d0, seg.d1):
        x = seg.x(n)
        _y, m, d = ymd(n)
        strong = m == 1 and d == 1
        show = None
        if context is not None and (context != prev_context or strong):
            show = context
        if unit == "month" and step >= 12:  # pragma: no cover - years are their own unit
            show = None
        out.append(Tick(x, label, show, strong))
        prev_context = context
    return out


def _adaptive_ticks(ts: TimeScale) -> list[Tick]:
    """Ticks for a scale whose days have different widths: coarse, round ticks first, then
    finer ones wherever the local scale leaves room for their labels; every stretch gets at
    least one label."""
    placed: list[tuple[float, float, Tick]] = []  # (left, right, tick)

    def free(left: float, right: float) -> bool:
        return all(right + 6 <= a or left >= b + 6 for a, b, _ in placed)

    stretches = ts.stretches()
    steps = [st for st in _STEPS if st[0] in ("month", "year")]
    steps.sort(key=lambda st: -st[2])
    for d0, d1, sx0, sx1 in stretches:
        for unit, step, approx in steps:
            if approx > (d1 - d0) * 40 or (d1 - d0) / approx > 300:
                continue
            for n, label, _ in _gen(unit, step, d0, d1):
                if unit == "month" and label == "Jan":
                    continue  # a year boundary: labelled with the year, or not at all
                x = ts.x(n)
                w = _label_width(label)
                need = w + (10 if unit == "year" else 18)
                after = ts.x(n + approx) - x if n + approx <= d1 else 0.0
                before = x - ts.x(n - approx) if n - approx >= d0 else 0.0
                if max(after, before) < need or x - w / 2 < sx0 - 1 or x + w / 2 > sx1 + 1:
                    continue
                if free(x - w / 2, x + w / 2):
                    _y, m, d = ymd(n)
                    placed.append((x - w / 2, x + w / 2, Tick(x, label, None, m == 1 and d == 1)))
    for d0, d1, sx0, sx1 in stretches:  # a stretch without a label gets its coarsest tick
        if any(sx0 - 1 <= t.x <= sx1 + 1 for _, _, t in placed):
            continue
        for unit, step, approx in steps:
            if (d1 - d0) / approx > 300:
                break
            ticks = list(_gen(unit, step, d0, d1))
            if ticks:
                n, label, context = ticks[len(ticks) // 2]
                if unit == "month" and context:
                    label = f"{label} {context}"
                x, w = ts.x(n), _label_width(label)
                if free(x - w / 2, x + w / 2):
                    placed.append((x - w / 2, x + w / 2, Tick(x, label, None, True)))
                break
    # a stretch whose labels are all months names its year once, on its first month
    for d0, d1, sx0, sx1 in stretches:
        inside = sorted(
            (i for i, (_, _, t) in enumerate(placed) if sx0 - 1 <= t.x <= sx1 + 1),
            key=lambda i: placed[i][2].x,
        )
        if not inside or any(placed[i][2].label[:1].isdigit() for i in inside):
            continue
        _a, _b, t = placed[inside[0]]
        year = format_year(ymd(round(ts_day(ts, t.x, d0, d1)))[0])
        label = f"{t.label} {year}"
        w = _label_width(label)
        others = [p for j, p in enumerate(placed) if j != inside[0]]
        if all(t.x + w / 2 + 6 <= p[0] or t.x - w / 2 >= p[1] + 6 for p in others):
            placed[inside[0]] = (t.x - w / 2, t.x + w / 2, attrs.evolve(t, label=label))
    return sorted((t for _, _, t in placed), key=lambda t: t.x)


def ts_day(ts: TimeScale, x: float, d0: float, d1: float) -> float:
    """The day at ``x`` within the stretch ``[d0, d1]`` (inverse of ``ts.x``, by bisection).

    >>> s = build_scale([(0, 0), (100, 100)], 0.0, 100.0, compact=False)
    >>> round(ts_day(s, s.x(50.0), s.d0, s.d1))
    50
    """
    lo, hi = d0, d1
    for _ in range(60):
        mid = (lo + hi) / 2
        if ts.x(mid) < x:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def year_lines(ts: TimeScale) -> list[float]:
    """The x of every calendar-year boundary on an adaptive axis where years are at least
    10 px wide (faint lines that show how wide each year is drawn).

    >>> year_lines(build_scale([(1, 1)], 0, 100, compact=False))
    []
    """
    if not ts.adaptive or sum(b - a for a, b, _, _ in ts.stretches()) > 500 * 366:
        return []
    out: list[float] = []
    for d0, d1, _, _ in ts.stretches():
        for n in _boundaries(d0, d1, 1):
            x = ts.x(n)
            if ts.x(n + 365) - x >= 10 and ts.x(n) - ts.x(n - 365) >= 10:
                out.append(x)
    return out


# ---- building a scale ------------------------------------------------------------------------


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _piece_years(kept_days: float) -> int:
    """Calendar years per piece of an adaptive axis (0 means months): at most ~120 pieces."""
    years = kept_days / 365.2425
    if years <= 3:
        return 0
    step = 1
    while years / step > 120:
        step *= 10
    return step


def _boundaries(a: float, b: float, years: int) -> list[float]:
    """Calendar boundaries (month or ``years``-year starts) strictly inside ``(a, b)``."""
    out: list[float] = []
    y, m, _ = ymd(int(a))
    if years == 0:
        while True:
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            n = ordinal(y, m, 1)
            if n >= b:
                return out
            out.append(float(n))
    y = y - y % years
    while True:
        y += years
        n = ordinal(y, 1, 1)
        if n >= b:
            return out
        if n > a:
            out.append(float(n))


def build_scale(
    anchors: Sequence[tuple[int, int]],
    x0: float,
    x1: float,
    *,
    compact: bool | None = None,
) -> TimeScale:
    """A scale for ``anchors`` (inclusive day ranges where events start or end) on
    ``[x0, x1]``.

    ``compact=False`` is linear. ``compact=True`` cuts out long stretches where no event
    starts or ends (drawn as hatched breaks) and gives each calendar year (or month, for short
    spans) room in proportion to both its length (30%) and its share of the anchors (70%), so
    busy years are wide and quiet ones narrow; the axis labels show the varying scale.
    ``compact=None`` chooses compact when the anchors are unevenly spread (more than a third
    of them would have to move) or when cuts would free a quarter of the axis.

    >>> from relations.when import ordinal
    >>> s = build_scale([(ordinal(1950, 6, 25), ordinal(1950, 6, 25)),
    ...                  (ordinal(2024, 6, 19), ordinal(2024, 6, 19))], 0, 500)
    >>> len(s.breaks)
    1
    >>> s.x(ordinal(1950, 6, 25)) < s.breaks[0].x0 < s.x(ordinal(2024, 6, 19))
    True
    """
    if not anchors:
        raise ValueError("a time scale needs at least one date")
    lo = float(min(a for a, _ in anchors))
    hi = float(max(b for _, b in anchors) + 1)
    span = hi - lo
    pad = max(span * 0.03, 3.0)
    linear = TimeScale((Segment(lo - pad, hi + pad, x0, x1),), ())
    if compact is False or len(anchors) < 2:
        return linear
    near = max(span * 0.004, 20.0)
    d0, d1 = lo - 2 * near, hi + 2 * near
    span = d1 - d0
    width = x1 - x0
    regions = _merge([(max(d0, a - near), min(d1, b + 1 + near)) for a, b in anchors])
    regions[0] = (d0, regions[0][1])
    regions[-1] = (regions[-1][0], d1)
    min_gap = max(span * 0.03, 60.0)
    cuts = [
        (regions[i][1], regions[i + 1][0])
        for i in range(len(regions) - 1)
        if regions[i + 1][0] - regions[i][1] > min_gap
    ]
    bounds = [d0]
    for a, b in cuts:
        bounds += [a, b]
    bounds.append(d1)
    stretches = [(bounds[2 * i], bounds[2 * i + 1]) for i in range(len(cuts) + 1)]
    kept = sum(b - a for a, b in stretches)
    years = _piece_years(kept)
    pieces: list[tuple[float, float, int]] = []  # (start, end, stretch index)
    for si, (a, b) in enumerate(stretches):
        edges = [a, *_boundaries(a, b, years), b]
        pieces += [(edges[i], edges[i + 1], si) for i in range(len(edges) - 1)]
    load = [0.0] * len(pieces)
    starts = [p[0] for p in pieces]
    for a, b in anchors:
        mid = (a + b + 1) / 2
        load[max(0, bisect.bisect_right(starts, mid) - 1)] += 1.0
    total = sum(load) or 1.0
    time_share = [(b - a) / kept for a, b, _ in pieces]
    load_share = [v / total for v in load]
    moved = sum(max(0.0, ls - ts) for ls, ts in zip(load_share, time_share, strict=True))
    saved = (span - kept) / span
    if compact is None and moved < 0.34 and saved < 0.25:
        return linear
    avail = width - BREAK_WIDTH * len(cuts)
    weights = [0.25 * t + 0.75 * c for t, c in zip(time_share, load_share, strict=True)]
    sizes = [avail * w / (sum(weights) or 1.0) for w in weights]
    # every stretch gets room for a label: widen narrow ones, shrink the others to pay for it
    floor = min(56.0, avail / len(stretches))
    per = [0.0] * len(stretches)
    for (_, _, si), size in zip(pieces, sizes, strict=True):
        per[si] += size
    short = {si for si, w in enumerate(per) if w < floor}
    if short and len(short) < len(stretches):
        need = sum(floor - per[si] for si in short)
        rich = sum(per[si] for si in range(len(stretches)) if si not in short)
        sizes = [
            size * floor / max(per[si], 1e-9) if si in short else size * (1 - need / rich)
            for (_, _, si), size in zip(pieces, sizes, strict=True)
        ]
    segments: list[Segment] = []
    breaks: list[Break] = []
    x = x0
    for i, ((a, b, si), size) in enumerate(zip(pieces, sizes, strict=True)):
        segments.append(Segment(a, b, x, x + size))
        x += size
        if i + 1 < len(pieces) and pieces[i + 1][2] != si:
            cut = cuts[si]
            breaks.append(Break(cut[0], cut[1], x, x + BREAK_WIDTH))
            x += BREAK_WIDTH
    return TimeScale(tuple(segments), tuple(breaks), adaptive=True)
