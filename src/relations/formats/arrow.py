"""Tables: Arrow, pandas and polars, with one fixed, documented schema, both directions.

Every dataframe a Timeline (or any iterable of events) becomes has one row per event and these columns, in this order:

=============== ======================= ====================================================
column          Arrow type              meaning
=============== ======================= ====================================================
``id``          ``string``              event id
``when``        ``string``              the date as canonical EDTF (``2024-10~``)
``earliest``    ``date32`` (nullable)   earliest possible day (null: open/unknown start, or
                                        outside years 1–9999; ``lo`` has it)
``latest``      ``date32`` (nullable)   latest possible day (null: open/unknown end, or
                                        outside years 1–9999; ``hi`` has it)
``lo``          ``int64``               earliest day as a day ordinal (0001-01-01 is 1;
                                        ``relations.when.UNBOUNDED_LO`` if unknown)
``hi``          ``int64``               latest day as a day ordinal (``UNBOUNDED_HI`` if
                                        unknown)
``precision``   ``string``              ``second`` … ``day``, ``month``, ``season``,
                                        ``year``, ``decade``, ``century``, ``millennium``
``kind``        ``string``              dotted kind
``actors``      ``list<string>``        actor codes, in order
``title``       ``string``
``directed``    ``bool``
``status``      ``string``              ``confirmed``, ``reported``, ...
``summary``     ``string``              (empty string for none)
``location``    ``string`` (nullable)
``claimed_by``  ``list<string>``
``tags``        ``list<string>``
``links``       ``list<string>``
``quantities``  ``string`` (nullable)   JSON object, name → quantity dict (as in the JSON
                                        record); null for none
``sources``     ``string`` (nullable)   JSON array of source objects; null for none
``extra``       ``string`` (nullable)   JSON object of text → text; null for none
=============== ======================= ====================================================

``earliest``/``latest``/``lo``/``hi``/``precision`` are derived from ``when`` (convenient for
filtering and plotting in other tools) and are ignored when reading a table back with
:func:`events_from_pandas` (:func:`relations.io.from_pandas` makes a Timeline of them); the
other columns round-trip every event exactly. Nested values are JSON text because their keys
vary from event to event (a struct column would need one fixed set of keys); ``json.loads`` or
DuckDB's ``->>`` read them.

In pandas (:func:`to_pandas`) text columns have dtype ``string``, ``earliest``/``latest``
are ``datetime64[s]`` (midnight; ``NaT`` for unknown), ``lo``/``hi`` ``int64``,
``directed`` ``bool``, and list columns hold Python lists (dtype ``object``), whatever the
pandas version. In polars (:func:`to_polars`) the types are ``String``, ``Date``, ``Int64``,
``Boolean`` and ``List(String)``.

pyarrow, pandas and polars are optional: ``pip install "relations[arrow]"`` (or
``[pandas]``, ``[polars]``); each function raises an ImportError naming the extra when its
package is missing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from relations.errors import InvalidEvent, RelationsError
from relations.events import Event
from relations.formats._optional import require
from relations.formats.csv import Layout, flat_header, flat_row
from relations.formats.flat import flat_arrow, flat_kind
from relations.formats.jsonl import compact_json
from relations.formats.layout import RECORD_COLUMNS, record_schema
from relations.formats.layout import engine_columns as add_engine_columns
from relations.formats.records import layout_of
from relations.when import ordinal

__all__ = [
    "TABLE_COLUMNS",
    "events_from_pandas",
    "to_arrow",
    "to_columns",
    "to_pandas",
    "to_polars",
]

#: The columns of every table a Timeline becomes, in order (the layout's record columns).
TABLE_COLUMNS: tuple[str, ...] = RECORD_COLUMNS
_DERIVED = frozenset({"earliest", "latest", "lo", "hi", "precision"})
_LISTS = ("actors", "claimed_by", "tags", "links")
_JSON_COLUMNS = ("quantities", "measures", "sources", "extra")
_EPOCH = ordinal(1970, 1, 1)
# Days a stdlib date can hold (years 1-9999): beyond them a date column would be unreadable
# by most consumers (pyarrow's as_py, pandas), so those days are null; lo/hi keep them.
_FIRST_DAY, _LAST_DAY = ordinal(1, 1, 1), ordinal(9999, 12, 31)


def _day(n: int) -> int | None:
    """Days since 1970-01-01 (Arrow's date32), or None if unbounded or outside years 1-9999."""
    if n < _FIRST_DAY or n > _LAST_DAY:
        return None
    return n - _EPOCH


def to_columns(events: Iterable[Event]) -> dict[str, list[Any]]:
    """The table as plain Python columns (lists), in :data:`TABLE_COLUMNS` order.

    ``earliest``/``latest`` are days since 1970-01-01 (Arrow's ``date32``) or None; the
    JSON columns are text or None. This is what the Arrow, pandas and polars tables are made
    from.

    >>> from relations import Event
    >>> cols = to_columns([Event("2024-06", "trade", ["RUS", "PRK"], "Trade", id="t")])
    >>> cols["when"], cols["earliest"], cols["latest"], cols["precision"], cols["actors"]
    (['2024-06'], [19875], [19904], ['month'], [['RUS', 'PRK']])
    """
    cols: dict[str, list[Any]] = {c: [] for c in TABLE_COLUMNS}
    (
        c_id,
        c_when,
        c_earliest,
        c_latest,
        c_lo,
        c_hi,
        c_precision,
        c_kind,
        c_actors,
        c_title,
        c_directed,
        c_status,
        c_summary,
        c_location,
        c_claimed,
        c_tags,
        c_links,
        c_quantities,
        c_measures,
        c_sources,
        c_extra,
    ) = (cols[c] for c in TABLE_COLUMNS)
    for e in events:
        w = e.when
        c_id.append(e.id)
        c_when.append(str(w))
        c_earliest.append(_day(w.lo))
        c_latest.append(_day(w.hi))
        c_lo.append(w.lo)
        c_hi.append(w.hi)
        c_precision.append(w.precision.name.lower())
        c_kind.append(e.kind)
        c_actors.append(list(e.actors))
        c_title.append(e.title)
        c_directed.append(e.directed)
        c_status.append(e.status.value)
        c_summary.append(e.summary)
        c_location.append(e.location)
        c_claimed.append(list(e.claimed_by))
        c_tags.append(list(e.tags))
        c_links.append(list(e.links))
        c_quantities.append(
            compact_json({k: q.to_dict() for k, q in e.quantities.items()})
            if e.quantities
            else None
        )
        c_measures.append(compact_json(e.measures.to_dict()) if e.measures else None)
        c_sources.append(compact_json([s.to_dict() for s in e.sources]) if e.sources else None)
        c_extra.append(compact_json(e.extra.to_dict()) if e.extra else None)
    return cols


def arrow_schema() -> Any:
    """The fixed Arrow schema of :func:`to_arrow` (needs pyarrow).

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> str(arrow_schema().field("actors").type), str(arrow_schema().field("earliest").type)
    ('list<item: string>', 'date32[day]')
    """
    return record_schema()


def to_arrow(
    events: Iterable[Event], *, engine_columns: bool = False, layout: Layout = "canonical"
) -> Any:
    """The events as a ``pyarrow.Table`` with the fixed schema of this module.

    ``engine_columns=True`` appends the engine columns of the columnar layout (``source``,
    ``target``, ``quantity.N.*``, ``measure.M``: :mod:`relations.formats.layout`), the table
    :func:`relations.io.to_parquet` writes. ``layout="flat"`` gives the columns of the flat
    CSV layout instead (as :func:`to_pandas` does; no JSON text).

    >>> import pytest; pa = pytest.importorskip("pyarrow")
    >>> from relations import Event
    >>> t = to_arrow([Event("2024-06-19", "trade", ["RUS"], "Trade", id="t")])
    >>> t.num_rows, t.column("earliest")[0].as_py()
    (1, datetime.date(2024, 6, 19))
    >>> to_arrow([Event("2024", "trade", ["RUS"], "T")], engine_columns=True).num_columns
    23
    """
    pa = require("pyarrow", "arrow")
    if layout == "flat":
        if engine_columns:
            raise ValueError("engine_columns=True is for the canonical layout, not 'flat'")
        table = layout_of(events)
        return _flat_arrow(pa, list(events)) if table is None else flat_arrow(table)
    if layout != "canonical":
        raise ValueError(f"layout must be 'canonical' or 'flat', not {layout!r}")
    if engine_columns:
        return add_engine_columns(to_arrow(events))
    table = layout_of(events)
    if table is not None:
        return table
    schema = arrow_schema()
    cols = to_columns(events)
    arrays = []
    for field in schema:
        values = cols[field.name]
        if field.type == pa.date32():
            arrays.append(pa.array(values, type=pa.int32()).cast(pa.date32()))
        else:
            arrays.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def to_pandas(events: Iterable[Event], *, layout: Layout = "canonical") -> Any:
    """The events as a ``pandas.DataFrame`` (dtypes fixed; see the module docs).

    Needs pandas only (not pyarrow). ``layout="flat"`` gives the columns of the flat CSV
    layout instead (:func:`relations.formats.csv.flat_header`: no JSON text; a column per
    quantity field, first-source field and extra key; numbers as ``float64``, ``earliest``/
    ``latest`` as ``datetime64[s]``, lists as Python lists, other columns ``string`` with
    ``<NA>`` for a missing value).

    >>> import pytest; pd = pytest.importorskip("pandas")
    >>> from relations import Event, Quantity
    >>> df = to_pandas([Event("2024", "trade", ["RUS"], "T", id="t",
    ...                       quantities={"usd": Quantity.about(5, "USD")})], layout="flat")
    >>> row = df.loc[0]
    >>> float(row["quantity.usd.value"]), row["quantity.usd.unit"], bool(row["quantity.usd.approximate"])
    (5.0, 'USD', True)

    >>> import pytest; pd = pytest.importorskip("pandas")
    >>> from relations import Event
    >>> df = to_pandas([Event("2024-06", "trade", ["RUS", "PRK"], "Trade", id="t")])
    >>> df.loc[0, "earliest"], df.loc[0, "actors"], str(df["title"].dtype)
    (Timestamp('2024-06-01 00:00:00'), ['RUS', 'PRK'], 'string')
    """
    pd = require("pandas", "pandas")
    import numpy as np

    if layout == "flat":
        table = layout_of(events)
        if table is not None:
            return _pandas_from_flat(pd, flat_arrow(table, measures_as_text=True))
        return _flat_pandas(pd, list(events))
    if layout != "canonical":
        raise ValueError(f"layout must be 'canonical' or 'flat', not {layout!r}")
    table = layout_of(events)
    if table is not None:
        return _pandas_from_arrow(pd, table)
    cols = to_columns(events)
    data: dict[str, Any] = {}
    for name in TABLE_COLUMNS:
        values = cols[name]
        if name in ("earliest", "latest"):
            known = np.array([v is not None for v in values], dtype=bool)
            days = np.array([0 if v is None else v for v in values], dtype="int64")
            data[name] = _stamps(pd, days, known)
        elif name in ("lo", "hi"):
            data[name] = pd.Series(values, dtype="int64")
        elif name == "directed":
            data[name] = pd.Series(values, dtype="bool")
        elif name in _LISTS:
            data[name] = _cells(pd, values)
        else:
            data[name] = pd.Series(values, dtype="string")
    return pd.DataFrame(data, columns=list(TABLE_COLUMNS))


def _stamps(pd: Any, days: Any, known: Any) -> Any:
    """Days since 1970-01-01 as a ``datetime64[s]`` Series, ``NaT`` where not ``known``."""
    import numpy as np

    epoch = np.datetime64("1970-01-01", "D")
    stamps = (epoch + days.astype("timedelta64[D]")).astype("datetime64[s]")
    stamps[~known] = np.datetime64("NaT")
    return pd.Series(stamps, dtype="datetime64[s]")


def _cells(pd: Any, values: list[Any]) -> Any:
    """A Series of one Python list per cell (dtype ``object``)."""
    import numpy as np

    column = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):  # element by element: each list stays one cell
        column[i] = v
    return pd.Series(column, dtype="object")


