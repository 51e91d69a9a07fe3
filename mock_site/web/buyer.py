"""The buyer's pages: sign-in, My Orders, order details, cancelling, messages, refunds, coupons.

Each view reads or writes inside one transaction and renders before it ends, so
templates may follow relationships. Forms use Post/Redirect/Get: success leaves a
flash message and redirects; a refusal shows the same page again with the reason.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, NamedTuple

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import cancellation as cancel_rules
from domain.coupons import CouponKind, WalletStatus
from domain.lifecycle import CancellationStatus, Role
from domain.payments import RefundWindow, refund_window
from domain.refunds import RefundTracker
from domain.scenarios import BUYER_PASSWORD, DEMO_BUYER_EMAIL
from domain.statuses import ORDER_TABS, STATUS_MEANINGS, OrderStatus, is_open
from mock_site import services
from mock_site.db import Database
from mock_site.models import Account, Cancellation, Coupon, Order, Refund
from mock_site.settings import Settings
from mock_site.web import deps
from mock_site.web.deps import BUYER, BUYER_ORDER, CONFIG, DB, SUBMISSION, THROTTLE
from mock_site.web.security import flash, require_csrf
from mock_site.web.templating import render

router = APIRouter(include_in_schema=False)

CSRF = [Depends(require_csrf)]

WRONG_CREDENTIALS = "That e-mail and password do not match an account."
ORDER_NOT_FOUND = (
    "There is no order with that number in your account. Check the number, or pick the"
    " order from your list of orders."
)
NO_CANCEL_BUTTON = (
    "Cancel order is not available for this order now. The order details say what you can"
    " do instead."
)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _page(
    request: Request, session: Session, buyer: Account, template: str,
    status_code: int = 200, **context,
) -> Response:
    """A buyer page: the header needs the buyer's name and their simulated clock."""
    now = services.now_for(session, buyer)
    return render(request, template, status_code, buyer=buyer, now=now, **context)


def order_not_found_page(request: Request, db: Database, missing: deps.OrderNotFound) -> Response:
    """Every buyer page's answer to an order number that is not the buyer's (one place)."""
    with db.transaction(write=False) as session:
        buyer = services.get_account(session, missing.buyer_id)
        return _page(
            request, session, buyer, "error.html", 404, status=404,
            heading="Order not found", message=ORDER_NOT_FOUND,
            back_url="/orders", back_label="See all your orders",
        )


# --- what the order pages show ----------------------------------------------------------

class CouponLine(NamedTuple):
    """A coupon as the buyer sees it: kind, wallet status and what became of it."""

    coupon: Coupon
    status: WalletStatus

    @property
    def kind_label(self) -> str:
        """The kind's name, and for a store coupon the store it is good at."""
        label = self.coupon.kind.label
        if self.coupon.kind == CouponKind.STORE and self.coupon.store is not None:
            return f"{label} · {self.coupon.store.name}"
        return label


@dataclass(frozen=True)
class RefundView:
    refund: Refund
    window: RefundWindow
    tracker: RefundTracker
    stages: list
    paid_back: bool


def _coupon_line(coupon: Coupon, now: datetime) -> CouponLine:
    return CouponLine(coupon, services.coupon_wallet_status(coupon, now))


def _order_context(order: Order, now: datetime) -> dict:
    """Everything the order pages show beyond the rows themselves, worked out by the rules."""
    route = cancel_rules.cancel_route(order.status)
    return {
        "order": order,
        "route": route.value,
        "meaning": STATUS_MEANINGS[order.status],
        "explanation": cancel_rules.ROUTE_EXPLANATIONS[route],
        "can_cancel": cancel_rules.shows_cancel_button(order.status),
        "is_open": is_open(order.status),
        "subtotal_cents": sum(item.price_cents for item in order.items),
        "coupon_lines": [_coupon_line(coupon, now) for coupon in order.coupons],
        "refunded_cents": sum(refund.amount_cents for refund in order.refunds),
        "pending": order.pending_cancellation,
        "window": refund_window(order.payment_method),
        "open_items": [item for item in order.items if not item.cancelled],
    }


def _refund_view(refund: Refund, now: datetime) -> RefundView:
    tracker = services.refund_tracker(refund)
    return RefundView(
        refund=refund,
        window=refund_window(refund.method),
        tracker=tracker,
        stages=tracker.stages(now),
        paid_back=tracker.is_paid(now),
    )


# --- signing in and out -----------------------------------------------------------------

@router.get("/")
def home(request: Request) -> Response:
    signed_in = request.session.get("role") == Role.BUYER
    return _redirect("/orders" if signed_in else "/login")


def _login_page(request: Request, status_code: int = 200, **context) -> Response:
    return render(
        request, "login.html", status_code,
        demo_email=DEMO_BUYER_EMAIL, demo_password=BUYER_PASSWORD,
        **context,
    )


@router.get("/login")
def login_form(request: Request, next: str = "/orders") -> Response:
    return _login_page(request, next_url=deps.safe_next(next), email="")


@router.post("/login", dependencies=CSRF)
def login(
    request: Request,
    db: DB,
    throttle: THROTTLE,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/orders",
) -> Response:
    next_url = deps.safe_next(next)
    refused = deps.sign_in_with_password(
        request, db, throttle, Role.BUYER, email, password, wrong=(400, WRONG_CREDENTIALS))
    if refused is not None:
        return refused.on(_login_page(request, refused.status_code, next_url=next_url,
                                      email=email, error=refused.error))
    return _redirect(next_url)


