"""A real browser opens the HTML chart of the bundled dataset: no console errors, the script
runs, a pinned tooltip shows its event, and a screenshot is not blank.

Needs Chromium (Debian's ``chromium``; ``.ci/run`` installs it). Without it the test is skipped,
except under CI (``CI`` set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from relations import timeline

DATASET = "russia-north-korea"
TREATY = "rnk-2024-06-19-treaty-signed"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    if os.environ.get("CI"):
        pytest.fail("Chromium is required under CI (apt-get install chromium)")
    pytest.skip("Chromium is not installed (apt-get install chromium); CI runs this test")


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows (RGB or RGBA, 8 bits) of a non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if ftype == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif ftype == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = prev[i]
                c = prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r) for r in rows] if channels == 3 else [_rgb(r) for r in rows]


def _rgb(row: bytes) -> bytes:
    return bytes(b for i, b in enumerate(row) if i % 4 != 3)


def test_read_png_on_a_tiny_image() -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"\x00" + bytes([255, 0, 0, 0, 255, 0]) + b"\x02" + bytes([0, 0, 0, 0, 0, 1])
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    assert read_png(png) == (
        2,
        2,
        [bytes([255, 0, 0, 0, 255, 0])] * 1 + [bytes([255, 0, 0, 0, 255, 1])],
    )


def test_the_html_chart_in_a_real_browser(tmp_path: Path) -> None:
    browser = _chromium()
    tl = timeline.load(DATASET)
    page = tmp_path / "chart.html"
    page.write_text(tl.to_html(title="Russia – North Korea, 1945–2025"), encoding="utf-8")
    url = page.as_uri() + f"#event={TREATY}"

    dom = _run(browser, tmp_path / "p1", "--enable-logging=stderr", "--v=0", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [
        line
        for line in dom.stderr.splitlines()
        if ":CONSOLE" in line or "Uncaught" in line or "Refused to" in line
    ]
    assert console == [], console  # no errors, no CSP violations, nothing logged at all
    assert f'data-rl-ready="{len(tl)}"' in dom.stdout  # the script ran over every mark
    tip = re.search(r'<div id="rl-tip" class="rl-tip rl-is-pinned"[^>]*>(.*?)</div>', dom.stdout)
    assert tip is not None, "the #event= link did not pin the tooltip"
    assert "Comprehensive Strategic Partnership Treaty signed" in tip.group(1)
    assert "<code>2024-06-19</code> 19 June 2024" in tip.group(1)

    shot = tmp_path / "chart.png"
    res = _run(browser, tmp_path / "p2", f"--screenshot={shot}", "--window-size=1400,900", url)
    assert res.returncode == 0 and shot.is_file(), res.stderr[-2000:]
    width, height, rows = read_png(shot.read_bytes())
    assert (width, height) == (1400, 900)
    colours: set[bytes] = set()
    ink = 0
    for row in rows[::3]:
        for i in range(0, len(row), 3 * 3):
            px = row[i : i + 3]
            colours.add(px)
            ink += px != b"\xff\xff\xff"
    assert len(colours) > 50, len(colours)  # text, marks in several colours, antialiasing
    assert ink > 0.05 * (height // 3) * (width // 3)  # not a blank page


def _screenshot_svg(browser: str, tmp_path: Path, name: str, svg: str) -> tuple[int, int, int]:
    """Screenshot an SVG chart at its own size: (width, height, colours seen)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    w, h = int(float(root.get("width") or 0)), int(float(root.get("height") or 0))
    page = tmp_path / f"{name}.svg"
    page.write_text(svg, encoding="utf-8")
    shot = tmp_path / f"{name}.png"
    res = _run(
        browser,
        tmp_path / f"p-{name}",
        f"--screenshot={shot}",
        f"--window-size={w},{h}",
        page.as_uri(),
    )
    assert res.returncode == 0 and shot.is_file(), res.stderr[-2000:]
    width, height, rows = read_png(shot.read_bytes())
    colours = {row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 3 * 4)}
    return width, height, len(colours)


def test_screenshots_of_a_curated_and_a_dense_chart(tmp_path: Path, samples_dir: Path) -> None:
    from relations.io.icews import import_icews

    browser = _chromium()
    curated = timeline.load(DATASET).between("2022", "2025").of_kind("military", "war", "arms")
    w, h, colours = _screenshot_svg(browser, tmp_path, "curated", curated.to_svg())
    assert w == 1200 and h < 1200 and colours > 40, (w, h, colours)
    dense = import_icews(samples_dir / "icews_events.2018.sample.tab").to_svg()
    assert "rl-bin" in dense
    w, h, colours = _screenshot_svg(browser, tmp_path, "dense", dense)
    assert w == 1200 and h < 2000 and colours > 40, (w, h, colours)
