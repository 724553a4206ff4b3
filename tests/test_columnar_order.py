"""The columnar timeline order (lo, hi, id) and its repeated-id check, against a plain sort.

:mod:`relations._timeline.order` sorts by an 8-byte key of each id and resolves ties by full
comparison (or sorts the strings when too many keys tie); whatever path it takes, the order
must be Python's ``sorted`` by ``(lo, hi, id)`` and a repeated id must give None.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from relations._timeline.order import id_order, timeline_order
from relations.io import read_jsonl

# Few letters, shared stems and a NUL: many ids tie on their first bytes, some are prefixes of
# others, some are repeated.
_ID = st.builds(
    lambda stem, tail: stem + tail,
    st.sampled_from(["", "ev-", "ev-000000000", "é€", "\x00"]),
    st.text(alphabet="ab\x00é", max_size=12),
).filter(lambda s: s != "")


def _chunked(ids: list[str], cut: int) -> pa.ChunkedArray:
    cut = min(cut, len(ids))
    return pa.chunked_array([pa.array(ids[:cut], pa.string()), pa.array(ids[cut:], pa.string())])


@settings(max_examples=150, deadline=None)
@given(st.lists(_ID, max_size=40), st.integers(0, 40))
def test_id_order_is_the_sorted_order_or_none_for_a_repeated_id(ids: list[str], cut: int) -> None:
    got = id_order(_chunked(ids, cut))
    if len(set(ids)) != len(ids):
        assert got is None
    else:
        assert got is not None
        assert got.tolist() == sorted(range(len(ids)), key=ids.__getitem__)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_ID, st.integers(0, 4)), max_size=40),
    st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 3)), min_size=5, max_size=5),
    st.integers(0, 40),
)
def test_timeline_order_is_the_sorted_order(
    rows: list[tuple[str, int]], dates: list[tuple[int, int]], cut: int
) -> None:
    ids = [i for i, _ in rows]
    codes = np.array([c for _, c in rows], dtype=np.int32)
    lo = np.array([a for a, _ in dates], dtype=np.int64)
    hi = lo + np.array([b for _, b in dates], dtype=np.int64)
    got = timeline_order(_chunked(ids, cut), lo, hi, codes)
    if len(set(ids)) != len(ids):
        assert got is None
        return
    want = sorted(range(len(ids)), key=lambda i: (lo[codes[i]], hi[codes[i]], ids[i]))
    assert got is not None and got.tolist() == want


def test_many_tied_keys_sort_the_strings(tmp_path: Path) -> None:
    # Ids that differ only after their first 8 distinguishing bytes: the string-sort path.
    ids = [f"{'x' * 9}{i:04d}" for i in range(300)] + ["a", "b"]
    order = id_order(pa.chunked_array([ids[::-1]]))
    assert order is not None
    assert [ids[::-1][i] for i in order.tolist()] == sorted(ids)
    assert id_order(pa.chunked_array([[*ids, ids[5]]])) is None


def test_a_file_in_timeline_order_and_one_in_any_order_read_alike(tmp_path: Path) -> None:
    recs = [
        {"id": f"e{i % 7}-{i}", "when": f"20{10 + i % 5}", "kind": "trade", "actors": ["RUS"],
         "title": f"T{i}", **({"summary": "s"} if i % 3 == 0 else {})}
        for i in range(40)
    ]  # fmt: skip
    shuffled, ordered = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    shuffled.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    first = read_jsonl(shuffled)
    ordered.write_text("".join(json.dumps(e.to_dict()) + "\n" for e in first), encoding="utf-8")
    second = read_jsonl(ordered)
    assert first._col is not None and second._col is not None
    assert second._col._perm is None  # already in order: nothing to reorder
    assert first == second and first.ids() == second.ids()
    assert first._col.column("title").to_pylist() == [e.title for e in first]
    assert second._col.column("kind").to_pylist() == [e.kind for e in second]
