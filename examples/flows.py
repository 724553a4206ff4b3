"""What flowed between Russia and North Korea, in each direction.

Run it as it is:  python examples/flows.py

A directed event (``directed: true``) has its sender first: ``PRK → RUS`` for shells, troops
and workers, ``RUS → PRK`` for air defence, technology, oil and debt relief. `from_to` selects
them by direction; `group_by("kind")` splits them by kind; each event's quantities say how
much, with the bounds its sources give ("at least 11 000", "about 3 000").
"""

from __future__ import annotations

from relations import timeline

tl = timeline.load("russia-north-korea")

# The kinds that are flows of something: weapons, technology, troops, labour, money, oil and
# students. Visits and statements are directed too, but they are acts, not flows.
FLOW_KINDS = (
    "arms",
    "technology",
    "military.deployment",
    "labour",
    "economic",
    "sanction.violation",
    "exchange",
)


def show_direction(source: str, target: str) -> None:
    """Print the flows from ``source`` to ``target``, grouped by kind, with quantities."""
    flows = tl.from_to(source, target).of_kind(*FLOW_KINDS)
    title = f"{source} → {target}: {len(flows)} flows"
    print(f"\n{title}\n{'=' * len(title)}")
    # group_by("kind") gives a Series: kind → the Timeline of the events of that kind.
    for kind, events in flows.group_by("kind").items():
        print(f"{kind} ({len(events)})")
        for e in events:
            print(f"  {e.when!s:<16} {e.title} [{e.status}]")
            for name, q in e.quantities.items():
                print(f"  {'':<16}   {name}: {q}")


show_direction("RUS", "PRK")
show_direction("PRK", "RUS")

# ---- troops: adding up the deployments ------------------------------------------------------
# Sums keep the bounds: "at least 11 000" plus "about 3 000" is "about at least 14 000". Only
# events that are not claims or disputed are added up.
deployed = (
    tl.from_to("PRK", "RUS")
    .of_kind("military.deployment")
    .with_status("confirmed", "reported", "estimated")
    .with_quantity("soldiers")
)
total = deployed.sum("soldiers", by="kind")["military.deployment"]
seoul = tl["rnk-2025-04-27-kor-total-troops-estimate"]
print("\nNorth Korean soldiers sent to Russia")
print("====================================")
for e in deployed:
    print(f"  {e.when!s:<10} {e.quantities['soldiers']!s:>26}  {e.title}")
print(f"  {'total':<10} {total!s:>26}")
print(f"  South Korea's estimate ({seoul.when}): {seoul.quantities['soldiers']}")

# ---- how much, by the assessments -----------------------------------------------------------
# Many amounts come from assessments, which are undirected: their actors are the parties they
# are about, and `claimed_by` says who made them.
assessments = (
    tl.of_kind("claim.assessment")
    .involving("PRK", "RUS")
    .with_quantity("artillery_shells", "ballistic_missiles", "workers", "oil_barrels", any=True)
)
print("\nAmounts by the assessments")
print("==========================")
for e in assessments:
    # No claimant: the assessment is the reporting outlet's own.
    who = ", ".join(e.claimed_by) or ", ".join(s.publisher for s in e.sources)
    print(f"  {e.when} ({who}): {e.title}")
    for name, q in e.quantities.items():
        print(f"      {name}: {q}")
