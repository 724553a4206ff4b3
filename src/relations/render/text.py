"""The terminal view: one aligned line per event, and series as tables with bars.

Each line shows the date in EDTF (which says how precise it is: ``2024-10~`` is "about
October 2024"), the same date in words, the actors (``PRK → RUS`` when one acts on the other),
and the title; claims, estimates and disputed events say so in brackets. Lines never exceed
``width`` columns: long fields are cut with "…".

>>> from relations.events import Event
>>> print(to_text([
...     Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed"),
...     Event("2024-10~", "military.deployment", ["PRK", "RUS"], "Troops sent to Kursk",
...           directed=True, status="estimated"),
... ]))
2024-06-19  19 Jun 2024  RUS · PRK  Treaty signed
2024-10~    c. Oct 2024  PRK → RUS  Troops sent to Kursk [estimate]
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from relations.events import Event
from relations.quantities import Quantity
from relations.render._common import actors_label, hedge_note
from relations.render._words import when_in_words

__all__ = ["display_width", "series_to_text", "to_text"]

_MIN_TITLE = 16
_CAPS = {"edtf": 25, "words": 28, "actors": 18}


def _cw(c: str) -> int:
    if unicodedata.combining(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def display_width(s: str) -> int:
    """Columns that ``s`` takes in a terminal (wide East Asian characters count two).

    >>> display_width("abc"), display_width("北朝鮮")
    (3, 6)
    """
    return sum(_cw(c) for c in s)


def _clean(s: str) -> str:
    """One line of printable text: whitespace runs become one space, and control characters
    (which could move the cursor or recolour a terminal) become "�"."""
    s = " ".join(s.split())
    if any(unicodedata.category(c) == "Cc" for c in s):
        s = "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in s)
    return s


def fit(s: str, n: int) -> str:
    """Cut ``s`` to at most ``n`` columns, ending in "…" when cut.

    >>> fit("a\x1b[31mred", 20), fit("a long title", 8)
    ('a�[31mred', 'a long…')
    """
    s = _clean(s)
    if display_width(s) <= n:
        return s
    if n <= 0:
        return ""
    out, used = [], 0
    for c in s:
        w = _cw(c)
        if used + w > n - 1:
            break
        out.append(c)
        used += w
    return "".join(out).rstrip() + "…"


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - display_width(s))


_Row = tuple[str, str, str, str, str]  # EDTF, words, actors, title, hedge note


def _rows(events: Sequence[Event]) -> list[_Row]:
    return [
        (str(e.when), when_in_words(e.when, short=True), actors_label(e), e.title, hedge_note(e))
        for e in events
    ]


def _title_with_note(title: str, note: str, n: int) -> str:
    """The title cut to fit, with its ``[disputed]``-style note always shown whole.

    A disagreement must never be cut away to make room: the title gives way, not the note.

    >>> _title_with_note("A very long title about a bridge", "disputed", 24)
    'A very long… [disputed]'
    """
    if not note:
        return fit(title, n)
    mark = f" [{_clean(note)}]"
    room = n - display_width(mark)
    if room < 4:
        return fit(mark.strip(), n)
    return fit(title, room) + mark


def to_text(
    events: Iterable[Event],
    *,
    width: int = 100,
    limit: int | None = None,
    title: str | None = None,
    words: bool = True,
) -> str:
    """Render events as aligned lines of text, at most ``width`` columns each.

    Args:
        events: a Timeline or any iterable of events, shown in the given order.
        width: the longest line allowed (at least 40); columns shrink, and then the words
            column is dropped, to keep the title readable.
        limit: show at most this many events (the first and last halves, with a line saying
            how many were left out); None shows all.
        title: an optional first line.
        words: show the date in words beside the EDTF date.

    >>> from relations.events import Event
    >>> e = Event("1950-06-25/1953-07-27", "war", ["PRK", "KOR"], "Korean War")
    >>> print(to_text([e]))
    1950-06-25/1953-07-27  25 Jun 1950 – 27 Jul 1953  PRK · KOR  Korean War
    >>> print(to_text([e], width=50))
    1950-06-25/1953-07-27  PRK · KOR  Korean War
    >>> print(to_text([e] * 5, limit=2, words=False))
    1950-06-25/1953-07-27  PRK · KOR  Korean War
    … 3 more events …
    1950-06-25/1953-07-27  PRK · KOR  Korean War
    >>> to_text([])
    '(no events)'
    """
    width = max(40, int(width))
    seq = events if isinstance(events, Sequence) else list(events)
    n = len(seq)
    head: Sequence[Event] = seq
    tail: Sequence[Event] = ()
    if limit is not None and n > max(limit, 1):
        k = max(limit, 1)
        head, tail = seq[: (k + 1) // 2], seq[n - k // 2 :] if k // 2 else ()
    rows = _rows(head) + _rows(tail)
    lines: list[str] = [] if title is None else [fit(title, width)]
    if not rows:
        return "\n".join([*lines, "(no events)"])
    cols = [
        min(_CAPS["edtf"], max(display_width(r[0]) for r in rows)),
        min(_CAPS["words"], max(display_width(r[1]) for r in rows)) if words else 0,
        min(_CAPS["actors"], max(display_width(r[2]) for r in rows)),
    ]
    shown = [c for c in cols if c]
    fixed = sum(shown) + 2 * len(shown)
    wrap = False
    if width - fixed < _MIN_TITLE and words:
        cols[1] = 0  # the EDTF text still says how precise the date is
        shown = [c for c in cols if c]
        fixed = sum(shown) + 2 * len(shown)
    if width - fixed < _MIN_TITLE:
        wrap = True  # the title goes on its own, indented line
    room = width - fixed

    def line(r: _Row) -> list[str]:
        parts = [_pad(fit(r[0], cols[0]), cols[0])]
        if cols[1]:
            parts.append(_pad(fit(r[1], cols[1]), cols[1]))
        parts.append(_pad(fit(r[2], cols[2]), cols[2]) if not wrap else fit(r[2], cols[2]))
        if wrap:
            head = fit("  ".join(parts).rstrip(), width)  # very narrow: actors give way too
            return [head, "  " + _title_with_note(r[3], r[4], width - 2)]
        parts.append(_title_with_note(r[3], r[4], room))
        return ["  ".join(parts).rstrip()]

    for r in rows[: len(head)]:
        lines.extend(line(r))
    if tail or (limit is not None and n > len(head)):
        lines.append(f"… {n - len(head) - len(tail)} more events …")
    for r in rows[len(head) :]:
        lines.extend(line(r))
    return "\n".join(lines)


def _number(v: object) -> float | None:
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


_EIGHTHS = " ▏▎▍▌▋▊▉█"


def _bar(x: float, scale: float, cells: int) -> str:
    if scale <= 0 or x <= 0:
        return ""
    eighths = round(x / scale * cells * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def format_key(part: object, name: str = "") -> str:
    """Text for one part of a key (a dyad reads ``PRK–RUS``, a directed one ``PRK→RUS``).

    >>> format_key(("PRK", "RUS"), "dyad"), format_key(("PRK", "RUS"), "directed_dyad")
    ('PRK–RUS', 'PRK→RUS')
    """
    if isinstance(part, tuple):
        sep = "→" if name == "directed_dyad" else "–"
        return sep.join(format_key(p) for p in part)
    if part is None:
        return "NA"
    return str(part)


def format_value(value: object) -> str:
    """Text for one value: numbers compactly, quantities with their bounds, timelines by size.

    >>> format_value(3), format_value(0.083333), format_value(12345678.9), format_value(None)
    ('3', '0.08333', '12345679', 'NA')
    >>> format_value(Quantity.at_least(11000, "people"))
    'at least 11 000 people'
    """
    if value is None:
        return "NA"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if abs(value) >= 1e4:
            return f"{value:.0f}"
        return f"{value:.4g}"
    if isinstance(value, Quantity):
        return str(value)
    if hasattr(value, "least") and hasattr(value, "most"):  # an Interval between events
        lo, hi = getattr(value, "least"), getattr(value, "most")  # noqa: B009
        if lo == hi and lo is not None:
            return f"{lo} days"
        return f"{'…' if lo is None else lo}–{'…' if hi is None else hi} days"
    title = getattr(value, "title", None)
    when = getattr(value, "when", None)
    if isinstance(title, str) and when is not None:  # an Event
        return f"{when} {title}"
    if hasattr(value, "_events"):  # a Timeline
        n = len(cast(Any, value))
        return f"{n} event{'s' if n != 1 else ''}"
    return str(value)


def key_text(series: object, key: object) -> str:
    """Text for a key of ``series``, its parts named by the series' ``key_names``.

    >>> from relations.series import Series
    >>> s = Series({("PRK", "RUS"): 3}, key_names=("directed_dyad",))
    >>> key_text({}, ("PRK", "RUS")), key_text(s, ("PRK", "RUS"))
    ('PRK–RUS', 'PRK→RUS')
    """
    names: Any = getattr(series, "key_names", ())
    if isinstance(key, tuple) and len(names) > 1:
        return " · ".join(
            format_key(p, names[i] if i < len(names) else "") for i, p in enumerate(key)
        )
    return format_key(key, names[0] if names else "")


def series_items(series: object) -> list[tuple[object, object]]:
    items = getattr(series, "items", None)
    if callable(items):
        return list(items())
    if isinstance(series, Mapping):  # pragma: no cover - Mappings have items()
        return list(series.items())
    raise TypeError(f"expected a Series or a mapping, not {type(series).__name__}")


def series_to_text(series: object, *, width: int = 80, title: str | None = None) -> str:
    """A series (or any mapping of key → number) as a table with bars.

    Bars are proportional to the values (negative values get their own bars to the left of
    the axis). A :class:`~relations.series.Series` also says its policy and, if any, how many
    events could not be placed.

    >>> print(series_to_text({"2022": 3.8, "2023": 34.4, "2024": 34.0, "2025": 52.9}, width=50))
    2022   3.8  ██▊
    2023  34.4  ████████████████████████▊
    2024    34  ████████████████████████▍
    2025  52.9  ██████████████████████████████████████
    >>> print(series_to_text({"a": -2, "b": 1}, width=30))
    a  -2  ███████████████│
    b   1                 │███████
    """
    width = max(30, int(width))
    items = series_items(series)
    lines: list[str] = [] if title is None else [fit(title, width)]
    if not items:
        lines.append("(empty series)")
    else:
        kcap = max(12, min(40, width // 3))
        keys = [fit(key_text(series, k), kcap) for k, _ in items]
        vals = [format_value(v) for _, v in items]
        nums = [_number(v) for _, v in items]
        names: Any = getattr(series, "key_names", None)
        name: Any = getattr(series, "name", None)
        header = None
        if isinstance(names, tuple) and isinstance(name, str):
            header = (" · ".join(str(n) for n in names), name)
            keys.insert(0, fit(header[0], kcap))
            vals.insert(0, name)
        kw = max(display_width(k) for k in keys)
        vw = min(max(24, width // 3), max(display_width(v) for v in vals))
        if header is not None:
            lines.append(f"{_pad(keys.pop(0), kw)}  {fit(vals.pop(0), vw).rjust(vw)}")
        room = max(4, width - kw - vw - 4)
        finite = [x for x in nums if x is not None]
        top = max((x for x in finite if x > 0), default=0.0)
        bottom = -min((x for x in finite if x < 0), default=0.0)
        neg_cells = round(room * bottom / (top + bottom)) if bottom else 0
        pos_cells = room - neg_cells - (1 if bottom else 0)
        for k, v, x in zip(keys, vals, nums, strict=True):
            bar = ""
            if x is not None and bottom:  # an axis: negative bars to its left
                left = "█" * round(-x / bottom * neg_cells) if x < 0 else ""
                bar = " " * (neg_cells - len(left)) + left + "│" + _bar(x, top, pos_cells)
            elif x is not None:
                bar = _bar(x, top, pos_cells)
            lines.append(f"{_pad(k, kw)}  {fit(v, vw).rjust(vw)}  {bar}".rstrip())
    notes = series_notes(series)
    if notes:
        lines.append(fit(notes, width))
    return "\n".join(lines)


def series_notes(series: object) -> str:
    notes = []
    policy: Any = getattr(series, "policy", None)
    if isinstance(policy, str) and policy:
        notes.append(f"policy: {policy}")
    unplaced: Any = getattr(series, "unplaced", None)
    try:
        k = len(unplaced) if unplaced is not None else 0
    except TypeError:
        k = 0
    if k:
        notes.append(f"{k} event{'s' if k != 1 else ''} not placed (too imprecise)")
    missing: Any = getattr(series, "missing", 0)
    if isinstance(missing, int) and missing:
        notes.append(f"{missing} event{'s' if missing != 1 else ''} without a value")
    return " · ".join(notes)
