"""Quantities: bounds, best estimates, unit-safe sums, canonical form."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import quantities

from relations import InvalidQuantity, Quantity, UnitMismatch


def test_shapes_and_bounds() -> None:
    assert (Quantity.exact(5, "people").lower, Quantity.exact(5, "people").upper) == (5, 5)
    assert (Quantity.at_least(11000, "people").lower, Quantity.at_least(11000, "people").upper) == (
        11000,
        None,
    )
    assert (Quantity.up_to(30000, "people").lower, Quantity.up_to(30000, "people").upper) == (
        0,
        30000,
    )
    assert Quantity.about(4000, "people").approximate


def test_best_estimate() -> None:
    assert float(Quantity.exact(3.8e6, "USD")) == 3.8e6
    assert float(Quantity.range(10, 20, "USD")) == 15
    assert float(Quantity.at_least(11000, "people")) == 11000
    assert float(Quantity.up_to(30000, "people")) == 30000


def test_adding_bounded_quantities_adds_bounds() -> None:
    total = Quantity.at_least(11000, "people") + Quantity.about(6000, "people")
    assert total.lower == 17000 and total.upper is None and total.approximate
    assert Quantity.up_to(5, "x") + Quantity.up_to(5, "x") == Quantity.up_to(10, "x")
    assert sum([Quantity.exact(1, "USD"), Quantity.exact(2, "USD")]) == Quantity.exact(3, "USD")


def test_unit_mismatch_names_both_units() -> None:
    with pytest.raises(UnitMismatch, match="'USD' vs 'people'"):
        Quantity.exact(1, "USD") + Quantity.exact(1, "people")


@given(quantities(), quantities())
def test_sum_bounds_contain_the_sum_of_estimates(a: Quantity, b: Quantity) -> None:
    if a.unit != b.unit:
        with pytest.raises(UnitMismatch):
            a + b
        return
    total = a + b
    assert total.lower == pytest.approx(a.lower + b.lower)
    if a.upper is not None and b.upper is not None:
        assert total.upper == pytest.approx(a.upper + b.upper)
    else:
        assert total.upper is None
    assert total.approximate == (a.approximate or b.approximate)


@given(quantities())
def test_round_trip(q: Quantity) -> None:
    assert Quantity.from_dict(q.to_dict()) == q


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_invalid_numbers_are_rejected(x: float) -> None:
    if math.isfinite(x):  # negative amounts are allowed (issue 19): only nan and inf are not
        return
    with pytest.raises(InvalidQuantity):
        Quantity.exact(x)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": None}, "no value and no bounds"),
        ({"value": 5, "low": 6}, "outside its bounds"),
        ({"value": 1, "unit": ""}, "unit"),
        ({"value": "3"}, "'3'"),
        ({"value": 1, "approximate": "yes"}, "'yes'"),
    ],
)
def test_invalid_quantities(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidQuantity, match=message):
        Quantity(**kwargs)  # type: ignore[arg-type]


def test_float_and_int_forms_are_one_quantity() -> None:
    assert Quantity.exact(11000.0, "people") == Quantity.exact(11000, "people")
    assert isinstance(Quantity.exact(11000.0).value, int)


def test_from_dict_rejects_unknown_keys() -> None:
    with pytest.raises(InvalidQuantity, match="unknown keys"):
        Quantity.from_dict({"unit": "USD", "value": 1, "currency": "USD"})


def test_str_reads_like_the_article() -> None:
    assert str(Quantity.at_least(11000, "people")) == "at least 11 000 people"
    assert str(Quantity.about(4000, "people")) == "about 4 000 people"


@pytest.mark.parametrize(
    ("q", "text"),
    [
        (Quantity.exact(5, "USD"), "Quantity(5, 'USD')"),
        (Quantity.at_least(11000, "people"), "Quantity(low=11000, unit='people')"),
        (Quantity.up_to(30000, "people"), "Quantity(high=30000, unit='people')"),
        (
            Quantity(10, "USD", low=9, high=11, approximate=True),
            "Quantity(10, 'USD', low=9, high=11, approximate=True)",
        ),
    ],
)
def test_repr_is_a_constructor_call(q: Quantity, text: str) -> None:
    assert repr(q) == text


@given(
    st.one_of(st.integers(-5, 10**12), st.floats(allow_nan=True), st.booleans(), st.none()),
    st.one_of(st.sampled_from(["USD", "people", " x", "", "a b"]), st.integers(0, 3)),
)
def test_from_dict_fast_path_matches_the_constructor(value: object, unit: object) -> None:
    """The two-key exact form takes a shortcut; it must agree with the checked constructor."""
    d = {"value": value, "unit": unit}
    problem = None
    try:
        expected = Quantity(value, unit)  # type: ignore[arg-type]
    except InvalidQuantity as e:
        problem = str(e)
    if problem is not None:
        with pytest.raises(InvalidQuantity) as caught:
            Quantity.from_dict(d, name="q")
        assert str(caught.value) == f"quantity 'q': {problem}"
        return
    got = Quantity.from_dict(d, name="q")
    assert got == expected and hash(got) == hash(expected) and repr(got) == repr(expected)
    assert type(got.value) is type(expected.value)
