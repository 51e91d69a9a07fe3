"""What the seller console, the trainer page and the JSON API share: seller actions,
a scenario's accounts and the clock's bounds, each in words a user can read."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import lifecycle
from domain.lifecycle import Role, SellerAction
from mock_site import services
from mock_site.models import Account, Order, Scenario

MAX_DAYS = lifecycle.MAX_CLOCK_DAYS
MAX_HOURS = MAX_DAYS * 24


class BadInput(ValueError):
    """A value a person typed that we cannot use; the message says what would work."""


@dataclass(frozen=True)
class ActionDone:
    order: Order
    message: str


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
    order = services.seller_order(session, seller, number)
    match seller_action(action):
        case SellerAction.ACCEPT:
            order = services.seller_answer(session, seller, number, accept=True)
            return ActionDone(order, f"You accepted the cancellation. Order {number} is now "
                                     f"{order.status}{_refund_note(order)}.")
        case SellerAction.DECLINE:
            order = services.seller_answer(session, seller, number, accept=False)
            return ActionDone(order, f"You declined the cancellation. Order {number} is back "
                                     f"to {order.status}.")
        case SellerAction.SHIP:
            order = services.seller_mark_shipped(session, seller, number)
            return ActionDone(order, f"Order {number} is marked as shipped.")
        case SellerAction.CANCEL:
            order = services.seller_cancel(session, seller, number)
            return ActionDone(order, f"You cancelled order {number}{_refund_note(order)}.")
        case SellerAction.REPLY:
            services.send_message(session, order, Role.SELLER, message or "", max_length)
            return ActionDone(order, f"Your reply on order {number} was sent to the buyer.")


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
