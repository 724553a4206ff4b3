"""A self-contained SVG timeline chart, honest about imprecise dates; no dependencies.

What the marks mean:

* a **dot** is an event dated to the day (or finer);
* a **bar** is an event that lasted (a war, a deployment, a treaty in force); its solid part
  is the time it certainly lasted; a faded part at either end is an imprecise start or end;
  an open end ("still in force") fades out at the edge of the chart with an arrow;
* a **faded band with end marks** is an imprecise date (a month, a year, "about October
  2024"): it runs from the earliest to the latest possible day, never drawn as a false point;
* **hollow** marks and italic labels are claims, estimates and disputed events, and the label
  says which.

Events are laid out in lanes (by kind, actor, dyad or status); inside a lane, each event takes
the first row where its mark and label do not collide with another (greedy row assignment), so
labels never overlap. The time axis adapts its ticks to the span (days to millennia) and, when
most of the span is empty, cuts the empty stretches out and marks each cut with a hatched break.

>>> from relations.events import Event
>>> svg = to_svg([Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Signed"),
...               Event("2024-10", "military.deployment", ["PRK", "RUS"], "Deployed")],
...              title="Two events")
>>> import xml.etree.ElementTree as ET
>>> root = ET.fromstring(svg)
>>> len([g for g in root.iter("{http://www.w3.org/2000/svg}g")
...      if g.get("class") == "rl-event"])
2
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

import attrs

from relations.errors import InvalidArgument
from relations.events import Event
from relations.periods import Unit
from relations.render._common import (
    LaneSpec,
    actors_label,
    esc,
    hedge_note,
    is_hedged,
    lane_key_function,
    lane_order,
    pretty_lane,
    text_width,
    wrap_text,
)
from relations.render._scale import BREAK_WIDTH, Tick, TimeScale, build_scale
from relations.render._words import MONTHS_SHORT, format_year, when_in_words
from relations.render.density import choose_unit, count_by_period
from relations.render.palette import check_colors, color_for
from relations.when import UNBOUNDED_HI, UNBOUNDED_LO, Precision, When, ymd

if TYPE_CHECKING:
    from typing import Unpack

    from relations._timeline import ChartOptions

__all__ = ["DENSE_THRESHOLD", "default_title", "render_svg", "span_words", "to_svg"]

FONT = (
    "'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', 'Nimbus Sans', "
    "'DejaVu Sans', sans-serif"
)
LABEL_FONT = 12.0
ROW_H = 21.0
LANE_PAD_TOP = 6.0
LANE_PAD_BOTTOM = 6.0
MARK_Y = 10.5  # centre of a mark, from the top of its row
LABEL_Y = 14.5  # baseline of a label, from the top of its row
BAR_H = 8.0
GAP = 12.0  # horizontal room kept between items in a row
MAX_ROWS = 250
INK = "#1f2933"
MUTED = "#5f6b7a"
GRID = "#e3e7ec"


@attrs.frozen
class _Item:
    """One event's geometry in its lane."""

    index: int
    event: Event
    lane: str
    kind: str  # "point", "band", "interval"
    left: float  # extent of the mark
    right: float
    label: str
    label_x: float
    label_anchor: str  # "start", "end" (beside the mark) or "inside" (on a long bar)
    parts: tuple[tuple[str, float, float], ...]  # (style, x0, x1): "core", "fuzzy", "open"
    extent: tuple[float, float]
    row: int = 0
    options: tuple[tuple[float, str, tuple[float, float]], ...] = ()


def _bounded(n: int) -> bool:
    return n not in (UNBOUNDED_LO, UNBOUNDED_HI)


def _anchors(e: Event, span: float) -> list[tuple[int, int]]:
    """Day ranges where the event starts or ends (whole range if short): what the axis must show."""
    w = e.when
    out: list[tuple[int, int]] = []
    if _bounded(w.lo) and _bounded(w.hi) and (w.hi - w.lo) <= max(span * 0.03, 62):
        return [(w.lo, w.hi)]
    if w.is_interval:
        for part in (w.start, w.end):
            if part is not None and _bounded(part.lo) and _bounded(part.hi):
                if part.hi - part.lo <= max(span * 0.03, 62):
                    out.append((part.lo, part.hi))
                else:
                    out += [(part.lo, part.lo), (part.hi, part.hi)]
    else:
        for n in (w.lo, w.hi):
            if _bounded(n):
                out.append((n, n))
    return out


def _is_point(w: When) -> bool:
    return (
        w.form == "date"
        and w.lo == w.hi
        and w.precision <= Precision.DAY
        and not w.approximate
        and not w.uncertain
    )


def _label_for(e: Event, max_chars: int) -> str:
    text = " ".join(e.title.split())
    note = hedge_note(e)
    if note:
        text = f"{text} · {note}"
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return text


