"""``python -m flows run`` and ``record``: plan the jobs, share them among browsers, and
write what the run found (progress, the run report, the HTML report, JUnit XML)."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable
from contextlib import ExitStack, nullcontext
from functools import partial
from pathlib import Path
from typing import TextIO

from flows.report.html import write_report
from flows.report.junit import write_junit
from flows.report.manifest import load_or_empty, update_manifest, write_manifest
from flows.report.outcomes import (
    MARKS,
    finished_event,
    job_event,
    run_report,
    step_event,
    summary,
)
from flows.run.browser import Session, open_session
from flows.run.endpoints import EndpointPool
from flows.run.live_server import answers, live_storefront
from flows.run.pool import (
    BrowserSource,
    Job,
    JobRun,
    parse_shard,
    plan,
    run_jobs,
    shard,
)
from flows.run.results import FlowResult, StepResult, utc_now
from flows.run.runner import run_flow
from flows.settings import FlowsSettings
from flowspec.contract import (
    LATEST_RUN_NAME,
    MANIFEST_NAME,
    ContractModel,
    FailOn,
    Note,
    RunKind,
    RunReport,
    RunStarted,
    event_line,
    exit_code,
    write_json,
)
from flowspec.steps import Flow

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEVICE_CHOICES = {"desktop": ("desktop",), "phone": ("phone",), "all": ("desktop", "phone")}


class UsageProblem(Exception):
    """Something the person running the command must fix; printed, exit status 2."""


def select_flows(flows: dict[str, Flow], wanted: list[str]) -> list[Flow]:
    """The flows asked for, in the order given (all of them when none are named)."""
    if not flows:
        raise UsageProblem("No flows are defined yet: add a module to flowspec/paths/.")
    unknown = [name for name in wanted if name not in flows]
    if unknown:
        names = ", ".join(f'"{name}"' for name in unknown)
        raise UsageProblem(f"unknown flow {names}; known flows: {', '.join(flows)}")
    return [flows[name] for name in wanted] if wanted else list(flows.values())


def shown(path: Path | str) -> str:
    """A path as the person at the terminal can use it: relative when under the cwd."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def progress_line(step: StepResult, attempt: int = 1) -> str:
    """``✓ pre-verification [desktop] 3/7 cancel-order 142 ms`` (failures add the reason)."""
    mark = MARKS[step.status]
    line = f"{mark} {step.flow} [{step.device}] {step.number}/{step.total} {step.step_id}"
    line += f" {step.duration_ms} ms"
    if attempt > 1:
        line += f" (retry {attempt - 1})"
    if step.status in ("failed", "changed"):
        line += f"\n    {step.message}"
        for label, path in (
            ("expected", step.expected),
            ("actual", step.actual),
            ("diff", step.diff),
        ):
            if path is not None:
                line += f"\n    {label}: {shown(path)}"
    return line


class Progress:
    """Prints what happens, as text lines or (``--json``) as the contract's events; several
    browsers report at once, so each line is printed whole."""

    def __init__(self, out: TextIO, as_json: bool) -> None:
        self.out, self.as_json = out, as_json
        self.lock = threading.Lock()

    def _print(self, text: str) -> None:
        with self.lock:
            print(text, file=self.out, flush=True)

    def event(self, event: ContractModel, text: str | None) -> None:
        if self.as_json:
            self._print(event_line(event))
        elif text is not None:
            self._print(text)

    def note(self, text: str) -> None:
        self.event(Note(text=text), text)

    def step(self, step: StepResult, attempt: int) -> None:
        if step.status != "skipped":
            self.event(step_event(step, attempt), progress_line(step, attempt))

    def job(self, job_run: JobRun) -> None:
        retried = len(job_run.attempts) > 1
        text = None
        if retried:
            text = f"  {job_run.job.key}: {job_run.outcome} after {len(job_run.attempts)} attempts"
        self.event(job_event(job_run), text)


def resolve_base_url(
    wanted: str | None, stack: ExitStack, progress: Progress, settings: FlowsSettings
) -> str:
    """The storefront to use: the one asked for, FLOWS_BASE_URL, the default one, or a
    fresh one."""
    if wanted or settings.base_url:
        url = wanted or settings.storefront() or ""
        if not answers(url):
            source = "" if wanted else " (FLOWS_BASE_URL)"
            raise UsageProblem(
                f"nothing answers at {url}{source} (is the storefront running? start it with"
                " `python -m mock_site`, or leave out the address to have one started)"
            )
        progress.note(f"Storefront: {url.rstrip('/')} ({'--base-url' if wanted else 'FLOWS_BASE_URL'})")
        return url.rstrip("/")
    if answers(DEFAULT_BASE_URL):
        progress.note(f"Storefront: {DEFAULT_BASE_URL}, already running there, reused"
                      " (--base-url drives another)")
        return DEFAULT_BASE_URL
    base_url = stack.enter_context(live_storefront())
    progress.note(f"Started a storefront for this run at {base_url}")
    return base_url


