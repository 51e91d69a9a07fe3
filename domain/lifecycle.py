"""The order's lifecycle: every move an order makes, what it causes, and who may do what.

Plain functions over plain values, the clock passed in. The storefront reads an order's
rows into ``OrderFacts``, asks one function here and writes the ``Transition`` it gets
back as it is; the seller console and the trainer ask ``seller_actions`` which buttons
to show. Refusals are ``NotAllowed``, with a message for the user.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from domain.cancellation import (
    ROUTE_EXPLANATIONS,
    CancellationError,
    CancellationOutcome,
    CancelRoute,
    CouponUse,
    ItemLine,
    Reason,
    cancel_route,
    check_reason,
    choose_items,
    response_deadline,
    settle_cancellation,
)
from domain.labelled import Labelled
from domain.money import format_cents
from domain.statuses import OrderStatus, check_move
from domain.wording import LAPSED_EVENT

S = OrderStatus


class Role(StrEnum):
    """Who is signed in, and who wrote a message."""

    BUYER = "buyer"
    SELLER = "seller"


class CancellationStatus(StrEnum):
    """Where a cancellation stands."""

    PENDING = "pending"  # a request waiting for the seller's answer
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LAPSED = "lapsed"  # the seller did not answer in time: taken as accepted
    IMMEDIATE = "immediate"  # cancelled before verification, no seller involved
    BY_SELLER = "by_seller"  # the seller cancelled the order (e.g. after a message)


class SellerAction(Labelled):
    """What a seller can do on an order: the API's actions, the console's button labels."""

    ACCEPT = "accept", "Accept cancellation"
    DECLINE = "decline", "Decline cancellation"
    SHIP = "ship", "Mark as shipped"
    CANCEL = "cancel", "Cancel order"
    REPLY = "reply", "Send reply"


# The store may cancel until the parcel is delivered: before shipping, or after marking
# it shipped when it has not really left (the buyer's message path).
SELLER_MAY_CANCEL = frozenset({S.AWAITING_SHIPMENT, S.AWAITING_DELIVERY})
SELLER_CANCEL_REASON = Reason.OTHER

MAX_CLOCK_DAYS = 365
CLOCK_TOO_FAR = f"Move the clock by at most {MAX_CLOCK_DAYS} days at a time."


class NotAllowed(CancellationError):
    """The lifecycle does not allow this now; the message says why, for the user."""


@dataclass(frozen=True)
class PendingRequest:
    """A cancellation request waiting for the seller: what it covers and its deadline."""

    item_ids: frozenset[int]
    deadline: datetime


@dataclass(frozen=True)
class OrderFacts:
    """What the lifecycle needs to know about an order, read from its rows."""

    status: OrderStatus
    items: tuple[ItemLine, ...]
    coupons: tuple[CouponUse, ...] = ()
    # Where the order goes back to if the seller declines the pending request.
    status_before_request: OrderStatus | None = None
    pending: PendingRequest | None = None


@dataclass(frozen=True)
class Transition:
    """What one step does to an order, for the storefront to write as it is.

    ``cancellation`` is the status of the cancellation the step creates or answers;
    ``settled`` is set when a cancellation takes effect (items, coupons), with
    ``refund_cents`` the money going back (0 when nothing had been paid).
    """

    at: datetime
    status: OrderStatus
    status_before_request: OrderStatus | None
    events: tuple[str, ...]  # the order's timeline lines, in the buyer's words, in order
    cancellation: CancellationStatus | None = None
    item_ids: frozenset[int] = frozenset()
    deadline: datetime | None = None
    settled: CancellationOutcome | None = None
    refund_cents: int = 0


# --- who may do what ---------------------------------------------------------------------


def seller_actions(status: OrderStatus, request_pending: bool) -> frozenset[SellerAction]:
    """What the seller may do on an order now; a reply is always possible."""
    allowed = {SellerAction.REPLY}
    if request_pending:
        allowed |= {SellerAction.ACCEPT, SellerAction.DECLINE}
    if status == S.AWAITING_SHIPMENT:
        allowed.add(SellerAction.SHIP)
    if status in SELLER_MAY_CANCEL:
        allowed.add(SellerAction.CANCEL)
    return frozenset(allowed)


def was_paid(order: OrderFacts) -> bool:
    """Whether the buyer's money was taken, so a cancellation pays something back."""
    return S.AWAITING_PAYMENT not in (order.status, order.status_before_request)


def items_phrase(chosen: int, total: int) -> str:
    return "the whole order" if chosen == total else f"{chosen} of {total} items"


# --- the buyer ---------------------------------------------------------------------------


def buyer_cancels(
    order: OrderFacts,
    reason_code: str,
    item_ids: Iterable[int] | None,
    now: datetime,
    window_hours: int,
) -> Transition:
    """"Cancel order": at once before verification, else a request the seller answers."""
    reason = check_reason(reason_code)
    route = cancel_route(order.status)
    if route not in (CancelRoute.IMMEDIATE, CancelRoute.SELLER_DECIDES):
        raise NotAllowed(ROUTE_EXPLANATIONS[route])
    chosen = choose_items(order.items, item_ids)
    phrase = items_phrase(len(chosen), len(order.items))
    if route is CancelRoute.IMMEDIATE:
        return _settle(
            order, chosen, now, CancellationStatus.IMMEDIATE, f"You cancelled {phrase} ({reason})."
        )
    return Transition(
        at=now,
        status=check_move(order.status, S.AWAITING_CANCELLATION),
        status_before_request=order.status,
        events=(f"You asked the seller to cancel {phrase} ({reason}).",),
        cancellation=CancellationStatus.PENDING,
        item_ids=chosen,
        deadline=response_deadline(now, window_hours),
    )


