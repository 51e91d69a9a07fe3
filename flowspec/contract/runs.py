"""The report of a run (``output/flows/latest-run.json``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any

from pydantic import (
    TypeAdapter,
)

from flowspec.contract.base import (
    LATEST_RUN_NAME,
    AnyText,
    ContractModel,
    DeviceName,
    JobOutcome,
    Moment,
    Positive,
    RunKind,
    RunReportError,
    StepStatus,
    Text,
    Whole,
    _validated,
    read_json,
)
from flowspec.contract.manifest import (
    Box,
)


class FailOn(StrEnum):
    """What fails a run (``--fail-on``): ``changed``, a changed picture too (Playwright's
    way, the default); ``failed``, only a stopped flow (changes wait for review)."""

    CHANGED = "changed"
    FAILED = "failed"


class FailureKind(StrEnum):
    """Why a step stopped its flow: a check of the page failed, its target was not
    there, or something else went wrong (a page error, a scenario, a placeholder)."""

    EXPECTATION = "expectation"
    NOT_FOUND = "not found"
    ERROR = "error"


class ExitCode(IntEnum):
    """``python -m flows`` exit statuses: 2 is argparse's, and ours, for a usage problem."""

    PASSED = 0
    FAILED = 1  # a flow stopped at a step
    USAGE = 2  # the command could not run as given (or no browser could be reached)
    CHANGED = 3  # only pictures changed, and ``--fail-on changed``


def job_outcome(statuses: Iterable[StepStatus], attempts: int = 1) -> JobOutcome:
    """A job's outcome from its last attempt's steps: a failed step fails it, else a
    changed picture makes it changed; a pass after a retry is flaky."""
    seen = set(statuses)
    if StepStatus.FAILED in seen:
        return JobOutcome.FAILED
    if StepStatus.CHANGED in seen:
        return JobOutcome.CHANGED
    return JobOutcome.FLAKY if attempts > 1 else JobOutcome.PASSED


def worst(outcomes: Iterable[JobOutcome]) -> JobOutcome:
    """The run's outcome: its worst job's (a run without jobs passed)."""
    order = list(JobOutcome)
    return min(outcomes, key=order.index, default=JobOutcome.PASSED)


def exit_code(outcome: JobOutcome, fail_on: FailOn = FailOn.CHANGED) -> ExitCode:
    if outcome is JobOutcome.FAILED:
        return ExitCode.FAILED
    if outcome is JobOutcome.CHANGED and fail_on is FailOn.CHANGED:
        return ExitCode.CHANGED
    return ExitCode.PASSED


class StepOutcome(ContractModel):
    """One step of one flow on one device; image paths are relative to the repository."""

    flow: Text
    device: DeviceName
    step: Whole  # 0 when the flow's scenario could not be created
    step_id: AnyText
    status: StepStatus
    message: AnyText = ""
    duration_ms: Whole | None = None
    expected: AnyText | None = None
    actual: AnyText | None = None
    diff: AnyText | None = None
    box: Box | None = None  # where the target was: what an accepted picture's entry needs
    aria: AnyText | None = None
    failure: FailureKind | None = None  # set on a failed step

    @property
    def acceptable(self) -> bool:
        """Only a changed picture can become the baseline, never a failed expectation."""
        return self.status is StepStatus.CHANGED and self.actual is not None


class JobResult(ContractModel):
    """One flow on one device: its outcome over every attempt, and where it ran."""

    flow: Text
    device: DeviceName
    outcome: JobOutcome
    duration_ms: Whole = 0
    attempts: Positive = 1
    endpoint: AnyText = "local"
    trace: AnyText | None = None  # relative to the repository, like the images
    earlier_failures: tuple[AnyText, ...] = ()  # what failed before the last attempt


class BrowserUse(ContractModel):
    """A browser the run was given (``--endpoint``): the jobs it ran and, when it failed,
    its error (its other jobs then ran on the browsers left)."""

    endpoint: Text
    jobs: Whole = 0
    error: AnyText | None = None

    def failure(self) -> str:
        """``The browser at ws://… failed after 2 job(s); the run's other browsers ran the
        rest: <its error>``."""
        return (f"The browser at {self.endpoint} failed after {self.jobs} job(s); the run's"
                f" other browsers ran the rest: {self.error}")


class RunReport(ContractModel):
    """``output/flows/latest-run.json``: every step (of the last attempt) and one line per
    flow and device of the last run or recording; ``shards``: the ``I/N`` parts merged."""

    kind: RunKind
    started_at: Moment
    finished_at: Moment
    results: tuple[StepOutcome, ...] = ()
    jobs: tuple[JobResult, ...] = ()
    shards: tuple[AnyText, ...] = ()
    browsers: tuple[BrowserUse, ...] = ()  # empty when the run used its own Chromium

    @property
    def failed_browsers(self) -> tuple[BrowserUse, ...]:
        return tuple(browser for browser in self.browsers if browser.error is not None)

    @property
    def outcome(self) -> JobOutcome:
        """The worst of the jobs (from the steps when the report has no job lines)."""
        if self.jobs:
            return worst(job.outcome for job in self.jobs)
        return job_outcome(result.status for result in self.results)

    def job(self, flow: str, device: str) -> JobResult | None:
        return next((j for j in self.jobs if (j.flow, j.device) == (flow, device)), None)

    def counts(self) -> Counter[StepStatus]:
        return Counter(result.status for result in self.results)

    def groups(self) -> dict[tuple[str, str], list[StepOutcome]]:
        """Results per (flow, device), in the order the run produced them."""
        grouped: dict[tuple[str, str], list[StepOutcome]] = {}
        for result in self.results:
            grouped.setdefault((result.flow, result.device), []).append(result)
        return grouped


def read_run_report(path: Path) -> RunReport:
    return parse_run_report(read_json(path, RunReportError), path.name)

def parse_run_report(data: Any, name: str = LATEST_RUN_NAME) -> RunReport:
    return _validated(TypeAdapter(RunReport), data, name, RunReportError)
