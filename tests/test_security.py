"""Security promises (issue #17): no pickle, eval or exec in the library; SQL always
parameterised; every exporter and chart escapes hostile text and writes no ``javascript:`` or
``data:`` link; dataset names cannot reach outside the package's data folder."""

from __future__ import annotations

import ast
import json
import sqlite3
from pathlib import Path

import pytest

from relations import Event, Source, Timeline, UnknownDataset
from relations.datasets import load
from relations.formats.exporters import link_url
from relations.io import to_markdown, to_mermaid, to_timelinejs, to_vis
from relations.store import SQLiteStore

SRC = Path(__file__).parents[1] / "src" / "relations"
FORBIDDEN_CALLS = {"eval", "exec", "compile"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle"}


def test_no_pickle_eval_or_exec_in_the_library() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in FORBIDDEN_CALLS:
                found.append(f"{path}:{node.lineno}: call of {node.func.id}")  # type: ignore[attr-defined]
            if isinstance(node, ast.Import):
                found += [
                    f"{path}:{node.lineno}: import {a.name}"
                    for a in node.names
                    if a.name.split(".")[0] in FORBIDDEN_MODULES
                ]
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                FORBIDDEN_MODULES
            ):
                found.append(f"{path}:{node.lineno}: from {node.module} import")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in {
                "loads",
                "load",
            }:
                owner = getattr(node.func, "value", None)
                if getattr(owner, "id", None) in FORBIDDEN_MODULES:
                    found.append(f"{path}:{node.lineno}: {owner.id}.{node.func.attr}")  # type: ignore[union-attr,attr-defined]
    assert found == []


HOSTILE = [
    "'; DROP TABLE relations_events; --",
    'x" OR "1"="1',
    "stream\x00nul",
    "Robert'); DELETE FROM relations_events WHERE ('1'='1",
    "%s %(x)s ? :name $1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_sqlite_store_is_parameterised(tmp_path: Path, text: str) -> None:
    e = Event("2024", "trade", ["RUS"], text, id=text.replace("\x00", "0").strip() or "x")
    with SQLiteStore(tmp_path / "s.db") as store:
        store.append(text, [e])
        store.append("plain", [Event("2024", "trade", ["RUS"], "ok", id="ok")])
        assert [r.event for r in store.read(text)] == [e]
        assert [r.event.id for r in store.read("plain")] == ["ok"]
    with sqlite3.connect(tmp_path / "s.db") as conn:  # the table is still there, two rows
        assert conn.execute("SELECT count(*) FROM relations_events").fetchone() == (2,)


SCRIPT = "<script>alert(1)</script>"
HOSTILE_EVENT = Event(
    "2024-06-19",
    "trade",
    ["RUS", "PRK"],
    f'{SCRIPT} "quoted" & <b>bold</b> | *md* ` --> ]] %% :',
    id="h",
    summary=f"<img src=x onerror=alert(1)> {SCRIPT}",
    location=f"<svg onload=alert(1)>{SCRIPT}",
    tags=[SCRIPT],
    sources=[Source(f"Pub {SCRIPT}", title=SCRIPT, url='https://example.org/?q=<x>&a="1"')],
)


def _bypassed(url: str) -> Event:
    """An event whose source holds a URL that Source itself would refuse (set behind its back:
    the exporters must not trust the constructor alone)."""
    src = Source("Pub")
    object.__setattr__(src, "url", url)
    return Event("2024", "trade", ["RUS"], "t", id="b", sources=[src])


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x"])
def test_source_refuses_script_and_data_urls(url: str) -> None:
    from relations import InvalidEvent

    with pytest.raises(InvalidEvent, match="field 'url'"):
        Source("Pub", url=url)
    assert link_url(url) is None


def _outputs(events: list[Event]) -> dict[str, str]:
    tl = Timeline(events)
    return {
        "markdown": to_markdown(events),
        "mermaid": to_mermaid(events),
        "timelinejs": json.dumps(to_timelinejs(events)),
        "vis": json.dumps(to_vis(events)),
        "svg": tl.to_svg(),
        "svg-dense": tl.to_svg(dense=True),
        "html": tl.to_html(),
    }


def test_exports_and_charts_escape_hostile_text() -> None:
    for name, out in _outputs([HOSTILE_EVENT]).items():
        assert SCRIPT not in out, name
        assert "<img src=x" not in out, name
        assert "<svg onload" not in out, name
        assert "<b>bold</b>" not in out, name


@pytest.mark.parametrize("url", ["javascript:alert(1)", " javascript:alert(1)", "data:,x"])
def test_exports_and_charts_write_no_script_or_data_links(url: str) -> None:
    for name, out in _outputs([_bypassed(url)]).items():
        assert "javascript:" not in out.lower(), name
        assert "data:," not in out, name


@pytest.mark.parametrize(
    "name", ["../jsonl", "../../relations/__init__", "/etc/passwd", "..", "", "a/../b", None]
)
def test_dataset_names_cannot_leave_the_data_folder(name: object) -> None:
    with pytest.raises(UnknownDataset):
        load(name)  # type: ignore[arg-type]
