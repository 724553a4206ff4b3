"""What a reader gives for a file's bytes, for tests that compare a fast path with the row reader."""

from __future__ import annotations

import io


def table_bytes(*rows: str, header: str, end: str = "\n") -> bytes:
    """A delimited file: ``header`` and ``rows``, each ending with ``end``."""
    return (end.join([header, *rows]) + end).encode()


def outcome(fn: object, data: bytes, **kwargs: object) -> object:
    """An (events, report) pair, or the error's type and message."""
    try:
        tl, rep = fn(io.BytesIO(data), report=True, **kwargs)  # type: ignore[operator]
    except Exception as e:  # compared by the caller
        return (type(e), str(e))
    return (list(tl), rep)
