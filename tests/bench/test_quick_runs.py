"""Every benchmark runs once in its quick mode, so a benchmark that no longer runs fails
the suite instead of waiting for the next person who measures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.databases import DatabaseKind, DatabaseServer

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
LIMIT_S = 240
WRITTEN = r"written: \S+\.json"

# script: (its quick command's arguments, what its output must show)
WITHOUT_BROWSER = {
    "storefront_cpu": (["--quick"], r"My Orders\s+\d+\.\d+ ms CPU per request"),
    "page_bytes": (["--quick"], r"saved \d+ pages in "),
    "recording_size": (["--quick"], WRITTEN),
    "flake_check": (["--quick"], r"1 runs, 0 failed"),
    "regression_suite": (["--quick"], WRITTEN),
    "database_growth": (["--quick"], WRITTEN),
}
IN_A_BROWSER = {
    "guide_latency": (["--quick"], WRITTEN),
    "record_guide": (["--quick"], WRITTEN),
    "browser_pool": (["--quick"], WRITTEN),
    "coach_latency": (["--quick"], r"--quick: not written"),
}
ON_A_DATABASE = {"storefront_load", "postgresql_check"}


def scripts() -> set[str]:
    """The modules of bench/ that run as a command."""
    return {path.stem for path in BENCH.glob("*.py")
            if 'if __name__ == "__main__":' in path.read_text(encoding="utf-8")}


def run(script: str, *arguments: str) -> str:
    """``python -m bench.<script> …`` from the repository; its output, once it exited 0."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("PYTEST_", "COV_"))}  # a fresh pytest inside
    done = subprocess.run([sys.executable, "-m", f"bench.{script}", *arguments], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=LIMIT_S)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"bench.{script} exited {done.returncode}:\n{output[-4000:]}"
    return done.stdout


def test_every_bench_script_has_a_quick_run() -> None:
    assert scripts() == {*WITHOUT_BROWSER, *IN_A_BROWSER, *ON_A_DATABASE}


@pytest.mark.parametrize("script", sorted(WITHOUT_BROWSER))
def test_quick_run(script: str) -> None:
    arguments, shown = WITHOUT_BROWSER[script]
    assert re.search(shown, run(script, *arguments))


@pytest.mark.browser
@pytest.mark.parametrize("script", sorted(IN_A_BROWSER))
def test_quick_run_in_a_browser(script: str) -> None:
    arguments, shown = IN_A_BROWSER[script]
    assert re.search(shown, run(script, *arguments))


def test_storefront_load_quick_run(database_kind: DatabaseKind,
                                   database_server: DatabaseServer) -> None:
    database = [] if database_kind is DatabaseKind.SQLITE else [
        "--database", database_server.empty()]
    output = run("storefront_load", "--quick", *database)
    assert re.search(r"class run 1: \d+ people, p99 latency", output)
    assert re.search(WRITTEN, output)


def test_postgresql_check_quick_run(database_kind: DatabaseKind,
                                    database_server: DatabaseServer) -> None:
    if database_kind is not DatabaseKind.POSTGRESQL:
        pytest.skip("bench.postgresql_check needs PostgreSQL (SHOP_TEST_POSTGRESQL_URL)")
    output = run("postgresql_check", "--quick", "--database", database_server.empty())
    assert re.search(WRITTEN, output)
