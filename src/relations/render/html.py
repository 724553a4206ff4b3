"""One self-contained HTML page: the SVG timeline, a tooltip per event, and a table.

The page loads nothing from anywhere: styles and the small script are inline, and a Content
Security Policy forbids every external load and every script but the page's own (by its
SHA-256 hash), so even text that slipped past escaping could not run. Hovering or focusing a
mark shows its tooltip (title, date in EDTF and in words, status, actors, quantities, sources
with links); clicking pins it, so that its links can be followed; Escape closes it. A link to
``page.html#event=<id>`` opens with that event's tooltip pinned. Below the chart, every event
is listed in a table that works without the script.

>>> from relations.events import Event, Source
>>> page = to_html([Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"],
...                       "Treaty <signed>", sources=[Source("TASS", url="https://tass.com/x")])])
>>> page.startswith("<!DOCTYPE html>"), "Treaty &lt;signed&gt;" in page, "<signed>" in page
(True, True, False)
>>> '<a href="https://tass.com/x"' in page
True
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from relations.actors import Actor
from relations.errors import UnknownActor
from relations.events import Event
from relations.render._common import esc, hedge_note
from relations.render._words import when_in_words
from relations.render.svg import default_title, render_svg

if TYPE_CHECKING:
    from typing import Unpack

    from relations._timeline import ChartOptions

__all__ = ["event_details_html", "html_fragment", "safe_url", "to_html"]

_SCRIPT = r"""(function () {
  "use strict";
  var tip = document.getElementById("rl-tip");
  var marks = document.querySelectorAll("g.rl-event");
  var pinned = null;
  function place(x, y) {
    var pad = 14, w = tip.offsetWidth, h = tip.offsetHeight;
    var vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
    var left = x + pad, top = y + pad;
    if (left + w > vw - 8) { left = Math.max(8, x - w - pad); }
    if (top + h > vh - 8) { top = Math.max(8, y - h - pad); }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }
  function fill(g) {
    var src = document.getElementById("rl-d-" + g.getAttribute("data-i"));
    if (!src) { return false; }
    var copies = [];
    for (var i = 0; i < src.childNodes.length; i++) { copies.push(src.childNodes[i].cloneNode(true)); }
    tip.replaceChildren.apply(tip, copies);
    return true;
  }
  function show(g, x, y) {
    if (!fill(g)) { return; }
    tip.hidden = false;
    place(x, y);
  }
  function hide() {
    if (pinned) { pinned.classList.remove("rl-pinned"); }
    pinned = null;
    tip.hidden = true;
    tip.classList.remove("rl-is-pinned");
  }
  function pin(g, x, y) {
    hide();
    pinned = g;
    g.classList.add("rl-pinned");
    tip.classList.add("rl-is-pinned");
    show(g, x, y);
  }
  function fromHash() {
    var h = window.location.hash, id;
    if (h.indexOf("#event=") !== 0) { return; }
    try { id = decodeURIComponent(h.slice(7)); } catch (err) { return; }
    for (var i = 0; i < marks.length; i++) {
      if (marks[i].getAttribute("data-event-id") === id) {
        var c = centre(marks[i]);
        pin(marks[i], c[0], c[1]);
        return;
      }
    }
  }
  function centre(g) {
    var r = g.getBoundingClientRect();
    return [r.left + Math.min(r.width, 40) / 2, r.top + r.height / 2];
  }
  Array.prototype.forEach.call(marks, function (g) {
    g.addEventListener("mouseenter", function (e) { if (!pinned) { show(g, e.clientX, e.clientY); } });
    g.addEventListener("mousemove", function (e) { if (!pinned) { place(e.clientX, e.clientY); } });
    g.addEventListener("mouseleave", function () { if (!pinned) { tip.hidden = true; } });
    g.addEventListener("focus", function () { if (!pinned) { var c = centre(g); show(g, c[0], c[1]); } });
    g.addEventListener("blur", function () { if (!pinned) { tip.hidden = true; } });
    g.addEventListener("click", function (e) {
      e.stopPropagation();
      if (pinned === g) { hide(); return; }
      var c = centre(g);
      pin(g, e.clientX || c[0], e.clientY || c[1]);
    });
    g.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); g.dispatchEvent(new MouseEvent("click")); }
    });
  });
  tip.addEventListener("click", function (e) { e.stopPropagation(); });
  document.addEventListener("click", hide);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
  window.addEventListener("scroll", function () { if (!pinned) { tip.hidden = true; } }, true);
  window.addEventListener("hashchange", fromHash);
  fromHash();
  document.documentElement.setAttribute("data-rl-ready", String(marks.length));
})();
"""

_CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#eef1f5;color:#1f2933;
font:14px/1.45 'Helvetica Neue',Helvetica,Arial,'Liberation Sans','DejaVu Sans',sans-serif}
main{max-width:none;padding:16px}
.rl-card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(15,23,42,.12);
padding:8px;overflow-x:auto}
.rl-card svg{display:block;max-width:none;height:auto}
.rl-hint{color:#5f6b7a;font-size:12px;margin:8px 4px 0}
g.rl-event{cursor:pointer}
g.rl-event.rl-pinned .rl-label{font-weight:700}
.rl-tip{position:fixed;z-index:10;max-width:420px;background:#fff;border:1px solid #cfd6de;
border-radius:8px;box-shadow:0 8px 24px rgba(15,23,42,.18);padding:10px 12px;font-size:13px}
.rl-tip.rl-is-pinned{border-color:#0072B2}
.rl-tip h3{margin:0 0 4px;font-size:14px;line-height:1.3}
.rl-tip p{margin:3px 0}
.rl-tip ul{margin:4px 0 0;padding-left:18px}
.rl-tip code,.rl-list code{background:#f1f4f8;border-radius:3px;padding:0 3px;font-size:12px}
.rl-muted{color:#5f6b7a}
.rl-badge{display:inline-block;border-radius:9px;padding:0 7px;font-size:11px;font-weight:700;
text-transform:uppercase;letter-spacing:.03em;background:#e7ecf2;color:#334155}
.rl-badge.confirmed{background:#dcfce7;color:#166534}
.rl-badge.claimed{background:#fef3c7;color:#92400e}
.rl-badge.estimated{background:#e0f2fe;color:#075985}
.rl-badge.disputed{background:#fee2e2;color:#991b1b}
.rl-list{margin-top:16px;background:#fff;border-radius:10px;padding:8px 12px;
box-shadow:0 1px 3px rgba(15,23,42,.12)}
.rl-list summary{cursor:pointer;font-weight:700;padding:4px 0}
.rl-list table{border-collapse:collapse;width:100%;font-size:13px}
.rl-list th,.rl-list td{text-align:left;vertical-align:top;padding:4px 8px;
border-top:1px solid #e3e7ec}
.rl-list th{color:#5f6b7a;font-weight:600}
"""


