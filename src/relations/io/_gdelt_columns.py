"""GDELT rows to columns, a block at a time, without an Event per row (the fast path).

:func:`convert` reads a block of whole lines with the Arrow CSV reader (tab-separated, quoting
off, every cell as text) and maps it column-wise to the fields :func:`relations.io.gdelt.
row_to_event` gives each row: dates, CAMEO codes (kind, name, scores), actor codes and
titles once per distinct value, measures parsed and checked as whole columns. It returns None
for any block it cannot vouch for (a cell with surrounding white space or a control
character, a layout change, a bad date, code, actor, number or URL, a repeated id, a
too-long line, ...): the caller then reads that block row by row, so every error, warning
and line number is exactly the row-by-row reader's.

The result is a :class:`GdeltColumns`: plain Arrow arrays of the record's fields (``measures``,
``extra`` and ``sources`` as structs), from which :mod:`relations.io._layout_batch` makes the
Parquet layout and :mod:`relations.io.gdelt` a column-backed Timeline.
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from relations.actors import Actor, all_actors
from relations.errors import RelationsError
from relations.io._actors import UNSPECIFIED, NameIndex, ensure_registered
from relations.io._chunks import Block
from relations.io._gdelt_layout import KEPT, LAYOUTS, MEASURES
from relations.io._importing import day_from_digits, fmt_number, timestamp_from_digits
from relations.io._text_bytes import DIGITS, byte_table, cell_lengths, gather, only_bytes, spans
from relations.io.cameo import cameo, kind_for_cameo
from relations.when import When

__all__ = ["MEASURES", "GdeltColumns", "convert"]

_USED = (
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "IsRootEvent",
    "EventCode",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "DATEADDED",
    "SOURCEURL",
    *(m[0] for m in MEASURES),
)
# What the measure reader accepts (relations.io._importing.measure), as RE2 patterns.
_INTEGER = r"^[+-]?[0-9]{1,18}$"
_REAL = r"^[+-]?([0-9]{1,30}(\.[0-9]{0,30})?|\.[0-9]{1,30})([eE][+-]?[0-9]{1,4})?$"
# The bytes of plain counts and plain reals (see _plain), which need neither pattern.
_DECIMALS = byte_table(b"0123456789.-")
# Multi-byte characters Python's str.strip() removes (a cell starting or ending with one is
# read row by row, where the strip happens). A pattern that starts with one of four bytes,
# so the search skips along the text (one anchored at the cell edges would try every byte).
_WIDE_SPACE = re.compile(
    rb"\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80"
)
# Every byte but the control bytes (tab and newline excepted): what is left after deleting
# these is a control byte, which JSON escapes, Python's strip may remove, and Arrow reads as a
# line end ("\r").
_NOT_CONTROL = bytes(b for b in range(256) if b in (9, 10) or 32 <= b < 127 or b > 127)


class GdeltColumns:
    """One block's events as Arrow arrays (one row per event, in file order)."""

    __slots__ = (
        "actors",
        "code_facts",
        "code_index",
        "directed",
        "extra",
        "hi",
        "id",
        "kind",
        "lo",
        "location",
        "measures",
        "precision",
        "source",
        "sources",
        "target",
        "title",
        "when",
    )

    actors: Any
    code_facts: Any
    code_index: Any
    directed: Any
    extra: Any
    hi: Any
    id: Any
    kind: Any
    lo: Any
    location: Any
    measures: Any
    precision: Any
    source: Any
    sources: Any
    target: Any
    title: Any
    when: Any

    def __init__(self, **arrays: pa.Array) -> None:
        for k, v in arrays.items():
            setattr(self, k, v)

    def record_table(self) -> pa.Table:
        """The fields of the canonical record (what ``from_table`` reads)."""
        return pa.table(
            {
                "id": self.id,
                "when": self.when,
                "kind": self.kind,
                "actors": self.actors,
                "title": self.title,
                "directed": pc.if_else(self.directed, True, None),
                "location": self.location,
                "measures": self.measures,
                "sources": self.sources,
                "extra": self.extra,
            }
        )


