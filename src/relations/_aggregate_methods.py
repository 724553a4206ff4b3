"""Timeline methods for aggregation (count, group_by, sum, ...); implementation in relations.aggregate.

Kept in a mixin so that :class:`~relations.timeline.Timeline` stays one readable class while
each concern lives in its own module; the methods import their implementation lazily, so the
timeline module never imports a higher layer at import time.
"""

from __future__ import annotations

__all__ = ["AggregateMethods"]


class AggregateMethods:
    """Mixin for :class:`~relations.timeline.Timeline`."""

    __slots__ = ()
