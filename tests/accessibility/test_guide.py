"""axe-core on every page of the guide (``app.py``), desktop and phone.

Streamlit draws most of the page; what we choose is the theme (``.streamlit/config.toml``)
and the content. A finding in Streamlit's own markup that our theme cannot fix is listed
in ``STREAMLIT_KNOWN``, by rule and by the element it is inside, each with its reason;
everything else fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from flows.run.browser import Device
from tests.accessibility.axe import KnownFinding, audit, report
from tests.accessibility.conftest import context_options

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FIRST_LOAD_MS = 60_000  # the first run of a page imports the guide; two busy cores

# url path → the page's title, as app.py's navigation lists them (the tutorial is the default)
GUIDE_PAGES = {
    "": "How to cancel an order",
    "which-path": "Which path is mine?",
    "practice": "Practice on the storefront",
    "training": "Training quiz",
    "export": "Export the guide",
    "regression": "Regression run",
}

SIDEBAR_NAV = '[data-testid="stSidebarNav"]'
STREAMLIT_KNOWN: tuple[KnownFinding, ...] = (
    KnownFinding("list", SIDEBAR_NAV, "Streamlit's page list puts each section's <div> "
                 "straight inside its <ul> (streamlit 1.67); app.py only names the pages"),
    KnownFinding("listitem", SIDEBAR_NAV, "the same page list: its <li> items sit in those "
                 "<div>s, not directly in the <ul>"),
)


@pytest.fixture(params=["desktop", "phone"])
def device(request: pytest.FixtureRequest, devices: dict[str, Device]) -> Device:
    return devices[request.param]


@pytest.fixture
def guide_page(browser: Browser, guide: str, device: Device) -> Iterator[Page]:
    context = browser.new_context(**context_options(device, guide))
    try:
        yield context.new_page()
    finally:
        context.close()


def open_guide_page(page: Page, url_path: str, title: str) -> None:
    """Open a page and wait until Streamlit has finished running it."""
    page.goto(f"/{url_path}")
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(
        timeout=FIRST_LOAD_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=FIRST_LOAD_MS)
    # A wrong path opens Streamlit's "Page not found" dialog, which makes the page behind it
    # inert: axe would then check nothing at all.
    expect(page.get_by_test_id("stDialog")).to_have_count(0)


@pytest.mark.parametrize("url_path", GUIDE_PAGES, ids=lambda path: path or "tutorial")
def test_guide_page_has_no_serious_accessibility_finding(guide_page: Page, url_path: str) -> None:
    open_guide_page(guide_page, url_path, GUIDE_PAGES[url_path])

    result = audit(guide_page, STREAMLIT_KNOWN)

    assert not result.blocking, report(f"guide /{url_path}", result.blocking)
