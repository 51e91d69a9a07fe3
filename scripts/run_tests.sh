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
echo "tests: lint-imports (the layers, pyproject.toml)"
.venv/bin/lint-imports --no-cache >/dev/null || .venv/bin/lint-imports --no-cache
echo "tests: mypy (the product packages)"
.venv/bin/mypy

# pytest keeps each test module's assertion-rewritten bytecode; with writing switched off
# every worker would rewrite and compile every test module again.
unset PYTHONDONTWRITEBYTECODE

# On CI, property tests try a quarter of their examples unless a profile is chosen
# (HYPOTHESIS_PROFILE=nightly tries ten times as many; see tests/conftest.py).
if [[ -n "${CI:-}" ]]; then
    export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
fi

# The HTTP, reliability and multi-worker tests run on SQLite and on PostgreSQL: a throwaway
# server (installed with apt-get when missing), stopped however the run ends. Set
# SHOP_TEST_POSTGRESQL_URL to use a server of your own instead; SHOP_TEST_POSTGRESQL=0
# runs SQLite only (refused on CI). If the server cannot start, the run fails.
if [[ -z "${SHOP_TEST_POSTGRESQL_URL:-}" && ( "${SHOP_TEST_POSTGRESQL:-1}" != 0 || -n "${CI:-}" ) ]]; then
    SHOP_POSTGRESQL_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cancel-guide-postgresql-XXXXXX")"
    export SHOP_POSTGRESQL_DIR
    trap 'bash "$ROOT/scripts/postgres.sh" stop' EXIT
    if ! SHOP_TEST_POSTGRESQL_URL="$(bash "$ROOT/scripts/postgres.sh" start)"; then
        echo "tests: error: PostgreSQL could not be started (see above); the tests need it" >&2
        exit 1
    fi
    export SHOP_TEST_POSTGRESQL_URL
fi

echo "tests: pytest -n ${PYTEST_WORKERS:-auto} --dist worksteal (hypothesis profile ${HYPOTHESIS_PROFILE:-default}) $*"
rc=0
# worksteal: a worker that runs out takes tests queued for a busy one, so the run does
# not wait at its end on one worker's last few browser tests.
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --dist worksteal "$@" || rc=$?
if [[ $rc -eq 5 ]]; then
    echo "tests: error: pytest collected no tests (exit 5); counted as a failure" >&2
fi
exit "$rc"
