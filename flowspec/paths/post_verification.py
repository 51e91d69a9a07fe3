"""Cancelling after the payment was verified: the seller decides."""

from domain import wording
from domain.cancellation import SELLER_RESPONSE_HOURS, days_to_lapse
from domain.paths import PathId
from domain.scenarios import ScenarioName
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
# The recorded storefront keeps the rule's own time limit; these whole days let it run out.
LAPSE_DAYS = days_to_lapse(SELLER_RESPONSE_HOURS)
WINDOW_PASSES = wording.flow_window_passes(LAPSE_DAYS)


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
    path=PathId.POST_VERIFICATION,
    title="Ask the seller to cancel (the seller accepts)",
    when=REQUEST_WHEN,
    next=(
        "Once the seller accepts, the order closes and the refund starts, as it would before "
        "verification. Follow it on the Finances tab."
    ),
    scenario=ScenarioName.AWAITING_SHIPMENT,
    steps=(
        *request_cancellation(),
        *seller_opens_order(),
        Step(id="seller-accepts", title="The store accepts",
             instruction="The store answers: it agrees and presses Accept cancellation.",
             action="click", target=SellerConsole.accept, expect=HasText(target=SellerConsole.status, text="Closed")),
        *back_to_buyer("Closed"),
    ),
)

DECLINED = Flow(
    id="post-verification-declined",
    path=PathId.POST_VERIFICATION,
    title="Ask the seller to cancel (the seller declines)",
    when=REQUEST_WHEN,
    next=(
        "A declined request leaves the order as it was: Awaiting shipment, and it will be "
        "sent. You can message the seller, or return the item once it arrives."
    ),
    scenario=ScenarioName.AWAITING_SHIPMENT,
    steps=(
        *request_cancellation(),
        *seller_opens_order(),
        Step(id="seller-declines", title="The store declines",
             instruction="The store answers: it may refuse, for example because the parcel is being "
             "packed, and presses Decline cancellation.",
             action="click", target=SellerConsole.decline, expect=HasText(target=SellerConsole.status, text="Awaiting shipment")),
        *back_to_buyer("Awaiting shipment"),
    ),
)

NO_ANSWER = Flow(
    id="post-verification-no-answer",
    path=PathId.POST_VERIFICATION,
    title="Ask the seller to cancel (no answer in time)",
    when=REQUEST_WHEN,
    next=wording.FLOW_NO_ANSWER_NEXT,
    scenario=ScenarioName.AWAITING_SHIPMENT,
    steps=(
        *request_cancellation(),
        Step(id="wait-for-seller", title="Wait for the seller",
             instruction="The order page shows Awaiting cancellation and until when the seller can "
             "answer.",
             action="observe", target=OrderDetails.status, expect=HasText(target=OrderDetails.status, text=WAITING)),
        Step(id="window-passes", title=WINDOW_PASSES[0], instruction=WINDOW_PASSES[1],
             action=AdvanceClock(days=LAPSE_DAYS), target=OrderDetails.status, expect=HasText(target=OrderDetails.status, text="Closed")),
        Step(id="refund-started", title="The refund has started",
             instruction=wording.FLOW_REFUND_AT_LAPSE,
             action="click", target=OrderDetails.finances, expect=HasText(target=Finances.tracker, text=wording.stage_as_read(0, True))),
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
        Step(id="no-cancel-button", title="No Cancel order button",
             instruction="The store marked the order shipped: it shows Awaiting delivery and there is no "
             "Cancel order button.",
             action="observe", target=OrderDetails.status, expect=NotVisible(target=OrderDetails.cancel_order)),
        *contact_seller(ASK),
        *seller_opens_order(),
    )


SELLER_CANCELS = Flow(
    id="shipped-seller-cancels",
    path=PathId.POST_VERIFICATION,
    title="Marked shipped: message the seller (the seller cancels)",
    when=SHIPPED_WHEN,
    next=(
        "If the parcel had not really left, the seller cancels the order: it closes and the "
        "refund starts, just as with any other cancellation."
    ),
    scenario=ScenarioName.MARKED_SHIPPED,
    steps=(
        *message_the_seller(),
        Step(id="seller-cancels", title="The store cancels the order",
             instruction="The store answers: the parcel had not left yet, so it presses Cancel order.",
             action="click", target=SellerConsole.cancel_order, expect=HasText(target=SellerConsole.status, text="Closed")),
        *back_to_buyer("Closed"),
    ),
)

PARCEL_LEFT = (
    "Sorry, your parcel left our warehouse yesterday and is on its way. "
    "You can ask for a return when it arrives."
)

SELLER_REFUSES = Flow(
    id="shipped-parcel-left",
    path=PathId.POST_VERIFICATION,
    title="Marked shipped: message the seller (the parcel has left)",
    when=SHIPPED_WHEN,
    next=(
        "When the parcel really is on its way the order cannot be cancelled; it stays "
        "Awaiting delivery. Once it arrives you can ask for a return instead."
    ),
    scenario=ScenarioName.MARKED_SHIPPED,
    steps=(
        *message_the_seller(),
        Step(id="seller-writes", title="The store answers",
             instruction="The parcel has really been sent, so the store writes back in the Reply box "
             "instead of cancelling.",
             action=Fill(value=PARCEL_LEFT), target=SellerConsole.reply),
        Step(id="seller-replies", title="The store sends its reply",
             instruction="The store presses Send reply; the order stays Awaiting delivery.",
             action="click", target=SellerConsole.send_reply,
             expect=HasText(target=SellerConsole.status, text="Awaiting delivery")),
        *back_to_buyer("Awaiting delivery"),
        Step(id="read-reply", title="Read the answer",
             instruction="Open the order's messages (Contact seller): the seller says the parcel has left.",
             action=Goto(path="/orders/{orders[0]}/messages"), target=ContactSeller.thread,
             expect=HasText(target=ContactSeller.thread, text="left our warehouse")),
    ),
)

FLOWS = [ACCEPTED, DECLINED, NO_ANSWER, SELLER_CANCELS, SELLER_REFUSES]
