"""Timeline order ``(lo, hi, id)`` of a table's rows, and its repeated ids, without a string sort.

Sorting a million id strings (Arrow's ``sort_indices``) was most of a columnar load's own
time (0.8 s of CPU at 1M rows). :func:`timeline_order` sorts instead:

1. by an unsigned 64-bit key per id: its first 8 bytes after the prefix every id shares (an
   id is UTF-8, whose byte order is Python's ``str`` order), big-endian, zero-padded; rows
   whose keys tie are then put in order by comparing their full ids (in Python; with random
   ids a hundred rows in a million), which is also where a repeated id shows up (equal ids
   have equal keys, so they end up side by side);
2. stably by the rank of each row's ``(lo, hi)`` (a few thousand distinct dates: a radix sort
   of 8- or 16-bit integers).

If too many keys tie (ids that differ only after their first 8 distinguishing bytes), it
sorts the id strings instead. Rows already in timeline order (what the library writes) are
recognised in one pass over neighbours (:func:`in_timeline_order`) and not sorted; the id
order (which also finds a repeated id on two different dates) can be computed beforehand, in
a worker thread (``by_id``). Either way the result is exactly the order of
``sorted(range(n), key=lambda i: (lo[i], hi[i], ids[i]))``.

>>> import numpy as np, pyarrow as pa
>>> ids = pa.chunked_array([["b", "a", "c"]])  # rows 0 and 1 on date 0, row 2 on date 1
>>> timeline_order(ids, np.array([5, 1]), np.array([9, 1]), np.array([0, 0, 1])).tolist()
[2, 1, 0]
>>> timeline_order(pa.chunked_array([["x", "x"]]), np.array([1, 2]), np.array([1, 2]),
...                np.array([0, 1])) is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations._arrow import ints, numpy_of

__all__ = ["id_order", "in_timeline_order", "text_chunks", "timeline_order"]

#: Above this share of rows whose 8-byte keys tie, the ids are sorted as strings instead.
_MAX_TIED = 1 / 16


def text_chunks(
    col: pa.ChunkedArray,
) -> Iterator[tuple[pa.Array, np.ndarray[Any, Any], np.ndarray[Any, Any]]]:
    """Each non-empty chunk of a ``string`` column with its offsets (``int32``, one more than
    its texts) and bytes (``uint8``, at least one), as numpy views of its buffers."""
    for arr in col.chunks:
        if len(arr):
            offsets = np.frombuffer(arr.buffers()[1], np.int32, len(arr) + 1, arr.offset * 4)
            data = arr.buffers()[2]
            buf = np.frombuffer(data, np.uint8) if data is not None else np.zeros(1, np.uint8)
            yield arr, offsets, buf


def _prefix_keys(ids: pa.ChunkedArray, skip: int) -> np.ndarray[Any, Any]:
    """Bytes ``skip`` to ``skip + 8`` of each id as a big-endian ``uint64`` (0 past its end)."""
    out = []
    for arr, offsets, buf in text_chunks(ids):
        n = len(arr)
        width = int(offsets[1] - offsets[0])
        if int(offsets[-1] - offsets[0]) == n * width and (np.diff(offsets) == width).all():
            # Ids of one length (generated ids mostly are): their bytes are a matrix.
            rows = buf[int(offsets[0]) : int(offsets[-1])].reshape(n, width)[:, skip : skip + 8]
            padded = np.zeros((n, 8), np.uint8)
            padded[:, : rows.shape[1]] = rows
            out.append(padded.view(">u8").ravel().astype(np.uint64))
            continue
        last = len(buf) - 1
        start, end = offsets[:-1] + skip, offsets[1:]
        key = np.zeros(n, np.uint64)
        for k in range(8):
            p = start + k
            b = buf[np.minimum(p, last)].astype(np.uint64)
            b[p >= end] = 0
            key |= b << np.uint64(56 - 8 * k)
        out.append(key)
    return np.concatenate(out) if out else np.zeros(0, np.uint64)


def _shared_prefix(ids: pa.ChunkedArray) -> int:
    """The length in bytes of the prefix every id shares (that of the least and greatest)."""
    mm = pc.min_max(ids).as_py()
    lo, hi = (mm["min"] or "").encode("utf-8"), (mm["max"] or "").encode("utf-8")
    n = 0
    for a, b in zip(lo, hi, strict=False):
        if a != b:
            break
        n += 1
    return n


def id_order(ids: pa.ChunkedArray) -> np.ndarray[Any, Any] | None:
    """The rows in the order of their ids (``int64``), or None if an id is repeated."""
    n = len(ids)
    if n == 0:
        return np.zeros(0, np.int64)
    keys = _prefix_keys(ids, _shared_prefix(ids))
    order = np.argsort(keys)  # (ties are put in order by their full ids below)
    sk = keys[order]
    tied = np.flatnonzero(sk[1:] == sk[:-1])
    if not len(tied):
        return order
    # Runs of equal keys: positions [a, b] of ``order``; each is put in order by its ids.
    starts = tied[np.r_[True, tied[1:] != tied[:-1] + 1]]
    ends = tied[np.r_[tied[1:] != tied[:-1] + 1, True]] + 1
    span = int((ends - starts + 1).sum())
    if span > n * _MAX_TIED:
        by_id: np.ndarray[Any, Any] = numpy_of(pc.sort_indices(ids))  # (to_numpy: pandas)
        sorted_ids = ids.take(ints(by_id))
        if pc.any(pc.equal(sorted_ids[1:], sorted_ids[:-1])).as_py():
            return None
        return by_id.astype(np.int64, copy=False)
    at = np.concatenate([np.arange(a, b + 1) for a, b in zip(starts, ends, strict=True)])
    rows = order[at]
    if len(rows) <= 4096:  # (a take of a chunked column may first join its chunks)
        texts = [ids[r].as_py() for r in rows.tolist()]
    else:
        texts = ids.take(ints(rows)).to_pylist()
    i = 0
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        k = b - a + 1
        run = sorted(zip(texts[i : i + k], order[a : b + 1].tolist(), strict=True))
        i += k
        if any(run[j][0] == run[j + 1][0] for j in range(k - 1)):
            return None
        order[a : b + 1] = [r for _, r in run]
    return order


def in_timeline_order(
    ids: pa.ChunkedArray,
    lo: np.ndarray[Any, Any],
    hi: np.ndarray[Any, Any],
    codes: np.ndarray[Any, Any],
) -> bool:
    """True if the rows are already in timeline order, ids strictly increasing within each
    ``(lo, hi)`` (what the library writes): checked in one pass over neighbours, no sort.
    (A repeated id on two different dates is not seen here: see :func:`id_order`.)"""
    n = len(codes)
    if n < 2:
        return True
    codes = np.asarray(codes)
    if n > 4096 and (np.diff(lo[codes[:1024]]) < 0).any():
        return False  # (most files that are not in order show it in their first rows)
    row_lo, row_hi = lo[codes], hi[codes]
    step_lo, step_hi = np.diff(row_lo), np.diff(row_hi)
    if (step_lo < 0).any() or ((step_lo == 0) & (step_hi < 0)).any():
        return False
    tied = (step_lo == 0) & (step_hi == 0)  # neighbours on one (lo, hi): ids must increase
    if not tied.any():
        return True
    increasing = numpy_of(pc.less(ids[:-1], ids[1:]))
    return bool((increasing | ~tied).all())


def timeline_order(
    ids: pa.ChunkedArray,
    lo: np.ndarray[Any, Any],
    hi: np.ndarray[Any, Any],
    codes: np.ndarray[Any, Any],
    by_id: Callable[[], np.ndarray[Any, Any] | None] | None = None,
) -> np.ndarray[Any, Any] | None:
    """The rows in timeline order ``(lo, hi, id)``, or None if an id is repeated.

    ``lo``/``hi`` are the day bounds of each distinct date, ``codes`` each row's date (an
    index into them). ``by_id`` gives :func:`id_order` of ``ids`` when it is already being
    computed (in a worker thread, while the caller read the dates).
    """
    ordered = in_timeline_order(ids, lo, hi, codes)
    by_ids = id_order(ids) if by_id is None else by_id()
    if by_ids is None:
        return None
    if ordered:
        return np.arange(len(codes), dtype=np.int64)
    # Dense rank of each distinct (lo, hi): dates with equal bounds share it.
    ranked = np.lexsort((hi, lo))
    new = np.r_[True, (np.diff(lo[ranked]) != 0) | (np.diff(hi[ranked]) != 0)]
    rank = np.empty(len(lo), dtype=np.int64)
    rank[ranked] = np.cumsum(new) - 1
    m = int(rank.max(initial=0))
    small = np.uint8 if m < 2**8 else np.uint16 if m < 2**16 else np.int64
    row_rank = rank.astype(small)[np.asarray(codes)[by_ids]]
    return by_ids[np.argsort(row_rank, kind="stable")]
