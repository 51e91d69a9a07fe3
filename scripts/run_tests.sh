#!/usr/bin/env bash
# Set up, lint, then run the whole test suite in parallel.
#   bash scripts/run_tests.sh [extra pytest args...]
#   PYTEST_WORKERS=0 bash scripts/run_tests.sh -k refund   # serial, one selection
#   bash scripts/run_tests.sh -m "not browser"              # everything that needs no Chromium
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"

echo "tests: ruff check"
.venv/bin/ruff check .

# On CI, property tests try a quarter of their examples unless a profile is chosen
# (HYPOTHESIS_PROFILE=nightly tries ten times as many; see tests/conftest.py).
if [[ -n "${CI:-}" ]]; then
    export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
fi

echo "tests: pytest -n ${PYTEST_WORKERS:-auto} (hypothesis profile ${HYPOTHESIS_PROFILE:-default}) $*"
rc=0
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" "$@" || rc=$?
if [[ $rc -eq 5 ]]; then
    echo "tests: error: pytest collected no tests (exit 5); counted as a failure" >&2
fi
exit "$rc"
