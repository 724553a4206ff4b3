"""The columnar layout, version 2: the one Arrow schema every columnar file of events has.

A layout table has the 21 *record columns* of :data:`RECORD_COLUMNS` (exactly
:func:`relations.formats.arrow.arrow_schema`; they round-trip every event) followed by the
*engine columns*, typed so that any SQL engine can filter and aggregate without parsing JSON:

- ``source``, ``target``: the first and second actor of a directed event, else null;
- ``quantity.N.value|low|high`` (``int64`` when the JSON numbers of that column are all
  integers, else ``float64``), ``quantity.N.unit`` (``string``),
  ``quantity.N.approximate`` (``bool``) for each quantity name ``N`` in the table, sorted;
- ``measure.M`` (``int64`` or ``float64`` by the same rule) for each measure name, sorted.

The schema metadata says ``relations.schema = "1"`` and ``relations.layout = "2"``
(:data:`LAYOUT_VERSION`); a reader refuses a newer layout with
:class:`~relations.errors.UnsupportedLayout` (:func:`check_version`). The full reference is
``docs/reference/columnar-layout.md``.

>>> import pytest; _ = pytest.importorskip("pyarrow")
>>> from relations import Event, Quantity
>>> from relations.formats.arrow import to_arrow
>>> t = engine_columns(to_arrow([Event("2024", "arms.transfer", ["PRK", "RUS"], "Shells",
...     directed=True, quantities={"shells": Quantity.about(1000, "shells")})]))
>>> t.column_names[len(RECORD_COLUMNS):]
['source', 'target', 'quantity.shells.value', 'quantity.shells.low', 'quantity.shells.high', 'quantity.shells.unit', 'quantity.shells.approximate']
>>> t.column("quantity.shells.value").to_pylist(), t.schema.metadata[b"relations.layout"]
([1000], b'2')
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from relations.errors import UnsupportedLayout
from relations.formats._optional import require

__all__ = [
    "LAYOUT_VERSION",
    "RECORD_COLUMNS",
    "check_version",
    "engine_columns",
    "json_objects",
    "layout_schema",
    "layout_version",
    "quantity_columns",
    "record_schema",
    "with_metadata",
]

#: The version of the layout this library writes (and the newest it reads).
LAYOUT_VERSION = 2
#: Part 1 of the layout: the record columns, in order (the table of ``to_arrow(events)``).
RECORD_COLUMNS: tuple[str, ...] = (
    "id",
    "when",
    "earliest",
    "latest",
    "lo",
    "hi",
    "precision",
    "kind",
    "actors",
    "title",
    "directed",
    "status",
    "summary",
    "location",
    "claimed_by",
    "tags",
    "links",
    "quantities",
    "measures",
    "sources",
    "extra",
)
#: The fields of one quantity, in column order.
QUANTITY_FIELDS: tuple[str, ...] = ("value", "low", "high", "unit", "approximate")
_NUMBERS = ("value", "low", "high")
METADATA: dict[bytes, bytes] = {
    b"relations.schema": b"1",
    b"relations.layout": str(LAYOUT_VERSION).encode(),
}


def record_schema() -> Any:
    """The Arrow schema of the record columns (``relations.formats.arrow.arrow_schema``).

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> record_schema().names == list(RECORD_COLUMNS)
    True
    """
    pa = require("pyarrow", "arrow")
    text = pa.string()
    names = pa.list_(pa.string())
    return pa.schema(
        [
            pa.field("id", text, nullable=False),
            pa.field("when", text, nullable=False),
            pa.field("earliest", pa.date32()),
            pa.field("latest", pa.date32()),
            pa.field("lo", pa.int64(), nullable=False),
            pa.field("hi", pa.int64(), nullable=False),
            pa.field("precision", text, nullable=False),
            pa.field("kind", text, nullable=False),
            pa.field("actors", names, nullable=False),
            pa.field("title", text, nullable=False),
            pa.field("directed", pa.bool_(), nullable=False),
            pa.field("status", text, nullable=False),
            pa.field("summary", text, nullable=False),
            pa.field("location", text),
            pa.field("claimed_by", names, nullable=False),
            pa.field("tags", names, nullable=False),
            pa.field("links", names, nullable=False),
            pa.field("quantities", text),
            pa.field("measures", text),
            pa.field("sources", text),
            pa.field("extra", text),
        ],
        metadata={"relations.schema": "1"},
    )


def quantity_columns(name: str) -> list[str]:
    """The engine column names of quantity ``name``, in order.

    >>> quantity_columns("usd")
    ['quantity.usd.value', 'quantity.usd.low', 'quantity.usd.high', 'quantity.usd.unit', 'quantity.usd.approximate']
    """
    return [f"quantity.{name}.{f}" for f in QUANTITY_FIELDS]


def layout_schema(
    quantity_names: Iterable[str] = (),
    measure_names: Iterable[str] = (),
    *,
    integers: Iterable[str] = (),
) -> Any:
    """The Arrow schema of a layout table with these quantity and measure names (sorted).

    Number columns are ``float64`` unless named in ``integers`` (then ``int64``).

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> s = layout_schema(["usd"], ["goldstein"], integers=["quantity.usd.value"])
    >>> [(f.name, str(f.type)) for f in s][21:24], [str(f.type) for f in s][-1]
    ([('source', 'string'), ('target', 'string'), ('quantity.usd.value', 'int64')], 'double')
    """
    pa = require("pyarrow", "arrow")
    ints = set(integers)

    def number(name: str) -> Any:
        return pa.field(name, pa.int64() if name in ints else pa.float64())

    fields = list(record_schema())
    fields += [pa.field("source", pa.string()), pa.field("target", pa.string())]
    for n in sorted(set(quantity_names)):
        value, low, high, unit, approximate = quantity_columns(n)
        fields += [number(value), number(low), number(high)]
        fields += [pa.field(unit, pa.string()), pa.field(approximate, pa.bool_())]
    fields += [number(f"measure.{m}") for m in sorted(set(measure_names))]
    return pa.schema(fields, metadata=METADATA)


def with_metadata(table: Any) -> Any:
    """``table`` with the layout's schema metadata (the other metadata kept).

    >>> import pyarrow as pa
    >>> layout_version(with_metadata(pa.table({"id": ["a"]})).schema) == LAYOUT_VERSION
    True
    """
    meta = dict(table.schema.metadata or {})
    meta.update(METADATA)
    return table.replace_schema_metadata(meta)


def layout_version(schema: Any) -> int | None:
    """The layout version a schema's metadata states (1 for a table with only the record
    schema's metadata), or None for a table not written by this library.

    >>> import pyarrow as pa
    >>> from relations import Event
    >>> from relations.formats.arrow import to_arrow
    >>> t = [Event("2024", "trade", ["RUS"], "T")]
    >>> layout_version(to_arrow(t).schema), layout_version(to_arrow(t, engine_columns=True).schema)
    (1, 2)
    >>> layout_version(pa.schema([])) is None
    True
    """
    meta = schema.metadata or {}
    v = meta.get(b"relations.layout")
    if v is None:
        return 1 if b"relations.schema" in meta else None
    try:
        return int(v)
    except ValueError:
        return -1


def check_version(schema: Any, where: str) -> None:
    """Raise :class:`~relations.errors.UnsupportedLayout` if ``schema`` is of a layout
    newer than :data:`LAYOUT_VERSION` (or unreadable); ``where`` names the file.

    >>> import pytest; pa = pytest.importorskip("pyarrow")
    >>> check_version(pa.schema([], metadata={"relations.layout": "3"}), "x.parquet")
    Traceback (most recent call last):
    ...
    relations.errors.UnsupportedLayout: x.parquet: columnar layout version 3 is newer than this library reads (2); upgrade relations
    """
    v = layout_version(schema)
    if v is None or 1 <= v <= LAYOUT_VERSION:
        return
    raw = (schema.metadata or {}).get(b"relations.layout", b"").decode("utf-8", "replace")
    if v == -1:
        raise UnsupportedLayout(f"{where}: columnar layout version {raw!r} is not a number")
    raise UnsupportedLayout(
        f"{where}: columnar layout version {raw} is newer than this library reads "
        f"({LAYOUT_VERSION}); upgrade relations"
    )


# ---- the engine columns --------------------------------------------------------------------


def _scatter(pa: Any, values: Any, valid: Any, n: int) -> Any:
    """``values`` (one per valid row) spread over ``n`` rows, null where ``valid`` is False."""
    import numpy as np

    mask = np.asarray(valid, dtype=bool)
    idx = np.cumsum(mask, dtype=np.int64) - 1
    return values.take(pa.array(idx, mask=~mask))


def json_objects(texts: Any) -> Any | None:
    """A string array of JSON object texts (no nulls) as one Arrow table, a row per text,
    parsed by Arrow's JSON reader in one pass; None when it cannot (a text that is not one
    JSON object on one line, values Arrow cannot type alike). Needs pyarrow.

    >>> import pytest; pa = pytest.importorskip("pyarrow")
    >>> json_objects(pa.array(['{"a": 1}', '{"a": 2, "b": "x"}'])).to_pylist()
    [{'a': 1, 'b': None}, {'a': 2, 'b': 'x'}]
    """
    pa = require("pyarrow", "arrow")
    import numpy as np
    import pyarrow.compute as pc
    import pyarrow.json as pj

    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if len(texts) == 0 or texts.null_count:
        return None
    try:
        # Each text and "\n" joined element-wise into a fresh array: its data buffer is then
        # exactly the JSON Lines input the reader wants (no Python string per row).
        big = pa.large_string()
        # (the two texts built from buffers: pa.scalar would import pandas, a second of a
        # first load; see relations._arrow)
        offsets = np.array([0, 1, 1], dtype=np.int64)
        nl, empty = pa.Array.from_buffers(
            big, 2, [None, pa.py_buffer(offsets), pa.py_buffer(b"\n")]
        )
        lines = pc.binary_join_element_wise(texts.cast(big), nl, empty)
        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64, count=len(lines) + 1)
        data = lines.buffers()[2].slice(0, int(offsets[-1]))
        table = pj.read_json(
            pa.BufferReader(data),
            read_options=pj.ReadOptions(block_size=max(data.size + 1, 1 << 20)),
        )
    except (pa.ArrowException, ValueError):
        return None
    return table if table.num_rows == len(texts) else None


def _parse_json_column(pa: Any, col: Any) -> tuple[Any, Any] | None:
    """The non-null JSON texts of ``col`` parsed (a row each) and the validity mask, or None
    when Arrow cannot type them (the Python path is used then)."""
    import pyarrow.compute as pc

    valid = pc.is_valid(col).to_numpy(zero_copy_only=False)
    texts = pc.drop_null(col)
    if len(texts) == 0:
        return pa.table({}), valid
    table = json_objects(texts)
    return None if table is None else (table, valid)


def _number(pa: Any, a: Any) -> Any | None:
    t = a.type
    if pa.types.is_null(t):
        return a.cast(pa.int64())
    if pa.types.is_int64(t) or pa.types.is_float64(t):
        return a
    return None


def _from_parsed(pa: Any, table: Any, n: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Quantity and measure engine columns from the parsed ``quantities``/``measures``."""
    import pyarrow.compute as pc

    out_q: dict[str, Any] = {}
    out_m: dict[str, Any] = {}
    q_parsed, m_parsed = table
    if q_parsed is not None:
        parsed, valid = q_parsed
        for name in sorted(parsed.column_names):
            col = parsed.column(name).combine_chunks()
            if not pa.types.is_struct(col.type):
                return None
            present = {col.type.field(i).name for i in range(col.type.num_fields)}
            if not present <= set(QUANTITY_FIELDS):
                return None
            for f, cname in zip(QUANTITY_FIELDS, quantity_columns(name), strict=True):
                if f in present:
                    a = pc.struct_field(col, f)
                    if f in _NUMBERS:
                        a = _number(pa, a)
                    elif f == "unit":
                        a = a.cast(pa.string()) if pa.types.is_null(a.type) else a
                        if not pa.types.is_string(a.type):
                            return None
                    else:
                        a = a.cast(pa.bool_()) if pa.types.is_null(a.type) else a
                        if not pa.types.is_boolean(a.type):
                            return None
                    if a is None:
                        return None
                    out_q[cname] = _scatter(pa, a, valid, n)
                else:
                    t = pa.int64() if f in _NUMBERS else pa.string() if f == "unit" else pa.bool_()
                    out_q[cname] = pa.nulls(n, type=t)
    if m_parsed is not None:
        parsed, valid = m_parsed
        for name in sorted(parsed.column_names):
            a = _number(pa, parsed.column(name).combine_chunks())
            if a is None:
                return None
            out_m[f"measure.{name}"] = _scatter(pa, a, valid, n)
    return out_q, out_m


