"""My Orders, an order's details and finances, and the coupon wallet: pages that only show."""

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from domain.payments import RefundWindow, refund_window
from domain.refunds import RefundTracker
from domain.statuses import ORDER_TABS
from mock_site.core.models import Refund
from mock_site.services import orders
from mock_site.services.clock import now_for
from mock_site.services.wallet import refund_tracker, wallet
from mock_site.web.buyer.pages import buyer_page, coupon_line, order_page
from mock_site.web.deps import BUYER, BUYER_ORDER

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class RefundView:
    """A refund as the finances page shows it: its window, its stages, whether it is paid."""

    refund: Refund
    window: RefundWindow
    tracker: RefundTracker
    stages: list
    paid_back: bool


def _refund_view(refund: Refund, now: datetime) -> RefundView:
    tracker = refund_tracker(refund)
    return RefundView(
        refund=refund,
        window=refund_window(refund.method),
        tracker=tracker,
        stages=tracker.stages(now),
        paid_back=tracker.is_paid(now),
    )


@router.get("/orders")
def my_orders(request: Request, signed_in: BUYER, tab: str = "All") -> Response:
    if tab not in ORDER_TABS:
        tab = "All"
    with signed_in.transaction(write=False) as (session, buyer):
        every_order = orders.list_orders(session, buyer, "All")
        counts = {
            name: sum(order.status in statuses for order in every_order)
            for name, statuses in ORDER_TABS.items()
        }
        shown = [order for order in every_order if order.status in ORDER_TABS[tab]]
        return buyer_page(
            request, session, buyer, "orders.html",
            active="orders", tabs=counts, tab=tab, orders=shown,
        )


@router.get("/orders/{number}")
def order_details(request: Request, found: BUYER_ORDER) -> Response:
    with found.transaction(write=False) as view:
        return order_page(request, view, "order_detail.html", section="overview")


@router.get("/orders/{number}/finances")
def order_finances(request: Request, found: BUYER_ORDER) -> Response:
    with found.transaction(write=False) as view:
        now = now_for(view.session, view.buyer)
        refunds = [_refund_view(refund, now) for refund in view.order.refunds]
        return order_page(request, view, "finances.html", section="finances", refunds=refunds)


@router.get("/coupons")
def coupons(request: Request, signed_in: BUYER) -> Response:
    with signed_in.transaction(write=False) as (session, buyer):
        now = now_for(session, buyer)
        lines = [coupon_line(coupon, now) for coupon in wallet(session, buyer)]
        return buyer_page(request, session, buyer, "coupons.html", active="coupons", coupons=lines)
