"""The columnar layout's engine columns for test fixtures (a private stand-in, following
docs/notes layout v2, until ``relations.formats.layout`` lands): the 21 record columns of
``to_arrow`` plus ``source``, ``target`` and one ``measure.M`` column per measure."""

from __future__ import annotations

from typing import Any

from relations.formats.arrow import to_arrow


def layout_table(events: Any) -> Any:
    import pyarrow as pa

    evs = list(events)
    table = to_arrow(evs)
    source = [e.actors[0] if e.directed else None for e in evs]
    target = [e.actors[1] if e.directed else None for e in evs]
    table = table.append_column("source", pa.array(source, pa.string()))
    table = table.append_column("target", pa.array(target, pa.string()))
    for name in sorted({m for e in evs for m in e.measures}):
        values = [e.measures.get(name) for e in evs]
        present = [v for v in values if v is not None]
        whole = all(type(v) is int for v in present)
        col = pa.array(values, pa.int64() if whole else pa.float64())
        table = table.append_column(f"measure.{name}", col)
    return table.replace_schema_metadata({"relations.schema": "1", "relations.layout": "2"})
