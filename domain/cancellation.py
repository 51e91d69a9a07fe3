"""Who may cancel what, how, and what a cancellation does to money and coupons."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.coupons import CouponDecision, CouponKind, coupon_comes_back, is_expired
from domain.labelled import Labelled
from domain.statuses import OrderStatus
from domain.wording import SELLER_DECIDES


class Reason(Labelled):
    """The fixed list of reasons a cancellation gives: the stored code, the label shown."""

    CHANGED_MIND = "changed_mind", "I changed my mind"
    ORDERED_BY_MISTAKE = "ordered_by_mistake", "I ordered by mistake"
    WRONG_SIZE_OR_COLOUR = "wrong_size_or_colour", "Wrong size, colour or option"
    BETTER_PRICE = "better_price", "Found a better price"
    SHIPPING_TOO_SLOW = "shipping_too_slow", "Delivery would take too long"
    OTHER = "other", "Another reason"


REASONS: dict[Reason, str] = {reason: reason.label for reason in Reason}


class CancellationError(ValueError):
    """A cancellation the rules refuse; the message is shown to the user as it is."""


class CancelRoute(StrEnum):
    """The way a buyer can cancel an order in a given status."""

    IMMEDIATE = "immediate"
    SELLER_DECIDES = "seller_decides"
    MESSAGE_SELLER = "message_seller"
    REQUEST_PENDING = "request_pending"
    NOT_POSSIBLE = "not_possible"


ROUTES: dict[OrderStatus, CancelRoute] = {
    OrderStatus.AWAITING_PAYMENT: CancelRoute.IMMEDIATE,
    OrderStatus.PAYMENT_BEING_VERIFIED: CancelRoute.IMMEDIATE,
    OrderStatus.AWAITING_SHIPMENT: CancelRoute.SELLER_DECIDES,
    OrderStatus.AWAITING_CANCELLATION: CancelRoute.REQUEST_PENDING,
    OrderStatus.AWAITING_DELIVERY: CancelRoute.MESSAGE_SELLER,
    OrderStatus.COMPLETED: CancelRoute.NOT_POSSIBLE,
    OrderStatus.CLOSED: CancelRoute.NOT_POSSIBLE,
}

ROUTE_EXPLANATIONS: dict[CancelRoute, str] = {
    CancelRoute.IMMEDIATE: "The order is cancelled at once; no seller is involved.",
    CancelRoute.SELLER_DECIDES: SELLER_DECIDES,
    CancelRoute.MESSAGE_SELLER: (
        "Cancel order is gone once the store marks the order shipped. Message the seller:"
        " if the parcel has not really left, the seller can cancel the order."
    ),
    CancelRoute.REQUEST_PENDING: "A cancellation request is waiting for the seller's answer.",
    CancelRoute.NOT_POSSIBLE: "This order can no longer be cancelled.",
}


def cancel_route(status: OrderStatus | str) -> CancelRoute:
    return ROUTES[OrderStatus(status)]


def shows_cancel_button(status: OrderStatus | str) -> bool:
    """Whether order details offers "Cancel order" to the buyer."""
    return cancel_route(status) in (CancelRoute.IMMEDIATE, CancelRoute.SELLER_DECIDES)


def check_reason(code: str) -> str:
    """Return the reason's label, or refuse a reason that is not on the fixed list."""
    if code not in REASONS:
        raise CancellationError("Choose one of the listed reasons for cancelling.")
    return REASONS[Reason(code)]


#: The hours a seller has to answer a cancellation request, unless the storefront is told
#: otherwise; the recorded flows let exactly this time run out.
SELLER_RESPONSE_HOURS = 48


def days_to_lapse(window_hours: int) -> int:
    """The whole days after which a request left unanswered has lapsed."""
    return -(-window_hours // 24)


def response_deadline(requested_at: datetime, window_hours: int) -> datetime:
    return requested_at + timedelta(hours=window_hours)


def request_lapsed(requested_at: datetime, now: datetime, window_hours: int) -> bool:
    """A seller who has not answered by the deadline is taken as accepting."""
    return now >= response_deadline(requested_at, window_hours)


@dataclass(frozen=True)
class ItemLine:
    id: int
    paid_cents: int
    cancelled: bool = False


@dataclass(frozen=True)
class CouponUse:
    id: int
    kind: CouponKind
    item_ids: frozenset[int]
    expires_at: datetime
    returned: bool = False


@dataclass(frozen=True)
class CancellationOutcome:
    """What cancelling some items does: the refund, the coupons, whether the order closes."""

    item_ids: frozenset[int]
    refund_cents: int
    order_closed: bool
    coupon_decisions: dict[int, CouponDecision] = field(default_factory=dict)

    @property
    def returned_coupon_ids(self) -> set[int]:
        return {cid for cid, decision in self.coupon_decisions.items() if decision.returned}


def choose_items(items: Sequence[ItemLine], requested: Iterable[int] | None) -> frozenset[int]:
    """The items a cancellation covers: those asked for, or every item still open."""
    open_ids = {item.id for item in items if not item.cancelled}
    chosen = frozenset(open_ids if requested is None else requested)
    if not chosen:
        raise CancellationError("Choose at least one item to cancel.")
    unknown = chosen - {item.id for item in items}
    if unknown:
        raise CancellationError("Some of the chosen items are not in this order.")
    if chosen - open_ids:
        raise CancellationError("Some of the chosen items are already cancelled.")
    return chosen


def settle_cancellation(
    items: Sequence[ItemLine],
    coupons: Sequence[CouponUse],
    item_ids: frozenset[int],
    now: datetime,
) -> CancellationOutcome:
    """Work out the refund and the coupons for cancelling ``item_ids`` at ``now``.

    The refund is what was paid for those items. Every coupon this cancellation touches
    is decided anew: it comes back once all its items are cancelled, even over several
    partial cancellations (the buyer ends where a full cancellation would leave them),
    and a coupon already returned is never returned again.
    """
    by_id = {item.id: item for item in items}
    refund = sum(by_id[i].paid_cents for i in item_ids)
    cancelled_after = {item.id for item in items if item.cancelled} | set(item_ids)
    decisions = {}
    for coupon in coupons:
        if coupon.returned or not (coupon.item_ids & item_ids):
            continue
        decisions[coupon.id] = coupon_comes_back(
            coupon.kind,
            every_item_cancelled=coupon.item_ids <= cancelled_after,
            expired=is_expired(coupon.expires_at, now),
        )
    return CancellationOutcome(
        item_ids=item_ids,
        refund_cents=refund,
        order_closed=cancelled_after >= set(by_id),
        coupon_decisions=decisions,
    )

