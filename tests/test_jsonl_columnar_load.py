"""The columnar load's table checks (issue 15): tables as other readers give them.

A Parquet file read with ``read_dictionary`` gives ``when``, ``kind`` and ``status`` as
dictionary columns; :func:`from_table` must take them as they are and give the Timeline the
plain-text table gives.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relations import Event, InvalidDate, Timeline
from relations._timeline.columns import _actor_lists, from_table
from relations.errors import RelationsError, RelationsWarning
from relations.io import read_jsonl, write_jsonl
from relations.io._report import Tally
from relations.io.jsonl import _PARSE, read_columns
from relations.testing import events

_DICT = ("when", "kind", "status")
_TEXTS = pa.list_(pa.string())


def _records(tl: Timeline) -> pa.Table:
    """The records of ``tl`` as the JSON Lines reader parses them (file order = ``tl``'s)."""
    import pyarrow.json as pj

    buf = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelationsWarning)
        write_jsonl(tl, buf)
    return pj.read_json(pa.BufferReader(buf.getvalue().encode()), parse_options=_PARSE)


def _as_dictionaries(table: pa.Table, chunks: int = 1) -> pa.Table:
    """``table`` with its ``when``/``kind``/``status`` columns dictionary-encoded, each of
    ``chunks`` slices with its own dictionary (as a Parquet file's row groups)."""
    n = table.num_rows
    step = max(1, -(-n // chunks))
    for i, name in enumerate(table.column_names):
        if name in _DICT:
            col = table.column(name).combine_chunks()
            parts = [pc.dictionary_encode(col.slice(s, step)) for s in range(0, n, step)]
            table = table.set_column(
                i, name, pa.chunked_array(parts, type=pa.dictionary(pa.int32(), pa.string()))
            )
    return table


def _timeline(table: pa.Table) -> Timeline:
    cols = from_table(table)
    assert cols is not None
    return Timeline._from_columns(cols)


@settings(max_examples=40, deadline=None)
@given(st.lists(events(with_id=True), min_size=1, max_size=12), st.integers(1, 3))
def test_dictionary_columns_give_the_same_timeline(evs: list[Event], chunks: int) -> None:
    expected = Timeline({e.id: e for e in evs}.values())
    plain = _records(expected)
    table = _as_dictionaries(plain, chunks)
    if from_table(plain) is None:  # (a field only the checked reader reads: so must this)
        assert from_table(table) is None
        return
    got = _timeline(table)
    assert got == expected
    assert list(got) == list(expected) and got.ids() == expected.ids()
    for name in ("actor", "dyad", "kind", "kind_prefix", "status"):
        for key in {k for e in expected for k in _keys(name, e)}:
            assert got._postings(name, key) == expected._postings(name, key)


def _keys(name: str, e: Event) -> tuple[object, ...]:
    from relations.keys import KEYS

    return tuple(KEYS[name](e))


def test_a_dictionary_with_unused_and_repeated_values_is_read_by_its_rows() -> None:
    words = pa.array(["trade", "2024", "trade", "aid", "bogus kind!"])
    kind = pa.DictionaryArray.from_arrays(pa.array([0, 2, 3], pa.int8()), words)
    when = pa.DictionaryArray.from_arrays(pa.array([1, 1, 1], pa.int16()), words)
    table = pa.table(
        {
            "id": ["c", "a", "b"],
            "when": when,
            "kind": kind,
            "actors": [["RUS"], ["USA"], ["CHN"]],
            "title": ["C", "A", "B"],
        }
    )
    tl = _timeline(table)
    assert tl.ids() == ("a", "b", "c")
    assert tl == Timeline(
        Event("2024", k, [a], i.upper(), id=i)
        for i, k, a in (("c", "trade", "RUS"), ("a", "trade", "USA"), ("b", "aid", "CHN"))
    )
    assert tl._col is not None and tl._col.kinds == ["trade", "aid"]


def test_a_null_in_a_dictionary_column_needs_the_checked_reader() -> None:
    base = {"id": ["x", "y"], "actors": [["RUS"], ["USA"]], "title": ["T", "U"]}
    when = pa.DictionaryArray.from_arrays(pa.array([0, 1]), pa.array(["2024", None]))
    kind = pa.array(["trade", "trade"]).dictionary_encode()
    assert from_table(pa.table({**base, "when": when, "kind": kind})) is None
    null_row = pa.DictionaryArray.from_arrays(pa.array([0, None]), pa.array(["trade"]))
    assert from_table(pa.table({**base, "when": kind, "kind": null_row})) is None
    ok = pa.array(["2024", "2025"]).dictionary_encode()
    assert from_table(pa.table({**base, "when": ok, "kind": kind})) is not None
    # Other fields held as dictionaries are not a record's types.
    title = pa.array(["T", "U"]).dictionary_encode()
    assert from_table(pa.table({**base, "when": ok, "kind": kind, "title": title})) is None


# Canonical codes (each resolves to itself) and one alias (which does not).
_CODES = ["RUS", "PRK", "USA", "CHN", "FRA", "DEU", "GBR", "IND", "NATO", "UN", "Russia"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_CODES), max_size=12),
        min_size=1,
        max_size=30,
    ),
    st.integers(1, 11),
    st.integers(0, 30),
)
def test_actor_lists_are_each_rows_list_or_none(
    lists: list[list[str]], names: int, cut: int
) -> None:
    lists = [[_CODES[_CODES.index(a) % names] for a in row] for row in lists]
    cut = min(cut, len(lists))
    col = pa.chunked_array([pa.array(lists[:cut], _TEXTS), pa.array(lists[cut:], _TEXTS)])
    got = _actor_lists(col)
    bad = any(not a or len(set(a)) != len(a) or "Russia" in a for a in lists)
    if bad:
        assert got is None
        return
    assert got is not None
    distinct, codes = got
    assert [distinct[c] for c in codes.tolist()] == [tuple(a) for a in lists]
    assert len(set(distinct)) == len(distinct)


