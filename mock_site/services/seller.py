"""The seller's side of an order: finding it in the store, answering a cancellation
request, cancelling, shipping."""

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from domain import lifecycle
from mock_site.core.db import lock_rows
from mock_site.core.models import Account, Order
from mock_site.services import NotFound
from mock_site.services.clock import lock_scenario, now_for
from mock_site.services.page_reads import load_order_page
from mock_site.services.transitions import decide, new_cancellation, write_transition

_SELLER_ORDER = select(Order).where(Order.store_id == bindparam("store_id"),
                                    Order.number == bindparam("number"))
_SELLER_ORDER_SHOWN = _SELLER_ORDER.options(joinedload(Order.buyer, innerjoin=True))


def seller_order(session: Session, seller: Account, number: str, *, lock: bool = True) -> Order:
    """The store's order, locked after its scenario (``clock.lock_scenario``) unless
    ``lock`` is False (the page that only shows it)."""
    store_id, scenario_id = seller.store_id, seller.scenario_id
    key = {"store_id": store_id, "number": number}
    if lock:
        lock_scenario(session, scenario_id)
        order = next(iter(lock_rows(session, _SELLER_ORDER, key)), None)
    else:
        order = session.scalar(_SELLER_ORDER_SHOWN, key)
    if order is None or store_id is None:
        raise NotFound("Order not found.")
    return order if lock else load_order_page(session, order)


def seller_answer(session: Session, seller: Account, number: str, accept: bool) -> Order:
    """The seller accepts or declines the pending cancellation request, as it is once
    locked: one answered or lapsed meanwhile is refused like any answered request."""
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
