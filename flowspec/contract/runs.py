"""The report of a run (``output/flows/latest-run.json``)."""

from __future__ import annotations

from collections import Counter
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


class RunReport(ContractModel):
    """``output/flows/latest-run.json``: every step (of the last attempt) and one line per
    flow and device of the last run or recording; ``shards``: the ``I/N`` parts merged."""

    kind: RunKind
    started_at: Moment
    finished_at: Moment
    results: tuple[StepOutcome, ...] = ()
    jobs: tuple[JobResult, ...] = ()
    shards: tuple[AnyText, ...] = ()

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
