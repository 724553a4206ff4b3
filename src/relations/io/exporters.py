"""Export events for other tools: :mod:`relations.formats.exporters`, re-exported here."""

from __future__ import annotations

from relations.formats.exporters import Bucket as Bucket  # re-exported, as are the next three
from relations.formats.exporters import GroupBy as GroupBy
from relations.formats.exporters import markdown_text as markdown_text
from relations.formats.exporters import mermaid_text as mermaid_text
from relations.formats.exporters import to_markdown, to_mermaid, to_timelinejs, to_vis

__all__ = [
    "to_markdown",
    "to_mermaid",
    "to_timelinejs",
    "to_vis",
]
