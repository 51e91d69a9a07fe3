"""The steps of one flow on one device, in one page: act, check, capture, compare.

A failed expectation or a missing target fails the step with a message that names the
flow, the device, the step and what was missing, and leaves its screenshot behind. A
changed picture does not stop anything (as Playwright's ``expect.soft``): the step is
``changed``.
"""

from __future__ import annotations

import io
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

from PIL import Image
from playwright.sync_api import Error, Locator, Page, expect

from flows.pictures.annotate import Box, annotate, marked_pngs, pngs_with_crop, save_png
from flows.pictures.diff import beside_failure, compare
from flows.pictures.files import image_name
from flows.run.control import Control, ControlError
from flows.run.personal import mask_trace, masked, secrets_of, text_with_samples, with_samples
from flows.run.playwright_steps import (
    PLACE,
    StepFailure,
    act_on,
    explain,
    explain_expectation,
    first_line,
    locate,
    located,
    matches,
    on_screen,
    verify,
)
from flows.run.results import FlowResult, StepResult
from flowspec.contract import FailureKind, StepStatus
from flowspec.steps import (
    Action,
    AdvanceClock,
    Expectation,
    Goto,
    Observe,
    SellerAction,
    Step,
    Target,
)

MASKED = "[data-volatile]"  # personal values are shown as samples (flows/run/personal.py)
MASK_COLOR = "#C4C4C4"

# Recorded screenshots are PNG-encoded here while the browser works on the next steps
# (zlib runs without the GIL); the files are written once the flow has passed.
_ENCODER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flows-png")


@dataclass
class _Capture:
    box: Box | None = None
    aria: str | None = None
    png: bytes | None = None  # the screenshot as Chromium wrote it, not yet annotated
    seconds: float = 0.0


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class FlowRun:
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
        self.secrets = secrets_of(values)

    # -- one step, start to finish -----------------------------------------------------

    def step(self, number: int, step: Step) -> StepResult:
        """Run ``step`` and report on it, whatever happens; never raises for page trouble.
        Its message names no secret: e-mail, password and sign-in ticket show as ``•••``."""
        result = self.unmasked_step(number, step)
        if result.message:
            result.message = masked(result.message, self.secrets)
        if result.target:
            result.target = masked(result.target, self.secrets)
        return result

    def mask_trace(self, path: Path) -> None:
        """Mask this run's secrets in the trace it leaves at ``path``."""
        mask_trace(path, self.secrets)

    def unmasked_step(self, number: int, step: Step) -> StepResult:
        result = StepResult(
            flow=self.flow.id, device=self.device.name, step=number, total=len(self.flow.steps),
            step_id=step.id, status=StepStatus.PASSED, duration_ms=0, action=step.action.name,
        )
        where = f'flow "{self.flow.id}" on {self.device.name}, step {number} "{step.id}"'
        try:
            step = step.filled_in(self.values)
        except (KeyError, IndexError, AttributeError, ValueError) as error:
            result.status = StepStatus.FAILED
            result.message = f"{where} ({step.describe()}): placeholder {error} has no value"
            return result
        except ControlError as error:  # a sign-in ticket the storefront would not hand out
            result.status, result.message = StepStatus.FAILED, f"{where} ({step.describe()}): {error}"
            return result
        result.target = step.target.describe() if step.target else None
        name = image_name(number, step.id)
        started = perf_counter()
        try:
            seconds, capture = self.act(number, step)
        except (StepFailure, Error) as error:
            detail = str(error) if isinstance(error, StepFailure) else first_line(error)
            result.status, result.message = (
                StepStatus.FAILED,
                f"{where} ({step.describe()}): {detail}",
            )
            result.failure = error.kind if isinstance(error, StepFailure) else FailureKind.ERROR
            result.duration_ms = round((perf_counter() - started) * 1000)
            result.actual = _written(
                self.save_failure_screenshot(self.artefacts / _suffixed(name, "actual"))
            )
            folder = self.baseline_dir and self.baseline_dir / self.flow.id / self.device.name
            result.expected, result.diff = beside_failure(folder, name, result.actual, self.artefacts)
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
                case SellerAction(order=order, answer=answer, message=message):
                    self.control.seller(order, answer, message)
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
            raise located(explain(error, locator, target, doing)) from error

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
            raise located(explain(error, locator, target, "see it")) from error

    def verify(self, expectations: tuple[Expectation, ...]) -> None:
        for expectation in expectations:
            try:
                verify(expectation, self.page, self.timeout_ms)
            except (AssertionError, Error) as error:
                raise StepFailure(
                    explain_expectation(error, expectation, self.page), FailureKind.EXPECTATION
                ) from error

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
            result.expected = _written(
                save_png(expected, self.artefacts / _suffixed(name, "expected"))
            )
        result.actual = _written(save_png(image, self.artefacts / _suffixed(name, "actual")))
        if comparison.diff is not None:
            result.diff = _written(
                save_png(comparison.diff, self.artefacts / _suffixed(name, "diff"))
            )


def _written(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _suffixed(name: str, kind: str) -> str:
    return name.removesuffix(".png") + f"-{kind}.png"