def _from_python(pa: Any, table: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same columns decoded row by row (JSON numbers Arrow cannot type, e.g. huge ints)."""
    n = table.num_rows

    def rows(col: str) -> list[Any]:
        if col not in table.column_names:
            return [None] * n
        return [None if t is None else json.loads(t) for t in table.column(col).to_pylist()]

    qs, ms = rows("quantities"), rows("measures")
    q_cols: dict[str, list[Any]] = {}
    for i, d in enumerate(qs):
        for name, q in (d or {}).items():
            for f, cname in zip(QUANTITY_FIELDS, quantity_columns(name), strict=True):
                q_cols.setdefault(cname, [None] * n)[i] = q.get(f)
    m_cols: dict[str, list[Any]] = {}
    for i, d in enumerate(ms):
        for name, v in (d or {}).items():
            m_cols.setdefault(f"measure.{name}", [None] * n)[i] = v
    names = sorted({c.rsplit(".", 1)[0][len("quantity.") :] for c in q_cols})
    out_q = {}
    for name in names:
        for f, cname in zip(QUANTITY_FIELDS, quantity_columns(name), strict=True):
            out_q[cname] = _typed(pa, q_cols.get(cname, [None] * n), f)
    out_m = {c: _typed(pa, m_cols[c], "value") for c in sorted(m_cols)}
    return out_q, out_m


def _typed(pa: Any, values: list[Any], field: str) -> Any:
    if field == "unit":
        return pa.array(values, type=pa.string())
    if field == "approximate":
        return pa.array(values, type=pa.bool_())
    if all(v is None or (isinstance(v, int) and -(2**63) <= v < 2**63) for v in values):
        return pa.array(values, type=pa.int64())
    return pa.array([None if v is None else float(v) for v in values], type=pa.float64())


def _source_target(pa: Any, table: Any) -> tuple[Any, Any]:
    import pyarrow.compute as pc

    actors = table.column("actors")
    directed = table.column("directed")
    source = pc.if_else(directed, pc.list_element(actors, 0), pa.scalar(None, pa.string()))
    two = pc.greater_equal(pc.list_value_length(actors), 2)
    # list_element fails on a shorter list: pick the second actor only where there is one.
    padded = pc.list_element(pc.if_else(two, actors, pa.scalar([None, None], actors.type)), 1)
    target = pc.if_else(pc.and_(directed, two), padded, pa.scalar(None, pa.string()))
    return source, target


def engine_columns(table: Any) -> Any:
    """``table`` (the record columns) with the engine columns appended and the layout's
    metadata: computed with Arrow compute from ``actors``/``directed`` and the JSON text of
    ``quantities``/``measures`` (parsed in one pass by Arrow's JSON reader). Engine columns
    already in ``table`` are replaced. Needs pyarrow.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> from relations import Event
    >>> from relations.formats.arrow import to_arrow
    >>> t = engine_columns(to_arrow([Event("2024", "trade", ["RUS", "PRK"], "T", id="t",
    ...                                    directed=True, measures={"tone": 1.5})]))
    >>> t.column("source")[0].as_py(), t.column("target")[0].as_py(), t.column("measure.tone")[0].as_py()
    ('RUS', 'PRK', 1.5)
    """
    pa = require("pyarrow", "arrow")
    records = table.select([c for c in table.column_names if c in RECORD_COLUMNS])
    n = records.num_rows
    source, target = _source_target(pa, records)
    parsed = []
    ok = True
    for col in ("quantities", "measures"):
        if col in records.column_names:
            p = _parse_json_column(pa, records.column(col))
            ok = ok and p is not None
            parsed.append(p)
        else:
            parsed.append(None)
    got = _from_parsed(pa, tuple(parsed), n) if ok else None
    q_cols, m_cols = got if got is not None else _from_python(pa, records)
    added = {"source": source, "target": target, **q_cols, **m_cols}
    fields = [*records.schema, *(pa.field(k, v.type) for k, v in added.items())]
    schema = pa.schema(fields, metadata=records.schema.metadata)
    return with_metadata(pa.Table.from_arrays([*records.columns, *added.values()], schema=schema))


def engine_names(names: Iterable[str]) -> list[str]:
    """The engine columns among ``names`` (everything after the record columns)."""
    return [c for c in names if c not in RECORD_COLUMNS]
