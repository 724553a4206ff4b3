"""The flat CSV layout and writer. Placeholder until the formats move lands."""

from relations.io.csv import write_csv

__all__ = ["write_csv"]
