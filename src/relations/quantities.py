"""Quantities as they are reported: exact, approximate, or known only by a bound.

"over 11 000 soldiers" is a lower bound, "up to 30 000" an upper bound, "about 4 000" an
approximate value. A :class:`Quantity` keeps that distinction; ``float(q)`` gives the best
single estimate for arithmetic, and adding quantities adds their bounds, so a total of
"at least" figures stays "at least".

Values and bounds may be negative (a trade deficit, a change); a quantity known only by an
upper bound ("up to 30 000") is a magnitude from 0 up to it, so that bound alone cannot be
negative. A bare number has the unit ``count``.

**Units.** A unit is a currency code or a word. ISO 4217 currency codes are written in
capitals whatever the input's case (``"usd"`` is ``"USD"``); a capitalised word is written in
lower case (``"People"`` is ``"people"``); any other spelling is kept (``"km"``, ``"MW"``,
``"tCO2e"``: symbols whose case carries meaning).

>>> Quantity.exact(-1_200_000_000, "usd")
Quantity(-1200000000, 'USD')
>>> str(Quantity.parse("about $10 billion")), str(Quantity.parse("over 11,000 troops"))
('about 10 000 000 000 USD', 'at least 11 000 troops')

>>> Quantity.at_least(11_000, "people") + Quantity.exact(6_000, "people")
Quantity(low=17000, unit='people')
>>> float(Quantity.range(3_800_000, 4_200_000, "USD"))
4000000.0
>>> Quantity.exact(1, "USD") + Quantity.exact(1, "people")
Traceback (most recent call last):
...
relations.errors.UnitMismatch: cannot add 1 USD and 1 people: units differ ('USD' vs 'people')
"""

from __future__ import annotations

import decimal
import functools
import math
import re
import sys
from collections.abc import Mapping
from typing import Any

import attrs

from relations.errors import InvalidQuantity, UnitMismatch

__all__ = ["Number", "Quantity", "normalise_unit"]

Number = int | float
_UNIT_RE = re.compile(r"^\S(.*\S)?$")


_FLOAT_MAX = sys.float_info.max
"""The largest magnitude a quantity may have: every quantity converts to ``float``."""


def _check_number(value: object, what: str) -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidQuantity(f"{what} must be a number, not {value!r}")
    if isinstance(value, int):
        if not -_FLOAT_MAX <= value <= _FLOAT_MAX:  # 10**400 would overflow float(q)
            raise InvalidQuantity(
                f"{what} must be finite: {_digits(value)} is beyond the float range"
            )
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidQuantity(f"{what} must be finite, not {value!r}")
        if value.is_integer() and abs(value) < 2**53:
            value = int(value)  # 11000.0 and 11000 are the same quantity: one canonical form
    return value


def _digits(n: int) -> str:
    """A short description of a huge integer (its full text could be megabytes)."""
    return f"an integer of about {int(n.bit_length() * math.log10(2)) + 1} digits"


