"""Quantities as they are reported: exact, approximate, or known only by a bound.

"over 11 000 soldiers" is a lower bound, "up to 30 000" an upper bound, "about 4 000" an
approximate value. A :class:`Quantity` keeps that distinction; ``float(q)`` gives the best
single estimate for arithmetic, and adding quantities adds their bounds, so a total of
"at least" figures stays "at least".

Quantities are magnitudes (people, money, items) and are never negative. A bare number has the
unit ``count``.

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

import math
import re
from collections.abc import Mapping
from typing import Any

import attrs

from relations.errors import InvalidQuantity, UnitMismatch

__all__ = ["Number", "Quantity"]

Number = int | float
_UNIT_RE = re.compile(r"^\S(.*\S)?$")


def _check_number(value: object, what: str) -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidQuantity(f"{what} must be a number, not {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidQuantity(f"{what} must be finite, not {value!r}")
        if value.is_integer() and abs(value) < 2**53:
            value = int(value)  # 11000.0 and 11000 are the same quantity: one canonical form
    if value < 0:
        raise InvalidQuantity(f"{what} must not be negative (quantities are magnitudes): {value!r}")
    return value


def _fmt(n: Number) -> str:
    return f"{n:,}".replace(",", " ") if isinstance(n, int) else f"{n:,.6g}".replace(",", " ")


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
        if not isinstance(self.approximate, bool):
            raise InvalidQuantity(
                f"quantity approximate must be True or False, not {self.approximate!r}"
            )
        if self.value is None and self.low is None and self.high is None:
            raise InvalidQuantity(f"quantity in {self.unit!r} has no value and no bounds")
        lo, hi, v = self.low, self.high, self.value
        if lo is not None and hi is not None and lo > hi:
            raise InvalidQuantity(f"quantity bounds are reversed: low {lo!r} > high {hi!r}")
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
        """A Quantity from a Quantity, a bare non-negative number (unit ``count``) or a dict.

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
        unit = self.unit
        if self.value is not None and self.low is None and self.high is None:
            return f"{'about ' if self.approximate else ''}{_fmt(self.value)} {unit}"
        about = "about " if self.approximate else ""
        if self.low is not None and self.high is not None:
            core = f"{_fmt(self.low)}–{_fmt(self.high)} {unit}"
        elif self.low is not None:
            core = f"at least {_fmt(self.low)} {unit}"
        else:
            core = f"up to {_fmt(self.high)} {unit}"  # type: ignore[arg-type]
        if self.value is not None:
            core += f" (reported {_fmt(self.value)})"
        return about + core

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
            if type(value) is int and value >= 0 and type(unit) is str and _UNIT_RE.match(unit):
                return cls._trusted(d)
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
