"""The runner drives a flow through a page, checks each step and reports readably."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.run.runner import run_flow
from flowspec.steps import Click, HasText, Step, Visible, by_role
from tests.flows.shop_pages import CONTROL_FLOW, DEMO_FLOW, changed


@pytest.mark.parametrize("device_name", ["desktop", "phone"])
def test_a_flow_runs_every_step_on_each_device(browser, devices, shop, tmp_path, device_name):
    seen = []

    result = run_flow(
        browser,
        DEMO_FLOW,
        devices[device_name],
        shop.url,
        output_dir=tmp_path,
        on_step=seen.append,
    )

    assert [(s.step_id, s.status) for s in result.steps] == [
        ("open-orders", "passed"),
        ("view-details", "passed"),
        ("choose-reason", "passed"),
        ("add-note", "passed"),
        ("cancel-order", "passed"),
    ]
    assert result.passed and seen == result.steps
    assert all(s.device == device_name and s.total == 5 for s in result.steps)


def test_each_step_reports_its_target_box_and_accessible_tree(browser, desktop, shop, tmp_path):
    result = run_flow(browser, DEMO_FLOW, desktop, shop.url, output_dir=tmp_path)

    view = result.steps[1]
    assert view.target == 'link "View details" in article "Order 1001"'
    assert view.aria == '- link "View details":\n  - /url: /orders/1001'
    assert view.box is not None and view.box.width > 0
    # the scenario's own e-mail (buyer1@example.com) is kept as the sample, as pictured
    assert result.steps[3].aria.startswith('- textbox "Note": you@example.com')


def test_control_steps_call_the_control_api_for_the_scenario(browser, desktop, shop, tmp_path):
    result = run_flow(browser, CONTROL_FLOW, desktop, shop.url, output_dir=tmp_path)

    assert result.passed, result.failures
    assert shop.calls == [
        ("clock", {"token": "tok1", "days": 2, "hours": 0}),
        ("seller", {"token": "tok1", "order": "1001", "action": "cancel", "message": "Sorry"}),
    ]


def test_a_missing_element_fails_the_step_by_name_and_skips_the_rest(
    browser, desktop, shop, tmp_path
):
    missing = Step(id="press-missing", title="Press a button that is not there", instruction="Press it.",
                   action=Click(), target=by_role("button", "Delete everything"))
    flow = changed(DEMO_FLOW, steps=(DEMO_FLOW.steps[0], missing, DEMO_FLOW.steps[1]))

    result = run_flow(browser, flow, desktop, shop.url, output_dir=tmp_path, timeout_ms=1000)

    assert [s.status for s in result.steps] == ["passed", "failed", "skipped"]
    failed = result.steps[1]
    assert failed.message == (
        'flow "demo" on desktop, step 2 "press-missing" (Click button "Delete everything"): '
        'button "Delete everything" was not found'
    )
    assert failed.actual == str(tmp_path / "demo" / "desktop" / "02-press-missing-actual.png")
    assert Path(failed.actual).exists()
    assert result.trace is not None and result.trace.exists()


@pytest.mark.parametrize(
    ("expectation", "reason"),
    [
        (
            Visible(target=by_role("heading", "Order closed")),
            'expected heading "Order closed" to be visible, but it was not found',
        ),
        (
            HasText(target=by_role("heading", "My Orders"), text="Your orders"),
            'expected heading "My Orders" to contain "Your orders", but found: My Orders',
        ),
        (
            Visible(target=by_role("link", "View details")),
            'expected link "View details" to be visible, but link "View details" matches 2 elements',
        ),
    ],
)
def test_an_unmet_expectation_says_what_was_expected_and_found(
    browser, desktop, shop, tmp_path, expectation, reason
):
    step = changed(DEMO_FLOW.steps[0], expect=(expectation,))
    flow = changed(DEMO_FLOW, steps=(step,))

    result = run_flow(browser, flow, desktop, shop.url, output_dir=tmp_path, timeout_ms=1000)

    assert result.steps[0].message == (
        'flow "demo" on desktop, step 1 "open-orders" (Go to /orders): ' + reason
    )


def test_an_ambiguous_target_is_reported_as_such(browser, desktop, shop, tmp_path):
    step = Step(
        id="view",
        title="View",
        instruction="View it.",
        action="click",
        target=by_role("link", "View details"),
    )
    flow = changed(DEMO_FLOW, steps=(DEMO_FLOW.steps[0], step))

    result = run_flow(browser, flow, desktop, shop.url, output_dir=tmp_path, timeout_ms=1000)

    assert result.steps[1].message.endswith(
        ': link "View details" matches 2 elements; the target must pick one'
    )


def test_an_unknown_scenario_fails_before_the_first_step(browser, desktop, shop, tmp_path):
    flow = DEMO_FLOW.model_copy(update={"scenario": "missing"})  # one the shop does not have

    result = run_flow(browser, flow, desktop, shop.url, output_dir=tmp_path)

    assert [s.status for s in result.steps] == ["failed"] + ["skipped"] * 5
    assert result.steps[0].step_id == "scenario"
    assert result.steps[0].message.startswith(
        'flow "demo" on desktop: scenario "missing" failed: 404 Not Found'
    )


def test_a_page_answering_an_error_status_fails_the_goto(browser, desktop, shop, tmp_path):
    step = changed(DEMO_FLOW.steps[0], action=changed(DEMO_FLOW.steps[0].action, path="/nowhere"))
    flow = changed(DEMO_FLOW, steps=(step,))

    result = run_flow(browser, flow, desktop, shop.url, output_dir=tmp_path, timeout_ms=1000)

    assert result.steps[0].message == (
        'flow "demo" on desktop, step 1 "open-orders" (Go to /nowhere): /nowhere answered 404 Not Found'
    )
