"""Sphinx configuration for the relations documentation (MyST Markdown, furo theme)."""

from __future__ import annotations

import importlib
from importlib.metadata import version as _version
from typing import Any

project = "relations"
author = "The relations developers"
copyright = "2026, The relations developers"
release = _version("relations")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
root_doc = "index"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
# Intersphinx needs the network; keep the build offline and deterministic.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
nitpicky = False
suppress_warnings = ["myst.xref_missing"]

html_theme = "furo"
html_title = "relations"
html_static_path = ["_static"]


def _resolve_reexports(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``relations.When``-style links to where the object is documented.

    Objects are documented in their own modules (``relations.when.When``) but users, and the
    docstrings, name them by their public re-export.
    """
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith("relations."):
        return None
    head, _, rest = target[len("relations.") :].partition(".")
    obj = getattr(importlib.import_module("relations"), head, None)
    module = getattr(obj, "__module__", None)
    if obj is None or module in (None, "relations"):
        return None
    new = f"{module}.{head}" + (f".{rest}" if rest else "")
    node["reftarget"] = new
    return env.get_domain("py").resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], new, node, contnode
    )


def setup(app: Any) -> None:
    app.connect("missing-reference", _resolve_reexports)
