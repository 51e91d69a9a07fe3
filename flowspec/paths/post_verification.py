"""Cancelling after the payment was verified: the seller decides."""

from flowspec.pages import ContactSeller, Finances, OrderDetails, SellerConsole
from flowspec.paths._steps import (
    back_to_buyer,
    choose_cancel,
    contact_seller,
    find_order,
    open_my_orders,
    seller_opens_order,
    submit,
    view_details,
)
from flowspec.steps import AdvanceClock, Fill, Flow, Goto, HasText, NotVisible, Step

WAITING = "Awaiting cancellation"


def request_cancellation() -> tuple[Step, ...]:
    return (
        open_my_orders(),
        find_order("Awaiting shipment"),
        view_details(),
        *choose_cancel("Delivery would take too long"),
        submit(WAITING, "Send the request",
               "Press Submit. This sends a cancellation request to the seller; the order "
               "shows Awaiting cancellation until they answer."),
    )


REQUEST_WHEN = (
    "Your order says “Awaiting shipment”: the payment went through and the store has not "
    "sent the parcel yet. Cancel order is still there, but now it asks the seller."
)

ACCEPTED = Flow(
    id="post-verification",
    path="post-verification",
    title="Ask the seller to cancel (the seller accepts)",
    when=REQUEST_WHEN,
    next=(
        "Once the seller accepts, the order closes and the refund starts, as it would before "
        "verification. Follow it on the Finances tab."
    ),
    scenario="awaiting-shipment",
    steps=(
        *request_cancellation(),
        *seller_opens_order(),
        Step("seller-accepts", "The store accepts",
             "The store answers: it agrees and presses Accept cancellation.",
             "click", SellerConsole.accept, HasText(SellerConsole.status, "Closed")),
        *back_to_buyer("Closed"),
    ),
)

DECLINED = Flow(
    id="post-verification-declined",
    path="post-verification",
    title="Ask the seller to cancel (the seller declines)",
    when=REQUEST_WHEN,
    next=(
        "A declined request leaves the order as it was: Awaiting shipment, and it will be "
        "sent. You can message the seller, or return the item once it arrives."
    ),
    scenario="awaiting-shipment",
    steps=(
        *request_cancellation(),
        *seller_opens_order(),
        Step("seller-declines", "The store declines",
             "The store answers: it may refuse, for example because the parcel is being "
             "packed, and presses Decline cancellation.",
             "click", SellerConsole.decline, HasText(SellerConsole.status, "Awaiting shipment")),
        *back_to_buyer("Awaiting shipment"),
    ),
)

NO_ANSWER = Flow(
    id="post-verification-no-answer",
    path="post-verification",
    title="Ask the seller to cancel (no answer in time)",
    when=REQUEST_WHEN,
    next=(
        "A seller who lets the answer window run out is taken as agreeing: the order closes "
        "and the refund starts without anything more from you."
    ),
    scenario="awaiting-shipment",
    steps=(
        *request_cancellation(),
        Step("wait-for-seller", "Wait for the seller",
             "The order page shows Awaiting cancellation and until when the seller can "
             "answer.",
             "observe", OrderDetails.status, HasText(OrderDetails.status, WAITING)),
        Step("window-passes", "Two days pass without an answer",
             "Two days pass and the store never answers, so the request counts as accepted: "
             "the order is now Closed.",
             AdvanceClock(days=2), OrderDetails.status, HasText(OrderDetails.status, "Closed")),
        Step("refund-started", "The refund has started",
             "Open the Finances tab: the refund was requested when the answer time ran out.",
             "click", OrderDetails.finances, HasText(Finances.tracker, "Refund requested (done)")),
    ),
)

SHIPPED_WHEN = (
    "Your order says “Awaiting delivery”: the store has marked it shipped, so Cancel order is "
    "gone. Some stores mark orders shipped before the parcel really leaves, so it is worth "
    "asking."
)
ASK = (
    "Hello, please cancel this order: I ordered the wrong size by mistake. "
    "If it has not left yet, I would be grateful. Thank you!"
)


def message_the_seller() -> tuple[Step, ...]:
    return (
        open_my_orders(),
        find_order("Awaiting delivery"),
        view_details(),
        Step("no-cancel-button", "No Cancel order button",
             "The store marked the order shipped: it shows Awaiting delivery and there is no "
             "Cancel order button.",
             "observe", OrderDetails.status, NotVisible(OrderDetails.cancel_order)),
        *contact_seller(ASK),
        *seller_opens_order(),
    )


SELLER_CANCELS = Flow(
    id="shipped-seller-cancels",
    path="post-verification",
    title="Marked shipped: message the seller (the seller cancels)",
    when=SHIPPED_WHEN,
    next=(
        "If the parcel had not really left, the seller cancels the order: it closes and the "
        "refund starts, just as with any other cancellation."
    ),
    scenario="marked-shipped",
    steps=(
        *message_the_seller(),
        Step("seller-cancels", "The store cancels the order",
             "The store answers: the parcel had not left yet, so it presses Cancel order.",
             "click", SellerConsole.cancel_order, HasText(SellerConsole.status, "Closed")),
        *back_to_buyer("Closed"),
    ),
)

PARCEL_LEFT = (
    "Sorry, your parcel left our warehouse yesterday and is on its way. "
    "You can ask for a return when it arrives."
)

SELLER_REFUSES = Flow(
    id="shipped-parcel-left",
    path="post-verification",
    title="Marked shipped: message the seller (the parcel has left)",
    when=SHIPPED_WHEN,
    next=(
        "When the parcel really is on its way the order cannot be cancelled; it stays "
        "Awaiting delivery. Once it arrives you can ask for a return instead."
    ),
    scenario="marked-shipped",
    steps=(
        *message_the_seller(),
        Step("seller-writes", "The store answers",
             "The parcel has really been sent, so the store writes back in the Reply box "
             "instead of cancelling.",
             Fill(PARCEL_LEFT), SellerConsole.reply),
        Step("seller-replies", "The store sends its reply",
             "The store presses Send reply; the order stays Awaiting delivery.",
             "click", SellerConsole.send_reply,
             HasText(SellerConsole.status, "Awaiting delivery")),
        *back_to_buyer("Awaiting delivery"),
        Step("read-reply", "Read the answer",
             "Open the order's messages (Contact seller): the seller says the parcel has left.",
             Goto("/orders/{orders[0]}/messages"), ContactSeller.thread,
             HasText(ContactSeller.thread, "left our warehouse")),
    ),
)

FLOWS = [ACCEPTED, DECLINED, NO_ANSWER, SELLER_CANCELS, SELLER_REFUSES]
