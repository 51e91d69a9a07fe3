"""The buyer's orders: listing them, one of them, cancelling, and the messages on an order."""

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from domain import lifecycle
from domain.cancellation import Reason
from domain.lifecycle import Role
from domain.statuses import ORDER_TABS
from mock_site.core.db import lock_rows
from mock_site.core.models import Account, Cancellation, Message, Order
from mock_site.services import ActionRefused, NotFound
from mock_site.services.clock import lock_scenario, now_for
from mock_site.services.page_reads import load_order_page, with_items
from mock_site.services.transitions import decide, new_cancellation, write_transition

# The statements every page runs are built once, with bound parameters: SQLAlchemy then
# reuses their cache key instead of working it out again on each request.

# My Orders shows every order's store and items: the store joined in, the items of all
# orders in one more query (page_reads.with_items), never one lazy query per order.
_BUYER_ORDERS = (
    select(Order).where(Order.buyer_id == bindparam("buyer_id"))
    .order_by(Order.placed_at.desc()).options(joinedload(Order.store, innerjoin=True))
)


def list_orders(session: Session, buyer: Account, tab: str = "All") -> list[Order]:
    statuses = ORDER_TABS.get(tab, ORDER_TABS["All"])
    orders = with_items(session, session.scalars(_BUYER_ORDERS, {"buyer_id": buyer.id}).all())
    return [order for order in orders if order.status in statuses]


_BUYER_ORDER = select(Order).where(
    Order.buyer_id == bindparam("buyer_id"), Order.number == bindparam("number")
)
# The pages that show one order head it with its store, joined into the same query; the
# rest they show comes with it (page_reads.load_order_page).
_BUYER_ORDER_SHOWN = _BUYER_ORDER.options(joinedload(Order.store, innerjoin=True))


def buyer_order(session: Session, buyer: Account, number: str, *, lock: bool = True) -> Order:
    """The buyer's order, locked after its scenario (``clock.lock_scenario``) unless
    ``lock`` is False (pages that only show it: on PostgreSQL a lock would queue every view
    of the order behind the others)."""
    key = {"buyer_id": buyer.id, "number": number}
    if lock:
        lock_scenario(session, buyer.scenario_id)
        order = next(iter(lock_rows(session, _BUYER_ORDER, key)), None)
    else:
        order = session.scalar(_BUYER_ORDER_SHOWN, key)
    if order is None:
        raise NotFound("Order not found.")
    return order if lock else load_order_page(session, order)


def cancel_order(
    session: Session,
    buyer: Account,
    number: str,
    reason_code: str,
    item_ids: list[int] | None,
    window_hours: int,
) -> Cancellation:
    """The buyer's "Cancel order": at once before verification, else a request to the seller."""
    order = buyer_order(session, buyer, number)
    now = now_for(session, order)
    change = decide(lifecycle.buyer_cancels, order, reason_code, item_ids, now, window_hours)
    cancellation = new_cancellation(session, order, change, Reason(reason_code))
    write_transition(session, order, change, cancellation)
    return cancellation


# Messages an order's conversation holds at most (buyer and seller together).
MESSAGES_PER_ORDER = 200


def send_message(
    session: Session, order: Order, sender: Role, body: str, max_length: int
) -> Message:
    """Add a message to the order's thread between buyer and seller."""
    body = body.strip()
    if not body:
        raise ActionRefused("Write a message before sending it.")
    if len(body) > max_length:
        raise ActionRefused(f"Messages can be at most {max_length} characters long.")
    sent = session.scalar(select(func.count()).where(Message.order_id == order.id)) or 0
    if sent >= MESSAGES_PER_ORDER:
        raise ActionRefused(f"This order's conversation is full ({MESSAGES_PER_ORDER} messages);"
                            " nothing was sent.")
    message = Message(
        order_id=order.id, sender=sender, body=body, sent_at=now_for(session, order)
    )
    session.add(message)
    session.flush()
    return message
