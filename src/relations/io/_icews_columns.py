"""ICEWS rows to columns, a block at a time, without an Event per row (the fast path).

:func:`block_columns` reads the header line itself (any header the row reader would refuse,
or one it cannot vouch for, gives None: the importer then reads the whole file row by row)
and hands every further block to :func:`convert`, which reads it with the Arrow CSV reader
and maps it column-wise to exactly the fields :mod:`relations.io.icews` gives each row:
dates, CAMEO codes, countries, actor names and sectors resolved once per distinct value,
titles, places and ids composed with Arrow string kernels, measures parsed and checked as
whole columns. A block it cannot vouch for (a control character, an unknown country, a bad
date, code or number, a repeated id, a row with another number of cells, ...) gives None,
and the caller reads that block row by row, so every error and line number is the row
reader's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations.errors import RelationsError
from relations.io._actors import UNSPECIFIED, NameIndex
from relations.io._chunks import Block, blocks
from relations.io._coded_columns import (
    NotVouched,
    RecordColumns,
    actor_lists,
    by_value,
    cameo_facts,
    clean,
    day_columns,
    in_order,
    join_present,
    measure_column,
    read_block,
    source_lists,
)
from relations.io._icews_layout import (
    ICEWS_COLUMNS,
    KEPT,
    MEASURE_COLUMNS,
    REQUIRED,
    sectors,
    snake,
)
from relations.io._importing import day_from_digits
from relations.when import When

__all__ = ["Header", "block_columns", "convert", "header", "header_and_blocks"]

# The extra keys the row reader writes itself (a further column may not reuse one).
_OWN_KEYS = frozenset(
    {
        "source_dataset",
        "source_event_id",
        "cameo",
        "cameo_root",
        "quad_class",
        "goldstein",
        "source_sectors",
        "target_sectors",
        *(key for _, key in KEPT),
    }
)
_PLACES = ("City", "District", "Province", "Country")
_TEXT = pa.string()
_NULL = pa.scalar(None, _TEXT)
# What the row reader's ``cell`` reads as missing.
_MISSING = ("", "NA")
_MISSING_SET = pa.array(_MISSING, _TEXT)


class Header:
    """The columns of a file: ICEWS column → index, and ``(index, extra key)`` of the others."""

    __slots__ = ("col", "names", "other", "width")

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.col = {h: i for i, h in enumerate(names) if h in ICEWS_COLUMNS}
        self.other = [(i, snake(h)) for i, h in enumerate(names) if h not in ICEWS_COLUMNS]
        self.width = len(names)


def header(block: Block) -> tuple[Header, Block] | None:
    """The header on the block's first line and the rest of the block; None when the row
    reader must decide (no header on line 1, a missing or repeated column, a BOM, ...).

    >>> head, rest = header(Block(b"Event ID\\tEvent Date\\tCAMEO Code\\tSource Name\\t"
    ...                           b"Target Name\\tNote\\n1\\t2\\n", 1))
    >>> head.col["CAMEO Code"], head.other, rest.first, rest.data
    (2, [(5, 'note')], 2, b'1\\t2\\n')
    """
    if block.error is not None or block.first != 1:
        return None
    data = block.data
    cut = data.find(b"\n")
    line, rest = (data, b"") if cut < 0 else (data[:cut], data[cut + 1 :])
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.removesuffix("\r")
    if text.startswith("\ufeff") or not text.strip():
        return None
    names = [h.strip() for h in text.split("\t")]
    if any(c not in names for c in REQUIRED) or len(set(names)) != len(names):
        return None
    head = Header(names)
    keys = [key for _, key in head.other]
    if len(set(keys)) != len(keys) or any(not k or k in _OWN_KEYS for k in keys):
        return None  # the row reader's dict decides which value wins
    return head, Block(rest, 2)


# Conversions that depend on the text alone (the date, the shipped CAMEO table, the sector
# list), kept across imports; by_value bounds them.
_DAYS: dict[str | None, When] = {}
_CODES: dict[str | None, tuple[str, str, str, str, str, str]] = {}
_SECTORS: dict[str | None, str | None] = {}
_BY_NAME: list[Any] = [None, {}, {}]


class Lookups:
    """What an import resolves once per distinct value, across blocks (the countries and
    names through its NameIndex, which follows the actor registry)."""

    __slots__ = ("codes", "countries", "days", "index", "names", "sectors")

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.days = _DAYS
        self.codes = _CODES
        self.sectors = _SECTORS
        # kept across imports while the registry (the index's key table) is the same
        if _BY_NAME[0] is not index.table:
            _BY_NAME[:] = [index.table, {}, {}]
        self.countries: dict[str | None, str | None] = _BY_NAME[1]
        self.names: dict[str | None, str] = _BY_NAME[2]


def _same(cols: RecordColumns) -> RecordColumns:
    return cols


def block_columns(
    f: IO[bytes], name: str, max_line_bytes: int
) -> Iterator[tuple[Block, RecordColumns | None]] | None:
    """Each block of an ICEWS file (after its header) with its columns (None: read that
    block row by row); None for a file whose header the row reader must read."""
    found = header_and_blocks(f, name, max_line_bytes)
    return None if found is None else found[1]


def header_and_blocks(
    f: IO[bytes], name: str, max_line_bytes: int, then: Callable[[RecordColumns], Any] = _same
) -> tuple[Header, Iterator[tuple[Block, Any]]] | None:
    """The file's header and :func:`block_columns`' blocks, each block's columns passed
    through ``then`` (in the same worker thread); None as there."""
    chunks = blocks(f, name, max_line_bytes)
    first = next(chunks, None)
    found = None if first is None else header(first)
    if found is None:
        return None
    head, rest = found

    def each() -> Iterator[tuple[Block, Any]]:
        cache = Lookups(NameIndex())

        def one(block: Block) -> Any:
            cols = convert(block, head, cache, max_line_bytes)
            return None if cols is None else then(cols)

        yield from in_order(itertools.chain((rest,), chunks), one)

    return head, each()


def convert(
    block: Block, head: Header, cache: Lookups, max_line_bytes: int
) -> RecordColumns | None:
    """The events of ``block`` as columns, or None (read it row by row, as for a block of
    blank lines only)."""
    data = block.data
    if block.error is not None or not data.strip():
        return None
    if b"\r" in data:  # Windows line ends are fine; a lone "\r" is the row reader's
        if data.count(b"\r") != data.count(b"\r\n"):
            return None
        data = data.replace(b"\r\n", b"\n")
    if not clean(data, block.first, max_line_bytes):
        return None
    try:
        return _columns(data, head, cache)
    except (NotVouched, RelationsError, pa.ArrowException, ValueError, KeyError):
        return None


def _stripped(a: pa.Array) -> pa.Array:
    """The cells with spaces around them stripped (clean() refused every other character
    Python's strip removes), a cell left empty or ``NA`` as null."""
    if not pc.any(pc.or_(pc.starts_with(a, " "), pc.ends_with(a, " "))).as_py():
        return a
    a = pc.utf8_trim(a, " ")
    return pc.if_else(pc.is_in(a, _MISSING_SET), _NULL, a)


def _cells(data: bytes, head: Header) -> tuple[dict[str, pa.Array], list[pa.Array]]:
    """The ICEWS cells and the further columns' cells as the row reader's ``cell`` gives
    them (stripped), but null for an empty or ``NA`` one (and for a column the file lacks)."""
    used = list(head.col.values()) + [i for i, _ in head.other]
    arrays = [_stripped(a) for a in read_block(data, head.width, used, _MISSING)]
    n = len(arrays[0])
    named = dict(zip(head.col, arrays, strict=False))
    cells = {c: named[c] if c in named else pa.nulls(n, _TEXT) for c in ICEWS_COLUMNS}
    return cells, arrays[len(head.col) :]


def _columns(data: bytes, head: Header, cache: Lookups) -> RecordColumns:
    cells, others = _cells(data, head)
    event_id = cells["Event ID"]
    n = len(event_id)
    if event_id.null_count:
        raise NotVouched

    def day(t: str | None) -> When:
        return day_from_digits(t or "", file="", line=0, field="Event Date")

    whens, wi = by_value(cells["Event Date"], day, cache.days)
    when, lo, hi, precision = day_columns(whens, wi)
    ids = pc.binary_join_element_wise("icews-", event_id, "-", when, "")
    # an id's date has a fixed width, so distinct Event IDs make distinct ids
    if pc.count_distinct(event_id).as_py() != n and pc.count_distinct(ids).as_py() != n:
        raise NotVouched  # the row reader decides: one event twice, or an id reused

    facts, ci = by_value(
        cells["CAMEO Code"], lambda t: cameo_facts(t or "", "CAMEO Code"), cache.codes
    )
    by_code = pa.array(ci)

    def fact(k: int) -> pa.Array:
        return pa.array([f[k] for f in facts], _TEXT).take(by_code)

    actors, directed, source, target = _actors(cells, cache)
    # "Source Name → Target Name: Event Text" (the names there are; the code's name if no text)
    who = join_present([cells["Source Name"], cells["Target Name"]], " → ")
    text = pc.coalesce(cells["Event Text"], fact(1))
    title = pc.coalesce(pc.binary_join_element_wise(who, text, ": "), text)

    # each place once, in order City, District, Province, Country
    places: list[pa.Array] = []
    for i, c in enumerate(_PLACES):
        place = cells[c]
        for earlier in _PLACES[:i]:
            seen = pc.fill_null(pc.equal(place, cells[earlier]), False)
            place = pc.if_else(seen, _NULL, place)
        places.append(place)
    location = join_present(places, ", ")

    publisher = cells["Publisher"]
    nothing = pa.nulls(n, _TEXT)
    sources = source_lists(publisher, nothing, nothing, pc.is_valid(publisher))
    measures = {
        key: measure_column(cells[column], integer=False) for column, key in MEASURE_COLUMNS
    }

    extra: dict[str, pa.Array] = {
        "source_dataset": pa.repeat(pa.scalar("icews", _TEXT), n),
        "source_event_id": event_id,
        "cameo": fact(2),
        "cameo_root": fact(3),
        "quad_class": fact(4),
        "goldstein": fact(5),
    }
    for column, key in KEPT:
        extra[key] = cells[column]
    for role in ("Source", "Target"):
        joined, si = by_value(cells[f"{role} Sectors"], _sorted_sectors, cache.sectors)
        extra[f"{role.lower()}_sectors"] = pa.array(joined, _TEXT).take(pa.array(si))
    for (_, key), cells_of in zip(head.other, others, strict=True):
        extra[key] = cells_of
    keys = sorted(extra)  # as a FrozenMap keeps them

    record = pa.table(
        {
            "id": ids,
            "when": when,
            "kind": fact(0),
            "actors": actors,
            "title": title,
            "directed": pc.if_else(directed, True, None),
            "location": location,
            "measures": pa.StructArray.from_arrays(list(measures.values()), names=list(measures)),
            "sources": sources,
            "extra": pa.StructArray.from_arrays([extra[k] for k in keys], names=keys),
        }
    )
    return RecordColumns(record, lo, hi, precision, source, target)


def _sorted_sectors(value: str | None) -> str | None:
    return (sectors(value) or None) if value else None


def _actors(
    cells: dict[str, pa.Array], cache: Lookups
) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """Each side is its country (which must resolve), else its name (or UNSPECIFIED for a
    name that is not an actor), else absent."""
    vocab: dict[str, int] = {UNSPECIFIED: 0}
    sides = []

    def country(t: str | None) -> str | None:
        return cache.index.get(t) if t else ""

    def name(t: str | None) -> str:
        return (cache.index.get(t) or UNSPECIFIED) if t else ""

    for role in ("Source", "Target"):
        countries, ki = by_value(cells[f"{role} Country"], country, cache.countries)
        if any(c is None for c in countries):
            raise NotVouched  # an unknown country: the row reader reports it
        names, ni = by_value(cells[f"{role} Name"], name, cache.names)
        by_country = _codes(countries, vocab)[ki]
        sides.append(np.where(by_country >= 0, by_country, _codes(names, vocab)[ni]))
    return actor_lists(sides, list(vocab))


def _codes(values: list[Any], vocab: dict[str, int]) -> np.ndarray[Any, Any]:
    """Each value's index in ``vocab`` (added if new), -1 for an empty one."""
    return np.array([vocab.setdefault(v, len(vocab)) if v else -1 for v in values], dtype=np.int64)