def safe_url(url: object) -> str | None:
    """The URL if it is an http(s) link, else None (no ``javascript:`` or ``data:`` links).

    >>> safe_url("https://tass.com/x"), safe_url("javascript:alert(1)"), safe_url(" HTTP://a")
    ('https://tass.com/x', None, None)
    """
    if not isinstance(url, str):
        return None
    if url.startswith(("http://", "https://")) and not any(c.isspace() for c in url):
        return url
    return None


def _actor_name(code: str) -> str:
    try:
        return Actor.resolve(code).name
    except (UnknownActor, KeyError):
        return code


def _actors_words(e: Event) -> str:
    names = [_actor_name(c) for c in e.actors]
    if e.directed:
        return f"{names[0]} → {', '.join(names[1:])}"
    return ", ".join(names)


def event_details_html(e: Event) -> str:
    """The tooltip of one event as escaped HTML: title, date in EDTF and words, status,
    actors, kind, summary, quantities, location and sources (links only for http(s) URLs).

    >>> from relations.events import Event
    >>> print(event_details_html(Event("2024-10~", "military.deployment", ["PRK", "RUS"],
    ...                                "Troops & <b>more</b>", directed=True)))
    <h3>Troops &amp; &lt;b&gt;more&lt;/b&gt;</h3><p><code>2024-10~</code> about October 2024</p><p><span class="rl-badge reported">reported</span> <span class="rl-muted">military.deployment</span></p><p>North Korea → Russia</p>
    """
    out = [f"<h3>{esc(e.title)}</h3>"]
    out.append(f"<p><code>{esc(e.when)}</code> {esc(when_in_words(e.when))}</p>")
    note = hedge_note(e)
    status = f'<span class="rl-badge {esc(e.status.value)}">{esc(e.status.value)}</span>'
    if e.claimed_by:
        status += " by " + esc(", ".join(_actor_name(c) for c in e.claimed_by))
    elif note and note not in ("estimate", "disputed"):
        status += f" {esc(note)}"
    out.append(f'<p>{status} <span class="rl-muted">{esc(e.kind)}</span></p>')
    out.append(f"<p>{esc(_actors_words(e))}</p>")
    if e.location:
        out.append(f'<p class="rl-muted">{esc(e.location)}</p>')
    if e.summary:
        out.append(f"<p>{esc(e.summary)}</p>")
    if e.quantities:
        q = "; ".join(f"{k}: {v}" for k, v in e.quantities.items())
        out.append(f"<p>{esc(q)}</p>")
    if e.sources:
        items = []
        for s in e.sources:
            text = esc(s.publisher) + (f" — {esc(s.title)}" if s.title else "")
            url = safe_url(s.url)
            if url is not None:
                text = f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{text}</a>'
            if s.published is not None:
                text += f' <span class="rl-muted">({esc(when_in_words(s.published))})</span>'
            if s.quote:
                text += f"<br><q>{esc(s.quote)}</q>"
            items.append(f"<li>{text}</li>")
        out.append(f'<p class="rl-muted">Sources:</p><ul>{"".join(items)}</ul>')
    return "".join(out)


