"""What becomes of coupons: a marketplace coupon returned, store coupons kept."""

from flowspec.pages import CancelForm, Finances, OrderDetails
from flowspec.paths._steps import (
    choose_cancel,
    find_order,
    open_my_orders,
    open_wallet,
    submit,
    view_details,
)
from flowspec.steps import Flow, Step, Uncheck, Visible, by_role

ITEMS = by_role("group", "Items to cancel")


def refund_shown(amount: str) -> Step:
    return Step(
        "refund-amount", "See what comes back",
        f"Open the Finances tab: the refund is {amount}, what you actually paid for the "
        "cancelled items after the coupon's discount.",
        "click", OrderDetails.finances,
        (Visible(by_role("heading", f"Refund of {amount}")), Visible(Finances.tracker)),
    )


PLATFORM_RETURNED = Flow(
    id="coupon-platform-returned",
    path="coupon",
    title="A marketplace coupon comes back",
    when=(
        "You used a marketplace coupon (one issued by the marketplace itself, not by a store) "
        "and you cancel every item it was used on."
    ),
    next=(
        "The coupon goes back into your wallet, ready to use again until it expires. The "
        "refund is what you paid, that is the prices less the coupon's discount."
    ),
    scenario="platform-coupon",
    steps=(
        open_my_orders(),
        find_order("Payment being verified"),
        view_details(),
        *choose_cancel("I changed my mind"),
        Step("keep-all-items", "Keep every item ticked",
             "Leave all the items ticked: the coupon only comes back if everything bought "
             "with it is cancelled.",
             "observe", ITEMS, Visible(CancelForm.item("Matte phone case"))),
        submit("Closed", "Submit", "Press Submit. The whole order closes at once."),
        refund_shown("US $33.69"),
        *open_wallet("MKT-SPRING-5", "Returned",
                     "Every item bought with it was cancelled, so it is back in your wallet."),
    ),
)

STORE_PARTIAL = Flow(
    id="coupon-store-partial",
    path="coupon",
    title="A store coupon after cancelling only some items",
    when=(
        "You used a store coupon on several items and want to cancel only some of them."
    ),
    next=(
        "The store coupon stays used: it would only come back if every item bought with it "
        "were cancelled. The refund is each cancelled item's price less its share of the "
        "discount."
    ),
    scenario="store-coupon",
    steps=(
        open_my_orders(),
        find_order("Payment being verified"),
        view_details(),
        *choose_cancel("Wrong size, colour or option"),
        Step("untick-spatulas", "Untick what you keep",
             "Under Items to cancel, untick the items you still want: first the "
             "Silicone spatula set, 3 pieces…",
             Uncheck(), CancelForm.item("Silicone spatula set, 3 pieces")),
        Step("untick-socks", "…and the socks",
             "…then the Cotton crew socks, 5 pairs. Only the desk lamp stays ticked.",
             Uncheck(), CancelForm.item("Cotton crew socks, 5 pairs")),
        submit("Payment being verified", "Submit",
               "Press Submit. The lamp is cancelled at once; the rest of the order goes on."),
        refund_shown("US $27.44"),
        *open_wallet("BRIGHT-6OFF", "Used",
                     "Only some of its items were cancelled, so it does not come back."),
    ),
)

STORE_EXPIRED = Flow(
    id="coupon-store-expired",
    path="coupon",
    title="An expired store coupon",
    when=(
        "You used a store coupon and cancel the whole order, but the coupon's expiry date has "
        "already passed."
    ),
    next=(
        "An expired store coupon is not returned, even when the whole order is cancelled. "
        "You still get back everything you paid."
    ),
    scenario="store-coupon-expired",
    steps=(
        open_my_orders(),
        find_order("Payment being verified"),
        view_details(),
        *choose_cancel("I changed my mind"),
        submit("Closed", "Submit", "Press Submit. The order closes at once."),
        refund_shown("US $39.50"),
        *open_wallet("BRIGHT-4OFF", "Expired",
                     "It is not returned even though the whole order was cancelled."),
    ),
)

FLOWS = [PLATFORM_RETURNED, STORE_PARTIAL, STORE_EXPIRED]
