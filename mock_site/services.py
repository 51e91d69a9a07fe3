"""The storefront's operations: load rows, ask the rules, write the outcome.

Each function runs inside the caller's transaction (``Database.transaction``), so an
operation either happens whole or not at all. Functions raise ``NotFound`` for
anything the caller may not see and ``ActionRefused`` (with a message for the user)
for anything the rules do not allow; neither changes a row.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from domain import lifecycle
from domain.cancellation import CancellationError, CouponUse, ItemLine, Reason
from domain.coupons import WalletStatus, wallet_status
from domain.lifecycle import CancellationStatus, Role
from domain.refunds import RefundTracker
from domain.statuses import ORDER_TABS
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
from mock_site.page_reads import load_order_page, with_items


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


def authenticate(session: Session, email: str, password: str, role: Role) -> Account | None:
    account = session.scalar(
        select(Account).where(Account.email == email.strip().lower(), Account.role == role)
    )
    if account is None:
        # The same work as for a real account, so the time taken does not tell which
        # e-mails have one.
        check_password(password, _unknown_account_hash())
        return None
    return account if check_password(password, account.password_hash) else None


@cache
def _unknown_account_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


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


def _locked(query):
    """Row locks where the database has them (PostgreSQL); SQLite's BEGIN IMMEDIATE serialises."""
    return query.with_for_update()


_BUYER_ORDER = select(Order).where(
    Order.buyer_id == bindparam("buyer_id"), Order.number == bindparam("number")
)
_BUYER_ORDER_LOCKED = _locked(_BUYER_ORDER)
# The pages that show one order head it with its store, joined into the same query; the
# rest they show comes with it (page_reads.load_order_page).
_BUYER_ORDER_SHOWN = _BUYER_ORDER.options(joinedload(Order.store, innerjoin=True))


def buyer_order(session: Session, buyer: Account, number: str, *, lock: bool = True) -> Order:
    """The buyer's order, row-locked unless ``lock`` is False (pages that only show it:
    on PostgreSQL a lock would queue every view of the order behind the others)."""
    query = _BUYER_ORDER_LOCKED if lock else _BUYER_ORDER_SHOWN
    order = session.scalar(query, {"buyer_id": buyer.id, "number": number})
    if order is None:
        raise NotFound("Order not found.")
    return order if lock else load_order_page(session, order)


_SELLER_ORDER = select(Order).where(Order.store_id == bindparam("store_id"),
                                    Order.number == bindparam("number"))
_SELLER_ORDER_LOCKED = _locked(_SELLER_ORDER)
_SELLER_ORDER_SHOWN = _SELLER_ORDER.options(joinedload(Order.buyer, innerjoin=True))


def seller_order(session: Session, seller: Account, number: str, *, lock: bool = True) -> Order:
    """The store's order, row-locked unless ``lock`` is False (the page that only shows it)."""
    query = _SELLER_ORDER_LOCKED if lock else _SELLER_ORDER_SHOWN
    order = session.scalar(query, {"store_id": seller.store_id, "number": number})
    if order is None or seller.store_id is None:
        raise NotFound("Order not found.")
    return order if lock else load_order_page(session, order)


def now_for(session: Session, order_or_account) -> datetime:
    return session.get(Scenario, order_or_account.scenario_id).now


# --- the order's lifecycle: the rules decide (domain.lifecycle), this writes --------------

def _facts(order: Order) -> lifecycle.OrderFacts:
    """The order's rows as the plain values the lifecycle rules decide on."""
    pending = order.pending_cancellation
    return lifecycle.OrderFacts(
        status=order.status,
        items=tuple(ItemLine(i.id, i.paid_cents, i.cancelled) for i in order.items),
        coupons=tuple(
            CouponUse(c.id, c.kind, frozenset(i.id for i in c.items), c.expires_at,
                      c.returned_at is not None)
            for c in order.coupons
        ),
        status_before_request=order.status_before_request,
        pending=None if pending is None else lifecycle.PendingRequest(
            frozenset(pending.item_ids), pending.deadline
        ),
    )


def _decide(
    rule: Callable[..., lifecycle.Transition], order: Order, *args
) -> lifecycle.Transition:
    """Ask a lifecycle rule about ``order``; its refusal becomes ``ActionRefused``."""
    try:
        return rule(_facts(order), *args)
    except CancellationError as error:
        raise ActionRefused(str(error)) from error


