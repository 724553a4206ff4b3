"""Placeholder: the Timeline helper replaces this module (issue 4)."""

from __future__ import annotations

__all__: list[str] = []
