"""Seeding: a fresh, isolated copy of a scenario (``domain.scenarios``) as database rows.

Each copy has its own buyer, seller, store, orders and clock.
"""

import secrets
from datetime import timedelta
from functools import cache

from sqlalchemy.orm import Session

from domain.coupons import CouponKind, amounts_paid
from domain.lifecycle import Role
from domain.money import format_cents
from domain.scenarios import (
    BUYER_NAME,
    BUYER_PASSWORD,
    DEMO_BUYER_EMAIL,
    DEMO_SELLER_EMAIL,
    DEMO_TOKEN,
    SELLER_PASSWORD,
    START,
    STORE_NAME,
    CouponSpec,
    OrderSpec,
    scenario_spec,
)
from domain.statuses import OrderStatus
from mock_site.core.models import Account, Coupon, Order, OrderEvent, OrderItem, Scenario, Store
from mock_site.core.sign_ins import utc_now
from mock_site.services.passwords import hash_password


@cache
def practice_hash(password: str) -> str:
    """The stored hash of a published practice password, derived once per process.

    Every scenario copy's accounts start with the password the trainer page and the
    sign-in page show to everyone, so a salt of their own would protect nothing; deriving
    the key once makes a copy (a trainee's practice, a test's world) quicker to start. A
    password the account changes to gets its own salt (``passwords.hash_password``)."""
    return hash_password(password)


def create_scenario(session: Session, name: str, token: str | None = None) -> Scenario:
    """Create a fresh copy of the named scenario, with its own buyer, seller and clock."""
    spec = scenario_spec(name)
    token = token or secrets.token_hex(6)
    scenario = Scenario(token=token, name=spec.name, now=START, last_used=utc_now())
    session.add(scenario)
    session.flush()
    store = Store(scenario_id=scenario.id, name=STORE_NAME)
    session.add(store)
    session.flush()
    demo = token == DEMO_TOKEN
    buyer = Account(
        scenario_id=scenario.id, role=Role.BUYER,
        email=DEMO_BUYER_EMAIL if demo else f"buyer-{token}@example.test",
        password_hash=practice_hash(BUYER_PASSWORD), display_name=BUYER_NAME,
    )
    seller = Account(
        scenario_id=scenario.id, role=Role.SELLER,
        email=DEMO_SELLER_EMAIL if demo else f"seller-{token}@example.test",
        password_hash=practice_hash(SELLER_PASSWORD), display_name=STORE_NAME,
        store_id=store.id,
    )
    session.add_all([buyer, seller])
    session.flush()
    for order_spec in spec.orders:
        _add_order(session, scenario, buyer, store, order_spec)
    for coupon_spec in spec.spare_coupons:
        session.add(_coupon(buyer, store, coupon_spec))
    session.flush()
    return scenario


def _coupon(buyer: Account, store: Store, spec: CouponSpec) -> Coupon:
    return Coupon(
        buyer_id=buyer.id, kind=spec.kind, code=spec.code,
        store_id=store.id if spec.kind is CouponKind.STORE else None,
        discount_cents=spec.discount_cents, min_spend_cents=spec.min_spend_cents,
        expires_at=spec.expires_at,
    )


def _add_order(
    session: Session, scenario: Scenario, buyer: Account, store: Store, spec: OrderSpec
) -> Order:
    placed = START - timedelta(days=spec.placed_days_ago)
    placed = placed.replace(second=0, microsecond=0)
    prices = [p.unit_price_cents * p.quantity for p in spec.products]
    coverage = [
        (c.discount_cents, c.covers if c.covers is not None else tuple(range(len(prices))))
        for c in spec.coupons
    ]
    paid = amounts_paid(prices, coverage)
    order = Order(
        number=spec.number, scenario_id=scenario.id, buyer_id=buyer.id, store_id=store.id,
        status=spec.status, payment_method=spec.payment_method, placed_at=placed,
        shipped_at=placed + timedelta(days=1) if spec.status in _SHIPPED else None,
    )
    session.add(order)
    session.flush()
    items = []
    for position, (product, amount) in enumerate(zip(spec.products, paid, strict=True)):
        item = OrderItem(
            order_id=order.id, position=position, title=product.title, option=product.option,
            swatch=product.swatch, unit_price_cents=product.unit_price_cents,
            quantity=product.quantity, paid_cents=amount,
        )
        items.append(item)
    session.add_all(items)
    session.flush()
    for coupon_spec, (_, covered) in zip(spec.coupons, coverage, strict=True):
        coupon = _coupon(buyer, store, coupon_spec)
        coupon.order_id = order.id
        coupon.items = [items[i] for i in covered]
        session.add(coupon)
    session.add(
        OrderEvent(
            order_id=order.id, at=placed,
            text=f"Order placed and paid: {format_cents(sum(paid))}.",
        )
    )
    if order.shipped_at:
        session.add(
            OrderEvent(order_id=order.id, at=order.shipped_at,
                       text="The store marked the order as shipped.")
        )
    return order


_SHIPPED = {OrderStatus.AWAITING_DELIVERY, OrderStatus.COMPLETED}
