"""ACLED rows to columns, a block at a time, without an Event per row (the fast path).

ACLED exports are quoted CSV whose ``notes`` hold newlines, so a block is cut at the last
newline outside quotes (:func:`record_blocks`), and read by the Arrow CSV reader with
``newlines_in_values``. :func:`block_columns` reads the header line itself (any header the
row reader would refuse, or one it cannot vouch for, gives None: the importer then reads the
whole file row by row) and :func:`convert` maps each block column-wise to exactly the fields
:mod:`relations.io.acled` gives each row: dates, kinds, countries, actors and source lists
resolved once per distinct value, titles and places composed with Arrow string kernels,
measures parsed and checked as whole columns. A block it cannot vouch for (a control
character, a quote the row reader would read otherwise, a bad date, an unknown country, a
bad number, a row with another number of cells, ...) gives None, and the caller reads the
file row by row, so every error and line number is the row reader's.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from relations.errors import RelationsError
from relations.io._acled_layout import (
    MAPPED,
    REQUIRED,
    actor_country,
    iso_country,
    slug,
    when_of,
)
from relations.io._actors import NameIndex
from relations.io._chunks import BLOCK_BYTES, Block, blocks
from relations.io._coded_columns import (
    SOURCES,
    NotVouched,
    RecordColumns,
    by_value,
    in_order,
    join_present,
    lines_fit,
    measure_column,
    read_block,
)

__all__ = [
    "Header",
    "block_columns",
    "convert",
    "header",
    "header_and_blocks",
    "layout_batch",
    "record_blocks",
]

_TEXT = pa.string()
_NULL = pa.scalar(None, _TEXT)
_QUOTE, _COMMA, _NL, _CR = 34, 44, 10, 13
# Every byte but the control bytes (tab, newline and carriage return excepted): Python's csv
# and Arrow's differ on them (a NUL, a lone "\r"), and Python's strip removes some.
_NOT_CONTROL = bytes(b for b in range(256) if b in (9, 10, 13) or 32 <= b < 127 or b > 127)
# What Python's str.strip() removes beyond the ASCII whitespace (which utf8_trim removes).
_WIDE = ("\x85", "\xa0", "\u1680", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000")
_WIDE_SPACES = pa.array([*_WIDE, *map(chr, range(0x2000, 0x200B))], _TEXT)
_PARSE = pacsv.ParseOptions(
    delimiter=",", quote_char='"', double_quote=True, escape_char=False, newlines_in_values=True
)
# The extra keys the row reader writes itself (a column may not reuse one).
_OWN_KEYS = frozenset({"source_dataset", "source_event_id"})
# The measures, in the order the row reader puts them in.
_MEASURES = (("fatalities", True), ("latitude", False), ("longitude", False))


class Header:
    """The columns of a file (lower case): column → index, and the columns kept in extra."""

    __slots__ = ("col", "names", "width")

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.col = {h: i for i, h in enumerate(names)}
        self.width = len(names)


def header(block: Block) -> tuple[Header, Block] | None:
    """The header on the block's first line and the rest of the block; None when the row
    reader must decide (a missing, repeated or empty column name, a quoted header, ...).

    >>> head, rest = header(Block(b"EVENT_ID_CNTY,event_date,time_precision,event_type,"
    ...                           b"sub_event_type,actor1,country\\nX,2\\n", 1))
    >>> head.col["event_id_cnty"], rest.first, rest.data
    (0, 2, b'X,2\\n')
    """
    if block.error is not None or block.first != 1:
        return None
    data = block.data
    cut = data.find(b"\n")
    line, rest = (data, b"") if cut < 0 else (data[:cut], data[cut + 1 :])
    line = line.removeprefix(b"\xef\xbb\xbf")  # the line reader drops a BOM on line 1
    if b'"' in line or line.translate(None, _NOT_CONTROL):
        return None
    try:
        text = line.decode("utf-8").removesuffix("\r")
    except UnicodeDecodeError:
        return None
    if "\r" in text:
        return None
    raw = [h.strip() for h in text.split(",")]
    names = [h.lower() for h in raw]
    if len(set(raw)) != len(raw) or len(set(names)) != len(names):
        return None  # the row reader refuses a repeated name, or its dict keeps the last one
    if any(c not in names for c in REQUIRED) or not all(names) or _OWN_KEYS & set(names):
        return None
    return Header(names), Block(rest, 2)


def record_blocks(
    f: IO[bytes], name: str, max_line_bytes: int, size: int | None = None
) -> Iterator[Block]:
    """The file's blocks (see :func:`relations.io._chunks.blocks`), each ending at a newline
    outside quotes, so that no record is cut in two (a quoted ``notes`` holds newlines).

    >>> import io
    >>> [(b.first, b.data) for b in record_blocks(io.BytesIO(b'a\\n"b\\nc"\\nd\\n'), "x", 99, 2)]
    [(1, b'a\\n'), (2, b'"b\\nc"\\n'), (4, b'd\\n')]
    """
    carry = b""
    first = 1
    for block in blocks(f, name, max_line_bytes, size):
        if block.error is not None:
            if carry:
                yield Block(carry, first)
                carry = b""
            yield block
            continue
        data = carry + block.data if carry else block.data
        if not carry:
            first = block.first
        cut = _record_end(data)
        if cut == len(data):  # the usual case: no quoted cell across the cut
            yield Block(data, first)
            carry = b""
            continue
        if cut == 0 and len(data) < 8 * (size or BLOCK_BYTES):
            carry = data  # no record ends here yet (a long quoted cell)
            continue
        if cut == 0:
            cut = len(data)  # no record end in many blocks: the reader refuses it whole
        yield Block(data[:cut], first)
        carry = data[cut:]
        first += data.count(b"\n", 0, cut)
    if carry:
        yield Block(carry, first)


def _record_end(data: bytes) -> int:
    """One past the last newline outside quotes (0 if none): a newline is outside quotes when
    an even number of quotes comes before it (``""`` inside a quoted cell counts twice)."""
    quotes = data.count(b'"')
    end = len(data)
    if data.endswith(b"\n") and quotes % 2 == 0:
        return end
    while (at := data.rfind(b"\n", 0, end)) >= 0:
        quotes -= data.count(b'"', at, end)
        if quotes % 2 == 0:
            return at + 1
        end = at
    return 0


def _quotes_as_python_reads_them(data: bytes) -> bool:
    """True when each quote opens a cell (after a comma, a newline or the start), closes it
    (before a comma, a line end or the end), or is one of a doubled pair inside it: then
    Python's csv reader and Arrow's read the same cells. A quote anywhere else (``ab"c``, a
    space before an opening quote) is read differently, or refused by the strict reader."""
    arr = np.frombuffer(data, dtype=np.uint8)
    q = np.flatnonzero(arr == _QUOTE)
    if not len(q):
        return True
    if len(q) % 2:
        return False
    opens, closes = q[0::2], q[1::2]
    before = np.where(opens > 0, arr[np.maximum(opens - 1, 0)], _NL)
    open_ok = (before == _COMMA) | (before == _NL) | (opens == 0)
    # an opening quote right after a closing one is the second of a doubled pair
    open_ok[1:] |= opens[1:] == closes[:-1] + 1
    after_at = np.minimum(closes + 1, len(arr) - 1)
    after = np.where(closes + 1 < len(arr), arr[after_at], _NL)
    close_ok = (after == _COMMA) | (after == _NL) | (after == _CR)
    close_ok[:-1] |= closes[:-1] + 1 == opens[1:]
    return bool(open_ok.all() and close_ok.all())


# Conversions that depend on the text alone (dates, kinds), kept across imports; by_value
# bounds them. Countries follow the actor registry: kept while its key table is the same.
_WHENS: dict[Any, Any] = {}
_KINDS: dict[Any, Any] = {}
_SOURCE_LISTS: dict[Any, Any] = {}
_FATALITIES: dict[Any, Any] = {}
_BY_NAME: list[Any] = [None, {}, {}]


def _sources_json(sources: pa.ListArray) -> pa.Array:
    """The layout's ``sources`` text (the canonical writer's JSON) of each distinct list of
    publishers once (the canonical writer makes each row's Sources)."""
    from relations.events import Source
    from relations.record import dumps

    publishers = pa.ListArray.from_arrays(
        sources.offsets, pc.struct_field(sources.values, "publisher"), mask=sources.is_null()
    )
    enc = pc.dictionary_encode(pc.binary_join(publishers, "\x1f"))
    texts = [
        None if v is None else dumps([Source(p).to_dict() for p in v.split("\x1f")])
        for v in enc.dictionary.to_pylist()
    ]
    return pa.array(texts, _TEXT).take(enc.indices)


def _same(cols: RecordColumns) -> RecordColumns:
    return cols


class Lookups:
    """What an import resolves once per distinct value, across blocks."""

    __slots__ = ("actors", "countries", "index")

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        if _BY_NAME[0] is not index.table:
            _BY_NAME[:] = [index.table, {}, {}]
        self.countries: dict[Any, str | None] = _BY_NAME[1]
        self.actors: dict[Any, str | None] = _BY_NAME[2]


def block_columns(
    f: IO[bytes], name: str, max_line_bytes: int
) -> Iterator[tuple[Block, RecordColumns | None]] | None:
    """The blocks of an ACLED file after its header, each with its columns or None (then
    the whole file is read row by row); None when the row reader must read the header."""
    if (found := header_and_blocks(f, name, max_line_bytes)) is None:
        return None
    return found[1]


def header_and_blocks(
    f: IO[bytes], name: str, max_line_bytes: int, *, then: Callable[[RecordColumns], Any] = _same
) -> tuple[Header, Iterator[tuple[Block, Any]]] | None:
    """The header, and the blocks of :func:`block_columns` with ``then`` of their columns
    (run by the worker thread that made them)."""
    chunks = record_blocks(f, name, max_line_bytes)
    found = header(next(chunks, Block(b"", 0)))
    if found is None:
        return None
    head, rest = found
    one = functools.partial(
        _converted, head=head, cache=Lookups(NameIndex()), limit=max_line_bytes, then=then
    )
    return head, in_order(itertools.chain((rest,), chunks), one)


def _converted(
    block: Block, head: Header, cache: Lookups, limit: int, then: Callable[[RecordColumns], Any]
) -> Any:
    cols = convert(block, head, cache, limit)
    return None if cols is None else then(cols)


def layout_batch(cols: RecordColumns) -> pa.RecordBatch | None:
    """A block's record columns as a batch of the columnar layout (the schema of
    :func:`relations.io._layout_batch.layout_schema` for ACLED's measures and its quantity
    ``fatalities``), the record columns written as the canonical writer writes them; None
    for a block that repeats an id (the row reader keeps one event, or reports it)."""
    from relations.formats.records import layout_records
    from relations.io._layout_batch import layout_schema

    ids = cols.record.column("id")
    if pc.count_distinct(ids).as_py() != len(ids):
        return None

    schema = layout_schema(_MEASURES, ["fatalities"])
    layout = layout_records(cols.record.drop_columns(["sources"]))
    n = layout.num_rows
    arrays: dict[str, Any] = {name: layout.column(name) for name in layout.column_names}
    arrays["sources"] = _sources_json(cols.record.column("sources").combine_chunks())
    arrays["source"], arrays["target"] = cols.source, cols.target
    measures = cols.record.column("measures").combine_chunks()
    for name, _ in _MEASURES:
        arrays[f"measure.{name}"] = measures.field(name)
    amount = cols.record.column("quantities").combine_chunks().field("fatalities")
    value = amount.field("value")
    arrays["quantity.fatalities.value"] = value
    arrays["quantity.fatalities.low"] = pa.nulls(n, pa.int64())
    arrays["quantity.fatalities.high"] = pa.nulls(n, pa.int64())
    arrays["quantity.fatalities.unit"] = pc.if_else(pc.is_valid(value), "people", _NULL)
    arrays["quantity.fatalities.approximate"] = pc.if_else(
        pc.is_valid(value), pc.greater(value, 0), pa.scalar(None, pa.bool_())
    )
    table = pa.Table.from_arrays([arrays[f.name] for f in schema], schema=schema)
    return table.combine_chunks().to_batches()[0]


def convert(
    block: Block, head: Header, cache: Lookups, max_line_bytes: int
) -> RecordColumns | None:
    """The events of ``block`` as columns, or None (read the file row by row, as for a block
    of blank lines only)."""
    data = block.data
    if block.error is not None or not data or data.isspace():
        return None
    if data.translate(None, _NOT_CONTROL):
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # a lone "\r": Python's csv reader refuses it outside quotes
    if not lines_fit(data, max_line_bytes) or not _quotes_as_python_reads_them(data):
        return None
    try:
        return _columns(data, head, cache)
    except (NotVouched, RelationsError, pa.ArrowException, ValueError, KeyError):
        return None


def _stripped(a: pa.Array, wide: bool) -> pa.Array:
    """The cells as the row reader strips them, an empty one as null (the reader gives an
    empty cell as null); with ``wide`` (the block holds a character beyond ASCII that
    ``str.strip()`` removes), a cell starting or ending with one raises NotVouched."""
    a = pc.utf8_trim(a, " \t\n\r")  # (clean() refused the other ASCII whitespace)
    if wide:
        first, last = pc.utf8_slice_codeunits(a, 0, 1), pc.utf8_slice_codeunits(a, -1, 2**31)
        edge = pc.or_(pc.is_in(first, _WIDE_SPACES), pc.is_in(last, _WIDE_SPACES))
        if pc.any(edge).as_py():
            raise NotVouched
    if len(a) and pc.min(pc.binary_length(a)).as_py() == 0:
        a = pc.if_else(pc.equal(a, ""), _NULL, a)  # a cell of spaces only
    return a


def _wide(data: bytes) -> bool:
    """True when ``data`` holds a character beyond ASCII that ``str.strip()`` removes
    (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000): the
    lead byte of each character of two or three bytes is found in one pass.

    >>> _wide("a b".encode()), _wide("a\u2019b".encode()), _wide("a\u2009b".encode())
    (False, False, True)
    """
    if data.isascii():
        return False
    arr = np.frombuffer(data + b"\0\0", dtype=np.uint8)
    at = np.flatnonzero(arr >= 0xC2)
    b0, b1, b2 = arr[at], arr[at + 1], arr[at + 2]
    return bool(
        (
            ((b0 == 0xC2) & ((b1 == 0x85) | (b1 == 0xA0)))
            | ((b0 == 0xE1) & (b1 == 0x9A) & (b2 == 0x80))
            | ((b0 == 0xE2) & (b1 == 0x80) & (((b2 >= 0x80) & (b2 <= 0x8A)) | np.isin(b2, _E2_80)))
            | ((b0 == 0xE2) & (b1 == 0x81) & (b2 == 0x9F))
            | ((b0 == 0xE3) & (b1 == 0x80) & (b2 == 0x80))
        ).any()
    )


_E2_80 = np.array([0xA8, 0xA9, 0xAF], dtype=np.uint8)


def _cells(data: bytes, head: Header) -> dict[str, pa.Array]:
    arrays = read_block(data, head.width, range(head.width), [""], _PARSE, threads=False)
    wide = _wide(data)
    return {name: _stripped(a, wide) for name, a in zip(head.names, arrays, strict=True)}


def _pairs(a: pa.Array, b: pa.Array) -> pa.Array:
    """Two text columns as one (joined by a unit separator, which no clean cell holds)."""
    return pc.binary_join_element_wise(pc.fill_null(a, ""), pc.fill_null(b, ""), "\x1f")


def _codes_of(a: pa.Array) -> tuple[list[Any], np.ndarray[Any, Any]]:
    """The distinct values of ``a`` (None for null) and each row's index into them."""
    enc = pc.dictionary_encode(a, null_encoding="encode")
    return enc.dictionary.to_pylist(), enc.indices.to_numpy(zero_copy_only=False)


def _dates(date: pa.Array, level: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """``(when, lo, hi, precision)`` of each row's ``event_date`` at its ``time_precision``:
    each distinct pair read once (and kept across blocks and imports)."""
    days, di = _codes_of(date)
    levels, li = _codes_of(level)
    pairs, pi = np.unique(di.astype(np.int64) * len(levels) + li, return_inverse=True)
    facts = []
    for p in pairs.tolist():
        key = (days[p // len(levels)], levels[p % len(levels)])
        got = _WHENS.get(key)
        if got is None:
            if len(_WHENS) >= 100_000:  # bounded, as by_value's caches are
                _WHENS.clear()
            w = when_of(key[0] or "", key[1] or "", "", 0)
            got = _WHENS[key] = (str(w), w.lo, w.hi, w.precision.name.lower())
        facts.append(got)
    take = pa.array(pi.reshape(-1))
    text, lo, hi, precision = zip(*facts, strict=True)
    return (
        pa.array(text, _TEXT).take(take),
        pa.array(np.array(lo, dtype=np.int64)[pi.reshape(-1)]),
        pa.array(np.array(hi, dtype=np.int64)[pi.reshape(-1)]),
        pa.array(precision, _TEXT).take(take),
    )


def _kind(pair: str) -> str:
    event_type, sub_type = pair.split("\x1f")
    if not event_type:
        raise NotVouched  # the row reader reports the empty event_type
    return f"acled.{slug(event_type)}.{slug(sub_type or event_type)}"


def _publishers(text: str | None) -> list[dict[str, Any]] | None:
    if text is None:
        return None
    outlets = dict.fromkeys(s.strip() for s in text.split(";"))
    found = [{"publisher": s, "url": None, "published": None} for s in outlets if s]
    return found or None


def _fatalities(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        number = int(text)  # as the row reader reads it ("+3", "1_000", ...)
    except ValueError:
        raise NotVouched from None
    if not 0 <= number < 2**63:
        raise NotVouched
    return number


def _columns(data: bytes, head: Header, cache: Lookups) -> RecordColumns:
    cells = _cells(data, head)
    n = len(next(iter(cells.values())))
    nothing = pa.nulls(n, _TEXT)

    def cell(name: str) -> pa.Array:
        return cells.get(name, nothing)

    event_id = cell("event_id_cnty")
    if event_id.null_count:
        raise NotVouched  # the row reader reports the empty id
    when, lo, hi, precision = _dates(cell("event_date"), cell("time_precision"))
    kinds, ki = by_value(_pairs(cell("event_type"), cell("sub_event_type")), _kind, _KINDS)
    kind = pa.array(kinds, _TEXT).take(pa.array(ki))
    sub_type = pc.coalesce(cell("sub_event_type"), cell("event_type"))

    actors = _actors(cell("country"), cell("iso"), cell("actor1"), cell("actor2"), cache)
    who = join_present([cell("actor1"), cell("actor2")], " – ")
    title = pc.coalesce(pc.binary_join_element_wise(sub_type, who, ": "), sub_type)

    # each place once, in order location, admin1, country
    places: list[pa.Array] = []
    names = ("location", "admin1", "country")
    for i, c in enumerate(names):
        place = cell(c)
        for earlier in names[:i]:
            place = pc.if_else(pc.fill_null(pc.equal(place, cell(earlier)), False), _NULL, place)
        places.append(place)

    lists, si = by_value(cell("source"), _publishers, _SOURCE_LISTS)
    sources = pa.array(lists, SOURCES).take(pa.array(si))

    counts, fi = by_value(cell("fatalities"), _fatalities, _FATALITIES)
    fatalities = pa.array(counts, pa.int64()).take(pa.array(fi))
    measures = {"fatalities": fatalities}
    for name, integer in _MEASURES[1:]:
        measures[name] = measure_column(cell(name), integer=integer)
    approximate = pc.if_else(pc.greater(fatalities, 0), True, pa.scalar(None, pa.bool_()))
    amount = pa.StructArray.from_arrays(
        [pa.repeat(pa.scalar("people", _TEXT), n), fatalities, approximate],
        names=["unit", "value", "approximate"],
        mask=pc.is_null(fatalities),
    )

    extra: dict[str, pa.Array] = {
        "source_dataset": pa.repeat(pa.scalar("acled", _TEXT), n),
        "source_event_id": event_id,
    }
    for name in head.names:
        if name not in MAPPED:
            extra[name] = cells[name]
    keys = sorted(extra)  # as a FrozenMap keeps them

    record = pa.table(
        {
            "id": pc.binary_join_element_wise("acled-", event_id, ""),
            "when": when,
            "kind": kind,
            "actors": actors,
            "title": title,
            "directed": pa.nulls(n, pa.bool_()),
            "summary": cell("notes"),
            "location": join_present(places, ", "),
            "quantities": pa.StructArray.from_arrays(
                [amount], names=["fatalities"], mask=pc.is_null(fatalities)
            ),
            "measures": pa.StructArray.from_arrays(list(measures.values()), names=list(measures)),
            "sources": sources,
            "extra": pa.StructArray.from_arrays([extra[k] for k in keys], names=keys),
        }
    )
    return RecordColumns(record, lo, hi, precision, nothing, nothing)


def _actors(
    country: pa.Array, iso: pa.Array, actor1: pa.Array, actor2: pa.Array, cache: Lookups
) -> pa.Array:
    """Each row's actors: the country of each named actor (else the event's country), once
    each; the event's country when no actor is named."""
    index = cache.index

    names, ni = _codes_of(country)
    isos, ii = _codes_of(iso)
    pairs, ci = np.unique(ni.astype(np.int64) * len(isos) + ii, return_inverse=True)
    vocab: dict[str, int] = {}
    found_country = []
    for p in pairs.tolist():
        name, code = names[p // len(isos)], isos[p % len(isos)]
        got = cache.countries.get((name, code), "")
        if got == "":
            got = cache.countries[(name, code)] = (index.get(name) if name else None) or (
                iso_country(code, index) if code else None
            )
        if got is None:
            raise NotVouched  # an unknown country: the row reader reports it
        found_country.append(got)
    by_country = _codes(found_country, vocab)[ci.reshape(-1)]
    sides = []

    def of_actor(name: str | None) -> str | None:
        return (actor_country(name, index) or "") if name else None

    for actor in (actor1, actor2):
        found, ai = by_value(actor, of_actor, cache.actors)
        codes = np.array(
            [-2 if f is None else (vocab.setdefault(f, len(vocab)) if f else -1) for f in found],
            dtype=np.int64,
        )[ai]
        # -2: no actor named (absent side); -1: named, of no known country (the event's)
        sides.append(np.where(codes == -1, by_country, codes))
    first, second = sides
    neither = (first == -2) & (second == -2)
    first = np.where(neither, by_country, first)
    first[first == -2] = -1
    second[second == -2] = -1
    # each distinct pair of sides once: its list, both sides once each
    width = len(vocab) + 1
    pairs, pi = np.unique((first + 1) * width + (second + 1), return_inverse=True)
    actors = list(vocab)
    lists = [
        list(dict.fromkeys(actors[s] for s in (p // width - 1, p % width - 1) if s >= 0))
        for p in pairs.tolist()
    ]
    return pa.array(lists, pa.list_(_TEXT)).take(pa.array(pi.reshape(-1)))


def _codes(values: list[Any], vocab: dict[str, int]) -> np.ndarray[Any, Any]:
    """Each value's index in ``vocab`` (added if new)."""
    return np.array([vocab.setdefault(v, len(vocab)) for v in values], dtype=np.int64)