def _table(events: list[Event]) -> str:
    rows = []
    for e in events:
        sources = ", ".join(
            (
                f'<a href="{esc(u)}" target="_blank" rel="noopener noreferrer">'
                f"{esc(s.publisher)}</a>"
                if (u := safe_url(s.url)) is not None
                else esc(s.publisher)
            )
            for s in e.sources
        )
        rows.append(
            f"<tr><td><code>{esc(e.when)}</code><br>"
            f'<span class="rl-muted">{esc(when_in_words(e.when))}</span></td>'
            f"<td>{esc(_actors_words(e))}</td><td>{esc(e.title)}</td>"
            f'<td><span class="rl-badge {esc(e.status.value)}">{esc(e.status.value)}</span></td>'
            f"<td>{sources}</td></tr>"
        )
    return (
        f'<details class="rl-list"><summary>All {len(events)} events as a table</summary>'
        "<table><thead><tr><th>Date</th><th>Actors</th><th>Event</th><th>Status</th>"
        f"<th>Sources</th></tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def _script_hash() -> str:
    digest = hashlib.sha256(_SCRIPT.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def to_html(events: Iterable[Event], **options: Unpack[ChartOptions]) -> str:
    """One self-contained HTML page with the timeline chart (see :func:`to_svg` for the
    arguments), a tooltip per event and a table of the events drawn (in a dense chart, the
    labelled ones).

    >>> from relations.events import Event
    >>> page = to_html([Event("2024", "trade", ["RUS", "PRK"], "Trade")], title="T & T")
    >>> "<title>T &amp; T</title>" in page, 'data-i="0"' in page, 'id="rl-d-0"' in page
    (True, True, True)
    >>> "http" in page.split("<body>")[0].replace("http-equiv", "")  # nothing loaded from outside
    False
    """
    events = list(events)
    svg, evs = render_svg(events, native_tooltips=False, **options)
    title = options.get("title")
    page_title = title if title is not None else default_title(events)
    details = "".join(
        f'<div id="rl-d-{i}">{event_details_html(e)}</div>' for i, e in enumerate(evs)
    )
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src '{_script_hash()}'; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="relations">'
        f"<title>{esc(page_title)}</title><style>{_CSS}</style></head>\n<body><main>"
        f'<div class="rl-card">{svg}</div>'
        '<p class="rl-hint">Hover over or tab to an event for its details and sources; click '
        "to pin the details (Escape closes them).</p>"
        '<div id="rl-tip" class="rl-tip" role="tooltip" hidden></div>'
        f"{_table(evs)}"
        f'<div hidden aria-hidden="true">{details}</div>'
        f"</main>\n<script>{_SCRIPT}</script>\n</body></html>\n"
    )


def html_fragment(events: Iterable[Event], **options: object) -> str:
    """The chart as an HTML fragment for notebooks: the SVG (with its native tooltips) in a
    horizontally scrolling box; no script, so it also shows in untrusted notebooks.

    >>> from relations.events import Event
    >>> html_fragment([Event("2024", "trade", ["RUS"], "Trade")]).startswith("<div")
    True
    """
    from relations.render.svg import to_svg

    svg = to_svg(events, **options)  # type: ignore[arg-type]
    return f'<div style="overflow-x:auto;max-width:100%">{svg}</div>'
