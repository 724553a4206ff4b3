"""Sphinx configuration for the relations documentation (MyST Markdown, furo theme)."""

from __future__ import annotations

from importlib.metadata import version as _version

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
