"""The chart gallery of docs/howto/charts.md is the library's own output: the committed
pictures are exactly what docs/_static/make_gallery.py draws now."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GALLERY = REPO / "docs" / "_static" / "charts"
SCRIPT = REPO / "docs" / "_static" / "make_gallery.py"


def test_the_gallery_is_reproducible(tmp_path: Path, samples_dir: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path), "--samples", str(samples_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    drawn = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert drawn == sorted(p.name for p in GALLERY.glob("*.svg"))
    stale = [
        name for name in drawn if (tmp_path / name).read_bytes() != (GALLERY / name).read_bytes()
    ]
    assert stale == [], f"run: python docs/_static/make_gallery.py --samples DIR ({stale})"


def test_every_gallery_picture_is_shown_in_the_guide() -> None:
    guide = (REPO / "docs" / "howto" / "charts.md").read_text(encoding="utf-8")
    for svg in GALLERY.glob("*.svg"):
        assert f"../_static/charts/{svg.name}" in guide, svg.name
