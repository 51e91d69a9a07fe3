"""A double submit in a real browser: while the first submit is on its
way, the Submit button is disabled and a second press sends nothing; with scripts off
the form still works (and the server answers a resend with the first outcome:
tests/mock_site/web/test_double_submit.py)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect

from flows.run.live_server import live_storefront

pytestmark = pytest.mark.slow

CANCELLED = "Your order was cancelled. The refund has started."
FORM = 'form[aria-label="Cancellation form"]'


@pytest.fixture(scope="module")
def storefront() -> Iterator[str]:
    with live_storefront() as url:
        yield url


def signed_in_page(browser: Browser, storefront: str, **context_options):
    started = httpx.post(f"{storefront}/api/scenarios", json={"name": "payment-being-verified"},
                         timeout=30).json()
    context = browser.new_context(base_url=storefront, **context_options)
    page = context.new_page()
    page.goto(started["buyer_sign_in_url"])
    return context, page, started["orders"][0]["number"]


# Two presses of Submit, the second while the first is on its way; a listener on the
# window (after the page's own) records whether the page stopped each one, then stops
# it itself, so nothing leaves the page and the test sees the state in between.
TWO_PRESSES = """form => new Promise(resolve => {
  const stopped = [];
  window.addEventListener("submit", event => {
    stopped.push(event.defaultPrevented);
    event.preventDefault();
  });
  form.requestSubmit();
  setTimeout(() => {
    const disabled = form.querySelector("button").disabled;
    form.requestSubmit();
    resolve({stopped, disabled});
  }, 0);
})"""


def test_a_second_press_while_the_first_is_on_its_way_sends_nothing(browser, storefront):
    context, page, number = signed_in_page(browser, storefront)
    try:
        page.goto(f"/orders/{number}/cancel")
        page.get_by_role("radio", name="I changed my mind").check()
        pressed = page.locator(FORM).evaluate(TWO_PRESSES)
        assert pressed == {"stopped": [False, True], "disabled": True}

        page.reload()  # a fresh page: the button works, and the cancel goes through
        page.get_by_role("radio", name="I changed my mind").check()
        page.get_by_role("button", name="Submit").dblclick()
        expect(page.get_by_text(CANCELLED)).to_be_visible()
    finally:
        context.close()


def test_without_scripts_the_form_still_cancels(browser, storefront):
    context, page, number = signed_in_page(browser, storefront, java_script_enabled=False)
    try:
        page.goto(f"/orders/{number}/cancel")
        page.get_by_role("radio", name="I changed my mind").check()
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_text(CANCELLED)).to_be_visible()
    finally:
        context.close()
