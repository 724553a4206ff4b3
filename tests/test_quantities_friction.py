"""Issue 19, quantities: negative amounts, one spelling per unit, text amounts, plain formatting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relations import InvalidQuantity, Quantity
from relations.quantities import normalise_unit


def test_negative_values_and_bounds_are_allowed() -> None:
    deficit = Quantity.exact(-1_200_000_000, "USD")
    assert deficit.value == -1_200_000_000 and float(deficit) == -1.2e9
    change = Quantity.range(-5, 3, "percent")
    assert (change.lower, change.upper) == (-5, 3)
    assert Quantity.at_least(-10).lower == -10
    with pytest.raises(InvalidQuantity, match="reversed"):
        Quantity.range(3, -5)


def test_sums_with_negative_amounts_keep_their_bounds() -> None:
    total = Quantity.exact(10, "USD") + Quantity.exact(-25, "USD")
    assert total == Quantity.exact(-15, "USD")
    total = Quantity.range(-5, 3, "USD") + Quantity.up_to(10, "USD")
    assert (total.lower, total.upper) == (-5, 13)
    total = Quantity.at_least(-5, "USD") + Quantity.exact(2, "USD")
    assert (total.lower, total.upper) == (-3, None)
    assert sum([Quantity.exact(-1), Quantity.exact(-2)]) == Quantity.exact(-3)


def test_an_upper_bound_alone_is_a_magnitude() -> None:
    assert Quantity.up_to(30_000, "people").lower == 0
    with pytest.raises(InvalidQuantity, match="upper bound alone"):
        Quantity.up_to(-5)


@pytest.mark.parametrize(
    ("unit", "canonical"),
    [
        ("usd", "USD"),
        ("Usd", "USD"),
        ("USD", "USD"),
        ("eur", "EUR"),
        ("rub", "RUB"),
        ("People", "people"),
        ("Troops", "troops"),
        ("people", "people"),
        ("km", "km"),
        ("MW", "MW"),
        ("kWh", "kWh"),
        ("tCO2e", "tCO2e"),
        ("count", "count"),
    ],
)
def test_one_spelling_per_unit(unit: str, canonical: str) -> None:
    assert normalise_unit(unit) == canonical
    assert Quantity.exact(1, unit).unit == canonical
    assert Quantity.from_dict({"value": 1, "unit": unit}).unit == canonical


def test_usd_and_USD_add_up() -> None:
    assert Quantity.exact(1, "usd") + Quantity.exact(2, "USD") == Quantity.exact(3, "USD")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about $10 billion", Quantity.about(10_000_000_000, "USD")),
        ("over 11,000 troops", Quantity.at_least(11_000, "troops")),
        ("more than 11 000 soldiers", Quantity.at_least(11_000, "soldiers")),
        ("at least 11000 people", Quantity.at_least(11_000, "people")),
        ("up to 30 000", Quantity.up_to(30_000)),
        ("as many as 30,000 people", Quantity.up_to(30_000, "people")),
        ("fewer than 100 civilians", Quantity.up_to(100, "civilians")),
        ("between 3 and 4 million", Quantity.range(3_000_000, 4_000_000)),
        ("between 3 and 4 million people", Quantity.range(3_000_000, 4_000_000, "people")),
        ("3–4 million people", Quantity.range(3_000_000, 4_000_000, "people")),
        ("$3-4 billion", Quantity.range(3_000_000_000, 4_000_000_000, "USD")),
        ("500 to 2 million", Quantity.range(500, 2_000_000)),
        ("US$ 2.5bn", Quantity.exact(2_500_000_000, "USD")),
        ("€1.2m", Quantity.exact(1_200_000, "EUR")),
        ("12 dollars", Quantity.exact(12, "USD")),
        ("111 million usd", Quantity.exact(111_000_000, "USD")),
        ("~4000", Quantity.about(4000)),
        ("around 4,000 killed or injured", Quantity.about(4000, "killed or injured")),
        ("-1.2 billion USD", Quantity.exact(-1_200_000_000, "USD")),
        ("−5 to 3 percent", Quantity.range(-5, 3, "percent")),
        ("0.5", Quantity.exact(0.5)),
        (
            "at least 11 000 people (reported 12 000)",
            Quantity(12_000, "people", low=11_000),
        ),
        ("at least about 14 000 people", Quantity(None, "people", low=14_000, approximate=True)),
    ],
)
def test_parse(text: str, expected: Quantity) -> None:
    assert Quantity.parse(text) == expected


def test_parse_default_unit() -> None:
    assert Quantity.parse("up to 30 000", "people") == Quantity.up_to(30_000, "people")
    assert Quantity.parse("5 usd", "USD") == Quantity.exact(5, "USD")
    with pytest.raises(InvalidQuantity, match="not 'people'"):
        Quantity.parse("5 USD", "people")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("twelve", "expected a number"),
        ("", "expected a number"),
        ("about", "expected a number"),
        ("$12 euros", "the symbol '\\$' says USD"),
        ("3.3568e7", "expected a number"),
        ("between 4 and 3", "reversed"),
        ("up to -5", "upper bound alone"),
    ],
)
def test_parse_errors_say_why(text: str, message: str) -> None:
    with pytest.raises(InvalidQuantity, match=message):
        Quantity.parse(text)


@pytest.mark.parametrize(
    ("q", "text"),
    [
        (Quantity(None, "people", low=14_000, approximate=True), "at least about 14 000 people"),
        (Quantity(None, "people", high=30_000, approximate=True), "up to about 30 000 people"),
        (Quantity.about(33_568_000.0, "USD"), "about 33 568 000 USD"),
        (Quantity.about(33_567_999.75, "USD"), "about 33 568 000 USD"),
        (Quantity.exact(1e20, "USD"), "100 000 000 000 000 000 000 USD"),
        (Quantity.exact(1234.56789), "1 234.57 count"),
        (Quantity.exact(0.000123456789), "0.000123457 count"),
        (Quantity.exact(-11_000, "USD"), "-11 000 USD"),
        (Quantity.range(-5, 3, "percent"), "-5 to 3 percent"),
        (Quantity.range(10, 12, "USD"), "10–12 USD"),
    ],
)
def test_str_reads_naturally_and_never_in_exponents(q: Quantity, text: str) -> None:
    assert str(q) == text
    assert "e+" not in str(q) and "about at least" not in str(q)


amounts = st.integers(-(10**12), 10**12)


@given(
    st.one_of(
        st.builds(Quantity.exact, amounts, st.sampled_from(["USD", "people", "count"])),
        st.builds(Quantity.about, amounts, st.sampled_from(["USD", "troops"])),
        st.builds(Quantity.at_least, amounts, st.sampled_from(["USD", "people"])),
        st.builds(Quantity.up_to, st.integers(0, 10**12), st.sampled_from(["USD", "people"])),
        st.tuples(amounts, amounts).map(lambda t: Quantity.range(min(t), max(t), "USD")),
    )
)
def test_parse_reads_back_what_str_writes(q: Quantity) -> None:
    assert Quantity.parse(str(q)) == q
