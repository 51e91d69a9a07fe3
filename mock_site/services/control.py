"""What the seller console, the trainer page, the coach and the JSON API share: seller
actions, a scenario, its accounts and orders, and the clock's bounds, each in words a
user can read."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import lifecycle
from domain.lifecycle import Role, SellerAction
from mock_site import services
from mock_site.core.models import Account, Order, Scenario
from mock_site.services.orders import send_message
from mock_site.services.seller import (
    seller_answer,
    seller_cancel,
    seller_mark_shipped,
    seller_order,
)
from mock_site.services.wallet import coupon_wallet_status, refund_tracker

MAX_DAYS = lifecycle.MAX_CLOCK_DAYS
MAX_HOURS = MAX_DAYS * 24


class BadInput(ValueError):
    """A value a person typed that we cannot use; the message says what would work."""


@dataclass(frozen=True)
class ActionDone:
    order: Order
    message: str


def get_scenario(session: Session, token: str) -> Scenario:
    scenario = session.scalar(select(Scenario).where(Scenario.token == token))
    if scenario is None:
        raise services.NotFound("No such scenario.")
    return scenario


def scenario_account(session: Session, scenario: Scenario, role: Role) -> Account:
    """The scenario's one buyer or one seller."""
    account = session.scalar(
        select(Account).where(Account.scenario_id == scenario.id, Account.role == role)
    )
    if account is None:
        raise services.NotFound(f"This scenario has no {role}.")
    return account


def seller_action(text: str) -> SellerAction:
    """The seller action a form or a request names, or a message listing the known ones."""
    try:
        return SellerAction(text)
    except ValueError:
        known = ", ".join(SellerAction)
        raise BadInput(f"Unknown seller action {text!r}; choose one of: {known}.") from None


def act_as_seller(
    session: Session,
    seller: Account,
    number: str,
    action: str,
    message: str | None,
    max_length: int,
) -> ActionDone:
    """Do one seller action on one of the seller's orders: the console, the trainer and
    the API all come here.

    Raises ``services.NotFound`` for an order of another store (before anything else),
    ``BadInput`` for an unknown action and ``services.ActionRefused`` for what the rules
    do not allow now.
    """
    order = seller_order(session, seller, number)
    match seller_action(action):
        case SellerAction.ACCEPT:
            order = seller_answer(session, seller, number, accept=True)
            return ActionDone(order, f"You accepted the cancellation. Order {number} is now "
                                     f"{order.status}{_refund_note(order)}.")
        case SellerAction.DECLINE:
            order = seller_answer(session, seller, number, accept=False)
            return ActionDone(order, f"You declined the cancellation. Order {number} is back "
                                     f"to {order.status}.")
        case SellerAction.SHIP:
            order = seller_mark_shipped(session, seller, number)
            return ActionDone(order, f"Order {number} is marked as shipped.")
        case SellerAction.CANCEL:
            order = seller_cancel(session, seller, number)
            return ActionDone(order, f"You cancelled order {number}{_refund_note(order)}.")
        case SellerAction.REPLY:
            send_message(session, order, Role.SELLER, message or "", max_length)
            return ActionDone(order, f"Your reply on order {number} was sent to the buyer.")


def refused_with_state(session: Session, seller: Account, number: str,
                       error: services.ActionRefused) -> str:
    """Why a seller action was refused and where the order stands now: the same answer
    for a request that came late and for one that lost a race to another."""
    status = session.scalar(
        select(Order.status).where(Order.store_id == seller.store_id, Order.number == number)
    )
    return str(error) if status is None else f"{error} Order {number} is now {status}."


def _refund_note(order: Order) -> str:
    return "; the buyer's refund has started" if order.refunds else ""


def clock_step(days: object, hours: object) -> timedelta:
    """Turn the trainer's "Days" and "Hours" fields into a step forward, or say why not."""
    day_count = _whole_number(days, "Days", MAX_DAYS)
    hour_count = _whole_number(hours, "Hours", MAX_HOURS)
    step = timedelta(days=day_count, hours=hour_count)
    try:
        lifecycle.check_clock_step(step)
    except lifecycle.NotAllowed as error:
        raise BadInput(str(error)) from None
    if not step:
        raise BadInput("Enter a number of days or hours to move the clock forward.")
    return step


def _whole_number(value: object, label: str, maximum: int) -> int:
    text = "" if value is None else str(value).strip()
    if text == "":
        return 0
    try:
        number = int(text)
    except ValueError:
        raise BadInput(f"{label} must be a whole number from 0 to {maximum}.") from None
    if not 0 <= number <= maximum:
        raise BadInput(f"{label} must be a whole number from 0 to {maximum}.")
    return number


def scenario_orders(session: Session, scenario: Scenario) -> list[Order]:
    """The scenario's orders in the order its definition lists them (``orders[0]`` is
    the one its path is about), as the API's state lists them."""
    return list(
        session.scalars(select(Order).where(Order.scenario_id == scenario.id).order_by(Order.id))
    )


def lapsed_note(orders: list[Order]) -> str:
    """Tell the trainer which requests the clock just accepted on the seller's behalf."""
    if not orders:
        return ""
    numbers = ", ".join(order.number for order in orders)
    noun = "order" if len(orders) == 1 else "orders"
    return (f" The seller had not answered in time, so the cancellation was accepted"
            f" on {noun} {numbers}.")


def scenario_state(session: Session, scenario: Scenario) -> dict[str, Any]:
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


def order_state(order: Order, now: datetime) -> dict[str, Any]:
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
