"""The progress events a run prints, one JSON object per line."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import (
    Field,
    TypeAdapter,
)

from flowspec.contract.base import (
    AnyText,
    ContractError,
    ContractModel,
    DeviceName,
    JobOutcome,
    Positive,
    RunKind,
    StepStatus,
    Text,
    Whole,
    _validated,
)
from flowspec.contract.runs import (
    JobResult,
    StepOutcome,
)


class RunStarted(ContractModel):
    """First line of a run: how many step lines will follow (one per step and device)."""

    event: Literal["started"] = "started"
    kind: RunKind
    flows: tuple[Text, ...]
    devices: tuple[DeviceName, ...]
    steps: Whole


class StepFinished(StepOutcome):
    """A step passed or failed: its latest-run row, and how many steps its flow has.

    Skipped steps are not reported while running."""

    event: Literal["step"] = "step"
    total: Whole
    attempt: Positive = 1  # 2 and up: a retry (``--retries``)

    def describe(self) -> str:
        return f"{self.flow} [{self.device}] step {self.step} of {self.total}: {self.step_id}"


class JobFinished(JobResult):
    """A flow finished on a device, after its last attempt: its latest-run job line."""

    event: Literal["job"] = "job"


class Note(ContractModel):
    """Anything else the person running the command should read (a started storefront)."""

    event: Literal["note"] = "note"
    text: AnyText


class RunFinished(ContractModel):
    event: Literal["finished"] = "finished"
    flow_runs: Whole
    flow_runs_passed: Whole
    steps: dict[StepStatus, Whole] = {}
    summary: AnyText = ""
    outcome: JobOutcome | None = None  # the run's worst job; None from older writers
    exit_code: Whole | None = None


class Problem(ContractModel):
    """The command could not run at all (exit status 2); the text says what to fix."""

    event: Literal["problem"] = "problem"
    text: AnyText


ProgressEvent = Annotated[
    RunStarted | StepFinished | JobFinished | Note | RunFinished | Problem,
    Field(discriminator="event"),
]
_EVENT = TypeAdapter(ProgressEvent)


def event_line(event: ContractModel) -> str:
    """One event as the single line a run prints."""
    return event.model_dump_json()


def read_event(
    line: str,
) -> RunStarted | StepFinished | JobFinished | Note | RunFinished | Problem:
    """A printed line as its event; ContractError for any other line."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        raise ContractError(f"not a progress event: {line[:80]!r}") from None
    return _validated(_EVENT, data, "progress event")