def _encodable(text: str, what: str) -> str:
    """``text`` if it can be written as UTF-8; a lone surrogate (``"\\ud800"``) cannot."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidQuantity(
                f"{what} holds a lone surrogate {text[e.start]!r} at {e.start}: {text!r}"
            ) from None
    return text


@functools.cache
def _currencies() -> frozenset[str]:
    import pycountry  # a core dependency; loaded on first use only

    return frozenset(c.alpha_3 for c in pycountry.currencies)


@functools.lru_cache(maxsize=4096)
def normalise_unit(unit: str) -> str:
    """The canonical spelling of a unit: currency codes in capitals, words in lower case.

    ISO 4217 codes, in any case, become capitals; a capitalised word (``People``) becomes
    lower case; anything else (``km``, ``MW``, ``tCO2e``) is kept as written.

    >>> normalise_unit("usd"), normalise_unit("People"), normalise_unit("MW"), normalise_unit("kWh")
    ('USD', 'people', 'MW', 'kWh')
    """
    if len(unit) == 3 and unit.isalpha() and unit.upper() in _currencies():
        return unit.upper()
    if unit[:1].isupper() and unit[1:] == unit[1:].lower() and len(unit) > 2:
        return unit.lower()
    return unit


def _fmt(n: Number) -> str:
    """Digits grouped by thin spaces as the article writes them; never exponent notation."""
    if isinstance(n, float):
        if n.is_integer() or abs(n) >= 1e5:
            n = round(n)
        else:
            digits = max(0, 6 - (math.floor(math.log10(abs(n))) + 1)) if n else 0
            text = f"{n:,.{digits}f}".replace(",", " ")
            return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{n:,}".replace(",", " ")


@attrs.frozen(repr=False)
class Quantity:
    """An amount with a unit: an exact or approximate value, bounds, or both.

    ``value`` is the reported figure (``None`` if only bounds are known); ``low`` and ``high``
    are inclusive bounds (``None`` where unbounded); ``approximate`` marks "about".

    >>> Quantity(4000, "people", approximate=True)
    Quantity(4000, 'people', approximate=True)
    >>> q = Quantity.up_to(30_000, "people")
    >>> q.lower, q.upper, float(q), str(q)
    (0, 30000, 30000.0, 'up to 30 000 people')
    """

    value: Number | None = None
    unit: str = "count"
    low: Number | None = attrs.field(default=None, kw_only=True)
    high: Number | None = attrs.field(default=None, kw_only=True)
    approximate: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        for name in ("value", "low", "high"):
            checked = _check_number(getattr(self, name), f"quantity {name}")
            object.__setattr__(self, name, checked)
        if not isinstance(self.unit, str) or not _UNIT_RE.match(self.unit):
            raise InvalidQuantity(f"quantity unit must be a non-empty word, not {self.unit!r}")
        _encodable(self.unit, "quantity unit")
        object.__setattr__(self, "unit", normalise_unit(self.unit))
        if not isinstance(self.approximate, bool):
            raise InvalidQuantity(
                f"quantity approximate must be True or False, not {self.approximate!r}"
            )
        if self.value is None and self.low is None and self.high is None:
            raise InvalidQuantity(f"quantity in {self.unit!r} has no value and no bounds")
        lo, hi, v = self.low, self.high, self.value
        if lo is not None and hi is not None and lo > hi:
            raise InvalidQuantity(f"quantity bounds are reversed: low {lo!r} > high {hi!r}")
        if hi is not None and hi < 0 and lo is None and v is None:
            raise InvalidQuantity(
                f"quantity known only by the upper bound {hi!r}: an upper bound alone is read "
                "as a magnitude from 0, so it cannot be negative; give low= as well"
            )
        if v is not None and ((lo is not None and v < lo) or (hi is not None and v > hi)):
            raise InvalidQuantity(f"quantity value {v!r} lies outside its bounds [{lo!r}, {hi!r}]")

    # Constructors that read like the sentences they transcribe.
    @classmethod
    def exact(cls, value: Number, unit: str = "count") -> Quantity:
        """Exactly ``value``. ``Quantity.exact(111_000_000, "USD")``.

        >>> Quantity.exact(3, "people").upper
        3
        """
        return cls(value, unit)

    @classmethod
    def about(cls, value: Number, unit: str = "count") -> Quantity:
        """About ``value`` ("about 4 000 killed or injured").

        >>> str(Quantity.about(4000, "people"))
        'about 4 000 people'
        """
        return cls(value, unit, approximate=True)

    @classmethod
    def at_least(cls, low: Number, unit: str = "count") -> Quantity:
        """At least ``low`` ("over 11 000 soldiers").

        >>> Quantity.at_least(11000, "people").upper is None
        True
        """
        return cls(None, unit, low=low)

    @classmethod
    def up_to(cls, high: Number, unit: str = "count") -> Quantity:
        """At most ``high`` ("up to 30 000 more soldiers").

        >>> Quantity.up_to(30000, "people").lower
        0
        """
        return cls(None, unit, high=high)

    @classmethod
    def range(cls, low: Number, high: Number, unit: str = "count") -> Quantity:
        """Between ``low`` and ``high`` inclusive.

        >>> str(Quantity.range(10, 12, "USD"))
        '10–12 USD'
        """
        return cls(None, unit, low=low, high=high)

    @classmethod
    def coerce(cls, value: object, *, name: str = "quantity") -> Quantity:
        """A Quantity from a Quantity, a bare number (unit ``count``) or a dict.

        >>> Quantity.coerce(5), Quantity.coerce({"value": 2, "unit": "USD"})
        (Quantity(5, 'count'), Quantity(2, 'USD'))
        """
        if isinstance(value, Quantity):
            return value
        if isinstance(value, Mapping):
            return cls.from_dict(value, name=name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidQuantity(
                f"quantity {name!r} must be a number, a Quantity or a dict, not {value!r}"
            )
        try:
            return cls(value)
        except InvalidQuantity as e:
            raise InvalidQuantity(f"quantity {name!r}: {e}") from None

    @classmethod
    def parse(cls, text: str, unit: str | None = None) -> Quantity:
        """Read an amount as reports write it; raise :class:`InvalidQuantity` otherwise.

        The grammar (case-insensitive, spaces free)::

            quantity := [about] figure [unit] ["(reported" amount ")"]
            figure   := amount
                      | ("at least" | "over" | "more than" | ...) [about] amount
                      | ("up to" | "at most" | "as many as" | ...) [about] amount
                      | ["between"] amount ("and" | "to" | "–" | "-") amount
            amount   := [symbol] number [scale]
            about    := "about" | "around" | "approximately" | "roughly" | "some" | "circa"
                      | "c." | "ca." | "an estimated" | "~"

        Lower bounds: ``at least``, ``over``, ``more than``, ``above``, ``in excess of``,
        ``upwards of``, ``no fewer than``, ``no less than``; upper bounds: ``up to``,
        ``at most``, ``as many as``, ``no more than``, ``fewer than``, ``less than``,
        ``under``, ``below``. Bounds are inclusive ("over 11,000" is at least 11 000).
        A number has digits grouped by commas or spaces (``11,000``, ``11 000``), an optional
        decimal point and sign; a scale is ``thousand``, ``million``, ``billion``,
        ``trillion`` or, written against the number, ``k``, ``m``/``mn``, ``bn``, ``tn``.
        In a range, the first amount borrows the second's scale when it is smaller
        ("between 3 and 4 million") and either borrows the other's symbol ("$3-4 billion").
        Symbols: ``$``/``US$`` (USD), ``€`` (EUR), ``£`` (GBP), ``₽`` (RUB). The unit is the
        rest of the text (a currency word such as ``dollars`` or ``euros`` becomes its code),
        else ``unit``, else ``count``. Everything :meth:`__str__` writes is read back.

        >>> Quantity.parse("about $10 billion")
        Quantity(10000000000, 'USD', approximate=True)
        >>> Quantity.parse("over 11,000 troops"), Quantity.parse("up to 30 000", "people")
        (Quantity(low=11000, unit='troops'), Quantity(high=30000, unit='people'))
        >>> Quantity.parse("between 3 and 4 million people")
        Quantity(low=3000000, high=4000000, unit='people')
        >>> Quantity.parse("-1.2 billion usd")  # a trade deficit
        Quantity(-1200000000, 'USD')
        """
        if not isinstance(text, str):
            raise InvalidQuantity(f"cannot read a quantity from {text!r}: not text")
        return _parse_quantity(text, unit)

    @property
    def lower(self) -> Number:
        """The least the amount can be: ``low``, else the reported value, else 0."""
        if self.low is not None:
            return self.low
        return self.value if self.value is not None else 0

    @property
    def upper(self) -> Number | None:
        """The most the amount can be: ``high``, else the reported value, else ``None``."""
        return self.high if self.high is not None else self.value

    @property
    def is_exact(self) -> bool:
        """True for a plain reported value with no bounds and no "about".

        >>> Quantity(3).is_exact, Quantity.about(3).is_exact
        (True, False)
        """
        return (
            self.value is not None
            and self.low is None
            and self.high is None
            and not self.approximate
        )

    def __float__(self) -> float:
        """The best single estimate: the value, else the middle of the bounds, else the bound."""
        if self.value is not None:
            return float(self.value)
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return float(self.low if self.low is not None else self.high)  # type: ignore[arg-type]

    def __add__(self, other: object) -> Quantity:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self  # so that sum(quantities) works
        if not isinstance(other, Quantity):
            return NotImplemented
        if other.unit != self.unit:
            raise UnitMismatch(
                f"cannot add {self} and {other}: units differ ({self.unit!r} vs {other.unit!r})"
            )
        lower = self.lower + other.lower
        up_a, up_b = self.upper, other.upper
        upper = None if up_a is None or up_b is None else up_a + up_b
        value = None
        if self.value is not None and other.value is not None:
            value = self.value + other.value
        return Quantity._from_parts(
            value, self.unit, lower, upper, self.approximate or other.approximate
        )

    __radd__ = __add__

    @classmethod
    def _trusted(cls, d: dict[str, Any]) -> Quantity:
        """A Quantity from its canonical dict, as :meth:`to_dict` writes it, without checks:
        for records this library wrote from valid quantities.

        >>> Quantity._trusted({"unit": "people", "value": 4000, "approximate": True})
        Quantity(4000, 'people', approximate=True)
        """
        q: Quantity = _new(cls)
        _S_UNIT(q, d["unit"])
        if len(d) == 2 and "value" in d:  # the common case: {"unit": ..., "value": ...}
            _S_VALUE(q, d["value"])
            _S_LOW(q, None)
            _S_HIGH(q, None)
            _S_APPROXIMATE(q, False)
            return q
        get = d.get
        _S_VALUE(q, get("value"))
        _S_LOW(q, get("low"))
        _S_HIGH(q, get("high"))
        _S_APPROXIMATE(q, get("approximate", False))
        return q

    @classmethod
    def _from_parts(
        cls, value: Number | None, unit: str, lower: Number, upper: Number | None, approximate: bool
    ) -> Quantity:
        """The simplest Quantity with these effective bounds (drops bounds implied by value)."""
        low = None if lower == 0 or lower == value else lower
        high = None if upper == value else upper
        if value is None and low is None and high is None:
            low = lower  # "at least 0": the only thing known
        return cls(value, unit, low=low, high=high, approximate=approximate)

    def __str__(self) -> str:
        """The quantity as a sentence writes it; :meth:`parse` reads it back.

        "About" qualifies the figure it precedes: ``at least about 14 000 people``.

        >>> str(Quantity(None, "people", low=14_000, approximate=True))
        'at least about 14 000 people'
        >>> str(Quantity.about(33_568_000.5, "USD")), str(Quantity.range(-5, 3, "percent"))
        ('about 33 568 000 USD', '-5 to 3 percent')
        """
        unit = self.unit
        about = "about " if self.approximate else ""
        if self.value is not None and self.low is None and self.high is None:
            return f"{about}{_fmt(self.value)} {unit}"
        if self.low is not None and self.high is not None:
            dash = " to " if self.low < 0 or self.high < 0 else "–"
            core = f"{about}{_fmt(self.low)}{dash}{_fmt(self.high)} {unit}"
        elif self.low is not None:
            core = f"at least {about}{_fmt(self.low)} {unit}"
        else:
            core = f"up to {about}{_fmt(self.high)} {unit}"  # type: ignore[arg-type]
        if self.value is not None:
            core += f" (reported {_fmt(self.value)})"
        return core

    def __repr__(self) -> str:
        bounds = [
            f"{k}={v!r}" for k, v in (("low", self.low), ("high", self.high)) if v is not None
        ]
        if self.value is not None:
            parts = [repr(self.value), repr(self.unit), *bounds]
        else:
            parts = [*bounds, f"unit={self.unit!r}"]
        if self.approximate:
            parts.append("approximate=True")
        return f"Quantity({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The canonical JSON form: ``unit`` plus whichever of value/low/high are known.

        >>> Quantity.about(4000, "people").to_dict()
        {'unit': 'people', 'value': 4000, 'approximate': True}
        """
        d: dict[str, Any] = {"unit": self.unit}
        if self.value is not None:
            d["value"] = self.value
        if self.low is not None:
            d["low"] = self.low
        if self.high is not None:
            d["high"] = self.high
        if self.approximate:
            d["approximate"] = True
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, name: str = "quantity") -> Quantity:
        """Read the canonical JSON form; unknown keys and bad values raise InvalidQuantity.

        >>> Quantity.from_dict({"unit": "people", "low": 11000})
        Quantity(low=11000, unit='people')
        """
        if type(d) is dict and len(d) == 2:  # the common exact form, read without the checks
            value, unit = d.get("value"), d.get("unit")  # that cannot fail for it
            if (
                type(value) is int
                and -_FLOAT_MAX <= value <= _FLOAT_MAX
                and type(unit) is str
                and unit.isascii()
                and _UNIT_RE.match(unit)
            ):
                spelled = normalise_unit(unit)
                return cls._trusted(d if spelled == unit else {"unit": spelled, "value": value})
        unknown = set(d) - {"unit", "value", "low", "high", "approximate"}
        if unknown:
            raise InvalidQuantity(f"quantity {name!r}: unknown keys {sorted(unknown)!r}")
        try:
            return cls(
                d.get("value"),
                d.get("unit", "count"),
                low=d.get("low"),
                high=d.get("high"),
                approximate=d.get("approximate", False),
            )
        except InvalidQuantity as e:
            raise InvalidQuantity(f"quantity {name!r}: {e}") from None


