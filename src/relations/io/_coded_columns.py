"""Column-wise pieces shared by the coded-event-data fast paths (GDELT, ICEWS).

A fast path reads a block of whole lines with the Arrow CSV reader (:func:`read_block`:
tab-separated, quoting off, every cell as text), maps it column-wise, and raises
:class:`NotVouched` (or returns None) for anything it cannot vouch for, so that the caller
reads that block row by row and every error and line number is the row reader's. These are
the pieces that do not depend on the dataset: the byte-level check of a block
(:func:`clean`), values converted once per distinct value (:func:`by_value`), measures parsed
and checked as whole columns (:func:`measure_column`), and actor lists made from each side's
actor (:func:`actor_lists`).
"""

from __future__ import annotations

import io
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, NamedTuple, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from relations.io._actors import UNSPECIFIED
from relations.io._chunks import Block
from relations.io._importing import fmt_number
from relations.io._text_bytes import DIGITS, byte_table, cell_lengths, only_bytes
from relations.io.cameo import cameo, kind_for_cameo
from relations.when import When

__all__ = [
    "RecordColumns",
    "SOURCE",
    "SOURCES",
    "NotVouched",
    "actor_lists",
    "by_value",
    "cameo_facts",
    "clean",
    "day_columns",
    "in_order",
    "join_present",
    "lines_fit",
    "measure_column",
    "null_if_empty",
    "read_block",
    "wide_at_edge",
    "source_lists",
]

# What the measure reader accepts (relations.io._importing.measure), as RE2 patterns.
_INTEGER = r"^[+-]?[0-9]{1,18}$"
_REAL = r"^[+-]?([0-9]{1,30}(\.[0-9]{0,30})?|\.[0-9]{1,30})([eE][+-]?[0-9]{1,4})?$"
# The bytes of plain counts and plain reals (see _plain), which need neither pattern.
_DECIMALS = byte_table(b"0123456789.-")
# Multi-byte characters Python's str.strip() removes (a cell starting or ending with one is
# read row by row, where the strip happens): U+0085 and U+00A0 (two bytes), U+1680,
# U+2000-U+200A, U+2028, U+2029, U+202F, U+205F and U+3000 (three).
# Every byte but the control bytes (tab and newline excepted): what is left after deleting
# these is a control byte, which JSON escapes, Python's strip may remove, and Arrow reads as a
# line end ("\r").
_NOT_CONTROL = bytes(b for b in range(256) if b in (9, 10) or 32 <= b < 127 or b > 127)

#: The type of the record's ``sources`` column (one struct per source).
SOURCE = pa.struct([("publisher", pa.string()), ("url", pa.string()), ("published", pa.string())])
SOURCES = pa.list_(SOURCE)


class NotVouched(Exception):
    """The block needs the row-by-row reader."""


def clean(data: bytes, first: int, max_line_bytes: int) -> bool:
    """True when no cell needs escaping or Python's strip (but for spaces, which the caller
    checks) and no line is too long.

    >>> clean(b"a\\tb\\n", 1, 100), clean(b"a\\r\\n", 1, 100), clean(b"a\\t\\xc2\\xa0\\n", 1, 100)
    (True, False, False)
    """
    if not data or (first == 1 and data.startswith(b"\xef\xbb\xbf")):
        return False
    if data.translate(None, _NOT_CONTROL):
        return False  # a control character (JSON escapes it; Arrow reads "\r" as a line end)
    if any(lead in data for lead in (b"\xc2", b"\xe1", b"\xe2", b"\xe3")) and wide_at_edge(data):
        return False
    return lines_fit(data, max_line_bytes)


def lines_fit(data: bytes, max_line_bytes: int) -> bool:
    """True when no line of ``data`` is longer than the line reader allows (``max_line_bytes``
    and room for a ``"\\r"``).

    >>> lines_fit(b"abc\\nde\\n", 3), lines_fit(b"abcde\\n", 3)
    (True, False)
    """
    if len(data) > max_line_bytes + 1:
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        starts = np.concatenate(([0], ends + 1))
        stops = np.concatenate((ends, [len(data)]))
        if int((stops - starts).max()) > max_line_bytes + 1:
            return False
    return True