def browser_sources(
    args: argparse.Namespace,
    session: Session | None,
    jobs: int,
    settings: FlowsSettings,
    pool: EndpointPool | None = None,
) -> list[tuple[str, BrowserSource]]:
    """Where the jobs run: the given session, every endpoint, or ``--workers`` local ones."""
    if session is not None:
        return [("local", lambda: nullcontext(session))]
    if pool is not None and pool.endpoints:
        return pool.sources()
    local = partial(open_session, settings, headed=args.headed, endpoint="")
    workers = max(1, min(getattr(args, "workers", 1), jobs))
    if workers == 1:
        return [("local", local)]
    return [(f"local-{n}", local) for n in range(1, workers + 1)]


def execute(
    args: argparse.Namespace,
    flows: dict[str, Flow],
    session: Session | None,
    recordings_dir: Path,
    output_dir: Path,
    out: TextIO,
    settings: FlowsSettings,
) -> int:
    """Run or record the selected flows on the selected devices; the exit status says
    whether a flow failed (1) or only pictures changed (3, unless ``--fail-on failed``)."""
    progress = Progress(out, getattr(args, "progress", "text") == "json")
    kind = RunKind(args.command)
    output_dir = Path(getattr(args, "output", None) or output_dir)
    selected = select_flows(flows, args.flows)
    jobs = plan(selected, DEVICE_CHOICES[args.device])
    shards: tuple[str, ...] = ()
    if getattr(args, "shard", None):
        index, count = parse_shard(args.shard)
        jobs, shards = shard(jobs, index, count), (f"{index}/{count}",)
    manifest_path = recordings_dir / MANIFEST_NAME
    manifest = load_or_empty(manifest_path) if kind is RunKind.RECORD else None
    started_at = utc_now()
    steps = sum(len(job.flow.steps) for job in jobs)
    progress.event(
        RunStarted(
            kind=kind,
            flows=tuple(dict.fromkeys(job.flow.id for job in jobs)),
            devices=DEVICE_CHOICES[args.device],
            steps=steps,
        ),
        None,
    )
    with ExitStack() as stack:
        base_url = resolve_base_url(args.base_url, stack, progress, settings)

        def run_one(session: Session, job: Job, attempt: int) -> FlowResult:
            return run_flow(
                session.browser,
                job.flow,
                session.devices[job.device],
                base_url,
                record_dir=recordings_dir if kind is RunKind.RECORD else None,
                baseline_dir=recordings_dir if kind is RunKind.RUN else None,
                output_dir=output_dir if attempt == 1 else output_dir / f"retry-{attempt - 1}",
                on_step=lambda step: progress.step(step, attempt),
                timeout_ms=args.timeout_ms,
                trace=args.trace,
            )

        endpoint = getattr(args, "endpoint", None)
        pool = None if session else EndpointPool(endpoint, settings, progress.note)
        try:
            job_runs = run_jobs(
                jobs,
                browser_sources(args, session, len(jobs), settings, pool),
                run_one,
                retries=getattr(args, "retries", 0),
                on_job=pool.counted(progress.job) if pool else progress.job,
                on_browser_error=pool.browser_failed if pool else None,
                in_this_thread=session is not None,
            )
        finally:
            if pool is not None:
                pool.finish()
    if manifest is not None:
        for job_run in job_runs:
            if job_run.final.passed:
                manifest = update_manifest(manifest, job_run.final, recordings_dir)
    report = run_report(kind, started_at, utc_now(), job_runs, shards=shards,
                        browsers=pool.uses() if pool is not None else ())
    write_json(output_dir / LATEST_RUN_NAME, report)
    if manifest is not None and any(job_run.final.passed for job_run in job_runs):
        write_manifest(manifest_path, manifest)
        progress.note(f"Manifest written: {shown(manifest_path)}")
    write_outputs(args, report, progress.note)
    fail_on = FailOn(getattr(args, "fail_on", None) or FailOn.CHANGED)
    progress.event(finished_event(report, fail_on), summary(report, fail_on))
    return exit_code(report.outcome, fail_on).value


def write_outputs(args: argparse.Namespace, report: RunReport, note: Callable[[str], None]) -> None:
    """The HTML report and the JUnit file, when asked for."""
    if getattr(args, "report", None):
        index = write_report(report, Path(args.report))
        note(f"HTML report: {shown(index)}")
    if getattr(args, "junit", None):
        fail_on = FailOn(getattr(args, "fail_on", None) or FailOn.CHANGED)
        note(f"JUnit XML: {shown(write_junit(report, Path(args.junit), fail_on))}")
