"""Persisted snapshots of projections: the row a store keeps, its seal, and its checks.

A snapshot is the state of a named projection after the events a store's log held at one
position, in valid-time order. It is kept under ``(name, version, scope)``: ``version`` is the
projection's :attr:`~relations.projections.Projection.snapshot_version`, so a changed fold
never reads the state an older fold wrote; ``scope`` says which part of the log was folded
(``"$all"``, the whole log, for a :class:`~relations.store.Projector`). The state is JSON text
written by the projection's own ``encode_state`` (never pickle), sealed with a CRC-32 over
the whole row, so a damaged or hand-edited row is found by ``store.check()`` and ignored,
with a warning, by the projector that would have loaded it.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable
from typing import Any, TypeAlias

import attrs
import pendulum

from relations.store._clock import from_micros

__all__ = [
    "SCOPE_ALL",
    "SnapshotRow",
    "StoredSnapshot",
    "digest_of",
    "dump_state",
    "problem_of",
    "seal_row",
]

SCOPE_ALL = "$all"
"""The scope of a snapshot of the whole log."""

SnapshotRow: TypeAlias = tuple[str, str, str, int, int, str, str, int, int]
"""``(name, version, scope, position, events, digest, state, saved_at µs, crc)``: what an
engine keeps per snapshot, one row per ``(name, version, scope)``."""


def seal_row(
    name: str, version: str, scope: str, position: int, events: int, digest: str, state: str
) -> int:
    """The CRC-32 a snapshot row carries, over every column that says what it holds.

    >>> seal_row("n", "1", "$all", 3, 2, "d", "0")
    321760755
    """
    text = "\x00".join((name, version, scope, str(position), str(events), digest, state))
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def digest_of(ids: Iterable[str]) -> str:
    """A fingerprint of the events a state folded (their ids, in the order folded).

    >>> digest_of(["a", "b"])[:12]
    '911169ddaaf1'
    """
    h = hashlib.sha256()
    for i in ids:
        h.update(i.encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return h.hexdigest()


def dump_state(data: Any) -> str:
    """The JSON text of an encoded state (ASCII, so that every engine keeps it as written).

    >>> dump_state({"n": 1, "t": ["é"]})
    '{"n":1,"t":["\\\\u00e9"]}'
    """
    return json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def problem_of(row: SnapshotRow, head: int | None = None) -> str | None:
    """What is wrong with a snapshot row (None: nothing found); ``head`` is the log's last
    position, which a snapshot cannot cover past.

    >>> row = ("n", "1", "$all", 3, 2, "d", "0", 0, seal_row("n", "1", "$all", 3, 2, "d", "0"))
    >>> problem_of(row) is None, problem_of(row, head=2)
    (True, "snapshot 'n' (version '1'): covers position 3, but the log ends at 2")
    """
    name, version, scope, position, events, digest, state, _us, crc = row
    where = f"snapshot {name!r} (version {version!r})"
    if scope != SCOPE_ALL:
        where += f" of {scope!r}"
    try:
        ok = crc == seal_row(name, version, scope, position, events, digest, state)
    except (TypeError, AttributeError):  # a column of the wrong type
        ok = False
    if not ok:
        return f"{where}: checksum mismatch (the row was damaged or edited)"
    try:
        json.loads(state)
    except ValueError as e:
        return f"{where}: its state is not valid JSON ({e})"
    if position < 0 or events < 0:
        return f"{where}: negative position or event count ({position}, {events})"
    if head is not None and position > head:
        return f"{where}: covers position {position}, but the log ends at {head}"
    return None


@attrs.frozen
class StoredSnapshot:
    """A persisted snapshot, as :meth:`~relations.store.StoreBase.snapshots` lists it.

    ``position`` is the last log position the state covers, ``events`` how many events it
    folded; ``problem`` says what is wrong with the row (None when it is sound).

    >>> from relations.projections import Projection
    >>> from relations.store import MemoryStore
    >>> store = MemoryStore()
    >>> p = store.project(Projection.simple(0, lambda n, e: n + 1, snapshot_name="count"))
    >>> (s,) = [p.save_snapshot()]
    >>> s.name, s.version, s.position, s.events, s.problem
    ('count', '1', 0, 0, None)
    """

    name: str
    version: str
    scope: str
    position: int
    events: int
    saved_at: pendulum.DateTime
    problem: str | None = None

    @classmethod
    def of(cls, row: SnapshotRow, head: int | None = None) -> StoredSnapshot:
        """The description of a stored row."""
        name, version, scope, position, events, _d, _s, us, _crc = row
        try:
            saved_at = from_micros(us)
        except (TypeError, ValueError, OverflowError):
            saved_at = from_micros(0)
        return cls(name, version, scope, position, events, saved_at, problem_of(row, head))
