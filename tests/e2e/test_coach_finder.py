"""The coach's finder (``mock_site/web/static/coach/find.js``) finds what the flows' runner
finds: on small pages, for each target (role and name, exact or not, label, text, inside
another target, hidden elements), the elements the module returns are the very elements,
in the same order, that the runner's Playwright locator for the target matches
(``flows.run.playwright_steps.locate``), and the module calls each visible when Playwright
does. The module is imported as the storefront serves it, into pages served from the
storefront's own address (routed here, so no CSP of the shop's applies to the test's script).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from flows.run.playwright_steps import locate
from flowspec.steps import Target, by_label, by_role, by_text

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

FIXTURE_PATH = "/coach-finder-fixture/"

ROLES = """
<button>Cancel order</button>
<button>Cancel</button>
<a href="/orders/1">Cancel order details</a>
<button aria-label="Close dialog">×</button>
<input type="submit" value="Submit request">
<button>  Send
    the   message </button>
<div role="button" tabindex="0">Div button</div>
<h1>My Orders</h1>
<h2>Order 1001</h2>
<nav aria-label="Account"><a href="/orders">My Orders</a> <a href="/coupons">Coupons</a></nav>
<a href="/"><img alt="Shop home" src="data:,"></a>
<span id="named">Named elsewhere</span><span role="button" aria-labelledby="named">?</span>
<input type="checkbox" title="Titled box">
"""

LABELS = """
<form>
  <label for="email">Email address</label> <input id="email" type="email">
  <label>Password <input type="password" name="password"></label>
  <input aria-label="Search orders" type="search">
  <span id="quantity-label">Quantity</span> <input aria-labelledby="quantity-label">
  <label><input type="checkbox" checked> Cotton crew socks, 5 pairs</label>
  <label><input type="checkbox"> Silicone spatula set, 3 pieces</label>
  <label><input type="radio" name="reason" value="a"> Changed my mind</label>
  <label><input type="radio" name="reason" value="b"> Found it cheaper</label>
  <label for="why">Reason for cancelling</label>
  <select id="why"><option>Changed my mind</option><option>Other</option></select>
  <textarea aria-label="Message to the seller"></textarea>
  <label>Delivery <select><option>Standard</option><option>Express</option></select></label>
  <span id="note-a">Gift</span><span id="note-b">note</span>
  <input aria-labelledby="note-a note-b">
</form>
"""

TEXTS = """
<p>Refund of £12.50 on its way</p>
<p>Your refund   is
   pending</p>
<span>Order 1001</span>
<div>Status: <strong>Shipped</strong></div>
<button>Text on a button</button>
<input type="submit" value="Value of a submit">
"""

SCOPES = """
<section aria-label="Orders">
  <article aria-label="Order 1001">
    <h2>Order 1001</h2><a href="/orders/1001">View details</a> <button>Open</button>
    <p>Total £10.00</p>
    <label>Note <input></label>
  </article>
  <article aria-label="Order 1002">
    <h2>Order 1002</h2><a href="/orders/1002">View details</a> <button>Open all</button>
    <p>Total £20.00</p>
    <label>Note <input></label>
  </article>
</section>
<article aria-label="Order 2001"><a href="/orders/2001">View details</a></article>
<div role="group" aria-label="Order status">
  <div role="group" aria-label="Order status history"><button>Accept</button></div>
  <button>Decline</button>
