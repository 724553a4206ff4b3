"""Export events for other tools: TimelineJS, Mermaid, vis-timeline, Markdown.

All four are plain functions of the events (a Timeline or any iterable of events, exported in
the order given) returning plain Python data or text; none needs a third-party package.
Every piece of user text is escaped for the target format (HTML for TimelineJS and
vis-timeline, Mermaid entity codes, Markdown backslash escapes), so a title such as
``<script>`` or ``a | b`` shows as written and breaks nothing.

Imprecise dates stay imprecise: TimelineJS gets partial dates (year only, year and month),
vis-timeline draws an event known only to the month or year as a range over it, Mermaid and
Markdown show the EDTF text (``2024-10~``, ``196X``).

>>> from relations import Event, timeline
>>> tl = timeline.of(
...     Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed", id="t"),
...     Event("2024-10", "military.deployment", ["PRK", "RUS"], "Troops: 11 000", id="d"))
>>> print(to_mermaid(tl, title="Russia–DPRK"))
timeline
    title Russia–DPRK
    2024-06-19 : Treaty signed
    2024-10 : Troops#58; 11 000
>>> to_timelinejs(tl)["events"][1]["start_date"]
{'year': 2024, 'month': 10}
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import quote

from relations.errors import InvalidArgument
from relations.events import Event
from relations.when import UNBOUNDED_HI, UNBOUNDED_LO, Precision, When, ymd

__all__ = ["LINK_SCHEMES", "link_url", "to_markdown", "to_mermaid", "to_timelinejs", "to_vis"]

GroupBy = Literal["actors", "kind"]
Bucket = Literal["day", "month", "year"]


# ---- dates --------------------------------------------------------------------------------


def _bounded(n: int) -> bool:
    return UNBOUNDED_LO < n < UNBOUNDED_HI


def _iso(n: int) -> str:
    y, m, d = ymd(n)
    year = f"{y:04d}" if 0 <= y <= 9999 else f"{y:+07d}"  # ISO 8601 expanded years
    return f"{year}-{m:02d}-{d:02d}"


def _ends(w: When) -> tuple[When | None, When | None]:
    """The start and end of an interval; a point is its own start and end."""
    if w.is_interval:
        return w.start, w.end
    return w, w


def _tl_date(w: When, *, at_end: bool = False) -> dict[str, Any]:
    """A TimelineJS date object at the When's own precision (partial dates are native)."""
    n = w.hi if at_end else w.lo
    y, m, d = ymd(n)
    p = w.precision
    date: dict[str, Any] = {"year": y}
    if p <= Precision.MONTH:
        date["month"] = m
    if p <= Precision.DAY:
        date["day"] = d
    plain = p in (Precision.DAY, Precision.MONTH, Precision.YEAR)
    if not plain or w.approximate or w.uncertain or str(w) != _plain_text(w):
        date["display_date"] = str(w)
    return date


def _plain_text(w: When) -> str:
    y, m, d = ymd(w.lo)
    if w.precision == Precision.YEAR:
        return f"{y:04d}"
    if w.precision == Precision.MONTH:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _group(e: Event, group_by: GroupBy | None) -> str | None:
    if group_by is None:
        return None
    if group_by == "actors":
        return "–".join(e.actors)
    if group_by == "kind":
        return e.kind.split(".", 1)[0]
    raise InvalidArgument(f"group_by must be 'actors', 'kind' or None, not {group_by!r}")


# ---- TimelineJS ---------------------------------------------------------------------------


#: The URL schemes an exported link may have (``javascript:`` or ``data:`` never).
LINK_SCHEMES = ("http://", "https://")


def link_url(url: str | None) -> str | None:
    """``url`` if an exported link may point there (an http or https URL), else None.

    :class:`~relations.Source` accepts only web URLs already; the exporters check again, so
    that no ``javascript:`` or ``data:`` link is ever written, however a Source was made.

    >>> link_url("https://un.org/x"), link_url("javascript:alert(1)"), link_url("data:,x")
    ('https://un.org/x', None, None)
    """
    if isinstance(url, str) and url.lower().startswith(LINK_SCHEMES):
        return url
    return None


def _html_sources(e: Event) -> str:
    links = []
    for s in e.sources:
        label = html.escape(s.publisher + (f": {s.title}" if s.title else ""))
        url = link_url(s.url)
        if url is not None:
            links.append(f'<a href="{html.escape(url, quote=True)}">{label}</a>')
        else:
            links.append(label)
    return ("<p>Sources: " + "; ".join(links) + "</p>") if links else ""


