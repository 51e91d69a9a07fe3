"""A flow is checked when it is declared, and a mistake is named by flow and step."""

from __future__ import annotations

from types import ModuleType

import pytest
from playwright.sync_api import expect
from pydantic import ValidationError

from flows.run.playwright_steps import locate, verify
from flowspec.paths import collect, load_flows
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
from tests.flows.shop_pages import ORDERS

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


OPEN = step(id="open-orders", action=Goto(path="/orders"), target=None)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: flow(OPEN, step(), step()),
            'flow "pre-verification", step 3 "cancel-order": id already used by step 2',
        ),
        (
            lambda: flow(step(target=None)),
            'flow "pre-verification", step 1 "cancel-order": click needs a target',
        ),
        (
            lambda: flow(step(action=Fill(value="{email}"))),
            'flow "pre-verification", step 1 "cancel-order": unknown placeholder {email} '
            "(known: token, buyer_email, buyer_password, seller_email, seller_password, orders, "
            "buyer_ticket, seller_ticket)",
        ),
        (
            lambda: flow(step(), path="refunds"),
            "flow \"pre-verification\": path: Input should be 'pre-verification', "
            "'post-verification', 'refund' or 'coupon'",
        ),
        (
            lambda: flow(step(), scenario="paid"),
            "flow \"pre-verification\": scenario: Input should be 'payment-being-verified', "
            "'awaiting-shipment', 'marked-shipped', 'refund-methods', 'platform-coupon', "
            "'store-coupon', 'store-coupon-expired' or 'showcase'",
        ),
        (lambda: flow(step(), when=""), 'flow "pre-verification": when: is empty'),
        (
            lambda: flow(steps=()),
            'flow "pre-verification": steps: Tuple should have at least 1 item after '
            "validation, not 0",
        ),
        (lambda: step(title=" "), 'step "cancel-order": title: is empty'),
        (lambda: step(instruction=""), 'step "cancel-order": instruction: is empty'),
        (
            lambda: step(action="tap"),
            "step \"cancel-order\": action: Input tag 'tap' found using 'action' does not "
            "match any of the expected tags: 'goto', 'click', 'fill', 'select', 'check', "
            "'uncheck', 'observe', 'seller', 'advance-clock'",
        ),
        (
            lambda: step(action="select"),
            'step "cancel-order": action.select.option: Field required',
        ),
        (
            lambda: step(action={"action": "fill", "value": ""}),
            'step "cancel-order": action.fill.value: fill needs a value',
        ),
        (
            lambda: step(id="Cancel Order"),
            'step "Cancel Order": id: must be a slug (lowercase letters, digits and hyphens)',
        ),
        (
            lambda: step(action={"action": "goto", "path": "orders"}, target=None),
            'step "cancel-order": action.goto: goto path "orders" must start with "/"',
        ),
        (
            lambda: step(action={"action": "seller", "order": "1001", "answer": "refund"}),
            "step \"cancel-order\": action.seller.answer: Input should be 'accept', 'decline', "
            "'ship', 'cancel' or 'reply'",
        ),
        (
            lambda: step(action={"action": "seller", "order": "1001", "answer": "reply"}),
            'step "cancel-order": action.seller: seller reply needs a message',
        ),
        (
            lambda: step(action={"action": "advance-clock"}),
            'step "cancel-order": action.advance-clock: advance-clock needs a positive number '
            "of days or hours",
        ),
        (
            lambda: step(target={"role": "button", "label": "Cancel"}),
            'step "cancel-order": target: a target needs exactly one of role, label or text',
        ),
        (
            lambda: step(expect=({"expect": "visible"},)),
            'step "cancel-order": expect.0.visible.target: Field required',
        ),
        (
            lambda: step(expect=("the order is closed",)),
            'step "cancel-order": expect.0: Input should be a valid dictionary or object to '
            "extract fields from",
        ),
    ],
)
def test_a_mistake_in_a_flow_is_named_word_for_word(build, message):
    with pytest.raises(FlowDefinitionError) as raised:
        build()
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Fill(), "value\n  Field required"),
        (lambda: Goto(path="orders"), 'goto path "orders" must start with "/"'),
        (lambda: Visible(target=None), "target\n  Input should be a valid dictionary"),
        (lambda: AdvanceClock(), "advance-clock needs a positive number of days or hours"),
        (lambda: Target(role="button", label="Cancel"), "exactly one of role, label or text"),
    ],
)
def test_a_part_written_alone_is_checked_by_its_own_model(build, message):
    with pytest.raises(ValidationError, match=message):
        build()


def test_a_mistake_in_a_path_module_names_the_module(monkeypatch):
    def broken(name: str):
        raise FlowDefinitionError('step "x": title: is empty')

    monkeypatch.setattr("flowspec.paths.importlib.import_module", broken)

    with pytest.raises(FlowDefinitionError) as raised:
        load_flows()

    assert str(raised.value).endswith(': step "x": title: is empty')
    assert str(raised.value).startswith("flowspec.paths.")


def test_a_well_formed_flow_keeps_its_steps_in_order():
    declared = flow(OPEN, step(expect=Visible(target=by_text("Closed"))))

    assert [s.id for s in declared.steps] == ["open-orders", "cancel-order"]
    assert declared.steps[1].expect == (Visible(target=by_text("Closed")),)


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
        (step(action=Goto(path="/orders"), target=None), "Go to /orders"),
        (
            step(action=Fill(value="hello"), target=by_label("Note")),
            'Fill field labelled "Note" with "hello"',
        ),
        (
            step(action=Select(option="Other"), target=by_label("Reason")),
            'Select "Other" in field labelled "Reason"',
        ),
        (step(action=Check(), target=by_label("I agree")), 'Check field labelled "I agree"'),
        (step(action=Observe(), target=by_text("Closed")), 'Look at text "Closed"'),
        (
            step(action=SellerAction(order="1001", answer="accept"), target=None),
            "Seller: accept order 1001",
        ),
        (step(action=AdvanceClock(hours=3), target=None), "Advance the clock by 3 hours"),
    ],
)
def test_a_step_describes_its_action(definition, description):
    assert definition.describe() == description


def test_placeholders_are_filled_in_action_target_and_expectations_only():
    template = step(
        title="Order {orders[0]}",
        action=Fill(value="{buyer_email}"),
        target=by_label("Note").inside(by_role("article", "Order {orders[1]}")),
        expect=(UrlContains(fragment="/t/{token}"),),
    )

    filled = template.filled_in({"buyer_email": "a@b.c", "orders": ["1", "2"], "token": "t9"})

    assert filled.title == "Order {orders[0]}"
    assert filled.action == Fill(value="a@b.c")
    assert filled.target.describe() == 'field labelled "Note" in article "Order 2"'
    assert filled.expect == (UrlContains(fragment="/t/t9"),)


def test_a_scoped_target_finds_the_element_inside_its_scope(page):
    page.set_content(ORDERS)

    link = locate(by_role("link", "View details").inside(by_role("article", "Order 1002")), page)

    expect(link).to_have_attribute("href", "/orders/1002")


@pytest.mark.parametrize(
    "expectation",
    [
        Visible(target=by_role("heading", "My Orders")),
        NotVisible(target=by_text("Closed")),
        HasText(target=by_role("article", "Order 1001"), text="Order 1001"),
        HasText(target=by_role("heading"), text="My Orders", exact=True),
        Count(target=by_role("article"), count=2),
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


def test_a_flow_reads_back_from_its_own_json():
    declared = flow(OPEN, step(expect=Visible(target=by_text("Closed"))))

    assert Flow.model_validate(declared.model_dump(mode="json")) == declared