def _new_cancellation(
    session: Session, order: Order, change: lifecycle.Transition, reason: Reason
) -> Cancellation:
    cancellation = Cancellation(
        item_ids=sorted(change.item_ids), reason_code=reason,
        requested_at=change.at, status=change.cancellation, deadline=change.deadline,
    )
    # Through the collection: the rules have read it already, so it must show the new row.
    order.cancellations.append(cancellation)
    session.flush()
    return cancellation


def _write(
    session: Session, order: Order, change: lifecycle.Transition,
    cancellation: Cancellation | None = None,
) -> None:
    """Write what the rules decided: the cancellation, items, refund, coupons, status."""
    if cancellation is not None:
        cancellation.status = change.cancellation
        if change.cancellation is not CancellationStatus.PENDING:
            cancellation.decided_at = change.at
    for text in change.events:
        session.add(OrderEvent(order_id=order.id, at=change.at, text=text))
    settled = change.settled
    if settled is not None:
        for item in order.items:
            item.cancelled = item.cancelled or item.id in settled.item_ids
        if change.refund_cents > 0:
            session.add(Refund(
                order_id=order.id, cancellation_id=cancellation.id,
                amount_cents=change.refund_cents, method=order.payment_method,
                requested_at=change.at,
            ))
        for coupon in order.coupons:
            decision = settled.coupon_decisions.get(coupon.id)
            if decision is not None:
                coupon.decision_note = decision.reason
                if decision.returned:
                    coupon.returned_at = change.at
    if order.status != change.status:  # a partial cancellation leaves it where it is
        order.status = change.status
    order.status_before_request = change.status_before_request
    session.flush()


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
    change = _decide(lifecycle.buyer_cancels, order, reason_code, item_ids, now, window_hours)
    cancellation = _new_cancellation(session, order, change, Reason(reason_code))
    _write(session, order, change, cancellation)
    return cancellation


def seller_answer(session: Session, seller: Account, number: str, accept: bool) -> Order:
    """The seller accepts or declines the pending cancellation request."""
    order = seller_order(session, seller, number)
    change = _decide(lifecycle.seller_answers, order, accept, now_for(session, order))
    _write(session, order, change, order.pending_cancellation)
    return order


def seller_cancel(session: Session, seller: Account, number: str) -> Order:
    """The seller cancels the whole order (e.g. after the buyer's message)."""
    order = seller_order(session, seller, number)
    change = _decide(lifecycle.seller_cancels, order, now_for(session, order))
    cancellation = _new_cancellation(session, order, change, lifecycle.SELLER_CANCEL_REASON)
    _write(session, order, change, cancellation)
    return order


def seller_mark_shipped(session: Session, seller: Account, number: str) -> Order:
    order = seller_order(session, seller, number)
    change = _decide(lifecycle.seller_ships, order, now_for(session, order))
    _write(session, order, change)
    order.shipped_at = change.at
    return order


def seller_actions(order: Order) -> frozenset[lifecycle.SellerAction]:
    """What the seller may do on ``order`` now: the buttons the pages show."""
    return lifecycle.seller_actions(order.status, order.pending_cancellation is not None)


def send_message(
    session: Session, order: Order, sender: Role, body: str, max_length: int
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
    try:
        scenario.now = scenario.now + lifecycle.check_clock_step(delta)
    except CancellationError as error:
        raise ActionRefused(str(error)) from error
    pending = session.scalars(
        select(Cancellation)
        .join(Order, Order.id == Cancellation.order_id)
        .where(Order.scenario_id == scenario.id,
               Cancellation.status == CancellationStatus.PENDING)
        .order_by(Cancellation.id)
    ).all()
    lapsed = []
    for request in pending:
        order = session.get(Order, request.order_id)
        change = lifecycle.request_lapses(_facts(order), scenario.now)
        if change is not None:
            _write(session, order, change, request)
            lapsed.append(order)
    return lapsed


# --- what pages and the API show ----------------------------------------------------------

def refund_tracker(refund: Refund) -> RefundTracker:
    return RefundTracker(refund.requested_at, refund.method)


def coupon_wallet_status(coupon: Coupon, now: datetime) -> WalletStatus:
    return wallet_status(
        used=coupon.order_id is not None,
        returned=coupon.returned_at is not None,
        every_item_cancelled=bool(coupon.items) and all(i.cancelled for i in coupon.items),
        expires_at=coupon.expires_at,
        now=now,
    )


def wallet(session: Session, buyer: Account) -> list[Coupon]:
    return list(
        session.scalars(
            select(Coupon)
            .where(Coupon.buyer_id == buyer.id)
            .order_by(Coupon.id)
            .options(selectinload(Coupon.items), selectinload(Coupon.store),
                     selectinload(Coupon.order))
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
