"""Nothing strands a trainee: a reload at every step and Back then Forward at every page
change still end the tour, on desktop and on a phone; a reload on the cancel form asks for
the lost choice again; "Go back" never leaves the shop; a target in a closed menu is said
plainly. One browser per worker, a context per test."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from flows.run.coached import STEP_TIMEOUT_MS, CoachedTrainee
from flowspec.steps import Goto
from tests.e2e import test_coach
from tests.e2e.test_coach import FLOWS, coached_to, hint
from tests.e2e.test_regression_catches_breakage import ORDER_DETAILS

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
# A browser context per test on each device, as for the coach's other tests.
device_name, context, page = test_coach.device_name, test_coach.context, test_coach.page
on_desktop = pytest.mark.parametrize("device_name", ["desktop"])
FORGOTTEN = "This page was loaded again and has forgotten your choice"
FORM_ACTIONS = {"fill", "check", "uncheck", "select"}


def shown_step(trainee: CoachedTrainee) -> int:
    """The step the coach shows now (one past the last when the tour is done)."""
    count = trainee.panel.locator(".coach-count")
    expect(count).to_have_text(re.compile(r"^(Step \d+ of \d+|Done: all \d+ steps)$"),
                               timeout=STEP_TIMEOUT_MS)
    found = re.match(r"Step (\d+)", count.inner_text())
    return int(found.group(1)) if found else len(trainee.flow.steps) + 1


def moved_past(trainee: CoachedTrainee, number: int) -> int:
    """Waits until the coach leaves step ``number``; the step it shows then."""
    expect(trainee.panel.locator(".coach-count")).not_to_have_text(
        f"Step {number} of {len(trainee.flow.steps)}", timeout=STEP_TIMEOUT_MS)
    return shown_step(trainee)


def the_same_step_or_the_lost_choice(trainee: CoachedTrainee, before: int, now: int) -> None:
    """After a reload the coach stays on its step, or goes back to the first choice the
    page forgot (steps since then being choices or looking), saying so."""
    if now == before:
        return
    steps = trainee.flow.steps
    assert now < before, f"{trainee.flow.id}: a reload on step {before} moved the tour to {now}"
    lost = [steps[n - 1].action.name for n in range(now, before)]
    assert lost[0] in FORM_ACTIONS and set(lost) <= FORM_ACTIONS | {"observe"}, (
        f"{trainee.flow.id}: step {before} went back over {lost}")
    expect(trainee.panel.locator(".coach-note")).to_contain_text(FORGOTTEN)


@pytest.mark.parametrize("flow_id", list(FLOWS))
def test_reloads_and_back_forward_never_strand_the_trainee(page: Page, device_name, flow_id):
    flow = FLOWS[flow_id]
    trainee = CoachedTrainee(page, flow, device_name)
    trainee.start()
    steps = [step.filled_in(trainee.values) for step in flow.steps]
    reloaded: set[int] = set()
    number = 2 if isinstance(flow.steps[0].action, Goto) else 1
    for _ in range(4 * len(steps)):
        if number > len(steps):
            break
        if number not in reloaded:
            reloaded.add(number)
            page.reload()
            now = shown_step(trainee)
            the_same_step_or_the_lost_choice(trainee, number, now)
            number = now
            continue
        url = page.url
        trainee.do_step(number, steps[number - 1])
        after = moved_past(trainee, number)
        if page.url != url:
            # Back to the page before, then Forward again: the coach is where it was.
            page.go_back()
            expect(trainee.panel).to_be_visible(timeout=STEP_TIMEOUT_MS)
            page.go_forward()
            expect(trainee.panel.locator(".coach-count")).to_have_text(
                f"Step {after} of {len(steps)}" if after <= len(steps)
                else f"Done: all {len(steps)} steps", timeout=STEP_TIMEOUT_MS)
        number = after
    expect(trainee.panel).to_contain_text(f"Done: all {len(steps)} steps")
    progress = page.request.get(f"/api/coach/{trainee.key}").json()
    assert (progress["done"], progress["completed"]) == (True, len(steps))


@on_desktop
def test_a_reload_on_the_cancel_form_asks_for_the_reason_again(page: Page):
    trainee = coached_to(page, "pre-verification", "desktop", "submit")

    page.reload()

    expect(trainee.panel.locator(".coach-count")).to_have_text("Step 8 of 11")
    expect(trainee.panel.locator(".coach-note")).to_have_text(
        f"{FORGOTTEN}: choose “I ordered by mistake” again.")
    expect(trainee.highlighted(8)).to_have_accessible_name("I ordered by mistake")
    trainee.highlighted(8).check()
    expect(trainee.panel.locator(".coach-count")).to_have_text("Step 9 of 11")
    expect(trainee.panel.locator(".coach-note")).to_have_count(0)


@on_desktop
def test_go_back_after_a_same_page_link_stays_in_the_shop(page: Page):
    trainee = coached_to(page, "refund-balance", "desktop", "view-details")
    orders = page.url

    page.get_by_role("link", name="My Orders").click()
    expect(hint(trainee)).to_have_text("This is My Orders in Account; this step wants View details in Order "
                                       f"{trainee.values['orders'][2]}.")
    trainee.panel.get_by_role("button", name="Go back").click()

    expect(hint(trainee)).to_have_count(0)
    expect(page).to_have_url(orders)
    expect(trainee.highlighted(3)).to_have_accessible_name("View details")


@on_desktop
def test_go_back_leads_to_the_steps_own_page_not_the_browsers_history(page: Page):
    trainee = coached_to(page, "refund-balance", "desktop", "cancel-order")
    details = page.url

    page.get_by_role("link", name="Coupons").click()
    expect(hint(trainee)).to_have_text("This is Coupons; this step wants Cancel order.")
    page.get_by_role("link", name="My Orders").click()  # further away, then back in one press
    trainee.panel.get_by_role("button", name="Go back").click()

    expect(page).to_have_url(details)
    expect(trainee.highlighted(4)).to_have_accessible_name("Cancel order")
    expect(hint(trainee)).to_have_count(0)


def in_a_closed_menu(html: str) -> str:
    """The order's Cancel order link moved into a closed "More actions" menu."""
    link = re.search(r'<a [^>]*href="[^"]*/cancel"[^>]*>Cancel order</a>', html)
    assert link, "the order page has no Cancel order link"
    menu = f"<details><summary>More actions</summary>{link.group(0)}</details>"
    return html.replace(link.group(0), menu)


@on_desktop
def test_a_target_in_a_closed_menu_says_what_to_open(context: BrowserContext, page: Page):
    def menu(route):
        response = route.fetch()
        route.fulfill(response=response, body=in_a_closed_menu(response.text()))

    context.route(ORDER_DETAILS, menu)
    trainee = coached_to(page, "refund-balance", "desktop", "cancel-order")

    expect(trainee.panel.locator(".coach-missing")).to_have_text(
        "Cancel order is inside More actions: open More actions first.")
    expect(trainee.highlighted(4)).to_have_text("More actions")
    page.get_by_text("More actions", exact=True).click()

    expect(trainee.panel.locator(".coach-missing")).to_have_count(0)
    expect(hint(trainee)).to_have_count(0)
    expect(trainee.highlighted(4)).to_have_accessible_name("Cancel order")
    trainee.highlighted(4).click()
    expect(trainee.panel.locator(".coach-count")).to_have_text("Step 5 of 10")
