"""The regression run notices a broken storefront: the right flow, the right step, a clear
message and the evidence. The storefront is altered on the fly in the flow's own browser
context (a route or an init script), so no other test sees the change. The evidence goes
to ``tmp_path``: another pytest session starting in the same folder empties ``--output``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Route

from flows.pictures.files import RECORDINGS_DIR
from flows.run.runner import run_flow
from flowspec.paths import load_flows
from tests.support.order_numbers import order_number

FLOW = load_flows()["pre-verification"]
ORDER = order_number("payment-being-verified")
ORDER_DETAILS = re.compile(r"/orders/\d+$")
STYLESHEET = "**/static/style.css"
RECOLOURED_CANCEL = (
    '\n.actions a[href$="/cancel"] { background: #1a7f37; border-color: #1a7f37; }\n'
)
DIFF_RED = (255, 0, 0)


def rewrite(
    url: str | re.Pattern[str], change: Callable[[str], str]
) -> Callable[[BrowserContext], None]:
    """A context set-up that serves the storefront's response for ``url`` changed by ``change``."""

    def handle(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=change(response.text()))

    def setup(context: BrowserContext) -> None:
        context.route(url, handle)

    return setup


def without_links(text: str) -> Callable[[BrowserContext], None]:
    """A context set-up that removes every link reading ``text`` as each page loads.

    (My Orders is reached through the sign-in redirect, which routes do not see.)
    """
    script = f"""document.addEventListener("DOMContentLoaded", () => {{
      for (const link of document.querySelectorAll("a"))
        if (link.textContent.trim() === {json.dumps(text)}) link.remove();
    }});"""

    def setup(context: BrowserContext) -> None:
        context.add_init_script(script=script)

    return setup


def run_altered(browser, desktop, base_url, tmp_path: Path,
                alteration: Callable[[BrowserContext], None], **options):
    """The pre-verification flow on desktop, its evidence in ``tmp_path``, in a browser
    context that ``alteration`` sets up."""
    return run_flow(browser, FLOW, desktop, base_url, output_dir=tmp_path,
                    context_setup=alteration, **options)


def renamed_cancel_button(html: str) -> str:
    return html.replace(">Cancel order</a>", ">Cancel the order</a>")


@pytest.mark.parametrize(
    ("alteration", "number", "step_id", "message"),
    [
        pytest.param(
            rewrite(ORDER_DETAILS, renamed_cancel_button),
            7,
            "cancel-order",
            'flow "pre-verification" on desktop, step 7 "cancel-order" (Click link "Cancel order"): '
            'link "Cancel order" was not found',
            id="renamed-button",
        ),
        pytest.param(
            without_links("View details"),
            6,
            "view-details",
            f'flow "pre-verification" on desktop, step 6 "view-details" '
            f'(Click link "View details" in article "Order {ORDER}"): '
            f'link "View details" in article "Order {ORDER}" was not found',
            id="removed-step",
        ),
    ],
)
def test_a_changed_page_fails_the_flow_at_the_step_it_breaks(
    browser, desktop, base_url, tmp_path: Path, alteration, number, step_id, message
):
    """The steps' own checks, without baselines (which would flag a removed link earlier,
    on the first screenshot it is missing from). The step that breaks waits 2 s for its
    element, not the usual 5 s: the message is the same."""
    result = run_altered(browser, desktop, base_url, tmp_path, alteration, timeout_ms=2000)

    assert not result.passed
    statuses = [step.status for step in result.steps]
    assert statuses == ["passed"] * (number - 1) + ["failed"] + ["skipped"] * (11 - number)
    failed = result.failures[0]
    assert (failed.number, failed.step_id) == (number, step_id)
    assert failed.message == message
    assert failed.actual is not None and Path(failed.actual).exists()
    assert result.trace is not None and result.trace.exists()


def test_a_restyled_button_fails_the_screenshot_comparison_with_a_diff(
    browser, desktop, base_url, tmp_path: Path
):
    recolour = rewrite(STYLESHEET, lambda css: css + RECOLOURED_CANCEL)

    result = run_altered(browser, desktop, base_url, tmp_path, recolour,
                         baseline_dir=RECORDINGS_DIR)

    # A changed picture is a soft failure: the flow goes on and reports every one.
    statuses = [step.status for step in result.steps]
    assert statuses[:7] == ["passed"] * 6 + ["changed"] and "skipped" not in statuses
    assert result.stopped_at is None
    failed = result.failures[0]
    assert (failed.number, failed.step_id) == (7, "cancel-order")
    assert re.fullmatch(
        r'flow "pre-verification" on desktop, step 7 "cancel-order" \(Click link "Cancel order"\): '
        r"the screenshot differs from the baseline in (\d+) pixels \(allowed: 25\)",
        failed.message,
    ), failed.message
    assert failed.expected and failed.actual and failed.diff
    assert all(Path(path).exists() for path in (failed.expected, failed.actual, failed.diff))
    with Image.open(failed.diff) as diff:
        colours = {colour: count for count, colour in diff.convert("RGB").getcolors(1 << 24)}
    assert colours.get(DIFF_RED, 0) > 25, "the diff image marks no differing pixels in red"


def test_with_baselines_a_removed_link_reports_the_changed_picture_and_the_missing_link(
    browser, desktop, base_url, tmp_path: Path
):
    """The changed My Orders picture no longer hides the real breakage: the flow goes on
    to the step that needs the link, which fails by name, and the rest are skipped."""
    result = run_altered(browser, desktop, base_url, tmp_path, without_links("View details"),
                         baseline_dir=RECORDINGS_DIR, timeout_ms=2000)

    statuses = [step.status for step in result.steps]
    assert statuses == ["passed"] * 4 + ["changed", "failed"] + ["skipped"] * 5
    changed, failed = result.failures
    assert changed.message.startswith(
        'flow "pre-verification" on desktop, step 5 "find-order"'
    ) and "the screenshot differs from the baseline in" in changed.message
    assert failed.message.endswith(f'link "View details" in article "Order {ORDER}" was not found')
    # why it stopped, how long it looked, and what the page should have shown
    assert failed.failure == "not found" and failed.duration_ms >= 2000
    assert failed.expected and failed.diff and Path(failed.expected).exists()
    assert {step.message for step in result.steps[6:]} == {
        'skipped because step 6 "view-details" failed'
    }
