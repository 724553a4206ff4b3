"""The what-we-knew example runs and shows both times: record time and valid time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "what_we_knew.py"


def test_what_we_knew_prints_both_views() -> None:
    out = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, check=True, timeout=300
    ).stdout
    assert "Recording the events again writes nothing: 0 new" in out

    casualties = out.split("== DPRK casualties")[1].split("== The relationship")[0]
    then, now = casualties.split("What we know now:")
    then = then.split("What we knew on 2025-01-25:")[1]
    assert "2024-12/2025-01: killed about 4 000 people" in then  # as first (wrongly) recorded
    assert "casualties about 4 000 people, killed about 1 000 people" in now.split("History")[0]
    assert "2025-01-23 recorded: killed about 4 000 people" in casualties
    assert "2025-01-28 corrected: casualties about 4 000 people" in casualties

    relationship = out.split("== The relationship on 2024-12-31, as known on 2024-11-15 ==")[1]
    known_then, known_now = relationship.split("== The relationship on 2024-12-31, as known now ==")
    in_force_then = known_then.split("Agreements in force")[1].split("Agreements ended")[0]
    # the 2024 treaty's entry into force was not recorded yet; the 2000 treaty still was in force
    assert "Comprehensive Strategic Partnership Treaty" not in in_force_then
    assert "Good-Neighbourliness" in in_force_then
    assert "Comprehensive Strategic Partnership Treaty" in known_now.split("Agreements ended")[0]
    for view in (known_then, known_now):
        assert "PRK → RUS: at least 11 000 people" in view  # troops in Kursk, both views
        assert "Kursk" in view
