"""relations: the dated history of relations between actors.

Record what happened, when (as precisely as it is known), who was involved, how much, and who
says so, as immutable events; ask timeline questions of them; fold them into the state of a
relationship as of any date.

>>> from relations import Event, timeline
>>> tl = timeline.of(
...     Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed"),
...     Event("2024-12-04", "agreement.treaty.in_force", ["RUS", "PRK"], "Treaty in force"),
... )
>>> len(tl.involving("Russia", "North Korea").between("2024-06", "2024-12"))
2
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from relations import projections, relationship, store, timeline
from relations.actors import Actor
from relations.errors import (
    ConcurrencyError,
    DuplicateEvent,
    InvalidArgument,
    InvalidDate,
    InvalidEvent,
    InvalidQuantity,
    MissingDependency,
    ParseError,
    RelationsError,
    RelationsWarning,
    StoreBusy,
    StoreClosed,
    StoreCorrupt,
    StoreUnavailable,
    UnitMismatch,
    UnknownActor,
    UnknownDataset,
    UnknownEvent,
    UnknownKey,
    UnknownKind,
    UnsupportedLayout,
)
from relations.events import SCHEMA_VERSION, Event, Source, Status
from relations.periods import Period
from relations.projections import Projection, fold
from relations.quantities import Quantity
from relations.relationship import Agreement, Relationship, RelationshipState
from relations.series import Series
from relations.store import Correction, MemoryStore, Retraction, SQLiteStore
from relations.timeline import Timeline
from relations.when import Precision, When

# The Relationship model lived in relations.projections before it had a module of its own:
# the names stay there, set from above so that the fold engine imports nothing of the model.
projections.Agreement = Agreement  # type: ignore[attr-defined]
projections.Relationship = Relationship  # type: ignore[attr-defined]
projections.RelationshipState = RelationshipState  # type: ignore[attr-defined]
projections.TRANSFER_KINDS = relationship.TRANSFER_KINDS  # type: ignore[attr-defined]

try:
    __version__ = version("relations")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    # records
    "SCHEMA_VERSION",
    "Actor",
    "Event",
    "Quantity",
    "Source",
    "Status",
    # dates
    "Precision",
    "When",
    # collections (module: timeline.Timeline, timeline.of, timeline.load, ...)
    "timeline",
    "Timeline",
    # aggregation
    "Period",
    "Series",
    # event sourcing
    "store",
    "projections",
    "MemoryStore",
    "SQLiteStore",
    "Correction",
    "Retraction",
    "Projection",
    "Relationship",
    "fold",
    # errors
    "ConcurrencyError",
    "DuplicateEvent",
    "InvalidArgument",
    "InvalidDate",
    "InvalidEvent",
    "InvalidQuantity",
    "MissingDependency",
    "ParseError",
    "RelationsError",
    "RelationsWarning",
    "StoreBusy",
    "StoreClosed",
    "StoreCorrupt",
    "StoreUnavailable",
    "UnitMismatch",
    "UnknownActor",
    "UnknownDataset",
    "UnknownEvent",
    "UnsupportedLayout",
    "UnknownKey",
    "UnknownKind",
    "__version__",
]
