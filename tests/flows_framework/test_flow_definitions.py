"""A flow is checked when it is declared, and a mistake is named by flow and step."""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType

import pytest
from playwright.sync_api import expect

from flows.run.playwright_steps import locate, verify
from flowspec.paths import collect
from flowspec.steps import (
    AdvanceClock,
    Check,
    Count,
    Fill,
    Flow,
    FlowDefinitionError,
    Goto,
    HasText,
    NotVisible,
    Observe,
    Select,
    SellerAction,
    Step,
    Target,
    UrlContains,
    Visible,
    by_label,
    by_role,
    by_text,
)

from .shop_pages import ORDERS

BUTTON = by_role("button", "Cancel order")


def step(**changes) -> Step:
    fields = {"id": "cancel-order", "title": "Cancel", "instruction": "Press it."}
    fields |= {"action": "click", "target": BUTTON}
    return Step(**(fields | changes))


def flow(*steps: Step, **changes) -> Flow:
    fields = {
        "id": "pre-verification",
        "path": "pre-verification",
        "title": "Cancel before verification",
        "when": "While the payment is verified.",
        "next": "The refund starts.",
        "scenario": "payment-being-verified",
        "steps": steps or (step(),),
    }
    return Flow(**(fields | changes))


OPEN = step(id="open-orders", action=Goto("/orders"), target=None)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: flow(OPEN, step(), step(id="choose-reason", action=Fill(), target=BUTTON)),
            'flow "pre-verification", step 3 "choose-reason": fill needs a value',
        ),
        (
            lambda: flow(OPEN, step(), step()),
            'flow "pre-verification", step 3 "cancel-order": id already used by step 2',
        ),
        (
            lambda: flow(step(title=" ")),
            'flow "pre-verification", step 1 "cancel-order": title is empty',
        ),
        (
            lambda: flow(OPEN, step(instruction="")),
            'flow "pre-verification", step 2 "cancel-order": instruction is empty',
        ),
        (
            lambda: flow(step(action="tap")),
            'flow "pre-verification", step 1 "cancel-order": unknown action "tap" (known: goto, '
            "click, fill, select, check, uncheck, observe, seller, advance-clock)",
        ),
        (
            lambda: flow(step(target=None)),
            'flow "pre-verification", step 1 "cancel-order": click needs a target',
        ),
        (
            lambda: flow(step(action="select")),
            'flow "pre-verification", step 1 "cancel-order": select needs an option',
        ),
        (
            lambda: flow(step(id="Cancel Order")),
            'flow "pre-verification", step 1 "Cancel Order": id must be a slug '
            "(lowercase letters, digits and hyphens)",
        ),
        (
            lambda: flow(step(action=Goto("orders"), target=None)),
            'flow "pre-verification", step 1 "cancel-order": goto path "orders" must start with "/"',
        ),
        (
            lambda: flow(step(action=SellerAction(order="1001", action="refund"), target=None)),
            'flow "pre-verification", step 1 "cancel-order": seller action "refund" is not one '
            "of accept, decline, ship, cancel, reply",
        ),
        (
            lambda: flow(step(action=SellerAction(order="1001", action="reply"), target=None)),
            'flow "pre-verification", step 1 "cancel-order": seller reply needs a message',
        ),
        (
            lambda: flow(step(action=AdvanceClock(), target=None)),
            'flow "pre-verification", step 1 "cancel-order": advance-clock needs a positive '
            "number of days or hours",
        ),
        (
            lambda: flow(step(target=Target(role="button", label="Cancel"))),
            'flow "pre-verification", step 1 "cancel-order": a target needs exactly one of '
            "role, label or text",
        ),
        (
            lambda: flow(step(expect=(Visible(None),))),
            'flow "pre-verification", step 1 "cancel-order": expectation 1 (visible) needs a '
            "target",
        ),
        (
            lambda: flow(step(expect=("the order is closed",))),
            'flow "pre-verification", step 1 "cancel-order": expectation 1 is not an '
            "expectation: 'the order is closed'",
        ),
        (
            lambda: flow(step(action=Fill("{email}"))),
            'flow "pre-verification", step 1 "cancel-order": unknown placeholder {email} '
            "(known: token, buyer_email, buyer_password, seller_email, seller_password, orders, "
            "buyer_ticket, seller_ticket)",
        ),
        (
            lambda: flow(step(), path="refunds"),
            'flow "pre-verification": unknown path "refunds" (known: pre-verification, '
            "post-verification, refund, coupon)",
        ),
        (lambda: flow(step(), when=""), 'flow "pre-verification": when is empty'),
        (lambda: flow(steps=()), 'flow "pre-verification": has no steps'),
    ],
)
def test_a_mistake_in_a_flow_is_named_word_for_word(build, message):
    with pytest.raises(FlowDefinitionError) as raised:
        build()
    assert str(raised.value) == message