def to_timelinejs(
    events: Iterable[Event], *, title: str | None = None, group_by: GroupBy | None = None
) -> dict[str, Any]:
    """The events as TimelineJS 3 JSON (``json.dumps`` it for ``new TL.Timeline(...)``).

    Each event is a slide: ``unique_id`` is the event id, ``start_date``/``end_date`` are
    TimelineJS date objects at the event's own precision (a year-only date has just
    ``year``; a month has ``year`` and ``month``), with the EDTF text as ``display_date``
    whenever it says more (``2024-10~``, ``196X``, an uncertain or one-of date). An interval
    gets an ``end_date``; one with an unknown start starts at its end. Events with neither
    end known cannot be placed and are left out. ``text.headline`` is the title and
    ``text.text`` the summary and sources, HTML-escaped. ``group_by`` ("actors" or "kind")
    fills TimelineJS's ``group``. Years are astronomical, as in EDTF (0 is 1 BCE).

    >>> from relations import Event, Source
    >>> e = Event("1950/1953", "war", ["PRK", "KOR"], "Korean <War>", id="w",
    ...           sources=[Source("UN", url="https://un.org/?a=1&b=2")])
    >>> slide = to_timelinejs([e], group_by="actors")["events"][0]
    >>> slide["start_date"], slide["end_date"], slide["group"]
    ({'year': 1950}, {'year': 1953}, 'PRK–KOR')
    >>> slide["text"]["headline"], slide["text"]["text"]
    ('Korean &lt;War&gt;', '<p>Sources: <a href="https://un.org/?a=1&amp;b=2">UN</a></p>')
    """
    slides: list[dict[str, Any]] = []
    for e in events:
        start, end = _ends(e.when)
        if start is None and end is None:
            continue
        slide: dict[str, Any] = {"unique_id": e.id}
        if start is not None:
            slide["start_date"] = _tl_date(start)
            if e.when.is_interval and end is not None:
                slide["end_date"] = _tl_date(end, at_end=True)
        else:
            assert end is not None
            slide["start_date"] = _tl_date(end, at_end=True)
        if e.when.is_interval and (start is None or end is None):
            slide["display_date"] = str(e.when)
        body = (f"<p>{html.escape(e.summary)}</p>" if e.summary else "") + _html_sources(e)
        slide["text"] = {"headline": html.escape(e.title), "text": body}
        group = _group(e, group_by)
        if group is not None:
            slide["group"] = html.escape(group)
        slides.append(slide)
    out: dict[str, Any] = {"events": slides}
    if title is not None:
        out["title"] = {"text": {"headline": html.escape(title), "text": ""}}
    return out


# ---- Mermaid ------------------------------------------------------------------------------

_MERMAID = str.maketrans(
    {
        "#": "#35;",
        ":": "#58;",
        ";": "#59;",
        "<": "#60;",
        ">": "#62;",
        "&": "#38;",
        '"': "#34;",
        "%": "#37;",
        "\n": " ",
        "\r": " ",
        "\t": " ",
    }
)


def mermaid_text(text: str) -> str:
    """Text made safe for one Mermaid label: ``:``, ``;``, ``#``, ``<``, ``>``, ``&``, ``"``
    and ``%`` become entity codes (``#58;``), line breaks become spaces.

    >>> mermaid_text('a: b; <c> & "d" #1 100%')
    'a#58; b#59; #60;c#62; #38; #34;d#34; #35;1 100#37;'
    """
    return " ".join(text.translate(_MERMAID).split())


def _label(w: When, bucket: Bucket | None) -> str:
    if bucket is None or not _bounded(w.lo):
        return str(w)
    fine = {"day": Precision.DAY, "month": Precision.MONTH, "year": Precision.YEAR}.get(bucket)
    if fine is None:
        raise InvalidArgument(f"bucket must be 'day', 'month', 'year' or None, not {bucket!r}")
    if w.precision > fine:
        return str(w)
    text = _iso(w.lo)
    return {"day": text, "month": text[:-3], "year": text[:-6]}[bucket]


def to_mermaid(
    events: Iterable[Event], *, title: str | None = None, bucket: Bucket | None = None
) -> str:
    """The events as a Mermaid ``timeline`` diagram (text for Markdown, GitHub, docs).

    Each time period is a line ``period : title : title ...``. The period is the event's
    EDTF date (``bucket=None``), or its day, month or year (``bucket="month"`` puts
    ``2024-06-19`` under ``2024-06``); an event known less precisely than the bucket keeps its
    own text. Titles are escaped with Mermaid entity codes (a ``:`` would start a new event).

    >>> from relations import Event
    >>> evs = [Event("2024-06-19", "trade", ["RUS"], "A", id="a"),
    ...        Event("2024-06-25", "trade", ["RUS"], "B; c", id="b")]
    >>> print(to_mermaid(evs, bucket="month"))
    timeline
        2024-06 : A : B#59; c
    """
    periods: dict[str, list[str]] = {}
    for e in events:
        periods.setdefault(_label(e.when, bucket), []).append(mermaid_text(e.title))
    lines = ["timeline"]
    if title is not None:
        lines.append(f"    title {mermaid_text(title)}")
    for period, titles in periods.items():
        lines.append(f"    {mermaid_text(period)} : " + " : ".join(titles))
    return "\n".join(lines)


