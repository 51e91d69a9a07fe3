"""The storefront's operations: load rows, ask the rules, write the outcome.

Each function runs inside the caller's transaction (``Database.transaction``), so an
operation either happens whole or not at all. Functions raise ``NotFound`` for
anything the caller may not see and ``ActionRefused`` (with a message for the user)
for anything the rules do not allow; neither changes a row.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from domain import cancellation as rules
from domain.coupons import CouponKind, wallet_status
from domain.money import format_cents
from domain.refunds import RefundTracker
from domain.statuses import ORDER_TABS, OrderStatus, check_move
from mock_site.models import (
    Account,
    Cancellation,
    Coupon,
    Message,
    Order,
    OrderEvent,
    Refund,
    Scenario,
)


class NotFound(LookupError):
    """The thing does not exist, or belongs to someone else (we do not say which)."""


class ActionRefused(ValueError):
    """The rules do not allow this now; the message says why, for the user."""


# --- accounts ---------------------------------------------------------------------------

def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**12, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    _, salt, digest = stored.split("$")
    expected = hash_password(password, bytes.fromhex(salt)).split("$")[2]
    return hmac.compare_digest(expected, digest)


def authenticate(session: Session, email: str, password: str, role: str) -> Account | None:
    account = session.scalar(
        select(Account).where(Account.email == email.strip().lower(), Account.role == role)
    )
    if account and check_password(password, account.password_hash):
        return account
    return None


# The statements every page runs are built once, with bound parameters: SQLAlchemy then
# reuses their cache key instead of working it out again on each request, which took
# about 3 % of a page's CPU per statement (bench/README.md).

# The account with its scenario, in one query: every page shows the scenario's clock.
_ACCOUNT = (
    select(Account).where(Account.id == bindparam("id")).options(joinedload(Account.scenario))
)


def get_account(session: Session, account_id: int) -> Account | None:
    return session.scalar(_ACCOUNT, {"id": account_id})


def get_scenario(session: Session, token: str) -> Scenario:
    scenario = session.scalar(select(Scenario).where(Scenario.token == token))
    if scenario is None:
        raise NotFound("No such scenario.")
    return scenario


# --- reading orders ---------------------------------------------------------------------

# My Orders shows every order's store and items: they are loaded with the orders (two
# queries in all) rather than one lazy query per order (bench/storefront_load.py).
_BUYER_ORDERS = (
    select(Order)
    .where(Order.buyer_id == bindparam("buyer_id"))
    .order_by(Order.placed_at.desc())
    .options(selectinload(Order.items), selectinload(Order.store))
)


def list_orders(session: Session, buyer: Account, tab: str = "All") -> list[Order]:
    statuses = ORDER_TABS.get(tab, ORDER_TABS["All"])
    orders = session.scalars(_BUYER_ORDERS, {"buyer_id": buyer.id}).all()
    return [order for order in orders if order.status in statuses]


def _locked(query):
    """Row locks where the database has them (PostgreSQL); SQLite's BEGIN IMMEDIATE serialises."""
    return query.with_for_update()


_BUYER_ORDER = select(Order).where(
    Order.buyer_id == bindparam("buyer_id"), Order.number == bindparam("number")
)
_BUYER_ORDER_LOCKED = _locked(_BUYER_ORDER)
# The pages that show one order head it with its store: joined into the same query. Its
# collections (items, coupons, refunds...) stay lazy: for one order, selectinload
# measured slower than the lazy loads it would replace.
_BUYER_ORDER_SHOWN = _BUYER_ORDER.options(joinedload(Order.store, innerjoin=True))


def buyer_order(session: Session, buyer: Account, number: str, *, lock: bool = True) -> Order:
    """The buyer's order, row-locked unless ``lock`` is False (pages that only show it:
    on PostgreSQL a lock would queue every view of the order behind the others)."""
    query = _BUYER_ORDER_LOCKED if lock else _BUYER_ORDER_SHOWN
    order = session.scalar(query, {"buyer_id": buyer.id, "number": number})
    if order is None:
        raise NotFound("Order not found.")
    return order


def seller_order(session: Session, seller: Account, number: str) -> Order:
    order = session.scalar(
        _locked(select(Order).where(Order.store_id == seller.store_id, Order.number == number))
    )
    if order is None or seller.store_id is None:
        raise NotFound("Order not found.")
    return order


def seller_orders(session: Session, seller: Account) -> list[Order]:
    return list(
        session.scalars(
            select(Order).where(Order.store_id == seller.store_id).order_by(Order.placed_at.desc())
        )
    )


def now_for(session: Session, order_or_account) -> datetime:
    return session.get(Scenario, order_or_account.scenario_id).now


# --- the order's lifecycle --------------------------------------------------------------

def _move(order: Order, status: OrderStatus) -> None:
    order.status = check_move(OrderStatus(order.status), status)


def _event(session: Session, order: Order, at: datetime, text: str) -> None:
    session.add(OrderEvent(order_id=order.id, at=at, text=text))


