"""Atomic file writes: :mod:`relations.formats.atomic` (kept until the Timeline's forwarders use it)."""

from __future__ import annotations

from relations.formats.atomic import atomic_write, open_sink

__all__ = ["atomic_write", "open_sink"]
