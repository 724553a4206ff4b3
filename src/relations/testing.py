"""Test helpers for users of ``relations``: hypothesis strategies and the store conformance suite.

Install with ``pip install "relations[strategies]"`` (hypothesis only); without hypothesis,
importing this module raises an ImportError naming that extra.

**Strategies** generate valid values across the whole model: mixed date precisions and
qualifiers, intervals with open and unknown ends, bounded and approximate quantities, several
sources. Use them in your own property tests::

    from hypothesis import given
    from relations.testing import events

    @given(events())
    def test_round_trip(e):
        assert Event.from_dict(e.to_dict()) == e

**The conformance suite** (:class:`StoreConformance`, with :class:`ManualClock`) lives beside
the stores in :mod:`relations.store.conformance`; it is re-exported here, where it draws its
random events from :func:`events`.

**Knobs.** :func:`events` and :func:`timelines` take the date range (``min_year``,
``max_year``), the ``actors`` and ``kinds`` to draw from, and the ``precisions`` mix (a
sequence of ``"day"``, ``"month"``, ``"year"``; repeat one to weight it), so a test can
generate, say, day-precise events of two actors in the 2020s only::

    timelines(min_year=2020, max_year=2029, actors=["RUS", "PRK"], precisions=["day"])

>>> clock = ManualClock("2025-01-01T00:00:00Z")
>>> str(clock()), str(clock())
('2025-01-01 00:00:00+00:00', '2025-01-01 00:00:01+00:00')
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict, Unpack

try:
    from hypothesis import strategies as st
except ImportError as _e:  # pragma: no cover - hypothesis is installed for the tests
    raise ImportError(
        'relations.testing needs the optional package hypothesis: pip install "relations[strategies]"'
    ) from _e

from relations.errors import (
    InvalidDate,
)
from relations.events import Event, Source
from relations.kinds import VOCABULARY
from relations.quantities import Quantity
from relations.store.conformance import ManualClock, StoreConformance
from relations.when import When

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = [
    "ACTOR_CODES",
    "KINDS",
    "DateKnobs",
    "EventKnobs",
    "ManualClock",
    "StoreConformance",
    "edtf_points",
    "edtf_texts",
    "events",
    "quantities",
    "sources",
    "timelines",
]

ACTOR_CODES = ("RUS", "PRK", "USA", "CHN", "UKR", "KOR", "GEO", "UN", "NATO", "SUN")
"""Actor codes the strategies draw from."""
KINDS = tuple(VOCABULARY)
"""Kinds the strategies draw from (the standard vocabulary)."""


# ---- strategies ----------------------------------------------------------------------------


_PRECISIONS = ("day", "day", "month", "year")


class DateKnobs(TypedDict, total=False):
    """The mix of dates, as :func:`edtf_points` takes it (default: ``precisions`` day twice
    as often as month or year, and ``qualifiers``)."""

    precisions: Sequence[str]
    qualifiers: bool


class EventKnobs(DateKnobs, total=False):
    """The knobs of :func:`events` that :func:`timelines` passes on: ``min_year``,
    ``max_year``, ``actors``, ``kinds``, ``precisions``, ``qualifiers``, ``intervals`` (each
    described, with its default, at :func:`events`)."""

    min_year: int
    max_year: int
    actors: Sequence[str]
    kinds: Sequence[str]
    intervals: bool


def _check_knobs(min_year: int, max_year: int, precisions: Sequence[str]) -> None:
    if min_year > max_year:
        raise ValueError(f"min_year {min_year} is after max_year {max_year}")
    if not precisions or any(p not in ("day", "month", "year") for p in precisions):
        raise ValueError(f"precisions must be some of 'day', 'month', 'year', not {precisions!r}")


@st.composite
def edtf_points(
    draw: st.DrawFn,
    min_year: int = 1940,
    max_year: int = 2030,
    *,
    precisions: Sequence[str] = _PRECISIONS,
    qualifiers: bool = True,
) -> str:
    """A single EDTF date of day, month or year precision, sometimes qualified.

    ``precisions`` is the mix drawn from (default day twice as often as month or year);
    ``qualifiers=False`` never adds ``~``, ``?`` or ``%``.

    >>> from hypothesis import find
    >>> When.parse(find(edtf_points(), lambda s: True)).lo > 0
    True
    >>> find(edtf_points(2020, 2020, precisions=["month"], qualifiers=False), lambda s: True)
    '2020-01'
    """
    _check_knobs(min_year, max_year, precisions)
    year = draw(st.integers(min_year, max_year))
    precision = draw(st.sampled_from(list(precisions)))
    if precision == "year":
        text = f"{year:04d}"
    else:
        month = draw(st.integers(1, 12))
        text = f"{year:04d}-{month:02d}"
        if precision == "day":
            day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
            text += f"-{day:02d}"
    if not qualifiers:
        return text
    return text + draw(st.sampled_from(["", "", "", "~", "?", "%"]))


@st.composite
def edtf_texts(
    draw: st.DrawFn,
    min_year: int = 1940,
    max_year: int = 2030,
    *,
    intervals: bool = True,
    **knobs: Unpack[DateKnobs],
) -> str:
    """An EDTF point or interval (with a known, open or unknown end); the knobs are those of
    :func:`edtf_points`, and ``intervals=False`` gives points only.

    >>> from hypothesis import find
    >>> isinstance(When.parse(find(edtf_texts(), lambda s: '/' in s)), When)
    True
    """
    a = draw(edtf_points(min_year, max_year, **knobs))
    if not intervals:
        return a
    if not draw(st.booleans()):
        return a
    end = draw(st.sampled_from(["known", "known", "open", "unknown"]))
    if end == "open":
        return f"{a}/.."
    if end == "unknown":
        return f"{a}/"
    b = draw(edtf_points(min_year, max_year, **knobs))
    try:
        return str(When.parse(f"{a}/{b}"))
    except InvalidDate:  # the end came before the start: try the other way round
        try:
            return str(When.parse(f"{b}/{a}"))
        except InvalidDate:
            return a


_amounts = st.one_of(
    st.integers(0, 10**12), st.floats(0, 1e12, allow_nan=False).map(lambda x: round(x, 3))
)


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    """Exact, approximate, at-least, up-to and ranged quantities.

    >>> from hypothesis import find
    >>> find(quantities(), lambda q: q.approximate).approximate
    True
    """
    unit = draw(st.sampled_from(["people", "USD", "count", "shells"]))
    shape = draw(st.sampled_from(["exact", "about", "at_least", "up_to", "range"]))
    a = draw(_amounts)
    if shape == "exact":
        return Quantity.exact(a, unit)
    if shape == "about":
        return Quantity.about(a, unit)
    if shape == "at_least":
        return Quantity.at_least(a, unit)
    if shape == "up_to":
        return Quantity.up_to(a, unit)
    b = draw(_amounts)
    return Quantity.range(min(a, b), max(a, b), unit)


_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")


@st.composite
def sources(draw: st.DrawFn) -> Source:
    """A Source with every optional field sometimes set.

    >>> from hypothesis import find
    >>> find(sources(), lambda s: s.url is not None).url
    'https://example.org/a?b=1&c=<2>'
    """
    return Source(
        draw(_text),
        draw(st.one_of(st.just(""), _text)),
        draw(st.one_of(st.none(), st.just("https://example.org/a?b=1&c=<2>"))),
        draw(st.one_of(st.none(), edtf_points())),
        draw(st.one_of(st.none(), _text)),
    )


@st.composite
def events(
    draw: st.DrawFn,
    *,
    with_id: bool | None = None,
    min_year: int = 1940,
    max_year: int = 2030,
    actors: Sequence[str] = ACTOR_CODES,
    kinds: Sequence[str] = KINDS,
    precisions: Sequence[str] = _PRECISIONS,
    qualifiers: bool = True,
    intervals: bool = True,
) -> Event:
    """A valid Event with every optional field sometimes set.

    ``with_id``: give an id (default: sometimes); ``min_year``/``max_year``: the years of its
    dates; ``actors``, ``kinds``: the codes and kinds drawn from; ``precisions``,
    ``qualifiers``, ``intervals``: the mix of dates (see :func:`edtf_texts`).

    >>> from hypothesis import find
    >>> find(events(), lambda e: e.directed).directed
    True
    >>> e = find(events(actors=["RUS", "PRK"], kinds=["trade"], min_year=2024, max_year=2024,
    ...                 precisions=["day"], intervals=False), lambda e: True)
    >>> e.kind, set(e.actors) <= {"RUS", "PRK"}, e.when.precision.name, str(e.when)[:4]
    ('trade', True, 'DAY', '2024')
    """
    if not actors or not kinds:
        raise ValueError("events() needs at least one actor and one kind to draw from")
    codes = list(actors)
    chosen = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True))
    give_id = draw(st.booleans()) if with_id is None else with_id
    when = edtf_texts(
        min_year, max_year, precisions=precisions, qualifiers=qualifiers, intervals=intervals
    )
    return Event(
        draw(when),
        draw(st.sampled_from(list(kinds))),
        chosen,
        draw(_text),
        id=draw(st.from_regex(r"[a-z][a-z0-9\-]{2,12}", fullmatch=True)) if give_id else None,
        summary=draw(st.one_of(st.just(""), _text)),
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
        claimed_by=draw(st.lists(st.sampled_from(codes), max_size=2, unique=True)),
        tags=draw(st.lists(st.sampled_from(["kursk", "treaty", "trade", "arms"]), max_size=3)),
        links=draw(st.lists(st.from_regex(r"ev-[0-9a-f]{4}", fullmatch=True), max_size=2)),
        directed=len(chosen) >= 2 and draw(st.booleans()),
        location=draw(st.one_of(st.none(), _text)),
        extra=draw(
            st.dictionaries(st.sampled_from(["source_dataset", "cameo"]), _text, max_size=2)
        ),
    )


@st.composite
def timelines(
    draw: st.DrawFn,
    max_size: int = 20,
    *,
    min_size: int = 0,
    **knobs: Unpack[EventKnobs],
) -> Timeline:
    """A Timeline of ``min_size`` to ``max_size`` events with distinct ids; the other knobs
    are those of :func:`events`.

    >>> from hypothesis import find
    >>> len(find(timelines(), lambda tl: len(tl) >= 2))
    2
    >>> tl = find(timelines(min_size=1, max_size=1, actors=["RUS"], precisions=["year"]),
    ...           lambda tl: True)
    >>> len(tl), tl[0].actors, tl[0].when.precision.name
    (1, ('RUS',), 'YEAR')
    """
    from relations._timeline import Timeline

    one = events(**knobs)
    evs = draw(st.lists(one, min_size=min_size, max_size=max_size, unique_by=lambda e: e.id))
    return Timeline(evs)


# ---- the store conformance suite (in relations.store.conformance), with its strategy ---------

StoreConformance.event_strategy = staticmethod(events)
