"""Cancelling an order: the form, and what sending it leads to."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import cancellation as cancel_rules
from domain.lifecycle import CancellationStatus
from domain.statuses import OrderStatus
from mock_site import services
from mock_site.core.models import Cancellation, Order, Refund
from mock_site.core.settings import Settings
from mock_site.services.orders import cancel_order
from mock_site.web import deps
from mock_site.web.buyer.pages import CSRF, open_items, order_page, redirect
from mock_site.web.deps import BUYER_ORDER, CONFIG, SUBMISSION
from mock_site.web.security import flash

router = APIRouter(include_in_schema=False)

NO_CANCEL_BUTTON = (
    "Cancel order is not available for this order now. The order details say what you can"
    " do instead."
)


def _cancel_form(
    request: Request, view: deps.OrderView, config: Settings, status_code: int = 200,
    *, error: str | None = None, reason: str = "", chosen: set[str] | None = None,
) -> Response:
    if chosen is None:
        chosen = {str(item.id) for item in open_items(view.order)}
    return order_page(
        request, view, "cancel.html", status_code,
        error=error, reasons=cancel_rules.REASONS, reason=reason,
        chosen=chosen, window_hours=config.seller_response_hours,
    )


def _chosen_item_ids(choosing_items: str, items: list[str] | None) -> list[int] | None:
    """The item ids ticked on the form; None when the form offered no choice (all items)."""
    if not choosing_items:
        return None
    try:
        return [int(value) for value in items or []]
    except ValueError as error:
        raise services.ActionRefused("Some of the chosen items are not in this order.") from error


def _cancelled_message(session: Session, order: Order, cancellation: Cancellation) -> str:
    refunded = session.scalar(select(Refund).where(Refund.cancellation_id == cancellation.id))
    if cancellation.status == CancellationStatus.PENDING:
        if len(cancellation.item_ids) == len(open_items(order)):
            return "Your cancellation request was sent to the seller."
        count = len(cancellation.item_ids)
        noun = "item" if count == 1 else "items"
        return f"Your request to cancel {count} {noun} was sent to the seller."
    if order.status == OrderStatus.CLOSED:
        return "Your order was cancelled." + (" The refund has started." if refunded else "")
    return "The chosen items were cancelled." + (
        " The refund for them has started." if refunded else "")


@router.get("/orders/{number}/cancel")
def cancel_form(request: Request, found: BUYER_ORDER, config: CONFIG) -> Response:
    with found.transaction(write=False) as view:
        if not cancel_rules.shows_cancel_button(view.order.status):
            flash(request, NO_CANCEL_BUTTON, "info")
            return redirect(f"/orders/{view.order.number}")
        return _cancel_form(request, view, config)


@router.post("/orders/{number}/cancel", dependencies=CSRF)
def cancel_submit(
    request: Request,
    found: BUYER_ORDER,
    config: CONFIG,
    submission: SUBMISSION,
    reason: Annotated[str, Form()] = "",
    items: Annotated[list[str] | None, Form()] = None,
    choosing_items: Annotated[str, Form()] = "",
) -> Response:
    with found.transaction() as view:
        if replayed := submission.replay(view.session, view.buyer.id):
            return replayed
        order = view.order
        try:
            cancellation = cancel_order(
                view.session, view.buyer, order.number, reason,
                _chosen_item_ids(choosing_items, items), config.seller_response_hours,
            )
        except services.ActionRefused as refusal:
            if not cancel_rules.shows_cancel_button(order.status):
                # Not a mistake on the form: the order itself cannot be cancelled (any more).
                return order_page(
                    request, view, "order_detail.html", 409, section="overview", error=str(refusal),
                )
            return _cancel_form(
                request, view, config, 400,
                error=str(refusal), reason=reason, chosen=set(items or []),
            )
        return submission.done(view.session, view.buyer.id, f"/orders/{order.number}",
                               _cancelled_message(view.session, order, cancellation))
