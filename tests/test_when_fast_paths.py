"""The parser's fast paths give exactly what the general EDTF parser gives.

``relations.when._parse`` reads plain dates (``2024-06-19``, ``2024-06``, ``2024``), the same
with a qualifier at the end (``2024-06-19~``) and intervals of them with open or unknown ends
(``2024-06/..``, ``/2024``) itself, for speed, and sends everything else to the general parser
``_edtf.fields``. The reference here is that general parser alone: ``_make(*_edtf.fields(t))``.
For every generated text, valid or not, the fast parser must give an identical ``When`` (every
stored attribute, its type, ``str``, ``repr``, hash) or raise ``InvalidDate`` with the same
message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from relations import _edtf
from relations import when as when_module
from relations.errors import InvalidDate
from relations.when import Precision, When

Outcome = tuple[str, object]


def _outcome(parse: Callable[[str], When], text: str) -> Outcome:
    try:
        w = parse(text)
    except InvalidDate as e:
        return ("error", str(e))
    assert type(w) is When
    assert type(w.precision) is Precision
    assert type(w.approximate) is bool and type(w.uncertain) is bool
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        w.lo = 0  # type: ignore[misc]
    stored = tuple((name, getattr(w, name)) for name in when_module._FIELDS)
    return ("when", (stored, str(w), repr(w), hash(w), w.sort_key()))


def _general(text: str) -> When:
    return when_module._make(*_edtf.fields(text))


def _fast_edtf(text: str) -> When:
    return when_module._parse(text, english=False)


def _assert_same(text: str) -> None:
    expected = _outcome(_general, text)
    assert _outcome(_fast_edtf, text) == expected, text
    assert _outcome(When.from_edtf, text) == expected, text
    # When.parse reads English too, but none of these shapes is English: same result.
    assert _outcome(when_module._parse, text) == expected, text
    assert _outcome(When.parse, text) == expected, text


# -- generated texts of the fast shapes, valid and invalid -------------------------------------

_years = st.one_of(
    st.sampled_from(["0000", "0001", "1900", "2000", "2023", "2024", "9999"]),
    st.integers(0, 9999).map("{:04d}".format),
)
_months = st.one_of(st.integers(1, 13), st.sampled_from([0, 21, 24, 33, 41, 99])).map(
    "{:02d}".format
)
_days = st.one_of(st.integers(1, 32), st.sampled_from([0, 99])).map("{:02d}".format)
_qualifiers = st.sampled_from(["", "", "~", "?", "%"])


@st.composite
def plain_dates(draw: st.DrawFn) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, perhaps qualified, perhaps invalid."""
    parts = [draw(_years)]
    depth = draw(st.integers(0, 2))
    if depth >= 1:
        parts.append(draw(_months))
    if depth == 2:
        parts.append(draw(_days))
    return "-".join(parts) + draw(_qualifiers)


_ends = st.one_of(plain_dates(), plain_dates(), st.sampled_from(["", ".."]))
intervals = st.builds("{}/{}".format, _ends, _ends)

# near misses: the characters of these shapes (and of what int() would accept) in any order
near_misses = st.text(alphabet="0123456789-/.~?%X +_W٣", min_size=0, max_size=22)

TRICKY = [
    "2023-02-29",
    "1900-02-29",
    "2000-02-29",
    "2024-02-30",
    "2024-13",
    "2024-00",
    "2024-06-00",
    "0000",
    "0000-01",
    "0000-12-31",
    "0000~",
    "2024-21",
    "2024-24~",
    "2024-06-19/2024-06-18",
    "2025/2024",
    "2024-06/2024-05-31",
    "2024-06/2024-06-01",
    "/",
    "../..",
    "/..",
    "2024//2025",
    "2024/2025/2026",
    "2024-W25-3",
    "20240619",
    "2024-6-19",
    "+024-06-19",
    " 024-06-19",
    "2024-06-1 ",
    "2024- 6-19",
    "2024-+6-19",
    "2_24-06-19",
    "٢٠٢٤-06-19",
    "2024-06-19~~",
    "2024~~",
    "~~~~~",
    "2024-06~-19",
    "-2024",
    "-0044-03-15",
    "Y12345",
    "202X",
    "2024-XX",
    "2024-06-19T12:00:00Z",
    "",
]


@given(plain_dates())
@example("2024-06-19")
@example("2024-06-19~")
@example("2024-06?")
@example("2024%")
def test_plain_dates_match_the_general_parser(text: str) -> None:
    _assert_same(text)