def _pandas_from_arrow(pd: Any, table: Any) -> Any:
    """:func:`to_pandas`' frame from the Arrow table of :func:`to_arrow` (the same dtypes)."""
    import pyarrow.compute as pc

    data: dict[str, Any] = {}
    for name in TABLE_COLUMNS:
        col = table.column(name)
        if name in ("earliest", "latest"):
            days = pc.fill_null(col.cast("int32"), 0).to_numpy().astype("int64")
            data[name] = _stamps(pd, days, pc.is_valid(col).to_numpy())
        elif name in ("lo", "hi", "directed"):
            data[name] = pd.Series(col.to_numpy(), dtype="bool" if name == "directed" else "int64")
        elif name in _LISTS:
            data[name] = _cells(pd, col.to_pylist())
        else:
            data[name] = pd.Series(pd.array(col.combine_chunks(), dtype="string"))
    return pd.DataFrame(data, columns=list(TABLE_COLUMNS))


def _flat_pandas(pd: Any, events: list[Event]) -> Any:
    import numpy as np

    header = flat_header(events)
    rows = [flat_row(e, header) for e in events]
    data: dict[str, Any] = {}
    for j, name in enumerate(header):
        cells = [r[j] for r in rows]
        if name in ("earliest", "latest"):
            data[name] = pd.Series(pd.to_datetime(cells, format="%Y-%m-%d"), dtype="datetime64[s]")
        elif name in ("actors", "claimed_by", "tags", "links"):
            column = np.empty(len(events), dtype=object)
            for i, e in enumerate(events):  # element by element: each list stays one cell
                column[i] = list(getattr(e, name))
            data[name] = pd.Series(column, dtype="object")
        elif name == "directed" or name.endswith(".approximate"):
            data[name] = pd.Series([c == "true" for c in cells], dtype="bool")
        elif name.startswith("quantity.") and not name.endswith(".unit"):
            data[name] = pd.Series([float(c) if c else None for c in cells], dtype="float64")
        else:
            texts = [c if c or name in _TEXTS else None for c in cells]
            data[name] = pd.Series(texts, dtype="string")
    return pd.DataFrame(data, columns=header)


