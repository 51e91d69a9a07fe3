"""The coach by keyboard and screen reader, every flow on desktop and on a phone: a tour
done with Tab, Shift+Tab, Enter, Space and the arrow keys alone reaches the end; at each
step focus starts on the instruction, the step's element is at most 3 Tabs away (its "Go
to it" button), neither it nor the focused element sits under the panel, and the one live
region of each page says the step's instruction. One browser per worker, a context per test."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from flows.run.coached import STEP_TIMEOUT_MS, CoachedTrainee, CoachMismatch
from flowspec.steps import Check, Click, Fill, Goto, Observe, Step, Uncheck
from flowspec.tour import coach_button
from tests.e2e import test_coach
from tests.e2e.test_coach import FLOWS, coached_to, hint

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
# A browser context per test on each device, as for the coach's other tests.
device_name, context, page = test_coach.device_name, test_coach.context, test_coach.page
on_desktop = pytest.mark.parametrize("device_name", ["desktop"])
MOST_TABS = 3

# Every live region the coach puts in a page, and its words at that moment (a region
# filled as it appears is not read out), kept across the tour's pages.
RECORD_LIVE_REGIONS = """
new MutationObserver((changes) => {
  for (const change of changes) for (const node of change.addedNodes) {
    if (node.nodeType !== 1) continue;
    const regions = node.matches("[aria-live]") ? [node] : [...node.querySelectorAll("[aria-live]")];
    for (const region of regions) {
      const seen = JSON.parse(sessionStorage.getItem("test:live") || "[]");
      seen.push({ page: performance.timeOrigin, text: region.textContent });
      sessionStorage.setItem("test:live", JSON.stringify(seen));
    }
  }
}).observe(document, { childList: true, subtree: true });
"""

# Whether the middle of what shows of `element` on screen is the element itself, not the
# panel over it.
UNCOVERED = """(element) => {
  const box = element.getBoundingClientRect();
  const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth);
  const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
  if (right <= left || bottom <= top) return "off screen";
  const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
  if (hit && (hit === element || element.contains(hit))) return "clear";
  return hit && hit.closest("#coach-panel") ? "under the panel" : `under ${hit && hit.outerHTML.slice(0, 80)}`;
}"""


def focused(locator: Locator) -> bool:
    return locator.evaluate("(el) => el === document.activeElement")


class KeyboardTrainee(CoachedTrainee):
    """Follows the coach with the keyboard alone, checking focus, cover and what is said."""

    def start(self) -> None:
        super().start()
        self.instructions = [s["instruction"] for s in self.page.request.get("/coach/tour").json()["steps"]]
        self.live_page: str | None = None

    @property
    def instruction(self) -> Locator:
        return self.panel.locator("#coach-instruction")

    @property
    def live(self) -> Locator:
        return self.panel.locator("[aria-live]")

    def tab_to(self, number: int, step: Step, button: Locator) -> None:
        """From the instruction, Tab (at most 3 times) to ``button``; Shift+Tab and Tab
        come back to it."""
        for _ in range(MOST_TABS):
            self.page.keyboard.press("Tab")
            if focused(button):
                break
        else:
            raise CoachMismatch(f"{self.where(number, step)}: {button} is more than {MOST_TABS} "
                                "Tabs from the instruction")
        self.page.keyboard.press("Shift+Tab")
        self.page.keyboard.press("Tab")
        expect(button).to_be_focused()

    def not_covered(self, number: int, step: Step, element: Locator) -> None:
        seen = element.evaluate(UNCOVERED)
        assert seen == "clear", f"{self.where(number, step)}: the element is {seen}"

    def said(self, number: int, step: Step) -> None:
        """The page's one live region says the step's instruction; on the same page it is
        the same region as at the step before."""
        expect(self.live).to_have_count(1)
        expect(self.live).to_contain_text(self.instructions[number - 1], timeout=STEP_TIMEOUT_MS)
        document = self.page.evaluate("String(performance.timeOrigin)")
        if self.live_page == document:
            same = self.live.evaluate("(region) => region.dataset.testPage === 'seen'")
            assert same, f"{self.where(number, step)}: the live region was made again"
        self.live.evaluate("(region) => { region.dataset.testPage = 'seen'; }")
        self.live_page = document

    def do_step(self, number: int, step: Step) -> None:
        action = step.action
        if isinstance(action, Goto) and number == 1:
            return  # the tour's own start opened the first page
        self.wait_for_step(number, step)
        self.said(number, step)
        highlight = self.assert_highlight(number, step) if step.target and not isinstance(action, Goto) else None
        # Focus is on the instruction (or already on the step's element).
        if not (highlight is not None and focused(highlight)):
            expect(self.instruction).to_be_focused()
        if highlight is not None:
            self.not_covered(number, step, highlight)
        if isinstance(action, Goto | Observe) or coach_button(step) is not None:
            name = {Goto: "Take me there", Observe: "Next"}.get(type(action)) or coach_button(step)
            button = self.panel.get_by_role("button", name=name, exact=True)
            self.tab_to(number, step, button)
            self.page.keyboard.press("Enter")
            return
        assert highlight is not None
        if not focused(highlight):
            self.tab_to(number, step, self.panel.get_by_role("button", name="Go to it"))
            self.page.keyboard.press("Enter")
            expect(highlight).to_be_focused()
        self.not_covered(number, step, highlight)
        self.act(number, step, highlight)

    def act(self, number: int, step: Step, element: Locator) -> None:
        action = step.action
        if isinstance(action, Click):
            self.page.keyboard.press("Enter")
        elif isinstance(action, Fill):
            self.page.keyboard.type(action.value or "")
        elif isinstance(action, Check) and element.get_attribute("type") == "radio":
            # Looking through the choices with the arrows is no wrong move; Space chooses.
            self.page.keyboard.press("ArrowDown")
            self.page.keyboard.press("ArrowUp")
            expect(hint(self)).to_have_count(0)
            expect(element).to_be_checked()
            self.page.keyboard.press("Space")
        elif isinstance(action, Check | Uncheck):
            self.page.keyboard.press("Space")
        else:
            raise CoachMismatch(f"{self.where(number, step)}: no key does {step.describe()}")


def regions_made(page: Page) -> list[dict]:
    return json.loads(page.evaluate("sessionStorage.getItem('test:live') || '[]'"))


@pytest.mark.parametrize("flow_id", list(FLOWS))
def test_a_keyboard_only_tour_reaches_the_end(context: BrowserContext, page: Page, device_name, flow_id):
    context.add_init_script(RECORD_LIVE_REGIONS)
    flow = FLOWS[flow_id]
    trainee = KeyboardTrainee(page, flow, device_name)

    trainee.follow()

    progress = page.request.get(f"/api/coach/{trainee.key}").json()
    assert (progress["done"], progress["completed"]) == (True, len(flow.steps))
    made = regions_made(page)
    pages = [region["page"] for region in made]
    assert len(pages) == len(set(pages)), "a page made its live region more than once"
    assert all(region["text"] == "" for region in made), "a live region was filled as it appeared"


@on_desktop
def test_arrow_keys_in_the_reasons_are_judged_when_the_trainee_moves_on(page: Page):
    trainee = coached_to(page, "pre-verification", "desktop", "choose-reason")
    wanted = trainee.highlighted(8)
    wanted.focus()

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(hint(trainee)).to_have_count(0)
    page.keyboard.press("Tab")

    chosen = page.locator("input[type=radio]:checked")
    expect(hint(trainee)).to_have_text(
        f"This is {chosen.evaluate('(r) => r.labels[0].textContent.trim()')}; "
        "this step wants I ordered by mistake.")
    trainee.panel.get_by_role("button", name="Undo").click()
    expect(chosen).to_have_count(0)
    wanted.focus()
    page.keyboard.press("Space")
    expect(trainee.panel.locator(".coach-count")).to_have_text("Step 9 of 11")


@on_desktop
def test_the_target_is_described_by_the_instruction_that_names_it(page: Page):
    trainee = coached_to(page, "refund-balance", "desktop", "view-details")
    number = trainee.values["orders"][2]

    target = trainee.highlighted(3)

    expect(target).to_have_accessible_description(
        f"Press View details on that order. Look for: View details in Order {number}.")
    expect(trainee.panel.locator("#coach-where")).to_have_text(f"Look for: View details in Order {number}.")