def _two(b0: Any, b1: Any) -> Any:
    return (b0 == 0xC2) & ((b1 == 0x85) | (b1 == 0xA0))


def _three(b0: Any, b1: Any, b2: Any) -> Any:
    space = (b0 == 0xE2) & (b1 == 0x80) & (((b2 >= 0x80) & (b2 <= 0x8A)) | np.isin(b2, _E2_80))
    return (
        space
        | ((b0 == 0xE1) & (b1 == 0x9A) & (b2 == 0x80))
        | ((b0 == 0xE2) & (b1 == 0x81) & (b2 == 0x9F))
        | ((b0 == 0xE3) & (b1 == 0x80) & (b2 == 0x80))
    )


_E2_80 = np.array([0xA8, 0xA9, 0xAF], dtype=np.uint8)


def wide_at_edge(data: bytes) -> bool:
    """True when a cell (between tabs and newlines) starts or ends with one of the
    multi-byte characters ``str.strip()`` removes; the bytes at each cell's edges are
    compared, never the whole text (a regular expression over megabytes is slow).

    >>> wide_at_edge(b"a\\t\\xc2\\xa0b\\n"), wide_at_edge(b"a\\xe3\\x80\\x80\\tb"), wide_at_edge(b"a\\xc2\\xa0b")
    (True, True, False)
    """
    arr = np.concatenate(
        (np.zeros(3, np.uint8), np.frombuffer(data, np.uint8), np.zeros(3, np.uint8))
    )
    cuts = np.flatnonzero((arr == 9) | (arr == 10))
    starts = np.concatenate(([3], cuts + 1))  # the first byte of each cell
    ends = np.concatenate((cuts, [len(arr) - 3]))  # one past its last byte
    return bool(
        (
            _two(arr[starts], arr[starts + 1])
            | _three(arr[starts], arr[starts + 1], arr[starts + 2])
        ).any()
        or (
            _two(arr[ends - 2], arr[ends - 1]) | _three(arr[ends - 3], arr[ends - 2], arr[ends - 1])
        ).any()
    )


_wide_at_edge = wide_at_edge  # (the name the tests read)


def read_block(
    data: bytes,
    columns: int,
    used: Sequence[int],
    nulls: Sequence[str] = (),
    parse: pacsv.ParseOptions | None = None,
    threads: bool = True,
) -> list[pa.Array]:
    """The cells of columns ``used`` (indexes) of tab-separated ``data`` with ``columns``
    cells a row, as text arrays, quoting off (a cell is what ``line.split("\\t")`` gives),
    a cell that is one of ``nulls`` as null; a row with another number of cells raises
    ``pyarrow.ArrowInvalid``. ``parse`` replaces the tab-separated, unquoted parse options
    (ACLED's quoted CSV); ``threads=False`` reads on the caller's thread only (for blocks
    already read by several worker threads).

    >>> [a.to_pylist() for a in read_block(b"1\\tx\\ty\\n2\\t\\tNA\\n", 3, [2, 0], ["NA"])]
    [['y', None], ['1', '2']]
    """
    names = [f"c{i}" for i in range(columns)]
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=threads),
        parse_options=parse
        or pacsv.ParseOptions(
            delimiter="\t", quote_char=False, double_quote=False, escape_char=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={names[i]: pa.string() for i in used},
            include_columns=[names[i] for i in used],
            strings_can_be_null=bool(nulls),
            null_values=list(nulls),
        ),
    )
    return [table.column(names[i]).combine_chunks() for i in used]


def null_if_empty(a: pa.Array) -> pa.Array:
    """Empty text as null."""
    return pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)


_MISSING = object()


def by_value(
    a: pa.Array, convert: Callable[[Any], Any], cache: dict[Any, Any]
) -> tuple[list[Any], np.ndarray[Any, Any]]:
    """``convert`` of each distinct value (cached across blocks; a null is None) and each
    row's value index."""
    enc = pc.dictionary_encode(a, null_encoding="encode")
    values = []
    for v in enc.dictionary.to_pylist():
        got = cache.get(v, _MISSING)
        if got is _MISSING:
            if len(cache) >= 100_000:  # bounded, as the row readers' caches are
                cache.clear()
            got = cache[v] = convert(v)
        values.append(got)
    return values, enc.indices.to_numpy(zero_copy_only=False)


