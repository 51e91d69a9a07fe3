"""What running a flow produced: one result per step, gathered per flow and device.

No Playwright here: the runner fills them in, the CLI prints them and
``flows.report.manifest`` turns them into the contract's files. A step's result is the
run report's row (``StepOutcome``) as the run goes on, with what the recorder adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ConfigDict

from flowspec.contract import StepOutcome, StepStatus
from flowspec.steps import Flow

if TYPE_CHECKING:
    from flows.run.browser import Device


class StepResult(StepOutcome):
    """What happened in one step, filled in as it runs: ``expected``/``actual``/``diff``
    are the image files as written (the report makes them relative), ``box`` as measured
    (the report rounds it); ``total`` is the flow's number of steps."""

    model_config = ConfigDict(frozen=False)

    total: int
    action: str = ""
    target: str | None = None
    image: str | None = None  # the recorded picture
    crop: str | None = None  # the readable part around the step's element

    @property
    def number(self) -> int:
        """The step's number in its flow, from 1 (0: the scenario could not be created)."""
        return self.step


@dataclass
class FlowResult:
    """Every step's result for one flow on one device, in order."""

    flow: Flow
    device: Device
    started_at: datetime
    finished_at: datetime | None = None
    steps: list[StepResult] = field(default_factory=list)
    trace: Path | None = None

    @property
    def passed(self) -> bool:
        return all(step.status == StepStatus.PASSED for step in self.steps)

    @property
    def failures(self) -> list[StepResult]:
        """Every step that did not pass: hard failures and changed pictures."""
        return [s for s in self.steps if s.status in (StepStatus.FAILED, StepStatus.CHANGED)]

    @property
    def stopped_at(self) -> StepResult | None:
        """The step whose failure stopped the flow (a changed picture does not)."""
        return next((s for s in self.steps if s.status == StepStatus.FAILED), None)

    def skip_reason(self) -> str:
        """What the steps after the stop say about why they did not run."""
        stopper = self.stopped_at
        if stopper is None or stopper.number == 0:
            return "skipped because the flow's scenario could not be created"
        return f'skipped because step {stopper.number} "{stopper.step_id}" failed'


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)

