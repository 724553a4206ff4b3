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

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations.errors import RelationsError
from relations.io._actors import UNSPECIFIED, NameIndex
from relations.io._chunks import Block
from relations.io._coded_columns import SOURCES as _SOURCES
from relations.io._coded_columns import NotVouched as _NotVouched
from relations.io._coded_columns import by_value as _by_value
from relations.io._coded_columns import cameo_facts, read_block, source_lists
from relations.io._coded_columns import clean as _clean
from relations.io._coded_columns import measure_column as _measure
from relations.io._coded_columns import null_if_empty as _null_if_empty
from relations.io._coded_columns import wide_at_edge as _wide_at_edge  # noqa: F401  (tests read it here)
from relations.io._gdelt_layout import KEPT, LAYOUTS, MEASURES
from relations.io._importing import day_from_digits, timestamp_from_digits
from relations.io._text_bytes import DIGITS, byte_table, cell_lengths, gather, only_bytes, spans
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
    return _Lookups(index or NameIndex())  # the registry's snapshot (see NameIndex)


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
        arrays = read_block(data, columns, [col[c] for c in used])
        cells = dict(zip(used, arrays, strict=True))
        every = pa.concat_arrays(arrays)  # all the used cells, checked at once
        if pc.any(pc.or_(pc.starts_with(every, " "), pc.ends_with(every, " "))).as_py():
            return None  # a cell with spaces around it: Python's strip decides
        return _columns(cells, dataset, cache)
    except (_NotVouched, RelationsError, pa.ArrowException, ValueError, KeyError):
        return None


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
    return cameo_facts(text, "EventCode")


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
    return source_lists(publisher, link, published, has)
