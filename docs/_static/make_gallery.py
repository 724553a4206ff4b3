"""Draw the pictures of docs/howto/charts.md with the library itself.

Run from the repository root (``PYTHONPATH=src`` in a source tree)::

    python docs/_static/make_gallery.py [--out docs/_static/charts] [--samples DIR]

``--samples`` is the directory of the shared ICEWS sample (``icews_events.2018.sample.tab``)
for the dense chart; without it that chart is not redrawn. The output is deterministic, so
tests/test_docs_gallery.py checks that the committed pictures are what this script draws.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from relations import timeline
from relations.quantities import Quantity
from relations.render import series_to_svg
from relations.series import Series

ICEWS_SAMPLE = "icews_events.2018.sample.tab"


def charts(samples: Path | None) -> dict[str, str]:
    """File name → SVG text of every picture in the gallery."""
    tl = timeline.load("russia-north-korea")
    out = {
        "timeline-bundled.svg": tl.to_svg(title="Russia – North Korea relations"),
        "timeline-selection.svg": tl.between("2022", "2025")
        .of_kind("military", "war", "arms")
        .to_svg(
            title="Russia – North Korea relations",
            selection="selected: 2022 to 2025, kind military, war or arms",
        ),
        "timeline-status.svg": tl.between("2024", "2025")
        .of_kind("claim")
        .to_svg(title="Who says so: claims about DPRK troops", lanes="status"),
        "series-count.svg": series_to_svg(tl.count(by="year"), title="Events per year"),
        "series-bounds.svg": series_to_svg(
            Series(
                {
                    "2022": Quantity.about(3000, "people"),
                    "2023": Quantity.at_least(11000, "people"),
                    "2024": Quantity.range(14000, 15000, "people"),
                    "2025": Quantity(12000, "people"),
                },
                name="DPRK soldiers in Russia",
                key_names=("year",),
            ),
            statuses={"2025": "claimed"},
            title="DPRK soldiers in Russia (illustrative figures)",
        ),
    }
    if samples is not None:
        from relations.io.icews import import_icews

        icews = import_icews(samples / ICEWS_SAMPLE)
        out["timeline-dense-icews.svg"] = icews.to_svg()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "charts")
    parser.add_argument("--samples", type=Path, default=None)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, svg in charts(args.samples).items():
        (args.out / name).write_text(svg, encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
