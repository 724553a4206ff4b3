"""Import an optional dependency, or say which extra installs it."""

from __future__ import annotations

from typing import Any

__all__ = ["require"]


def require(module: str, extra: str) -> Any:
    """``module`` imported, or an ImportError naming the extra that installs it.

    >>> require("json", "none").__name__
    'json'
    """
    try:
        return __import__(module)
    except ImportError as e:
        raise ImportError(
            f'this needs the optional package {module!r}: pip install "relations[{extra}]"'
        ) from e