def _apply(session: Session, order: Order, cancellation: Cancellation, now: datetime) -> None:
    """Make a cancellation take effect: items, refund, coupons, status."""
    items = [rules.ItemLine(i.id, i.paid_cents, i.cancelled) for i in order.items]
    coupons = [
        rules.CouponUse(
            c.id, CouponKind(c.kind), frozenset(i.id for i in c.items), c.expires_at,
            c.returned_at is not None,
        )
        for c in order.coupons
    ]
    outcome = rules.settle_cancellation(items, coupons, frozenset(cancellation.item_ids), now)
    for item in order.items:
        if item.id in outcome.item_ids:
            item.cancelled = True
    was_paid = order.status != OrderStatus.AWAITING_PAYMENT and (
        order.status_before_request != OrderStatus.AWAITING_PAYMENT
    )
    if was_paid and outcome.refund_cents > 0:
        session.add(
            Refund(
                order_id=order.id,
                cancellation_id=cancellation.id,
                amount_cents=outcome.refund_cents,
                method=order.payment_method,
                requested_at=now,
            )
        )
        _event(session, order, now, f"Refund of {format_cents(outcome.refund_cents)} started.")
    for coupon in order.coupons:
        decision = outcome.coupon_decisions.get(coupon.id)
        if decision is None:
            continue
        coupon.decision_note = decision.reason
        if decision.returned:
            coupon.returned_at = now
    if outcome.order_closed:
        _move(order, OrderStatus.CLOSED)
    elif order.status == OrderStatus.AWAITING_CANCELLATION:
        _move(order, OrderStatus(order.status_before_request))
    order.status_before_request = None
    session.flush()


def _open_item_ids(order: Order, requested: list[int] | None) -> list[int]:
    items = [rules.ItemLine(i.id, i.paid_cents, i.cancelled) for i in order.items]
    try:
        return sorted(rules.choose_items(items, requested))
    except rules.CancellationError as error:
        raise ActionRefused(str(error)) from error


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
    try:
        reason = rules.check_reason(reason_code)
    except rules.CancellationError as error:
        raise ActionRefused(str(error)) from error
    route = rules.cancel_route(order.status)
    if route not in (rules.CancelRoute.IMMEDIATE, rules.CancelRoute.SELLER_DECIDES):
        raise ActionRefused(rules.ROUTE_EXPLANATIONS[route])
    chosen = _open_item_ids(order, item_ids)
    cancellation = Cancellation(
        order_id=order.id, item_ids=chosen, reason_code=reason_code, requested_at=now,
        status="immediate" if route is rules.CancelRoute.IMMEDIATE else "pending",
    )
    session.add(cancellation)
    session.flush()
    if route is rules.CancelRoute.IMMEDIATE:
        cancellation.decided_at = now
        _event(session, order, now, f"You cancelled {_items_phrase(order, chosen)} ({reason}).")
        _apply(session, order, cancellation, now)
    else:
        cancellation.deadline = rules.response_deadline(now, window_hours)
        order.status_before_request = order.status
        _move(order, OrderStatus.AWAITING_CANCELLATION)
        _event(
            session, order, now,
            f"You asked the seller to cancel {_items_phrase(order, chosen)} ({reason}).",
        )
    return cancellation


def _items_phrase(order: Order, item_ids: list[int]) -> str:
    return "the whole order" if len(item_ids) == len(order.items) else (
        f"{len(item_ids)} of {len(order.items)} items"
    )


def seller_answer(session: Session, seller: Account, number: str, accept: bool) -> Order:
    """The seller accepts or declines the pending cancellation request."""
    order = seller_order(session, seller, number)
    request = order.pending_cancellation
    if request is None:
        raise ActionRefused("There is no cancellation request waiting on this order.")
    _decide(session, order, request, "accepted" if accept else "declined")
    return order


def _decide(
    session: Session, order: Order, request: Cancellation, outcome: str,
    at: datetime | None = None,
) -> None:
    """Record the seller's answer, made ``at`` a given time (by default the clock's now)."""
    now = at or now_for(session, order)
    request.status = outcome
    request.decided_at = now
    if outcome == "declined":
        _move(order, OrderStatus(order.status_before_request))
        order.status_before_request = None
        _event(session, order, now, "The seller declined the cancellation request.")
        return
    text = {
        "accepted": "The seller accepted the cancellation request.",
        "lapsed": "The seller did not answer in time, so the request was accepted.",
    }[outcome]
    _event(session, order, now, text)
    _apply(session, order, request, now)


