"""The coach matches the page: following it alone completes every flow on desktop and on a
phone, a changed page stops the tour at the right step with a message that names it, and
wrong moves get their hint and a way back. One browser per worker, a context per test."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from flows.run.browser import new_context
from flows.run.coached import STEP_TIMEOUT_MS, CoachedTrainee, CoachMismatch
from flows.run.playwright_steps import verify
from flowspec.paths import load_flows
from tests.e2e.test_regression_catches_breakage import ORDER_DETAILS, renamed_cancel_button

FLOWS = load_flows()
# The wrong moves and breakages are the same on both screens: tried on the desktop.
on_desktop = pytest.mark.parametrize("device_name", ["desktop"], indirect=False)
pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(params=["desktop", "phone"])
def device_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def context(browser, devices, device_name, base_url) -> Iterator[BrowserContext]:
    context = new_context(browser, devices[device_name], base_url)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.mark.parametrize("flow_id", list(FLOWS))
def test_following_the_coach_alone_completes_the_flow(page: Page, device_name, flow_id):
    flow = FLOWS[flow_id]
    trainee = CoachedTrainee(page, flow, device_name)

    trainee.follow()

    # The order ends as the flow's own last step says, checked by Playwright, not the coach.
    last = flow.steps[-1].filled_in(trainee.values)
    for expectation in last.expect:
        verify(expectation, page, STEP_TIMEOUT_MS)
    progress = progress_of(page, trainee)
    assert (progress["done"], progress["completed"]) == (True, len(flow.steps))


@on_desktop
def test_a_renamed_button_stops_the_tour_at_its_step(context: BrowserContext, page: Page):
    def rename(route):
        response = route.fetch()
        route.fulfill(response=response, body=renamed_cancel_button(response.text()))

    context.route(ORDER_DETAILS, rename)
    trainee = CoachedTrainee(page, FLOWS["pre-verification"], "desktop")

    with pytest.raises(CoachMismatch) as failure:
        trainee.follow()

    message = str(failure.value)
    assert message.startswith(
        'flow "pre-verification" on desktop, step 7 "cancel-order": '
        'link "Cancel order" was not found by the coach'
    ), message
    assert 'I cannot find Cancel order on this page' in message


# --- wrong moves -----------------------------------------------------------------------


def coached_to(page: Page, flow_id: str, device: str, step_id: str) -> CoachedTrainee:
    """A trainee who followed the coach up to (not including) the step called ``step_id``."""
    flow = FLOWS[flow_id]
    trainee = CoachedTrainee(page, flow, device)
    trainee.start()
    for number, declared in enumerate(flow.steps, 1):
        if declared.id == step_id:
            trainee.wait_for_step(number, declared)
            return trainee
        trainee.do_step(number, declared.filled_in(trainee.values))
    raise AssertionError(f"{flow_id} has no step {step_id}")


def hint(trainee: CoachedTrainee):
    return trainee.panel.locator(".coach-hint")


def wrong_move(acted_on: str, wanted: str) -> str:
    """The coach's hint after a move on the wrong element."""
    return f"This is {acted_on}; this step wants {wanted}."


def progress_of(page: Page, trainee: CoachedTrainee) -> dict:
    """The trainee's progress as the storefront reports it to the guide."""
    return page.request.get(f"/api/coach/{trainee.key}").json()


@on_desktop
def test_contact_seller_instead_of_cancel_gets_a_hint_and_goes_back(page: Page):
    trainee = coached_to(page, "post-verification", "desktop", "cancel-order")

    page.get_by_role("link", name="Contact seller").click()

    expect(hint(trainee)).to_have_text(wrong_move("Contact seller", "Cancel order"))
    trainee.panel.get_by_role("button", name="Go back").click()
    expect(trainee.highlighted(4)).to_have_accessible_name("Cancel order")
    expect(hint(trainee)).to_have_count(0)
    progress = progress_of(page, trainee)
    assert (progress["step"], progress["completed"]) == (4, 3)


