"""Arrow's allocations during a columnar read made by the C library's allocator, then given back.

pyarrow allocates from mimalloc by default, which keeps the pages that its worker threads
freed (the JSON parser's and the compute kernels' temporaries) for reuse: after reading 1M
events from JSON Lines the process held 350 MiB, of which only 90 MiB were the columns kept.
Inside :func:`system_pool` the default pool is the system allocator's, whose free pages
``release_unused`` (``malloc_trim``) gives back at the end: 200 MiB held for the same
columns, and no slower (measured: ``benchmarks/bench_load.py``, docs/performance.md).

The switch is process-wide while it lasts (pyarrow has one default pool), so concurrent
readers share it (the first one in switches, the last one out switches back); a buffer
allocated meanwhile by other code is only allocated elsewhere, and freed where it came from.

>>> import pyarrow as pa
>>> before = pa.default_memory_pool().backend_name
>>> with system_pool():
...     pa.default_memory_pool().backend_name == pa.system_memory_pool().backend_name
True
>>> pa.default_memory_pool().backend_name == before
True
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

__all__ = ["system_pool"]

_lock = threading.Lock()
_users = 0
_saved: pa.MemoryPool | None = None


@contextmanager
def system_pool() -> Iterator[None]:
    """Arrow's default memory pool is the system allocator's while inside (see above)."""
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = pa.default_memory_pool()
            pa.set_memory_pool(pa.system_memory_pool())
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0 and _saved is not None:
                # Trimmed while still the default: measured, a trim after the switch back
                # gave nothing back.
                pa.system_memory_pool().release_unused()
                pa.set_memory_pool(_saved)
                _saved = None