def seller_cancel(session: Session, seller: Account, number: str) -> Order:
    """The seller cancels the whole order (e.g. after the buyer's message)."""
    order = seller_order(session, seller, number)
    if order.status not in (OrderStatus.AWAITING_SHIPMENT, OrderStatus.AWAITING_DELIVERY):
        raise ActionRefused(
            f"This order's status is {order.status}: the store can cancel only orders "
            "awaiting shipment or awaiting delivery."
        )
    now = now_for(session, order)
    chosen = [i.id for i in order.items if not i.cancelled]
    cancellation = Cancellation(
        order_id=order.id, item_ids=chosen, reason_code="other", requested_at=now,
        status="by_seller", decided_at=now,
    )
    session.add(cancellation)
    session.flush()
    _event(session, order, now, "The seller cancelled the order.")
    _apply(session, order, cancellation, now)
    return order


def seller_mark_shipped(session: Session, seller: Account, number: str) -> Order:
    order = seller_order(session, seller, number)
    if order.status != OrderStatus.AWAITING_SHIPMENT:
        raise ActionRefused(
            "Only an order awaiting shipment can be marked shipped"
            + (" (answer the cancellation request first)." if order.pending_cancellation else ".")
        )
    now = now_for(session, order)
    _move(order, OrderStatus.AWAITING_DELIVERY)
    order.shipped_at = now
    _event(session, order, now, "The store marked the order as shipped.")
    return order


def send_message(
    session: Session, order: Order, sender: str, body: str, max_length: int
) -> Message:
    """Add a message to the order's thread between buyer and seller."""
    body = body.strip()
    if not body:
        raise ActionRefused("Write a message before sending it.")
    if len(body) > max_length:
        raise ActionRefused(f"Messages can be at most {max_length} characters long.")
    message = Message(
        order_id=order.id, sender=sender, body=body, sent_at=now_for(session, order)
    )
    session.add(message)
    session.flush()
    return message


# --- the clock --------------------------------------------------------------------------

def advance_clock(session: Session, scenario: Scenario, delta: timedelta) -> list[Order]:
    """Move the scenario's clock on; requests whose window ran out are accepted."""
    if delta < timedelta(0):
        raise ActionRefused("The clock only moves forward.")
    if delta > timedelta(days=365):
        raise ActionRefused("Advance the clock by at most a year at a time.")
    scenario.now = scenario.now + delta
    lapsed = session.scalars(
        select(Cancellation)
        .join(Order, Order.id == Cancellation.order_id)
        .where(
            Order.scenario_id == scenario.id,
            Cancellation.status == "pending",
            Cancellation.deadline <= scenario.now,
        )
    ).all()
    orders = []
    for request in lapsed:
        order = session.get(Order, request.order_id)
        # Taken as accepted at the deadline, not at the new time: the outcome (refund
        # date, coupon expiry) must not depend on how far the clock jumped in one step.
        _decide(session, order, request, "lapsed", at=request.deadline)
        orders.append(order)
    return orders


# --- what pages and the API show ----------------------------------------------------------

def refund_tracker(refund: Refund) -> RefundTracker:
    return RefundTracker(refund.requested_at, refund.method)


def coupon_wallet_status(coupon: Coupon, now: datetime) -> str:
    return wallet_status(
        used=coupon.order_id is not None,
        returned=coupon.returned_at is not None,
        every_item_cancelled=bool(coupon.items) and all(i.cancelled for i in coupon.items),
        expires_at=coupon.expires_at,
        now=now,
    ).value


def wallet(session: Session, buyer: Account) -> list[Coupon]:
    return list(
        session.scalars(
            select(Coupon)
            .where(Coupon.buyer_id == buyer.id)
            .order_by(Coupon.id)
            .options(selectinload(Coupon.items))
        )
    )


def scenario_state(session: Session, scenario: Scenario) -> dict:
    """Everything about a scenario's orders, as plain data for the API and the guide."""
    now = scenario.now
    orders = session.scalars(
        select(Order).where(Order.scenario_id == scenario.id).order_by(Order.id)
    ).all()
    return {
        "token": scenario.token,
        "name": scenario.name,
        "now": now.isoformat(),
        "orders": [order_state(order, now) for order in orders],
    }


def order_state(order: Order, now: datetime) -> dict:
    latest = order.cancellations[-1] if order.cancellations else None
    return {
        "number": order.number,
        "status": str(order.status),
        "payment_method": order.payment_method,
        "paid_cents": order.paid_cents,
        "items": [
            {"id": i.id, "title": i.title, "paid_cents": i.paid_cents, "cancelled": i.cancelled}
            for i in order.items
        ],
        "cancellation": None if latest is None else {
            "status": latest.status,
            "reason": latest.reason_code,
            "item_ids": latest.item_ids,
        },
        "messages": [{"sender": m.sender, "body": m.body} for m in order.messages],
        "refunds": [
            {
                "amount_cents": r.amount_cents,
                "method": r.method,
                "stages_reached": refund_tracker(r).stages_reached(now),
                "paid_at": refund_tracker(r).paid_at.isoformat(),
            }
            for r in order.refunds
        ],
        "coupons": [
            {
                "code": c.code,
                "kind": c.kind,
                "discount_cents": c.discount_cents,
                "wallet_status": coupon_wallet_status(c, now),
                "note": c.decision_note,
            }
            for c in order.coupons
        ],
    }
