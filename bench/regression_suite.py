"""Wall time of the whole test suite, serially and with pytest-xdist.

``python -m bench.regression_suite [--only serial|parallel] [-- extra pytest args]``

Runs ``pytest tests -q -p no:cacheprovider`` once serially and once with ``-n auto``
(pytest-xdist), each from a clean start, and prints both wall times, the test counts
pytest reported, and serial/parallel. It takes minutes. Each run is bounded (one hour);
the outcome is reported as it is, failures included: this measures, it does not judge.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

from bench.common import PYTHON, ROOT, Figure, package_version, ratio, write_results

NAME = "regression_suite"
BASE = ["-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]
RUNS = {"serial": [], "parallel": ["-n", "auto"]}
LIMIT_S = 3600
COUNTS = re.compile(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?|deselected)")


def run(extra: list[str], more: list[str]) -> dict[str, Any]:
    command = [PYTHON, *BASE, *extra, *more]
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
    parser.add_argument("--only", choices=list(RUNS), help="run one of the two")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    started_at = datetime.now(UTC).replace(microsecond=0)

    results = {name: run(extra, args.pytest_args) for name, extra in RUNS.items()
               if args.only in (None, name)}
    serial, parallel = results.get("serial"), results.get("parallel")
    speedup = ratio(serial["seconds"], parallel["seconds"]) if serial and parallel else None
    figures = []
    for name, result in results.items():
        passed = result["counts"].get("passed", 0)
        total = sum(v for k, v in result["counts"].items() if k != "deselected")
        figures += [
            Figure(f"{name}: wall time", result["seconds"], "s"),
            Figure(f"{name}: outcome", f"{result['summary'] or 'no summary'} "
                                       f"(exit {result['exit_code']})"),
            Figure(f"{name}: tests passed / reported", f"{passed} / {total}"),
        ]
    if speedup is not None:
        figures.append(Figure("serial / parallel (speed-up)", round(speedup, 2), "×"))
        figures.append(Figure("parallel / serial", round(1 / speedup, 3)))
    notes = [
        f"`-n auto` starts one worker per CPU ({os.cpu_count()} here).",
        "The suite is measured as it stands in the work tree when the benchmark runs; "
        "failures are reported, not hidden.",
    ]
    details = {"runs": results, "pytest": package_version("pytest"),
               "pytest_xdist": package_version("pytest-xdist")}
    write_results(NAME, "Test suite: serial vs pytest-xdist", figures, details, notes,
                  started_at)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
