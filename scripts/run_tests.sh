#!/usr/bin/env bash
# Set up, lint, then run the whole test suite in parallel.
#   bash scripts/run_tests.sh [extra pytest args...]
#   PYTEST_WORKERS=0 bash scripts/run_tests.sh -k refund   # serial, one selection
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"

echo "tests: ruff check"
.venv/bin/ruff check .

echo "tests: pytest -n ${PYTEST_WORKERS:-auto} $*"
rc=0
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" "$@" || rc=$?
if [[ $rc -eq 5 ]]; then
    echo "tests: error: pytest collected no tests (exit 5); counted as a failure" >&2
fi
exit "$rc"
