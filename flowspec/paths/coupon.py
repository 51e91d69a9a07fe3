"""What becomes of coupons: a marketplace coupon returned, store coupons kept."""

from domain import wording
from domain.paths import PathId
from domain.scenarios import ScenarioName
from flowspec.pages import CancelForm, Finances, OrderDetails
from flowspec.paths._steps import open_wallet, start_cancelling, submit
from flowspec.steps import Flow, Step, Uncheck, Visible, by_role

ITEMS = by_role("group", "Items to cancel")


def refund_shown(amount: str) -> Step:
    return Step(
        id="refund-amount", title="See what comes back",
        instruction=f"Open the Finances tab: the refund is {amount}, what you actually paid for the "
        "cancelled items after the coupon's discount.",
        action="click", target=OrderDetails.finances,
        expect=(Visible(target=by_role("heading", f"Refund of {amount}")), Visible(target=Finances.tracker)),
    )


PLATFORM_RETURNED = Flow(
    id="coupon-platform-returned",
    path=PathId.COUPON,
    title="A marketplace coupon comes back",
    when=(
        "You used a marketplace coupon (one issued by the marketplace itself, not by a store) "
        "and you cancel every item it was used on."
    ),
    next=wording.FLOW_PLATFORM_RETURNED_NEXT,
    scenario=ScenarioName.PLATFORM_COUPON,
    steps=(
        *start_cancelling("Payment being verified", "I changed my mind"),
        Step(id="keep-all-items", title="Keep every item ticked",
             instruction=wording.FLOW_KEEP_ALL_ITEMS,
             action="observe", target=ITEMS, expect=Visible(target=CancelForm.item("Matte phone case"))),
        submit("Closed", "Submit", "Press Submit. The whole order closes at once."),
        refund_shown("US $33.69"),
        *open_wallet("MKT-SPRING-5", "Returned",
                     wording.FLOW_WALLET_RETURNED),
    ),
)

STORE_PARTIAL = Flow(
    id="coupon-store-partial",
    path=PathId.COUPON,
    title="A store coupon after cancelling only some items",
    when=(
        "You used a store coupon on several items and want to cancel only some of them."
    ),
    next=wording.FLOW_STORE_PARTIAL_NEXT,
    scenario=ScenarioName.STORE_COUPON,
    steps=(
        *start_cancelling("Payment being verified", "Wrong size, colour or option"),
        Step(id="untick-spatulas", title="Untick what you keep",
             instruction="Under Items to cancel, untick the items you still want: first the "
             "Silicone spatula set, 3 pieces…",
             action=Uncheck(), target=CancelForm.item("Silicone spatula set, 3 pieces")),
        Step(id="untick-socks", title="…and the socks",
             instruction="…then the Cotton crew socks, 5 pairs. Only the desk lamp stays ticked.",
             action=Uncheck(), target=CancelForm.item("Cotton crew socks, 5 pairs")),
        submit("Payment being verified", "Submit",
               "Press Submit. The lamp is cancelled at once; the rest of the order goes on."),
        refund_shown("US $27.44"),
        *open_wallet("BRIGHT-6OFF", "Used",
                     wording.FLOW_WALLET_PARTIAL),
    ),
)

STORE_EXPIRED = Flow(
    id="coupon-store-expired",
    path=PathId.COUPON,
    title="An expired store coupon",
    when=(
        "You used a store coupon and cancel the whole order, but the coupon's expiry date has "
        "already passed."
    ),
    next=wording.FLOW_STORE_EXPIRED_NEXT,
    scenario=ScenarioName.STORE_COUPON_EXPIRED,
    steps=(
        *start_cancelling("Payment being verified", "I changed my mind"),
        submit("Closed", "Submit", "Press Submit. The order closes at once."),
        refund_shown("US $39.50"),
        *open_wallet("BRIGHT-4OFF", "Expired",
                     wording.FLOW_WALLET_EXPIRED),
    ),
)

FLOWS = [PLATFORM_RETURNED, STORE_PARTIAL, STORE_EXPIRED]
