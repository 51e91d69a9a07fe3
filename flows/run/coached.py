"""A trainee who follows the storefront's coach alone, for the end-to-end tests and the bench.

It acts only on the element the coach highlights (or on the coach's own buttons), typing
the flow's own values, and checks at each step that the highlight is the very element the
flow's ``Target`` locates with Playwright. Failures name the flow, the step and the target.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from flows.run.playwright_steps import act_on, acts_on_element, locate
from flowspec.steps import CONTROL_ACTIONS, Flow, Goto, Observe, Step
from flowspec.tour import coach_button

STEP_TIMEOUT_MS = 5_000


class CoachMismatch(AssertionError):
    """The coach and the flow disagree, or the page lost the step's element."""


@dataclass
class CoachedTrainee:
    page: Page
    flow: Flow
    device: str
    key: str = ""

    def start(self) -> None:
        self.key = secrets.token_urlsafe(18)
        self.page.goto(f"/coach/{self.flow.id}?practice={self.key}")
        self.page.get_by_role("button", name="Start", exact=True).click()
        expect(self.panel).to_be_visible(timeout=STEP_TIMEOUT_MS)
        tour = self.page.request.get("/coach/tour").json()
        self.values = tour["values"]

    @property
    def panel(self) -> Locator:
        return self.page.get_by_role("dialog", name="Coach")

    def highlighted(self, number: int) -> Locator:
        return self.page.locator(f'[data-coach-step="{number}"]')

    def where(self, number: int, step: Step) -> str:
        return f'flow "{self.flow.id}" on {self.device}, step {number} "{step.id}"'

    def follow(self) -> None:
        """Every step of the flow, as the coach shows it."""
        self.start()
        for number, declared in enumerate(self.flow.steps, 1):
            self.do_step(number, declared.filled_in(self.values))
        expect(self.panel).to_contain_text(f"Done: all {len(self.flow.steps)} steps",
                                           timeout=STEP_TIMEOUT_MS)

    def wait_for_step(self, number: int, step: Step) -> None:
        try:
            expect(self.panel).to_contain_text(
                f"Step {number} of {len(self.flow.steps)}", timeout=STEP_TIMEOUT_MS)
        except AssertionError:
            raise CoachMismatch(f"{self.where(number, step)}: the coach never reached this step; "
                                f"it says: {self.panel_text()}") from None

    def panel_text(self) -> str:
        try:
            return " ".join(self.panel.inner_text(timeout=1000).split())
        except PlaywrightError:
            return "(no coach panel)"

    def assert_highlight(self, number: int, step: Step) -> Locator:
        """The coach's highlight is on the element the flow's Target locates."""
        assert step.target is not None
        highlight = self.highlighted(number)
        try:
            expect(highlight).to_have_count(1, timeout=STEP_TIMEOUT_MS)
        except AssertionError:
            raise CoachMismatch(
                f"{self.where(number, step)}: {step.target.describe()} was not found by the "
                f"coach; it says: {self.panel_text()}") from None
        located = locate(step.target, self.page)
        if located.count() != 1:
            raise CoachMismatch(f"{self.where(number, step)}: the flow's target "
                                f"{step.target.describe()} matches {located.count()} elements")
        same = highlight.evaluate("(el, other) => el === other", located.element_handle())
        if not same:
            raise CoachMismatch(f"{self.where(number, step)}: the coach highlights another "
                                f"element than {step.target.describe()}")
        return highlight

    def do_step(self, number: int, step: Step) -> None:
        action = step.action
        if isinstance(action, Goto):
            if number > 1:  # the tour's own start opened the first page
                self.wait_for_step(number, step)
                self.panel.get_by_role("button", name="Take me there").click()
            if step.target is not None:
                expect(locate(step.target, self.page)).to_be_visible(timeout=STEP_TIMEOUT_MS)
            return
        self.wait_for_step(number, step)
        highlight = self.assert_highlight(number, step) if step.target else None
        if isinstance(action, Observe):
            self.panel.get_by_role("button", name="Next").click()
        elif isinstance(action, CONTROL_ACTIONS):
            button = self.panel.get_by_role("button", name=coach_button(step), exact=True)
            button.click()
        elif acts_on_element(action) and highlight is not None:
            act_on(highlight, action)
        else:
            raise CoachMismatch(f"{self.where(number, step)}: no way to do {step.describe()}")