def _pandas_from_flat(pd: Any, table: Any) -> Any:
    """:func:`_flat_pandas`' frame from the flat Arrow table (measures as their text)."""
    import pyarrow.compute as pc

    data: dict[str, Any] = {}
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        if name in ("earliest", "latest"):
            days = pc.fill_null(col.cast("int32"), 0).to_numpy().astype("int64")
            data[name] = _stamps(pd, days, pc.is_valid(col).to_numpy(zero_copy_only=False))
        elif name in _LISTS:
            data[name] = _cells(pd, col.to_pylist())
        elif name == "directed" or name.endswith(".approximate"):
            data[name] = pd.Series(col.to_numpy(zero_copy_only=False), dtype="bool")
        elif name.startswith("quantity.") and not name.endswith(".unit"):
            data[name] = pd.Series(col.to_numpy(zero_copy_only=False), dtype="float64")
        else:
            data[name] = pd.Series(pd.array(col, dtype="string"))
    return pd.DataFrame(data, columns=table.column_names)


_TEXTS = frozenset({"summary", "title"})


def _flat_arrow(pa: Any, events: list[Event]) -> Any:
    """The flat layout as an Arrow table (types as :func:`to_pandas` with ``layout="flat"``:
    ``date32`` days, ``float64`` numbers, ``bool``, ``list<string>``, nullable text)."""
    header = flat_header(events)
    rows = [flat_row(e, header) for e in events]
    arrays = []
    for j, name in enumerate(header):
        cells = [r[j] for r in rows]
        kind = flat_kind(name)
        if kind == "date":
            days = [_day(getattr(e, "lo" if name == "earliest" else "hi")) for e in events]
            arrays.append(pa.array(days, type=pa.int32()).cast(pa.date32()))
        elif kind == "list":
            arrays.append(pa.array([list(getattr(e, name)) for e in events], pa.list_(pa.string())))
        elif kind == "bool":
            arrays.append(pa.array([c == "true" for c in cells], type=pa.bool_()))
        elif kind == "number":
            arrays.append(pa.array([float(c) if c else None for c in cells], type=pa.float64()))
        else:
            texts = [c if c or name in _TEXTS else None for c in cells]
            arrays.append(pa.array(texts, type=pa.string()))
    return pa.Table.from_arrays(arrays, names=header)


