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
    JobFinished,
    JobOutcome,
    JobResult,
    RunFinished,
    RunKind,
    RunReport,
    StepFinished,
    StepStatus,
)


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
    root: Path = ROOT,
) -> RunReport:
    """The report of a run: every step of each job's last attempt, and one line per job."""
    job_runs = list(job_runs)
    steps = latest_run(kind, started_at, finished_at, [job_run.final for job_run in job_runs], root)
    jobs = tuple(job_result(job_run, root) for job_run in job_runs)
    return steps.model_copy(update={"jobs": jobs, "shards": tuple(shards)})


def finished_event(report: RunReport) -> RunFinished:
    counts = report.counts()
    return RunFinished(
        flow_runs=len(report.jobs),
        flow_runs_passed=sum(job.outcome is not JobOutcome.FAILED for job in report.jobs),
        steps={status: counts.get(status, 0) for status in StepStatus},
        summary=summary(report),
    )


def summary(report: RunReport) -> str:
    """``1 of 2 flow runs passed (9 steps passed, 1 changed, 1 failed, 3 skipped)``, plus
    the flaky ones (never counted as plainly passed) and where failed flows' traces are."""
    counts: Counter[StepStatus] = report.counts()
    outcomes = Counter(job.outcome for job in report.jobs)
    steps = ", ".join(
        f"{counts.get(status, 0)} {'steps passed' if status is StepStatus.PASSED else status}"
        for status in StepStatus
    )
    text = f"{outcomes[JobOutcome.PASSED]} of {len(report.jobs)} flow runs passed ({steps})"
    if outcomes[JobOutcome.FLAKY]:
        flaky = [f"{job.flow} [{job.device}]" for job in report.jobs if job.outcome == "flaky"]
        text += f"; {len(flaky)} flaky (failed, then passed on a retry): {', '.join(flaky)}"
    for job in report.jobs:
        if job.trace is not None:
            text += (
                f"\ntrace of {job.flow} [{job.device}]: {job.trace}"
                " (open with `playwright show-trace`)"
            )
    return text
