"""A run's results as the contract's models: the run report, its jobs and the progress events.

Image and trace paths become relative to the repository root (``flows.report.manifest.relative``),
so the report stays valid on any machine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from flows.pictures.files import ROOT, relative
from flows.report.manifest import latest_run
from flows.report.manifest import outcome as step_row
from flows.run.pool import JobRun
from flows.run.results import StepResult
from flowspec.contract import (
    BrowserUse,
    ExitCode,
    FailOn,
    JobFinished,
    JobOutcome,
    JobResult,
    RunFinished,
    RunKind,
    RunReport,
    StepFinished,
    StepStatus,
    exit_code,
)

#: How text output marks a step or a flow: a changed picture is not a failure.
MARKS = {
    StepStatus.PASSED: "✓",
    StepStatus.CHANGED: "≠",
    StepStatus.FAILED: "✗",
    StepStatus.SKIPPED: "-",
}


def step_event(step: StepResult, attempt: int = 1, root: Path = ROOT) -> StepFinished:
    """The step's latest-run row as a progress event, with its try (2 and up: a retry)."""
    return StepFinished(**dict(step_row(step, root)), total=step.total, attempt=attempt)


def job_result(job_run: JobRun, root: Path = ROOT) -> JobResult:
    return JobResult(
        flow=job_run.job.flow.id,
        device=job_run.job.device,
        outcome=job_run.outcome,
        duration_ms=job_run.duration_ms,
        attempts=len(job_run.attempts),
        endpoint=job_run.endpoint,
        trace=relative(job_run.final.trace, root),
        earlier_failures=tuple(job_run.earlier_failures()),
    )


def job_event(job_run: JobRun) -> JobFinished:
    return JobFinished(**dict(job_result(job_run)))


def run_report(
    kind: RunKind,
    started_at: datetime,
    finished_at: datetime,
    job_runs: Iterable[JobRun],
    *,
    shards: Sequence[str] = (),
    browsers: Sequence[BrowserUse] = (),
    root: Path = ROOT,
) -> RunReport:
    """The report of a run: every step of each job's last attempt, and one line per job."""
    job_runs = list(job_runs)
    steps = latest_run(kind, started_at, finished_at, [job_run.final for job_run in job_runs], root)
    jobs = tuple(job_result(job_run, root) for job_run in job_runs)
    return steps.model_copy(
        update={"jobs": jobs, "shards": tuple(shards), "browsers": tuple(browsers)}
    )


def finished_event(report: RunReport, fail_on: FailOn = FailOn.CHANGED) -> RunFinished:
    counts = report.counts()
    return RunFinished(
        flow_runs=len(report.jobs),
        flow_runs_passed=sum(
            job.outcome in (JobOutcome.PASSED, JobOutcome.FLAKY) for job in report.jobs
        ),
        steps={status: counts.get(status, 0) for status in StepStatus},
        summary=summary(report, fail_on),
        outcome=report.outcome,
        exit_code=exit_code(report.outcome, fail_on),
    )


def summary(report: RunReport, fail_on: FailOn = FailOn.CHANGED) -> str:
    """``CHANGED: 1 of 3 flow runs passed, 1 changed (pictures only), 1 failed (9 steps
    passed, …)``, plus the flaky ones (never counted as plainly passed), where failed flows'
    traces are and what the exit status means."""
    counts: Counter[StepStatus] = report.counts()
    outcomes = Counter(job.outcome for job in report.jobs)
    steps = ", ".join(
        f"{counts.get(status, 0)} {'steps passed' if status is StepStatus.PASSED else status}"
        for status in StepStatus
    )
    text = f"{report.outcome.upper()}: {outcomes[JobOutcome.PASSED]} of {len(report.jobs)}"
    text += " flow runs passed"
    if outcomes[JobOutcome.CHANGED]:
        text += f", {outcomes[JobOutcome.CHANGED]} changed (pictures only)"
    if outcomes[JobOutcome.FAILED]:
        text += f", {outcomes[JobOutcome.FAILED]} failed"
    text += f" ({steps})"
    if outcomes[JobOutcome.FLAKY]:
        flaky = [f"{job.flow} [{job.device}]" for job in report.jobs if job.outcome == "flaky"]
        text += f"; {len(flaky)} flaky (failed, then passed on a retry): {', '.join(flaky)}"
    for job in report.jobs:
        if job.trace is not None:
            text += (
                f"\ntrace of {job.flow} [{job.device}]: {job.trace}"
                f" (open with `playwright show-trace {job.trace}`)"
            )
    code = exit_code(report.outcome, fail_on)
    if report.outcome is JobOutcome.CHANGED:
        text += (
            "\nonly pictures changed: review them (`python -m flows approve --all`); exit status"
            f" {code.value}" + (" (--fail-on failed)" if code is ExitCode.PASSED else "")
        )
    return text