# --- the seller --------------------------------------------------------------------------


def _allowed(order: OrderFacts, action: SellerAction) -> bool:
    return action in seller_actions(order.status, order.pending is not None)


def seller_answers(order: OrderFacts, accept: bool, now: datetime) -> Transition:
    """The seller accepts (the cancellation takes effect) or declines (the order goes back)."""
    answer = SellerAction.ACCEPT if accept else SellerAction.DECLINE
    if order.pending is None or not _allowed(order, answer):
        raise NotAllowed("There is no cancellation request waiting on this order.")
    if accept:
        return _settle(
            order, order.pending.item_ids, now, CancellationStatus.ACCEPTED,
            "The seller accepted the cancellation request.",
        )
    return Transition(
        at=now,
        status=check_move(order.status, order.status_before_request),
        status_before_request=None,
        events=("The seller declined the cancellation request.",),
        cancellation=CancellationStatus.DECLINED,
    )


def request_lapses(order: OrderFacts, now: datetime) -> Transition | None:
    """A request unanswered at its deadline is accepted, as at the deadline, not ``now``:
    the outcome (refund date, coupon expiry) must not depend on how far the clock jumped."""
    if order.pending is None or now < order.pending.deadline:
        return None
    return _settle(
        order, order.pending.item_ids, order.pending.deadline, CancellationStatus.LAPSED,
        LAPSED_EVENT,
    )


def seller_cancels(order: OrderFacts, now: datetime) -> Transition:
    """The store cancels every open item (e.g. after the buyer's message)."""
    if not _allowed(order, SellerAction.CANCEL):
        raise NotAllowed(
            f"This order's status is {order.status}: the store can cancel only orders "
            "awaiting shipment or awaiting delivery."
        )
    open_items = frozenset(item.id for item in order.items if not item.cancelled)
    return _settle(
        order, open_items, now, CancellationStatus.BY_SELLER, "The seller cancelled the order."
    )


def seller_ships(order: OrderFacts, now: datetime) -> Transition:
    """The store marks the order shipped: Cancel order is gone for the buyer from now on."""
    if not _allowed(order, SellerAction.SHIP):
        raise NotAllowed(
            "Only an order awaiting shipment can be marked shipped"
            + (" (answer the cancellation request first)." if order.pending else ".")
        )
    return Transition(
        at=now,
        status=check_move(order.status, S.AWAITING_DELIVERY),
        status_before_request=None,
        events=("The store marked the order as shipped.",),
    )


# --- a cancellation taking effect ----------------------------------------------------------


def _settle(
    order: OrderFacts,
    item_ids: frozenset[int],
    at: datetime,
    outcome: CancellationStatus,
    event: str,
) -> Transition:
    """Items, refund, coupons and status once a cancellation takes effect at ``at``."""
    settled = settle_cancellation(order.items, order.coupons, item_ids, at)
    refund = settled.refund_cents if was_paid(order) else 0
    events = (event, f"Refund of {format_cents(refund)} started.") if refund > 0 else (event,)
    if settled.order_closed:
        status = check_move(order.status, S.CLOSED)
    elif order.status == S.AWAITING_CANCELLATION:
        status = check_move(order.status, order.status_before_request)
    else:
        status = order.status
    return Transition(
        at=at, status=status, status_before_request=None, events=events,
        cancellation=outcome, item_ids=item_ids, settled=settled, refund_cents=refund,
    )


def after(order: OrderFacts, change: Transition) -> OrderFacts:
    """The order as ``change`` leaves it, in plain values: what the storefront writes as
    rows, for callers that keep an order without a database (simulations, tests)."""
    items, coupons = order.items, order.coupons
    if change.settled is not None:
        cancelled, returned = change.settled.item_ids, change.settled.returned_coupon_ids
        items = tuple(replace(i, cancelled=True) if i.id in cancelled else i for i in items)
        coupons = tuple(replace(c, returned=True) if c.id in returned else c for c in coupons)
    pending: PendingRequest | None
    if change.cancellation is CancellationStatus.PENDING and change.deadline is not None:
        pending = PendingRequest(change.item_ids, change.deadline)
    else:  # a cancellation answered or taking effect ends the request; shipping keeps none
        pending = None if change.cancellation is not None else order.pending
    return OrderFacts(change.status, items, coupons, change.status_before_request, pending)


# --- the simulated clock -------------------------------------------------------------------


def check_clock_step(step: timedelta) -> timedelta:
    """The clock moves forward only, and at most a year at a time."""
    if step < timedelta(0):
        raise NotAllowed("The clock only moves forward.")
    if step > timedelta(days=MAX_CLOCK_DAYS):
        raise NotAllowed(CLOCK_TOO_FAR)
    return step
