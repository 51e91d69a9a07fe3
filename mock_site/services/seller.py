"""The seller's side of an order: finding it in the store, answering a cancellation
request, cancelling, shipping."""

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from domain import lifecycle
from mock_site.core.models import Account, Order
from mock_site.services import NotFound
from mock_site.services.clock import now_for
from mock_site.services.page_reads import load_order_page
from mock_site.services.transitions import decide, new_cancellation, write_transition

_SELLER_ORDER = select(Order).where(Order.store_id == bindparam("store_id"),
                                    Order.number == bindparam("number"))
# Row locks where the database has them (PostgreSQL); SQLite's BEGIN IMMEDIATE serialises.
_SELLER_ORDER_LOCKED = _SELLER_ORDER.with_for_update()
_SELLER_ORDER_SHOWN = _SELLER_ORDER.options(joinedload(Order.buyer, innerjoin=True))


def seller_order(session: Session, seller: Account, number: str, *, lock: bool = True) -> Order:
    """The store's order, row-locked unless ``lock`` is False (the page that only shows it)."""
    query = _SELLER_ORDER_LOCKED if lock else _SELLER_ORDER_SHOWN
    order = session.scalar(query, {"store_id": seller.store_id, "number": number})
    if order is None or seller.store_id is None:
        raise NotFound("Order not found.")
    return order if lock else load_order_page(session, order)


def seller_answer(session: Session, seller: Account, number: str, accept: bool) -> Order:
    """The seller accepts or declines the pending cancellation request."""
    order = seller_order(session, seller, number)
    change = decide(lifecycle.seller_answers, order, accept, now_for(session, order))
    write_transition(session, order, change, order.pending_cancellation)
    return order


def seller_cancel(session: Session, seller: Account, number: str) -> Order:
    """The seller cancels the whole order (e.g. after the buyer's message)."""
    order = seller_order(session, seller, number)
    change = decide(lifecycle.seller_cancels, order, now_for(session, order))
    cancellation = new_cancellation(session, order, change, lifecycle.SELLER_CANCEL_REASON)
    write_transition(session, order, change, cancellation)
    return order


def seller_mark_shipped(session: Session, seller: Account, number: str) -> Order:
    order = seller_order(session, seller, number)
    change = decide(lifecycle.seller_ships, order, now_for(session, order))
    write_transition(session, order, change)
    order.shipped_at = change.at
    return order


def seller_actions(order: Order) -> frozenset[lifecycle.SellerAction]:
    """What the seller may do on ``order`` now: the buttons the pages show."""
    return lifecycle.seller_actions(order.status, order.pending_cancellation is not None)