def to_polars(events: Iterable[Event], *, layout: Layout = "canonical") -> Any:
    """The events as a ``polars.DataFrame`` (types in the module docs). Needs polars only
    (``layout="flat"``, the flat CSV layout's columns as in :func:`to_pandas`, needs
    pyarrow too).

    >>> import pytest; pl = pytest.importorskip("polars"); _ = pytest.importorskip("pyarrow")
    >>> from relations import Event, Quantity
    >>> df = to_polars([Event("2024", "trade", ["RUS"], "T",
    ...                       quantities={"usd": Quantity(5, "USD")})], layout="flat")
    >>> df["quantity.usd.value"].to_list(), df["quantity.usd.unit"].to_list()
    ([5.0], ['USD'])

    >>> import pytest; pl = pytest.importorskip("polars")
    >>> from relations import Event
    >>> df = to_polars([Event("2024", "trade", ["RUS"], "Trade", id="t")])
    >>> df["latest"][0], df["actors"][0].to_list()
    (datetime.date(2024, 12, 31), ['RUS'])
    """
    pl = require("polars", "polars")
    if layout == "flat":
        return pl.from_arrow(to_arrow(events, layout="flat"))
    if layout != "canonical":
        raise ValueError(f"layout must be 'canonical' or 'flat', not {layout!r}")
    table = layout_of(events)
    if table is not None:
        return pl.from_arrow(table.replace_schema_metadata(None))
    cols = to_columns(events)
    text, names = pl.String, pl.List(pl.String)
    types = {
        "earliest": pl.Int32,
        "latest": pl.Int32,
        "lo": pl.Int64,
        "hi": pl.Int64,
        "directed": pl.Boolean,
        **dict.fromkeys(_LISTS, names),
    }
    df = pl.DataFrame({c: pl.Series(c, cols[c], dtype=types.get(c, text)) for c in TABLE_COLUMNS})
    return df.with_columns(pl.col("earliest").cast(pl.Date), pl.col("latest").cast(pl.Date))


