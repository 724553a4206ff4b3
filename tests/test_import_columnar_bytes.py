"""The byte-level shortcuts of the columnar GDELT import, against the row reader's own rules.

Each shortcut vouches for a whole column without a regex or a Python loop per cell; a column
it vouches for must give exactly what the row-by-row reader gives for every cell (it may
decline a column the row reader accepts: that column then takes the exact path).
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.test_import_columnar import _both, _data, _row

from relations import RelationsError
from relations.io import import_gdelt, to_arrow
from relations.io._gdelt_columns import _hosts, _measure, _NotVouched, _unique_ids, _wide_at_edge
from relations.io._importing import measure, source_from_url
from relations.io._text_bytes import byte_table, cells_with_any, gather, spans
from relations.io.gdelt import GDELT2_COLUMNS
from relations.io.import_parquet import import_to_parquet

_NUMBERISH = st.text(alphabet="0123456789.-+eExXNAn", max_size=34)


def _reference(cells: list[str], integer: bool) -> list[int | float | None] | None:
    try:
        return [measure(c, file="f", line=1, field="x", integer=integer) for c in cells]
    except RelationsError:
        return None


@settings(max_examples=300, deadline=None)
@given(st.lists(_NUMBERISH, min_size=1, max_size=6), st.booleans())
def test_a_vouched_measure_column_is_the_row_readers(cells: list[str], integer: bool) -> None:
    try:
        got = _measure(pa.array(cells, pa.string()), integer).to_pylist()
    except (_NotVouched, pa.ArrowInvalid):
        return  # declined: the row reader reads the block
    ref = _reference(cells, integer)
    assert ref is not None
    for g, r in zip(got, ref, strict=True):
        assert type(g) is type(r)
        assert g == r
        if isinstance(r, float):
            assert math.copysign(1, g) == math.copysign(1, r)  # -0.0 stays -0.0


@pytest.mark.parametrize(
    ("cells", "integer"),
    [(["12", "", "0", "40"], True), (["-0.5", "", "12.25", "-0", "7", ".5", "5."], False)],
)
def test_plain_measure_columns_take_the_cheap_path(cells: list[str], integer: bool) -> None:
    assert _measure(pa.array(cells), integer).to_pylist() == _reference(cells, integer)


_HOSTISH = st.text(alphabet="abcAB09.-:/?#@[]w%", max_size=16)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["http://", "https://", "HTTP://", "", "www."]), _HOSTISH),
        min_size=1,
        max_size=5,
    )
)
def test_vouched_hosts_are_urlsplits(parts: list[tuple[str, str]]) -> None:
    urls = [a + b for a, b in parts]
    url = pa.array(["x", *urls]).slice(1)  # an offset, as a block's column may have
    web = pc.or_(pc.starts_with(url, "http://"), pc.starts_with(url, "https://"))
    try:
        got = pc.if_else(web, _hosts(url, web.to_numpy(zero_copy_only=False)), url).to_pylist()
    except _NotVouched:
        return
    for u, g in zip(urls, got, strict=True):
        if u:
            assert source_from_url(u).publisher == g


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789a", max_size=4), min_size=1, max_size=8))
def test_unique_ids(ids: list[str]) -> None:
    expected = all(ids) and len(set(ids)) == len(ids)
    assert _unique_ids(pa.array(ids, pa.string())) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab.eé", max_size=5), max_size=6), st.integers(0, 2))
def test_byte_helpers(cells: list[str], skip: int) -> None:
    a = pa.array(["zz"] * skip + cells, pa.string()).slice(skip)
    assert cells_with_any(a, byte_table(b".e")).tolist() == [("." in c or "e" in c) for c in cells]
    starts, stops, data = spans(a)
    assert gather(starts, stops, data).to_pylist() == cells


_OLD_WIDE_AT_EDGE = re.compile(  # the anchored pattern the search replaced, as the reference
    rb"(?:^|[\t\n])(?:\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
    rb"|\xe3\x80\x80)|(?:\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
    rb"|\xe3\x80\x80)(?:[\t\n]|$)"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a\t\n\u00a0\u2003\u3000\u205f\u0085é", max_size=12))
def test_wide_spaces_at_cell_edges(text: str) -> None:
    data = text.encode()
    assert _wide_at_edge(data) == bool(_OLD_WIDE_AT_EDGE.search(data))


@pytest.mark.parametrize(
    "url",
    ["http://h.org:80@x.org/a", "http://0:[", "https://WWW.Example.org:8080/x?q#f", "http://www."],
)
def test_urls_urlsplit_reads_otherwise_are_the_row_readers(url: str) -> None:
    data = _data(_row(GDELT2_COLUMNS, GLOBALEVENTID="1", SOURCEURL=url))
    fast, ref = _both(data, errors="collect")
    assert fast == ref


def test_a_tiny_tone_is_written_as_the_canonical_writer_writes_it(tmp_path: Path) -> None:
    rows = [_row(GDELT2_COLUMNS, GLOBALEVENTID=str(i), AvgTone=t) for i, t in enumerate(TONES)]
    out = tmp_path / "t.parquet"
    import_to_parquet(io.BytesIO(_data(*rows)), out, format="gdelt")
    written = pq.read_table(out).column("measures").to_pylist()
    expected = to_arrow(list(import_gdelt(io.BytesIO(_data(*rows))))).column("measures")
    assert sorted(written) == sorted(expected.to_pylist())


TONES = ["0.00001", "-0.00002", "12345678901.5", "1.5", "-0", "0"] + [f"{i}.25" for i in range(30)]