# ---- vis-timeline -------------------------------------------------------------------------


def to_vis(events: Iterable[Event], *, group_by: GroupBy | None = "actors") -> dict[str, Any]:
    """The events as vis-timeline data: ``{"items": [...], "groups": [...]}``.

    An event known to the day is a ``point``; one known only to the month, year or a wider
    range is a ``range`` over every day it may have happened (class
    ``relations-imprecise``); an interval is a ``range`` from its earliest start to its latest
    end (class ``relations-interval``); an interval with one open or unknown end is a ``box``
    at its known end (class ``relations-open``); events with no known end at all are left
    out. ``start``/``end`` are ISO dates (``end`` is exclusive: the day after the last
    possible day). ``content`` and the ``title`` tooltip are HTML-escaped. Items are grouped by
    actors (``"RUS–PRK"``), by top-level kind, or not at all (``group_by=None``).

    >>> from relations import Event
    >>> vis = to_vis([Event("2024-10", "military.deployment", ["PRK", "RUS"], "Troops <sent>",
    ...                     id="d")])
    >>> vis["items"][0]
    {'id': 'd', 'content': 'Troops &lt;sent&gt;', 'title': '2024-10: Troops &lt;sent&gt;', 'start': '2024-10-01', 'end': '2024-11-01', 'type': 'range', 'className': 'relations-imprecise', 'group': 'PRK–RUS'}
    >>> vis["groups"]
    [{'id': 'PRK–RUS', 'content': 'PRK–RUS'}]
    """
    items: list[dict[str, Any]] = []
    groups: dict[str, dict[str, str]] = {}
    for e in events:
        w = e.when
        lo_ok, hi_ok = _bounded(w.lo), _bounded(w.hi)
        if not lo_ok and not hi_ok:
            continue
        text = html.escape(e.title)
        item: dict[str, Any] = {
            "id": e.id,
            "content": text,
            "title": f"{html.escape(str(w))}: {text}",
        }
        if lo_ok and hi_ok:
            if not w.is_interval and w.lo == w.hi and w.precision <= Precision.DAY:
                item.update(start=_iso(w.lo), type="point")
            else:
                item.update(start=_iso(w.lo), end=_iso(w.hi + 1), type="range")
                item["className"] = "relations-interval" if w.is_interval else "relations-imprecise"
        else:
            item.update(start=_iso(w.lo if lo_ok else w.hi), type="box")
            item["className"] = "relations-open"
        group = _group(e, group_by)
        if group is not None:
            gid = html.escape(group)
            item["group"] = gid
            groups.setdefault(gid, {"id": gid, "content": gid})
        items.append(item)
    return {"items": items, "groups": list(groups.values())}


# ---- Markdown -----------------------------------------------------------------------------

_MD_SPECIAL = frozenset("\\`*_[]<>|&~#!{}")


def markdown_text(text: str) -> str:
    """Text made safe for a Markdown table cell: special characters backslash-escaped
    (including ``|``), line breaks turned into spaces.

    >>> markdown_text("a|b *c* <d>\\nnext")
    'a\\\\|b \\\\*c\\\\* \\\\<d\\\\> next'
    """
    flat = " ".join(text.split())
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in flat)


def _md_url(url: str) -> str:
    return quote(url, safe=":/?#@!$&'*+,;=%-._~[]")


def to_markdown(events: Iterable[Event], *, sources: bool = True) -> str:
    """The events as a Markdown (GFM) table: When, Kind, Actors, Title (and Sources).

    Cell text is escaped (``|``, ``*``, ``<``, ...), so the table stays a table and shows
    the text as written; sources with a URL become links.

    >>> from relations import Event, Source
    >>> print(to_markdown([Event("2024-10~", "military.deployment", ["PRK", "RUS"],
    ...                          "Troops | *sent*", id="d", sources=[Source("BBC",
    ...                          url="https://bbc.com/a b")])]))
    | When | Kind | Actors | Title | Sources |
    |---|---|---|---|---|
    | 2024-10\\~ | military.deployment | PRK, RUS | Troops \\| \\*sent\\* | [BBC](https://bbc.com/a%20b) |
    """
    head = ["When", "Kind", "Actors", "Title"] + (["Sources"] if sources else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for e in events:
        cells = [
            markdown_text(str(e.when)),
            markdown_text(e.kind),
            markdown_text(", ".join(e.actors)),
            markdown_text(e.title),
        ]
        if sources:
            refs = []
            for s in e.sources:
                label = markdown_text(s.publisher)
                url = link_url(s.url)
                refs.append(f"[{label}]({_md_url(url)})" if url else label)
            cells.append("; ".join(refs))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
