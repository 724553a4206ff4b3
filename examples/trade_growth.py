"""How Russia–North Korea trade grew, and how much of that growth is well sourced.

Run it as it is:  python examples/trade_growth.py

The article says trade grew from $3.8 million (2022) to $52.9 million (2025). This script
computes that growth factor from the dataset, then asks what the better-sourced figures say:
the 2025 figure rests on the article alone (status "claimed"), while 2023 is official Russian
statistics and 2024 an industry estimate.
"""

from __future__ import annotations

from relations import Quantity, timeline

tl = timeline.load("russia-north-korea")


def millions(amount: Quantity | float) -> str:
    """A dollar amount (a number or a Quantity, by its best estimate) in millions."""
    return f"${float(amount) / 1e6:.1f} million"


# ---- every trade figure, with its status and sources ----------------------------------------
# Each year's trade is one `trade.volume` event with a `trade_usd` quantity; its status says how
# well it is sourced.
print("Russia–North Korea trade, year by year")
print("======================================")
for e in tl.with_quantity("trade_usd"):
    publishers = "; ".join(s.publisher for s in e.sources)
    print(f"{e.when!s:<6} {millions(e.quantities['trade_usd']):>15}  {e.status!s:<9}  {publishers}")

# ---- the article's growth factor ------------------------------------------------------------
# `sum` gives one total per year (a Series keyed by periods); each year here has exactly one
# trade event, so the total is that year's figure. `growth(a, b)` is s[b] / s[a] - 1.
# Summing over the trade events only keeps the other events out of the series' "missing" count.
trade_events = tl.of_kind("trade")
trade = trade_events.sum("trade_usd", by="year")
factor = trade.growth("2022", "2025") + 1
per_year = trade.growth("2022", "2025", compound=True)
print()
print("By the article's figures")
print("========================")
print(f"2022: {millions(trade['2022'])}  ->  2025: {millions(trade['2025'])}")
print(f"growth factor 2022 -> 2025: {factor:.1f}x  ({per_year:.0%} a year, compounded)")

# ---- the better-sourced figures -------------------------------------------------------------
# Keep only the figures that are confirmed, reported or estimated: the claim that rests on the
# article alone drops out, and with it the 2025 value.
sourced = trade_events.with_status("confirmed", "reported", "estimated").sum("trade_usd", by="year")
print()
print("By the better-sourced figures (confirmed, reported or estimated)")
print("================================================================")
print(sourced)
latest = list(sourced)[-1]  # the latest year with a sourced figure
# The 2022 figure itself is derived: a Russian official called 2023 "nine times" 2022.
print(f"2022 -> 2023: {sourced.growth('2022', '2023') + 1:.1f}x ('nine times', said Ushakov)")
print(f"2022 -> {latest}: {sourced.growth('2022', latest) + 1:.1f}x")
print(f"2023 -> 2024: {sourced.growth('2023', '2024'):+.0%}")
print(f"years with a sourced figure: {', '.join(str(year) for year in sourced)}")

# ---- the 2025 figure, weighed ---------------------------------------------------------------
claim = tl["rnk-2025-trade-volume-article"]
print()
print("The 2025 figure")
print("===============")
print(f"{claim.title} [status: {claim.status}]")
n_sources = len(claim.sources)
how_many = "one source" if n_sources == 1 else f"{n_sources} sources"
print(f"sources: {', '.join(s.publisher for s in claim.sources)} ({how_many})")
print(f"it is {trade.growth('2024', '2025'):+.0%} on the 2024 estimate", end="")
print(f" and {trade.growth('2019', '2025'):+.0%} on 2019 ({millions(trade['2019'])}),")
print(f"so most of the {factor:.1f}x is a recovery from the 2022 low, not new trade.")
print(f"linked to: {', '.join(claim.links)}")