def _geometry(
    index: int,
    e: Event,
    lane: str,
    scale: TimeScale,
    max_chars: int,
    labels: bool,
    right_limit: float,
    cuts: Sequence[float] = (),
) -> _Item:
    w = e.when
    x = scale.x
    left_edge, right_edge = scale.x0, scale.x1
    parts: list[tuple[str, float, float]] = []
    if _is_point(w):
        kind = "point"
        cx = x(w.lo + 0.5)
        left, right = cx - 5.5, cx + 5.5
    elif not w.is_interval:
        kind = "band"
        a = x(w.lo) if _bounded(w.lo) else left_edge
        b = x(w.hi + 1) if _bounded(w.hi) else right_edge
        if b - a < 5:
            mid = (a + b) / 2
            a, b = mid - 2.5, mid + 2.5
        parts.append(("fuzzy", a, b))
        left, right = a, b
    else:
        kind = "interval"
        parts = _interval_parts(w, scale)
        left = min(p[1] for p in parts)
        right = max(p[2] for p in parts)
    label = _label_for(e, max_chars) if labels else ""
    pad = 5.0
    options: list[tuple[float, str, tuple[float, float]]] = []
    if label:
        lo_x, hi_x = left_edge - 8, right_limit
        for _ in range(3):
            lw = text_width(label, LABEL_FONT)
            # beside the mark; failing that, on a long bar itself (with a white halo)
            start = max([left, *(c + BREAK_WIDTH for c in cuts if left < c < right)])
            inside = (start + 6, "inside", (left, right)) if right - start >= lw + 12 else None
            after = (right + pad, "start", (left, right + pad + lw))
            before = (left - pad, "end", (left - pad - lw, right))
            options = [
                o
                for o in (after, before, inside)
                if o is not None and o[2][0] >= lo_x and o[2][1] <= hi_x
            ]
            if options:
                break
            room = max(hi_x - right - pad, left - pad - lo_x, right - start - 12)
            keep = max(4, int(len(label) * room / max(lw, 1.0)) - 2)
            label = label[:keep].rstrip() + "…"
        if not options:  # pragma: no cover - a label of four characters always fits
            label = ""
    if not options:
        options = [(left, "start", (left, right))]
    lx, anchor, extent = options[0]
    return _Item(
        index,
        e,
        lane,
        kind,
        left,
        right,
        label,
        lx,
        anchor,
        tuple(parts),
        extent,
        0,
        tuple(options),
    )


def _interval_parts(w: When, scale: TimeScale) -> list[tuple[str, float, float]]:
    """The pieces of an interval's bar: faded imprecise ends, a solid certain core, and
    fading open or unknown ends."""
    x = scale.x
    left_edge, right_edge = scale.x0, scale.x1
    start, end = w.start, w.end
    if start is not None:
        a = x(start.lo)
        core_a = a if _is_point(start) else x(start.hi + 1)
    else:
        a = core_a = left_edge
    if end is not None:
        b = x(end.hi + 1)
        core_b = b if _is_point(end) else x(end.lo)
    else:
        b = core_b = right_edge
    if start is not None and end is not None and core_a > core_b:
        return [("fuzzy", a, b)] if b - a >= 4 else [("core", (a + b) / 2 - 2, (a + b) / 2 + 2)]
    parts: list[tuple[str, float, float]] = []
    if start is not None and core_a - a > 0.5:
        parts.append(("fuzzy", a, core_a))
    tail: tuple[str, float, float] | None = None
    if start is None:
        fade_b = min(core_b, left_edge + 60)
        parts.append(("open-start" if w.open_start else "unknown-start", left_edge, fade_b))
        core_a = fade_b
    if end is None:
        fade_a = max(core_a, right_edge - 60)
        tail = ("open-end" if w.open_end else "unknown-end", fade_a, right_edge)
        core_b = fade_a
    if core_b - core_a > 0.0:
        if core_b - core_a < 3 and not parts and tail is None and (end is None or b == core_b):
            mid = (core_a + core_b) / 2
            core_a, core_b = mid - 1.5, mid + 1.5
        parts.append(("core", core_a, core_b))
    if end is not None and b - core_b > 0.5:
        parts.append(("fuzzy", core_b, b))
    if tail is not None:
        parts.append(tail)
    if not parts:
        parts.append(("core", core_a - 1.5, core_a + 1.5))
    return parts


def _assign_rows(items: list[_Item]) -> list[_Item]:
    """Greedy row assignment: each item, in order of its mark's left edge, goes to the first
    row where its mark and label collide with nothing, its label to the right of the mark if
    that fits, else to the left; failing both, it opens a new row."""
    rows: list[list[tuple[float, float]]] = []
    out = []

    def fits(row: list[tuple[float, float]], ext: tuple[float, float]) -> bool:
        return all(ext[1] + GAP <= a or ext[0] >= b + GAP for a, b in row)

    if all(len(it.options) == 1 for it in items):
        return _assign_rows_simple(items)
    for it in sorted(items, key=lambda it: (it.left, it.index)):
        placed = False
        for r, row in enumerate(rows):
            for lx, anchor, ext in it.options:
                if fits(row, ext):
                    row.append(ext)
                    out.append(attrs.evolve(it, row=r, label_x=lx, label_anchor=anchor, extent=ext))
                    placed = True
                    break
            if placed:
                break
        if not placed:
            lx, anchor, ext = it.options[0]
            if len(rows) < MAX_ROWS:
                rows.append([ext])
                r = len(rows) - 1
            else:  # too many rows: share the emptiest one
                r = min(range(len(rows)), key=lambda i: len(rows[i]))
                rows[r].append(ext)
            out.append(attrs.evolve(it, row=r, label_x=lx, label_anchor=anchor, extent=ext))
    return out


def _assign_rows_simple(items: list[_Item]) -> list[_Item]:
    """Row assignment when every item has one placement: interval partitioning by left edge,
    remembering only where each row ends (O(n · rows))."""
    ends: list[float] = []
    out = []
    for it in sorted(items, key=lambda it: (it.extent[0], it.index)):
        free = next((i for i, end in enumerate(ends) if end + GAP <= it.extent[0]), None)
        if free is not None:
            r = free
        elif len(ends) < MAX_ROWS:
            ends.append(-1e18)
            r = len(ends) - 1
        else:  # too many rows: share the one that frees up first
            r = min(range(len(ends)), key=lambda i: ends[i])
        ends[r] = max(ends[r], it.extent[1])
        out.append(attrs.evolve(it, row=r))
    return out