# The slots' own setters, for the trusted constructor (it writes a frozen instance's slots, as
# attrs' __init__ does).
_new = object.__new__
_S_VALUE, _S_UNIT, _S_LOW, _S_HIGH, _S_APPROXIMATE = (
    Quantity.__dict__[f.name].__set__ for f in attrs.fields(Quantity)
)


# -- Quantity.parse ----------------------------------------------------------------------------

_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB"}
_CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pounds sterling": "GBP",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
}
_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
_ABOUT = r"(?:about|around|approximately|approx\.?|roughly|some|circa|ca\.|c\.|an estimated|~)"
_AT_LEAST = (
    r"(?:at least|over|more than|above|in excess of|upwards of|no fewer than|no less than|>=?|≥)"
)
_UP_TO = r"(?:up to|at most|as many as|no more than|fewer than|less than|under|below|<=?|≤)"


def _amount(i: int) -> str:
    return (
        rf"(?P<sym{i}>us\$|\$|€|£|₽)?\s*"
        rf"(?P<num{i}>[-−+]?(?:\d{{1,3}}(?:[, \u00a0\u202f]\d{{3}})+|\d+)(?:\.\d+)?)"
        rf"(?:\s*(?P<word{i}>thousand|million|billion|trillion)\b|(?P<abbr{i}>k|mn|m|bn|tn)\b)?"
    )


