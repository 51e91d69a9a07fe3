"""The tutorial in Chromium: its address, readable close-ups, offline, first-click download.

Each test opens its own browser context (its own window size, its own routes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from flows.run.browser import STEADY_CONTEXT
from tests.guide_browser.test_guide_in_browser import FIRST_LOAD_MS, flow_by_id, settled

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
LAPTOP = {"width": 1280, "height": 800}
PAGES = {"/": "How to cancel an order", "/which-path": "Which path is mine?",
         "/practice": "Practice on the storefront", "/training": "Training quiz",
         "/export": "Export the guide", "/regression": "Regression run"}
MAX_EXPORT_BYTES = 10_000_000


@pytest.fixture
def window(browser: Browser, guide: str) -> Iterator[callable]:
    """``window(width, height)``: a fresh context of that size on the guide."""
    opened: list[BrowserContext] = []

    def open_window(viewport: dict = LAPTOP) -> Page:
        context = browser.new_context(**STEADY_CONTEXT, viewport=viewport, base_url=guide,
                                      accept_downloads=True)
        opened.append(context)
        return context.new_page()

    yield open_window
    for context in opened:
        context.close()


def shows_step(page: Page, number: int, total: int, title: str) -> None:
    expect(page.get_by_text(f"Step {number} of {total}", exact=True)).to_be_visible(
        timeout=FIRST_LOAD_MS)
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    settled(page)


def test_a_pasted_link_opens_its_step_and_the_address_follows_every_move(window, manifest):
    flow = flow_by_id(manifest, "refund-bank-card")
    steps, total = flow["steps"], len(flow["steps"])
    phone = manifest["devices"]["phone"]["label"]
    page = window()

    page.goto("/?flow=refund-bank-card&device=phone&step=9")
    shows_step(page, 9, total, steps[8]["title"])
    expect(page.get_by_role("radio", name="Getting the money back")).to_be_checked()
    expect(page.get_by_role("radio", name=phone)).to_be_checked()
    expect(page.get_by_alt_text(f"Step 9: {steps[8]['title']} ({phone})")).to_be_visible()

    page.get_by_role("button", name="Next").click()
    shows_step(page, 10, total, steps[9]["title"])
    expect(page).to_have_url(re.compile(r"[?&]step=10\b"))
    page.reload()
    shows_step(page, 10, total, steps[9]["title"])
    page.go_back()
    shows_step(page, 9, total, steps[8]["title"])
    expect(page).to_have_url(re.compile(r"[?&]step=9\b"))
    page.go_forward()
    shows_step(page, 10, total, steps[9]["title"])

    page.get_by_role("heading", name="How to cancel an order").click()  # focus the page
    page.keyboard.press("ArrowLeft")
    shows_step(page, 9, total, steps[8]["title"])

    page.get_by_role("button", name="Link to this step").click()
    link = page.get_by_test_id("stCode").filter(has_text="step=9")
    expect(link).to_contain_text("flow=refund-bank-card")
    pasted = window()
    pasted.goto(link.inner_text().strip())
    shows_step(pasted, 9, total, steps[8]["title"])
    expect(pasted.get_by_role("radio", name=phone)).to_be_checked()


@pytest.mark.parametrize("address", ["/tutorial", "/no-such-page",
                                     "/tutorial?flow=pre-verification&step=2"])
def test_other_addresses_land_on_the_tutorial_without_an_error(window, manifest, address):
    page = window()
    page.goto(address)
    expect(page.get_by_role("heading", name="How to cancel an order")).to_be_visible(
        timeout=FIRST_LOAD_MS)
    settled(page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    if "step=2" in address:
        shows_step(page, 2, len(flow_by_id(manifest, "pre-verification")["steps"]),
                   flow_by_id(manifest, "pre-verification")["steps"][1]["title"])


def test_at_1280x800_the_close_up_is_drawn_at_its_size_and_next_is_in_view(window, manifest):
    flow = flow_by_id(manifest, "post-verification")  # a path with variants: the longest top
    page = window(LAPTOP)
    page.goto("/?flow=post-verification&device=desktop&step=3")
    shows_step(page, 3, len(flow["steps"]), flow["steps"][2]["title"])
    close_up = page.get_by_role("img", name=re.compile("^Close-up of step 3"))
    natural, drawn = close_up.evaluate(
        "i => i.decode().then(() => [i.naturalWidth, i.getBoundingClientRect().width])")
    assert drawn >= 0.9 * natural, (drawn, natural)
    box = flow["steps"][2]["boxes"]["desktop"]
    assert natural >= min(box["width"], 480)
    for name in ("Next", "Previous"):
        expect(page.get_by_role("button", name=name)).to_be_in_viewport()


def test_a_narrow_window_starts_on_the_phone_pictures(window, manifest):
    phone = manifest["devices"]["phone"]["label"]
    page = window({"width": 412, "height": 839})
    page.goto("/?flow=pre-verification&step=2")
    expect(page.get_by_role("radio", name=phone)).to_be_checked(timeout=FIRST_LOAD_MS)
    expect(page.get_by_role("img", name=re.compile(r"^Step 2: .*\(" + re.escape(phone)))
           ).to_be_visible()


def test_no_request_leaves_the_machine_and_no_page_path_is_missing(window):
    page = window()
    outside: list[str] = []

    def only_loopback(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1",
                                                                          "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_loopback)
    for path, heading in PAGES.items():
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(
            timeout=FIRST_LOAD_MS)
        settled(page)
    assert outside == []


def test_the_whole_guide_downloads_on_the_first_click(window, tmp_path):
    page = window()
    page.goto("/export")
    expect(page.get_by_role("heading", name="Export the guide")).to_be_visible(
        timeout=FIRST_LOAD_MS)
    button = page.get_by_role("button", name="Download the HTML file")
    expect(button).to_be_enabled(timeout=120_000)  # the file is built before it is offered
    settled(page)
    with page.expect_download(timeout=60_000) as started:
        button.click()
    download = started.value
    assert download.failure() is None
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    size = saved.stat().st_size
    assert 1_000_000 < size < MAX_EXPORT_BYTES, size
    text = saved.read_text(encoding="utf-8")
    assert text.count("data:image/png;base64,") > 100  # close-ups of both screens
