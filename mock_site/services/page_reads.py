"""What the pages that only show orders load, all up front, with statements built once.

Each collection of the order is one query with a bound parameter, put in place with
``set_committed_value``: no lazy load when a template reads it, and no cache key worked
out again per request (a lazy load builds its statement anew each time). The order of
each collection is its relationship's ``order_by``, so pages read exactly as with the
relationships.
"""

from collections.abc import Sequence

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from mock_site.core.models import Account, Coupon, Order, OrderItem, coupon_items

_ORDER_ID: BindParameter[int] = bindparam("order_id")
_ORDER_COLLECTIONS = ("items", "coupons", "refunds", "cancellations", "events", "messages")


def _collection_of_order(name: str):
    """The statement that loads one collection of an order, in its relationship's order
    (by id where the relationship sets none)."""
    relation = Order.__mapper__.relationships[name]
    part = relation.mapper.class_
    order_by = relation.order_by or (part.id,)
    return select(part).where(part.order_id == _ORDER_ID).order_by(*order_by)


_COLLECTIONS = {name: _collection_of_order(name) for name in _ORDER_COLLECTIONS}
# Which of the order's items each of its coupons applied to.
_COUPON_ITEMS = (
    select(coupon_items.c.coupon_id, coupon_items.c.item_id)
    .join(Coupon, Coupon.id == coupon_items.c.coupon_id)
    .where(Coupon.order_id == _ORDER_ID)
    .order_by(coupon_items.c.coupon_id, coupon_items.c.item_id)
)


_ITEMS_OF_ORDERS = (
    select(OrderItem).where(OrderItem.order_id.in_(bindparam("order_ids", expanding=True)))
    .order_by(OrderItem.order_id, OrderItem.position)
)


def with_items(session: Session, orders: Sequence[Order]) -> list[Order]:
    """``orders`` with their items in place, all in one query (My Orders)."""
    items: dict[int, list[OrderItem]] = {order.id: [] for order in orders}
    if items:
        for item in session.scalars(_ITEMS_OF_ORDERS, {"order_ids": list(items)}):
            items[item.order_id].append(item)
    for order in orders:
        set_committed_value(order, "items", items[order.id])
    return list(orders)


def load_order_page(session: Session, order: Order) -> Order:
    """``order`` with every collection its pages read already in place."""
    found = {
        name: session.scalars(statement, {"order_id": order.id}).all()
        for name, statement in _COLLECTIONS.items()
    }
    for name, rows in found.items():
        set_committed_value(order, name, list(rows))
    if found["coupons"]:
        items = {item.id: item for item in found["items"]}
        applied: dict[int, list[OrderItem]] = {coupon.id: [] for coupon in found["coupons"]}
        for coupon_id, item_id in session.execute(_COUPON_ITEMS, {"order_id": order.id}):
            applied[coupon_id].append(items.get(item_id) or session.get_one(OrderItem, item_id))
        for coupon in found["coupons"]:
            set_committed_value(coupon, "items", applied[coupon.id])
    return order


# The console shows each order's buyer, total, pending request and last message.
_STORE_ORDERS = (
    select(Order)
    .where(Order.store_id == bindparam("store_id"))
    .order_by(Order.placed_at.desc())
    .options(joinedload(Order.buyer), selectinload(Order.items),
             selectinload(Order.cancellations), selectinload(Order.messages))
)


def seller_orders(session: Session, seller: Account) -> list[Order]:
    return list(session.scalars(_STORE_ORDERS, {"store_id": seller.store_id}).unique())
