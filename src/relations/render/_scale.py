"""The time axis of a chart: day ordinals to x, ticks that adapt to the span, axis cuts.

A scale maps day ordinals (day ``n`` covers ``[n, n + 1)``) to x positions, at one and the
same number of pixels per day everywhere: the axis never stretches busy years or squeezes
quiet ones. A *linear* scale is one stretch; a *compact* scale cuts out long stretches in
which no event starts or ends, each cut drawn as a narrow hatched break (a fixed 16 px, so the
cut is visible) and named in the chart's legend and notes. Ticks are chosen per stretch from
days to millennia, so that labels never crowd, and the year is named on the first tick of the
axis, on the ticks on both sides of every cut and wherever the year changes.

>>> from relations.when import ordinal
>>> s = build_scale([(ordinal(2024, 1, 1), ordinal(2024, 12, 31))], 0.0, 600.0, compact=False)
>>> [(t.label, t.context) for t in s.ticks()][:3]
[('Jan', '2024'), ('Feb', None), ('Mar', None)]
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

__all__ = ["Break", "Segment", "Tick", "TimeScale", "build_scale"]

TICK_FONT = 11.0
BREAK_WIDTH = 16.0
#: Room kept at each end of the axis, in pixels (a dot on the first day is not cut in half).
END_PAD = 10.0
#: The narrowest an uncut stretch is drawn (widened with empty days, at the same scale).
MIN_STRETCH = 56.0
#: ``scale="auto"`` cuts the axis only if the cuts free at least this share of it.
AUTO_CUT_SAVING = 0.4


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
    whether it marks a year (drawn more strongly), and its day ordinal."""

    x: float
    label: str
    context: str | None = None
    strong: bool = False
    day: float | None = None


@attrs.frozen
class TimeScale:
    """Days to x along a sequence of segments separated by breaks (axis cuts)."""

    segments: tuple[Segment, ...]
    breaks: tuple[Break, ...]
    #: The days the data covers (first day, day after the last); ticks stay inside them.
    data: tuple[float, float] | None = None
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
        """Ticks for every segment, thinned so that no two labels overlap, with the year
        named at the start of the axis, on both sides of every cut and at every new year."""
        out: list[Tick] = []
        last = len(self.segments) - 1
        for i, seg in enumerate(self.segments):  # labels may reach into the chart's margins
            left, right = (18.0 if i == 0 else 1.0), (18.0 if i == last else 1.0)
            out.extend(_inside(seg, _segment_ticks(seg), left, right))
        if self.data is not None:
            lo, hi = self.data
            out = [t for t in out if t.day is None or lo <= t.day < hi]
        kept: list[Tick] = []
        right = -1e18
        for t in sorted(out, key=lambda t: t.x):
            half = max(_label_width(t.label), _label_width(t.context or "")) / 2
            if t.x - half >= right + 6:
                kept.append(t)
                right = t.x + half
        return _name_years(self, kept)


def _name_years(ts: TimeScale, ticks: list[Tick]) -> list[Tick]:
    """Give a tick its year (as context) where a reader needs it: the first tick of each
    uncut stretch, the last tick before a cut, and the first tick of a new year."""
    cuts = [b.x0 for b in ts.breaks]
    by_stretch: dict[int, list[int]] = {}
    for i, t in enumerate(ticks):
        by_stretch.setdefault(bisect.bisect_right(cuts, t.x), []).append(i)
    out = list(ticks)
    for si, idxs in by_stretch.items():
        prev: str | None = None
        prev_named = False
        for j, i in enumerate(idxs):
            t = out[i]
            if t.day is None:  # pragma: no cover - every generated tick knows its day
                continue
            year = format_year(ymd(int(t.day))[0])
            named = t.context is not None or t.label == year
            before_cut = j == len(idxs) - 1 and si < len(cuts) and j > 0
            if not named and (year != prev or (before_cut and not prev_named)):
                out[i] = attrs.evolve(t, context=year)
            prev_named = out[i].context is not None or t.label == year
            prev = year
    return out


