"""A tour of the bundled Russia–North Korea dataset.

Run it as it is:  python examples/tour.py

It shows how big the dataset is and what period it covers, counts the events by kind and by
status (how well each is sourced), lists the events of 2024, and puts one disagreement
between sources side by side: the library keeps both accounts, linked, and never hides one.
"""

from __future__ import annotations

import textwrap

from relations import Event, timeline

tl = timeline.load("russia-north-korea")


def heading(text: str) -> None:
    print(f"\n{text}\n{'=' * len(text)}")


# ---- size and span --------------------------------------------------------------------------
heading("The Russia–North Korea dataset")
first, last = tl.first(), tl.last()
actors = sorted({code for e in tl for code in e.actors})
publishers = {s.publisher for e in tl for s in e.sources}
print(f"events:      {len(tl)}")
print(f"actors:      {len(actors)} ({', '.join(actors)})")
print(f"publishers:  {len(publishers)} distinct sources cited")
print(f"first event: {first.when}  {first.title}")
print(f"last event:  {last.when}  {last.title}")
# The span runs from the earliest possible day to the latest; it stays open ("..") because
# some events (the deployment to Kursk, the war in Ukraine) are still going on.
print(f"span:        {tl.span()}")

# ---- counts ---------------------------------------------------------------------------------
# `by="kind:1"` groups by the root of each kind: "military.deployment" counts as "military".
heading("Events by kind (root)")
print(tl.count(by="kind:1"))

# The status says how well an event is sourced: confirmed (two independent or one official
# source), reported (one credible source), estimated, claimed (by a party, or only by the
# article) and disputed (other sources contradict it).
heading("Events by status")
print(tl.count(by="status"))

# ---- the events of 2024 ---------------------------------------------------------------------
# mode="within" keeps the events certainly inside 2024; the default, mode="overlaps", also
# keeps everything that *may* fall in 2024 (the war since 2022, the open-ended deployment).
in_2024 = tl.between("2024", "2024", mode="within")
touching_2024 = tl.between("2024", "2024")
heading(f"The events of 2024 ({len(in_2024)} within the year, {len(touching_2024)} overlapping it)")
print(in_2024.to_text(words=False, width=120))

# ---- a disagreement, side by side -----------------------------------------------------------
# The article's version of a fact is its own event, with an honest status, linked to the
# better-sourced account. Here: the bridge over the Tumen River.
article = tl["rnk-2025-04-30-tumen-bridge-article"]
better = tl[article.links[0]]


def describe(e: Event) -> list[str]:
    """The lines that describe one account: date, status, title, figures, sources."""
    lines = [f"when: {e.when}", f"status: {e.status}", *textwrap.wrap(e.title, 44)]
    lines += [f"{name}: {q}" for name, q in e.quantities.items()]
    lines += ["sources:"] + [f"  - {s.publisher}" for s in e.sources]
    return lines


heading("A disagreement, side by side: the Tumen River bridge")
left, right = describe(article), describe(better)
print(f"{'the article':<46}  better sourced")
print(f"{'-' * 44:<46}  {'-' * 44}")
for i in range(max(len(left), len(right))):
    a = left[i] if i < len(left) else ""
    b = right[i] if i < len(right) else ""
    print(f"{a:<46}  {b}".rstrip())
print()
print(textwrap.fill(f"Why: {article.summary}", 92))