class _Lookups:
    """What one import resolves once per distinct value, across blocks."""

    __slots__ = ("codes", "countries", "days", "index", "stamps")

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.days: dict[str, When] = {}
        self.stamps: dict[str, str] = {}
        self.codes: dict[str, tuple[str, str, str, str, str, str]] = {}
        self.countries: dict[str, str | None] = {}


def lookups(index: NameIndex | None = None) -> _Lookups:
    """A fresh cache for :func:`convert` (one per import)."""
    return _Lookups(index or current_index())


_INDEX: list[tuple[tuple[Actor, ...], NameIndex]] = []  # the last one built, and for what


def current_index() -> NameIndex:
    """A :class:`NameIndex` of the actor registry as it is now: the last one built while the
    registry has not changed since (building one takes milliseconds, which a small file's
    import notices).

    >>> current_index() is current_index()
    True
    """
    ensure_registered()
    actors = all_actors()
    last = _INDEX[-1] if _INDEX else None
    if last is not None and last[0] == actors:
        return last[1]
    index = NameIndex()
    _INDEX[:] = [(actors, index)]
    return index


class _NotVouched(Exception):
    """The block needs the row-by-row reader."""


def convert(
    block: Block, columns: int, cache: _Lookups, max_line_bytes: int
) -> GdeltColumns | None:
    """The events of ``block`` (rows of ``columns`` cells) as columns, or None (read it row by
    row). ``columns`` is 57, 58 or 61 (see :mod:`relations.io.gdelt`)."""
    data = block.data
    layout = LAYOUTS.get(columns)
    if layout is None or block.error is not None or not _clean(data, block.first, max_line_bytes):
        return None
    dataset, col = layout
    used = [c for c in _USED if c in col]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(
                column_names=[f"c{i}" for i in range(columns)], use_threads=True
            ),
            parse_options=pacsv.ParseOptions(
                delimiter="\t", quote_char=False, double_quote=False, escape_char=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{col[c]}": pa.string() for c in used},
                include_columns=[f"c{col[c]}" for c in used],
                strings_can_be_null=False,
            ),
        )
        cells = {c: table.column(f"c{col[c]}").combine_chunks() for c in used}
        every = pa.concat_arrays(list(cells.values()))  # all the used cells, checked at once
        if pc.any(pc.or_(pc.starts_with(every, " "), pc.ends_with(every, " "))).as_py():
            return None  # a cell with spaces around it: Python's strip decides
        return _columns(cells, dataset, cache)
    except (_NotVouched, RelationsError, pa.ArrowException, ValueError, KeyError):
        return None


def _clean(data: bytes, first: int, max_line_bytes: int) -> bool:
    """True when no cell needs escaping or Python's strip (but for spaces, checked per used
    column after reading) and no line is too long."""
    if not data or (first == 1 and data.startswith(b"\xef\xbb\xbf")):
        return False
    if data.translate(None, _NOT_CONTROL):
        return False  # a control character (JSON escapes it; Arrow reads "\r" as a line end)
    if any(lead in data for lead in (b"\xc2", b"\xe1", b"\xe2", b"\xe3")) and _wide_at_edge(data):
        return False
    if len(data) > max_line_bytes + 1:
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        starts = np.concatenate(([0], ends + 1))
        stops = np.concatenate((ends, [len(data)]))
        if int((stops - starts).max()) > max_line_bytes + 1:
            return False
    return True


def _wide_at_edge(data: bytes) -> bool:
    """True when a cell starts or ends with a multi-byte space (see _WIDE_SPACE).

    >>> _wide_at_edge("a\\tb\\u00a0\\tc".encode()), _wide_at_edge("a b\\u00a0c".encode())
    (True, False)
    """
    for m in _WIDE_SPACE.finditer(data):
        before, after = data[m.start() - 1 : m.start()], data[m.end() : m.end() + 1]
        if before in (b"", b"\t", b"\n") or after in (b"", b"\t", b"\n"):
            return True
    return False


