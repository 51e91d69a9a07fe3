"""Every flow on every device still works and still looks like its committed recording.

Each test creates its own scenario through the control API, so the tests are
independent and run in parallel (``pytest -n auto``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.execute import progress_line
from flows.pictures.files import RECORDINGS_DIR, image_name
from flows.report.outcomes import run_report, summary
from flows.run.pool import Job, JobRun
from flows.run.results import FlowResult
from flows.run.runner import run_flow
from flowspec.contract import RunKind
from flowspec.paths import load_flows

FLOWS = load_flows()
DEVICES = ("desktop", "phone")


def failure_report(result: FlowResult) -> str:
    """What the CLI would print: each failure, its expected/actual/diff images, and the
    trace when one was kept (``--tracing retain-on-failure``)."""
    job_run = JobRun(Job(result.flow, result.device.name), [result])
    finished = result.finished_at or result.started_at
    report = run_report(RunKind.RUN, result.started_at, finished, [job_run])
    return "\n".join([*(progress_line(step) for step in result.failures), summary(report)])


@pytest.mark.parametrize(
    ("flow_id", "device_name"),
    [pytest.param(flow, device, id=f"{flow}-{device}") for flow in FLOWS for device in DEVICES],
)
def test_flow_passes_and_matches_its_recording(
    browser, devices, base_url, flow_output: Path, flow_trace, flow_context, flow_id: str,
    device_name: str,
):
    flow = FLOWS[flow_id]
    baselines = RECORDINGS_DIR / flow.id / device_name
    missing = [
        image_name(number, step.id)
        for number, step in enumerate(flow.steps, 1)
        if not (baselines / image_name(number, step.id)).exists()
    ]
    assert not missing, (
        f'flow "{flow.id}" on {device_name} has no baseline for {", ".join(missing)}: '
        f"record it with `python -m flows record {flow.id} --device {device_name}`"
    )

    result = run_flow(
        browser,
        flow,
        devices[device_name],
        base_url,
        baseline_dir=RECORDINGS_DIR,
        output_dir=flow_output,
        trace=flow_trace,
        open_context=flow_context,
    )

    assert result.passed, failure_report(result)