# ---- reading a table back ------------------------------------------------------------------


def _missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        import pandas as pd

        return v is pd.NA or v is pd.NaT
    except ImportError:  # pragma: no cover - pandas is what produced the value
        return False


def _cell(col: str, v: Any, row: int) -> Any:
    where = f"DataFrame row {row}: column {col!r}: "
    if col in _LISTS:
        if isinstance(v, str):
            return [p.strip() for p in v.split(";") if p.strip()]
        if hasattr(v, "tolist"):
            v = v.tolist()
        if isinstance(v, list | tuple):
            return list(v)
        raise InvalidEvent(f"{where}expected a list of text, not {v!r:.80}")
    if col in _JSON_COLUMNS:
        if isinstance(v, str):
            try:
                return json.loads(v)
            except ValueError as e:
                raise InvalidEvent(f"{where}not valid JSON: {e}") from None
        return v
    if col == "directed":
        if isinstance(v, str):
            return v.strip().lower() in ("true", "1")
        return bool(v)
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()  # a numpy scalar
    return v


def events_from_pandas(df: Any) -> list[Event]:
    """The events of a DataFrame with the columns of :data:`TABLE_COLUMNS`, row by row.

    ``when``, ``kind``, ``actors`` and ``title`` are required; other event columns are
    optional (missing values are defaults) and the derived ``earliest``, ``latest``, ``lo``,
    ``hi``, ``precision`` are ignored. ``actors`` and the other list columns take lists or
    ``;``-joined text; ``quantities``, ``measures``, ``sources`` and ``extra`` take JSON text or Python
    objects. Any other column is an error (it would otherwise be silently dropped). A polars
    DataFrame works too. Errors name the row and column.

    >>> import pytest; pd = pytest.importorskip("pandas")
    >>> df = pd.DataFrame({"when": ["2024-06-19", "2024-10"], "kind": ["trade", "trade"],
    ...                    "actors": ["RUS;PRK", ["PRK"]], "title": ["a", "b"]})
    >>> [(str(e.when), e.actors) for e in events_from_pandas(df)]
    [('2024-06-19', ('RUS', 'PRK')), ('2024-10', ('PRK',))]
    """
    columns = [str(c) for c in df.columns]
    unknown = [c for c in columns if c not in TABLE_COLUMNS]
    if unknown:
        raise InvalidEvent(
            f"DataFrame: unknown column(s) {unknown!r}; the columns are {', '.join(TABLE_COLUMNS)}"
            " (put other data in 'extra', or drop it first)"
        )
    missing = [c for c in ("when", "kind", "actors", "title") if c not in columns]
    if missing:
        raise InvalidEvent(f"DataFrame: missing column(s) {missing!r}")
    used = [c for c in columns if c not in _DERIVED]
    data = [_values(df, c) for c in used]
    events: list[Event] = []
    for i, row in enumerate(zip(*data, strict=True)):
        d: dict[str, Any] = {}
        for col, v in zip(used, row, strict=True):
            if isinstance(v, Mapping | list | tuple) or not _missing(v):
                d[col] = _cell(col, v, i)
        try:
            events.append(Event.from_dict(d))
        except RelationsError as e:
            raise type(e)(f"DataFrame row {i}: {e}") from None
        except (TypeError, ValueError, KeyError, AttributeError) as e:
            raise InvalidEvent(f"DataFrame row {i}: {type(e).__name__}: {e}") from None
    return events


def _values(df: Any, col: str) -> list[Any]:
    series = df[col]
    to_list = getattr(series, "to_list", None) or series.tolist
    return list(to_list())
