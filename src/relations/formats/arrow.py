"""Arrow, pandas and polars tables to and from events. Placeholder until the formats move lands."""

from relations.io.arrow import from_pandas, to_arrow, to_pandas, to_polars

__all__ = ["from_pandas", "to_arrow", "to_pandas", "to_polars"]
