"""Practice checkpoints as data: what must be true of a scenario's state after each step.

A trainee works on a fresh copy of a scenario in the real storefront; "Check my
progress" reads ``GET /api/scenarios/{token}`` and ticks off every checkpoint whose
condition holds. Conditions look at one order's state (the JSON shape in
docs/architecture.md). Order numbers and coupon codes come from the scenario
definitions, so nothing here repeats them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from domain.coupons import WalletStatus
from domain.scenarios import SCENARIOS
from domain.statuses import OrderStatus
from guide.paths import COUPON, POST, PRE, REFUND

# --- conditions on one order -----------------------------------------------------------------


@dataclass(frozen=True)
class StatusIs:
    status: OrderStatus

    def met(self, order: dict) -> bool:
        return order.get("status") == self.status


@dataclass(frozen=True)
class CancellationSent:
    """The buyer (or the seller) started a cancellation; ``outcomes`` narrows it down."""

    outcomes: tuple[str, ...] = ()

    def met(self, order: dict) -> bool:
        cancellation = order.get("cancellation")
        if not cancellation:
            return False
        return not self.outcomes or cancellation.get("status") in self.outcomes


@dataclass(frozen=True)
class RefundStages:
    """A refund exists and has reached at least ``stages`` of the tracker's three dots."""

    stages: int = 1

    def met(self, order: dict) -> bool:
        return any(r.get("stages_reached", 0) >= self.stages for r in order.get("refunds") or [])


@dataclass(frozen=True)
class RefundMatchesCancelledItems:
    """The refunds add up to exactly what was paid for the cancelled items."""

    def met(self, order: dict) -> bool:
        refunds = order.get("refunds") or []
        cancelled = [i for i in order.get("items") or [] if i.get("cancelled")]
        if not refunds or not cancelled or any("paid_cents" not in i for i in cancelled):
            return False
        return sum(r.get("amount_cents", 0) for r in refunds) == sum(
            i["paid_cents"] for i in cancelled
        )


@dataclass(frozen=True)
class MessageFrom:
    sender: str  # "buyer" or "seller"

    def met(self, order: dict) -> bool:
        return any(m.get("sender") == self.sender for m in order.get("messages") or [])


@dataclass(frozen=True)
class ItemsCancelled:
    """``every``: all items cancelled; otherwise some but not all."""

    every: bool

    def met(self, order: dict) -> bool:
        flags = [bool(i.get("cancelled")) for i in order.get("items") or []]
        if not flags:
            return False
        return all(flags) if self.every else any(flags) and not all(flags)


@dataclass(frozen=True)
class CouponReturned:
    code: str
    returned: bool = True

    def met(self, order: dict) -> bool:
        for coupon in order.get("coupons") or []:
            if coupon.get("code") == self.code:
                return (coupon.get("wallet_status") == WalletStatus.RETURNED) == self.returned
        return False


@dataclass(frozen=True)
class AllOf:
    conditions: tuple

    def met(self, order: dict) -> bool:
        return all(c.met(order) for c in self.conditions)


# --- exercises -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    title: str
    hint: str
    condition: object  # anything with met(order) -> bool


@dataclass(frozen=True)
class Exercise:
    scenario: str
    path: str
    checkpoints: tuple[Checkpoint, ...]
    #: The order to watch; None means any order of the scenario may meet a checkpoint.
    order: str | None
    #: Extra controls the page offers: "seller" (answer as the seller), "clock".
    helpers: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return SCENARIOS[self.scenario].title

    @property
    def description(self) -> str:
        return SCENARIOS[self.scenario].description


def _first_order(scenario: str) -> str:
    return SCENARIOS[scenario].orders[0].number


def _first_coupon(scenario: str) -> str:
    return SCENARIOS[scenario].orders[0].coupons[0].code


CLOSED = StatusIs(OrderStatus.CLOSED)
REFUND_STARTED = Checkpoint(
    "The refund has started",
    "Open the order's **Finances** tab: the first dot of the tracker should be orange.",
    RefundStages(1),
)

