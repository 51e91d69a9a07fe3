"""The fake shop's pages and a flow through them: small, but with every kind of step."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from flowspec.steps import (
    AdvanceClock,
    Click,
    Fill,
    Flow,
    Goto,
    HasText,
    Select,
    SellerAction,
    Step,
    UrlContains,
    Visible,
    by_label,
    by_role,
)
from tests.flows.fake_shop import FakeShop, Page, html

Model = TypeVar("Model", bound=BaseModel)

ORDERS = html(
    "My Orders",
    """<h1>My Orders</h1>
<article aria-label="Order 1001"><p>Order 1001</p><a href="/orders/1001">View details</a></article>
<article aria-label="Order 1002"><p>Order 1002</p><a href="/orders/1002">View details</a></article>""",
)


def order_detail(label: str = "Cancel order") -> Page:
    """The detail page; ``label`` is the cancel button's text (tests change it)."""

    def render(shop: FakeShop) -> str:
        return html(
            "Order 1001",
            f"""<h1>Order 1001</h1>
<p>Status: <strong id="status">{shop.status}</strong></p>
<p>Placed <span data-volatile>{shop.scenarios * 7919 % 1000} seconds ago</span></p>
<label>Reason <select><option>Choose one</option><option>I changed my mind</option></select></label>
<label>Note <input data-personal></label>
<button onclick="document.getElementById('status').textContent='Closed'">{label}</button>""",
        )

    return render


BOX_PAGE = html(
    "Box",
    """<button style="position:absolute; left:100px; top:200px; width:120px; height:40px;
 border:0; background:#eeeeee; padding:0">Press me</button>""",
)


def changed(model: Model, **changes: Any) -> Model:
    """``model`` with ``changes``, checked again as if written that way."""
    return type(model).model_validate(model.model_dump() | changes)


def demo_pages(label: str = "Cancel order") -> dict[str, Page]:
    return {"/orders": ORDERS, "/orders/1001": order_detail(label), "/box": BOX_PAGE}


ORDER_CARD = by_role("article", "Order {orders[0]}")
CANCEL = by_role("button", "Cancel order")

DEMO_FLOW = Flow(
    id="demo",
    path="pre-verification",
    title="Cancel a demo order",
    when="The payment is being verified.",
    next="The order closes.",
    scenario="showcase",
    steps=(
        Step(
            id="open-orders",
            title="Open My Orders",
            instruction="Open the list of your orders.",
            action=Goto(path="/orders"),
            target=by_role("heading", "My Orders"),
        ),
        Step(
            id="view-details",
            title="View the order",
            instruction="Choose View details on the order.",
            action="click",
            target=by_role("link", "View details").inside(ORDER_CARD),
            expect=(
                UrlContains(fragment="/orders/{orders[0]}"),
                Visible(target=by_role("heading", "Order 1001")),
            ),
        ),
        Step(
            id="choose-reason",
            title="Choose a reason",
            instruction="Pick the reason that fits.",
            action=Select(option="I changed my mind"),
            target=by_label("Reason"),
        ),
        Step(
            id="add-note",
            title="Add a note",
            instruction="Write a note.",
            action=Fill(value="{buyer_email}"),
            target=by_label("Note"),
        ),
        Step(
            id="cancel-order",
            title="Cancel the order",
            instruction="Press Cancel order.",
            action=Click(),
            target=CANCEL,
            expect=HasText(target=by_role("strong"), text="Closed"),
        ),
    ),
)

CONTROL_FLOW = Flow(
    id="control",
    path="post-verification",
    title="The seller cancels",
    when="The order is awaiting shipment.",
    next="The refund starts.",
    scenario="showcase",
    steps=(
        Step(
            id="open-order",
            title="Open the order",
            instruction="Open the order.",
            action=Goto(path="/orders/{orders[0]}"),
            expect=HasText(target=by_role("strong"), text="Awaiting shipment"),
        ),
        Step(
            id="wait-two-days",
            title="Two days pass",
            instruction="Wait for the seller.",
            action=AdvanceClock(days=2),
        ),
        Step(
            id="seller-cancels",
            title="The seller cancels",
            instruction="The seller cancels the order.",
            action=SellerAction(order="{orders[0]}", answer="cancel", message="Sorry"),
            target=by_role("strong"),
            expect=HasText(target=by_role("strong"), text="Closed"),
        ),
    ),
)
