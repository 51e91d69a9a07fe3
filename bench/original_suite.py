"""The tests issue 15's first target was set for, run as the CI runs the suite.

``python -m bench.original_suite [pytest options]``

Issue 15 asked for "the 1150 tests of today under 80 s of pytest time with ``-n auto``":
the suite as it stood on 2026-11-27 (commit b87ab2f). ``bench/original_tests.txt`` lists
those of them that still exist under the same name, on SQLite (1083 of today's tests; the
HTTP and reliability tests now also run on PostgreSQL, and some were merged or renamed).
They run with the CI's options (``-n auto --dist worksteal``, hypothesis profile ``ci``);
pytest prints the time, the figure the target is about. Run it on a quiet machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).with_name("original_tests.txt")


def main(argv: list[str]) -> int:
    os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")
    ids = [line for line in TESTS.read_text().splitlines() if line.strip()]
    return int(pytest.main(["-n", "auto", "--dist", "worksteal", "-q", *argv, *ids]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
