"""Run results built by hand (no browser), for the report, JUnit, pool and merge tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from flows.report.outcomes import run_report
from flows.run.browser import Device
from flows.run.pool import Job, JobRun
from flows.run.results import FlowResult, StepResult
from flowspec.contract import RunKind, RunReport
from tests.flows.shop_pages import DEMO_FLOW, changed

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DEVICES = {
    name: Device(name, name.title(), {"viewport": {"width": 64, "height": 48}})
    for name in ("desktop", "phone")
}


def flow(flow_id: str):
    return changed(DEMO_FLOW, id=flow_id)


def picture(path: Path, colour: tuple[int, int, int]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (64, 48), (255, 255, 255))
    ImageDraw.Draw(image).rectangle((8, 8, 30, 30), fill=colour)
    image.save(path)
    return path


def flow_result(
    flow_id: str, device: str, statuses: list[str], folder: Path | None = None
) -> FlowResult:
    """A flow result with one step per status; changed steps get expected/actual/diff files
    in ``folder`` (as the runner leaves them)."""
    definition = flow(flow_id)
    result = FlowResult(definition, DEVICES[device], started_at=MONDAY, finished_at=MONDAY)
    for number, status in enumerate(statuses, 1):
        step = StepResult(
            flow=flow_id, device=device, step=number, total=len(statuses),
            step_id=f"step-{number}", status=status, duration_ms=100,
        )
        if status in ("changed", "failed"):
            step.message = f'flow "{flow_id}" on {device}, step {number}: it went wrong'
        if status == "changed" and folder is not None:
            base = folder / flow_id / device / f"{number:02d}-step-{number}"
            step.expected = str(picture(Path(f"{base}-expected.png"), (0, 0, 255)))
            step.actual = str(picture(Path(f"{base}-actual.png"), (0, 160, 0)))
            step.diff = str(picture(Path(f"{base}-diff.png"), (255, 0, 0)))
        result.steps.append(step)
    return result


def job_run(*attempts: FlowResult) -> JobRun:
    first = attempts[0]
    return JobRun(Job(first.flow, first.device.name), list(attempts), duration_ms=1500)


def report_of(job_runs: list[JobRun], root: Path, shards: tuple[str, ...] = ()) -> RunReport:
    return run_report(RunKind.RUN, MONDAY, MONDAY, job_runs, shards=shards, root=root)
