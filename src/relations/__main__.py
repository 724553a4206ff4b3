"""``python -m relations``: the same as the ``relations`` command."""

from __future__ import annotations

import sys

from relations.cli import main

if __name__ == "__main__":
    sys.exit(main())