def _null_if_empty(a: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)


def _by_value(
    a: pa.Array, convert: Any, cache: dict[str, Any]
) -> tuple[list[Any], np.ndarray[Any, Any]]:
    """``convert`` of each distinct value (cached across blocks) and each row's value index."""
    enc = pc.dictionary_encode(a)
    values = []
    for v in enc.dictionary.to_pylist():
        got = cache.get(v, _MISSING)
        if got is _MISSING:
            got = cache[v] = convert(v)
        values.append(got)
    return values, enc.indices.to_numpy(zero_copy_only=False)


_MISSING = object()


def _unique_ids(raw: pa.Array) -> bool:
    """True when no id is empty and none repeats (as numbers when all are plain digits, which
    is cheaper than hashing the text; equal numbers of different texts, ``01`` and ``1``,
    are then compared as text)."""
    if not len(raw):
        return True
    if int(cell_lengths(raw).min()) == 0:
        return False
    if int(cell_lengths(raw).max()) <= 18 and only_bytes(raw, DIGITS):
        numbers = np.sort(pc.cast(raw, pa.int64()).to_numpy())
        if not (numbers[1:] == numbers[:-1]).any():
            return True
    return bool(pc.count_distinct(raw).as_py() == len(raw))


def _code_facts(text: str) -> tuple[str, str, str, str, str, str]:
    if not text:
        raise _NotVouched
    code = cameo(text, field="EventCode")
    return (
        kind_for_cameo(code.code),
        code.name,
        code.code,
        code.root,
        str(code.quad_class),
        fmt_number(code.goldstein),
    )


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


def _measure(a: pa.Array, integer: bool) -> pa.Array:
    """A measure column: null for empty or ``NA``; anything the row reader refuses → not vouched."""
    if _plain(a, integer):  # the usual case: no regex, no range check (see _plain)
        return pc.cast(
            pc.if_else(pc.not_equal(a, ""), a, pa.scalar(None, pa.string())),
            pa.int64() if integer else pa.float64(),
        )
    present = pc.and_(pc.not_equal(a, ""), pc.not_equal(a, "NA"))
    text = pc.filter(a, present)
    if not pc.all(pc.match_substring_regex(text, _INTEGER if integer else _REAL)).as_py():
        raise _NotVouched
    values = pc.cast(
        pc.if_else(present, a, pa.scalar(None, pa.string())),
        pa.int64() if integer else pa.float64(),
    )
    if integer:
        if pc.any(pc.less(values, 0)).as_py():
            raise _NotVouched
    elif not pc.all(pc.is_finite(pc.drop_null(values))).as_py():
        raise _NotVouched
    return values