@given(intervals)
@example("2024-06-19/2024-07-01")
@example("2022/2025")
@example("2024-06/..")
@example("/2024")
@example("../2024-06-19~")
def test_intervals_match_the_general_parser(text: str) -> None:
    _assert_same(text)


@given(near_misses)
def test_near_misses_match_the_general_parser(text: str) -> None:
    expected = _outcome(_general, text)
    assert _outcome(_fast_edtf, text) == expected, text
    assert _outcome(When.from_edtf, text) == expected, text


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_match_the_general_parser(text: str) -> None:
    expected = _outcome(_general, text)
    assert _outcome(_fast_edtf, text) == expected, text
    assert _outcome(When.from_edtf, text) == expected, text


def test_invalid_plain_dates_raise_the_general_messages() -> None:
    with pytest.raises(InvalidDate, match="2023 is not a leap year"):
        When.from_edtf("2023-02-29")
    with pytest.raises(InvalidDate, match="month 13 does not exist"):
        When.parse("2024-13~")
    with pytest.raises(InvalidDate, match="the end '2024-06-18' is before the start"):
        When.parse("2024-06-19/2024-06-18")
    assert When.from_edtf("0000").lo == when_module.ordinal(0, 1, 1)


# -- the fast paths are really taken -------------------------------------------------------


@contextmanager
def _no_general_parser() -> Iterator[None]:
    def refuse(text: str) -> _edtf.Fields:
        raise AssertionError(f"general parser used for {text!r}")

    with mock.patch.object(_edtf, "fields", refuse):
        yield


@pytest.mark.parametrize(
    ("text", "lo", "hi", "precision", "approximate", "uncertain"),
    [
        ("2024-06-19", dt.date(2024, 6, 19), dt.date(2024, 6, 19), "DAY", False, False),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "MONTH", False, False),
        ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28), "MONTH", False, False),
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "YEAR", False, False),
        ("2024-06-19~", dt.date(2024, 6, 19), dt.date(2024, 6, 19), "DAY", True, False),
        ("2024-06?", dt.date(2024, 6, 1), dt.date(2024, 6, 30), "MONTH", False, True),
        ("1900%", dt.date(1900, 1, 1), dt.date(1900, 12, 31), "YEAR", True, True),
        ("2024-06-19/2024-07-01", dt.date(2024, 6, 19), dt.date(2024, 7, 1), "DAY", False, False),
        ("2022/2025", dt.date(2022, 1, 1), dt.date(2025, 12, 31), "YEAR", False, False),
        ("2024-06~/2025?", dt.date(2024, 6, 1), dt.date(2025, 12, 31), "YEAR", True, True),
        ("2024-06/..", dt.date(2024, 6, 1), None, "MONTH", False, False),
        ("/2024", None, dt.date(2024, 12, 31), "YEAR", False, False),
    ],
)
def test_common_shapes_take_a_fast_path(
    text: str,
    lo: dt.date | None,
    hi: dt.date | None,
    precision: str,
    approximate: bool,
    uncertain: bool,
) -> None:
    with _no_general_parser():
        w = when_module._parse(text)
    assert (w.earliest, w.latest) == (lo, hi)
    assert (w.precision.name, w.approximate, w.uncertain) == (precision, approximate, uncertain)
    assert w == _general(text)


# -- without CPython's strict date.fromisoformat ----------------------------------------------


def _lenient_fromisoformat(s: str) -> dt.date:
    """Like the pure-Python ``datetime`` (other interpreters): digits read by ``int()``."""
    if len(s) != 10:
        raise ValueError(s)
    return dt.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))


@given(st.one_of(plain_dates(), intervals, near_misses, st.sampled_from(TRICKY)))
def test_fast_paths_stay_exact_with_a_lenient_fromisoformat(text: str) -> None:
    expected = _outcome(_general, text)
    with (
        mock.patch.object(when_module, "_ISO_STRICT", False),
        mock.patch.object(when_module, "_date_fromisoformat", _lenient_fromisoformat),
    ):
        assert _outcome(_fast_edtf, text) == expected, text


def test_the_lenient_emulation_is_lenient() -> None:
    # the reason for _ascii_digits: int() reads " 024" and "+6"
    assert _lenient_fromisoformat(" 024-+6-19") == dt.date(24, 6, 19)
    assert when_module._ISO_STRICT  # CPython: the C fromisoformat, strict by itself
