"""Bounded memory on hostile input (issue #17): ``errors="skip"`` must not keep anything of a
skipped record alive (the readers pause the cyclic collector, so a reference cycle per bad
record used to grow memory linearly), and a collected issue keeps its message, not the frames
of the failed conversion. Measured in allocated bytes (tracemalloc), never in time."""

from __future__ import annotations

import gc
import io
import tracemalloc

import pytest

from relations.io import read_jsonl, validate_jsonl

# A bad date: its error is raised while another InvalidDate is held in a local variable,
# the reference cycle (error -> traceback -> frame -> error) behind the leak.
BAD_DATE = b'{"when": "2024-02-30", "kind": "trade", "actors": ["RUS"], "title": "x"}\n'
BAD_JSON = b"{not json\n"
BAD_FIELD = b'{"when": "2024", "kind": "trade", "actors": ["RUS"], "title": 5}\n'


def retained_per_record(read: object, line: bytes, small: int = 100, big: int = 1000) -> float:
    """Peak bytes allocated while reading, per extra bad record (big minus small runs)."""

    def peak(n: int) -> int:
        data = line * n
        gc.collect()
        tracemalloc.start()
        try:
            read(io.BytesIO(data))  # type: ignore[operator]
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(10)  # warm caches (kinds, dates, actors)
    return (peak(big) - peak(small)) / (big - small)


@pytest.mark.parametrize("line", [BAD_DATE, BAD_JSON, BAD_FIELD], ids=["date", "json", "field"])
def test_skip_holds_constant_memory(line: bytes) -> None:
    per = retained_per_record(lambda f: read_jsonl(f, errors="skip", report=True), line)
    # The input itself is held by BytesIO (counted once by both runs' difference): allow it.
    assert per < 2 * len(line) + 64, f"{per:.0f} bytes kept per skipped record"


def test_collected_issues_keep_no_frames() -> None:
    _tl, rep = read_jsonl(io.BytesIO(BAD_DATE * 3), errors="collect", report=True)
    assert rep.skipped == 3
    for issue in rep.issues:
        e: BaseException | None = issue.error
        while e is not None:
            assert e.__traceback__ is None
            e = e.__context__


def test_validate_keeps_messages_not_frames() -> None:
    # relations validate collects every issue: each must cost its message, not a traceback.
    per = retained_per_record(validate_jsonl, BAD_DATE)
    assert per < 1000, f"{per:.0f} bytes kept per invalid line"  # about 380 (7 KB before)