EXERCISES: dict[str, Exercise] = {
    exercise.scenario: exercise
    for exercise in [
        Exercise(
            "payment-being-verified",
            PRE,
            (
                Checkpoint(
                    "Ask to cancel, with a reason",
                    "In **My Orders**, open **View details** on the order whose payment is"
                    " being verified, press **Cancel order**, pick a reason and send it.",
                    CancellationSent(),
                ),
                Checkpoint(
                    "The order is closed",
                    "Reload the order: it should say Closed straight away.",
                    CLOSED,
                ),
                REFUND_STARTED,
            ),
            _first_order("payment-being-verified"),
        ),
        Exercise(
            "awaiting-shipment",
            POST,
            (
                Checkpoint(
                    "Send a cancellation request",
                    "Open the order awaiting shipment, press **Cancel order**, pick a reason"
                    " and send the request. The order should then wait for the seller.",
                    CancellationSent(),
                ),
                Checkpoint(
                    "The seller has answered",
                    "Play the seller with the buttons below, or let the answer time run out"
                    " with the clock.",
                    CancellationSent(("accepted", "declined", "lapsed")),
                ),
                Checkpoint(
                    "The order is closed",
                    "If the seller declined, the order went back to awaiting shipment: send"
                    " a new request and have the seller accept it.",
                    CLOSED,
                ),
                REFUND_STARTED,
            ),
            _first_order("awaiting-shipment"),
            ("seller", "clock"),
        ),
        Exercise(
            "marked-shipped",
            POST,
            (
                Checkpoint(
                    "Write to the seller",
                    "**Cancel order** is not offered on this order. Open the order's"
                    " messages and tell the seller why you want to cancel.",
                    MessageFrom("buyer"),
                ),
                Checkpoint(
                    "The seller cancels the order",
                    "Play the seller with the buttons below: cancel the order for the buyer.",
                    CLOSED,
                ),
                REFUND_STARTED,
            ),
            _first_order("marked-shipped"),
            ("seller",),
        ),
        Exercise(
            "refund-methods",
            REFUND,
            (
                Checkpoint(
                    "Cancel one of the orders",
                    "Pick any of the three orders being verified and cancel it with a reason.",
                    CLOSED,
                ),
                REFUND_STARTED,
                Checkpoint(
                    "Processed by the marketplace",
                    "Let a day pass with the clock buttons below, then look at the"
                    " **Finances** tab again: the second dot turns orange.",
                    RefundStages(2),
                ),
                Checkpoint(
                    "Paid back to the payment method",
                    "Let more days pass: the last dot turns orange at the end of the payment"
                    " method's refund time.",
                    RefundStages(3),
                ),
            ),
            None,
            ("clock",),
        ),
        Exercise(
            "platform-coupon",
            COUPON,
            (
                Checkpoint(
                    "Cancel every item of the order",
                    "Cancel the whole order that was bought with the marketplace coupon.",
                    ItemsCancelled(every=True),
                ),
                Checkpoint(
                    "The coupon is back in the wallet",
                    "Open **Coupons**: the marketplace coupon should be marked Returned.",
                    CouponReturned(_first_coupon("platform-coupon")),
                ),
            ),
            _first_order("platform-coupon"),
        ),
        Exercise(
            "store-coupon",
            COUPON,
            (
                Checkpoint(
                    "Cancel only one item",
                    "On the cancel form, tick just one of the three items before sending.",
                    ItemsCancelled(every=False),
                ),
                Checkpoint(
                    "The store coupon stays used",
                    "Open **Coupons**: the store coupon is not returned after a partial"
                    " cancellation.",
                    AllOf((
                        ItemsCancelled(every=False),
                        CouponReturned(_first_coupon("store-coupon"), returned=False),
                    )),
                ),
                Checkpoint(
                    "The refund is what that item really cost",
                    "Open the **Finances** tab: the amount is the item's price less its share"
                    " of the coupon.",
                    RefundMatchesCancelledItems(),
                ),
            ),
            _first_order("store-coupon"),
        ),
        Exercise(
            "store-coupon-expired",
            COUPON,
            (
                Checkpoint(
                    "Cancel the whole order",
                    "Cancel the order bought with the store coupon that has run out.",
                    CLOSED,
                ),
                Checkpoint(
                    "The expired coupon does not come back",
                    "Open **Coupons**: an expired store coupon is not returned, even after a"
                    " full cancellation.",
                    AllOf((
                        CLOSED,
                        CouponReturned(_first_coupon("store-coupon-expired"), returned=False),
                    )),
                ),
                REFUND_STARTED,
            ),
            _first_order("store-coupon-expired"),
        ),
    ]
}

