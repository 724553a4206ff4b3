"""Draw the bundled Russia–North Korea timeline as one self-contained HTML page.

Run it as it is:  python examples/chart.py [OUTPUT.html]

It writes ``russia-north-korea.html`` in the current directory (or the path given) and an SVG
beside it. Open the page in any browser, offline: hover over an event (or tab to it) for its
dates, status and sources; click to pin the details; ``#event=<id>`` in the address opens one
event. Imprecise dates are drawn as faded bands from the earliest to the latest possible day,
claims and estimates as hollow marks, and the axis gives busy years more room (every cut in it
is marked).
"""

from __future__ import annotations

import sys
from pathlib import Path

from relations import timeline

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("russia-north-korea.html")
out.parent.mkdir(parents=True, exist_ok=True)
tl = timeline.load("russia-north-korea")
title = "Russia – North Korea, 1945–2025"

tl.save_chart(out, title=title)  # the page: chart, tooltips and a table of every event
tl.save_chart(out.with_suffix(".svg"), title=title)  # the picture alone, for documents

disputed = tl.with_status("disputed", "claimed")
print(f"wrote {out} and {out.with_suffix('.svg')}: {len(tl)} events")
print(f"{len(disputed)} of them are claims or disputed: drawn hollow, labelled as such")
print(f"open {out.resolve().as_uri()} in a browser")
