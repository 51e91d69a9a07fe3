"""The Playwright side of a flow's plain definitions: find a Target, check an Expectation.

``flowspec.steps`` and ``flowspec.targets`` say what a step concerns and what must follow;
this module turns them into locators and web-first assertions, places the element on
the screenshot, and turns Playwright's errors into one plain sentence.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Error, Locator, Page, expect

from flowspec.contract import Box, FailureKind
from flowspec.steps import (
    Action,
    Check,
    Click,
    Count,
    Expectation,
    Fill,
    HasText,
    MessageSays,
    NotVisible,
    Select,
    Uncheck,
    UrlContains,
    Visible,
)
from flowspec.targets import Target


class StepFailure(Exception):
    """A step did not go as written; the text says what was missing or different."""

    def __init__(self, text: str, kind: FailureKind = FailureKind.ERROR) -> None:
        super().__init__(text)
        self.kind = kind


def located(text: str) -> StepFailure:
    """A failure to reach the step's target: ``not found`` when it was not on the page."""
    missing = text.endswith("was not found")
    return StepFailure(text, FailureKind.NOT_FOUND if missing else FailureKind.ERROR)


# One round trip instead of three (scroll, bounding box, visual viewport): bring the
# element into view the way Playwright does (centred, only when needed), then report its
# box and how the phone's visual viewport shows the page.
PLACE = """element => {
  element.scrollIntoViewIfNeeded(true);
  const box = element.getBoundingClientRect();
  const view = window.visualViewport;
  const [left, top, scale] = view ? [view.offsetLeft, view.offsetTop, view.scale] : [0, 0, 1];
  return {box: {x: box.x, y: box.y, width: box.width, height: box.height}, left, top, scale};
}"""


def locate(target: Target, page: Page) -> Locator:
    """A Playwright locator for ``target`` (lazy; nothing is looked up yet)."""
    root: Page | Locator = locate(target.scope, page) if target.scope else page
    if target.role is not None:
        if target.name is None:
            return root.get_by_role(target.role)  # type: ignore[arg-type]
        return root.get_by_role(target.role, name=target.name, exact=target.exact)  # type: ignore[arg-type]
    if target.label is not None:
        return root.get_by_label(target.label, exact=target.exact)
    return root.get_by_text(target.text or "", exact=target.exact)


def acts_on_element(action: Action) -> bool:
    """Whether ``action`` is done on the step's element (rather than on the page or shop)."""
    return isinstance(action, Click | Fill | Select | Check | Uncheck)


def act_on(element: Locator, action: Action) -> None:
    """Do an element action (click, fill, select, tick, untick) on ``element``; Playwright
    waits for it to be ready. The runner and the coach-following driver both act this way."""
    match action:
        case Click():
            element.click()
        case Fill(value=value):
            element.fill(value or "")
        case Select(option=option):
            element.select_option(label=option)
        case Check():
            element.check()
        case Uncheck():
            element.uncheck()
        case _:
            raise ValueError(f"{action.name} is not done on an element")


def verify(expectation: Expectation, page: Page, timeout_ms: float) -> None:
    """Wait until ``expectation`` holds or raise AssertionError (Playwright's ``expect``)."""
    match expectation:
        case Visible(target=target):
            expect(locate(target, page)).to_be_visible(timeout=timeout_ms)
        case NotVisible(target=target):
            expect(locate(target, page)).not_to_be_visible(timeout=timeout_ms)
        case HasText(target=target, text=text, exact=True):
            expect(locate(target, page)).to_have_text(text, timeout=timeout_ms)
        case HasText(target=target, text=text):
            expect(locate(target, page)).to_contain_text(text, timeout=timeout_ms)
        case Count(target=target, count=count):
            expect(locate(target, page)).to_have_count(count, timeout=timeout_ms)
        case UrlContains(fragment=fragment):
            expect(page).to_have_url(re.compile(re.escape(fragment)), timeout=timeout_ms)
        case MessageSays(target=target, typed=True):
            expect(locate(target, page)).to_have_value(expectation.pattern, timeout=timeout_ms)
        case MessageSays(target=target):
            expect(locate(target, page)).to_contain_text(expectation.pattern, timeout=timeout_ms)
        case _:
            raise TypeError(f"no check for {type(expectation).__name__}")


# --- what went wrong, in one plain sentence ---------------------------------------


def first_line(error: BaseException) -> str:
    line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    head, _, rest = line.partition(": ")
    line = rest if head.startswith(("Locator.", "Page.")) and rest else line
    return line.removeprefix("Error: ").strip()


def matches(locator: Locator) -> int | None:
    try:
        return locator.count()
    except Error:
        return None


def explain(error: BaseException, locator: Locator, target: Target, doing: str) -> str:
    """Turn a Playwright error about ``target`` into one plain sentence."""
    count = matches(locator)
    if count == 0:
        return f"{target.describe()} was not found"
    if count is not None and count > 1:
        return f"{target.describe()} matches {count} elements; the target must pick one"
    return f"could not {doing}: {first_line(error)}"


def explain_expectation(error: BaseException, expectation: Expectation, page: Page) -> str:
    """``expected <what>, but <what was there>`` from a failed web-first assertion."""
    wanted = f"expected {expectation.describe()}"
    subject, text = expectation.subject, str(error)
    if subject is not None and "strict mode violation" in text:
        return (
            f"{wanted}, but {subject.describe()} matches {matches(locate(subject, page))} elements"
        )
    if "element(s) not found" in text:
        return f"{wanted}, but it was not found"
    for line in text.splitlines():
        if line.startswith("Actual value:"):
            return f"{wanted}, but found: {line.partition(':')[2].strip()}"
    return f"{wanted}, but {first_line(error)}"


def on_screen(place: dict[str, Any]) -> Box | None:
    """The element's box in screenshot pixels, from what ``PLACE`` reports: a phone may
    show the page zoomed out (pages without a viewport meta tag), and the screenshot
    shows what the phone shows. ``None`` for an element with no size (not laid out)."""
    box, left, top, scale = place["box"], place["left"], place["top"], place["scale"]
    if box["width"] <= 0 and box["height"] <= 0:
        return None
    return Box(
        x=round((box["x"] - left) * scale, 2),
        y=round((box["y"] - top) * scale, 2),
        width=round(box["width"] * scale, 2),
        height=round(box["height"] * scale, 2),
    )