def tooltip_lines(e: Event) -> list[str]:
    """The lines of an event's tooltip: title, date (EDTF and words), status, actors, sources.

    >>> tooltip_lines(Event("2024-10~", "military.deployment", ["PRK", "RUS"], "Kursk",
    ...                     directed=True, status="estimated"))
    ['Kursk', '2024-10~ — about October 2024', 'estimated · military.deployment · PRK → RUS']
    """
    lines = [e.title, f"{e.when} — {when_in_words(e.when)}"]
    status = e.status.value
    if e.claimed_by:
        status += " by " + ", ".join(e.claimed_by)
    lines.append(f"{status} · {e.kind} · {actors_label(e)}")
    if e.quantities:
        lines.append("; ".join(f"{k}: {q}" for k, q in e.quantities.items()))
    for s in e.sources:
        lines.append("source: " + s.publisher + (f", {s.title}" if s.title else ""))
    return lines


def span_words(events: Iterable[Event]) -> str:
    """The span of events in words: from the start of the earliest to the end of the latest,
    each as precisely as it is known.

    >>> span_words([Event("1945-08/1948", "occupation", ["SUN"], "a"),
    ...             Event("2025", "trade", ["RUS"], "b")])
    'Aug 1945 – 2025'
    """
    evs = list(events)
    starts = [e for e in evs if _bounded(e.when.lo)]
    ends = [e for e in evs if _bounded(e.when.hi)]
    if not starts and not ends:  # pragma: no cover - every event has a bounded end
        return ""
    first = min(starts or ends, key=lambda e: e.when.lo)
    last = max(ends or starts, key=lambda e: e.when.hi)
    a = first.when.start or first.when
    b = last.when.end or last.when
    return f"{when_in_words(a, short=True)} – {when_in_words(b, short=True)}"


_LANE_WORD = {"kind": "kind", "actor": "acting actor", "dyad": "dyad", "status": "status"}

#: Above this many events a chart is dense by default (counts per period, not one mark each).
DENSE_THRESHOLD = 400
#: A dense chart shows at most this many lanes; the smallest others share an "Other" lane.
MAX_DENSE_LANES = 16
#: Events labelled per lane in a dense chart (the most important ones).
DENSE_LABELS = 4
STRIP_H = 44.0  # height of a dense lane's counts
_OTHER = "\x00other"

_DATASET_NAMES = {"icews": "ICEWS", "gdelt1": "GDELT", "gdelt": "GDELT", "acled": "ACLED"}


def default_title(events: Sequence[Event]) -> str:
    """A title that says what is drawn: the dataset the events were imported from (when they
    all come from one), else the number of events.

    >>> default_title([Event("2018-06-01", "trade", ["RUS"], "x",
    ...                      extra={"source_dataset": "icews"})])
    'ICEWS events'
    >>> default_title([Event("2024", "trade", ["RUS"], "x")])
    'Timeline of 1 event'
    >>> default_title([])
    'Empty timeline'
    """
    if not events:
        return "Empty timeline"
    names = {e.extra.get("source_dataset", "") for e in events}
    if len(names) == 1:
        (name,) = names
        if name:
            return f"{_DATASET_NAMES.get(name, name.upper())} events"
    n = len(events)
    return f"Timeline of {n} event{'s' if n != 1 else ''}"


def _count_span(e: Event) -> tuple[int, int]:
    """The days an event may fall on for counting: its start if it lasted."""
    w = e.when
    if w.is_interval and w.start is not None:
        return w.start.lo, w.start.hi
    return w.lo, w.hi


def _importance(e: Event) -> tuple[float, ...]:
    """Sort key, most important first: most sources, strongest cooperation–conflict score,
    not hedged, most precise, earliest."""
    from relations.kinds import score_of

    return (
        -len(e.sources),
        -abs(score_of(e.kind) or 0.0),
        float(is_hedged(e)),
        float(e.when.hi - e.when.lo),
        float(e.when.lo),
    )


