"""Which path fits a shopper's order, and what will happen: the "Which path is mine?" logic.

A plain function over plain values so every case can be tested in a table. It only
decides which part of the guide to show; every fact it returns (the route, who
decides, the refund time, whether a coupon comes back) is asked of ``domain``.
"""

from dataclasses import dataclass, replace

from domain.cancellation import (
    ROUTE_EXPLANATIONS,
    CancelRoute,
    cancel_route,
    shows_cancel_button,
)
from domain.coupons import CouponDecision, CouponKind, coupon_comes_back
from domain.paths import PathId
from domain.payments import PaymentMethod, RefundWindow, refund_window
from domain.scenarios import ScenarioName
from domain.statuses import OrderStatus
from domain.wording import GUIDE_FOLLOW_REFUND, GUIDE_REFUND_AFTER_REQUEST


@dataclass(frozen=True)
class Situation:
    """What a shopper can read off their order page (or tell a support agent)."""

    status: OrderStatus
    #: How the order was paid; None when the shopper has not said.
    payment: PaymentMethod | None = None
    #: Whether order details shows a "Cancel order" button; None when they cannot tell.
    cancel_button: bool | None = None
    coupons: frozenset[CouponKind] = frozenset()
    #: Whether the cancellation covers every item the coupons were used on (None: not said).
    every_covered_item_cancelled: bool | None = True
    #: Whether the store coupon is past its expiry date (None: not said).
    store_coupon_expired: bool | None = False


@dataclass(frozen=True)
class CouponOutcome:
    kind: CouponKind
    decision: CouponDecision


@dataclass(frozen=True)
class Advice:
    """The path to follow and the outcome to expect."""

    route: CancelRoute
    path: PathId | None
    headline: str
    explanation: str
    decided_by: str
    #: The recorded variant closest to the situation, if any.
    scenario: ScenarioName | None
    also: tuple[PathId, ...]
    coupon_scenario: ScenarioName | None
    #: Whether money comes back if the cancellation goes through.
    refund_expected: bool
    #: The refund time for the payment method (None if no refund or method unknown).
    refund: RefundWindow | None
    refund_note: str
    coupons: tuple[CouponOutcome, ...]
    warnings: tuple[str, ...]
    #: What the shopper can still do when there is nothing (left) to cancel.
    next_steps: tuple[str, ...] = ()


# How each route maps onto the guide: (path, headline, who decides, closest scenario).
_ROUTE_GUIDE: dict[CancelRoute, tuple[PathId | None, str, str, ScenarioName | None]] = {
    CancelRoute.IMMEDIATE: (
        PathId.PRE_VERIFICATION, "Cancelled at once",
        "You do: the order closes as soon as you confirm.", ScenarioName.PAYMENT_BEING_VERIFIED,
    ),
    CancelRoute.SELLER_DECIDES: (
        PathId.POST_VERIFICATION, "The seller decides",
        "The seller accepts or declines your request.", ScenarioName.AWAITING_SHIPMENT,
    ),
    CancelRoute.REQUEST_PENDING: (
        PathId.POST_VERIFICATION, "Waiting for the seller",
        "The seller, who has not answered yet.", ScenarioName.AWAITING_SHIPMENT,
    ),
    CancelRoute.MESSAGE_SELLER: (
        PathId.POST_VERIFICATION, "Ask the seller by message",
        "The seller, after reading your message.", ScenarioName.MARKED_SHIPPED,
    ),
    CancelRoute.NOT_POSSIBLE: (
        None, "It can no longer be cancelled", "Nobody: the order is past cancelling.", None,
    ),
}

_REFUND_NOTES: dict[CancelRoute, str] = {
    CancelRoute.IMMEDIATE: "The refund starts the moment the order closes.",
    CancelRoute.SELLER_DECIDES: GUIDE_REFUND_AFTER_REQUEST,
    CancelRoute.REQUEST_PENDING: GUIDE_REFUND_AFTER_REQUEST,
    CancelRoute.MESSAGE_SELLER: "The refund starts only if the seller cancels the order.",
}


CLOSED_EXPLANATION = (
    "This order is already cancelled, so there is nothing left to cancel. What you can still"
    " do is follow its refund and check your coupons."
)
CLOSED_NEXT_STEPS = (
    GUIDE_FOLLOW_REFUND,
    "Check your coupons: open **Coupons** at the top of the page to see whether a coupon"
    " you used came back.",
)
COMPLETED_EXPLANATION = (
    "A completed order has been delivered, so it can no longer be cancelled and no refund"
    " starts by itself."
)
COMPLETED_NEXT_STEPS = (
    "Write to the seller from the order's page (**Contact seller**): explain what is wrong"
    " and ask what they can do.",
    "Or use the marketplace's return process for the item, if it offers one for your order.",
    "This guide does not cover returns or disputes; it is about cancelling before delivery.",
)