def test_actor_lists_of_many_actors_and_long_lists() -> None:
    # Dense packed keys, hashed packed keys (over 22 bits), and lists too long to pack (over
    # 62 bits: the joined texts).
    from relations.actors import all_actors, resolve_code

    codes = sorted(a.code for a in all_actors() if resolve_code(a.code) == a.code)[:40]
    assert len(codes) == 40  # 6 bits per item
    for lists in (
        [codes[:3], codes[3:6], codes[:3], codes[1:4]],
        [codes[:9], codes[:9][::-1], codes[:9], ["RUS"]],
        [codes[:12], codes[:7], codes[:12], codes[5:30]],
    ):
        got = _actor_lists(pa.chunked_array([pa.array(lists, _TEXTS)]))
        assert got is not None
        assert [got[0][c] for c in got[1].tolist()] == [tuple(a) for a in lists]
    for bad in ([codes[:12], [*codes[:11], codes[0]]], [["RUS"], []]):
        assert _actor_lists(pa.chunked_array([pa.array(bad, _TEXTS)])) is None
    with pytest.raises(RelationsError, match="unknown actor 'X001'"):
        _actor_lists(pa.chunked_array([pa.array([["X001"]], _TEXTS)]))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(alphabet="ab\x00é", max_size=12), min_size=1, max_size=20),
    st.integers(0, 12),
    st.integers(0, 4),
    st.booleans(),
)
def test_prefix_keys_are_eight_bytes_of_each_id(
    texts: list[str], width: int, skip: int, same_length: bool
) -> None:
    # Ids of one length take the matrix path; others the byte-by-byte one.
    from relations._timeline.order import _prefix_keys

    if same_length:
        texts = [(t * 12)[:width] if t else "x" * width for t in texts]
    arr = pa.array(texts, pa.string())
    col = pa.chunked_array([arr.slice(0, len(texts) // 2), arr.slice(len(texts) // 2)])
    want = [int.from_bytes(t.encode()[skip : skip + 8].ljust(8, b"\0"), "big") for t in texts]
    assert _prefix_keys(col, skip).tolist() == want


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.builds(
                "{:04d}-{:02d}-{:02d}".format,
                st.integers(0, 9999),
                st.integers(0, 13),
                st.integers(0, 32),
            ),
            st.sampled_from(["2024", "2024-06", "-0044", "2024-02-29", "0000-02-29", "1900-02-29"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_day_bounds_are_whens(dates: list[str]) -> None:
    from relations._timeline.columns import _day_bounds
    from relations.when import When

    try:
        want = [(w.lo, w.hi) for w in map(When.coerce, dates)]
    except InvalidDate:
        with pytest.raises(InvalidDate):
            _day_bounds(dates)
        return
    lo, hi = _day_bounds(dates)
    assert list(zip(lo.tolist(), hi.tolist(), strict=True)) == want


_LINE = '{"id": "e%d", "when": "2024-01-0%d", "kind": "trade", "actors": ["RUS"], "title": "T"}'


@pytest.mark.parametrize(
    ("text", "columnar"),
    [
        ("", False),  # an empty file cannot be mapped: the line reader reads it
        ("\n".join(_LINE % (i, i) for i in range(1, 4)), True),  # no newline at the end
        ("\n".join(_LINE % (i, i) for i in range(1, 4)) + "\n", True),
        (_LINE % (1, 1) + "\n\n" + _LINE % (2, 2) + "\n", False),  # a blank line
        ("\n" + _LINE % (1, 1) + "\n", False),  # a blank first line
        (_LINE % (1, 1) + _LINE % (2, 2) + "\n\n", False),  # two records on a line
        (_LINE.replace('"T"', '"T", "location": null') % (1, 1) + "\n", False),
        (_LINE.replace('"T"', '"T\u00e9"') % (1, 1) + "\n", True),  # UTF-8
    ],
)
def test_a_mapped_file_reads_as_the_line_reader_reads_it(
    tmp_path: Path, text: str, columnar: bool
) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text(text, encoding="utf-8")
    got = read_columns(path, Tally(str(path), "collect", None, None), 1 << 20)
    assert (got is not None) == columnar
    stream = io.BytesIO(text.encode())
    want, want_report = read_jsonl(stream, errors="collect", report=True)
    tl, report = read_jsonl(path, errors="collect", report=True)
    assert tl == want and tl.ids() == want.ids()
    assert [i.line for i in report.issues] == [i.line for i in want_report.issues]


def test_a_file_that_is_not_utf8_is_reported_by_the_line_reader(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes((_LINE % (1, 1)).replace("T", "T\xff").encode("latin-1") + b"\n")
    tl, report = read_jsonl(path, errors="collect", report=True)
    assert len(tl) == 0 and report.issues[0].line == 1


_ID = st.text(alphabet="ab\x00é", min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_ID, st.integers(0, 4)), max_size=40),
    st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 3)), min_size=5, max_size=5),
    st.booleans(),
    st.booleans(),
)
def test_timeline_order_of_rows_in_order_or_not(
    rows: list[tuple[str, int]], dates: list[tuple[int, int]], presort: bool, worker: bool
) -> None:
    # Rows already in timeline order take the one-pass check (a repeated id on two dates is
    # still found); others the sort; the id order may come from elsewhere (a worker thread).
    from relations._timeline.order import id_order, in_timeline_order, timeline_order

    lo = np.array([a for a, _ in dates], dtype=np.int64)
    hi = lo + np.array([b for _, b in dates], dtype=np.int64)
    if presort:
        rows = sorted(rows, key=lambda r: (lo[r[1]], hi[r[1]], r[0]))
    ids = [i for i, _ in rows]
    codes = np.array([c for _, c in rows], dtype=np.int32)
    col = pa.chunked_array([pa.array(ids, pa.string())], pa.string())
    by_id = (lambda: id_order(col)) if worker else None
    got = timeline_order(col, lo, hi, codes, by_id)
    if len(set(ids)) != len(ids):
        assert got is None
        return
    want = sorted(range(len(ids)), key=lambda i: (lo[codes[i]], hi[codes[i]], ids[i]))
    assert got is not None and got.tolist() == want
    assert in_timeline_order(col, lo, hi, codes) == (want == list(range(len(ids))))


def test_a_large_table_in_order_with_an_id_repeated_on_another_date() -> None:
    from relations._timeline.order import in_timeline_order, timeline_order

    n = 6000
    ids = [f"ev-{i:06d}" for i in range(n)]
    lo = hi = np.arange(60, dtype=np.int64)
    codes = np.repeat(np.arange(60), n // 60)
    col = pa.chunked_array([pa.array(ids, pa.string())])
    assert in_timeline_order(col, lo, hi, codes)
    got = timeline_order(col, lo, hi, codes)
    assert got is not None and got.tolist() == list(range(n))
    repeated = pa.chunked_array([pa.array([*ids[:-1], ids[0]], pa.string())])
    assert timeline_order(repeated, lo, hi, codes) is None
    assert not in_timeline_order(col, lo, hi, codes[::-1].copy())