def render_svg(
    events: Iterable[Event],
    *,
    title: str | None = None,
    subtitle: str | None = None,
    width: int = 1200,
    lanes: LaneSpec = "kind",
    scale: str = "auto",
    labels: bool | None = None,
    max_label_chars: int = 40,
    native_tooltips: bool = True,
    selection: str | None = None,
    colors: Mapping[str, str] | None = None,
    dense: bool | None = None,
) -> tuple[str, list[Event]]:
    """The SVG text and the events drawn as marks, in drawing order (``data-i`` indexes into
    this list; in a dense chart, only the labelled events)."""
    evs = list(events)
    if scale not in ("auto", "linear", "compact"):
        raise InvalidArgument(f"scale={scale!r}: expected 'auto', 'linear' or 'compact'")
    user_colors = check_colors(colors)
    width = max(480, int(width))
    key_of = lane_key_function(lanes)
    n = len(evs)
    if dense is None:
        dense = n > DENSE_THRESHOLD
    if labels is None:
        labels = n <= DENSE_THRESHOLD or dense
    keys = [key_of(e) for e in evs]
    counts: dict[str, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    order = lane_order(keys, lanes, counts)
    if dense and len(order) > MAX_DENSE_LANES:
        keep = set(sorted(order, key=lambda k: (-counts[k], k))[: MAX_DENSE_LANES - 1])
        keys = [k if k in keep else _OTHER for k in keys]
        counts = {k: v for k, v in counts.items() if k in keep}
        counts[_OTHER] = n - sum(counts.values())
        order = [k for k in order if k in keep] + [_OTHER]
    lane_text = {k: pretty_lane(k) for k in order}
    if _OTHER in lane_text:
        lane_text[_OTHER] = f"Other ({len(set(map(key_of, evs))) - MAX_DENSE_LANES + 1} lanes)"
    color = {
        k: "#6f7782" if k == _OTHER else color_for(k, lanes=lanes, colors=user_colors)
        for k in order
    }
    pid = "rl" + hashlib.sha256("\n".join(e.id for e in evs).encode()).hexdigest()[:8]

    lane_w = max([text_width(lane_text[k], 13, bold=True) for k in order] + [90.0])
    plot_x0 = min(20 + lane_w + 18, width * 0.3)
    plot_x1 = width - 24.0
    title = title if title is not None else default_title(evs)

    # the time axis
    all_los = [e.when.lo for e in evs if _bounded(e.when.lo)]
    all_his = [e.when.hi for e in evs if _bounded(e.when.hi)]
    bounded = all_los + all_his
    span = float(max(bounded) - min(bounded)) if bounded else 0.0
    anchors: list[tuple[int, int]] = []
    for e in evs:
        anchors.extend(_anchors(e, span))
    if any(e.when.hi == UNBOUNDED_HI for e in evs) and anchors:
        last = max(b for _, b in anchors)
        room = last + int(max(span * 0.006, 30))  # room for open ends to fade out
        anchors.append((last, room))  # joined to the data: never cut off by an axis cut
    if not anchors:
        anchors = [(0, 0)]
    compact = {"auto": None, "linear": False, "compact": True}[scale]
    ts = build_scale(anchors, plot_x0, plot_x1, compact=compact)
    ticks = ts.ticks()
    seg = ts.segments[0]
    unit = choose_unit(1.0, (seg.x1 - seg.x0) / max(seg.d1 - seg.d0, 1e-9))

    if subtitle is None:
        parts = [f"{n} event{'s' if n != 1 else ''}"]
        if evs:
            parts.append(span_words(evs))
        if selection:
            parts.append(selection)
        if lanes is not None and not callable(lanes):
            parts.append(f"lanes by {_LANE_WORD.get(str(lanes), str(lanes))}")
        if dense:
            parts.append(f"events per {unit}")
        subtitle = " · ".join(parts)

    # vertical layout
    y = 30.0
    head: list[str] = []
    head.append(f'<text x="20" y="{y:.0f}" class="rl-title" id="{pid}-title">{esc(title)}</text>')
    y += 22
    head.append(f'<text x="20" y="{y:.0f}" class="rl-sub">{esc(subtitle)}</text>')
    y += 26
    legend, y = _legend(20.0, y, width - 20.0, pid, cut=bool(ts.breaks), dense=dense)
    head.append(legend)
    axis_top = y + 40
    lanes_top = axis_top + 8
    drawing = _Lanes(
        evs, keys, order, lane_text, counts, color, ts, lanes_top, width, pid, native_tooltips
    )
    if dense:
        backgrounds, body, drawn, lanes_bottom = _dense_lanes(
            drawing, unit, max_label_chars=max(max_label_chars, 60) if labels else 0
        )
    else:
        backgrounds, body, drawn, lanes_bottom = _event_lanes(
            drawing, max_label_chars=max_label_chars if labels else 0
        )
    if not order:
        lanes_bottom = lanes_top + 60
        body.append(
            f'<text x="{(plot_x0 + plot_x1) / 2:.1f}" y="{lanes_top + 34:.1f}" '
            f'text-anchor="middle" class="rl-sub">no events</text>'
        )
    grid, breaks = _grid(ts, ticks, axis_top, lanes_top, lanes_bottom, pid)
    foot_y = lanes_bottom + 44
    if dense:
        notes = [
            f"Each lane shows how many events fall in each {unit}: dark where an event's "
            f"possible days all lie within the {unit}, light where an imprecise date is spread "
            f"over the {unit}s it may fall in, in proportion to its possible days; a lasting "
            f"event counts where it starts. Heights are scaled per lane (its tallest bar is "
            f"given under its name). The most important events of each lane are labelled "
            f"(most sources, then the strongest cooperation or conflict)."
        ]
    else:
        notes = [
            "Faded bands run from the earliest to the latest possible day of an imprecise "
            "date; solid bars show what is certain."
        ]
    if ts.breaks:
        cuts = ", ".join(f"{_day_words(b.d0)} – {_day_words(b.d1)}" for b in ts.breaks)
        notes.append(
            "The time axis has one scale throughout, except where it is cut (hatched breaks "
            f"of equal width) to leave out stretches in which no event starts or ends: {cuts}."
        )
    else:
        notes.append("The time axis is linear: equal lengths of time take equal widths.")
    lines = [ln for t in notes for ln in wrap_text(t, width - 40.0)]
    foot = "".join(
        f'<text x="20" y="{foot_y + 16 * i:.1f}" class="rl-note">{esc(t)}</text>'
        for i, t in enumerate(lines)
    )
    height = foot_y + 16 * len(lines) + 8
    desc = f"{subtitle}. " + " ".join(notes)
    svg = "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
            f'viewBox="0 0 {width} {height:.0f}" role="img" class="rl-chart" '
            f'aria-labelledby="{pid}-title {pid}-desc" font-family="{esc(FONT)}">',
            f'<desc id="{pid}-desc">{esc(desc)}</desc>',
            _defs(pid, [color[k] for k in order]),
            f'<rect width="{width}" height="{height:.0f}" fill="#ffffff"/>',
            *head,
            *backgrounds,
            grid,
            *body,
            breaks,
            foot,
            "</svg>",
        ]
    )
    return svg, drawn