@on_desktop
def test_accept_instead_of_decline_offers_a_fresh_copy(page: Page):
    trainee = coached_to(page, "post-verification-declined", "desktop", "seller-declines")

    page.get_by_role("button", name="Accept cancellation").click()

    expect(hint(trainee)).to_have_text(wrong_move("Accept cancellation", "Decline cancellation"))
    progress = progress_of(page, trainee)
    assert progress["hint"] == wrong_move("Accept cancellation", "Decline cancellation")
    assert progress["completed"] == 8
    trainee.panel.get_by_role("link", name="Start over with a fresh copy").click()
    page.get_by_role("button", name="Start", exact=True).click()  # the start page's
    expect(trainee.panel).to_contain_text("Step 2 of 10", timeout=STEP_TIMEOUT_MS)
    restarted = progress_of(page, trainee)
    assert restarted["token"] != progress["token"]
    assert (restarted["completed"], restarted["hint"]) == (1, "")


@on_desktop
def test_the_wrong_item_unticked_is_undone(page: Page):
    trainee = coached_to(page, "coupon-store-partial", "desktop", "untick-spatulas")
    socks = page.get_by_role("checkbox", name="Cotton crew socks, 5 pairs")

    socks.click()

    expect(hint(trainee)).to_have_text(wrong_move("Cotton crew socks, 5 pairs", "Silicone spatula set, 3 pieces"))
    expect(socks).not_to_be_checked()
    trainee.panel.get_by_role("button", name="Undo").click()
    expect(socks).to_be_checked()
    expect(hint(trainee)).to_have_count(0)
    expect(trainee.highlighted(6)).to_have_accessible_name("Silicone spatula set, 3 pieces")


@on_desktop
def test_a_full_cancellation_in_the_partial_exercise_is_a_wrong_move(page: Page):
    trainee = coached_to(page, "coupon-store-partial", "desktop", "untick-spatulas")

    page.get_by_role("button", name="Submit").click()

    expect(hint(trainee)).to_have_text(wrong_move("Submit", "Silicone spatula set, 3 pieces"))
    expect(trainee.panel.get_by_role("link", name="Start over with a fresh copy")).to_be_visible()
    progress = progress_of(page, trainee)
    assert (progress["completed"], progress["done"]) == (5, False)


@on_desktop
def test_the_other_payment_method_is_a_wrong_move(page: Page):
    trainee = coached_to(page, "refund-balance", "desktop", "view-details")
    wanted = trainee.values["orders"][2]
    other = trainee.values["orders"][0]

    page.get_by_role("article", name=f"Order {other}").get_by_role(
        "link", name="View details").click()

    expect(hint(trainee)).to_have_text(wrong_move(f"View details in Order {other}", f"View details in Order {wanted}"))
    trainee.panel.get_by_role("button", name="Go back").click()
    expect(trainee.highlighted(3)).to_have_accessible_name("View details")


@on_desktop
def test_the_coach_is_keyboard_operable_and_announces_steps(page: Page):
    trainee = coached_to(page, "refund-balance", "desktop", "find-order")
    live = trainee.panel.locator("[aria-live=polite]")
    expect(live).to_contain_text("Step 2 of 10: Find the order")

    next_button = trainee.panel.get_by_role("button", name="Next")
    next_button.focus()
    page.keyboard.press("Enter")
    expect(live).to_contain_text("Step 3 of 10: Open the order's details")

    toggle = trainee.panel.get_by_role("button", name="Minimise")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(trainee.panel.get_by_role("button", name="Show")).to_have_attribute(
        "aria-expanded", "false")
    expect(trainee.panel.locator(".coach-title")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(trainee.panel.locator(".coach-title")).to_have_text("Open the order's details")

    trainee.panel.get_by_role("button", name="Close").press("Enter")
    expect(trainee.panel).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("My Orders"))).to_be_visible()
    expect(trainee.panel).to_have_count(0)
