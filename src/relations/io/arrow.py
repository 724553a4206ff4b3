"""Tables: Arrow, pandas and polars, in the fixed schema of :mod:`relations.formats.arrow`.

The writers are :mod:`relations.formats.arrow`'s, re-exported here; :func:`from_arrow`,
:func:`from_pandas` and :func:`from_polars` read a table back into a Timeline. Each first
tries the columnar path (:mod:`relations.io._columnar`: the table checked column-wise and
held as columns, no Event built until one is asked for) and otherwise reads row by row
(:func:`relations.formats.arrow.events_from_pandas`), with that reader's errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from relations.formats.arrow import (
    TABLE_COLUMNS,
    events_from_pandas,
    to_arrow,
    to_columns,
    to_pandas,
    to_polars,
)
from relations.formats.arrow import arrow_schema as arrow_schema  # re-exported
from relations.io._actors import ensure_registered
from relations.io._columnar import columnar_timeline, is_engine_column

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = [
    "TABLE_COLUMNS",
    "from_arrow",
    "from_pandas",
    "from_polars",
    "to_arrow",
    "to_columns",
    "to_pandas",
    "to_polars",
]


def from_pandas(df: Any) -> Timeline:
    """A Timeline from a DataFrame with the columns of :data:`TABLE_COLUMNS`.

    The columns and their cells are read as by
    :func:`relations.formats.arrow.events_from_pandas`.

    >>> import pytest; pd = pytest.importorskip("pandas")
    >>> df = pd.DataFrame({"when": ["2024-06-19", "2024-10"], "kind": ["trade", "trade"],
    ...                    "actors": ["RUS;PRK", ["PRK"]], "title": ["a", "b"]})
    >>> [(str(e.when), e.actors) for e in from_pandas(df)]
    [('2024-06-19', ('RUS', 'PRK')), ('2024-10', ('PRK',))]
    """
    from relations._timeline import Timeline

    ensure_registered()
    tl = _fast(lambda: _pa().Table.from_pandas(df, preserve_index=False), df.columns)
    return tl if tl is not None else Timeline(events_from_pandas(df))


def from_polars(df: Any) -> Timeline:
    """A Timeline from a polars DataFrame with the columns of :data:`TABLE_COLUMNS` (as
    :func:`from_pandas`).

    >>> import pytest; pl = pytest.importorskip("polars")
    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06~", "trade", ["RUS", "PRK"], "Trade", tags=["x"]))
    >>> from_polars(tl.to_polars()) == tl
    True
    """
    from relations._timeline import Timeline

    ensure_registered()
    tl = _fast(df.to_arrow, df.columns)
    return tl if tl is not None else Timeline(events_from_pandas(df))


def from_arrow(table: Any) -> Timeline:
    """A Timeline from an Arrow table (or anything with ``__arrow_c_stream__``) of the
    columnar layout: the record columns of :data:`TABLE_COLUMNS`, engine columns ignored.

    Cells read as by :func:`relations.formats.arrow.events_from_pandas`; errors name the row.

    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> from relations import Event, timeline
    >>> tl = timeline.of(Event("2024-06~", "trade", ["RUS", "PRK"], "Trade", id="t"))
    >>> from_arrow(to_arrow(tl, engine_columns=True)) == tl
    True
    """
    from relations._timeline import Timeline

    pa = _pa()
    ensure_registered()
    if not isinstance(table, pa.Table):
        table = pa.table(table)
    table = table.select([c for c in table.column_names if not is_engine_column(c)])
    tl = columnar_timeline(table)
    return tl if tl is not None else Timeline(events_from_pandas(_Frame(table)))


def _pa() -> Any:
    import pyarrow

    return pyarrow


def _fast(convert: Any, columns: Any) -> Timeline | None:
    """The columnar path for a DataFrame whose columns are all table columns, or None."""
    names = list(columns)
    if not all(isinstance(c, str) and c in TABLE_COLUMNS for c in names):
        return None
    try:
        table = convert()
    except Exception:  # any failure to convert: the row reader says why
        return None
    return columnar_timeline(table)


class _Frame:
    """An Arrow table seen as the DataFrame :func:`events_from_pandas` reads."""

    def __init__(self, table: Any) -> None:
        self.columns = table.column_names
        self._table = table

    def __getitem__(self, col: str) -> Any:
        return _Column(self._table.column(col))


class _Column:
    def __init__(self, col: Any) -> None:
        self._col = col

    def to_list(self) -> list[Any]:
        return list(self._col.to_pylist())
