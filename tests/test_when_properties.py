"""Hypothesis properties of relations.When, checked against simple reference implementations."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.strategies import edtf_texts, exact_day_intervals, plain_dates, whens

from relations import when as when_module
from relations.errors import InvalidDate
from relations.when import (
    ALLEN_RELATIONS,
    UNBOUNDED_HI,
    UNBOUNDED_LO,
    When,
    ordinal,
    ymd,
)

INVERSE = dict(zip(ALLEN_RELATIONS, reversed(ALLEN_RELATIONS), strict=True))


# -- round trip and bounds ------------------------------------------------------------------


@given(whens())
def test_str_round_trips_through_parse_and_from_edtf(w: When) -> None:
    assert When.parse(str(w)) == w
    assert When.from_edtf(str(w)) == w
    assert When.parse(str(w)).sort_key() == w.sort_key()


@given(whens())
def test_bounds_are_ordered_and_dates_agree_with_ordinals(w: When) -> None:
    assert w.lo <= w.hi
    assert w.lo >= UNBOUNDED_LO and w.hi <= UNBOUNDED_HI
    if w.lo >= 1 and w.hi <= dt.date(9999, 12, 31).toordinal():
        assert w.earliest is not None and w.latest is not None
        assert w.earliest <= w.latest
        assert w.earliest.toordinal() == w.lo
        assert w.latest.toordinal() == w.hi


@given(plain_dates(1, 9999))
def test_plain_date_bounds_match_datetime(text: str) -> None:
    w = When.from_edtf(text)
    parts = [int(p) for p in text.split("-")]
    y = parts[0]
    m_lo, m_hi = (parts[1], parts[1]) if len(parts) > 1 else (1, 12)
    d_lo = parts[2] if len(parts) > 2 else 1
    last = (dt.date(y + 1, 1, 1) if m_hi == 12 else dt.date(y, m_hi + 1, 1)) if y < 9999 else None
    d_hi = parts[2] if len(parts) > 2 else None
    assert w.lo == dt.date(y, m_lo, d_lo).toordinal()
    if d_hi is not None:
        assert w.hi == dt.date(y, m_hi, d_hi).toordinal()
    elif last is not None:
        assert w.hi == last.toordinal() - 1


@given(st.integers(-(10**17), 10**17))
def test_ymd_inverts_ordinal(n: int) -> None:
    y, m, d = ymd(n)
    assert 1 <= m <= 12 and 1 <= d <= 31
    assert ordinal(y, m, d) == n


@given(st.dates())
def test_ordinal_matches_date_toordinal(d: dt.date) -> None:
    assert ordinal(d.year, d.month, d.day) == d.toordinal()
    assert ymd(d.toordinal()) == (d.year, d.month, d.day)


@given(st.dates())
def test_coerce_date_and_fast_path_agree_with_datetime(d: dt.date) -> None:
    w = When.coerce(d)
    assert w.lo == w.hi == d.toordinal()
    assert str(w) == d.isoformat()


# -- Allen relations --------------------------------------------------------------------------


@given(whens(), whens())
def test_definitely_implies_possibly(a: When, b: When) -> None:
    for rel in ALLEN_RELATIONS:
        if a.definitely(rel, b):
            assert a.possibly(rel, b), rel
    possible = a.relations_to(b)
    assert possible, "some relation must be possible"
    definite = {rel for rel in ALLEN_RELATIONS if a.definitely(rel, b)}
    assert len(definite) <= 1
    if definite:
        assert possible == definite


@given(whens(), whens())
def test_relations_to_is_inverse(a: When, b: When) -> None:
    assert b.relations_to(a) == frozenset(INVERSE[r] for r in a.relations_to(b))


@given(whens())
def test_a_value_possibly_equals_itself(w: When) -> None:
    assert w.possibly_equals(w)


def _reference_relation(xs: int, xe: int, ys: int, ye: int) -> str:
    """Allen on half-open integer intervals [xs, xe), [ys, ye) with xs < xe, ys < ye."""
    if xe < ys:
        return "before"
    if ye < xs:
        return "after"
    if xe == ys:
        return "meets"
    if ye == xs:
        return "met_by"
    if xs == ys and xe == ye:
        return "equals"
    if xs == ys:
        return "starts" if xe < ye else "started_by"
    if xe == ye:
        return "finishes" if xs > ys else "finished_by"
    if ys < xs and xe < ye:
        return "during"
    if xs < ys and ye < xe:
        return "contains"
    return "overlaps" if xs < ys else "overlapped_by"


@given(exact_day_intervals(), exact_day_intervals())
def test_exact_day_intervals_have_exactly_one_relation(a: When, b: When) -> None:
    expected = _reference_relation(a.lo, a.hi + 1, b.lo, b.hi + 1)
    assert a.relations_to(b) == {expected}
    assert a.definitely(expected, b)
    for rel in ALLEN_RELATIONS:
        assert a.possibly(rel, b) == (rel == expected)


_small_ends = st.tuples(
    st.integers(0, 6), st.integers(0, 3), st.integers(0, 6), st.integers(0, 3)
).map(lambda t: (t[0], t[0] + t[1], t[2], t[2] + t[3]))


@given(_small_ends, _small_ends)
def test_allen_closed_forms_match_brute_force(x: tuple[int, ...], y: tuple[int, ...]) -> None:
    """possibly/definitely against enumeration of every admissible choice of endpoints.

    Each When is seen as: start in [a1, a2], exclusive end in [b1, b2], start < end.
    """

    def choices(e: tuple[int, ...]) -> list[tuple[int, int]]:
        return [(s, t) for s in range(e[0], e[1] + 1) for t in range(e[2], e[3] + 1) if s < t]

    cx, cy = choices(x), choices(y)
    assume(cx and cy)

    def norm(e: tuple[int, ...], c: list[tuple[int, int]]) -> tuple[int, int, int, int]:
        return (
            min(s for s, _ in c),
            max(s for s, _ in c),
            min(t for _, t in c),
            max(t for _, t in c),
        )

    nx, ny = norm(x, cx), norm(y, cy)
    seen = {_reference_relation(xs, xe, ys, ye) for (xs, xe), (ys, ye) in itertools.product(cx, cy)}
    for rel in ALLEN_RELATIONS:
        assert bool(when_module._POSSIBLY[rel](nx, ny)) == (rel in seen), rel
        assert bool(when_module._DEFINITELY[rel](nx, ny)) == (seen == {rel}), rel


@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), st.integers(0, 9))
def test_allen_on_x_day_patterns_matches_brute_force(a: int, b: int, c: int, d: int) -> None:
    """Real Whens with imprecise days (2024-01-1X) against enumeration over their days."""
    texts = [f"2024-01-1{a}", "2024-01-1X", f"2024-01-1{b}/2024-01-2X", f"2024-01-0{c % 9 + 1}"]
    texts.append(f"2024-01-1X/2024-01-2{d}")
    for ta, tb in itertools.product(texts, repeat=2):
        wa, wb = When.parse(ta), When.parse(tb)
        xs_, ys_ = when_module._ends(wa), when_module._ends(wb)
        cx = [(s, t) for s in range(xs_[0], xs_[1] + 1) for t in range(xs_[2], xs_[3] + 1) if s < t]
        cy = [(s, t) for s in range(ys_[0], ys_[1] + 1) for t in range(ys_[2], ys_[3] + 1) if s < t]
        seen = {_reference_relation(*p, *q) for p, q in itertools.product(cx, cy)}
        assert wa.relations_to(wb) == seen, (ta, tb)


# -- order ------------------------------------------------------------------------------------


@given(whens(), whens())
def test_order_is_total_and_consistent_with_equality(a: When, b: When) -> None:
    assert sum([a < b, a == b, a > b]) == 1
    assert (a == b) == (a.sort_key() == b.sort_key())
    assert (a <= b) == (a.sort_key() <= b.sort_key())
    if a == b:
        assert hash(a) == hash(b)
    assert (a < b) == (b > a)


@given(st.lists(whens(), max_size=8))
def test_sorting_is_deterministic(ws: list[When]) -> None:
    s = sorted(ws)
    rotated = ws[1:] + ws[:1]
    assert s == sorted(rotated)
    assert [w.sort_key() for w in s] == sorted(w.sort_key() for w in ws)
    assert all((x.lo, x.hi) <= (y.lo, y.hi) for x, y in itertools.pairwise(s))


# -- bounds tests, gap, widening, shifting ----------------------------------------------------


@given(whens(), whens())
def test_bounds_predicates_agree_with_intervals(a: When, b: When) -> None:
    assert a.contains(b) == (a.lo <= b.lo and b.hi <= a.hi)
    assert a.during(b) == b.contains(a)
    assert a.overlaps(b) == b.overlaps(a) == (max(a.lo, b.lo) <= min(a.hi, b.hi))


@given(exact_day_intervals(), exact_day_intervals())
def test_gap_of_exact_values_is_date_subtraction(a: When, b: When) -> None:
    assert a.gap(b) == (b.lo - a.hi, b.lo - a.hi)


@given(whens(), whens())
def test_gap_least_is_at_most_most(a: When, b: When) -> None:
    least, most = a.gap(b)
    if least is not None and most is not None:
        assert least <= most


@given(whens(), st.integers(0, 40), st.integers(0, 5), st.integers(0, 3))
def test_widened_never_narrows_and_never_invents_bounds(
    w: When, days: int, months: int, years: int
) -> None:
    try:
        wide = w.widened(days, months=months, years=years)
        default = w.widened()
    except InvalidDate:  # far-away years have no day-precision EDTF form
        assume(False)
        return
    for v in (wide, default):
        assert v.lo <= w.lo and w.hi <= v.hi
        assert (v.lo == UNBOUNDED_LO) == (w.lo == UNBOUNDED_LO)
        assert (v.hi == UNBOUNDED_HI) == (w.hi == UNBOUNDED_HI)
        assert v.unknown_end == w.unknown_end and v.open_end == w.open_end
    if not (w.approximate or w.uncertain):
        assert default == w


@given(exact_day_intervals(), st.integers(-5000, 5000))
def test_shift_by_days_moves_exact_bounds(w: When, days: int) -> None:
    moved = w.shifted(dt.timedelta(days=days))
    assert (moved.lo, moved.hi) == (w.lo + days, w.hi + days)
    assert moved - dt.timedelta(days=days) == w


# -- fuzzing: nothing but InvalidDate escapes -------------------------------------------------

_edtf_alphabet = st.text(alphabet="0123456789X-/.?~%[]{},YESTZ:+ ", max_size=30)


@given(st.one_of(st.text(max_size=40), _edtf_alphabet))
@pytest.mark.parametrize("parse", [When.parse, When.from_edtf])
def test_garbage_raises_only_invalid_date(parse: object, text: str) -> None:
    try:
        w = parse(text)  # type: ignore[operator]
    except InvalidDate as e:
        message = str(e)  # the message quotes the input
        assert repr(text.strip())[1:-1][:20] in message or repr(text)[1:-1][:20] in message
        return
    assert isinstance(w, When)
    assert When.parse(str(w)) == w


@given(edtf_texts())
def test_mutated_edtf_raises_only_invalid_date(text: str) -> None:
    for i in range(0, len(text), 3):
        for ch in ("", "X", "-", "/", "?", "1", "."):
            mutated = text[:i] + ch + text[i + 1 :]
            try:
                w = When.parse(mutated)
            except InvalidDate:
                continue
            assert When.parse(str(w)) == w
