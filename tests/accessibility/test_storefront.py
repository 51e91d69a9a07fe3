"""axe-core on every kind of storefront page, desktop and phone.

Each test starts its own copy of the showcase scenario (every kind of order at once),
brings the page to the state it shows (signed in, an order cancelled, a request
waiting for the seller...) through the pages themselves, and fails on any serious or
critical finding. The storefront is all our own markup: nothing is excepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from domain.scenarios import SCENARIOS
from flows.run.browser import Device
from flows.run.coached import CoachedTrainee
from flowspec.contract.control import StartedScenario
from flowspec.paths import load_flows
from tests.accessibility.axe import audit, report
from tests.accessibility.conftest import context_options
from tests.support.coach import start_tour_in
from tests.support.live_clients import control

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass
class Shop:
    """One browser tab on the storefront and the scenario copy this test started."""

    page: Page
    storefront: str
    started: StartedScenario

    def number(self, status: str) -> str:
        """The showcase's first order in ``status``."""
        return next(o.number for o in self.started.orders if o.status == status)

    def sign_in(self, role: str = "buyer") -> None:
        """With a one-time sign-in link from the control API, as the flows and the guide's
        practice do: one page load where the form takes three. The sign-in forms are
        audited as pages of their own, and tests/mock_site/web and tests/security test them."""
        link = control(self.storefront).sign_in_link(self.started.token, role)
        landing = self.page.goto(link.url)
        assert landing is not None and landing.ok, f"the {role}'s sign-in link was refused"

    def cancel(self, number: str) -> None:
        """Cancel the whole order through its cancel form."""
        self.page.goto(f"/orders/{number}/cancel")
        self.page.get_by_label("I changed my mind").check()
        self.page.get_by_role("button", name="Submit").click()
        expect(self.page).to_have_url(re.compile(f"/orders/{number}$"))

    def advance_clock(self, days: int) -> None:
        control(self.storefront).advance_clock(self.started.token, days=days)


def first_order(scenario: str) -> str:
    """The number of a small scenario's first order (the showcase holds them all)."""
    return SCENARIOS[scenario].orders[0].number


VERIFYING = "Payment being verified"
SHIPMENT = "Awaiting shipment"
SHIPPED = "Awaiting delivery"


def order_details(shop: Shop) -> None:
    shop.sign_in()
    shop.page.goto(f"/orders/{shop.number(SHIPMENT)}")


def cancel_form(shop: Shop) -> None:
    shop.sign_in()
    shop.page.goto(f"/orders/{shop.number(VERIFYING)}/cancel")


def cancel_form_with_an_error(shop: Shop) -> None:
    """Submitted without a reason: the form comes back with its error message."""
    cancel_form(shop)
    shop.page.get_by_role("button", name="Submit").click()
    expect(shop.page.get_by_role("alert")).to_be_visible()


def after_cancelling(shop: Shop) -> None:
    """The order page with its confirmation, the order closed."""
    shop.sign_in()
    shop.cancel(shop.number(VERIFYING))


def awaiting_cancellation(shop: Shop) -> None:
    """The request sent to the seller: the order waits for an answer."""
    shop.sign_in()
    shop.cancel(shop.number(SHIPMENT))


def messages(shop: Shop) -> None:
    """The thread with a message just sent to the seller."""
    shop.sign_in()
    shop.page.goto(f"/orders/{shop.number(SHIPPED)}/messages")
    shop.page.get_by_label("Message").fill("Please cancel: the parcel has not moved.")
    shop.page.get_by_role("button", name="Send").click()
    expect(shop.page.get_by_text("Your message was sent to the seller.")).to_be_visible()


def refund_tracker_part_way(shop: Shop) -> None:
    """Finances with the tracker's first two stages reached."""
    shop.sign_in()
    number = shop.number(VERIFYING)
    shop.cancel(number)
    shop.advance_clock(1)
    shop.page.goto(f"/orders/{number}/finances")


def finances_without_refund(shop: Shop) -> None:
    shop.sign_in()
    shop.page.goto(f"/orders/{shop.number(SHIPMENT)}/finances")


def coupon_wallet(shop: Shop) -> None:
    """Every wallet label at once: Available, Used, Returned and Expired."""
    shop.sign_in()
    shop.cancel(first_order("platform-coupon"))  # the marketplace coupon comes back
    shop.cancel(first_order("store-coupon-expired"))  # the expired store coupon does not
    shop.page.goto("/coupons")
    for label in ("Available", "Used", "Returned", "Expired"):
        expect(shop.page.locator(".badge", has_text=label).first).to_be_visible()


def seller_console(shop: Shop) -> None:
    awaiting_cancellation(shop)
    shop.sign_in("seller")
    shop.page.goto("/seller")


