"""Shared test configuration: hypothesis profiles and paths to the shared sample data.

The default profile keeps the suite fast on a 2-core machine; run the long one with
``HYPOTHESIS_PROFILE=long pytest``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.register_profile("long", max_examples=2_000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)

REPO = Path(__file__).resolve().parents[1]
# RELATIONS_SAMPLES points elsewhere (a worktree whose parent has no shared/ directory).
SAMPLES = Path(os.environ.get("RELATIONS_SAMPLES") or REPO.parent / "shared" / "data" / "samples")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The directory of shared GDELT/ICEWS sample files (a sibling of the repository)."""
    if not SAMPLES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"sample data missing under CI: {SAMPLES}")
        pytest.skip(f"sample data not found at {SAMPLES}")
    return SAMPLES