def _plain(a: pa.Array, integer: bool) -> bool:
    """True when every cell is empty or plain: digits only, at most 18 of them, for a count;
    digits, ``.`` and ``-`` only, at most 30 bytes, for a real. Such a cell is a number the row
    reader accepts exactly when Arrow's cast reads it (no exponent, ``inf``, ``nan``, hex, or
    digit run beyond the reader's limits can be there), and the values agree."""
    if not len(a):
        return True
    longest = int(cell_lengths(a).max())
    if integer:
        return longest <= 18 and only_bytes(a, DIGITS)
    return longest <= 30 and only_bytes(a, _DECIMALS)


def measure_column(a: pa.Array, integer: bool) -> pa.Array:
    """A measure column: null for a null, empty or ``NA`` cell; anything the row reader
    refuses (see :func:`relations.io._importing.measure`) raises NotVouched, or
    ``pyarrow.ArrowInvalid`` from the cast of a plain column (``1-2``). A plain column (see
    :func:`_plain`) is cast at once; any other has each distinct text checked and converted
    once.

    >>> measure_column(pa.array(["1.5", "NA", "", None, "1.5"]), False).to_pylist()
    [1.5, None, None, None, 1.5]
    """
    if _plain(a, integer):  # the usual case: no regex, no range check (see _plain)
        return pc.cast(
            pc.if_else(pc.not_equal(a, ""), a, pa.scalar(None, pa.string())),
            pa.int64() if integer else pa.float64(),
        )
    enc = pc.dictionary_encode(a)
    texts = enc.dictionary
    present = pc.and_(pc.not_equal(texts, ""), pc.not_equal(texts, "NA"))
    if not pc.all(
        pc.match_substring_regex(pc.filter(texts, present), _INTEGER if integer else _REAL)
    ).as_py():
        raise NotVouched
    numbers = pc.cast(
        pc.if_else(present, texts, pa.scalar(None, pa.string())),
        pa.int64() if integer else pa.float64(),
    )
    if integer:
        if pc.any(pc.less(numbers, 0)).as_py():
            raise NotVouched
    elif not pc.all(pc.is_finite(pc.drop_null(numbers))).as_py():
        raise NotVouched
    return numbers.take(enc.indices)


