"""Every flow on every device shared among browser endpoints, and the HTML report's weight.

``python -m bench.browser_pool [--rounds N] [--only-report] [--quick]``

1. One storefront, two headless Chromiums listening for DevTools on loopback. Each round
   runs ``python -m flows run`` over all 22 flow × device jobs twice, in turn: with two
   local browsers (``--workers 2``: the local parallel run) and over the two endpoints
   (``--endpoint a,b``). Target: the endpoints no slower than the local run.
2. From the jobs' measured times, the wall time the pool's queue would take with N
   endpoints (each takes the next job as soon as it is free), for N = 1 … 22.
3. The HTML report of a full run (``--report``), and of the same run with every step
   marked changed (every expected, actual and diff picture included): folder size and
   the time a headless Chromium takes to open it from disk (navigation start to the
   load event). Targets: < 25 MB, < 1 s.

``--quick``: one round of the shortest flow on desktop, and no heaviest report.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from playwright.sync_api import sync_playwright

from bench.support.common import (
    PYTHON,
    ROOT,
    Figure,
    add_quick_option,
    median,
    ratio,
    results_folder,
    write_results,
)
from flows.chromium import find_chromium
from flows.pictures.files import RECORDINGS_DIR, image_name
from flows.report.html import write_report
from flows.run.browser import LAUNCH_ARGS
from flows.run.live_server import answers, free_port, live_storefront, serve
from flowspec.contract import (
    MANIFEST_NAME,
    JobOutcome,
    JobResult,
    RunKind,
    RunReport,
    StepOutcome,
    StepStatus,
    read_manifest,
    read_run_report,
)

NAME = "browser_pool"
HEADLESS_ARGS = ("--headless", "--hide-scrollbars", "--mute-audio", "--force-color-profile=srgb",
                 "--blink-settings=primaryHoverType=2,availableHoverTypes=2,"
                 "primaryPointerType=4,availablePointerTypes=4")
LIMIT_S = 1800
SIZE_TARGET_MB = 25
OPEN_TARGET_S = 1.0


def devtools_chromium(folder: Path):
    """A headless Chromium with DevTools on a free loopback port (as tests/e2e start one)."""
    executable = find_chromium(os.environ, None)
    port = free_port()
    command = [executable or "chromium", *HEADLESS_ARGS, *LAUNCH_ARGS,
               "--remote-debugging-address=127.0.0.1", f"--remote-debugging-port={port}",
               f"--user-data-dir={folder / f'chromium-{port}'}", "about:blank"]
    endpoint = f"http://127.0.0.1:{port}"
    return serve(command, endpoint, probe=lambda url: answers(url, "/json/version"))


def timed_run(label: str, extra: list[str], base_url: str, output: Path) -> dict[str, Any]:
    command = [PYTHON, "-m", "flows", "run", "--base-url", base_url, "--no-trace",
               "--output", str(output), *extra]
    print(f"$ python -m flows run … {' '.join(extra)}", flush=True)
    started = perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=LIMIT_S)
    seconds = perf_counter() - started
    summary = (done.stdout.strip().splitlines() or [""])[-1]
    print(f"  {label}: {seconds:.1f} s, exit {done.returncode}: {summary}", flush=True)
    return {"label": label, "seconds": round(seconds, 1), "exit_code": done.returncode,
            "summary": summary}


def queue_wall_time(durations: list[float], endpoints: int) -> float:
    """The pool's rule on paper: each endpoint takes the next job as soon as it is free."""
    free_at = [0.0] * endpoints
    for duration in durations:
        soonest = free_at.index(min(free_at))
        free_at[soonest] += duration
    return max(free_at)


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def open_time(index: Path) -> float:
    """Seconds from navigation start to the load event, opening the report from disk."""
    with sync_playwright() as playwright:
        executable = find_chromium(os.environ, playwright.chromium.executable_path)
        browser = playwright.chromium.launch(executable_path=executable, args=list(LAUNCH_ARGS))
        page = browser.new_page()
        times = []
        for _ in range(3):
            page.goto(index.as_uri(), wait_until="load")
            times.append(page.evaluate(
                "() => { const [n] = performance.getEntriesByType('navigation');"
                " return n.loadEventEnd - n.startTime; }") / 1000)
        browser.close()
    return median(times) or 0.0


def every_step_changed(folder: Path) -> Path:
    """A full run (every recorded flow, step and device) with every step changed, its
    recording as all three pictures: the heaviest report a full run can produce."""
    manifest = read_manifest(RECORDINGS_DIR / MANIFEST_NAME)
    now = datetime.now(UTC).replace(microsecond=0)
    rows, jobs = [], []
    for flow in manifest.flows:
        for device in manifest.devices:
            jobs.append(JobResult(flow=flow.id, device=device, outcome=JobOutcome.FAILED))
            for step in flow.steps:
                picture = RECORDINGS_DIR / flow.id / device / image_name(step.number, step.id)
                path = str(picture.relative_to(ROOT))
                rows.append(StepOutcome(
                    flow=flow.id, device=device, step=step.number, step_id=step.id,
                    status=StepStatus.CHANGED, message="changed", expected=path, actual=path,
                    diff=path))
    heavy = RunReport(kind=RunKind.RUN, started_at=now, finished_at=now, results=tuple(rows),
                      jobs=tuple(jobs))
    return write_report(heavy, folder)


