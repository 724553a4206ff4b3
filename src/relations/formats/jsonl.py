"""JSON Lines writing. Placeholder until the formats move lands."""

from relations.io.jsonl import write_jsonl

__all__ = ["write_jsonl"]
