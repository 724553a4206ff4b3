"""Timeline methods for interchange (write_jsonl, to_arrow, to_pandas, ...); implementation in relations.io.

Kept in a mixin so that :class:`~relations.timeline.Timeline` stays one readable class while
each concern lives in its own module; the methods import their implementation lazily, so the
timeline module never imports a higher layer at import time.
"""

from __future__ import annotations

__all__ = ["IOMethods"]


class IOMethods:
    """Mixin for :class:`~relations.timeline.Timeline`."""

    __slots__ = ()
