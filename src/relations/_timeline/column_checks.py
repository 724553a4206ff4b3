"""Column-wise checks of a table of records' optional fields, as the event constructor checks them.

:func:`relations._timeline.columns.from_table` checks the required fields itself; the
optional ones are checked here, each column at once (each distinct actor name, source date
and publisher once). A column whose every row reads back as itself is *lazy*: its rows'
events are built only when asked for. Rows this module cannot vouch for (a float measure's
whole numbers, when the source's text is not at hand; a column of an unexpected type) are
decoded at load by the checked reader (and any error then makes the whole table go to the
record-by-record reader, which reports it with its line).

>>> import pyarrow as pa
>>> t = pa.table({"status": ["reported", None], "summary": ["a", None],
...               "measures": [{"m": 1.5}, {"m": 3.0}]})
>>> lazy, eager = optional_verdicts(t, ["status", "summary", "measures"], np.zeros(2, dtype=bool))
>>> lazy, eager.to_pylist()
(('status', 'summary', 'measures'), [False, True])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations._arrow import numpy_of, scalar
from relations.actors import resolve_code
from relations.errors import RelationsError
from relations.events import Status
from relations.quantities import Quantity
from relations.when import When

__all__ = ["few_actors_by_row", "optional_verdicts", "plain_type", "whole_floats"]

_SEP = "\x1f"  # no valid tag has it (see relations._timeline.columns)
_TRUE, _FALSE, _ZERO = scalar(True), scalar(False), scalar(0)
_ZERO32 = pa.Array.from_buffers(pa.int32(), 1, [None, pa.py_buffer(bytes(4))])[0]


def few_actors_by_row(
    actor_lists: list[tuple[str, ...]], codes: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """True for each row (``codes`` into ``actor_lists``) with fewer than two actors."""
    few: np.ndarray[Any, Any] = np.array([len(a) < 2 for a in actor_lists], dtype=bool)
    out: np.ndarray[Any, Any] = few[codes]
    return out


def optional_verdicts(
    rows: pa.Table,
    names: list[str],
    few_actors: np.ndarray[Any, Any],
    *,
    whole_lazy: bool = False,
) -> tuple[tuple[str, ...], Any] | None:
    """The optional columns ``names`` of ``rows`` checked: ``(lazy, eager)``, or None when
    some row is invalid (the checked reader reports it).

    ``lazy`` names the columns checked column-wise; ``eager`` is None or a boolean array of
    the rows to decode now (by the checked reader). ``few_actors`` marks the rows with fewer
    than two actors (``directed`` needs two). With ``whole_lazy``, a float measure's whole
    numbers stay lazy too (the caller finds which were written as ints: :func:`whole_floats`).
    """
    if "quantities" in names and not _quantities_ok(rows.column("quantities")):
        return None
    eager = None
    lazy = []
    for n in names:
        if n == "quantities":
            continue
        col = rows.column(n)
        verdict = _checked_optional(n, col, few_actors)
        if whole_lazy and n == "measures" and verdict is not False:
            verdict = True
        if verdict is False:
            return None
        if verdict is not True:
            mask = verdict if verdict is not None else pc.is_valid(col)
            eager = mask if eager is None else pc.or_(eager, mask)
        if verdict is not None:
            lazy.append(n)
    return tuple(lazy), eager


def plain_type(t: pa.DataType, *, nested: bool = False) -> bool:
    """True for JSON's own types (text, numbers, booleans, lists and objects of them); inside
    an object also a timestamp (Arrow's JSON reader reads a text like ``"2024-06-19"`` in an
    inferred object as one: the field's check then sends its rows to the checked reader).
    """
    if pa.types.is_struct(t):
        return all(plain_type(t.field(i).type, nested=True) for i in range(t.num_fields))
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return plain_type(t.value_type, nested=nested)
    return bool(
        pa.types.is_string(t)
        or pa.types.is_int64(t)
        or pa.types.is_float64(t)
        or pa.types.is_boolean(t)
        or (nested and pa.types.is_timestamp(t))
    )


_Q_FIELDS = frozenset({"unit", "value", "low", "high", "approximate"})


def _quantities_ok(col: pa.ChunkedArray) -> bool:
    """True if every row's quantities read back as themselves (Quantity's rules, column-wise)."""
    t = col.type
    if not pa.types.is_struct(t):
        return False
    for i in range(t.num_fields):
        f = t.field(i)
        if not f.name or not pa.types.is_struct(f.type):
            return False
        names = {f.type.field(j).name for j in range(f.type.num_fields)}
        if not names <= _Q_FIELDS or "unit" not in names:
            return False
        q = pc.struct_field(col, [i])
        valid = pc.is_valid(q)

        def part(name: str, q: Any = q, names: set[str] = names) -> Any:
            return pc.struct_field(q, name) if name in names else None

        for name in ("value", "low", "high"):
            p = part(name)
            if p is not None and not pa.types.is_int64(p.type):
                return False
        a = part("approximate")
        if a is not None and not pa.types.is_boolean(a.type):
            return False
        unit = part("unit")
        if not pa.types.is_string(unit.type):
            return False
        if pc.any(pc.and_(valid, pc.is_null(unit))).as_py():
            return False
        for u in pc.unique(pc.drop_null(pc.filter(unit, valid))).to_pylist():
            try:
                if Quantity(1, u).unit != u:
                    return False
            except RelationsError:
                return False
        v, lo, hi = part("value"), part("low"), part("high")
        known = [x for x in (v, lo, hi) if x is not None]
        if not known:
            return False
        has = pc.is_valid(known[0])
        for x in known[1:]:
            has = pc.or_(has, pc.is_valid(x))
        bad = pc.and_(valid, pc.invert(has))
        if lo is not None and hi is not None:
            bad = pc.or_kleene(bad, pc.greater(lo, hi))
        if hi is not None:
            alone = pc.and_(pc.less(hi, _ZERO), pc.is_null(v) if v is not None else _TRUE)
            if lo is not None:
                alone = pc.and_kleene(alone, pc.is_null(lo))
            bad = pc.or_kleene(bad, alone)
        if v is not None and lo is not None:
            bad = pc.or_kleene(bad, pc.less(v, lo))
        if v is not None and hi is not None:
            bad = pc.or_kleene(bad, pc.greater(v, hi))
        if pc.any(pc.fill_null(bad, _FALSE)).as_py():
            return False
    return True


_STATUS_TEXTS = frozenset(s.value for s in Status)


def _checked_optional(name: str, col: pa.ChunkedArray, few_actors: np.ndarray[Any, Any]) -> Any:
    """Column ``name`` checked as the event constructor checks it, column-wise: True (every
    row reads back as itself: build its events on demand), False (some row is invalid: the
    checked reader reports it), a boolean array (the rows to read now, by the checked reader;
    the others are fine) or None (this column is not checked column-wise: read its rows now).
    """
    t = col.type
    if name == "status":
        if not pa.types.is_string(t):
            return False
        return set(pc.unique(pc.drop_null(col)).to_pylist()) <= _STATUS_TEXTS
    if name == "directed":
        if not pa.types.is_boolean(t):
            return False
        directed = numpy_of(pc.fill_null(col, _FALSE))
        return not (directed & few_actors).any()
    if name == "tags":
        if not (pa.types.is_list(t) and pa.types.is_string(t.value_type)):
            return False
        items = pc.list_flatten(col)
        if items.null_count or pc.any(pc.match_substring(items, _SEP)).as_py():
            return None
        if pc.any(pc.equal(pc.utf8_length(items), _ZERO32)).as_py():
            return False  # the constructor's rule: each tag is non-empty text
        for text in pc.unique(items).to_pylist():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate
                return False
        return True
    if name == "measures":
        return _checked_measures(col)
    if name in ("summary", "location"):
        return True if pa.types.is_string(t) else None  # ("" reads as no location, as here)
    if name == "links":
        items = _texts_of(t, col)
        if items is None:
            return None
        return not pc.any(pc.equal(pc.utf8_length(items), _ZERO32)).as_py()
    if name == "claimed_by":
        return _checked_claimed_by(col)
    if name == "sources":
        return _checked_sources(col)
    if name == "extra":
        if not pa.types.is_struct(t):
            return None
        # Text to text: every key present in some row is a text field (a JSON null is never
        # here: the JSON Lines reader sends a file with "null" in it to the checked reader).
        # A text Arrow read as a timestamp: its rows are read now, from the source's text.
        eager = None
        for i in range(t.num_fields):
            ft = t.field(i).type
            if pa.types.is_timestamp(ft):
                has = pc.is_valid(pc.struct_field(col, [i]))
                eager = has if eager is None else pc.or_(eager, has)
            elif not pa.types.is_string(ft):
                return None
        return True if eager is None else eager
    return None


def _texts_of(t: pa.DataType, col: pa.ChunkedArray) -> Any:
    """The items of a list-of-text column, flattened; None if it is not one or an item is null."""
    if not (pa.types.is_list(t) and pa.types.is_string(t.value_type)):
        return None
    items = pc.list_flatten(col)
    return None if items.null_count else items


def _checked_claimed_by(col: pa.ChunkedArray) -> Any:
    """Each distinct name resolved once (any actor name is allowed: the event keeps its code);
    False if one is unknown or a row names an actor twice."""
    items = _texts_of(col.type, col)
    if items is None:
        return None
    if not len(items):
        return True
    enc = pc.dictionary_encode(items)
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    try:
        codes = [resolve_code(name) for name in enc.dictionary.to_pylist()]
    except RelationsError:
        return False
    if pc.max(pc.list_value_length(col)).as_py() < 2:
        return True  # (one name per row: none can repeat)
    index: dict[str, int] = {}
    code_of = np.array([index.setdefault(c, len(index)) for c in codes], dtype=np.int64)
    # A row naming one actor twice (two names of one actor too): (row, code) pairs repeat.
    rows = numpy_of(pc.list_parent_indices(col)).astype(np.int64)
    pairs = rows * len(index) + code_of[numpy_of(enc.indices)]
    return len(np.unique(pairs)) == len(pairs)


_SOURCE_FIELDS = frozenset({"publisher", "title", "url", "published", "quote"})


def _checked_sources(col: pa.ChunkedArray) -> Any:
    """Sources as :meth:`relations.Source.from_dict` reads them: known keys, every field
    text, a non-blank publisher in each, http(s) URLs, each distinct date read once."""
    t = col.type
    if not (pa.types.is_list(t) and pa.types.is_struct(t.value_type)):
        return None
    st = t.value_type
    names = {st.field(i).name for i in range(st.num_fields)}
    if not names <= _SOURCE_FIELDS:
        return False  # an unknown key
    if not all(pa.types.is_string(st.field(i).type) for i in range(st.num_fields)):
        return False  # (a date Arrow read as a timestamp too: the checked reader reads it)
    items = pc.list_flatten(col)
    if items.null_count:
        return None
    if not len(items):
        return True
    if "publisher" not in names:
        return False
    publisher = pc.struct_field(items, "publisher")
    if publisher.null_count:
        return False
    # (each distinct publisher once, with Python's own idea of blank: the constructor's)
    if not all(p.strip() for p in pc.unique(publisher).to_pylist()):
        return False
    if "url" in names:
        url = pc.drop_null(pc.struct_field(items, "url"))
        web = pc.or_(pc.starts_with(url, "http://"), pc.starts_with(url, "https://"))
        if pc.any(pc.invert(web)).as_py():  # (not "not all": all() of no rows is null)
            return False
    if "published" in names:
        dates = pc.unique(pc.drop_null(pc.struct_field(items, "published")))
        try:
            for text in dates.to_pylist():
                When.coerce(text)
        except (RelationsError, ValueError, TypeError):
            return False
    return True


def whole_floats(col: pa.ChunkedArray | pa.Array) -> dict[str, np.ndarray[Any, Any]]:
    """Each float field of a (checked) measures column with whole numbers: its rows holding
    one (Arrow reads a JSON ``3`` in a float field as ``3.0``; the text says which it was).

    >>> m = pa.array([{"a": 1.5, "b": 2}, {"a": 3.0, "b": 4}])
    >>> {k: v.tolist() for k, v in whole_floats(m).items()}
    {'a': [False, True]}
    """
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    t = arr.type
    out = {}
    for i in range(t.num_fields):
        if not pa.types.is_float64(t.field(i).type):
            continue
        x = pc.struct_field(arr, [i])
        whole = numpy_of(pc.fill_null(pc.equal(pc.floor(x), x), _FALSE))
        if whole.any():
            out[t.field(i).name] = whole
    return out


def _checked_measures(col: pa.ChunkedArray) -> Any:
    """Measures column-wise (see :func:`_checked_optional`): a float column's whole numbers
    are read now, as the checked reader reads the record (the text "3" is an int, "3.0" a
    float; Arrow reads both as 3.0)."""
    t = col.type
    if not pa.types.is_struct(t):
        return False
    eager = None
    arr = col.combine_chunks()
    for i in range(t.num_fields):
        f = t.field(i)
        if not f.name:
            return False
        x = pc.struct_field(arr, [i])
        if pa.types.is_int64(f.type):
            continue
        if not pa.types.is_float64(f.type):
            return False
        if not pc.all(pc.is_finite(pc.drop_null(x))).as_py():
            return False
        whole = pc.fill_null(pc.equal(pc.floor(x), x), _FALSE)
        eager = whole if eager is None else pc.or_(eager, whole)
    return True if eager is None or not pc.any(eager).as_py() else eager
