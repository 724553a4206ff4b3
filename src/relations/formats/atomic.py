"""The atomic file writer. Placeholder until the formats move lands (the final public name is
the formats engineer's; this one is what ``Timeline.save_chart`` calls meanwhile)."""

from relations.io._atomic import atomic_write

__all__ = ["atomic_write"]
