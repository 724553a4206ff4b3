"""Event.measures (issue 15): validation, the canonical record, and aggregation by name."""

from __future__ import annotations

import json
import math

import pytest

from relations import Event, InvalidEvent, Quantity, timeline
from relations.errors import UnknownKey
from relations.periods import Period
from relations.record import decode_event, encode_event, trusted_event


def _e(when: str, **measures: float) -> Event:
    return Event(when, "cameo", ["PRK", "RUS"], f"e{when}", measures=measures)


def test_measures_are_numbers_in_sorted_order_and_part_of_the_record() -> None:
    e = Event("2024", "trade", ["RUS"], "t", measures={"tone": -1.5, "mentions": 3})
    assert list(e.measures) == ["mentions", "tone"] and type(e.measures["mentions"]) is int
    d = e.to_dict()
    assert d["measures"] == {"mentions": 3, "tone": -1.5}
    assert json.loads(encode_event(e)) == d
    assert decode_event(d) == e == trusted_event(json.loads(encode_event(e)))


def test_an_event_without_measures_is_written_as_before() -> None:
    e = Event("2024", "trade", ["RUS"], "t")
    assert "measures" not in e.to_dict() and '"measures"' not in encode_event(e)
    assert e == Event("2024", "trade", ["RUS"], "t", measures={})


@pytest.mark.parametrize(
    "bad", [{"x": math.nan}, {"x": math.inf}, {"x": True}, {"x": "1"}, {"": 1}, {"x": None}]
)
def test_bad_measures_name_the_field(bad: dict[object, object]) -> None:
    with pytest.raises(InvalidEvent, match=r"field 'measures'"):
        Event("2024", "trade", ["RUS"], "t", measures=bad)


def test_a_record_with_nan_measures_is_not_trusted_and_is_refused() -> None:
    d = json.loads('{"schema":1,"id":"t","when":"2024","kind":"trade","actors":["RUS"],'
                   '"title":"t","measures":{"x":NaN}}')  # fmt: skip
    assert trusted_event(d) is None
    with pytest.raises(InvalidEvent, match=r"field 'measures'"):
        decode_event(d)


def test_sum_and_mean_of_a_measure_by_dyad_and_month() -> None:
    tl = timeline.of(
        _e("2024-01-03", goldstein=4, mentions=3),
        _e("2024-01-20", goldstein=-2.0, mentions=1),
        _e("2024-02-01", goldstein=1),
        Event("2024-02-02", "cameo", ["USA", "RUS"], "u", measures={"goldstein": 7}),
    )
    mean = tl.mean("goldstein", by=("dyad", "month"))
    assert mean[(("PRK", "RUS"), Period.parse("2024-01"))] == 1.0
    assert mean[(("RUS", "USA"), Period.parse("2024-02"))] == 7.0
    weighted = tl.mean("goldstein", by="month", weight="mentions")
    assert weighted[Period.parse("2024-01")] == pytest.approx((4 * 3 - 2 * 1) / 4)
    assert Period.parse("2024-02") not in weighted or weighted[Period.parse("2024-02")] is None
    total = tl.sum("mentions", by="year")
    assert total[Period.parse("2024")] == 4 and total.missing == 2
    assert type(total[Period.parse("2024")]) is int  # whole counts stay whole


def test_quantities_come_before_measures_of_the_same_name() -> None:
    tl = timeline.of(
        Event("2024", "war", ["RUS", "UKR"], "w", quantities={"fatalities": Quantity(5, "people")},
              measures={"fatalities": 5}),
    )  # fmt: skip
    assert tl.sum("fatalities", by="year")[Period.parse("2024")] == Quantity(5, "people")


def test_an_unknown_name_lists_the_known_ones() -> None:
    # issue 19: tl.sum("soldier") gave an empty series
    tl = timeline.of(
        Event("2024", "military.deployment", ["PRK", "RUS"], "d", quantities={"soldiers": 10}),
        _e("2024-05", tone=1.0),
    )
    with pytest.raises(UnknownKey, match=r"'soldier'.*quantities: 'soldiers'; measures: 'tone'"):
        tl.sum("soldier")
    with pytest.raises(UnknownKey, match=r"'soldier'.*did you mean 'soldiers'"):
        tl.mean("soldier")
    assert len(timeline.of().sum("anything")) == 0  # nothing to judge by


def test_scores_use_the_events_own_goldstein_else_the_kind_score() -> None:
    own = Event("2024-06-19", "diplomacy.summit", ["RUS", "PRK"], "s", measures={"goldstein": 7.5})
    plain = Event("2024-06-20", "diplomacy.summit", ["RUS", "PRK"], "t")
    tl = timeline.of(own, plain)
    kind_score = timeline.of(plain).score_sum("month")[Period.parse("2024-06")]
    assert tl.score_sum("month")[Period.parse("2024-06")] == 7.5 + kind_score
    # an explicit scale is the user's choice: it applies to every event
    assert tl.score_sum("month", scale={"diplomacy": 1})[Period.parse("2024-06")] == 2
