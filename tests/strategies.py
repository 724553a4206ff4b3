"""Hypothesis strategies shared by the test suite (a public copy lives in relations.testing).

They generate values across the whole model: mixed precisions (day, month, year), qualifiers,
intervals with known and open ends, bounded and approximate quantities, several sources.
"""

from __future__ import annotations

import calendar

from hypothesis import strategies as st

from relations import Event, InvalidDate, Quantity, Source, When
from relations.kinds import VOCABULARY

ACTOR_CODES = ("RUS", "PRK", "USA", "CHN", "UKR", "KOR", "GEO", "UN", "NATO", "SUN")
KINDS = tuple(VOCABULARY)


@st.composite
def edtf_points(draw: st.DrawFn, min_year: int = 1940, max_year: int = 2030) -> str:
    """A single EDTF date of day, month or year precision, sometimes qualified."""
    year = draw(st.integers(min_year, max_year))
    precision = draw(st.sampled_from(["day", "day", "month", "year"]))
    if precision == "year":
        text = f"{year:04d}"
    else:
        month = draw(st.integers(1, 12))
        text = f"{year:04d}-{month:02d}"
        if precision == "day":
            day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
            text += f"-{day:02d}"
    return text + draw(st.sampled_from(["", "", "", "~", "?", "%"]))


@st.composite
def edtf_texts(draw: st.DrawFn) -> str:
    """An EDTF point or interval (known, open or unknown end)."""
    a = draw(edtf_points())
    if not draw(st.booleans()):
        return a
    end = draw(st.sampled_from(["known", "known", "open", "unknown"]))
    if end == "open":
        return f"{a}/.."
    if end == "unknown":
        return f"{a}/"
    b = draw(edtf_points())
    try:
        return str(When.parse(f"{a}/{b}"))
    except InvalidDate:  # the end came before the start: try the other way round
        try:
            return str(When.parse(f"{b}/{a}"))
        except InvalidDate:
            return a


amounts = st.one_of(
    st.integers(0, 10**12), st.floats(0, 1e12, allow_nan=False).map(lambda x: round(x, 3))
)


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    """Exact, approximate, at-least, up-to and ranged quantities."""
    unit = draw(st.sampled_from(["people", "USD", "count", "shells"]))
    shape = draw(st.sampled_from(["exact", "about", "at_least", "up_to", "range"]))
    a = draw(amounts)
    if shape == "exact":
        return Quantity.exact(a, unit)
    if shape == "about":
        return Quantity.about(a, unit)
    if shape == "at_least":
        return Quantity.at_least(a, unit)
    if shape == "up_to":
        return Quantity.up_to(a, unit)
    b = draw(amounts)
    return Quantity.range(min(a, b), max(a, b), unit)


text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")

sources = st.builds(
    Source,
    publisher=text,
    title=st.one_of(st.just(""), text),
    url=st.one_of(st.none(), st.just("https://example.org/a?b=1&c=<2>")),
    published=st.one_of(st.none(), edtf_points()),
    quote=st.one_of(st.none(), text),
)


@st.composite
def events(draw: st.DrawFn, *, with_id: bool | None = None) -> Event:
    """A valid Event with every optional field sometimes set."""
    actors = draw(st.lists(st.sampled_from(ACTOR_CODES), min_size=1, max_size=3, unique=True))
    give_id = draw(st.booleans()) if with_id is None else with_id
    return Event(
        draw(edtf_texts()),
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
        sources=draw(st.lists(sources, max_size=2)),
        status=draw(st.sampled_from(["confirmed", "reported", "claimed", "estimated", "disputed"])),
        claimed_by=draw(st.lists(st.sampled_from(ACTOR_CODES), max_size=2, unique=True)),
        tags=draw(st.lists(st.sampled_from(["kursk", "treaty", "trade", "arms"]), max_size=3)),
        links=draw(st.lists(st.from_regex(r"ev-[0-9a-f]{4}", fullmatch=True), max_size=2)),
        directed=len(actors) >= 2 and draw(st.booleans()),
        location=draw(st.one_of(st.none(), text)),
        extra=draw(st.dictionaries(st.sampled_from(["source_dataset", "cameo"]), text, max_size=2)),
    )