def _variant(scenario: str, checkpoints: tuple[Checkpoint, ...]) -> Exercise:
    """The scenario's exercise with other checkpoints (a flow that ends differently)."""
    base = EXERCISES[scenario]
    return Exercise(scenario, base.path, checkpoints, base.order, base.helpers)


REQUEST_SENT = EXERCISES["awaiting-shipment"].checkpoints[0]
MESSAGE_SENT = EXERCISES["marked-shipped"].checkpoints[0]

#: Exercises for the recorded flows (by flow id) that end differently from their scenario's
#: usual exercise; every other flow uses the exercise of its scenario.
FLOW_EXERCISES: dict[str, Exercise] = {
    "post-verification-declined": _variant(
        "awaiting-shipment",
        (
            REQUEST_SENT,
            Checkpoint(
                "The seller declines",
                "Play the seller with the buttons below and decline the request.",
                CancellationSent(("declined",)),
            ),
            Checkpoint(
                "The order carries on",
                "Reload the order: it is back to awaiting shipment and nothing is refunded.",
                AllOf((CancellationSent(("declined",)), StatusIs(OrderStatus.AWAITING_SHIPMENT))),
            ),
        ),
    ),
    "post-verification-no-answer": _variant(
        "awaiting-shipment",
        (
            REQUEST_SENT,
            Checkpoint(
                "The answer time runs out",
                "Do not answer as the seller: move the clock on by two days instead.",
                CancellationSent(("lapsed",)),
            ),
            Checkpoint("The order is closed", "Reload the order: it now says Closed.", CLOSED),
            REFUND_STARTED,
        ),
    ),
    "shipped-parcel-left": _variant(
        "marked-shipped",
        (
            MESSAGE_SENT,
            Checkpoint(
                "The seller replies that the parcel has left",
                "Play the seller with the buttons below: send the reply.",
                MessageFrom("seller"),
            ),
            Checkpoint(
                "The order is not cancelled",
                "Read the reply in the order's messages: the order stays on its way.",
                AllOf((MessageFrom("seller"), StatusIs(OrderStatus.AWAITING_DELIVERY))),
            ),
        ),
    ),
}


def exercise_for(flow_id: str | None, scenario: str | None) -> Exercise | None:
    if flow_id and flow_id in FLOW_EXERCISES:
        return FLOW_EXERCISES[flow_id]
    return EXERCISES.get(scenario or "")


def evaluate(exercise: Exercise, state: dict, reached: Sequence[bool] = ()) -> list[bool]:
    """Which checkpoints are done; one reached before stays done (``reached``)."""
    orders = [o for o in state.get("orders") or [] if isinstance(o, dict)]
    if exercise.order is not None:
        orders = [o for o in orders if o.get("number") == exercise.order]
    done = []
    for index, checkpoint in enumerate(exercise.checkpoints):
        before = index < len(reached) and reached[index]
        done.append(before or any(checkpoint.condition.met(o) for o in orders))
    return done


def next_hint(exercise: Exercise, done: Sequence[bool]) -> Checkpoint | None:
    """The first checkpoint not done yet, whose hint the page shows."""
    return next((c for c, d in zip(exercise.checkpoints, done, strict=False) if not d), None)