def advise(situation: Situation) -> Advice:
    """Turn what the shopper sees into the path to follow and the expected outcome."""
    status = OrderStatus(situation.status)
    route = cancel_route(status)
    path, headline, decided_by, scenario = _ROUTE_GUIDE[route]
    explanation = ROUTE_EXPLANATIONS[route]
    next_steps: tuple[str, ...] = ()
    if status is OrderStatus.CLOSED:
        path, headline = PathId.REFUND, "Already cancelled"
        scenario = ScenarioName.REFUND_METHODS
        decided_by = "Nobody any more: the order was cancelled."
        explanation, next_steps = CLOSED_EXPLANATION, CLOSED_NEXT_STEPS
        # A Closed order is cancelled as a whole: every item a coupon covered is cancelled.
        situation = replace(situation, every_covered_item_cancelled=True)
    if status is OrderStatus.COMPLETED:
        explanation, next_steps = COMPLETED_EXPLANATION, COMPLETED_NEXT_STEPS
    refund_expected, refund_note = _refund(status, route)
    refund = refund_window(situation.payment) if refund_expected and situation.payment else None
    coupon_outcomes = () if status is OrderStatus.COMPLETED else _coupons(situation)
    also: list[PathId] = []
    if refund_expected and path != PathId.REFUND:
        also.append(PathId.REFUND)
    if coupon_outcomes:
        also.append(PathId.COUPON)
    return Advice(
        route=route, path=path, headline=headline, explanation=explanation,
        decided_by=decided_by, scenario=scenario, also=tuple(also),
        coupon_scenario=_coupon_scenario(situation) if coupon_outcomes else None,
        refund_expected=refund_expected,
        refund=refund,
        refund_note=refund_note,
        coupons=coupon_outcomes,
        warnings=_button_warnings(status, situation.cancel_button),
        next_steps=next_steps,
    )


def _refund(status: OrderStatus, route: CancelRoute) -> tuple[bool, str]:
    """Whether a refund follows, and when it starts."""
    if status is OrderStatus.AWAITING_PAYMENT:
        return False, "Nothing has been paid yet, so there is nothing to refund."
    if status is OrderStatus.COMPLETED:
        return False, "A completed order is not cancelled, so no refund is started."
    if status is OrderStatus.CLOSED:
        return True, "The refund is already on its way."
    return True, _REFUND_NOTES[route]


def _coupons(situation: Situation) -> tuple[CouponOutcome, ...]:
    outcomes = []
    for kind in (CouponKind.PLATFORM, CouponKind.STORE):
        every, expired = situation.every_covered_item_cancelled, situation.store_coupon_expired
        if kind is CouponKind.PLATFORM:
            expired = False  # the rule does not ask: expired or not, a platform coupon comes back
        if kind not in situation.coupons or every is None or (every and expired is None):
            continue  # not answered yet: no verdict rather than a guess
        decision = coupon_comes_back(kind, every_item_cancelled=every, expired=bool(expired))
        outcomes.append(CouponOutcome(kind, decision))
    return tuple(outcomes)


def _coupon_scenario(situation: Situation) -> ScenarioName:
    """The recorded coupon variant that looks most like this order."""
    if CouponKind.STORE in situation.coupons:
        if situation.store_coupon_expired and situation.every_covered_item_cancelled:
            return ScenarioName.STORE_COUPON_EXPIRED
        if situation.every_covered_item_cancelled is False:
            return ScenarioName.STORE_COUPON
    return ScenarioName.PLATFORM_COUPON


def _button_warnings(status: OrderStatus, seen: bool | None) -> tuple[str, ...]:
    if seen is None:
        return ()
    expected = shows_cancel_button(status)
    if seen and not expected:
        return (
            f"An order showing **{status}** should not offer **Cancel order**. Reload the"
            " page: the status has probably just changed, and the path above may no longer"
            " fit.",
        )
    if not seen and expected:
        return (
            f"An order showing **{status}** normally offers **Cancel order** on its details"
            " page (open **View details** from My Orders). If it is really missing, reload"
            " the page: the status may have just changed.",
        )
    return ()
