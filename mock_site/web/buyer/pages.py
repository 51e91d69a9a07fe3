"""What every buyer page shares: the page frame, what the order pages show, and the answer
to an order number that is not the buyer's."""

from datetime import datetime
from typing import Any, NamedTuple

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from domain import cancellation as cancel_rules
from domain.coupons import CouponKind, WalletStatus
from domain.payments import refund_window
from domain.statuses import STATUS_MEANINGS, is_open
from mock_site.core.db import Database
from mock_site.core.models import Account, Coupon, Order, OrderItem
from mock_site.services import accounts
from mock_site.services.clock import now_for
from mock_site.services.wallet import coupon_wallet_status
from mock_site.web import deps
from mock_site.web.security import require_csrf
from mock_site.web.templating import render

CSRF = [Depends(require_csrf)]

ORDER_NOT_FOUND = (
    "There is no order with that number in your account. Check the number, or pick the"
    " order from your list of orders."
)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def buyer_page(
    request: Request, session: Session, buyer: Account, template: str,
    status_code: int = 200, **context: Any,
) -> Response:
    """A buyer page: the header needs the buyer's name and their simulated clock."""
    now = now_for(session, buyer)
    return render(request, template, status_code, buyer=buyer, now=now, **context)


def order_page(
    request: Request, view: deps.OrderView, template: str, status_code: int = 200, **context: Any,
) -> Response:
    """A page about one of the buyer's orders: the frame plus what the rules say of the order."""
    now = now_for(view.session, view.buyer)
    return buyer_page(
        request, view.session, view.buyer, template, status_code,
        active="orders", **order_context(view.order, now), **context,
    )


def order_not_found_page(request: Request, db: Database, missing: deps.OrderNotFound) -> Response:
    """Every buyer page's answer to an order number that is not the buyer's (one place)."""
    with db.transaction(write=False) as session:
        buyer = accounts.get_account(session, missing.buyer_id)
        return buyer_page(
            request, session, buyer, "error.html", 404, status=404,
            heading="Order not found", message=ORDER_NOT_FOUND,
            back_url="/orders", back_label="See all your orders",
        )


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


def coupon_line(coupon: Coupon, now: datetime) -> CouponLine:
    return CouponLine(coupon, coupon_wallet_status(coupon, now))


def open_items(order: Order) -> list[OrderItem]:
    """The order's items not cancelled yet."""
    return [item for item in order.items if not item.cancelled]


def order_context(order: Order, now: datetime) -> dict[str, Any]:
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
        "coupon_lines": [coupon_line(coupon, now) for coupon in order.coupons],
        "refunded_cents": sum(refund.amount_cents for refund in order.refunds),
        "pending": order.pending_cancellation,
        "window": refund_window(order.payment_method),
        "open_items": open_items(order),
    }
