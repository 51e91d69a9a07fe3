"""Order statuses as the buyer sees them, and the moves allowed between them."""

from enum import StrEnum


class OrderStatus(StrEnum):
    """The label shown on My Orders and order details is the value."""

    AWAITING_PAYMENT = "Awaiting payment"
    PAYMENT_BEING_VERIFIED = "Payment being verified"
    AWAITING_SHIPMENT = "Awaiting shipment"
    AWAITING_DELIVERY = "Awaiting delivery"
    COMPLETED = "Completed"
    AWAITING_CANCELLATION = "Awaiting cancellation"
    CLOSED = "Closed"


S = OrderStatus

ALLOWED_MOVES: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.AWAITING_PAYMENT: frozenset({S.PAYMENT_BEING_VERIFIED, S.CLOSED}),
    S.PAYMENT_BEING_VERIFIED: frozenset({S.AWAITING_SHIPMENT, S.CLOSED}),
    S.AWAITING_SHIPMENT: frozenset({S.AWAITING_CANCELLATION, S.AWAITING_DELIVERY, S.CLOSED}),
    S.AWAITING_CANCELLATION: frozenset({S.AWAITING_SHIPMENT, S.CLOSED}),
    S.AWAITING_DELIVERY: frozenset({S.COMPLETED, S.CLOSED}),
    S.COMPLETED: frozenset(),
    S.CLOSED: frozenset(),
}

# What each status means, in one line, above what the buyer can do about it.
STATUS_MEANINGS: dict[OrderStatus, str] = {
    S.AWAITING_PAYMENT: "The order is waiting for your payment.",
    S.PAYMENT_BEING_VERIFIED: "The marketplace is still checking your payment.",
    S.AWAITING_SHIPMENT: "Your payment is confirmed and the store is preparing the parcel.",
    S.AWAITING_DELIVERY: "The store has marked the order as shipped.",
    S.COMPLETED: "The order was delivered and is complete.",
    S.AWAITING_CANCELLATION: "You asked to cancel this order.",
    S.CLOSED: "This order was cancelled and is closed.",
}
# Where an order's life ends: nothing more happens to it, so nobody needs to write about it.
FINISHED = frozenset({S.COMPLETED, S.CLOSED})


def is_open(status: OrderStatus) -> bool:
    """Whether the order is still under way (the buyer may contact the seller about it)."""
    return status not in FINISHED


# The tabs of My Orders, each with the statuses it lists. An order whose payment is being
# verified is paid: nothing is left to pay, so it waits under To ship, as on the real
# marketplace where To pay holds only orders awaiting payment.
ORDER_TABS: dict[str, frozenset[OrderStatus]] = {
    "All": frozenset(OrderStatus),
    "To pay": frozenset({S.AWAITING_PAYMENT}),
    "To ship": frozenset({S.PAYMENT_BEING_VERIFIED, S.AWAITING_SHIPMENT, S.AWAITING_CANCELLATION}),
    "Shipped": frozenset({S.AWAITING_DELIVERY}),
    "Completed": frozenset({S.COMPLETED}),
    "Closed": frozenset({S.CLOSED}),
}


class IllegalTransition(ValueError):
    """Raised when an order is asked to move where the lifecycle does not allow."""


def check_move(current: OrderStatus, new: OrderStatus | None) -> OrderStatus:
    """Return ``new`` if the lifecycle allows ``current -> new``; raise otherwise."""
    if new is None or new not in ALLOWED_MOVES[current]:
        raise IllegalTransition(f"An order cannot go from {current} to {new}.")
    return new
