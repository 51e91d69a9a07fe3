"""Run one flow on one device: act, assert, and (when asked) record or compare screenshots.

One function serves the regression suite, the recorder and the CLI: ``run_flow``.
A failed expectation or a missing target stops the flow with a message that names the
flow, the device, the step and what was missing, and leaves its screenshot (and a
Playwright trace) behind. A changed picture does not (as Playwright's ``expect.soft``):
the step is ``changed`` and the flow goes on, so one run shows every changed picture.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Error, Locator, Page, expect

from flows.report.annotate import Box, annotate, marked_pngs, pngs_with_crop, save_png
from flows.report.diff import compare
from flows.report.manifest import OUTPUT_DIR, image_name, write_recording
from flows.run.browser import Device, new_context
from flows.run.control import Control, ControlError, create_scenario
from flows.run.personal import text_with_samples, with_samples
from flows.run.playwright_steps import (
    PLACE,
    act_on,
    explain,
    explain_expectation,
    first_line,
    locate,
    matches,
    on_screen,
    verify,
)
from flows.run.results import FlowResult, StepResult, action_name, utc_now
from flowspec.contract import StepStatus
from flowspec.steps import (
    Action,
    AdvanceClock,
    Expectation,
    Flow,
    Goto,
    Observe,
    SellerAction,
    Step,
    Target,
)

DEFAULT_TIMEOUT_MS = 5_000
NAVIGATION_TIMEOUT_MS = 15_000  # a first page load may be slow on a busy machine
MASKED = "[data-volatile]"  # personal values are shown as samples (flows/run/personal.py)
MASK_COLOR = "#C4C4C4"

# Recorded screenshots are PNG-encoded here while the browser works on the next steps
# (zlib runs without the GIL); the files are written once the flow has passed.
_ENCODER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flows-png")


class StepFailure(Exception):
    """A step did not go as written; the text says what was missing or different."""


@dataclass
class _Capture:
    box: Box | None = None
    aria: str | None = None
    png: bytes | None = None  # the screenshot as Chromium wrote it, not yet annotated
    seconds: float = 0.0


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class _FlowRun:
    """The steps of one flow on one device, in one page, against one scenario."""

    def __init__(
        self,
        page: Page,
        control: Control,
        result: FlowResult,
        values: dict[str, Any],
        *,
        timeout_ms: float,
        screenshots: bool,
        baseline_dir: Path | None,
        artefacts: Path,
        encode: bool = False,
    ) -> None:
        self.page = page
        self.control = control
        self.flow, self.device = result.flow, result.device
        self.values = values
        self.timeout_ms = timeout_ms
        self.screenshots = screenshots
        self.baseline_dir = baseline_dir
        self.artefacts = artefacts
        self.encode = encode
        self.encoded: dict[int, Future[tuple[bytes, bytes | None]]] = {}

    # -- one step, start to finish -----------------------------------------------------

    def step(self, number: int, step: Step) -> StepResult:
        """Run ``step`` and report on it, whatever happens; never raises for page trouble."""
        result = StepResult(
            self.flow.id,
            self.device.name,
            number,
            len(self.flow.steps),
            step.id,
            StepStatus.PASSED,
            action=action_name(step),
        )
        where = f'flow "{self.flow.id}" on {self.device.name}, step {number} "{step.id}"'
        try:
            step = step.filled_in(self.values)
        except (KeyError, IndexError, AttributeError, ValueError) as error:
            result.status = StepStatus.FAILED
            result.message = f"{where} ({step.describe()}): placeholder {error} has no value"
            return result
        except ControlError as error:  # a sign-in ticket the storefront would not hand out
            result.status, result.message = "failed", f"{where} ({step.describe()}): {error}"
            return result
        result.target = step.target.describe() if step.target else None
        name = image_name(number, step.id)
        try:
            seconds, capture = self.act(number, step)
        except (StepFailure, Error) as error:
            detail = str(error) if isinstance(error, StepFailure) else first_line(error)
            result.status, result.message = (
                StepStatus.FAILED,
                f"{where} ({step.describe()}): {detail}",
            )
            result.actual = self.save_failure_screenshot(self.artefacts / _suffixed(name, "actual"))
            return result
        result.duration_ms = round(seconds * 1000)
        result.box, result.aria = capture.box, capture.aria
        if capture.png is None:
            return result
        if self.baseline_dir is None:
            if self.encode:  # decoding, marking and encoding all happen off this thread
                shot = (capture.png, capture.box, number)
                self.encoded[number] = _ENCODER.submit(marked_pngs, *shot)
            return result
        image = annotate(capture.png, capture.box, number)
        if self.encode:
            self.encoded[number] = _ENCODER.submit(pngs_with_crop, image, capture.box)
        baseline = self.baseline_dir / self.flow.id / self.device.name / name
        self.compare(result, baseline, image, f"{where} ({step.describe()})")
        return result

    def act(self, number: int, step: Step) -> tuple[float, _Capture]:
        """Act, check, capture; returns the seconds the step itself took, and the capture.

        A click may leave the page, so its screenshot is taken before; every other
        step is pictured after it, showing what it changed.
        """
        action, target = step.action, step.target
        assert isinstance(action, Action)
        locator = locate(target, self.page) if target else None
        started = perf_counter()
        capture = _Capture()
        if action.capture_before and locator is not None and target is not None:
            self.wait_visible(locator, target)
            capture = self.capture(number, locator)
        self.perform(action, locator, target)
        if not (action.capture_before or action.waits_for_target) and locator and target:
            self.wait_visible(locator, target)
        self.verify(step.expect)
        if not action.capture_before:
            capture = self.capture(number, locator)
        return perf_counter() - started - capture.seconds, capture

    # -- the parts of a step -----------------------------------------------------------

    def perform(self, action: Action, locator: Locator | None, target: Target | None) -> None:
        """Do what the step says; Playwright waits for the element to be ready."""
        try:
            match action:
                case Goto(path=path):
                    response = self.page.goto(path or "/")
                    if response is not None and response.status >= 400:
                        status = f"{response.status} {response.status_text}"
                        raise StepFailure(f"{path} answered {status}")
                case SellerAction(order=order, action=verb, message=message):
                    self.control.seller(order or "", verb or "", message)
                    self.reload()
                case AdvanceClock(days=days, hours=hours):
                    self.control.advance_clock(days, hours)
                    self.reload()
                case Observe():
                    pass
                case _:
                    act_on(locator, action)  # type: ignore[arg-type]
        except ControlError as error:
            raise StepFailure(str(error)) from error
        except Error as error:
            doing = _lower_first(action.describe(target))
            if locator is None or target is None:
                raise StepFailure(f"could not {doing}: {first_line(error)}") from error
            raise StepFailure(explain(error, locator, target, doing)) from error

    def reload(self) -> None:
        """After the trainer acts, the shopper refreshes the page to see the change."""
        if self.page.url != "about:blank":
            self.page.reload()

    def wait_visible(self, locator: Locator, target: Target) -> None:
        try:
            expect(locator).to_be_visible(timeout=self.timeout_ms)
        except (AssertionError, Error) as error:
            if matches(locator) == 1:
                raise StepFailure(f"{target.describe()} is not visible") from error
            raise StepFailure(explain(error, locator, target, "see it")) from error

    def verify(self, expectations: tuple[Expectation, ...]) -> None:
        for expectation in expectations:
            try:
                verify(expectation, self.page, self.timeout_ms)
            except (AssertionError, Error) as error:
                raise StepFailure(explain_expectation(error, expectation, self.page)) from error

    def capture(self, number: int, locator: Locator | None) -> _Capture:
        """The target's place and accessible tree, and the annotated screenshot if wanted."""
        started = perf_counter()
        found = _Capture()
        if locator is not None:
            found.box = on_screen(locator.evaluate(PLACE))
            found.aria = text_with_samples(locator.aria_snapshot(), self.values)
        if self.screenshots:
            found.png = self.screenshot_png()
        found.seconds = perf_counter() - started
        return found

    def screenshot_png(self) -> bytes:
        """The viewport at CSS scale: volatile content painted over, personal values
        shown as samples."""
        return with_samples(self.page, lambda: self.page.screenshot(
            animations="disabled",
            caret="hide",
            scale="css",
            mask=[self.page.locator(MASKED)],
            mask_color=MASK_COLOR,
        ))

    def screenshot(self) -> Image.Image:
        return Image.open(io.BytesIO(self.screenshot_png())).convert("RGB")

    def save_failure_screenshot(self, path: Path) -> Path | None:
        """What the page looked like when the step failed (best effort: it may be gone)."""
        try:
            return save_png(self.screenshot(), path)
        except Error:
            return None

    def compare(self, result: StepResult, baseline: Path, image: Image.Image, where: str) -> None:
        """Fail ``result`` when ``image`` differs from ``baseline``; leave the evidence."""
        if not baseline.exists():
            result.message = "no baseline image to compare with"
            return
        with Image.open(baseline) as expected:
            comparison = compare(expected, image)
            if comparison.matches:
                return
            name = baseline.name
            result.status, result.message = StepStatus.CHANGED, f"{where}: {comparison.describe()}"
            result.expected = save_png(expected, self.artefacts / _suffixed(name, "expected"))
        result.actual = save_png(image, self.artefacts / _suffixed(name, "actual"))
        if comparison.diff is not None:
            result.diff = save_png(comparison.diff, self.artefacts / _suffixed(name, "diff"))


