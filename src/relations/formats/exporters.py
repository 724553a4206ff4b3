"""TimelineJS, Mermaid, vis-timeline and Markdown exporters. Placeholder until the formats move
lands."""

from relations.io.exporters import to_markdown, to_mermaid, to_timelinejs, to_vis

__all__ = ["to_markdown", "to_mermaid", "to_timelinejs", "to_vis"]