def _lane_head(
    ly: float, h: float, li: int, width: int, c: str, name: str, lines: list[str]
) -> tuple[str, str]:
    """A lane's background and its coloured rule, name and count lines."""
    bg = (
        f'<rect x="0" y="{ly:.1f}" width="{width}" height="{h:.1f}" '
        f'fill="{"#f5f7fa" if li % 2 == 0 else "#ffffff"}"/>'
    )
    head = (
        f'<rect x="12" y="{ly + 8:.1f}" width="4" height="{max(h - 16, 8):.1f}" rx="2" '
        f'fill="{c}"/>'
        f'<text x="24" y="{ly + 22:.1f}" class="rl-lane-name" fill="{_darker(c)}">'
        f"{esc(name)}</text>"
    )
    for i, line in enumerate(lines):
        head += f'<text x="24" y="{ly + 37 + 14 * i:.1f}" class="rl-lane-count">{esc(line)}</text>'
    return bg, head


def _events_word(k: int) -> str:
    return f"{k:,} event{'s' if k != 1 else ''}".replace(",", " ")


class _Lanes(NamedTuple):
    """What both lane layouts draw from: the events and their lane keys, the lanes in order
    with their names, counts and colours, the time scale, where the lanes start, the chart's
    width and id, and whether tooltips are native ``<title>`` elements."""

    evs: list[Event]
    keys: list[str]
    order: list[str]
    lane_text: dict[str, str]
    counts: dict[str, int]
    color: dict[str, str]
    ts: TimeScale
    top: float
    width: int
    pid: str
    native: bool


def _event_lanes(
    lanes: _Lanes, *, max_label_chars: int
) -> tuple[list[str], list[str], list[Event], float]:
    """One mark per event, in rows that keep marks and labels apart."""
    evs, keys, order, lane_text, counts, color, ts, top, width, pid, native = lanes
    cut_xs = [b.x0 for b in ts.breaks]
    items = [
        _geometry(i, e, k, ts, max_label_chars, max_label_chars > 0, width - 6.0, cut_xs)
        for i, (e, k) in enumerate(zip(evs, keys, strict=True))
    ]
    by_lane: dict[str, list[_Item]] = {k: [] for k in order}
    for it in items:
        by_lane[it.lane].append(it)
    backgrounds: list[str] = []
    body: list[str] = []
    ly = top
    for li, k in enumerate(order):
        lane_items = _assign_rows(by_lane[k])
        rows = 1 + max((it.row for it in lane_items), default=0)
        h = max(LANE_PAD_TOP + rows * ROW_H + LANE_PAD_BOTTOM, 46.0)
        c = color[k]
        bg, head = _lane_head(ly, h, li, width, c, lane_text[k], [_events_word(counts[k])])
        backgrounds.append(bg)
        body.append(f'<g class="rl-lane" data-lane="{esc(k)}">{head}')
        for it in sorted(lane_items, key=lambda it: it.index):
            row_top = ly + LANE_PAD_TOP + it.row * ROW_H
            body.append(_draw_item(it, row_top, c, f"{pid}-f{{}}{li}", native, cut_xs))
        body.append("</g>")
        ly += h
    return backgrounds, body, evs, ly


def _dense_lanes(
    lanes: _Lanes, unit: Unit, *, max_label_chars: int
) -> tuple[list[str], list[str], list[Event], float]:
    """Per lane, a strip of counts per period and a row or two of the most important events."""
    evs, keys, order, lane_text, counts, color, ts, top, width, pid, native = lanes
    cut_xs = [b.x0 for b in ts.breaks]
    lo, hi = int(ts.d0), int(ts.d1)
    spans: dict[str, list[tuple[int, int]]] = {k: [] for k in order}
    members: dict[str, list[Event]] = {k: [] for k in order}
    for e, k in zip(evs, keys, strict=True):
        spans[k].append(_count_span(e))
        members[k].append(e)
    label_rows = 0 if max_label_chars <= 0 else (2 if len(order) <= 10 else 1)
    picked: dict[str, list[Event]] = {}
    for k in order:
        chosen: list[Event] = []
        seen: set[str] = set()
        for e in sorted(members[k], key=_importance) if label_rows else ():
            if e.title not in seen:
                seen.add(e.title)
                chosen.append(e)
            if len(chosen) >= DENSE_LABELS * label_rows:
                break
        picked[k] = chosen
    drawn: list[Event] = []
    backgrounds: list[str] = []
    body: list[str] = []
    ly = top
    for li, k in enumerate(order):
        bins = count_by_period(spans[k], unit, lo, hi)
        peak = max((b.total for b in bins), default=0.0)
        h = LANE_PAD_TOP + label_rows * ROW_H + STRIP_H + LANE_PAD_BOTTOM + 4
        h = max(h, 62.0)
        c = color[k]
        peak_text = f"at most {peak:,.0f} a {unit}".replace(",", " ")
        bg, head = _lane_head(
            ly, h, li, width, c, lane_text[k], [_events_word(counts[k]), peak_text]
        )
        backgrounds.append(bg)
        body.append(f'<g class="rl-lane rl-dense" data-lane="{esc(k)}">{head}')
        base = ly + h - LANE_PAD_BOTTOM - 2
        body.append(
            f'<line x1="{ts.x0:.1f}" y1="{base:.1f}" x2="{ts.x1:.1f}" y2="{base:.1f}" '
            f'stroke="{c}" stroke-opacity="0.5"/>'
        )
        for b in bins:
            x0, x1 = ts.x(b.first), ts.x(b.end)
            gap = 1.0 if x1 - x0 > 4 else 0.0
            bw = max(x1 - x0 - gap, 0.8)
            he = STRIP_H * b.exact / peak if peak else 0.0
            hs = STRIP_H * b.spread / peak if peak else 0.0
            period = _period_words(b.first, unit)
            tip = f"{period}: {_events_word(b.exact)} dated within the {unit}"
            if b.spread:
                tip += f", and {b.spread:.3g} spread from imprecise dates"
            body.append(f'<g class="rl-bin" data-first="{b.first}"><title>{esc(tip)}</title>')
            if he > 0:
                body.append(
                    f'<rect x="{x0:.2f}" y="{base - he:.2f}" width="{bw:.2f}" '
                    f'height="{he:.2f}" fill="{c}"/>'
                )
            if hs > 0:
                body.append(
                    f'<rect x="{x0:.2f}" y="{base - he - hs:.2f}" width="{bw:.2f}" '
                    f'height="{hs:.2f}" fill="{c}" fill-opacity="0.3"/>'
                )
            body.append("</g>")
        items = [
            _geometry(j, e, k, ts, max_label_chars, True, width - 6.0, cut_xs)
            for j, e in enumerate(picked[k])
        ]
        placed = sorted(
            (it for it in _assign_rows(items) if it.row < label_rows), key=lambda it: it.index
        )
        for it in placed:
            it = attrs.evolve(it, index=len(drawn))
            drawn.append(it.event)
            row_top = ly + LANE_PAD_TOP + it.row * ROW_H
            body.append(_draw_item(it, row_top, c, f"{pid}-f{{}}{li}", native, cut_xs))
        body.append("</g>")
        ly += h
    return backgrounds, body, drawn, ly


