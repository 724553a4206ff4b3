"""What aggregation reads of a timeline: the :class:`EventColumns` Protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar

if TYPE_CHECKING:
    from relations.events import Event

__all__ = ["EventColumns", "T"]


class EventColumns(Protocol):
    """What aggregation reads of a timeline (a :class:`~relations.timeline.Timeline` is one):
    its events in order, their earliest and latest days as integer columns, a memo for the
    caches below, and the sub-timeline at given positions. Nothing else: the engine that
    stores the events may change without this module noticing."""

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


T = TypeVar("T", bound=EventColumns)
