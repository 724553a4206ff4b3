"""The timeline around the 2024 Comprehensive Strategic Partnership Treaty.

Run it as it is:  python examples/treaty_2024.py

The treaty was signed in Pyongyang on 19 June 2024, ratified by both sides in October and
November, and entered into force on 4 December 2024, the day the 2000 treaty ended. Its
mutual-defence clause was followed within months by the deployment of North Korean troops to
the Kursk region. This script shows the treaty's lifecycle, every Russia–North Korea event that
began from six months before the signing to six months after the entry into force, the Kursk
deployment, and the state of the relationship at a few dates.
"""

from __future__ import annotations

import textwrap

from relations import timeline
from relations.relationship import Relationship

tl = timeline.load("russia-north-korea")
signed = tl["rnk-2024-06-19-treaty-signed"]
in_force = tl["rnk-2024-12-04-treaty-in-force"]
kursk = tl["rnk-2024-10-dprk-troops-deployed-kursk"]


def heading(text: str) -> None:
    print(f"\n{text}\n{'=' * len(text)}")


# ---- the lifecycle --------------------------------------------------------------------------
# The treaty's events share the tag "treaty-2024"; `of_kind("agreement.treaty")` keeps the
# lifecycle (signed, submitted, ratified, in force). `e.lo` is the event's earliest day as a
# day number, so differences are days.
heading("The treaty's lifecycle")
lifecycle = tl.tagged("treaty-2024").of_kind("agreement.treaty")
for e in lifecycle:
    stage = e.kind.removeprefix("agreement.treaty.").replace("_", " ")
    days = e.lo - signed.lo
    print(f"{e.when!s:<11} {stage:<10} day {days:>+4}  {e.title} [{e.status}]")
print(f"\nsigned {signed.when}, in force {in_force.when}: {in_force.lo - signed.lo} days apart")
print(textwrap.fill(f"mutual defence: {signed.summary}", 92))

# ---- six months either side -----------------------------------------------------------------
# `when.earliest` is a pendulum Date, so month arithmetic is at hand. `since(start)` keeps the
# events that certainly began on or after `start`; `as_of(end, definitely=True)` those that had
# certainly begun by `end`. Together: events that began inside the window, including the
# deployment, which began in October 2024 and has no end yet ("2024-10/..").
start = signed.when.earliest.subtract(months=6)
end = in_force.when.latest.add(months=6)
window = tl.involving("Russia", "North Korea").since(start).as_of(end, definitely=True)
heading(f"Russia–North Korea, {start} to {end} ({len(window)} events)")
print(window.to_text(words=False, width=140))

# ---- the Kursk deployment -------------------------------------------------------------------
heading("The Kursk deployment")
print(f"{kursk.title}: {kursk.when} ({kursk.status}), soldiers {kursk.quantities['soldiers']}")
# Known to the month: it began 104 to 134 days after the signing, between the first and the
# last day of October 2024 (`when.start` is the When of its start).
first_day, last_day = kursk.lo - signed.lo, kursk.when.start.hi - signed.lo
submitted = tl["rnk-2024-10-14-treaty-sent-to-duma"]
duma = tl["rnk-2024-10-24-treaty-ratified-duma"]
print(f"began {first_day} to {last_day} days after the signing, in the month the treaty went")
print(f"to the State Duma (submitted {submitted.when}, ratified by the Duma {duma.when})")
print(textwrap.fill(kursk.summary, 92))
print("reported, claimed and acknowledged:")
print(tl.tagged("kursk").between(start, end, mode="within").to_text(words=False, width=140))

# ---- the state of the relationship, date by date --------------------------------------------
# A projection folds the events into the state of the relationship as of any date: here, how
# far the treaty had got and how many North Korean soldiers were deployed in Russia.
heading("As of ...")
relationship = Relationship.of("Russia", "North Korea", timeline=tl)
print(f"{'date':<11} {'2024 treaty':<12} DPRK soldiers in Russia")
for day in ("2024-06-01", "2024-07-01", "2024-10-20", "2024-11-15", "2024-12-31", str(end)):
    state = relationship.as_of(day)
    treaty = next((a for a in state.agreements if a.id == signed.id), None)
    troops = state.troops().get(("PRK", "RUS"))
    stage = treaty.status if treaty is not None else "not signed"
    print(f"{day:<11} {stage:<12} {troops if troops is not None else 'none'}")