def _period_words(first: int, unit: Unit) -> str:
    from relations.periods import Period

    return str(Period.containing(When.from_ordinals(first, first), unit))


def _day_words(d: float) -> str:
    """A cut's end in words, as precisely as the axis needs (``Jun 1953``).

    >>> from relations.when import ordinal
    >>> _day_words(ordinal(1953, 7, 27))
    'Jul 1953'
    """
    y, m, _ = ymd(int(d))
    return f"{MONTHS_SHORT[m]} {format_year(y)}"


def _darker(color: str, amount: float = 0.3) -> str:
    """The colour mixed with black (for text, which needs more contrast than marks).

    >>> _darker("#ffffff", 0.5)
    '#808080'
    """
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(v * (1 - amount)) for v in (r, g, b)))


def _style() -> str:
    return (
        f".rl-title{{font-size:20px;font-weight:700;fill:{INK}}}"
        f".rl-sub{{font-size:13px;fill:{MUTED}}}"
        f".rl-note{{font-size:11px;fill:{MUTED}}}"
        f".rl-legend{{font-size:12px;fill:{INK}}}"
        ".rl-lane-name{font-size:13px;font-weight:700}"
        f".rl-lane-count{{font-size:11px;fill:{MUTED}}}"
        f".rl-tick{{font-size:11px;fill:{MUTED}}}"
        f".rl-tick-context{{font-size:11px;font-weight:700;fill:{INK}}}"
        f".rl-label{{font-size:12px;fill:{INK}}}"
        f".rl-hedged .rl-label{{font-style:italic;fill:{MUTED}}}"
        ".rl-event:focus{outline:none}"
        ".rl-event:focus .rl-label,.rl-event:hover .rl-label{text-decoration:underline}"
    )


def _defs(pid: str, colors: list[str]) -> str:
    out = [f"<defs><style>{_style()}</style>"]
    out.append(
        f'<pattern id="{pid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#dfe4ea" stroke-width="2"/></pattern>'
    )
    for i, c in enumerate(colors):
        out.append(
            f'<linearGradient id="{pid}-fr{i}" x1="0" x2="1" y1="0" y2="0">'
            f'<stop offset="0" stop-color="{c}" stop-opacity="0.85"/>'
            f'<stop offset="1" stop-color="{c}" stop-opacity="0.05"/></linearGradient>'
            f'<linearGradient id="{pid}-fl{i}" x1="1" x2="0" y1="0" y2="0">'
            f'<stop offset="0" stop-color="{c}" stop-opacity="0.85"/>'
            f'<stop offset="1" stop-color="{c}" stop-opacity="0.05"/></linearGradient>'
        )
    out.append("</defs>")
    return "".join(out)