def _suffixed(name: str, kind: str) -> str:
    return name.removesuffix(".png") + f"-{kind}.png"


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
    trace: bool = True,
) -> FlowResult:
    """Run ``flow`` on ``device`` in a fresh context against a fresh scenario.

    With ``record_dir``, each step's annotated screenshot is written to
    ``record_dir/<flow>/<device>/NN-<step>.png`` once the whole flow has passed.
    With ``baseline_dir``, each screenshot is compared with the image of the same name
    there. Failures leave the actual screenshot, diff pictures and a Playwright trace
    in ``output_dir/<flow>/<device>/``. ``context_setup`` may prepare the fresh context
    before the flow starts (routes, init scripts: tests use it to alter the storefront).
    ``trace=False`` skips the Playwright trace (a failed step still keeps its screenshot).
    """
    result = FlowResult(flow, device, started_at=utc_now())
    artefacts = output_dir / flow.id / device.name
    shutil.rmtree(artefacts, ignore_errors=True)  # what is left there is this run's evidence

    def add(step_result: StepResult) -> None:
        result.steps.append(step_result)
        if on_step:
            on_step(step_result)

    context = new_context(browser, device, base_url)
    context.set_default_timeout(timeout_ms)
    context.set_default_navigation_timeout(max(timeout_ms, NAVIGATION_TIMEOUT_MS))
    # DOM snapshots per action, no screencast: the filmstrip cost about a tenth of a
    # recording's time (bench/record_guide.py); a failed step keeps its own screenshot.
    if trace:
        context.tracing.start(screenshots=False, snapshots=True)
    run: _FlowRun | None = None
    try:
        if context_setup is not None:
            context_setup(context)
        try:
            scenario = create_scenario(context.request, flow.scenario)
        except (ControlError, Error) as error:
            message = f'flow "{flow.id}" on {device.name}: {first_line(error)}'
            add(
                StepResult(
                    flow.id, device.name, 0, len(flow.steps), "scenario", StepStatus.FAILED, message
                )
            )
        else:
            control = Control(context.request, scenario.token)
            run = _FlowRun(
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
                skipped = StepResult(
                    flow.id,
                    device.name,
                    number,
                    len(flow.steps),
                    step.id,
                    StepStatus.SKIPPED,
                    message=result.skip_reason(),
                    action=action_name(step),
                )
                add(skipped)
            else:
                add(run.step(number, step))
    finally:
        if trace and result.passed:
            context.tracing.stop()
        elif trace:
            artefacts.mkdir(parents=True, exist_ok=True)
            result.trace = artefacts / "trace.zip"
            context.tracing.stop(path=result.trace)
        context.close()
    if record_dir is not None and run is not None and result.passed:
        write_recording(result, record_dir / flow.id / device.name, run.encoded)
    result.finished_at = utc_now()
    return result
