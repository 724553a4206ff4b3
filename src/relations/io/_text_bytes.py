"""Checks on the bytes of an Arrow string column, without a Python loop or a regex per cell.

The columnar importers use them to vouch for a whole column at once (every cell plain
digits, no byte that JSON escapes, ...): a column that passes takes a cheap path; one that
does not takes the exact (slower) one, so a check may be conservative but never lenient.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

__all__ = [
    "DIGITS",
    "byte_table",
    "cell_lengths",
    "cells_with_any",
    "gather",
    "has_any_byte",
    "only_bytes",
    "spans",
]

_NO_BYTES = np.zeros(0, dtype=np.uint8)


def _parts(a: pa.Array) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The offsets (one more than cells) and the bytes the cells span, of a ``string`` array."""
    if a.type != pa.string():
        raise TypeError(f"a string array is needed, not {a.type}")
    buffers = a.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32, count=len(a) + 1, offset=a.offset * 4)
    data = buffers[2]
    if data is None or not len(a):
        return offsets, _NO_BYTES
    return offsets, np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]


def byte_table(allowed: bytes) -> np.ndarray[Any, Any]:
    """A 256-entry table, True for the ``allowed`` bytes (for :func:`only_bytes`).

    >>> byte_table(b"ab")[[97, 98, 99]].tolist()
    [True, True, False]
    """
    table = np.zeros(256, dtype=bool)
    table[list(allowed)] = True
    return table


#: The ASCII digits (what Python's ``isdigit`` also accepts, "²", is not among them).
DIGITS = byte_table(b"0123456789")


def only_bytes(a: pa.Array, table: np.ndarray[Any, Any]) -> bool:
    """True when every byte of every cell (null cells' bytes included) is allowed by ``table``.

    >>> only_bytes(pa.array(["12", "", "3"]), byte_table(b"0123456789"))
    True
    >>> only_bytes(pa.array(["12", "0x1F"]), byte_table(b"0123456789"))
    False
    """
    _, data = _parts(a)
    return bool(table[data].all()) if len(data) else True


def has_any_byte(a: pa.Array, chars: bytes) -> bool:
    """True when some cell (null cells' bytes included) holds one of the bytes ``chars``.

    >>> has_any_byte(pa.array(['a"b', "c"]), b'"\\\\'), has_any_byte(pa.array(["ab"]), b'"')
    (True, False)
    """
    _, data = _parts(a)
    if not len(data):
        return False
    raw = data.tobytes()
    return any(bytes([c]) in raw for c in chars)


def cells_with_any(a: pa.Array, table: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """For each cell, whether it holds a byte that ``table`` marks (False for a null cell whose
    span is empty).

    >>> cells_with_any(pa.array(["1.5", "8", "1e+20", ""]), byte_table(b".e")).tolist()
    [True, False, True, False]
    """
    starts, stops, data = spans(a)
    marked = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(table[data], out=marked[1:])
    return np.asarray(marked[stops] > marked[starts])


def cell_lengths(a: pa.Array) -> np.ndarray[Any, Any]:
    """The length in bytes of each cell (of a column without nulls).

    >>> cell_lengths(pa.array(["ab", "", "é"])).tolist()
    [2, 0, 2]
    """
    offsets, _ = _parts(a)
    return np.diff(offsets)


def spans(a: pa.Array) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """``(starts, stops, data)``: where each cell's bytes are in ``data`` (int64 positions).

    >>> starts, stops, data = spans(pa.array(["ab", "cde"]).slice(1))
    >>> starts.tolist(), stops.tolist(), data.tobytes()
    ([0], [3], b'cde')
    """
    offsets, data = _parts(a)
    at = offsets.astype(np.int64) - int(offsets[0])
    return at[:-1], at[1:], data


def gather(
    starts: np.ndarray[Any, Any],
    stops: np.ndarray[Any, Any],
    data: np.ndarray[Any, Any],
    table: np.ndarray[Any, Any] | None = None,
) -> pa.Array:
    """A string array of the bytes ``data[start:stop]`` of each pair, each byte mapped through
    ``table`` (256 bytes) when given. The caller makes sure the pieces are whole UTF-8.

    >>> upper = np.arange(256, dtype=np.uint8)
    >>> upper[97:123] -= 32
    >>> gather(np.array([0, 3]), np.array([2, 5]), np.frombuffer(b"abcde", np.uint8), upper)
    <pyarrow.lib.StringArray object at ...>
    [
      "AB",
      "DE"
    ]
    """
    lengths = stops - starts
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = int(offsets[-1])
    picks = np.arange(total, dtype=np.int64) + np.repeat(starts - offsets[:-1], lengths)
    out = data[picks] if table is None else table[data[picks]]
    kind, width = (pa.string(), np.int32) if total < 1 << 31 else (pa.large_string(), np.int64)
    made = pa.Array.from_buffers(
        kind,
        len(lengths),
        [None, pa.py_buffer(offsets.astype(width)), pa.py_buffer(out.astype(np.uint8))],
    )
    return made if kind == pa.string() else made.cast(pa.string())
