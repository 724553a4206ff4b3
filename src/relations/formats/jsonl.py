"""JSON Lines writing: the canonical file format, one event record (``Event.to_dict()``) a line.

A file is UTF-8 text with one JSON object per line, in the schema published as
``relations/io/event.schema.json`` (see :func:`relations.io.event_schema`); it is read back by
:func:`relations.io.read_jsonl`.

>>> import tempfile, pathlib
>>> from relations import Event, timeline
>>> path = pathlib.Path(tempfile.mkdtemp()) / "events.jsonl"
>>> tl = timeline.of(Event("2024-06-19", "agreement.treaty.signed", ["RUS", "PRK"],
...                        "Treaty signed", id="treaty"))
>>> write_jsonl(tl, path)
1
>>> path.read_text(encoding="utf-8")
'{"schema":1,"id":"treaty","when":"2024-06-19","kind":"agreement.treaty.signed","actors":["RUS","PRK"],"title":"Treaty signed"}\\n'
>>> from relations.io import read_jsonl
>>> read_jsonl(path) == tl
True

Writing is atomic: the file is written beside the target and renamed over it only when
complete (see :mod:`relations.formats.atomic`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from relations.events import Event
from relations.formats.atomic import PathOrFile, Progress, checked_events, open_sink
from relations.record import encode_event

__all__ = ["compact_json", "write_jsonl"]

#: JSON text of a record as the library writes it: compact, UTF-8 (not ``\\u`` escapes), and
#: no NaN or infinity (the JSON Lines, CSV and table writers share it).
compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

# Characters that some line splitters (str.splitlines, JavaScript) treat as line breaks;
# JSON allows them raw inside strings, so they are written escaped to keep one record a line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def write_jsonl(
    events: Iterable[Event],
    target: PathOrFile,
    *,
    progress: Progress | None = None,
) -> int:
    """Write events as JSON Lines (compact, UTF-8, keys in schema order); return the count.

    Text is written as UTF-8, except U+0085, U+2028 and U+2029, which are escaped
    (``\\u2028``) so that no tool splitting lines on them breaks a record.

    ``events`` is a Timeline or any iterable of Events. A path is written atomically: a
    temporary file beside it is written, fsync'ed and renamed over the target, so an error
    part way leaves the old file untouched. An open file is written as it is.

    >>> import io
    >>> from relations import Event
    >>> buf = io.StringIO()
    >>> write_jsonl([Event("2024", "trade", ["RUS"], "Trade", id="t")], buf)
    1
    >>> buf.getvalue()
    '{"schema":1,"id":"t","when":"2024","kind":"trade","actors":["RUS"],"title":"Trade"}\\n'
    """
    from relations.formats.records import layout_of

    table = layout_of(events)
    if table is not None:
        return _write_table(table, target, progress)
    count = 0
    with open_sink(target) as f:
        write = f.write
        for e in checked_events(events, progress):
            line = encode_event(e)
            if not line.isascii():
                line = line.translate(_LINE_BREAKS)
            write(line)
            write("\n")
            count += 1
    return count


#: Rows written at a time by the column path (the event path's progress step).
_CHUNK = 10_000


def _write_table(table: Any, target: PathOrFile, progress: Progress | None) -> int:
    """Write a layout record table's canonical lines (a column-backed Timeline's), hearing
    ``progress`` when the event path would."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from relations.formats.lines import json_lines

    lines = json_lines(table)
    n = len(lines)
    with open_sink(target) as f:
        for start in range(0, n, _CHUNK):
            part = pc.binary_join_element_wise(
                lines.slice(start, _CHUNK), pa.scalar("\n"), pa.scalar(""), ""
            )
            buffers = part.buffers()
            offsets = np.frombuffer(buffers[1], dtype=np.int32, count=len(part) + 1)
            f.write(buffers[2][int(offsets[0]) : int(offsets[-1])].to_pybytes().decode("utf-8"))
            done = start + len(part)
            if progress is not None and done % _CHUNK == 0:
                progress(done)
    if progress is not None:
        progress(n)
    return n