def heavy_report_figures(work: Path) -> list[Figure]:
    started = perf_counter()
    index = every_step_changed(work / "heavy-report")
    written = perf_counter() - started
    size, opened = folder_size(index.parent), open_time(index)
    return [
        Figure("every step changed (3 pictures each): size", round(size / 1e6, 2), "MB",
               target=f"< {SIZE_TARGET_MB} MB", met=size / 1e6 < SIZE_TARGET_MB),
        Figure("every step changed: open", round(opened, 3), "s",
               target=f"< {OPEN_TARGET_S:g} s", met=opened < OPEN_TARGET_S),
        Figure("every step changed: writing the report", round(written, 1), "s"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser_pool", description=__doc__)
    parser.add_argument("--rounds", type=int, default=1, help="rounds of both runs (default 1)")
    parser.add_argument("--only-report", action="store_true",
                        help="only the heaviest report (results in browser_pool_report.*)")
    add_quick_option(parser)
    args = parser.parse_args(argv)
    folder = results_folder(args.quick)
    only: list[str] = []
    if args.quick:
        manifest = read_manifest(RECORDINGS_DIR / MANIFEST_NAME)
        shortest = min(manifest.flows, key=lambda flow: len(flow.steps))
        args.rounds, only = 1, [shortest.id, "--device", "desktop"]
    started_at = datetime.now(UTC).replace(microsecond=0)
    if args.only_report:
        with tempfile.TemporaryDirectory(prefix="browser-pool-") as scratch:
            figures = heavy_report_figures(Path(scratch))
        write_results(f"{NAME}_report", "The heaviest HTML report of a full run", figures,
                      started_at=started_at,
                      command=".venv/bin/python -m bench.browser_pool --only-report",
                      folder=folder)
        return 0
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="browser-pool-") as scratch:
        work = Path(scratch)
        with live_storefront() as base_url, devtools_chromium(work) as first, \
                devtools_chromium(work) as second:
            modes = [("local, --workers 2", ["--workers", "2", *only]),
                     ("2 endpoints", ["--endpoint", f"{first},{second}", *only])]
            for round_number in range(args.rounds):
                for label, extra in modes[round_number % 2:] + modes[:round_number % 2]:
                    output = work / f"{label.split(',')[0].replace(' ', '-')}-{round_number}"
                    if label == "2 endpoints":
                        extra = [*extra, "--report", str(output / "report")]
                    runs.append({**timed_run(label, extra, base_url, output),
                                 "output": output})
        local = [r["seconds"] for r in runs if r["label"].startswith("local")]
        pooled = [r["seconds"] for r in runs if r["label"] == "2 endpoints"]
        last = next(r for r in reversed(runs) if r["label"] == "2 endpoints")["output"]
        jobs = read_run_report(last / "latest-run.json").jobs
        durations = [job.duration_ms / 1000 for job in jobs]
        on_paper = {n: round(queue_wall_time(durations, n), 1) for n in (1, 2, 3, 4, 6, 8, 11, 22)}
        report_dir = last / "report"
        full_size = folder_size(report_dir)
        full_open = open_time(report_dir / "index.html")
        heavy = [] if args.quick else heavy_report_figures(work)
    figures = [
        Figure("local parallel run (--workers 2), wall time", median(local), "s"),
        Figure("over 2 endpoints, wall time", median(pooled), "s",
               target="≤ local", met=(median(pooled) or 0) <= (median(local) or 0)),
        Figure("2 endpoints / local", round(ratio(median(pooled), median(local)) or 0, 3), "×"),
        Figure("jobs", len(jobs)),
        Figure("sum of job times (1 endpoint, on paper)", round(sum(durations), 1), "s"),
        Figure("longest job", round(max(durations), 1), "s"),
        *(Figure(f"on paper, {n} endpoints", seconds, "s") for n, seconds in on_paper.items()),
        Figure("HTML report of the run: size", round(full_size / 1e6, 2), "MB",
               target=f"< {SIZE_TARGET_MB} MB", met=full_size / 1e6 < SIZE_TARGET_MB),
        Figure("HTML report of the run: open", round(full_open, 3), "s",
               target=f"< {OPEN_TARGET_S:g} s", met=full_open < OPEN_TARGET_S),
        *heavy,
    ]
    notes = [
        "One storefront serves both runs; the two DevTools Chromiums run on this machine,"
        " so both runs share its 2 CPUs with the storefront and the runner.",
        "On paper: the jobs' measured times (over the endpoints) queued as the pool queues"
        " them; the storefront and the runner's screenshot comparison are taken not to slow"
        " down as endpoints are added, which holds only while they have CPU to spare.",
        "Open time: navigation start to the load event, median of 3, headless Chromium.",
    ]
    details = {"runs": [{k: v for k, v in r.items() if k != "output"} for r in runs],
               "job_seconds": {f"{j.flow}/{j.device}": j.duration_ms / 1000 for j in jobs},
               "on_paper_seconds": on_paper}
    write_results(NAME, "Flows over a browser pool, and the HTML report", figures, details,
                  notes, started_at, folder=folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