def _inside(seg: Segment, ticks: list[Tick], left: float = 1.0, right: float = 1.0) -> list[Tick]:
    """The ticks whose labels fit inside the segment, give or take ``left`` and ``right``
    pixels (or the most central one, if none do), so that labels of neighbouring segments do
    not collide across a cut."""
    if not ticks:
        return ticks

    def half(t: Tick) -> float:
        return max(_label_width(t.label), _label_width(t.context or "")) / 2

    fits = [t for t in ticks if seg.x0 - left <= t.x - half(t) and t.x + half(t) <= seg.x1 + right]
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
        out.append(Tick(x, label, show, strong, float(n)))
        prev_context = context
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


def build_scale(
    anchors: Sequence[tuple[int, int]],
    x0: float,
    x1: float,
    *,
    compact: bool | None = None,
) -> TimeScale:
    """A scale for ``anchors`` (inclusive day ranges where events start or end) on
    ``[x0, x1]``, spanning exactly the anchors plus a few pixels at each end.

    ``compact=False`` is linear. ``compact=True`` cuts out long stretches where no event
    starts or ends (each drawn as a hatched break of 16 px); every kept stretch is drawn at
    the same scale, and a stretch too narrow for a label is widened with empty days.
    ``compact=None`` (the default, ``scale="auto"``) cuts only when the cuts free at least
    40% of the axis, and otherwise stays linear.

    >>> from relations.when import ordinal
    >>> s = build_scale([(ordinal(1950, 6, 25), ordinal(1950, 6, 25)),
    ...                  (ordinal(2024, 6, 19), ordinal(2024, 6, 19))], 0, 500)
    >>> len(s.breaks)
    1
    >>> s.x(ordinal(1950, 6, 25)) < s.breaks[0].x0 < s.x(ordinal(2024, 6, 19))
    True
    >>> len({round((g.x1 - g.x0) / (g.d1 - g.d0), 9) for g in s.segments})  # one scale
    1
    """
    if not anchors:
        raise ValueError("a time scale needs at least one date")
    lo = float(min(a for a, _ in anchors))
    hi = float(max(b for _, b in anchors) + 1)
    span = hi - lo
    width = x1 - x0
    pad = span * END_PAD / max(width - 2 * END_PAD, 1.0)
    linear = TimeScale((Segment(lo - pad, hi + pad, x0, x1),), (), (lo, hi))
    if compact is False or len(anchors) < 2:
        return linear
    near = max(span * 0.003, 10.0)  # empty days kept around each start or end
    min_gap = max(span * 0.08, 90.0)  # shorter stretches without events are not cut
    stretches = _merge([(a - near, b + 1 + near) for a, b in anchors])
    stretches[0] = (max(stretches[0][0], lo), stretches[0][1])
    stretches[-1] = (stretches[-1][0], min(stretches[-1][1], hi))
    ppd = 1.0
    for _ in range(6):
        stretches = _join(stretches, min_gap)
        kept = sum(b - a for a, b in stretches)
        ppd = (width - 2 * END_PAD - BREAK_WIDTH * (len(stretches) - 1)) / max(kept, 1e-9)
        need = MIN_STRETCH / max(ppd, 1e-9)
        wider = [
            (a - (need - (b - a)) / 2, b + (need - (b - a)) / 2) if b - a < need else (a, b)
            for a, b in stretches
        ]
        if wider == stretches:
            break
        stretches = wider
    stretches = _join(stretches, min_gap)
    if len(stretches) < 2:
        return linear
    kept = sum(b - a for a, b in stretches)
    saved = 1.0 - kept / (stretches[-1][1] - stretches[0][0])
    if compact is None and saved < AUTO_CUT_SAVING:
        return linear
    ppd = (width - 2 * END_PAD - BREAK_WIDTH * (len(stretches) - 1)) / kept
    end_days = END_PAD / ppd
    stretches[0] = (stretches[0][0] - end_days, stretches[0][1])
    stretches[-1] = (stretches[-1][0], stretches[-1][1] + end_days)
    segments: list[Segment] = []
    breaks: list[Break] = []
    x = x0
    for i, (a, b) in enumerate(stretches):
        size = (b - a) * ppd
        segments.append(Segment(a, b, x, x + size))
        x += size
        if i + 1 < len(stretches):
            breaks.append(Break(b, stretches[i + 1][0], x, x + BREAK_WIDTH))
            x += BREAK_WIDTH
    return TimeScale(tuple(segments), tuple(breaks), (lo, hi))


def _join(stretches: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    """Stretches with every gap shorter than ``min_gap`` closed (no cut for a short gap)."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(stretches):
        if out and a - out[-1][1] < min_gap:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