_UNIT_TAIL = r"(?:\s+(?P<unit>[^\s()0-9.,+-].*?))?"
_REPORTED = re.compile(r"(?P<rest>.*?)\s*\(reported\s+(?P<reported>[^()]+)\)", re.IGNORECASE)
_QUALIFIED = re.compile(
    rf"(?:(?P<about>{_ABOUT})\s+|(?P<tilde>~)\s*)?(?:(?:(?P<least>{_AT_LEAST})|(?P<most>{_UP_TO}))(?=[\s\d$€£₽~+-]))?"
    rf"\s*(?:(?P<about2>{_ABOUT})\s+|(?P<tilde2>~)\s*)?(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_RANGE = re.compile(
    rf"(?:between\s+)?{_amount(1)}\s*(?:and|to|–|—|-)\s*{_amount(2)}{_UNIT_TAIL}",
    re.IGNORECASE,
)
_SINGLE = re.compile(rf"{_amount(1)}{_UNIT_TAIL}", re.IGNORECASE)


def _number(m: re.Match[str], i: int, scale_from: int | None = None) -> tuple[Number, int]:
    """The number of amount ``i`` and its scale (borrowed from amount ``scale_from``)."""
    digits = re.sub(r"[, \u00a0\u202f]", "", m[f"num{i}"]).replace("−", "-")
    scale_word = m[f"word{i}"] or m[f"abbr{i}"]
    if scale_word is None and scale_from is not None:
        scale_word = m[f"word{scale_from}"] or m[f"abbr{scale_from}"]
    scale = _SCALES[scale_word.lower()] if scale_word else 1
    d = decimal.Decimal(digits) * scale
    return (int(d) if d == d.to_integral_value() else float(d)), scale


