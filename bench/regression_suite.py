"""Wall time of the regression suite (and of every test), serially and with pytest-xdist.

``python -m bench.regression_suite [--suite regression|all|both] [--only serial|parallel]
[--quick] [-- extra pytest args]``

The regression suite is ``tests/e2e/test_flows.py``: every flow on every device, each
step asserted and its screenshot compared with the committed recording. It is what a QA
team re-runs after a change; target: the parallel run under 60 s on this 2-core machine.
``--suite all`` measures every test instead (``tests``: rules, HTTP, guide, security,
browser tests: minutes), ``both`` (the default) measures the two one after the other.

Each run is ``pytest <suite> -q -p no:cacheprovider``, once serially and once with
``-n auto``, from a clean start. Prints both wall times, the test counts pytest reported,
and serial/parallel. Each run is bounded (one hour); the outcome is reported as it is,
failures included: this measures, it does not judge. ``--quick`` times one small test
file instead, serially and in parallel, to show the script works.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

from bench.support.common import (
    PYTHON,
    QUICK_TESTS,
    ROOT,
    Figure,
    add_quick_option,
    package_version,
    ratio,
    results_folder,
    write_results,
)

NAME = "regression_suite"
BASE = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
SUITES = {"regression": "tests/e2e/test_flows.py", "all": "tests", "quick": QUICK_TESTS}
SUITE_LABELS = {"regression": "regression suite (every flow × device)", "all": "every test",
                "quick": f"one small file ({QUICK_TESTS})"}
RUNS = {"serial": [], "parallel": ["-n", "auto"]}
TARGET_S = 60
LIMIT_S = 3600
COUNTS = re.compile(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?|deselected)")


def run(suite: str, extra: list[str], more: list[str]) -> dict[str, Any]:
    command = [PYTHON, *BASE, SUITES[suite], *extra, *more]
    shown = "python " + " ".join(command[1:])
    print(f"$ {shown}", flush=True)
    started = perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              timeout=LIMIT_S, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b"").decode(errors="replace") if isinstance(
            expired.stdout, bytes) else (expired.stdout or "")
        code = None
    seconds = perf_counter() - started
    lines = [line for line in output.splitlines() if line.strip()]
    summary = next((line for line in reversed(lines) if COUNTS.search(line)), "")
    counts: dict[str, int] = {}
    for number, kind in COUNTS.findall(summary):
        counts["errors" if kind.startswith("error") else kind] = int(number)
    print(f"  {seconds:.1f} s, exit {code}: {summary.strip('= ')}", flush=True)
    return {"command": shown, "seconds": round(seconds, 1), "exit_code": code,
            "summary": summary.strip("= "), "counts": counts, "tail": lines[-15:]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.regression_suite",
                                     description=__doc__)
    parser.add_argument("--suite", choices=["regression", "all", "both"], default="both",
                        help="what to time (default: both)")
    parser.add_argument("--only", choices=list(RUNS), help="run one of the two")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    add_quick_option(parser)
    args = parser.parse_args(argv)
    started_at = datetime.now(UTC).replace(microsecond=0)

    suites = (["quick"] if args.quick else ["regression", "all"] if args.suite == "both"
              else [args.suite])
    results = {
        f"{suite}/{name}": run(suite, extra, args.pytest_args)
        for suite in suites
        for name, extra in RUNS.items()
        if args.only in (None, name)
    }
    figures = []
    for suite in suites:
        label = SUITE_LABELS[suite]
        serial, parallel = results.get(f"{suite}/serial"), results.get(f"{suite}/parallel")
        for name, result in (("serial", serial), ("parallel", parallel)):
            if result is None:
                continue
            passed = result["counts"].get("passed", 0)
            total = sum(v for k, v in result["counts"].items() if k != "deselected")
            target = f"< {TARGET_S} s" if suite == "regression" and name == "parallel" else ""
            figures += [
                Figure(f"{label}, {name}: wall time", result["seconds"], "s", target=target,
                       met=result["seconds"] < TARGET_S if target else None),
                Figure(f"{label}, {name}: outcome", f"{result['summary'] or 'no summary'} "
                                                    f"(exit {result['exit_code']})"),
                Figure(f"{label}, {name}: tests passed / reported", f"{passed} / {total}"),
            ]
        if serial and parallel:
            speedup = ratio(serial["seconds"], parallel["seconds"])
            figures.append(Figure(f"{label}: serial / parallel (speed-up)", round(speedup, 2),
                                  "×"))
    notes = [
        f"`-n auto` starts one worker per CPU ({os.cpu_count()} here).",
        "Regression suite: `tests/e2e/test_flows.py`, each test its own scenario, one "
        "storefront and one Chromium per worker. Every test: `tests`.",
        "The suite is measured as it stands in the work tree when the benchmark runs; "
        "failures are reported, not hidden.",
    ]
    details = {"runs": results, "pytest": package_version("pytest"),
               "pytest_xdist": package_version("pytest-xdist")}
    write_results(NAME, "Regression suite: serial vs pytest-xdist", figures, details, notes,
                  started_at, folder=results_folder(args.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
