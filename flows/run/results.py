"""What running a flow produced: one result per step, gathered per flow and device.

Plain records (no Playwright): the runner fills them in, the CLI prints them and
``flows.report.manifest`` turns them into the contract's files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flows.report.annotate import Box
from flowspec.contract import StepStatus
from flowspec.steps import Action, Flow, Step

if TYPE_CHECKING:
    from flows.run.browser import Device


@dataclass
class StepResult:
    """What happened in one step; ``expected``/``actual``/``diff`` are image files."""

    flow: str
    device: str
    number: int
    total: int
    step_id: str
    status: StepStatus
    message: str = ""
    duration_ms: int = 0
    action: str = ""
    target: str | None = None
    box: Box | None = None
    aria: str | None = None
    image: Path | None = None
    crop: Path | None = None  # the readable part around the step's element
    expected: Path | None = None
    actual: Path | None = None
    diff: Path | None = None


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


def action_name(step: Step) -> str:
    """The manifest's word for a step's action (``click``), even for a bad definition."""
    return step.action.name if isinstance(step.action, Action) else str(step.action)
