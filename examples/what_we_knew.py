"""What we knew, and when: valid time and record time over the Russia–North Korea dataset.

The script records the bundled dataset into an SQLite event store (in a temporary directory)
the way an analyst would have: each event on the day after it became known. One casualty
report is first recorded wrongly (the Western figure of about 4 000 *casualties* entered as
4 000 *killed*) and corrected a few days later. Then it prints both views:

- what we knew on 2025-01-25 about the casualties in Kursk, and what we know now;
- the state of the relationship on 2024-12-31 as it was known on 2024-11-15, and as known now.

Run it with ``python examples/what_we_knew.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import pendulum

from relations import Event, Quantity, Source
from relations.relationship import Relationship
from relations.store import Correction, SQLiteStore
from relations.timeline import Timeline, load

STREAM = "rus-prk"
MISREAD = "rnk-2024-12-dprk-casualties-about-4000"
ASKED_ON = "2025-01-25"  # record time: what did we know then?
CASUALTIES_BY = "2025-01-31"  # valid time: casualties over periods ending by then


def recorded_on(e: Event) -> dt.date:
    """When an analyst would have recorded ``e``: the day after it became known.

    A casualty report is known when its period ends; anything else once it has certainly
    begun (the latest day its start could be).
    """
    if e.kind.startswith("military.casualties"):
        last = e.hi
    else:
        start = e.when.start or e.when
        last = start.hi
    return dt.date.fromordinal(last + 1)


def clock_at(day: dt.date) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, 9, 0, tz="UTC")


def describe(e: Event) -> str:
    amounts = ", ".join(f"{name} {q}" for name, q in e.quantities.items())
    who = "; ".join(dict.fromkeys(s.publisher for s in e.sources))
    return f"{e.when}: {amounts} ({e.status}) [{who}]"


def casualty_reports(tl: Timeline) -> list[str]:
    last_day = pendulum.parse(CASUALTIES_BY).date().toordinal()  # type: ignore[union-attr]
    reports = tl.of_kind("military.casualties").involving("PRK")
    return [describe(e) for e in reports if e.hi <= last_day]


def main() -> int:
    tl = load("russia-north-korea")
    # The first version of one report: "about 4 000" entered as killed, not casualties.
    good = tl[MISREAD]
    misread = good.evolve(quantities={"killed": Quantity.about(4_000, "people")})
    first_versions = [misread if e.id == MISREAD else e for e in tl]

    # What happened on which day: one batch of events per day, and the correction later.
    correction = Correction(
        MISREAD,
        {
            "quantities.killed": Quantity.about(1_000, "people"),
            "quantities.casualties": Quantity.about(4_000, "people"),
        },
        "about 4 000 is killed, wounded, missing and captured; about 1 000 killed",
        source=Source("BBC", "North Korean casualties in Kursk", published="2025-01"),
    )
    days: dict[dt.date, list[Event | Correction]] = defaultdict(list)
    for e in first_versions:
        day = dt.date(2025, 1, 23) if e.id == MISREAD else recorded_on(e)  # BBC, c. 22 Jan
        days[day].append(e)
    days[dt.date(2025, 1, 28)].append(correction)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rus-prk.db"
        today = {"t": pendulum.now("UTC")}
        with SQLiteStore(path, clock=lambda: today["t"]) as store:
            for day in sorted(days):
                today["t"] = clock_at(day)
                store.append(STREAM, days[day])
            today["t"] = pendulum.now("UTC")
            records = store.read_all()
            print(f"Recorded {len(records)} events and corrections on {len(days)} days "
                  f"into {path.name}, stream {STREAM!r}.")  # fmt: skip
            again = store.append(STREAM, first_versions)
            print(f"Recording the events again writes nothing: {again.written} new, "
                  f"{sum(again.already_present)} already present.")  # fmt: skip

            print()
            print(f"== DPRK casualties in Kursk, periods ending by {CASUALTIES_BY} ==")
            print(f"What we knew on {ASKED_ON}:")
            for line in casualty_reports(store.timeline(known_at=ASKED_ON)):
                print(f"  {line}")
            print("What we know now:")
            for line in casualty_reports(store.timeline()):
                print(f"  {line}")
            print(f"History of {MISREAD}:")
            for rev in store.history(MISREAD):
                how = "recorded" if rev.amendment is None else "corrected"
                why = "" if rev.amendment is None else f" because {rev.amendment.reason!r}"
                amounts = ", ".join(f"{k} {q}" for k, q in rev.event.quantities.items())
                print(f"  {rev.recorded_at.to_date_string()} {how}: {amounts}{why}")

            print()
            then = Relationship("RUS", "PRK", timeline=store.timeline(known_at="2024-11-15"))
            now = Relationship("RUS", "PRK", timeline=store.timeline())
            print("== The relationship on 2024-12-31, as known on 2024-11-15 ==")
            print(then.as_of("2024-12-31"))
            print()
            print("== The relationship on 2024-12-31, as known now ==")
            print(now.as_of("2024-12-31"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
