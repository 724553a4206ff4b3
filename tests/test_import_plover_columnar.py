"""The columnar PLOVER import (Arrow's JSON reader, column-wise mapping) is the row reader's twin.

Every file is read both ways and must give the same events (compared whole and as records),
the same report, or the same error; files the fast path cannot vouch for go, whole, to the
row reader.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.test_io_plover import GSR, MANUAL

from relations.io import import_plover, plover, write_jsonl
from relations.io._plover_columns import PloverColumns

rows_only = plover.reader(plover._rows)  # the row-by-row reader, for reference


def _lines(*records: Any, end: str = "\n") -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + end for r in records).encode()


def _run(fn: Any, data: bytes, **kwargs: Any) -> object:
    """Events (and their records) with the report, or the error's type and message."""
    try:
        tl, rep = fn(io.BytesIO(data), report=True, **kwargs)
    except Exception as e:  # compared by the caller
        return (type(e), str(e))
    return (list(tl), [e.to_dict() for e in tl], rep)


def _both(data: bytes, **kwargs: Any) -> tuple[object, object]:
    return _run(import_plover, data, **kwargs), _run(rows_only, data, **kwargs)


def _fast(data: bytes) -> bool:
    tl, _ = import_plover(io.BytesIO(data), errors="collect", report=True)
    return isinstance(tl._col, PloverColumns)


def test_manual_and_gold_standard_records_take_the_fast_path() -> None:
    data = _lines(MANUAL, {**MANUAL, "id": "2", "event_scale": 8}, {**MANUAL, "id": "3"})
    assert _fast(data)
    fast, ref = _both(data)
    assert fast == ref
    # the record with 8.0 keeps "8.0", the one with 8 keeps "8", as the row reader does
    scales = {
        e.extra["source_event_id"]: e.extra["event_scale"] for e in import_plover(io.BytesIO(data))
    }
    assert scales == {MANUAL["id"]: "8.0", "2": "8", "3": "8.0"}
    gsr = _lines(GSR, {**GSR, "id": "PLOVER-GSR01-AGREE-0006", "eventText": " b "})
    assert _fast(gsr)
    fast, ref = _both(gsr)
    assert fast == ref


