"""Tables: Arrow, pandas and polars, in the fixed schema of :mod:`relations.formats.arrow`.

The writers are :mod:`relations.formats.arrow`'s, re-exported here; :func:`from_pandas` reads
a DataFrame back into a Timeline.
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

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = [
    "TABLE_COLUMNS",
    "from_pandas",
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
    return Timeline(events_from_pandas(df))
