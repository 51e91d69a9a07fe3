"""Run one flow on one device: act, assert, and (when asked) record or compare screenshots.

One function serves the regression suite, the recorder and the CLI: ``run_flow``.
A failed expectation or a missing target stops the flow (``flows.run.flow_run`` runs
each step) and the steps after it are skipped, naming the step that stopped it; the
failure leaves a Playwright trace behind. A changed picture does not stop the flow, so
one run shows every changed picture.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Error

from flows.pictures.files import OUTPUT_DIR, crop_name, image_name
from flows.run.browser import ContextOpener, Device, Retain, new_context
from flows.run.control import Control, ControlError, create_scenario
from flows.run.flow_run import FlowRun
from flows.run.playwright_steps import first_line
from flows.run.results import FlowResult, StepResult, utc_now
from flowspec.contract import StepStatus
from flowspec.steps import Flow

DEFAULT_TIMEOUT_MS = 5_000
NAVIGATION_TIMEOUT_MS = 15_000  # a first page load may be slow on a busy machine


def run_flow(
    browser: Browser,
    flow: Flow,
    device: Device,
    base_url: str,
    *,
    record_dir: Path | None = None,
    baseline_dir: Path | None = None,
    output_dir: Path = OUTPUT_DIR,
    on_step: Callable[[StepResult], None] | None = None,
    timeout_ms: float = DEFAULT_TIMEOUT_MS,
    context_setup: Callable[[BrowserContext], None] | None = None,
    trace: bool | Retain = True,
    open_context: ContextOpener | None = None,
) -> FlowResult:
    """Run ``flow`` on ``device`` in a fresh context against a fresh scenario.

    With ``record_dir``, each step's annotated screenshot is written to
    ``record_dir/<flow>/<device>/NN-<step>.png`` once the whole flow has passed.
    With ``baseline_dir``, each screenshot is compared with the image of the same name
    there. Failures leave the actual screenshot, diff pictures and a Playwright trace
    in ``output_dir/<flow>/<device>/``. ``context_setup`` may prepare the fresh context
    before the flow starts (routes, init scripts: tests use it to alter the storefront).
    ``trace=False`` skips the Playwright trace (a failed step still keeps its screenshot),
    ``Retain.ON`` keeps it for a passed flow too; a kept trace has its secrets masked.
    ``open_context`` opens the context (default ``browser.new_context``).
    """
    trace = Retain.of(trace)
    result = FlowResult(flow, device, started_at=utc_now())
    artefacts = output_dir / flow.id / device.name
    shutil.rmtree(artefacts, ignore_errors=True)  # what is left there is this run's evidence

    def add(step_result: StepResult) -> None:
        result.steps.append(step_result)
        if on_step:
            on_step(step_result)

    context = new_context(browser, device, base_url, open_context)
    context.set_default_timeout(timeout_ms)
    context.set_default_navigation_timeout(max(timeout_ms, NAVIGATION_TIMEOUT_MS))
    # DOM snapshots per action, no screencast: the filmstrip cost about a tenth of a
    # recording's time (bench/record_guide.py); a failed step keeps its own screenshot.
    if trace:
        context.tracing.start(screenshots=False, snapshots=True)
    run: FlowRun | None = None
    try:
        if context_setup is not None:
            context_setup(context)
        try:
            scenario = create_scenario(context.request, flow.scenario)
        except (ControlError, Error) as error:
            message = f'flow "{flow.id}" on {device.name}: {first_line(error)}'
            add(StepResult(
                flow=flow.id, device=device.name, step=0, total=len(flow.steps),
                step_id="scenario", status=StepStatus.FAILED, message=message, duration_ms=0,
            ))
        else:
            control = Control(context.request, scenario.token)
            run = FlowRun(
                context.new_page(),
                control,
                result,
                control.values(scenario),
                timeout_ms=timeout_ms,
                screenshots=record_dir is not None or baseline_dir is not None,
                baseline_dir=baseline_dir,
                artefacts=artefacts,
                encode=record_dir is not None,
            )
        for number, step in enumerate(flow.steps, 1):
            if run is None or result.stopped_at is not None:
                add(StepResult(
                    flow=flow.id, device=device.name, step=number, total=len(flow.steps),
                    step_id=step.id, status=StepStatus.SKIPPED, message=result.skip_reason(),
                    duration_ms=0, action=step.action.name,
                ))
            else:
                add(run.step(number, step))
    finally:
        if trace and not trace.keeps(result.passed):
            context.tracing.stop()
        elif trace:
            artefacts.mkdir(parents=True, exist_ok=True)
            result.trace = artefacts / "trace.zip"
            context.tracing.stop(path=result.trace)
            if run is not None:
                run.mask_trace(result.trace)
        context.close()
    if record_dir is not None and run is not None and result.passed:
        write_recording(result, record_dir / flow.id / device.name, run.encoded)
    result.finished_at = utc_now()
    return result


def write_recording(
    result: FlowResult, folder: Path, encoded: dict[int, Future[tuple[bytes, bytes | None]]]
) -> None:
    """Replace the flow's images for this device, dropping those of removed steps."""
    if folder.exists():
        shutil.rmtree(folder)
    for step in result.steps:
        if step.number in encoded:
            marked, part = encoded[step.number].result()
            path = folder / image_name(step.number, step.step_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(marked)
            step.image = str(path)
            if part is not None:
                crop = folder / crop_name(step.number, step.step_id)
                crop.parent.mkdir(parents=True, exist_ok=True)
                crop.write_bytes(part)
                step.crop = str(crop)