def _grid(
    ts: TimeScale, ticks: Sequence[Tick], axis_top: float, top: float, bottom: float, pid: str
) -> tuple[str, str]:
    """Gridlines, tick labels and hatched cuts (drawn under the marks), and the cut marks on
    the axis lines (drawn over them)."""
    out = ['<g class="rl-axis">']
    for t in ticks:
        stroke = "#cfd6de" if t.strong else GRID
        out.append(
            f'<line x1="{t.x:.1f}" y1="{top:.1f}" x2="{t.x:.1f}" y2="{bottom:.1f}" '
            f'stroke="{stroke}" stroke-width="1"/>'
        )
        for ty, cy in ((axis_top - 4, axis_top - 17), (bottom + 15, bottom + 28)):
            out.append(
                f'<text x="{t.x:.1f}" y="{ty:.1f}" text-anchor="middle" class="rl-tick">'
                f"{esc(t.label)}</text>"
            )
            if t.context:
                out.append(
                    f'<text x="{t.x:.1f}" y="{cy:.1f}" text-anchor="middle" '
                    f'class="rl-tick-context">{esc(t.context)}</text>'
                )
    for y in (top, bottom):
        out.append(
            f'<line x1="{ts.x0:.1f}" y1="{y:.1f}" x2="{ts.x1:.1f}" y2="{y:.1f}" '
            f'stroke="#9aa5b1" stroke-width="1"/>'
        )
    over = ['<g class="rl-breaks">']
    for b in ts.breaks:
        tip = f"axis cut: no event starts or ends from {_day_words(b.d0)} to {_day_words(b.d1)}"
        out.append(
            f'<rect x="{b.x0 + 2:.1f}" y="{top:.1f}" width="{BREAK_WIDTH - 4:.1f}" '
            f'height="{bottom - top:.1f}" fill="url(#{pid}-hatch)"/>'
        )
        over.append(
            f'<g class="rl-break"><title>{esc(tip)}</title>'
            f'<rect x="{b.x0 + 1:.1f}" y="{top - 7:.1f}" width="{BREAK_WIDTH - 2:.1f}" '
            f'height="14" fill="#ffffff"/>'
            f'<rect x="{b.x0 + 1:.1f}" y="{bottom - 7:.1f}" width="{BREAK_WIDTH - 2:.1f}" '
            f'height="14" fill="#ffffff"/>'
        )
        for y in (top, bottom):
            for dx in (1.0, BREAK_WIDTH - 5):
                over.append(
                    f'<line x1="{b.x0 + dx:.1f}" y1="{y + 6:.1f}" x2="{b.x0 + dx + 4:.1f}" '
                    f'y2="{y - 6:.1f}" stroke="#5f6b7a" stroke-width="1.5"/>'
                )
        over.append("</g>")
    out.append("</g>")
    over.append("</g>")
    return "".join(out), "".join(over)


def _legend(
    x0: float, y: float, x_max: float, pid: str, *, cut: bool = False, dense: bool = False
) -> tuple[str, float]:
    c = "#5f6b7a"
    entries: list[tuple[str, str, int]] = []
    if dense:
        entries += [
            (
                "events dated within the period",
                f'<rect x="0" y="-12" width="6" height="12" fill="{c}"/>'
                f'<rect x="7" y="-7" width="6" height="7" fill="{c}"/>'
                f'<rect x="14" y="-10" width="6" height="10" fill="{c}"/>',
                20,
            ),
            (
                "imprecise dates, spread over the periods they may fall in",
                f'<rect x="0" y="-12" width="6" height="12" fill="{c}" fill-opacity="0.3"/>'
                f'<rect x="7" y="-9" width="6" height="9" fill="{c}" fill-opacity="0.3"/>',
                13,
            ),
        ]
    entries += [
        (
            "dated to the day",
            f'<circle cx="8" cy="-4" r="5" fill="{c}"/>',
            16,
        ),
        (
            "lasting event",
            f'<rect x="0" y="-8" width="28" height="{BAR_H}" rx="2" fill="{c}"/>',
            28,
        ),
        (
            "imprecise date or end: earliest to latest possible day",
            f'<rect x="0" y="-8" width="28" height="{BAR_H}" fill="{c}" fill-opacity="0.22"/>'
            f'<path d="M0.5 -11 V1 M27.5 -11 V1" stroke="{c}" stroke-width="1.2"/>',
            28,
        ),
        (
            "ongoing",
            f'<rect x="0" y="-8" width="28" height="{BAR_H}" fill="url(#{pid}-legend-fade)"/>'
            f'<path d="M27 -11 L33 -4 L27 3 Z" fill="{c}" fill-opacity="0.5"/>',
            34,
        ),
        (
            "claim, estimate or disputed",
            f'<circle cx="8" cy="-4" r="5" fill="#ffffff" stroke="{c}" stroke-width="2" '
            f'stroke-dasharray="3 2"/>',
            16,
        ),
    ]
    if cut:
        entries.append(
            (
                "axis cut: a stretch without events left out",
                f'<rect x="2" y="-13" width="12" height="18" fill="url(#{pid}-hatch)"/>'
                f'<path d="M0 1 L4 -11 M12 1 L16 -11" stroke="{c}" stroke-width="1.5"/>',
                16,
            )
        )
    out = [
        f'<g class="rl-legend-box"><defs><linearGradient id="{pid}-legend-fade" x1="0" x2="1">'
        f'<stop offset="0" stop-color="{c}" stop-opacity="0.85"/>'
        f'<stop offset="1" stop-color="{c}" stop-opacity="0.05"/></linearGradient></defs>'
    ]
    x = x0
    for text, glyph, gw in entries:
        w = gw + 8 + text_width(text, 12)
        if x + w > x_max and x > x0:
            x = x0
            y += 20
        out.append(
            f'<g transform="translate({x:.1f},{y:.1f})">{glyph}'
            f'<text x="{gw + 7}" y="0" class="rl-legend">{esc(text)}</text></g>'
        )
        x += w + 22
    out.append("</g>")
    return "".join(out), y


