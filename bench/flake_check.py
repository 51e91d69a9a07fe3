"""How often does the end-to-end suite fail on its own? Run it N times and count.

``python -m bench.flake_check [--runs N] [--tests PATH] [--quick] [-- extra pytest arguments]``

Runs ``pytest tests/e2e -n auto -q -p no:randomly`` (or the folder given with
``--tests``) N times in a row, 20 by default, each a fresh pytest process on the same
code. Prints each run's outcome and wall time, then ``N runs, F failed``, and writes
every figure, with the tests that failed in each run, to
``bench/results/flake_check.json`` (and a short table beside it, ``.md``). A failed
run prints its assertion lines at once and keeps its screenshots, diffs and traces in
``output/flake_check/run-NN/`` (add ``-- --tracing retain-on-failure`` for traces).

Not part of CI: a suite that passes once can still fail one run in ten, and only
repetition shows it. A run that collects no test counts as failed. ``--quick``: one run
of one small test file, to show the script works.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

from bench.support.common import (
    PYTHON,
    QUICK_TESTS,
    ROOT,
    Figure,
    add_quick_option,
    median,
    results_folder,
    write_results,
)

NAME = "flake_check"
DEFAULT_RUNS = 20
DEFAULT_TESTS = "tests/e2e"
FAILED_LINE = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)
REASON_LINE = re.compile(r"^E\s+(\S.*)$", re.MULTILINE)
EVIDENCE_DIR = ROOT / "output" / "flake_check"
SUMMARY_LINE = re.compile(r"^=*\s*(.*\b(?:passed|failed|error|errors|skipped|no tests ran)\b.*?)"
                          r"\s*=*$", re.MULTILINE)


def pytest_command(tests: str, extra: list[str]) -> list[str]:
    return [PYTHON, "-m", "pytest", tests, "-n", "auto", "-q", "-p", "no:randomly", *extra]


def scrub(text: str) -> str:
    """Output without this machine's folders: the repository, the home and temp folders."""
    for folder, shown in ((str(ROOT), "."), (tempfile.gettempdir(), "<tmp>"),
                          (str(Path.home()), "~")):
        text = text.replace(folder, shown)
    return text


def run_once(command: list[str], evidence: Path) -> dict:
    """One run of the suite: its exit code, wall time, summary and failing tests.

    pytest-playwright's ``--output`` goes to ``evidence`` (each run its own folder, as
    pytest-playwright empties it when a run starts), kept only when the run failed."""
    started = perf_counter()
    finished = subprocess.run([*command, "--output", str(evidence)], cwd=ROOT,
                              capture_output=True, text=True, check=False)
    seconds = perf_counter() - started
    output = finished.stdout + finished.stderr
    summaries = SUMMARY_LINE.findall(finished.stdout)
    return {
        "exit_code": finished.returncode,
        "passed": finished.returncode == 0,
        "seconds": round(seconds, 2),
        "summary": summaries[-1] if summaries else "",
        "failed_tests": sorted(set(FAILED_LINE.findall(output))),
        "reasons": [scrub(line) for line in REASON_LINE.findall(output)][:6],
        "evidence": None if finished.returncode == 0 else scrub(str(evidence)),
        "tail": "" if finished.returncode == 0 else scrub(output[-3000:]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flake_check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help=f"how many times to run the suite (default {DEFAULT_RUNS})")
    parser.add_argument("--tests", default=DEFAULT_TESTS,
                        help=f"the test folder or file to run (default {DEFAULT_TESTS})")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments, after --")
    add_quick_option(parser)
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.tests = 1, QUICK_TESTS
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    command = pytest_command(args.tests, args.pytest_args)
    shown = " ".join(["python", *command[1:]])
    print(f"flake check: {args.runs} runs of `{shown}`", flush=True)
    started_at = datetime.now(UTC).replace(microsecond=0)
    runs = []
    for number in range(1, args.runs + 1):
        evidence = EVIDENCE_DIR / f"run-{number:02d}"
        shutil.rmtree(evidence, ignore_errors=True)
        run = run_once(command, evidence)
        if run["passed"]:
            shutil.rmtree(evidence, ignore_errors=True)
        runs.append(run)
        verdict = "pass" if run["passed"] else f"FAIL (exit {run['exit_code']})"
        print(f"run {number:>3}/{args.runs}: {verdict:<16} {run['seconds']:7.1f} s  "
              f"{run['summary']}", flush=True)
        for test in run["failed_tests"]:
            print(f"           failed: {test}", flush=True)
        for reason in run["reasons"]:
            print(f"             {reason[:300]}", flush=True)
        if run["evidence"]:
            print(f"           evidence: {run['evidence']}", flush=True)

    failed = sum(not run["passed"] for run in runs)
    times = [run["seconds"] for run in runs]
    flaky = Counter(test for run in runs for test in run["failed_tests"])
    print(f"{len(runs)} runs, {failed} failed")
    figures = [
        Figure("runs", len(runs)),
        Figure("failed runs", failed, target="0", met=failed == 0),
        Figure("median wall time per run", median(times), "s"),
        Figure("slowest run", max(times), "s"),
    ]
    notes = [f"{test} failed in {count} of {len(runs)} runs" for test, count in flaky.most_common()]
    write_results(
        NAME, "Flakiness of the end-to-end suite", figures,
        details={"command": shown, "tests": args.tests, "runs": runs,
                 "failures_by_test": dict(flaky)},
        notes=notes, started_at=started_at, folder=results_folder(args.quick),
    )
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
