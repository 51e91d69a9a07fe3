"""The same promises, checked in Chromium against a running storefront.

- Every buyer, seller and trainer page loads without a single content-security-policy
  violation (the policy allows nothing inline, so a page that needed inline script or
  style would break here first).
- Script-injection strings typed into every field never run: no dialog opens, no
  injected element appears. Checked twice: with the policy, and with the browser told
  to ignore it, so escaping alone is shown to be enough.
- The session cookie is invisible to scripts, and a page on another site cannot show
  the shop in a frame at all, so it cannot trick a signed-in seller into pressing a
  button.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.support.live_clients import control
from tests.support.local_http import serve_in_thread

pytestmark = pytest.mark.slow

# Breaks out of an attribute, then tries an element with a handler and a script element.
PAYLOAD = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(scope="module")
def chromium(browser: Browser) -> Browser:
    """pytest-playwright's browser, launched with the flows' Chromium (tests/conftest.py)."""
    return browser


def sign_in_link(storefront: str, token: str, role: str) -> str:
    """A new one-time link that signs the browser in as the scenario's buyer or seller."""
    return control(storefront).sign_in_link(token, role).url


@dataclass
class Watched:
    """A page with everything the browser complained about or opened."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)

    def collect(self) -> None:
        """The violations the page in view reported (each page starts a new list)."""
        url = self.page.url
        self.reported += [f"{url}: {v}" for v in self.page.evaluate(
            "window.__cspViolations || []")]

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.collect()

    def violations(self) -> list[str]:
        self.collect()
        return self.reported + [line for line in self.console
                                if "Content Security Policy" in line]


def watch(context: BrowserContext) -> Watched:
    context.add_init_script(script=COLLECT_VIOLATIONS)
    page = context.new_page()
    watched = Watched(page)

    def on_dialog(dialog) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: watched.console.append(
        f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: watched.console.append(f"pageerror: {error}"))
    return watched


def post_in_page(page: Page, url: str, fields: dict[str, str | list[str]]) -> None:
    """Submit a form from the page itself, so the answer is rendered like any other."""
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    with page.expect_navigation():
        page.evaluate(
            """([url, fields]) => {
              const form = document.createElement("form");
              form.method = "post";
              form.action = url;
              for (const [name, values] of Object.entries(fields)) {
                for (const value of [].concat(values)) {
                  const input = document.createElement("input");
                  input.type = "hidden";
                  input.name = name;
                  input.value = value;
                  form.appendChild(input);
                }
              }
              document.body.appendChild(form);
              form.submit();
            }""",
            [url, {**fields, "csrf_token": token}],
        )


# --- the content security policy ----------------------------------------------------------

def test_every_buyer_seller_and_trainer_page_passes_the_content_security_policy(
        chromium, storefront):
    world = control(storefront).start_scenario("showcase")
    token = world.token
    one_per_status = {order.status: order.number for order in reversed(world.orders)}
    numbers = list(one_per_status.values())
    context = chromium.new_context(base_url=storefront, viewport={"width": 412, "height": 839})
    watched = watch(context)
    pages = ["/login", "/seller/login", "/trainer", f"/trainer/{token}", "/no-such-page"]
    visited = []
    try:
        for path in pages:
            watched.visit(path)
            visited.append(path)
        watched.visit(sign_in_link(storefront, token, "buyer"))
        buyer_pages = ["/orders", "/coupons", "/orders/0000"] + [
            f"/orders?tab={tab}" for tab in ("To pay", "To ship", "Shipped", "Completed",
                                             "Closed")]
        for number in numbers:
            buyer_pages += [f"/orders/{number}", f"/orders/{number}/finances",
                            f"/orders/{number}/cancel", f"/orders/{number}/messages"]
        for path in buyer_pages:
            watched.visit(path)
            visited.append(path)
        # after forms were sent: flash messages, a closed order's refund tracker and an
        # order awaiting cancellation
        for status in ("Payment being verified", "Awaiting shipment"):
            number = one_per_status[status]
            watched.visit(f"/orders/{number}/cancel")
            watched.page.get_by_label("I changed my mind").check()
            watched.page.get_by_role("button", name="Submit").click()
            watched.page.wait_for_url(f"**/orders/{number}")
            watched.visit(f"/orders/{number}/finances")
            visited.append(f"/orders/{number} after cancelling")
        watched.visit(sign_in_link(storefront, token, "seller"))
        for path in ["/seller", *(f"/seller/orders/{number}" for number in numbers)]:
            watched.visit(path)
            visited.append(path)
        violations = watched.violations()
    finally:
        context.close()
    assert len(visited) >= 30
    assert violations == []
    errors = [line for line in watched.console
              if line.startswith(("error", "pageerror")) and "404" not in line]
    assert errors == []


# --- injected markup never runs -------------------------------------------------------------

@pytest.mark.parametrize("policy", ["enforced", "ignored by the browser"])
def test_injected_markup_never_runs_in_a_real_browser(chromium, storefront, policy):
    payload = PAYLOAD
    shipped = control(storefront).start_scenario("marked-shipped")
    coupon = control(storefront).start_scenario("store-coupon")
    context = chromium.new_context(base_url=storefront, bypass_csp=policy != "enforced")
    watched = watch(context)
    page = watched.page
    seen: list[tuple[str, int, int, bool]] = []

    def look(label: str, field: str | None = None) -> None:
        shown = (page.get_by_label(field).input_value() if field
                 else page.locator("body").inner_text())
        seen.append((label, page.locator("img[src='x']").count(),
                     page.locator("script:not([src])").count(), payload in shown))

    def write_as(role: str, path: str, field: str, button: str) -> None:
        """Sign in to the shipped order's scenario as ``role``, send the payload from the
        form on ``path``, and wait for the page to come back."""
        page.goto(sign_in_link(storefront, shipped.token, role))
        page.goto(path)
        page.get_by_label(field).fill(payload)
        page.get_by_role("button", name=button).click()
        page.wait_for_url(f"**{path}")

    try:
        # the sign-in e-mail, shown again after a wrong password
        page.goto("/login?next=/" + payload)
        page.get_by_label("Email").fill(payload)
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        look("sign-in page", "Email")
        # a buyer's message, through the page's own form
        number = shipped.orders[0].number
        write_as("buyer", f"/orders/{number}/messages", "Message", "Send")
        look("buyer's messages")
        # a reason and ticked items that are not on the form
        coupon_number = coupon.orders[0].number
        page.goto(sign_in_link(storefront, coupon.token, "buyer"))
        page.goto(f"/orders/{coupon_number}/cancel")
        post_in_page(page, f"/orders/{coupon_number}/cancel",
                     {"reason": payload, "choosing_items": "1", "items": [payload]})
        look("cancel form")
        # the seller's reply, from the console
        write_as("seller", f"/seller/orders/{number}", "Reply", "Send reply")
        look("seller's order page")
        post_in_page(page, f"/seller/orders/{number}/actions", {"action": payload})
        look("seller's order page after an unknown action")
        # the trainer's fields
        page.goto(f"/trainer/{shipped.token}")
        post_in_page(page, f"/trainer/{shipped.token}/clock",
                     {"days": payload, "hours": payload})
        look("trainer page after the clock")
        post_in_page(page, "/trainer/scenarios", {"name": payload})
        look("trainer page after an unknown scenario")
        page.goto(sign_in_link(storefront, shipped.token, "buyer"))
        page.goto(f"/orders/{number}/messages")
        look("buyer's messages with both texts")
        page.goto("/orders?tab=" + payload)
        look("My Orders")
    finally:
        context.close()
    assert watched.dialogs == []
    injected = [(label, images, scripts) for label, images, scripts, _ in seen
                if images or scripts]
    assert injected == []
    shown_as_text = {label for label, *_, shown in seen if shown}
    assert {"buyer's messages", "seller's order page", "sign-in page",
            "buyer's messages with both texts"} <= shown_as_text


@contextmanager
def page_server(html: str) -> Iterator[str]:
    """Another site serving one page: "localhost", which the browser counts as a different
    site from "127.0.0.1", where the storefront is (and still a local address)."""

    class OnePage(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = html.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), OnePage)
    thread = serve_in_thread(server)
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- cookies in the browser --------------------------------------------------------------

def test_scripts_on_the_page_cannot_read_the_session_cookie(chromium, storefront):
    world = control(storefront).start_scenario("awaiting-shipment")
    context = chromium.new_context(base_url=storefront)
    try:
        page = context.new_page()
        page.goto(sign_in_link(storefront, world.token, "buyer"))
        assert "shop_session" in {c["name"] for c in context.cookies()}
        assert "shop_session" not in page.evaluate("document.cookie")
    finally:
        context.close()


def test_a_page_on_another_site_cannot_show_the_shop_in_a_frame(chromium, storefront):
    """Only the guide's origin may frame the buyer's pages, and nothing frames the console
    (``frame-ancestors``, ``X-Frame-Options``), so no page elsewhere can lay the shop
    under its own and trick a signed-in person into pressing a button."""
    world = control(storefront).start_scenario("awaiting-shipment")
    context = chromium.new_context(base_url=storefront)
    try:
        page = context.new_page()
        page.goto(sign_in_link(storefront, world.token, "seller"))
        page.goto("/seller")
        assert page.get_by_label("Password").count() == 0, "signed in at the top level"
        for path in ("/seller", "/login"):
            framing = f'<!doctype html><iframe src="{storefront}{path}" width="800"></iframe>'
            with page_server(framing) as elsewhere:
                page.goto(elsewhere)
                # the browser's own error page stands where the shop would have been
                page.frames[1].wait_for_url(re.compile(r"^chrome-error://"))
    finally:
        context.close()