@router.post("/logout", dependencies=CSRF)
def logout(request: Request, db: DB) -> Response:
    with db.transaction() as session:
        deps.sign_out(request, session)
    flash(request, "You have signed out.", "info")
    return _redirect("/login")


# --- My Orders and order details --------------------------------------------------------

@router.get("/orders")
def my_orders(request: Request, signed_in: BUYER, tab: str = "All") -> Response:
    if tab not in ORDER_TABS:
        tab = "All"
    with signed_in.transaction(write=False) as (session, buyer):
        orders = services.list_orders(session, buyer, "All")
        counts = {
            name: sum(order.status in statuses for order in orders)
            for name, statuses in ORDER_TABS.items()
        }
        shown = [order for order in orders if order.status in ORDER_TABS[tab]]
        return _page(
            request, session, buyer, "orders.html",
            active="orders", tabs=counts, tab=tab, orders=shown,
        )


@router.get("/orders/{number}")
def order_details(request: Request, found: BUYER_ORDER) -> Response:
    with found.transaction(write=False) as view:
        now = services.now_for(view.session, view.buyer)
        return _page(
            request, view.session, view.buyer, "order_detail.html",
            active="orders", section="overview", **_order_context(view.order, now),
        )


@router.get("/orders/{number}/finances")
def order_finances(request: Request, found: BUYER_ORDER) -> Response:
    with found.transaction(write=False) as view:
        now = services.now_for(view.session, view.buyer)
        return _page(
            request, view.session, view.buyer, "finances.html",
            active="orders", section="finances",
            refunds=[_refund_view(refund, now) for refund in view.order.refunds],
            **_order_context(view.order, now),
        )


# --- cancelling -------------------------------------------------------------------------

def _cancel_form(
    request: Request, view: deps.OrderView, config: Settings, status_code: int = 200,
    *, error: str | None = None, reason: str = "", chosen: set[str] | None = None,
) -> Response:
    now = services.now_for(view.session, view.buyer)
    context = _order_context(view.order, now)
    if chosen is None:
        chosen = {str(item.id) for item in context["open_items"]}
    return _page(
        request, view.session, view.buyer, "cancel.html", status_code,
        active="orders", error=error, reasons=cancel_rules.REASONS, reason=reason,
        chosen=chosen, window_hours=config.seller_response_hours,
        **context,
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
        if len(cancellation.item_ids) == len([i for i in order.items if not i.cancelled]):
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
            return _redirect(f"/orders/{view.order.number}")
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
            cancellation = services.cancel_order(
                view.session, view.buyer, order.number, reason,
                _chosen_item_ids(choosing_items, items), config.seller_response_hours,
            )
        except services.ActionRefused as refusal:
            if not cancel_rules.shows_cancel_button(order.status):
                # Not a mistake on the form: the order itself cannot be cancelled (any more).
                now = services.now_for(view.session, view.buyer)
                return _page(
                    request, view.session, view.buyer, "order_detail.html", 409,
                    active="orders", section="overview", error=str(refusal),
                    **_order_context(order, now),
                )
            return _cancel_form(
                request, view, config, 400,
                error=str(refusal), reason=reason, chosen=set(items or []),
            )
        return submission.done(view.session, view.buyer.id, f"/orders/{order.number}",
                               _cancelled_message(view.session, order, cancellation))


# --- messages ---------------------------------------------------------------------------

def _messages_page(
    request: Request, view: deps.OrderView, config: Settings, status_code: int = 200,
    *, error: str | None = None, draft: str = "",
) -> Response:
    now = services.now_for(view.session, view.buyer)
    return _page(
        request, view.session, view.buyer, "messages.html", status_code,
        active="orders", error=error, draft=draft, max_length=config.message_max_length,
        **_order_context(view.order, now),
    )


@router.get("/orders/{number}/messages")
def messages(request: Request, found: BUYER_ORDER, config: CONFIG) -> Response:
    with found.transaction(write=False) as view:
        return _messages_page(request, view, config)


@router.post("/orders/{number}/messages", dependencies=CSRF)
def send_message(
    request: Request,
    found: BUYER_ORDER,
    config: CONFIG,
    submission: SUBMISSION,
    body: Annotated[str, Form()] = "",
) -> Response:
    with found.transaction() as view:
        if replayed := submission.replay(view.session, view.buyer.id):
            return replayed
        try:
            services.send_message(view.session, view.order, Role.BUYER, body,
                                  config.message_max_length)
        except services.ActionRefused as refusal:
            return _messages_page(request, view, config, 400, error=str(refusal), draft=body)
        return submission.done(view.session, view.buyer.id,
                               f"/orders/{view.order.number}/messages",
                               "Your message was sent to the seller.")


# --- the coupon wallet ------------------------------------------------------------------

@router.get("/coupons")
def coupons(request: Request, signed_in: BUYER) -> Response:
    with signed_in.transaction(write=False) as (session, buyer):
        now = services.now_for(session, buyer)
        lines = [_coupon_line(coupon, now) for coupon in services.wallet(session, buyer)]
        return _page(request, session, buyer, "coupons.html", active="coupons", coupons=lines)