def _columns(cells: dict[str, pa.Array], dataset: str, cache: _Lookups) -> GdeltColumns:
    n = len(cells["GLOBALEVENTID"])
    raw_id = cells["GLOBALEVENTID"]
    if not _unique_ids(raw_id):
        raise _NotVouched

    # dates, once per distinct SQLDATE
    def day(t: str) -> When:
        return day_from_digits(t, file="", line=0, field="SQLDATE")

    whens, wi = _by_value(cells["SQLDATE"], day, cache.days)
    when_text = pa.array([str(w) for w in whens], pa.string()).take(wi)
    lo = pa.array(np.array([w.lo for w in whens], dtype=np.int64)[wi])
    hi = pa.array(np.array([w.hi for w in whens], dtype=np.int64)[wi])
    precision = pa.array([w.precision.name.lower() for w in whens], pa.string()).take(wi)

    # CAMEO codes, once per distinct EventCode
    facts, ci = _by_value(cells["EventCode"], _code_facts, cache.codes)
    kinds = pa.array([f[0] for f in facts], pa.string()).take(ci)
    code_names = pa.array([f[1] for f in facts], pa.string()).take(ci)

    # actors: each side's country once per distinct value; actor lists once per distinct pair
    vocab: dict[str, int] = {UNSPECIFIED: 0}
    sides = []
    for k in (1, 2):
        country, code = cells[f"Actor{k}CountryCode"], cells[f"Actor{k}Code"]

        def resolve(t: str) -> str | None:
            return cache.index.get(t) if t else None

        resolved, ri = _by_value(country, resolve, cache.countries)
        codes = np.array(
            [-1 if r is None else vocab.setdefault(r, len(vocab)) for r in resolved], dtype=np.int64
        )
        side = codes[ri] if len(codes) else np.full(n, -1, dtype=np.int64)
        has_country = pc.not_equal(country, "").to_numpy(zero_copy_only=False)
        if (side[has_country] < 0).any():
            raise _NotVouched  # an unknown country: the row reader reports it
        has_code = pc.not_equal(code, "").to_numpy(zero_copy_only=False)
        side = np.where(has_country, side, np.where(has_code, 0, -1))
        sides.append(side)
    names_of = list(vocab)
    width = len(vocab) + 1
    pair = (sides[0] + 1) * width + (sides[1] + 1)
    pairs, pi = np.unique(pair, return_inverse=True)
    lists: list[list[str]] = []
    for p in pairs.tolist():
        s1, s2 = p // width - 1, p % width - 1
        got = [names_of[s] for s in (s1, s2) if s >= 0]
        lists.append(list(dict.fromkeys(got)) or [UNSPECIFIED])
    actors = pa.array(lists, pa.list_(pa.string())).take(pa.array(pi))
    two = np.array([len(a) == 2 for a in lists], dtype=bool)[pi]
    directed = pa.array(two)
    first = pa.array([a[0] if len(a) == 2 else None for a in lists], pa.string()).take(pa.array(pi))
    second = pa.array([a[1] if len(a) == 2 else None for a in lists], pa.string()).take(
        pa.array(pi)
    )

    # titles: "Actor1Name → Actor2Name: <CAMEO name>" (a side's name, else its code)
    parts = []
    present = []
    for k, side in zip((1, 2), sides, strict=True):
        name, code = cells[f"Actor{k}Name"], cells[f"Actor{k}Code"]
        label = pc.if_else(pc.equal(name, ""), code, name)
        here = pa.array(side >= 0)
        present.append(here)
        parts.append(pc.if_else(here, label, pa.scalar(None, pa.string())))
    joined = pc.fill_null(pc.binary_join_element_wise(*parts, " → ", null_handling="skip"), "")
    any_side = pc.or_(*present)
    prefix = pc.if_else(any_side, pc.binary_join_element_wise(joined, ": ", ""), "")
    title = pc.binary_join_element_wise(prefix, code_names, "")

    # extra (keys in sorted order, as a FrozenMap keeps them)
    extra: dict[str, pa.Array] = {
        "source_dataset": pa.repeat(pa.scalar(dataset, pa.string()), n),
        "source_event_id": raw_id,
        "cameo": pa.array([f[2] for f in facts], pa.string()).take(ci),
        "cameo_root": pa.array([f[3] for f in facts], pa.string()).take(ci),
        "quad_class": pa.array([f[4] for f in facts], pa.string()).take(ci),
        "goldstein": pa.array([f[5] for f in facts], pa.string()).take(ci),
    }
    for column, key in KEPT:
        if column in cells:
            extra[key] = _null_if_empty(cells[column])
    extra_struct = pa.StructArray.from_arrays(
        [extra[k] for k in sorted(extra)], names=sorted(extra)
    )

    measures = {key: _measure(cells[column], integer) for column, key, integer in MEASURES}
    measure_struct = pa.StructArray.from_arrays(list(measures.values()), names=list(measures))

    sources = _sources(cells, cache) if "SOURCEURL" in cells else pa.nulls(n, _SOURCES)
    return GdeltColumns(
        code_facts=facts,
        code_index=ci,
        id=pc.utf8_replace_slice(raw_id, 0, 0, "gdelt-"),
        when=when_text,
        lo=lo,
        hi=hi,
        precision=precision,
        kind=kinds,
        actors=actors,
        directed=directed,
        source=first,
        target=second,
        title=title,
        location=_null_if_empty(cells["ActionGeo_FullName"]),
        measures=measure_struct,
        sources=sources,
        extra=extra_struct,
    )


