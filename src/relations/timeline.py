"""Timelines: immutable, sorted, indexed collections of events with fast, precise queries.

A :class:`Timeline` is a value. It holds each event once, in one total, deterministic order
(earliest possible day, latest possible day, id), and every query returns another Timeline, so
questions chain the way they are spoken:

>>> from relations import Event, timeline
>>> tl = timeline.of(
...     Event("1950/1953", "military.war", ["PRK", "KOR"], "Korean War", id="war"),
...     Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"], "Treaty signed",
...           id="signed"),
...     Event("2024-10", "military.deployment", ["PRK", "RUS"], "Troops sent", id="troops",
...           directed=True),
...     Event("2024-12-04", "agreement.treaty.in_force", ["RUS", "PRK"], "Treaty in force",
...           id="in-force"),
... )
>>> tl
<Timeline 4 events 1950/1953 … 2024-12-04, 3 actors>
>>> [e.id for e in tl.involving("Russia", "North Korea").of_kind("agreement")]
['signed', 'in-force']
>>> [e.id for e in tl.between("1952", "1952")]  # the war was going on in 1952
['war']
>>> [e.id for e in tl.between("2024-10-15", "2024-12-31")]  # "2024-10" may be the 15th
['troops', 'in-force']
>>> [e.id for e in tl.between("2024-10-15", "2024-12-31", mode="within")]
['in-force']

**Imprecision never silently disappears.** Every time query says whether it keeps events that
are *certainly* inside its range (``mode="within"``) or that *possibly* fall in it
(``mode="overlaps"``). Window queries (:meth:`~Timeline.between`, :meth:`~Timeline.on`)
default to ``overlaps``: what *may* have happened in a window is kept, so a war in progress or
an event known only to the month is not dropped. One-sided queries (:meth:`~Timeline.before`,
:meth:`~Timeline.after`, :meth:`~Timeline.until`, :meth:`~Timeline.since`) default to
``within``: "before 2024" means certainly over before 2024 began (otherwise every open-ended or
year-dated event would be "before" almost anything). ``before``/``after`` are strict and
``until``/``since`` inclusive, exactly like the English forms :meth:`When.parse
<relations.When.parse>` reads ("before 2008" is ``../2007-12-31``, "until 2008" is ``../2008``).

**Complexity** (n events; k in the result; m positions returned by an index; w imprecise
events near a window's edges; l long events, over 366 days or open-ended, that start before
it):

- ``Timeline(events)``: O(n log n) (the sort; ids are checked in O(n)).
- ``len``, ``bool``, ``tl[i]``, ``first``, ``last``: O(1); ``ids()``: O(k) from a column.
- ``tl[i:j]``, ``between``, ``on``, ``before``, ``after``, ``until``, ``since``, ``as_of``:
  O(log n + w + l) by bisection of the ``lo`` column, plus a C-level copy of the k-long
  integer columns; the events themselves are gathered from the parent only when first used.
- ``involving``, ``from_to``, ``of_kind``, ``tagged``, ``with_status``, ``sourced_by``,
  ``with_quantity``, ``precision_at_least``: O(m) for one key, and the result is cached with
  the index (O(1) when asked again); O(m log m) to combine keys. The first query that needs
  an index builds it in O(n).
- ``tl[id]``, ``get``, ``in``, ``index``, ``before_event``, ``after_event``: O(1) (the id map
  is built once, in O(n)).
- ``span``, ``nearest``: O(log n) (prefix maxima of ``hi`` are built once, in O(n)).
- ``gaps``, ``intervals``, ``where``: O(n).
- ``|``, ``&``, ``-``, ``merge``, ``diff``, ``add``, ``remove``: O(n + m), plus sorting the
  new events into place.

**Indexes** are built lazily, on the first query that needs them, and kept with the timeline:
parallel ``array('q')`` columns of ``lo``/``hi`` day ordinals for bisection; inverted indexes
(actor, dyad, directed source/target/arc, every kind prefix, tag, status, publisher, quantity
name, precision) mapping a key to ascending positions; and span statistics that let range
queries find imprecise and long-running events without a full scan (see
``relations._timeline.indexes``).

**Derived timelines share.** A query result knows where its events lie in the timeline it was
derived from (its *root*): as a few contiguous runs (range queries, slices) or as ascending
positions (index lookups). It uses the root's indexes through that mapping instead of building
its own (unless it is a small part of a root that lacks the index), and gathers its events and
columns only when they are first needed: ``len``, ``first``, ``last`` and further queries do not
touch the events at all. The result for one index key (``involving("RUS", "PRK")``,
``of_kind("sanction")``) is cached with the index and gets columns and span statistics of its
own once it is asked a second range query, so chains of repeated questions cost microseconds.
Event objects are always shared, never copied.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal

from relations import _timeline
from relations._timeline import *  # noqa: F403 - the timeline room, as _timeline.__all__ lists it
from relations._timeline import Timeline
from relations.events import Event

if TYPE_CHECKING:
    from relations.lazy import LazyTimeline

__all__ = ["datasets", "load", "read_csv", "read_jsonl", "scan"]
__all__ += _timeline.__all__


def _restore(events: tuple[Event, ...]) -> Timeline:
    """Unpickles timelines pickled before the class moved to ``relations._timeline``."""
    return Timeline._from_sorted(events)


def load(name: str) -> Timeline:
    """A bundled dataset by name (see :func:`datasets`), e.g. ``"russia-north-korea"``.

    >>> tl = load("russia-north-korea")
    >>> len(tl) > 0
    True
    """
    from relations.datasets import load as load_dataset

    return load_dataset(name)


def datasets() -> tuple[str, ...]:
    """The names of the bundled datasets.

    >>> "russia-north-korea" in datasets()
    True
    """
    from relations.datasets import datasets as names

    return names()


def scan(source: object, *, engine: object = "duckdb") -> LazyTimeline:
    """A lazy timeline over Parquet files in the columnar layout (a path, folder or glob), an
    Arrow table or dataset, or an ibis table on any backend: :func:`relations.lazy.scan`.
    Nothing is read until a result is asked for; needs ``pip install "relations[scale]"``.

    >>> import pytest; _ = pytest.importorskip("ibis")
    >>> from relations import Event
    >>> tl = of(Event("2024-06", "trade.volume", ["RUS", "PRK"], "Trade", id="t"),
    ...         Event("2024", "trade.volume", ["RUS", "PRK"], "Trade", id="y"))
    >>> lazy = scan(tl.to_arrow())
    >>> lazy.involving("RUS").between("2024-06-10", "2024-06-30").count()  # "2024" may be too
    2
    >>> lazy.involving("RUS").between("2024-06-10", "2024-06-30", mode="within").count()
    0
    >>> lazy.count("month", policy="earliest") == tl.count("month", policy="earliest")
    True
    """
    from relations.lazy import scan as lazy_scan

    return lazy_scan(source, engine=engine)


def read_jsonl(
    path: str | os.PathLike[str],
    *,
    errors: Literal["raise", "skip", "collect"] = "raise",
    progress: Callable[[int], None] | None = None,
) -> Timeline:
    """Read canonical JSON Lines (one :meth:`Event.to_dict <relations.Event.to_dict>` record a
    line) into a Timeline; see ``relations.io.read_jsonl`` for ``errors`` and ``progress``.

    >>> import pathlib, tempfile
    >>> from relations import Event
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "events.jsonl"
    >>> _ = p.write_text('{"schema": 1, "when": "2024", "kind": "trade", "actors": ["RUS"], '
    ...                  '"title": "Trade"}\\n')
    >>> len(read_jsonl(p))
    1
    """
    from relations.io import read_jsonl as read

    return read(path, errors=errors, progress=progress)


def read_csv(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str | None] | None = None,
    errors: Literal["raise", "skip", "collect"] = "raise",
    progress: Callable[[int], None] | None = None,
) -> Timeline:
    """Read events from CSV (either layout) into a Timeline; see ``relations.io.read_csv`` for
    the columns, the ``columns`` mapping of your own names, ``errors`` and ``progress``.

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = p.write_text("when,kind,actors,title\\n2024,trade,RUS,Trade\\n")
    >>> len(read_csv(p))
    1
    """
    from relations.io import read_csv as read

    return read(path, columns=columns, errors=errors, progress=progress)