def seller_order(shop: Shop) -> None:
    """The seller's page of the order whose cancellation request waits for an answer."""
    awaiting_cancellation(shop)
    shop.sign_in("seller")
    shop.page.goto(f"/seller/orders/{shop.number(SHIPMENT)}")


def trainer_scenario(shop: Shop) -> None:
    shop.page.goto(f"/trainer/{shop.started.token}")


def not_found_signed_in(shop: Shop) -> None:
    shop.sign_in()
    shop.page.goto("/orders/0000")


def coach_panel(shop: Shop) -> None:
    """The coach's panel on My Orders, pointing at an order."""
    start_tour_in(shop.page, "refund-balance")
    expect(shop.page.get_by_role("dialog", name="Coach")).to_contain_text("Step 2 of 10")
    expect(shop.page.locator("[data-coach-step]")).to_have_count(1)


def coach_hint(shop: Shop) -> None:
    """A wrong move: the coach's hint and its ways back, on the page the move led to."""
    coach_panel(shop)
    shop.page.get_by_role("link", name="Coupons").click()
    expect(shop.page.locator(".coach-hint")).to_be_visible()


def coach_minimised(shop: Shop) -> None:
    coach_panel(shop)
    shop.page.get_by_role("button", name="Minimise").click()
    expect(shop.page.get_by_role("button", name="Show")).to_be_visible()


def coach_choice_forgotten(shop: Shop) -> None:
    """A reload on the cancel form: the coach asks for the reason the page forgot."""
    flow = load_flows()["pre-verification"]
    trainee = CoachedTrainee(shop.page, flow, "any")
    trainee.start()
    for number, step in enumerate(flow.steps[:8], 1):
        trainee.do_step(number, step.filled_in(trainee.values))
    trainee.wait_for_step(9, flow.steps[8])
    shop.page.reload()
    expect(shop.page.locator(".coach-note")).to_be_visible()


def coach_on_the_target(shop: Shop) -> None:
    """Go to it: focus on the step's element (an order card), described by the instruction."""
    coach_panel(shop)
    shop.page.get_by_role("button", name="Go to it").click()
    expect(shop.page.locator("[data-coach-step]")).to_be_focused()


def coach_done(shop: Shop) -> None:
    """The end of a tour, followed with the coach alone."""
    CoachedTrainee(shop.page, load_flows()["coupon-store-expired"], "any").follow()


def visit(path: str) -> Callable[[Shop], None]:
    def open_page(shop: Shop) -> None:
        shop.page.goto(path)
    return open_page


def my_orders(tab: str) -> Callable[[Shop], None]:
    def open_tab(shop: Shop) -> None:
        shop.sign_in()
        shop.page.goto(f"/orders?tab={tab}")
    return open_tab


PAGES: dict[str, Callable[[Shop], None]] = {
    "sign-in": visit("/login"),
    **{f"my-orders-{tab.lower().replace(' ', '-')}": my_orders(tab)
       for tab in ("All", "To pay", "To ship", "Shipped", "Completed", "Closed")},
    "order-details": order_details,
    "order-after-cancelling": after_cancelling,
    "order-awaiting-cancellation": awaiting_cancellation,
    "cancel-form": cancel_form,
    "cancel-form-error": cancel_form_with_an_error,
    "messages": messages,
    "finances-refund-tracker": refund_tracker_part_way,
    "finances-no-refund": finances_without_refund,
    "coupon-wallet": coupon_wallet,
    "seller-sign-in": visit("/seller/login"),
    "seller-console": seller_console,
    "seller-order": seller_order,
    "trainer": visit("/trainer"),
    "trainer-scenario": trainer_scenario,
    "not-found": visit("/no-such-page"),
    "not-found-signed-in": not_found_signed_in,
    "coach-start": visit("/coach/refund-balance"),
    "coach-panel": coach_panel,
    "coach-hint": coach_hint,
    "coach-minimised": coach_minimised,
    "coach-choice-forgotten": coach_choice_forgotten,
    "coach-on-the-target": coach_on_the_target,
    "coach-done": coach_done,
}


@pytest.fixture(params=["desktop", "phone"])
def device(request: pytest.FixtureRequest, devices: dict[str, Device]) -> Device:
    return devices[request.param]


@pytest.fixture
def shop(browser: Browser, storefront: str, device: Device) -> Iterator[Shop]:
    """A fresh showcase copy and a new browser context on the device."""
    started = control(storefront).start_scenario("showcase")
    context = browser.new_context(**context_options(device, storefront))
    try:
        yield Shop(context.new_page(), storefront, started)
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_storefront_page_has_no_serious_accessibility_finding(shop: Shop, name: str) -> None:
    PAGES[name](shop)
    expect(shop.page.locator("main")).to_be_visible()

    result = audit(shop.page)

    assert not result.excused, "the storefront's markup is all ours: nothing is excepted"
    assert not result.blocking, report(f"{name} ({shop.page.url})", result.blocking)