def actor_lists(
    sides: Sequence[np.ndarray[Any, Any]], names: Sequence[str]
) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """Each row's actors from its two sides (indexes into ``names``; -1 for an absent side):
    both sides once each in order, or ``[UNSPECIFIED]`` when neither is there. Returns the
    actor lists, whether the row is directed (two actors), and its source and target (null
    unless directed); each distinct pair is made once.

    >>> a, d, s, t = actor_lists([np.array([0, 1, -1]), np.array([1, 1, -1])], ["RUS", "PRK"])
    >>> a.to_pylist(), d.to_pylist(), s.to_pylist(), t.to_pylist()
    ([['RUS', 'PRK'], ['PRK'], ['UNSPECIFIED']], [True, False, False], ['RUS', None, None], ['PRK', None, None])
    """
    width = len(names) + 1
    pair = (sides[0] + 1) * width + (sides[1] + 1)
    pairs, pi = np.unique(pair, return_inverse=True)
    lists: list[list[str]] = []
    for p in pairs.tolist():
        got = [names[s] for s in (p // width - 1, p % width - 1) if s >= 0]
        lists.append(list(dict.fromkeys(got)) or [UNSPECIFIED])
    index = pa.array(pi.reshape(-1))
    actors = pa.array(lists, pa.list_(pa.string())).take(index)
    directed = pa.array(np.array([len(a) == 2 for a in lists], dtype=bool)[pi.reshape(-1)])
    source = pa.array([a[0] if len(a) == 2 else None for a in lists], pa.string()).take(index)
    target = pa.array([a[1] if len(a) == 2 else None for a in lists], pa.string()).take(index)
    return actors, directed, source, target


class RecordColumns(NamedTuple):
    """One block's events as columns: ``record`` (the canonical record's fields, what
    ``from_table`` reads: id, when, kind, actors, title, directed, location, measures,
    sources, extra) and the layout's derived columns (day numbers ``lo`` and ``hi``,
    ``precision``, and ``source`` and ``target`` of directed events)."""

    record: pa.Table
    lo: pa.Array
    hi: pa.Array
    precision: pa.Array
    source: pa.Array
    target: pa.Array

    def record_table(self) -> pa.Table:
        """The fields of the canonical record."""
        return self.record


def day_columns(
    whens: Sequence[When], index: np.ndarray[Any, Any]
) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """The text, first and last day numbers and precision of each row's date (``whens`` are
    the distinct dates, ``index`` each row's): ``(when, lo, hi, precision)``."""
    take = pa.array(index)
    when = pa.array([str(w) for w in whens], pa.string()).take(take)
    lo = pa.array(np.array([w.lo for w in whens], dtype=np.int64)[index])
    hi = pa.array(np.array([w.hi for w in whens], dtype=np.int64)[index])
    precision = pa.array([w.precision.name.lower() for w in whens], pa.string()).take(take)
    return when, lo, hi, precision


def cameo_facts(text: str, field: str) -> tuple[str, str, str, str, str, str]:
    """A CAMEO code's kind, name, code, root, quad class and Goldstein score (as the row
    readers write them); an empty code raises NotVouched, an unknown one a RelationsError.

    >>> cameo_facts("042", "CAMEO Code")
    ('diplomacy.visit', 'Make a visit', '042', '04', '1', '1.9')
    """
    if not text:
        raise NotVouched
    code = cameo(text, field=field)
    return (
        kind_for_cameo(code.code),
        code.name,
        code.code,
        code.root,
        str(code.quad_class),
        fmt_number(code.goldstein),
    )


def source_lists(
    publisher: pa.Array, url: pa.Array, published: pa.Array, has: pa.Array
) -> pa.Array:
    """A ``sources`` column: one source for each row where ``has`` is true, else null."""
    one = pa.StructArray.from_arrays([publisher, url, published], fields=list(SOURCE))
    present = has.to_numpy(zero_copy_only=False)
    offsets = pa.array(np.concatenate(([0], np.cumsum(present))).astype(np.int32))
    kept = one if present.all() else pc.filter(one, has)  # (a source on every row: no copy)
    return pa.ListArray.from_arrays(offsets, kept, type=SOURCES, mask=pc.invert(has))


def join_present(parts: Sequence[pa.Array], sep: str) -> pa.Array:
    """The non-null values of each row joined by ``sep``; null where every part is null.

    (``pc.binary_join_element_wise(..., null_handling="skip")`` would do it, but pyarrow
    26 drops the rows where every part is null, so the result comes out shorter.)

    >>> join_present([pa.array([None, "a", None]), pa.array([None, "b", "c"])], ", ").to_pylist()
    [None, 'a, b', 'c']
    """
    acc = parts[0]
    for part in parts[1:]:
        acc = pc.coalesce(pc.binary_join_element_wise(acc, part, sep), acc, part)
    return acc


_T = TypeVar("_T")


def in_order(
    items: Iterable[Block], convert: Callable[[Block], _T], workers: int = 2
) -> Iterator[tuple[Block, _T]]:
    """Each block with ``convert(block)``, in order, ``workers`` blocks converted at once
    (Arrow's kernels and CSV reader release the GIL); at most ``workers + 1`` converted
    blocks are held besides the one given out.

    >>> [(b.first, r) for b, r in in_order([Block(b"a", 1), Block(b"b", 2)], lambda b: b.data)]
    [(1, b'a'), (2, b'b')]
    """
    it = iter(items)
    first = next(it, None)
    if first is None:
        return
    second = next(it, None)
    if second is None:  # one block: no thread to start
        yield first, convert(first)
        return
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        pending: deque[tuple[Block, Future[_T]]] = deque()
        for block in itertools.chain((first, second), it):
            pending.append((block, pool.submit(convert, block)))
            if len(pending) > workers:
                done, result = pending.popleft()
                yield done, result.result()
        while pending:
            done, result = pending.popleft()
            yield done, result.result()
    finally:
        # never wait here: a generator given up is finalised by whichever thread collects it,
        # possibly a worker of this pool
        pool.shutdown(wait=False, cancel_futures=True)