</div>
"""

HIDDEN = """
<button style="display: none">Hidden button</button>
<button hidden>Hidden button by attribute</button>
<div style="visibility: hidden"><button>Hidden button, invisible</button></div>
<div aria-hidden="true"><button>Hidden button for readers</button></div>
<button>Shown button</button>
<p style="display: none">Hidden words</p>
<p>Shown words</p>
<div style="display: none"><label for="gone">Gone field</label><input id="gone"></div>
<label for="here">Here field</label><input id="here">
<input type="password" aria-label="Hidden password" style="display: none">
<input type="password" aria-label="Shown password">
<p style="height: 0; overflow: hidden; margin: 0">Squeezed words</p>
<details><summary>More</summary><button>Folded button</button><p>Folded words</p></details>
<details open><summary>Open more</summary><button>Unfolded button</button></details>
<div style="display: contents"><button>Button in contents</button></div>
"""

FIXTURES = {"roles": ROLES, "labels": LABELS, "texts": TEXTS, "scopes": SCOPES,
            "hidden": HIDDEN}

order = by_role("article", "Order 1001")
# (fixture, target, how many elements Playwright finds): the count keeps each case honest.
CASES: list[tuple[str, Target, int]] = [
    ("roles", by_role("button", "Cancel order"), 1),
    ("roles", by_role("button", "Cancel"), 2),
    ("roles", by_role("button", "Cancel", exact=True), 1),
    ("roles", by_role("button", "cancel ORDER"), 1),
    ("roles", by_role("button", "cancel order", exact=True), 0),
    ("roles", by_role("link", "Cancel order"), 1),
    ("roles", by_role("button", "Close dialog", exact=True), 1),
    ("roles", by_role("button", "Submit request"), 1),
    ("roles", by_role("button", "Send the message", exact=True), 1),
    ("roles", by_role("button", "Div button"), 1),
    ("roles", by_role("button"), 7),
    ("roles", by_role("heading", "Order 1001"), 1),
    ("roles", by_role("heading"), 2),
    ("roles", by_role("link", "My Orders", exact=True), 1),
    ("roles", by_role("navigation", "Account"), 1),
    ("roles", by_role("link", "Shop home", exact=True), 1),
    ("roles", by_role("button", "Named elsewhere", exact=True), 1),
    ("roles", by_role("checkbox", "Titled box"), 1),
    ("labels", by_label("Email"), 1),
    ("labels", by_label("Email address", exact=True), 1),
    ("labels", by_label("email address", exact=True), 0),
    ("labels", by_label("Password"), 1),
    ("labels", by_label("Search orders"), 1),
    ("labels", by_label("Quantity"), 1),
    ("labels", by_label("Reason for cancelling", exact=True), 1),
    ("labels", by_label("Message to the seller"), 1),
    ("labels", by_label("Delivery"), 1),
    ("labels", by_label("Delivery", exact=True), 0),
    ("labels", by_label("Gift note", exact=True), 0),
    ("labels", by_label("Gift"), 1),
    ("labels", by_role("combobox", "Delivery"), 1),
    ("labels", by_role("textbox", "Email"), 1),
    ("labels", by_role("textbox", "Password"), 1),
    ("labels", by_role("textbox"), 5),
    ("labels", by_role("checkbox", "Cotton crew socks, 5 pairs"), 1),
    ("labels", by_role("checkbox"), 2),
    ("labels", by_role("radio", "Changed my mind"), 1),
    ("labels", by_role("combobox", "Reason for cancelling"), 1),
    ("labels", by_role("searchbox", "Search orders"), 1),
    ("texts", by_text("Refund"), 2),
    ("texts", by_text("refund of £12.50"), 1),
    ("texts", by_text("Your refund is pending", exact=True), 1),
    ("texts", by_text("Order 1001", exact=True), 1),
    ("texts", by_text("Order 100", exact=True), 0),
    ("texts", by_text("Shipped"), 1),
    ("texts", by_text("Status: Shipped"), 1),
    ("texts", by_text("Status"), 1),
    ("texts", by_text("Text on a button"), 1),
    ("texts", by_text("Value of a submit"), 1),
    ("scopes", by_role("link", "View details").inside(order), 1),
    ("scopes", by_role("link", "View details").inside(by_role("article", "Order 100")), 2),
    ("scopes", by_role("link", "View details").inside(by_role("article")), 3),
    ("scopes", by_role("link", "View details").inside(
        by_role("article", "Order 1002").inside(by_role("region", "Orders"))), 1),
    ("scopes", by_role("link", "View details").inside(by_role("region", "Orders")), 2),
    ("scopes", by_role("button", "Open", exact=True).inside(by_role("region", "Orders")), 1),
    ("scopes", by_role("button", "Open").inside(by_role("region", "Orders")), 2),
    ("scopes", by_text("Total").inside(order), 1),
    ("scopes", by_label("Note").inside(by_role("article", "Order 1002")), 1),
    ("scopes", by_role("heading").inside(by_role("article", "Order 2001")), 0),
    # a scope is not inside itself for roles and labels; for text, Playwright looks at it too
    ("scopes", by_role("article").inside(order), 0),
    ("scopes", by_label("Note").inside(by_label("Note")), 0),
    ("scopes", by_text("View details").inside(by_role("link", "View details").inside(order)), 1),
    # the outer group and the inner one both match: the button inside both is found once
    ("scopes", by_role("button").inside(by_role("group", "Order status")), 2),
    ("scopes", by_role("button", "Accept").inside(by_role("group", "Order status")), 1),
    ("hidden", by_role("button", "Hidden button"), 0),
    ("hidden", by_role("button"), 3),
    ("hidden", by_role("button", "Folded button", exact=True), 0),
    ("hidden", by_role("button", "Unfolded button", exact=True), 1),
    ("hidden", by_text("Folded words"), 1),
    ("hidden", by_role("button", "contents"), 1),
    ("hidden", by_role("button", "Shown button"), 1),
    ("hidden", by_text("Hidden words"), 1),
    ("hidden", by_text("words"), 4),
    ("hidden", by_label("Gone field"), 1),
    ("hidden", by_label("field"), 2),
    ("hidden", by_role("textbox"), 2),
    ("hidden", by_role("textbox", "password"), 1),
    ("hidden", by_label("password"), 2),
]

DESCRIBE = """el => `${el.tagName.toLowerCase()} #${[...document.querySelectorAll("*")].indexOf(el)} ` +
  JSON.stringify((el.getAttribute("aria-label") || el.textContent || el.value || "")
                 .replace(/\\s+/g, " ").trim().slice(0, 40))"""

# The finder as the coach imports it, with Testing Library loaded as the coach loads it.
IMPORT_FINDER = """
import * as finder from "/static/coach/find.js";
await finder.loadLibrary();
window.coachFinder = finder;
"""


def as_json(target: Target) -> dict:
    """The target as the coach reads it in its tour (``flowspec.tour``)."""
    return target.model_dump(mode="json", by_alias=True)


def case_id(case: tuple[str, Target, int]) -> str:
    fixture, target, _ = case
    return f"{fixture}: {target.describe()}{' exact' if target.exact else ''}"


@pytest.fixture(scope="module")
def finder_page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url)
    page = context.new_page()

    def fixture_page(route):
        name = route.request.url.rsplit("/", 1)[-1]
        body = f'<!doctype html><html lang="en"><title>{name}</title><body>{FIXTURES[name]}'
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    page.route(f"**{FIXTURE_PATH}*", fixture_page)
    yield page
    context.close()


def open_fixture(page: Page, name: str) -> Page:
    page.goto(f"{FIXTURE_PATH}{name}")
    page.add_script_tag(type="module", content=IMPORT_FINDER)
    page.wait_for_function("() => window.coachFinder")
    return page


@pytest.mark.parametrize(("fixture", "target", "count"), CASES,
                         ids=[case_id(case) for case in CASES])
def test_the_coach_finds_what_playwright_finds(finder_page: Page, fixture: str, target: Target,
                                               count: int):
    page = open_fixture(finder_page, fixture)
    located = locate(target, page)

    expected = located.evaluate_all(f"els => els.map({DESCRIBE})")
    found = page.evaluate(f"t => window.coachFinder.findAll(t).map({DESCRIBE})", as_json(target))

    assert found == expected
    assert len(expected) == count, expected
    visible = page.evaluate("t => window.coachFinder.findAll(t).map(window.coachFinder.isVisible)",
                            as_json(target))
    assert visible == [located.nth(i).is_visible() for i in range(count)]


def test_the_coach_finds_nothing_inside_its_own_panel(finder_page: Page):
    page = open_fixture(finder_page, "roles")
    page.evaluate("""() => {
        const panel = document.createElement("section");
        panel.innerHTML = "<button>Cancel order</button>";
        document.body.prepend(panel);
        window.coachFinder.ignoreWithin(panel);
    }""")
    target = as_json(by_role("button", "Cancel order"))

    found = page.evaluate(f"t => window.coachFinder.findAll(t).map({DESCRIBE})", target)

    assert len(found) == 1
    assert found == [page.evaluate(f"{DESCRIBE}", page.locator("body > button").first.element_handle())]
