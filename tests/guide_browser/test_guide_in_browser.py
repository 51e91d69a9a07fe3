"""The guide as a shopper sees it: Streamlit in Chromium, the real recordings, a live shop.

Every wait is web-first (``expect``): a click starts a Streamlit rerun, and the page is
checked once the rerun has delivered the new text or picture.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e  # a real browser and live servers: skipped by -m "not e2e"
FIRST_LOAD_MS = 30_000  # the first run of a page imports the guide and reads the manifest


def open_page(page: Page, url_path: str, title: str) -> None:
    """Open a guide page and wait until its first run has finished.

    By its heading: the same words are also a link in the sidebar.
    """
    page.goto(url_path)
    heading = page.get_by_role("heading", name=title, exact=True)
    expect(heading).to_be_visible(timeout=FIRST_LOAD_MS)
    settled(page)


def settled(page: Page) -> None:
    """Wait for the running-script indicator to go away (the rerun is done)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=FIRST_LOAD_MS)


def choose(page: Page, option: str) -> Locator:
    """Press a segmented-control option (a radio button) and wait until it is selected."""
    radio = page.get_by_role("radio", name=option)
    radio.click()
    expect(radio).to_be_checked()
    return radio


def step_image(page: Page) -> Locator:
    """The whole-screen pictures (each step also shows a close-up, alt "Close-up of …")."""
    return page.get_by_test_id("stMain").get_by_test_id("stImageContainer").locator(
        'img[alt^="Step "]')


def natural_size(image: Locator) -> tuple[int, int]:
    """Width and height of the picture itself, once the browser has decoded it."""
    width, height = image.evaluate(
        "i => i.decode().then(() => [i.naturalWidth, i.naturalHeight])"
    )
    return width, height


def is_screenshot_of(image: Locator, device: dict) -> bool:
    """Whether the picture has the device's screen shape (the guide may scale it down).

    The phone picture is shown 340 px wide (``guide/ui.py``), and Streamlit resizes it on
    the server, so its natural width is not the phone's 412 px; its shape still is.
    """
    width, height = natural_size(image)
    viewport = device["viewport"]
    return (width <= viewport["width"]
            and abs(height / width - viewport["height"] / viewport["width"]) < 0.01)


def flow_by_id(manifest: dict, flow_id: str) -> dict:
    return next(f for f in manifest["flows"] if f["id"] == flow_id)


