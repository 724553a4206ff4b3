"""Hypothesis strategies shared by the test suite (a public copy lives in relations.testing).

They generate values across the whole model: mixed precisions (day, month, year), qualifiers,
intervals with known and open ends, bounded and approximate quantities, several sources.
"""

from __future__ import annotations

import calendar

from hypothesis import strategies as st

from relations import Event, InvalidDate, When
from relations.kinds import VOCABULARY
from relations.testing import edtf_texts as public_edtf_texts
from relations.testing import quantities, sources
from relations.timeline import Timeline

# ---- dates: the whole EDTF model (day … millennium, X digits, qualifiers, sets) -----------

_Q = st.sampled_from(["", "", "", "", "?", "~", "%"])

years = st.one_of(
    st.integers(1900, 2030),
    st.integers(1, 9999),
    st.integers(-9999, 9999),
)


def _year_text(y: int) -> str:
    return f"{y:04d}" if y >= 0 else f"-{-y:04d}"


def _days_in(y: int, m: int) -> int:
    # calendar.monthrange works for years 1..9999 only; use the proleptic rule for the rest
    if m == 2:
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        return 29 if leap else 28
    return calendar.monthrange(2001, m)[1]


@st.composite
def plain_dates(draw: st.DrawFn, min_year: int = -9999, max_year: int = 9999) -> str:
    """A plain (unqualified) date of day, month or year precision."""
    y = draw(st.integers(min_year, max_year))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    text = _year_text(y)
    if precision == "year":
        return text
    m = draw(st.integers(1, 12))
    text += f"-{m:02d}"
    if precision == "month":
        return text
    return text + f"-{draw(st.integers(1, _days_in(y, m))):02d}"


@st.composite
def edtf_dates(draw: st.DrawFn, allow_time: bool = True) -> str:
    """One EDTF date of any level (no interval or set)."""
    kind = draw(
        st.sampled_from(
            ["plain", "plain", "qualified", "partial", "group", "x", "special", "time"]
            if allow_time
            else ["plain", "plain", "qualified", "partial", "group", "x", "special"]
        )
    )
    y = draw(years)
    if kind == "plain":
        return draw(plain_dates())
    if kind == "qualified":
        return draw(plain_dates()) + draw(_Q)
    if kind == "partial":
        m = draw(st.integers(1, 12))
        d = draw(st.integers(1, _days_in(y, m)))
        comps = [_year_text(y), f"{m:02d}", f"{d:02d}"][: draw(st.integers(1, 3))]
        out = []
        for c in comps:
            left = draw(_Q)
            right = draw(st.sampled_from(["", "", "", "?", "~"]))
            out.append(left + c + right)
        return "-".join(out)
    if kind == "group":
        code = draw(st.integers(21, 41))
        return f"{_year_text(y)}-{code}" + draw(_Q)
    if kind == "x":
        digits = list(f"{abs(y):04d}")
        for i in range(4):
            if draw(st.integers(0, 4)) == 0:
                digits[i] = "X"
        ytext = ("-" if y < 0 else "") + "".join(digits)
        if ytext in ("-0000", "-XXXX") or (ytext.startswith("-") and set(digits) <= {"0", "X"}):
            ytext = "".join(digits)
        parts = [ytext]
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(["XX", "0X", "1X", "X1", "06", "12", "02"])))
            if draw(st.booleans()):
                parts.append(
                    draw(st.sampled_from(["XX", "0X", "1X", "2X", "3X", "X1", "29", "31"]))
                )
        return "-".join(parts) + draw(_Q)
    if kind == "special":
        form = draw(st.sampled_from(["Y", "E", "S"]))
        sign = draw(st.sampled_from(["", "-"]))
        if form == "Y":
            return f"Y{sign}{draw(st.integers(10_000, 10**12))}"
        if form == "E":
            return f"Y{sign}{draw(st.integers(1, 999))}E{draw(st.integers(1, 9))}"
        v = draw(st.integers(1000, 9999))
        return f"{sign}{v}S{draw(st.integers(1, 4))}"
    # date-time
    y2 = draw(st.integers(1, 9999))
    m = draw(st.integers(1, 12))
    d = draw(st.integers(1, _days_in(y2, m)))
    hh, mi, ss = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    tz = draw(st.sampled_from(["", "Z", "+05:00", "-04:30", "+00:00"]))
    return f"{y2:04d}-{m:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss:02d}{tz}"


def _parses(text: str) -> When | None:
    try:
        return When.from_edtf(text)
    except InvalidDate:
        return None


