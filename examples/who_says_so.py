"""Who says so: claims versus confirmed facts, by source and by claimant.

Run it as it is:  python examples/who_says_so.py

Every event carries its sources (publishers) and a status: confirmed, reported, estimated,
claimed or disputed. A claim made by a party names it in ``claimed_by`` (UKR, KOR, USA, ...);
a claim with no ``claimed_by`` rests on its cited source alone. A disputed event links to the
events that contradict it. This script asks, of the bundled dataset: how well sourced are the
article's statements, which publishers and which states say what, and where do sources disagree.
"""

from __future__ import annotations

from collections import Counter

from relations import Status, timeline

tl = timeline.load("russia-north-korea")
ARTICLE = "GEOPOLITIKS"  # the publisher of the article the dataset is built around


def heading(text: str) -> None:
    print(f"\n{text}\n{'=' * len(text)}")


def events_word(n: int) -> str:
    return f"{n} event{'s' if n != 1 else ''}"


# ---- the article versus everything else, by status ------------------------------------------
# sourced_by() selects the events citing a publisher; `-` is set difference on timelines.
article = tl.sourced_by(ARTICLE)
others = tl - article
by_article = article.count(by="status")
by_others = others.count(by="status")
heading("Status of the events: the article's versus the others'")
print(f"{'status':<10} {'article':>8} {'others':>8} {'all':>6}")
for status in Status:  # confirmed, reported, claimed, estimated, disputed
    a, o = by_article.get(status, 0), by_others.get(status, 0)
    print(f"{status!s:<10} {a:>8} {o:>8} {a + o:>6}")
print(f"{'total':<10} {len(article):>8} {len(others):>8} {len(tl):>6}")

# Claims with no claimant rest on their source alone: for the article, these are its
# statements that no other source was found for.
unsupported = article.with_status("claimed").where(lambda e: not e.claimed_by)
print(f"\nStated only by the article ({len(unsupported)}):")
for e in unsupported:
    print(f"  {e.when!s:<10} {e.title}")

# ---- by publisher ---------------------------------------------------------------------------
# How many events each publisher is cited for (once per event), and their status mix.
cited = Counter(p for e in tl for p in dict.fromkeys(s.publisher for s in e.sources))
heading("The most cited publishers")
for publisher, n in sorted(cited.items(), key=lambda item: (-item[1], item[0]))[:8]:
    mix = tl.sourced_by(publisher).count(by="status")
    parts = ", ".join(f"{n_status} {status}" for status, n_status in mix.items())
    print(f"{publisher:<32.32} {events_word(n):>9}  ({parts})")
print(f"... {len(cited)} publishers in all")

# ---- by claimant ----------------------------------------------------------------------------
# Assertions and assessments made by a party name it in `claimed_by`.
claimants = Counter(code for e in tl for code in e.claimed_by)
heading("By claimant (claimed_by)")
for code, n in claimants.most_common():
    events = tl.where(lambda e, code=code: code in e.claimed_by)
    mix = ", ".join(f"{k} {status}" for status, k in events.count(by="status").items())
    print(f"{code}: {events_word(n)} ({mix})")
    for e in events:
        print(f"  {e.when!s:<20} {e.status!s:<9}  {e.title}")

# ---- disputes, with what they are linked to -------------------------------------------------
# A disputed event is kept, never dropped, and links to the account that contradicts it.
disputed = tl.with_status("disputed")
heading(f"Disputed events ({len(disputed)}) and what they are linked to")
for e in disputed:
    print(f"{e.when}  {e.title}")
    print(f"  sources: {', '.join(s.publisher for s in e.sources)}")
    for linked_id in e.links:
        other = tl[linked_id]
        print(f"  -> {other.when!s:<22} [{other.status}] {other.title}")