def test_walk_a_path_step_by_step_then_on_the_phone_and_all_at_once(
    page: Page, manifest: dict
) -> None:
    flow = flow_by_id(manifest, "pre-verification")
    steps, total = flow["steps"], len(flow["steps"])
    devices = manifest["devices"]
    open_page(page, "/", "How to cancel an order")  # the tutorial is the default page

    choose(page, "Before the payment is verified")
    expect(page.get_by_text(flow["when"])).to_be_visible()
    expect(page.get_by_text(f"Step 1 of {total}", exact=True)).to_be_visible()
    image = step_image(page)
    expect(image).to_have_count(1)
    expect(image).to_have_attribute("alt", re.compile(re.escape(f"Step 1: {steps[0]['title']}")))
    assert natural_size(image)[0] == devices["desktop"]["viewport"]["width"]
    previous = page.get_by_role("button", name="Previous")
    expect(previous).to_be_disabled()

    seen = {image.get_attribute("src")}
    for number in range(2, total + 1):
        before = image.get_attribute("src")
        page.get_by_role("button", name="Next").click()
        expect(page.get_by_text(f"Step {number} of {total}", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name=steps[number - 1]["title"])).to_be_visible()
        expect(image).not_to_have_attribute("src", before)
        seen.add(image.get_attribute("src"))
    assert len(seen) == total, "every step shows its own screenshot"

    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    expect(page.get_by_role("button", name="Start again")).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.get_by_text(flow["next"])).to_be_visible()

    # Next, Previous and Start again rerun only the step fragment: what it drew at the last
    # step goes away with Previous, and the page around it stays as it was, once.
    page.get_by_role("button", name="Previous").click()
    expect(page.get_by_text(f"Step {total - 1} of {total}", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_have_count(0)
    expect(page.get_by_role("button", name="Start again")).to_have_count(0)
    expect(page.get_by_role("heading", name="How to cancel an order")).to_have_count(1)
    expect(page.get_by_text(flow["when"])).to_have_count(1)
    expect(page.get_by_role("radio", name="Before the payment is verified")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()

    phone = devices["phone"]
    choose(page, phone["label"])
    last = f"Step {total}: {steps[-1]['title']}"
    expect(page.get_by_alt_text(f"{last} ({phone['label']})", exact=True)).to_be_visible()
    settled(page)  # the desktop picture stays, greyed, until the rerun ends
    expect(image).to_have_count(1)
    expect(page.get_by_text(f"Step {total} of {total}", exact=True)).to_be_visible()
    assert is_screenshot_of(image, phone), natural_size(image)

    page.get_by_role("button", name="Start again").click()
    first = f"Step 1: {steps[0]['title']} ({phone['label']})"
    expect(page.get_by_alt_text(first, exact=True)).to_be_visible()
    expect(page.get_by_text(f"Step 1 of {total}", exact=True)).to_be_visible()
    expect(previous).to_be_disabled()
    expect(page.get_by_role("heading", name="What happens next")).to_have_count(0)
    expect(page.get_by_role("radio", name=phone["label"])).to_be_checked()
    settled(page)

    choose(page, "All steps")
    expect(image).to_have_count(total)
    for number in (1, total):
        expect(page.get_by_text(f"Step {number} of {total}", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_have_count(1)
    settled(page)
    assert all(is_screenshot_of(i, phone) for i in image.all())


def test_path_finder_answers_lead_to_a_path_that_opens_in_the_tutorial(
    page: Page, manifest: dict
) -> None:
    # "Awaiting shipment" is the seller-decides route; its recording is the accepted request.
    flow = next(f for f in manifest["flows"]
                if f["path"] == "post-verification" and f["scenario"] == "awaiting-shipment")
    open_page(page, "/which-path", "Which path is mine?")
    expect(page.get_by_text("Start with the status your order shows.")).to_be_visible()

    page.get_by_role("combobox", name="What status does the order show?").click()
    page.get_by_role("option", name="Awaiting shipment", exact=True).click()
    page.get_by_test_id("stRadio").filter(has_text="Cancel order").get_by_text(
        "Yes", exact=True).click()
    page.get_by_role("combobox", name="How did you pay?").click()
    page.get_by_role("option", name="PayPal", exact=True).click()
    expect(page.get_by_text("Your path", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="After the payment is verified")).to_be_visible()
    expect(page.get_by_text("Who decides:")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Money back:.*\(PayPal\)"))).to_be_visible()

    opener = page.get_by_role("button", name="Open “After the payment is verified” in the tutorial")
    opener.click()

    expect(page).not_to_have_url(re.compile("which-path"))
    expect(page.get_by_role("heading", name="How to cancel an order")).to_be_visible()
    expect(page.get_by_role("radio", name="After the payment is verified")).to_be_checked()
    expect(page.get_by_role("combobox", name="Which of these looks like your order?")
           ).to_have_value(flow["title"])
    expect(page).to_have_url(re.compile(r"[?&]flow=" + re.escape(flow["id"]) + r"\b"))
    expect(page.get_by_text(f"Step 1 of {len(flow['steps'])}", exact=True)).to_be_visible()
    expect(step_image(page)).to_have_attribute(
        "alt", re.compile(re.escape(f"Step 1: {flow['steps'][0]['title']}"))
    )


def test_practice_opens_the_coach_on_the_live_storefront(page: Page, storefront: str) -> None:
    open_page(page, "/practice", "Practice on the storefront")
    expect(page.get_by_role("combobox", name="What do you want to practise?")).to_be_visible()

    page.get_by_role("button", name="Start a coached practice").click()

    shop_link = page.get_by_role("link", name="Open the coached practice in a new tab")
    expect(shop_link).to_have_attribute(
        "href", re.compile("^" + re.escape(storefront) + r"/coach/[a-z-]+\?practice=[\w-]+$")
    )
    expect(page.get_by_text("Open the practice shop first", exact=False)).to_be_visible()

    with page.context.expect_page() as opened:
        shop_link.click()
    shop = opened.value
    expect(shop.get_by_role("heading", level=1)).to_contain_text("Practise:")
    shop.get_by_role("button", name="Start", exact=True).click()
    expect(shop.get_by_role("dialog", name="Coach")).to_contain_text("Step 2 of")

    page.get_by_role("button", name="Check my progress").click()
    expect(page.get_by_text(re.compile(r"^1 of \d+ steps done$"))).to_be_visible()
