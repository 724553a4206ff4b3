"""A root timeline's events held as Arrow columns, in timeline order; Event objects on demand.

:class:`Columns` is what a timeline read by the columnar readers holds instead of a tuple of a
million :class:`~relations.Event` objects: an Arrow table of the canonical record's fields in
``(lo, hi, id)`` order, the ``lo``/``hi`` day columns (``array('q')``, what the range queries
bisect) and a list slot per position for the events built so far. :func:`from_table` checks
a table of records column-wise (each distinct ``when``, kind and actor list once) and sorts it
with array operations; it returns None when a record needs the checked, record-by-record
reader (the caller then uses it, so every error and warning is exactly that reader's).

>>> import pyarrow as pa
>>> t = pa.table({"id": ["b", "a"], "when": ["2024", "2023"], "kind": ["trade", "trade"],
...               "actors": [["RUS", "PRK"], ["RUS"]], "title": ["B", "A"]})
>>> cols = from_table(t)
>>> cols.ids(), list(cols.lo) == [cols.event(0).when.lo, cols.event(1).when.lo]
(('a', 'b'), True)
>>> {k: list(v) for k, v in cols.postings("actor").items()}
{'RUS': [0, 1], 'PRK': [1]}
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relations._arrow import ints, numpy_of, scalar, texts
from relations._timeline.column_checks import (
    few_actors_by_row,
    optional_verdicts,
    plain_type,
    whole_floats,
)
from relations._timeline.order import id_order, text_chunks, timeline_order
from relations.actors import resolve_code
from relations.aggregate.columnar import KeyColumn, ValueColumn
from relations.errors import RelationsError
from relations.events import SCHEMA_VERSION, Event, Status
from relations.keys import key_function
from relations.kinds import validate_kind
from relations.record import KEYS as RECORD_KEYS
from relations.record import decode_event, trusted_event
from relations.when import When

__all__ = ["Columns", "from_table"]

_REQUIRED = ("id", "when", "kind", "actors", "title")
#: The event fields a key can be computed from, column-wise (see :data:`relations.keys.FIELDS`).
_KEY_FIELDS = frozenset({"actors", "kind", "directed", "status", "tags"})
_SEP = "\x1f"  # joins a list's texts into one (a unit separator: no valid text has it)
# Arrow scalars made once, from buffers (see relations._arrow).
_SEP_SCALAR, _TRUE, _FALSE, _ONE, _ZERO = (
    scalar(_SEP),
    scalar(True),
    scalar(False),
    scalar(1),
    scalar(0),
)
_ZERO32 = pa.Array.from_buffers(pa.int32(), 1, [None, pa.py_buffer(bytes(4))])[0]
_ZERO_FLOAT = pa.Array.from_buffers(pa.float64(), 1, [None, pa.py_buffer(bytes(8))])[0]


class _Probe:
    """What a key function reads of an event, for one distinct combination of fields (the
    fields not set keep an event's defaults)."""

    actors: tuple[str, ...] = ()
    kind = ""
    directed = False
    status = Status.REPORTED
    tags: tuple[str, ...] = ()


def _small(codes: np.ndarray[Any, Any], n: int) -> np.ndarray[Any, Any]:
    """``codes`` (each below ``n``) in the smallest unsigned type: numpy sorts 8- and 16-bit
    integers stably by radix, several times faster than 64-bit ones."""
    if n <= 2**8:
        return codes.astype(np.uint8)
    if n <= 2**16:
        return codes.astype(np.uint16)
    return codes


class Columns(Sequence[Event]):
    """The events of a root timeline as columns; :meth:`event` builds (and keeps) one.

    The record's fields stay in the rows of the file (``rows``), in the order read; ``perm``
    (None when the file was in timeline order) gives the file row of each timeline position,
    and :meth:`column` a field in timeline order. Only what the engine reads for every query
    is held in timeline order: the day columns ``lo``/``hi`` and, as codes into their distinct
    values, ``actors`` (``actor_lists``/``actor_codes``) and ``kind`` (``kinds``/``kind_codes``).
    Reordering the whole table (ids, titles, nested lists) cost more than half of a load.
    """

    __slots__ = (
        "_built",
        "_fields",
        "_ids",
        "_ints",
        "_perm",
        "_rows",
        "actor_codes",
        "actor_lists",
        "hi",
        "kind_codes",
        "kinds",
        "lazy",
        "lo",
    )

    def __init__(
        self,
        rows: pa.Table,
        perm: np.ndarray[Any, Any] | None,
        lo: array[int],
        hi: array[int],
        built: list[Event | None],
        actor_lists: list[tuple[str, ...]],
        actor_codes: np.ndarray[Any, Any],
        kinds: list[str],
        kind_codes: np.ndarray[Any, Any],
    ) -> None:
        self._rows = rows
        self._perm = perm
        self.lo = lo
        self.hi = hi
        self._built = built
        self._ids: tuple[str, ...] | None = None
        self._fields: dict[str, tuple[list[Any], np.ndarray[Any, Any]]] = {}
        #: Optional columns checked column-wise: their rows' events are built on demand.
        self.lazy: tuple[str, ...] = ()
        #: Per float measure, the file rows whose source wrote the (whole) number as an int.
        self._ints: dict[str, np.ndarray[Any, Any]] = {}
        self.actor_lists = actor_lists
        self.actor_codes = actor_codes
        self.kinds = kinds
        self.kind_codes = kind_codes

    def __len__(self) -> int:
        return len(self.lo)

    @overload
    def __getitem__(self, pos: int) -> Event: ...
    @overload
    def __getitem__(self, pos: slice) -> list[Event]: ...
    def __getitem__(self, pos: int | slice) -> Event | list[Event]:
        if isinstance(pos, slice):
            return [self.event(i) for i in range(*pos.indices(len(self)))]
        return self.event(pos if pos >= 0 else pos + len(self))

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events())

    # ---- the record's fields in timeline order -------------------------------------------------

    @property
    def column_names(self) -> list[str]:
        """The record fields held (``id``, ``when``, ``kind``, ``actors``, ``title`` and the
        optional ones some row has), each readable with :meth:`column`."""
        names = self._rows.column_names
        return [*names[:2], "kind", "actors", *names[2:]]  # (rows: id, when, title, ...)

    def column(self, name: str) -> pa.Array | pa.ChunkedArray:
        """Record field ``name`` in timeline order (plain Arrow types: ``when`` as text,
        ``kind`` as text, ``actors`` as lists of text); absent optional values are null.
        KeyError for a field not held (see :attr:`column_names`)."""
        if name == "kind":
            return pa.array(self.kinds, pa.string()).take(pa.array(self.kind_codes))
        if name == "actors":
            lists = pa.array(self.actor_lists, pa.list_(pa.string()))
            return lists.take(pa.array(self.actor_codes))
        col = self._rows.column(name)
        if name == "measures" and self._ints:
            col = _with_ints(col.combine_chunks(), self._ints)
        if name == "when":  # held as a dictionary (a few thousand distinct dates)
            enc = col.combine_chunks()
            return enc.dictionary.take(self._in_order(enc.indices))
        return col if self._perm is None else col.take(ints(self._perm))

    @property
    def table(self) -> pa.Table:
        """Every field held, in timeline order (a new table: prefer :meth:`column`)."""
        names = self.column_names
        return pa.table([self.column(n) for n in names], names=names)

    def _in_order(self, arr: Any) -> Any:
        """A column of file rows (Arrow or numpy) in timeline order."""
        if self._perm is None:
            return arr
        if isinstance(arr, np.ndarray):
            return arr[self._perm]
        return arr.take(ints(self._perm))

    def _positions(self, rows_mask: Any) -> np.ndarray[Any, Any]:
        """The timeline positions (ascending) of the file rows where ``rows_mask`` is true."""
        mask = rows_mask
        if not isinstance(mask, np.ndarray):
            mask = numpy_of(mask)
        return np.flatnonzero(self._in_order(mask))

    def row_order(self) -> np.ndarray[Any, Any]:
        """Each timeline position's row in the table the columns were read from."""
        return np.arange(len(self), dtype=np.int64) if self._perm is None else self._perm

    def _row(self, pos: int) -> int:
        return pos if self._perm is None else int(self._perm[pos])

    def ids(self) -> tuple[str, ...]:
        """The event ids, in order (from the column; no event is built)."""
        ids = self._ids
        if ids is None:
            ids = self._ids = tuple(self.column("id").to_pylist())
        return ids

    def ids_at(self, positions: np.ndarray[Any, Any]) -> tuple[str, ...]:
        """The ids at ``positions`` (from the column; the full tuple is not built)."""
        if self._ids is not None:
            ids = self._ids
            return tuple([ids[p] for p in positions.tolist()])
        rows = positions if self._perm is None else self._perm[positions]
        return tuple(self._rows.column("id").take(ints(rows)).to_pylist())

    def _record(self, pos: int) -> dict[str, Any]:
        r = self._row(pos)
        return self._as_record(pos, r, self._rows.slice(r, 1).to_pylist()[0])

    def _records(self, positions: np.ndarray[Any, Any]) -> list[dict[str, Any]]:
        """:meth:`_record` of many positions, their rows converted in one call (a one-row
        slice of a wide table costs about as much as converting a few hundred rows)."""
        rows = positions if self._perm is None else self._perm[positions]
        taken = self._rows.take(ints(rows)).to_pylist()
        return [
            self._as_record(p, r, row)
            for p, r, row in zip(positions.tolist(), rows.tolist(), taken, strict=True)
        ]

    def _as_record(self, pos: int, r: int, row: dict[str, Any]) -> dict[str, Any]:
        """The record of position ``pos`` (file row ``r``) from its row's Python values."""
        if self._ints and row.get("measures") is not None:
            measures = row["measures"]
            for name, written_int in self._ints.items():
                if written_int[r]:
                    measures[name] = int(measures[name])
        d: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "id": row.pop("id"),
            "when": row.pop("when"),
            "kind": self.kinds[self.kind_codes[pos]],
            "actors": list(self.actor_lists[self.actor_codes[pos]]),
            "title": row.pop("title"),
        }
        nested = _NESTED
        for k, v in row.items():
            if v is not None:
                d[k] = _strip(v) if type(v) in nested else v
        return d

    def event(self, pos: int) -> Event:
        """The event at ``pos``, built from its row the first time it is asked for."""
        e = self._built[pos]
        if e is None:
            d = self._record(pos)
            e = (trusted_event(d) if len(d) == 6 else None) or decode_event(d)
            self._built[pos] = e
        return e

    def events(self) -> tuple[Event, ...]:
        """Every event, in order (the ones not built yet are built in bulk, and kept)."""
        built = self._built
        missing = [i for i, e in enumerate(built) if e is None]
        if missing:
            t = self._rows
            at = list(range(len(self))) if self._perm is None else self._perm.tolist()
            ids = t.column("id").to_pylist()
            whens = t.column("when").to_pylist()
            titles = t.column("title").to_pylist()
            kinds, kcodes = self.kinds, self.kind_codes.tolist()
            alists, acodes = self.actor_lists, self.actor_codes.tolist()
            qs: dict[int, Any] = {}
            if "quantities" in t.column_names:
                qcol = t.column("quantities")
                where = self._positions(pc.is_valid(qcol))
                where = where[np.isin(where, missing)]
                rows = where if self._perm is None else self._perm[where]
                taken = qcol.take(ints(rows)).to_pylist()
                qs = dict(zip(where.tolist(), map(_strip, taken), strict=True))
            full: set[int] = set()
            if self.lazy:
                mask = pc.is_valid(t.column(self.lazy[0]))
                for n in self.lazy[1:]:
                    mask = pc.or_(mask, pc.is_valid(t.column(n)))
                positions = self._positions(mask)
                positions = positions[np.isin(positions, missing)]
                for start in range(0, len(positions), _BLOCK):  # (blocks: bounded memory)
                    block = positions[start : start + _BLOCK]
                    for pos, record in zip(block.tolist(), self._records(block), strict=True):
                        built[pos] = decode_event(record)
                full = set(positions.tolist())
            for i in missing:
                if i in full:
                    continue
                r = at[i]
                d = {
                    "schema": SCHEMA_VERSION,
                    "id": ids[r],
                    "when": whens[r],
                    "kind": kinds[kcodes[i]],
                    "actors": alists[acodes[i]],
                    "title": titles[r],
                }
                q = qs.get(i)
                if q is not None:  # checked column-wise: the trusted reader reads it alike
                    d["quantities"] = q
                built[i] = trusted_event(d) or decode_event(d)
        return tuple(cast(list[Event], built))

    def postings(self, name: str) -> dict[Hashable, array[int]] | None:
        """Index ``name`` built with array operations, or None if it needs the events.

        Rows are grouped by their key code (one stable sort); each distinct key tuple's keys
        (its actors, pairs, kind prefixes, ...) then take the union of its rows' positions.
        """
        kc = self.key_column(name)
        if kc is None:
            return None
        # One (key, row) pair per key of each row, sorted by key (stably: rows stay ascending).
        index: dict[Hashable, int] = {}
        flat: list[int] = []
        counts = np.zeros(len(kc.keys), dtype=np.int64)
        for code, keys in enumerate(kc.keys):
            counts[code] = len(keys)
            flat.extend(index.setdefault(k, len(index)) for k in keys)
        if not index:
            return {}
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        per_row = counts[kc.codes]
        rows = np.repeat(np.arange(len(kc.codes), dtype=np.int64), per_row)
        first = np.repeat(np.cumsum(per_row) - per_row, per_row)
        slots = starts[kc.codes][rows] + (np.arange(len(rows), dtype=np.int64) - first)
        key_ids = np.asarray(flat, dtype=np.int64)[slots]
        order = np.argsort(_small(key_ids, len(index)), kind="stable")
        rows = rows[order]
        bounds = np.searchsorted(key_ids[order], np.arange(len(index) + 1)).tolist()
        out: dict[Hashable, array[int]] = {}
        for k, i in index.items():
            a: array[int] = array("q")
            a.frombytes(rows[bounds[i] : bounds[i + 1]].tobytes())
            out[k] = a
        return out

    def posting(self, name: str, key: Hashable) -> array[int] | None:
        """The positions (ascending) of the rows with ``key`` under index ``name``, without
        building the whole index: the distinct values of the one field the key reads that give
        ``key``, then the rows holding one of them (one pass over their codes). None for a key
        read from several fields (:meth:`postings` then builds the index).

        An actor or a dyad is looked for in each distinct actor list (tens of thousands in a
        million events; the key function would be called on each); a key of another field
        calls its key function once per distinct value (a few hundred kinds, statuses, ...).
        """
        kf = key_function(name)
        if kf is None or len(kf[1]) != 1 or kf[1][0] not in _KEY_FIELDS:
            return None
        fn, (field,) = kf
        values: Sequence[Any]
        if field == "actors":
            values, codes = self.actor_lists, self.actor_codes
            if name == "actor":
                match = [i for i, t in enumerate(values) if key in t]
            elif name == "dyad":  # the sorted pair of two actors of a list
                if not (_pair_of_texts(key) and key[0] < key[1]):  # type: ignore[index]
                    return array("q")
                a, b = cast(tuple[str, str], key)
                match = [i for i, t in enumerate(values) if a in t and b in t]
            else:
                return None
        else:
            values, codes = self._field(field)
            match = []
            for i, v in enumerate(values):
                probe = _Probe()
                setattr(probe, field, v)
                if key in fn(cast(Event, probe)):
                    match.append(i)
        if not match:
            return array("q")
        if len(match) == 1:
            found = np.flatnonzero(codes == match[0])
        else:
            hit = np.zeros(len(values), dtype=bool)
            hit[match] = True
            found = np.flatnonzero(hit[codes])
        out: array[int] = array("q")
        out.frombytes(found.astype(np.int64, copy=False).tobytes())
        return out

    # ---- columns for aggregation (relations.aggregate.columnar) ------------------------------

    def columnar(self, what: str, name: str) -> KeyColumn | ValueColumn | None:
        """The key (``what="key"``), quantity or measure column ``name``; None if it needs
        the events."""
        if what == "key":
            return self.key_column(name)
        if what == "quantity":
            return self.quantity_column(name)
        return self.measure_column(name)

    def _field(self, field: str) -> tuple[list[Any], np.ndarray[Any, Any]]:
        """The distinct values of an event field and each row's code (``int64``)."""
        found = self._fields.get(field)
        if found is not None:
            return found
        t, n = self._rows, len(self)
        values: list[Any]
        if field == "actors":
            values, codes = list(self.actor_lists), self.actor_codes
        elif field == "kind":
            values, codes = list(self.kinds), self.kind_codes
        elif field not in t.column_names:
            default = {"directed": False, "status": Status.REPORTED, "tags": ()}[field]
            values, codes = [default], np.zeros(n, dtype=np.int64)
        elif field == "directed":
            values, codes = _dict_encode(pc.fill_null(t.column(field), False))
        elif field == "status":
            text, codes = _dict_encode(pc.fill_null(t.column(field), Status.REPORTED.value))
            values = [Status(v) for v in text]
        else:  # tags: sorted, distinct (as Event keeps them)
            joined = pc.fill_null(pc.binary_join(t.column(field), _SEP), "")
            text, codes = _dict_encode(joined)
            values = [tuple(sorted(set(v.split(_SEP)))) if v else () for v in text]
        if field not in ("actors", "kind"):  # (those two are held in timeline order)
            codes = self._in_order(codes)
        found = self._fields[field] = (values, codes.astype(np.int64, copy=False))
        return found

    def key_column(self, name: str) -> KeyColumn | None:
        """Each row's keys under ``name``, one key function call per distinct combination of
        the fields it reads; None for a key these columns do not hold."""
        kf = key_function(name)
        if kf is None or not set(kf[1]) <= _KEY_FIELDS:
            return None
        fn, fields = kf
        encoded = [self._field(f) for f in fields]
        values, codes = encoded[0]
        combos: list[tuple[Any, ...]] = [(v,) for v in values]
        for more, more_codes in encoded[1:]:
            joint = codes * len(more) + more_codes
            uniq, codes = np.unique(joint, return_inverse=True)
            codes = codes.astype(np.int64, copy=False)
            combos = [(*combos[u // len(more)], more[u % len(more)]) for u in uniq.tolist()]
        keys = []
        for c in combos:
            probe = _Probe()
            for f, v in zip(fields, c, strict=True):
                setattr(probe, f, v)
            keys.append(tuple(dict.fromkeys(fn(cast(Event, probe)))))
        return KeyColumn(keys, codes)

    def value_names(self) -> tuple[list[str], list[str]]:
        """The quantity and measure names that have a column (some may have no value)."""
        out: list[list[str]] = []
        for column in ("quantities", "measures"):
            t = self._rows.schema.field(column).type if column in self._rows.column_names else None
            out.append(
                sorted(t.field(i).name for i in range(t.num_fields))
                if t is not None and pa.types.is_struct(t)
                else []
            )
        return out[0], out[1]

    def _struct_field(self, column: str, name: str) -> pa.Array | bool | None:
        """Field ``name`` of struct column ``column`` (one array, in file order: the values
        of its present rows are then gathered in timeline order); False if no row has it;
        None if the column is not a struct. Only this field's chunks are joined, not the
        whole struct's (a GDELT file's measures have a dozen fields)."""
        if column not in self._rows.column_names:
            return False
        col = self._rows.column(column)
        t = col.type
        if not pa.types.is_struct(t):
            return None
        if t.get_field_index(name) < 0:
            return False
        field = pc.struct_field(col, name)
        return cast(
            pa.Array, field.combine_chunks() if isinstance(field, pa.ChunkedArray) else field
        )

    def _present(self, values: pa.Array) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """The timeline positions (ascending) where the file-order column ``values`` holds a
        value, and the file row of each: a value column is gathered at its present rows
        only, not put in timeline order whole."""
        where = self._positions(pc.is_valid(values))
        return where, where if self._perm is None else self._perm[where]

    def quantity_column(self, name: str) -> ValueColumn | None:
        """Quantity ``name`` of each row (checked column-wise by :func:`from_table`)."""
        n = len(self)
        q = self._struct_field("quantities", name)
        if q is None or q is True:
            return None
        if q is False:
            zeros = np.zeros(n, dtype=np.int64)
            no = np.zeros(n, dtype=bool)
            return ValueColumn(no, zeros, no, zeros, no, zeros, no, no, [], zeros - 1)
        where, rows = self._present(q)

        def spread(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
            out = np.zeros(n, dtype=values.dtype)
            out[where] = values
            return out

        # Each field is taken alone: a take of the struct (strings and all) costs far more.
        parts = []
        for part in ("value", "low", "high"):
            if q.type.get_field_index(part) < 0:
                parts += [np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)]
                continue
            arr = pc.struct_field(q, part)
            if not pa.types.is_int64(arr.type):
                return None
            parts += [spread(_at(arr, rows, _ZERO)), spread(_valid_at(arr, rows))]
        approx = (
            spread(_at(pc.struct_field(q, "approximate"), rows, _FALSE))
            if q.type.get_field_index("approximate") >= 0
            else np.zeros(n, dtype=bool)
        )
        units = pc.dictionary_encode(pc.struct_field(q, "unit"))
        codes = np.full(n, -1, dtype=np.int64)
        codes[where] = np.where(
            _valid_at(units.indices, rows), _at(units.indices, rows, _ZERO32), -1
        )
        present = np.zeros(n, dtype=bool)
        present[where] = True
        v, v_ok, lo, lo_ok, hi, hi_ok = parts
        units_list = units.dictionary.to_pylist()
        return ValueColumn(present, v, v_ok, lo, lo_ok, hi, hi_ok, approx, units_list, codes)

    def measure_column(self, name: str) -> ValueColumn | None:
        """Measure ``name`` of each row (None if its column is not one of numbers)."""
        n = len(self)
        m = self._struct_field("measures", name)
        if m is None or m is True:
            return None
        if m is False:
            return ValueColumn(np.zeros(n, dtype=bool), np.zeros(n, np.int64))
        if not (pa.types.is_int64(m.type) or pa.types.is_float64(m.type)):
            return None
        where, rows = self._present(m)
        zero = _ZERO if pa.types.is_int64(m.type) else _ZERO_FLOAT
        present = np.zeros(n, dtype=bool)
        present[where] = True
        values = np.zeros(n, dtype=np.int64 if pa.types.is_int64(m.type) else np.float64)
        values[where] = _at(m, rows, zero)
        return ValueColumn(present, values)


def _at(arr: pa.Array, rows: np.ndarray[Any, Any], zero: pa.Scalar) -> np.ndarray[Any, Any]:
    """The values of ``arr`` (numbers or booleans) at ``rows``, ``zero`` where null (a numpy
    gather: several times faster than Arrow's take of scattered rows)."""
    values = numpy_of(pc.fill_null(arr, zero) if arr.null_count else arr)
    return cast(np.ndarray[Any, Any], values[rows])


def _valid_at(arr: pa.Array, rows: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """True at each of ``rows`` where ``arr`` holds a value."""
    if not arr.null_count:
        return np.ones(len(rows), dtype=bool)
    return cast(np.ndarray[Any, Any], _mask(arr)[rows])


def _pair_of_texts(key: Hashable) -> bool:
    """True for a tuple of two texts (the form of a dyad key)."""
    return isinstance(key, tuple) and len(key) == 2 and all(isinstance(x, str) for x in key)


def _with_ints(arr: pa.StructArray, ints: dict[str, np.ndarray[Any, Any]]) -> pa.StructArray:
    """A measures column whose float fields in ``ints`` are held as JSON number text, each
    number as the source wrote it (an int where the mask is true). No Arrow number type holds
    both; the writers, which take numbers, then write from the events, which hold each number
    as written."""
    fields, names = [], []
    for i in range(arr.type.num_fields):
        name = arr.type.field(i).name
        x = arr.field(i)
        written_int = ints.get(name)
        if written_int is not None:
            values = x.to_pylist()
            x = pa.array(
                [
                    None if v is None else repr(int(v) if is_int else v)
                    for v, is_int in zip(values, written_int.tolist(), strict=True)
                ],
                pa.string(),
            )
        fields.append(x)
        names.append(name)
    return pa.StructArray.from_arrays(fields, names, mask=pc.is_null(arr))


def _mask(arr: pa.Array) -> np.ndarray[Any, Any]:
    """True where ``arr`` holds a value."""
    return numpy_of(pc.is_valid(arr))


def _strip(v: Any) -> Any:
    """A value read from Arrow without the nulls of absent struct fields."""
    t = type(v)
    if t is dict:
        return {k: _strip(x) if type(x) in _NESTED else x for k, x in v.items() if x is not None}
    if t is list:
        return [_strip(x) if type(x) in _NESTED else x for x in v]
    return v


_NESTED = (dict, list)
_BLOCK = 8192  # rows converted to Python at a time by Columns.events


def _decoded(col: pa.ChunkedArray | pa.Array, convert: Callable[[Any], Any]) -> list[Any]:
    """``convert`` of each row's value, applied once per distinct value."""
    enc = pc.dictionary_encode(col)
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    values = [convert(v) for v in enc.dictionary.to_pylist()]
    idx = numpy_of(enc.indices).tolist()
    return [values[i] for i in idx]


def _dict_encode(col: pa.ChunkedArray) -> tuple[list[Any], np.ndarray[Any, Any]]:
    """The distinct values of ``col`` and each row's code into them.

    A dictionary-typed column (a Parquet file read with ``read_dictionary``) gives its own
    dictionary, without encoding the rows again: its chunks' dictionaries unified, the
    values no row uses dropped, repeated values merged. ValueError if a row is null.
    """
    if pa.types.is_dictionary(col.type):
        return _own_dictionary(col)
    enc = pc.dictionary_encode(col).combine_chunks()
    return enc.dictionary.to_pylist(), numpy_of(enc.indices)


def _own_dictionary(col: pa.ChunkedArray | pa.Array) -> tuple[list[Any], np.ndarray[Any, Any]]:
    """:func:`_dict_encode` of a dictionary-typed column."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()  # (unifies the chunks' dictionaries)
    if col.null_count:
        raise ValueError("a null value")
    values = col.dictionary.to_pylist()
    codes = numpy_of(col.indices).astype(np.int64)
    used = np.bincount(codes, minlength=len(values)) > 0
    # Distinct used values (a dictionary may repeat a value, hold unused or null ones).
    first: dict[Any, int] = {}
    remap = np.full(len(values), -1, dtype=np.int64)
    for i in np.flatnonzero(used).tolist():
        v = values[i]
        if v is None:
            raise ValueError("a null value")
        remap[i] = first.setdefault(v, len(first))
    if len(first) != len(values):
        codes = remap[codes]
    return list(first), codes


def _check_actors(values: list[Any]) -> list[tuple[str, ...]] | None:
    """Each distinct actor list as a tuple, or None if one is empty, lists an actor twice or
    has a code that is not canonical (each distinct code is resolved once)."""
    out = [tuple(v) for v in values]
    if not all(out) or any(len(set(t)) != len(t) for t in out):
        return None
    codes = set().union(*out)
    if any(resolve_code(c) != c for c in codes):
        return None
    return out


#: Above this many possible packed keys, the distinct actor lists are found by hashing.
_DENSE_KEYS = 1 << 22


def _actor_lists(col: pa.ChunkedArray) -> tuple[list[tuple[str, ...]], np.ndarray[Any, Any]] | None:
    """The distinct actor lists (tuples) and each row's code into them; None if a list is
    empty, lists an actor twice or has a code that is not canonical (UnknownActor if it is
    no actor's).

    The items are dictionary-encoded (a few hundred distinct codes, each resolved once); each
    row's item codes are packed into one integer (``len(codes).bit_length()`` bits per item),
    whose distinct values are the distinct lists: no text is joined or split per list. Lists
    too long to pack take :func:`_check_actors` on the joined texts.
    """
    arr = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    n = len(arr)
    if arr.null_count or not n:
        return None if arr.null_count else ([], np.zeros(0, dtype=np.int64))
    offsets = numpy_of(arr.offsets).astype(np.int64)
    lengths = np.diff(offsets)
    longest = int(lengths.max())
    if int(lengths.min()) == 0:
        return None
    flat = pc.list_flatten(arr)
    if flat.null_count:
        return None
    enc = pc.dictionary_encode(flat)
    names = enc.dictionary.to_pylist()
    if any(resolve_code(c) != c for c in names):
        return None
    bits = len(names).bit_length()  # an item is its code + 1 (0: no item in that slot)
    if longest * bits > 62:
        text, codes = _dict_encode(pc.binary_join(col, _SEP_SCALAR))
        lists = _check_actors([t.split(_SEP) for t in text])
        return None if lists is None else (lists, codes)
    item = numpy_of(enc.indices).astype(np.int64) + 1
    # Slots left-aligned, first item highest: a shorter list ends in empty (zero) slots.
    if int(lengths.min()) == longest:  # lists of one length (dyads, mostly): a matrix
        square = item.reshape(n, longest)
        key = square[:, 0].copy()
        for j in range(1, longest):
            key = (key << bits) | square[:, j]
    else:
        starts = offsets[:-1] - offsets[0]
        key = item[starts]
        for j in range(1, longest):
            slot = np.where(lengths > j, item[np.minimum(starts + j, len(item) - 1)], 0)
            key = (key << bits) | slot
    if 1 << (longest * bits) <= _DENSE_KEYS:
        seen = np.zeros(1 << (longest * bits), dtype=bool)
        seen[key] = True
        distinct = np.flatnonzero(seen)
        index = np.zeros(len(seen), dtype=np.int64)
        index[distinct] = np.arange(len(distinct))
        codes = index[key]
    else:
        denc = pc.dictionary_encode(ints(key))
        distinct = numpy_of(denc.dictionary)
        codes = numpy_of(denc.indices).astype(np.int64)
    # Each distinct key's slots, first to last: no item repeated, then the tuples of names.
    mask = (1 << bits) - 1
    slots = [(distinct >> (bits * (longest - 1 - j))) & mask for j in range(longest)]
    for j in range(1, longest):
        for k in range(j):
            if ((slots[j] == slots[k]) & (slots[j] > 0)).any():
                return None
    named = np.array([None, *names], dtype=object)
    size = sum((s > 0).astype(np.int64) for s in slots)
    out: list[tuple[str, ...]] = [()] * len(distinct)
    for length in np.unique(size).tolist():
        at = np.flatnonzero(size == length)
        made = zip(*(named[slots[j][at]] for j in range(length)), strict=True)
        for i, t in zip(at.tolist(), made, strict=True):
            out[i] = t
    return out, codes


def _may_be_untrimmed(col: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """The texts of ``col`` (no nulls) that are empty or start or end with a byte that is not
    printable ASCII (where any whitespace is), or None if there are none: only those can
    differ from their trimmed selves."""
    parts = []
    for arr, off, buf in text_chunks(col):
        last = len(buf) - 1
        first_byte = buf[np.minimum(off[:-1], last)]
        last_byte = buf[np.clip(off[1:] - 1, 0, last)]
        odd = (off[1:] == off[:-1]) | (first_byte <= 32) | (first_byte >= 127)
        odd |= (last_byte <= 32) | (last_byte >= 127)
        if odd.any():
            parts.append(arr.take(ints(np.flatnonzero(odd))))
    return pa.chunked_array(parts, pa.string()) if parts else None


#: The fields a table may hold dictionary-typed (text values), as Parquet gives them.
_DICTIONARY_FIELDS = frozenset({"when", "kind", "status"})


def _text_dictionary(f: pa.Field) -> bool:
    """True for a field of :data:`_DICTIONARY_FIELDS` held as a dictionary of texts."""
    t = f.type
    return (
        f.name in _DICTIONARY_FIELDS
        and pa.types.is_dictionary(t)
        and pa.types.is_string(t.value_type)
    )


#: A date of day precision, ``YYYY-MM-DD``: numpy reads it (its ``datetime64[D]`` numbering is
#: proleptic Gregorian, year 0 included, as When's); numpy's day 0 is day 719163 of When's.
_PLAIN_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DAY_ZERO = 719163


def _day_bounds(dates: list[str]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The first and last day (``int64``) of each date text; InvalidDate for one that is not
    a date. Plain days are read by numpy at once, the others by :meth:`When.coerce`.

    >>> [a.tolist() for a in _day_bounds(["2024-06-19", "2024", "0001-01-01"])]
    [[739056, 738886, 1], [739056, 739251, 1]]
    """
    plain = np.zeros(len(dates), dtype=bool)
    if dates:
        plain = numpy_of(pc.match_substring_regex(texts(dates), _PLAIN_DAY))
    lo = np.empty(len(dates), dtype=np.int64)
    if plain.any():
        at = np.flatnonzero(plain)
        try:
            days = np.array([dates[i] for i in at.tolist()], dtype="datetime64[D]")
        except ValueError:  # no such day: When says which
            plain[:] = False
        else:
            lo[at] = days.astype(np.int64) + _DAY_ZERO
    hi = lo.copy()
    for i in np.flatnonzero(~plain).tolist():
        w = When.coerce(dates[i])
        lo[i], hi[i] = w.lo, w.hi
    return lo, hi


_Checked = tuple[
    tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]],
    list[str],
    np.ndarray[Any, Any],
    list[str],
    np.ndarray[Any, Any],
    list[tuple[str, ...]],
    np.ndarray[Any, Any],
]


def _required_columns(table: pa.Table, names: list[str], ids: pa.ChunkedArray) -> _Checked | None:
    """The required fields checked column-wise (each distinct date, kind and actor list
    once; each must read back as itself): ``((lo, hi), when_text, when_codes, kinds,
    kind_codes, actor_lists, actor_codes)``, or None when a record needs the checked reader."""
    try:
        # (null: no "schema" in the record, which reads as version 1; a JSON null never gets
        # here: the JSON Lines reader sends a file with "null" in it to the checked reader.)
        schema = table.column("schema") if "schema" in names else None
        if schema is not None and not pc.all(pc.fill_null(pc.equal(schema, _ONE), _TRUE)).as_py():
            return None
        odd = _may_be_untrimmed(ids)
        if odd is not None and not pc.all(pc.equal(pc.utf8_trim_whitespace(odd), odd)).as_py():
            return None
        if odd is not None and pc.any(pc.equal(pc.utf8_length(odd), _ZERO32)).as_py():
            return None
        odd = _may_be_untrimmed(table.column("title"))
        if (
            odd is not None
            and pc.any(pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(odd)), _ZERO32)).as_py()
        ):
            return None
        when_text, when_codes = _dict_encode(table.column("when"))
        bounds = _day_bounds(when_text)
        kinds, kind_codes = _dict_encode(table.column("kind"))
        if any(validate_kind(k) != k for k in kinds):
            return None
        actors = _actor_lists(table.column("actors"))
        if actors is None:
            return None
    except (RelationsError, pa.ArrowException, TypeError, ValueError):
        return None
    return bounds, when_text, when_codes, kinds, kind_codes, actors[0], actors[1]


def from_table(
    table: pa.Table, raw: Callable[[int], dict[str, Any]] | None = None
) -> Columns | None:
    """The columns of a table of canonical records, checked and in timeline order.

    ``raw(row)``, when given, is the record of file row ``row`` exactly as the source wrote
    it (a reader that has the text passes it): the rows built as events at load are decoded
    from it rather than from Arrow's values (Arrow reads a JSON ``3`` in a float column as
    ``3.0``).

    None when any record needs the checked reader (a missing or repeated id, a field it does
    not know, a date, kind or actor list that does not read back as itself, an empty title):
    the caller reads the file record by record then, so every problem is reported exactly as
    that reader reports it.
    """
    names = table.column_names
    if not all(plain_type(f.type) or _text_dictionary(f) for f in table.schema):
        return None
    if "status" in names and pa.types.is_dictionary(table.schema.field("status").type):
        # (checked and keyed as text: a few distinct values, mostly null)
        status = table.column("status").cast(pa.string())
        table = table.set_column(names.index("status"), "status", status)
    if not set(names) <= RECORD_KEYS or not all(f in names for f in _REQUIRED):
        return None
    for f in _REQUIRED:
        if table.column(f).null_count:
            return None
    ids = table.column("id")
    actors_type = table.schema.field("actors").type
    if not (
        pa.types.is_string(ids.type)
        and pa.types.is_string(table.schema.field("title").type)
        and pa.types.is_list(actors_type)
        and pa.types.is_string(actors_type.value_type)
    ):
        return None  # (the checked reader reports a number where text belongs)
    # One chunk of ids (a copy of a few tens of MB): a query's ids are taken from it, and a
    # take from the reader's hundred chunks first joins them (measured: warm q2 0.3 -> 10 ms).
    ids = pa.chunked_array([ids.combine_chunks()])
    # The id order (most of the sort) runs in a worker thread while this one reads the dates,
    # kinds and actors: numpy's sorts and Arrow's kernels let go of the GIL.
    pool = ThreadPoolExecutor(1, thread_name_prefix="relations-order")
    try:
        by_id = pool.submit(id_order, ids)
        checked = _required_columns(table, names, ids)
        if checked is None:
            return None
        (lo_d, hi_d), when_text, when_codes, kinds, kind_codes, actor_lists, actor_codes = checked
        # Timeline order (lo, hi, id), which also finds a repeated id (relations._timeline.order).
        order = timeline_order(ids, lo_d, hi_d, when_codes, by_id.result)
    finally:
        pool.shutdown(wait=False)
    if order is None:
        return None
    perm = None if bool((order == np.arange(len(order))).all()) else order
    in_order = when_codes if perm is None else when_codes[perm]
    # What is kept: the rows as read (not reordered: see Columns), kind and actors as codes into
    # their distinct values (in timeline order, as the engine reads them), the date text as a
    # dictionary (a few thousand distinct dates); the constant schema column goes.
    keep = ["id", "when", "title", *(n for n in names if n not in (*_REQUIRED, "schema"))]
    rows = table.select(keep)
    rows = rows.set_column(0, "id", ids)
    rows = rows.set_column(
        1,
        "when",
        pa.DictionaryArray.from_arrays(
            pa.Array.from_buffers(
                pa.int32(),
                len(when_codes),
                [None, pa.py_buffer(np.ascontiguousarray(when_codes, np.int32))],
            ),
            texts(when_text),
        ),
    )
    lo: array[int] = array("q")
    lo.frombytes(lo_d[in_order].tobytes())
    hi: array[int] = array("q")
    hi.frombytes(hi_d[in_order].tobytes())
    built: list[Event | None] = [None] * table.num_rows
    rows_actors = actor_codes
    cols = Columns(
        rows,
        perm,
        lo,
        hi,
        built,
        actor_lists,
        actor_codes if perm is None else actor_codes[perm],
        kinds,
        kind_codes if perm is None else kind_codes[perm],
    )
    # Quantities and the fields relations._timeline.column_checks knows are checked
    # column-wise (their rows' events are built on demand); rows with other optional fields
    # are read (and checked) now, by the checked reader.
    few = few_actors_by_row(actor_lists, rows_actors)
    verdicts = optional_verdicts(rows, keep[3:], few, whole_lazy=raw is not None)
    if verdicts is None:
        return None
    cols.lazy, eager = verdicts
    if eager is not None:
        for pos in cols._positions(eager).tolist():
            try:
                record = cols._record(pos) if raw is None else raw(cols._row(pos))
                built[pos] = decode_event(record)
            except RelationsError:
                return None
    if raw is not None and "measures" in cols.lazy:
        ints = _written_ints(rows.column("measures").combine_chunks(), raw)
        if ints is None:
            return None
        cols._ints = ints
    return cols


# A measure name searched for in the lines' text: plain, and no other number-valued key of a
# record (the schema, a quantity's parts) has it, so `"name":<number>` is the measure's.
_SEARCHABLE = re.compile(r"[A-Za-z0-9_]+")
_NUMBER_KEYS = frozenset({"schema", "value", "low", "high"})


def _written_ints(
    measures: pa.StructArray, raw: Callable[[int], dict[str, Any]]
) -> dict[str, np.ndarray[Any, Any]] | None:
    """Of the file rows holding a whole number in a float measure (Arrow reads a JSON ``3``
    in a float field as ``3.0``), the ones whose source wrote an int, per measure (only
    measures with some); None if a row's own record does not hold that number (an int a
    float cannot hold exactly: the checked reader then reads the file).

    When ``raw`` has ``lines(rows)`` (the rows' text), each number's text is found in it
    with one regex over those lines; the rest are parsed one by one."""
    whole = whole_floats(measures)
    if not whole:
        return {}
    lines_of = getattr(raw, "lines", None)
    ints, rest = {}, {}
    for name, mask in whole.items():
        x = numpy_of(pc.fill_null(measures.field(name), _ZERO_FLOAT))
        ints[name] = np.zeros(len(mask), dtype=bool)
        rest[name] = mask
        if lines_of is None or not _SEARCHABLE.fullmatch(name) or name in _NUMBER_KEYS:
            continue
        rows = np.flatnonzero(mask & (np.abs(x) < 2.0**53))  # (a float holds these ints)
        number = rf'"{name}"\s*:\s*(?P<n>-?[0-9][0-9.eE+\-]*)'
        text = pc.struct_field(pc.extract_regex(lines_of(rows), number), [0])
        matched = numpy_of(pc.is_valid(text))
        no_point = pc.invert(pc.match_substring_regex(text, "[.eE]"))
        ints[name][rows[matched & numpy_of(pc.fill_null(no_point, _FALSE))]] = True
        rest[name] = mask.copy()
        rest[name][rows[matched]] = False
    slow = np.zeros(len(measures), dtype=bool)
    for mask in rest.values():
        slow |= mask
    for row in np.flatnonzero(slow).tolist():
        try:
            record = raw(row)["measures"]
            for name, mask in rest.items():
                if mask[row] and type(written := record[name]) is int:
                    if written != int(measures.field(name)[row].as_py()):  # (exactly)
                        return None
                    ints[name][row] = True
        except (RelationsError, KeyError, TypeError):
            return None
    return {name: m for name, m in ints.items() if m.any()}