def _draw_item(
    it: _Item, top: float, color: str, gradient: str, native: bool, cuts: Sequence[float]
) -> str:
    e = it.event
    hedged = is_hedged(e)
    cls = "rl-event rl-hedged" if hedged else "rl-event"
    cy = top + MARK_Y
    lines = tooltip_lines(e)
    aria = esc(". ".join(lines[:3]))
    out = [
        f'<g class="{cls}" data-event-id="{esc(e.id)}" data-i="{it.index}" '
        f'data-status="{esc(e.status.value)}" tabindex="0" aria-label="{aria}">'
    ]
    if native:
        out.append(f"<title>{esc(chr(10).join(lines))}</title>")
    dash = ' stroke-dasharray="3 2"' if e.status.value in ("claimed", "disputed") else ""
    if it.kind == "point":
        cx = (it.left + it.right) / 2
        if hedged:
            out.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="#ffffff" stroke="{color}" '
                f'stroke-width="2"{dash}/>'
            )
        else:
            out.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{color}" stroke="#ffffff" '
                f'stroke-width="1"/>'
            )
    else:
        for style, a, b in it.parts:
            out.append(_part(style, a, b, cy, color, hedged, dash, gradient))
        for bx in cuts:  # a bar that crosses an axis cut is visibly cut too
            if it.left < bx - 3 and bx + BREAK_WIDTH + 3 < it.right:
                m = bx + BREAK_WIDTH / 2
                out.append(
                    f'<path d="M{m - 5:.1f} {cy + 7:.1f} L{m - 1:.1f} {cy - 7:.1f} '
                    f'L{m + 5:.1f} {cy - 7:.1f} L{m + 1:.1f} {cy + 7:.1f} Z" fill="#ffffff"/>'
                )
    if it.label:
        inside = it.label_anchor == "inside"
        if inside:  # a label on a bar gets a white backing so both stay readable
            lw = text_width(it.label, LABEL_FONT)
            out.append(
                f'<rect x="{it.label_x - 3:.1f}" y="{top + LABEL_Y - 11:.1f}" '
                f'width="{lw + 6:.1f}" height="14" rx="3" fill="#ffffff" fill-opacity="0.85"/>'
            )
        out.append(
            f'<text x="{it.label_x:.1f}" y="{top + LABEL_Y:.1f}" '
            f'class="{"rl-label rl-on-bar" if inside else "rl-label"}" '
            f'text-anchor="{"start" if inside else it.label_anchor}">{esc(it.label)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _part(
    style: str, a: float, b: float, cy: float, color: str, hedged: bool, dash: str, gradient: str
) -> str:
    """One piece of a mark; ``gradient`` is the id pattern of the lane's fades (``{}`` is
    ``r`` for a fade to the right, ``l`` to the left)."""
    y = cy - BAR_H / 2
    w = max(b - a, 0.0)
    if style == "core":
        if hedged:
            return (
                f'<rect x="{a:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BAR_H}" rx="2" '
                f'fill="{color}" fill-opacity="0.18" stroke="{color}" stroke-width="1.5"{dash}/>'
            )
        return (
            f'<rect x="{a:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BAR_H}" rx="2" '
            f'fill="{color}"/>'
        )
    if style == "fuzzy":
        return (
            f'<rect x="{a:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BAR_H}" fill="{color}" '
            f'fill-opacity="0.22"/>'
            f'<path d="M{a + 0.5:.1f} {y - 3:.1f} V{y + BAR_H + 3:.1f} '
            f'M{b - 0.5:.1f} {y - 3:.1f} V{y + BAR_H + 3:.1f}" stroke="{color}" '
            f'stroke-width="1.2"{dash}/>'
        )
    # open or unknown ends fade out towards the edge of the chart
    right = style.endswith("end")
    op = "1" if style.startswith("open") else "0.5"
    fill = gradient.format("r" if right else "l")
    grad = (
        f'<rect x="{a:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BAR_H}" '
        f'fill="url(#{fill})" fill-opacity="{op}"/>'
    )
    if style.startswith("open"):
        tip = b if right else a
        d = 6 if right else -6
        grad += (
            f'<path d="M{tip:.1f} {y - 3:.1f} L{tip + d:.1f} {cy:.1f} L{tip:.1f} '
            f'{y + BAR_H + 3:.1f} Z" fill="{color}" fill-opacity="0.6"/>'
        )
    return grad


def to_svg(events: Iterable[Event], **options: Unpack[ChartOptions]) -> str:
    """Draw events as a self-contained SVG timeline (a string; no external assets).

    Args:
        events: a Timeline or any iterable of events.
        title: the chart's title (default: "ICEWS events" and the like for imported data,
            else "Timeline of N events").
        subtitle: the line under it (default: count, the real span of the events drawn,
            ``selection``, lanes).
        width: in pixels (default 1200, at least 480); the height follows from the lanes
            and rows.
        lanes: ``"kind"`` (top-level kind; the default), ``"actor"`` (first, acting actor),
            ``"dyad"``, ``"status"``, a function ``Event -> str``, or None for one lane.
        scale: ``"linear"``; ``"compact"`` cuts empty stretches out of the time axis (each
            cut a hatched break, named in the legend and notes; the rest keeps one scale);
            ``"auto"`` (the default) cuts only if that frees 40% of the axis, else stays linear.
        labels: label the events (default: every event up to 400; the most important ones
            in a dense chart).
        max_label_chars: longer titles are cut with "…" (default 40; the tooltip has the full
            title).
        selection: words for the filters that chose the events ("kind military, 2022 to
            2025"), shown in the subtitle.
        colors: lane value → ``#rrggbb``, overriding :func:`relations.render.palette.color_for`
            (a kind, status, actor or dyad has the same colour in every chart).
        dense: count events per period in each lane instead of one mark per event (default:
            above 400 events), with the most important events labelled.

    Every event is one ``<g class="rl-event" data-event-id="...">`` element with a
    ``<title>`` tooltip; all text is escaped.

    >>> from relations.events import Event
    >>> svg = to_svg([Event("2024", "trade", ["RUS", "PRK"], "<b>Trade</b> & more")])
    >>> "&lt;b&gt;Trade&lt;/b&gt; &amp; more" in svg and "<b>" not in svg
    True
    """
    return render_svg(events, native_tooltips=True, **options)[0]
