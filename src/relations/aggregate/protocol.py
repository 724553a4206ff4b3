"""What aggregation reads of a timeline: the :class:`EventColumns` Protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar

if TYPE_CHECKING:
    from relations.aggregate.columnar import KeyColumn, ValueColumn
    from relations.events import Event

__all__ = ["EventColumns", "T"]


class EventColumns(Protocol):
    """What aggregation reads of a timeline (a :class:`~relations.timeline.Timeline` is one):
    its events in order, their earliest and latest days as integer columns, a memo for the
    caches below, and the sub-timeline at given positions; and, so that a timeline held as
    columns is aggregated without building its events, its ids, key columns and value columns
    (:mod:`relations.aggregate.columnar`; a timeline held as events computes them from its
    events, once). Nothing else: the engine that stores the events may change without this
    module noticing."""

    def __len__(self) -> int: ...

    def ordered_events(self) -> Sequence[Event]:
        """The events, in timeline order."""
        ...

    def lo_days(self) -> Sequence[int]:
        """The earliest possible day of each event (day ordinals, ascending)."""
        ...

    def hi_days(self) -> Sequence[int]:
        """The latest possible day of each event, parallel to :meth:`lo_days`."""
        ...

    def memo(self, owner: str) -> dict[Any, Any]:
        """A dictionary kept with the timeline for ``owner``'s caches."""
        ...

    def take(self, positions: Sequence[int]) -> Self:
        """The events at ascending, distinct ``positions``."""
        ...

    def ids(self) -> Sequence[str]:
        """The event ids, in order."""
        ...

    def key_column(self, name: str) -> KeyColumn:
        """Each event's keys under ``name`` (a key name of :mod:`relations.keys`, ``kind:N``)."""
        ...

    def quantity_column(self, name: str) -> ValueColumn:
        """Each event's quantity ``name``."""
        ...

    def measure_column(self, name: str) -> ValueColumn:
        """Each event's measure ``name``."""
        ...

    def value_names(self) -> tuple[list[str], list[str]]:
        """The quantity names and the measure names the events carry (each sorted)."""
        ...


T = TypeVar("T", bound=EventColumns)
