"""The timeline room: the :class:`Timeline` class, the engine beneath it, its index structures
and the small values its questions return.

- :mod:`relations._timeline.timeline`: the public class (queries, set algebra, and thin
  forwarders to :mod:`relations.aggregate`, :mod:`relations.formats` and
  :mod:`relations.render`);
- :mod:`relations._timeline.engine`: the derived-view and index engine it derives from;
- :mod:`relations._timeline.indexes`: postings, runs and span statistics;
- :mod:`relations._timeline.values`: :class:`Gap`, :class:`TimeBetween` (``Interval``),
  :class:`TimelineDiff`.

Users import from :mod:`relations.timeline` (the facade, which also reads files and datasets);
the modules of this library that build timelines import from here, one layer lower.
"""

from __future__ import annotations

from relations._timeline.timeline import ChartOptions, Conflict, Mode, Timeline, of
from relations._timeline.values import Gap, Interval, TimeBetween, TimelineDiff

__all__ = [
    "ChartOptions",
    "Conflict",
    "Gap",
    "Interval",
    "Mode",
    "TimeBetween",
    "Timeline",
    "TimelineDiff",
    "of",
]