def test_events_are_built_on_demand_and_written_alike(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    src.write_bytes(
        _lines(
            *(
                {**MANUAL, "id": str(i), "date": f"2024-06-{i:02}", "size": {"dead": i}}
                for i in (3, 1, 2)
            )
        )
    )
    tl = import_plover(src)
    assert isinstance(tl._col, PloverColumns) and tl._col._built.count(None) == 3
    ref = rows_only(src)
    assert tl[0] == ref[0] and list(tl) == list(ref)
    a, b = io.StringIO(), io.StringIO()
    write_jsonl(import_plover(src), a)
    write_jsonl(ref, b)
    assert a.getvalue() == b.getvalue()
    for key in ("tag", "directed_dyad", "dyad", "kind"):
        assert tl.count(by=key) == ref.count(by=key)
    assert tl.sum("dead", by="year") == ref.sum("dead", by="year")


@pytest.mark.parametrize(
    "changes",
    [
        {"event": "GREET"},
        {"event": ""},
        {"date": "2024-02-30"},
        {"date": 20240101},
        {"enddate": "2024-01-01"},
        {"actor": [{"code": "XYZ"}]},
        {"actor": []},
        {"actor": "Putin"},
        {"size": {"dead": -1}},
        {"size": {"dead": 2.5}},
        {"size": {"dead": "3"}},
        {"id": ""},
        {"id": 1.5},
        {"cite_info": {"publication": 5}},
        {"text": 5},
        {"event_loc": {"city": 7}},
        {"recipient": [None]},
        {"event_text": [1, "x"]},
        {"event_scale": "NaN"},
        {"event_scale": "-Inf"},
        {"size": {"dead": "Infinity"}},
        {"unread": ["NaN"]},  # a field no event field comes from: still not JSON
    ],
)
def test_bad_records_read_as_the_row_reader_reads_them(changes: dict[str, Any]) -> None:
    data = _lines(MANUAL, {**MANUAL, "id": "b", **changes}, {**MANUAL, "id": "c"})
    for constant in ("NaN", "-Inf", "Infinity"):  # JSON has none: written bare, as Arrow reads them
        data = data.replace(f'"{constant}"'.encode(), constant.encode())
    for errors in ("raise", "skip", "collect"):
        fast, ref = _both(data, errors=errors)
        assert fast == ref


def test_what_the_fast_path_leaves_to_the_row_reader() -> None:
    ok = _lines(MANUAL)
    assert _fast(ok) and _fast(ok + b"\n\n") and _fast(ok.replace(b"\n", b"\r\n"))
    assert not _fast(b"[" + ok.strip() + b"]")  # a JSON array stays on the row path
    assert not _fast(b" " + ok)  # a line not starting with "{"
    assert not _fast(ok + b"  \n" + ok)  # a line of spaces
    assert not _fast(json.dumps(MANUAL, indent=1).encode())  # one record over several lines
    assert not _fast(_lines(MANUAL, {**GSR, "id": "g"}))  # "actor" and "source" in one file
    assert not _fast(_lines({**MANUAL, "coded_date": "2024-01-01"}, {**GSR, "coded_date": None}))
    assert not _fast(b"\xef\xbb\xbf" + ok)  # a byte-order mark


def test_progress_and_text_streams() -> None:
    data = _lines(*({**MANUAL, "id": str(i)} for i in range(3)))
    seen: list[int] = []
    ref: list[int] = []
    import_plover(io.BytesIO(data), progress=seen.append)
    rows_only(io.BytesIO(data), progress=ref.append)
    assert seen == ref
    text = io.StringIO(data.decode())
    assert list(import_plover(text)) == list(rows_only(io.BytesIO(data)))


_ENTITY = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from(["RUS", "PRK", "GOV", "IGO", "XYZ", "", " usa ", 5, None]),
        "entity_text": st.sampled_from(["Putin", " United Nations ", "", "Ümit\u3000", None, 3]),
        "actorText": st.sampled_from(["Libya", "China"]),
        "name": st.sampled_from(["European Union", "x"]),
    },
)
_RECORD = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["1", "2", " 3 ", "", "4\u00a0", 7]),
        "date": st.sampled_from(["2024-06-19", "20240620", "2024-02-30", " 2024-06-21", ""]),
        "actor": st.one_of(st.lists(_ENTITY, max_size=3), _ENTITY),
        "event": st.sampled_from(["AGREE", "protest", "GREET", "", "AID,ASSAULT", " coerce "]),
    },
    optional={
        "recipient": st.lists(_ENTITY, max_size=3),
        "enddate": st.sampled_from(["2024-06-25", "2024-06-19", "2024-06-01", "", None]),
        "event_text": st.one_of(
            st.sampled_from(["signed", " met ", "", "Ça va", None]),
            st.lists(st.sampled_from(["a", " b", "", "ü "]), max_size=3),
        ),
        "context": st.one_of(
            st.sampled_from(["military", "a, b,,c", "", None]),
            st.lists(st.sampled_from(["military", " economic", ""]), max_size=3),
        ),
        "mode": st.sampled_from([["formal"], "x,y", "", []]),
        "text": st.sampled_from(["A story.", "  padded\t", "\u2003wide\u2003", "", None]),
        "size": st.fixed_dictionaries(
            {}, optional={"dead": st.sampled_from([0, 3, -1, None, ""]), "arrested": st.just(2)}
        ),
        "event_loc": st.fixed_dictionaries(
            {},
            optional={
                "resolved_place": st.sampled_from(["Pyongyang", "", None]),
                "city": st.sampled_from(["Kyiv", ""]),
                "country": st.sampled_from(["Ukraine", None]),
            },
        ),
        "cite_info": st.fixed_dictionaries(
            {},
            optional={
                "publication": st.sampled_from(["KCNA", " ", "", None]),
                "title": st.sampled_from(["T", "", None]),
                "url": st.sampled_from(["https://x.org/1", "ftp://x", "", None]),
                "corpus": st.sampled_from(["corp", ""]),
                "codebook": st.sampled_from(["plover-2", ""]),
            },
        ),
        "publication": st.sampled_from(["Reuters", ""]),
        "quad_code": st.sampled_from([1, 4, "2"]),
        "event_scale": st.sampled_from([8.0, 2.5, 8, 1e20, -0.0]),
        "coder": st.sampled_from(["test", "", True]),
        "link": st.sampled_from(["a-1", {"x": 1}]),
        "comment": st.sampled_from(["c", None]),
    },
)


@st.composite
def _files(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["record"] * 6 + ["blank", "bad json", "not object"]))
        if kind == "blank":
            lines.append("")
        elif kind == "bad json":
            lines.append('{"id": ')
        elif kind == "not object":
            lines.append("[1]")
        else:
            lines.append(json.dumps(draw(_RECORD), ensure_ascii=draw(st.booleans())))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return (end.join(lines) + end).encode()