def test_a_well_formed_flow_keeps_its_steps_in_order():
    declared = flow(OPEN, step(expect=Visible(by_text("Closed"))))

    assert [s.id for s in declared.steps] == ["open-orders", "cancel-order"]
    assert declared.steps[1].expect == (Visible(by_text("Closed")),)


@pytest.mark.parametrize(
    ("target", "description"),
    [
        (by_role("button", "Cancel order"), 'button "Cancel order"'),
        (by_role("list"), "list"),
        (by_label("Reason"), 'field labelled "Reason"'),
        (by_text("Order closed"), 'text "Order closed"'),
        (
            by_role("link", "View details").inside(by_role("article", "Order 1001")),
            'link "View details" in article "Order 1001"',
        ),
    ],
)
def test_a_target_describes_itself_as_a_person_would(target, description):
    assert target.describe() == description


@pytest.mark.parametrize(
    ("definition", "description"),
    [
        (step(), 'Click button "Cancel order"'),
        (step(action=Goto("/orders"), target=None), "Go to /orders"),
        (
            step(action=Fill("hello"), target=by_label("Note")),
            'Fill field labelled "Note" with "hello"',
        ),
        (
            step(action=Select("Other"), target=by_label("Reason")),
            'Select "Other" in field labelled "Reason"',
        ),
        (step(action=Check(), target=by_label("I agree")), 'Check field labelled "I agree"'),
        (step(action=Observe(), target=by_text("Closed")), 'Look at text "Closed"'),
        (
            step(action=SellerAction(order="1001", action="accept"), target=None),
            "Seller: accept order 1001",
        ),
        (step(action=AdvanceClock(hours=3), target=None), "Advance the clock by 0 days 3 hours"),
    ],
)
def test_a_step_describes_its_action(definition, description):
    assert definition.describe() == description


def test_placeholders_are_filled_in_action_target_and_expectations_only():
    template = step(
        title="Order {orders[0]}",
        action=Fill("{buyer_email}"),
        target=by_label("Note").inside(by_role("article", "Order {orders[1]}")),
        expect=(UrlContains("/t/{token}"),),
    )

    filled = template.filled_in({"buyer_email": "a@b.c", "orders": ["1", "2"], "token": "t9"})

    assert filled.title == "Order {orders[0]}"
    assert filled.action == Fill("a@b.c")
    assert filled.target.describe() == 'field labelled "Note" in article "Order 2"'
    assert filled.expect == (UrlContains("/t/t9"),)


def test_a_scoped_target_finds_the_element_inside_its_scope(page):
    page.set_content(ORDERS)

    link = locate(by_role("link", "View details").inside(by_role("article", "Order 1002")), page)

    expect(link).to_have_attribute("href", "/orders/1002")


@pytest.mark.parametrize(
    "expectation",
    [
        Visible(by_role("heading", "My Orders")),
        NotVisible(by_text("Closed")),
        HasText(by_role("article", "Order 1001"), "Order 1001"),
        HasText(by_role("heading"), "My Orders", exact=True),
        Count(by_role("article"), 2),
    ],
)
def test_expectations_hold_on_a_matching_page(page, expectation):
    page.set_content(ORDERS)

    verify(expectation, page, timeout_ms=1000)


def test_the_registry_collects_flows_from_modules_in_path_order():
    refund = flow(id="refund-stages", path="refund")
    early = flow(id="before-verification")
    first, second = ModuleType("paths.refund"), ModuleType("paths.early")
    first.FLOW = refund
    second.FLOWS = [early]

    assert list(collect([first, second])) == ["before-verification", "refund-stages"]
    assert collect([]) == {}


def test_the_registry_refuses_two_flows_with_one_id():
    one, two = ModuleType("paths.one"), ModuleType("paths.two")
    one.FLOW = two.FLOW = flow()

    with pytest.raises(FlowDefinitionError) as raised:
        collect([one, two])

    assert str(raised.value) == (
        'flow "pre-verification" is declared twice: in paths.one and paths.two'
    )


def test_a_step_with_a_changed_field_is_still_validated():
    with pytest.raises(FlowDefinitionError, match="fill needs a value"):
        replace(flow(), steps=(step(action="fill"),))
