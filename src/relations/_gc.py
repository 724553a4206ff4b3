"""The one place that pauses the cyclic garbage collector around bulk work.

Loading, decoding and aggregating make many objects at once (that survive, or die young) and
no reference cycles; in a large heap, the collector's passes triggered by them can cost several
times the work itself (measured: 5x for ``json.loads`` of 200 000 records). :func:`paused`
turns the collector off for such a block and back on (if it was on) straight after;
:func:`promote_survivors` moves the survivors of a bulk build out of the young generations.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused", "promote_survivors"]


@contextlib.contextmanager
def paused(n: int = 2**62, threshold: int = 0) -> Iterator[None]:
    """Pause the cyclic garbage collector while handling ``n >= threshold`` objects.

    With no arguments the collector is always paused. It is restored on exit, also when the
    block raises; when it is off already (or ``n`` is below ``threshold``) nothing changes.

    >>> import gc
    >>> with paused():
    ...     gc.isenabled()
    False
    >>> with paused(10, threshold=2_000):  # too few to matter
    ...     gc.isenabled()
    True
    >>> gc.isenabled()
    True
    """
    if n < threshold or not gc.isenabled():  # too few to matter, or paused already
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def promote_survivors(n: int, threshold: int = 2_000) -> None:
    """After making ``n >= threshold`` long-lived objects, move every object the cyclic garbage
    collector tracks straight to its oldest generation.

    Otherwise a pass over the youngest generation, and later one over the middle one, would
    each examine every new object, by then out of the CPU's caches, only to find it alive:
    records cannot be garbage cycles. Over 100 000 records those passes cost a fifth of a
    read. The move is ``gc.freeze()`` then ``gc.unfreeze()``, which the ``gc`` documentation
    defines as exactly that, and costs nothing. Other young objects of the process move too: a
    cycle among them is then collected by the next full collection rather than sooner. When
    the program has frozen objects itself (``gc.get_freeze_count() > 0``) nothing is done,
    to leave its frozen set alone.

    >>> import gc
    >>> promote_survivors(10_000)
    >>> gc.get_freeze_count()  # nothing stays frozen
    0
    """
    if n >= threshold and gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
