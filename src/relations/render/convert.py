"""PNG and PDF from the same SVG, for Word, Slides and print.

The charts are drawn once, as SVG; PNG and PDF are converted from that SVG by
`vl-convert <https://github.com/vega/vl-convert>`_ (``vl_convert.svg_to_png`` and
``svg_to_pdf``), which renders with resvg. It is an optional extra::

    pip install "relations[png]"

Why vl-convert: its wheels are self-contained (no system libraries, unlike cairosvg, which
needs libcairo), it renders text with the charts' own font stack (Helvetica, Arial or Liberation
Sans, the fonts whose widths the layout assumes), and it writes PDF with real, selectable text.
It uses the machine's fonts; on a bare Debian machine install ``fonts-liberation``::

    from relations import timeline
    from relations.render.convert import svg_to_pdf, svg_to_png

    svg = timeline.load("russia-north-korea").to_svg()
    png = svg_to_png(svg)  # bytes, twice the SVG's size in pixels
    pdf = svg_to_pdf(svg)
"""

from __future__ import annotations

import importlib
import os
import tempfile
from types import ModuleType

from relations.errors import InvalidArgument, MissingDependency

__all__ = ["FORMATS", "available", "convert", "save_converted", "svg_to_pdf", "svg_to_png"]

#: The file formats a chart can be converted to (besides SVG itself).
FORMATS = ("png", "pdf")

_HINT = 'PNG and PDF charts need vl-convert: pip install "relations[png]"'


def _backend() -> ModuleType:
    try:
        return importlib.import_module("vl_convert")
    except ImportError as e:
        raise MissingDependency(_HINT) from e


def available() -> bool:
    """True if PNG and PDF output is available (the ``png`` extra is installed).

    >>> isinstance(available(), bool)
    True
    """
    try:
        _backend()
    except MissingDependency:
        return False
    return True


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """The SVG as PNG bytes, ``scale`` times its size in pixels (2: sharp on a projector and
    in print at a report's width)."""
    if not scale > 0:
        raise InvalidArgument(f"scale={scale!r}: expected a positive number")
    data = _backend().svg_to_png(svg, scale=float(scale))
    return bytes(data)


def svg_to_pdf(svg: str) -> bytes:
    """The SVG as a one-page PDF (vector shapes, selectable text), the page the chart's size."""
    return bytes(_backend().svg_to_pdf(svg))


def convert(svg: str, fmt: str, *, scale: float = 2.0) -> bytes:
    """The SVG converted to ``fmt`` (``"png"`` or ``"pdf"``).

    >>> convert("<svg/>", "gif")
    Traceback (most recent call last):
    ...
    relations.errors.InvalidArgument: format 'gif': a chart is converted to png or pdf
    """
    if fmt == "png":
        return svg_to_png(svg, scale=scale)
    if fmt == "pdf":
        return svg_to_pdf(svg)
    raise InvalidArgument(f"format {fmt!r}: a chart is converted to png or pdf")


def save_converted(svg: str, path: str | os.PathLike[str], fmt: str, *, scale: float = 2.0) -> None:
    """Convert the SVG to ``fmt`` and write it to ``path``: beside the target first, then
    renamed over it, so that a failed conversion or write never leaves half a file."""
    data = convert(svg, fmt, scale=scale)
    target = os.fspath(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target) or ".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