_HOST_BYTES = byte_table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-")
_AFTER_HOST = byte_table(b"/?#")
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[65:91] += 32
_WWW = np.frombuffer(b"www.", dtype=np.uint8)


def _first_from(where: np.ndarray[Any, Any], at: np.ndarray[Any, Any], stops: Any) -> Any:
    """For each position ``at``, the first of the sorted positions ``where`` at or after it,
    capped at the cell's stop."""
    return np.minimum(np.append(where, stops.max(initial=0))[np.searchsorted(where, at)], stops)


def _hosts(url: pa.Array, web: np.ndarray[Any, Any]) -> pa.Array:
    """The host of each http(s) URL (``web`` rows), lower-cased, without ``www.``: what
    ``urlsplit(url).hostname.removeprefix("www.")`` gives for a host of letters, digits, dots
    and hyphens followed by the end, ``/``, ``?``, ``#`` or a port of digits; anything else is
    not vouched for (user info, brackets, ...: urlsplit's business). Other rows get ""."""
    starts, stops, data = spans(url)
    if not len(data):
        return gather(starts, starts, data)
    https = pc.starts_with(url, "https://").to_numpy(zero_copy_only=False)
    begin = np.where(web, starts + np.where(https, 8, 7), starts)
    end = _first_from(np.flatnonzero(~_HOST_BYTES[data]), begin, stops)
    padded = np.append(data, np.uint8(0))
    port = web & (end < stops) & (padded[end] == 58)  # ":"
    stop = end  # what follows the host (and its port)
    if port.any():
        at = np.flatnonzero(port)
        stop = end.copy()
        stop[at] = _first_from(np.flatnonzero(~DIGITS[data]), end[at] + 1, stops[at])
    if not ((end > begin) & ((stop == stops) | _AFTER_HOST[padded[stop]]))[web].all():
        raise _NotVouched
    head = np.minimum(begin[:, None] + np.arange(4), len(data) - 1)
    www = ((end - begin) >= 4) & (_LOWER[data[head]] == _WWW).all(axis=1)
    begin = np.where(web & www, begin + 4, begin)
    if ((end <= begin) & web).any():
        raise _NotVouched  # nothing left after "www.": the row reader decides
    return gather(np.where(web, begin, 0), np.where(web, end, 0), data, _LOWER)


_SOURCE = pa.struct([("publisher", pa.string()), ("url", pa.string()), ("published", pa.string())])
_SOURCES = pa.list_(_SOURCE)


def _sources(cells: dict[str, pa.Array], cache: _Lookups) -> pa.Array:
    """One source per row with a ``SOURCEURL``: publisher (host name), URL, ``DATEADDED``."""
    url = cells["SOURCEURL"]
    has = pc.not_equal(url, "")

    def stamp(t: str) -> str:
        if not t:
            return ""
        return str(timestamp_from_digits(t, file="", line=0, field="DATEADDED"))

    added = pc.if_else(has, cells["DATEADDED"], "")
    stamps, si = _by_value(added, stamp, cache.stamps)
    published = pa.array([s or None for s in stamps], pa.string()).take(pa.array(si))
    web = pc.or_(pc.starts_with(url, "http://"), pc.starts_with(url, "https://"))
    publisher = pc.if_else(web, _hosts(url, web.to_numpy(zero_copy_only=False)), url)
    link = pc.if_else(web, url, pa.scalar(None, pa.string()))
    one = pa.StructArray.from_arrays([publisher, link, published], fields=list(_SOURCE))
    present = has.to_numpy(zero_copy_only=False)
    offsets = pa.array(np.concatenate(([0], np.cumsum(present))).astype(np.int32))
    kept = one if present.all() else pc.filter(one, has)
    return pa.ListArray.from_arrays(offsets, kept, type=_SOURCES, mask=pc.invert(has))