def _parse_quantity(text: str, default_unit: str | None) -> Quantity:
    original = text
    t = " ".join(text.replace("\u2013", "–").split())

    def bad(why: str) -> InvalidQuantity:
        return InvalidQuantity(f"cannot read a quantity from {original!r}: {why}")

    reported: Number | None = None
    m = _REPORTED.fullmatch(t)
    if m is not None:
        inner = _SINGLE.fullmatch(m["reported"])
        if inner is None or inner["unit"]:
            raise bad("'(reported ...)' must hold a number")
        reported = _number(inner, 1)[0]
        t = m["rest"]
    q = _QUALIFIED.fullmatch(t)
    if q is None:  # cannot happen: every part is optional
        raise bad("not a quantity")
    approximate = bool(q["about"] or q["tilde"] or q["about2"] or q["tilde2"])
    rest = q["rest"]
    low = high = value = None
    r = _RANGE.fullmatch(rest)
    if r is not None and not (q["least"] or q["most"]):
        n2, _ = _number(r, 2)
        n1, _ = _number(r, 1)
        if r["word1"] is None and r["abbr1"] is None:
            borrowed, _ = _number(r, 1, scale_from=2)
            if borrowed <= n2:
                n1 = borrowed
        low, high = n1, n2
        symbol = (r["sym1"] or r["sym2"] or "").lower()
        tail = r["unit"]
    else:
        s = _SINGLE.fullmatch(rest)
        if s is None:
            raise bad(
                "expected a number such as '11,000', 'about $10 billion', 'over 11 000 "
                "troops', 'up to 30 000' or 'between 3 and 4 million'"
            )
        n, _ = _number(s, 1)
        if q["least"]:
            low = n
        elif q["most"]:
            high = n
        else:
            value = n
        symbol = (s["sym1"] or "").lower()
        tail = s["unit"]
    unit = _unit_of(symbol, tail, default_unit, bad)
    if reported is not None:
        if value is not None:
            raise bad("'(reported ...)' goes with a bound or a range")
        value = reported
    try:
        return Quantity(value, unit, low=low, high=high, approximate=approximate)
    except InvalidQuantity as e:
        raise bad(str(e)) from None


def _unit_of(symbol: str, tail: str | None, default: str | None, bad: Any) -> str:
    unit = _SYMBOLS[symbol] if symbol else None
    if tail:
        word = _CURRENCY_WORDS.get(tail.lower(), tail)
        if unit is not None and normalise_unit(word) != unit:
            raise bad(f"the symbol {symbol!r} says {unit} but the unit says {tail!r}")
        unit = word
    if default is not None and unit is not None and normalise_unit(default) != normalise_unit(unit):
        raise bad(f"the text gives the unit {unit!r}, not {default!r}")
    return unit or default or "count"