@settings(max_examples=60, deadline=None)
@given(data=_files(), errors=st.sampled_from(["raise", "skip", "collect"]))
def test_generated_files_read_as_the_row_reader_reads_them(data: bytes, errors: str) -> None:
    fast, ref = _both(data, errors=errors)
    assert fast == ref


@settings(max_examples=40, deadline=None)
@given(records=st.lists(_RECORD, min_size=1, max_size=6))
def test_generated_good_files_mostly_take_the_fast_path(records: list[dict[str, Any]]) -> None:
    """Files of records only: equal to the row reader, whichever path read them."""
    recs = [{**r, "id": f"r{i}"} for i, r in enumerate(records)]
    data = _lines(*recs)
    fast, ref = _both(data, errors="collect")
    assert fast == ref


# Records whose every field keeps one JSON type across a file (as real files do), so that
# Arrow reads them and the column-wise mapping itself is compared with the row reader.
_TYPED_ENTITY = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from(["RUS", "PRK", "GOV", "IGO", "XYZ", "", " usa ", "rom", None]),
        "entity_text": st.sampled_from(["Putin", " United Nations ", "", "Ümit\u3000", None]),
        "actorText": st.sampled_from(["Libya", "China", "\u00a0"]),
        "name": st.sampled_from(["European Union", "x"]),
    },
)
_TYPED = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["1", " 2 ", "3\u00a0", "4\x1c", "ü"]),
        "date": st.sampled_from(["2024-06-19", "20240620", " 2024-06-21", "2024-02-30"]),
        "actor": st.lists(_TYPED_ENTITY, min_size=1, max_size=3),
        "event": st.sampled_from(["AGREE", "protest", "AID,ASSAULT", " coerce ", "aıd", "GREET"]),
    },
    optional={
        "recipient": st.lists(_TYPED_ENTITY, max_size=3),
        "enddate": st.sampled_from(["2024-06-25", "2024-06-19", "", None]),
        "event_text": st.lists(st.sampled_from(["a", " b", "", "ü ", "x\x1fy"]), max_size=3),
        "context": st.sampled_from(["military", "a, b,,c", "", " b ,a", None]),
        "mode": st.lists(st.sampled_from(["formal", " x ", ""]), max_size=2),
        "text": st.sampled_from(["A story.", "  padded\t", "\u2003wide\u2003", "", "\x85x"]),
        "size": st.fixed_dictionaries(
            {}, optional={"dead": st.sampled_from([0, 3, None]), "arrested": st.just(2)}
        ),
        "event_loc": st.fixed_dictionaries(
            {},
            optional={
                "resolved_place": st.sampled_from(["Pyongyang", "", None]),
                "extracted_place": st.sampled_from([" Donbas", ""]),
                "city": st.sampled_from(["Kyiv", ""]),
                "country": st.sampled_from(["Ukraine", None]),
            },
        ),
        "cite_info": st.fixed_dictionaries(
            {},
            optional={
                "publication": st.sampled_from(["KCNA", " ", "", " TASS ", None]),
                "title": st.sampled_from(["T", "", None]),
                "url": st.sampled_from(["https://x.org/1", "ftp://x", "", None]),
                "corpus": st.sampled_from(["corp", ""]),
                "codebook": st.sampled_from(["plover-2", ""]),
            },
        ),
        "url": st.sampled_from(["http://y.org", "y"]),
        "publication": st.sampled_from(["Reuters", ""]),
        "quad_code": st.sampled_from([1, 4, -0]),
        "event_scale": st.sampled_from([8.0, 2.5, 8, 1e20, -0.0, 1e-7]),
        "coder": st.sampled_from([True, False]),
        "link": st.sampled_from(["a-1", "", "link-2"]),
        "comment": st.sampled_from(["c", None, "x\u2028"]),
    },
)


@settings(max_examples=80, deadline=None)
@given(
    records=st.lists(_TYPED, min_size=1, max_size=6),
    blank=st.booleans(),
    end=st.sampled_from(["\n", "\r\n"]),
    errors=st.sampled_from(["raise", "skip", "collect"]),
)
def test_typed_files_read_as_the_row_reader_reads_them(
    records: list[dict[str, Any]], blank: bool, end: str, errors: str
) -> None:
    recs = [{**r, "id": f"{r['id']}{i}"} for i, r in enumerate(records)]
    data = _lines(*recs, end=end)
    if blank:
        data = end.encode() + data + end.encode()
    fast, ref = _both(data, errors=errors)
    assert fast == ref