@st.composite
def edtf_texts(draw: st.DrawFn) -> str:
    """EDTF text of a date, an interval (known, open or unknown ends) or a set."""
    form = draw(st.sampled_from(["date", "date", "interval", "interval", "set"]))
    if form == "date":
        return draw(edtf_dates())
    if form == "interval":
        a = draw(edtf_dates(allow_time=False))
        b = draw(edtf_dates(allow_time=False))
        wa, wb = _parses(a), _parses(b)
        if wa is not None and wb is not None and wb.hi < wa.lo:
            a, b = b, a
        a = draw(st.sampled_from([a, a, a, "..", ""]))
        b = draw(st.sampled_from([b, b, b, "..", ""] if a not in ("", "..") else [b]))
        return f"{a}/{b}"
    members = draw(st.lists(edtf_dates(allow_time=False), min_size=1, max_size=4))
    if len(members) >= 2 and draw(st.booleans()):
        wa, wb = _parses(members[0]), _parses(members[1])
        if wa is not None and wb is not None and wb.hi >= wa.lo:
            members[:2] = [f"{members[0]}..{members[1]}"]
    if draw(st.integers(0, 4)) == 0:
        members[0] = ".." + members[0].split("..")[-1]
    if draw(st.integers(0, 4)) == 0 and ".." not in members[-1]:
        members[-1] = members[-1] + ".."
    body = ",".join(members)
    return f"[{body}]" if draw(st.booleans()) else f"{{{body}}}"


def whens() -> st.SearchStrategy[When]:
    """Any valid When (texts that turn out invalid, e.g. 2023-02-29 patterns, are dropped)."""
    return edtf_texts().map(_parses).filter(lambda w: w is not None)  # type: ignore[return-value]


@st.composite
def exact_day_intervals(draw: st.DrawFn) -> When:
    """An exact day (``2024-06-19``) or an interval between two exact days."""
    base = 738_000
    a = draw(st.integers(base, base + 60))
    if draw(st.booleans()):
        return When.from_ordinals(a)
    return When.from_ordinals(a, draw(st.integers(a, base + 60)))


# ---- records ------------------------------------------------------------------------------

ACTOR_CODES = ("RUS", "PRK", "USA", "CHN", "UKR", "KOR", "GEO", "UN", "NATO", "SUN")
KINDS = tuple(VOCABULARY)


# A realistic event date (1940–2030): a point or an interval with a known, open or unknown end.
event_dates = public_edtf_texts


text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")


@st.composite
def events(draw: st.DrawFn, *, with_id: bool | None = None) -> Event:
    """A valid Event with every optional field sometimes set."""
    actors = draw(st.lists(st.sampled_from(ACTOR_CODES), min_size=1, max_size=3, unique=True))
    give_id = draw(st.booleans()) if with_id is None else with_id
    return Event(
        draw(st.one_of(event_dates(), event_dates(), event_dates(), whens().map(str))),
        draw(st.sampled_from(KINDS)),
        actors,
        draw(text),
        id=draw(st.from_regex(r"[a-z][a-z0-9\-]{2,12}", fullmatch=True)) if give_id else None,
        summary=draw(st.one_of(st.just(""), text)),
        quantities=draw(
            st.dictionaries(
                st.sampled_from(["soldiers", "usd", "amount"]), quantities(), max_size=2
            )
        ),
        measures=draw(
            st.dictionaries(
                st.sampled_from(["mentions", "tone", "latitude"]),
                st.one_of(
                    st.integers(-1000, 1000), st.floats(allow_nan=False, allow_infinity=False)
                ),
                max_size=2,
            )
        ),
        sources=draw(st.lists(sources(), max_size=2)),
        status=draw(st.sampled_from(["confirmed", "reported", "claimed", "estimated", "disputed"])),
        claimed_by=draw(st.lists(st.sampled_from(ACTOR_CODES), max_size=2, unique=True)),
        tags=draw(st.lists(st.sampled_from(["kursk", "treaty", "trade", "arms"]), max_size=3)),
        links=draw(st.lists(st.from_regex(r"ev-[0-9a-f]{4}", fullmatch=True), max_size=2)),
        directed=len(actors) >= 2 and draw(st.booleans()),
        location=draw(st.one_of(st.none(), text)),
        extra=draw(st.dictionaries(st.sampled_from(["source_dataset", "cameo"]), text, max_size=2)),
    )


@st.composite
def timelines(draw: st.DrawFn, *, min_size: int = 0, max_size: int = 20) -> Timeline:
    """A Timeline of events with distinct ids (mixed precisions, qualifiers, open intervals)."""
    evs = draw(st.lists(events(), min_size=min_size, max_size=max_size, unique_by=_event_id))
    return Timeline(evs)


def _event_id(e: Event) -> str:
    return e.id
