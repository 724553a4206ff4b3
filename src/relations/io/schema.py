"""The published JSON Schema of the event record, and a validator for JSON Lines files.

The schema (JSON Schema draft 2020-12) ships with the package as
``relations/io/event.schema.json``; :func:`event_schema` returns it. Other tools can validate
``relations`` files with it without installing ``relations``.

>>> schema = event_schema()
>>> schema["$id"], schema["required"]
('urn:relations:schema:event:1', ['schema', 'id', 'when', 'kind', 'actors', 'title'])

:func:`validate_jsonl` checks a whole file line by line and returns a
:class:`~relations.io.ReadReport` listing every problem. It uses the ``jsonschema`` package for
the structural check when it is installed (it is not a dependency of ``relations``), and
always checks what a schema cannot: that dates parse, actors resolve, quantities are
consistent, and no id is used by two different events.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from relations.errors import DuplicateEvent, InvalidEvent, location_prefix
from relations.events import Event
from relations.io._actors import ensure_registered
from relations.io._lines import MAX_LINE_BYTES, PathOrFile, source_name
from relations.io._report import Progress, ReadReport, Tally
from relations.io.jsonl import iter_records, record_to_event

__all__ = ["SCHEMA_FILE", "event_schema", "validate_jsonl"]

#: File name of the schema inside the ``relations.io`` package.
SCHEMA_FILE = "event.schema.json"


@functools.cache
def _schema_text() -> str:
    return resources.files("relations.io").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def event_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one event record, as a new dict.

    >>> event_schema()["properties"]["status"]["enum"]
    ['confirmed', 'claimed', 'estimated', 'disputed']
    """
    result: dict[str, Any] = json.loads(_schema_text())
    return result


@functools.cache
def _validator() -> Callable[[Any], list[tuple[str, str]]] | None:
    try:
        import jsonschema
    except ImportError:
        return None
    v = jsonschema.Draft202012Validator(event_schema())

    def check(d: Any) -> list[tuple[str, str]]:
        found = []
        for err in sorted(v.iter_errors(d), key=lambda e: list(map(str, e.absolute_path))):
            path = "/".join(str(p) for p in err.absolute_path)
            found.append((path, err.message))
        return found

    return check


def _structure(d: Any, name: str, n: int, use_jsonschema: bool) -> None:
    check = _validator() if use_jsonschema else None
    if check is None:
        return
    try:
        problems = check(d)
    except RecursionError:  # jsonschema recurses (and reprs) per level: ~990 deep is enough
        raise InvalidEvent(
            f"{location_prefix(file=name, line=n)}schema: the record is nested too deeply to check"
        ) from None
    if problems:
        path, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InvalidEvent(
            f"{location_prefix(file=name, line=n, field=path or None)}schema: {message}{more}"
        )


def validate_jsonl(
    source: PathOrFile,
    *,
    progress: Progress | None = None,
    max_line_bytes: int = MAX_LINE_BYTES,
    use_jsonschema: bool | None = None,
) -> ReadReport:
    """Check every line of a JSON Lines file; return a report listing each problem.

    A line is valid if it is UTF-8 JSON, matches :func:`event_schema` (checked with
    ``jsonschema`` when installed, or when ``use_jsonschema=True``, which then requires it),
    and reads as an :class:`~relations.Event` whose id no other line uses for a different
    event. Nothing is raised for bad lines: they are all in ``report.issues``.

    >>> import io
    >>> good = b'{"schema": 1, "id": "a", "when": "2024", "kind": "trade", "actors": ["RUS"], "title": "x"}'
    >>> bad = b'{"schema": 1, "id": "b", "when": "2024", "kind": "Trade", "actors": ["RUS"], "title": "x"}'
    >>> rep = validate_jsonl(io.BytesIO(good + b"\\n" + bad + b"\\n"))
    >>> rep.ok, rep.records, [i.line for i in rep.issues]
    (False, 2, [2])
    """
    if use_jsonschema and _validator() is None:
        raise ImportError(
            "validate_jsonl(use_jsonschema=True) needs the jsonschema package: "
            "pip install jsonschema"
        )
    ensure_registered()  # files written from imported data name CAMEO regions
    schema_check = use_jsonschema is not False
    tally = Tally(source_name(source), "collect", progress, None)
    seen: dict[str, int] = {}  # id -> hash of the event: constant size per event

    def convert(d: Any, name: str, n: int) -> Event:
        _structure(d, name, n, schema_check)
        e = record_to_event(d, name, n)
        digest = hash(e)
        if seen.setdefault(e.id, digest) != digest:
            raise DuplicateEvent(
                f"{location_prefix(file=name, line=n, field='id')}"
                f"id {e.id!r} is already used by a different event"
            )
        return e

    loaded = sum(
        1 for _ in iter_records(source, tally, max_line_bytes=max_line_bytes, convert=convert)
    )
    return tally.report(loaded, want_report=True)
