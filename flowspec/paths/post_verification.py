"""Cancelling after the payment was verified: the seller decides."""

from dataclasses import dataclass

from domain import wording
from domain.cancellation import SELLER_RESPONSE_HOURS, days_to_lapse
from domain.paths import PathId
from domain.scenarios import ScenarioName
from flowspec.pages import ContactSeller, OrderDetails, SellerConsole
from flowspec.paths._steps import (
    contact_seller,
    open_finances,
    open_order,
    seller_answers,
    seller_opens_order,
    start_cancelling,
    submit,
)
from flowspec.steps import AdvanceClock, Fill, Flow, Goto, HasText, NotVisible, Step

WAITING = "Awaiting cancellation"
# The recorded storefront keeps the rule's own time limit; these whole days let it run out.
LAPSE_DAYS = days_to_lapse(SELLER_RESPONSE_HOURS)
WINDOW_PASSES = wording.flow_window_passes(LAPSE_DAYS)


def request_cancellation() -> tuple[Step, ...]:
    return (
        *start_cancelling("Awaiting shipment", "Delivery would take too long"),
        submit(WAITING, "Send the request",
               "Press Submit. This sends a cancellation request to the seller; the order "
               "shows Awaiting cancellation until they answer."),
    )


REQUEST_WHEN = (
    "Your order says “Awaiting shipment”: the payment went through and the store has not "
    "sent the parcel yet. Cancel order is still there, but now it asks the seller."
)


@dataclass(frozen=True)
class Situation:
    """Where the flows of one situation start: the order's state and the buyer's first steps."""

    title: str
    when: str
    scenario: ScenarioName
    opening: tuple[Step, ...]

    def flow(self, flow_id: str, outcome: str, next_: str, *answer: Step) -> Flow:
        """The situation's flow in which the seller (or time) answers with ``answer``."""
        return Flow(
            id=flow_id, path=PathId.POST_VERIFICATION, title=f"{self.title} ({outcome})",
            when=self.when, next=next_, scenario=self.scenario, steps=(*self.opening, *answer),
        )


REQUESTED = Situation(
    "Ask the seller to cancel", REQUEST_WHEN, ScenarioName.AWAITING_SHIPMENT, request_cancellation()
)


ACCEPTED = REQUESTED.flow(
    "post-verification", "the seller accepts",
    "Once the seller accepts, the order closes and the refund starts, as it would before "
    "verification. Follow it on the Finances tab.",
    *seller_opens_order(),
    *seller_answers("seller-accepts", "The store accepts",
                    "The store answers: it agrees and presses Accept cancellation.",
                    SellerConsole.accept, "Closed",
                    "As the store, agree: press Accept cancellation in the seller console."),
)

DECLINED = REQUESTED.flow(
    "post-verification-declined", "the seller declines",
    "A declined request leaves the order as it was: Awaiting shipment, and it will be "
    "sent. You can message the seller, or return the item once it arrives.",
    *seller_opens_order(),
    *seller_answers("seller-declines", "The store declines",
                    "The store answers: it may refuse, for example because the parcel is being "
                    "packed, and presses Decline cancellation.",
                    SellerConsole.decline, "Awaiting shipment",
                    "As the store, refuse, say because the parcel is being packed: press Decline "
                    "cancellation in the seller console."),
)

NO_ANSWER = REQUESTED.flow(
    "post-verification-no-answer", "no answer in time", wording.FLOW_NO_ANSWER_NEXT,
    Step(id="wait-for-seller", title="Wait for the seller",
         instruction="The order page shows Awaiting cancellation and until when the seller can "
         "answer.",
         action="observe", target=OrderDetails.status, expect=HasText(target=OrderDetails.status, text=WAITING)),
    Step(id="window-passes", title=WINDOW_PASSES[0], instruction=WINDOW_PASSES[1],
         action=AdvanceClock(days=LAPSE_DAYS), target=OrderDetails.status, expect=HasText(target=OrderDetails.status, text="Closed")),
    open_finances("refund-started", "The refund has started", wording.FLOW_REFUND_AT_LAPSE),
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
# A message in the trainee's own words asks to cancel, and is long enough to say why.
ASK_MENTIONS = ("cancel",)
ASK_MIN_LENGTH = 30


def message_the_seller() -> tuple[Step, ...]:
    return (
        *open_order("Awaiting delivery"),
        Step(id="no-cancel-button", title="No Cancel order button",
             instruction="The store marked the order shipped: it shows Awaiting delivery and there is no "
             "Cancel order button.",
             action="observe", target=OrderDetails.status, expect=NotVisible(target=OrderDetails.cancel_order)),
        *contact_seller(ASK, ASK_MENTIONS, ASK_MIN_LENGTH),
        *seller_opens_order(),
    )


MESSAGED = Situation(
    "Marked shipped: message the seller", SHIPPED_WHEN, ScenarioName.MARKED_SHIPPED, message_the_seller()
)


SELLER_CANCELS = MESSAGED.flow(
    "shipped-seller-cancels", "the seller cancels",
    "If the parcel had not really left, the seller cancels the order: it closes and the "
    "refund starts, just as with any other cancellation.",
    *seller_answers("seller-cancels", "The store cancels the order",
                    "The store answers: the parcel had not left yet, so it presses Cancel order.",
                    SellerConsole.cancel_order, "Closed",
                    "As the store, whose parcel had not left yet, press Cancel order in the seller "
                    "console."),
)

PARCEL_LEFT = (
    "Sorry, your parcel left our warehouse yesterday and is on its way. "
    "You can ask for a return when it arrives."
)

SELLER_REFUSES = MESSAGED.flow(
    "shipped-parcel-left", "the parcel has left",
    "When the parcel really is on its way the order cannot be cancelled; it stays "
    "Awaiting delivery. Once it arrives you can ask for a return instead.",
    Step(id="seller-writes", title="The store answers",
         instruction="The parcel has really been sent, so the store writes back in the Reply box "
         "instead of cancelling.",
         coach="As the store, whose parcel has really been sent, write back in the Reply box "
         "instead of cancelling.",
         action=Fill(value=PARCEL_LEFT), target=SellerConsole.reply),
    *seller_answers("seller-replies", "The store sends its reply",
                    "The store presses Send reply; the order stays Awaiting delivery.",
                    SellerConsole.send_reply, "Awaiting delivery",
                    "As the store, press Send reply; the order stays Awaiting delivery."),
    Step(id="read-reply", title="Read the answer",
         instruction="Open the order's messages (Contact seller): the seller says the parcel has left.",
         action=Goto(path="/orders/{orders[0]}/messages"), target=ContactSeller.thread,
         expect=HasText(target=ContactSeller.thread, text="left our warehouse")),
)

FLOWS = [ACCEPTED, DECLINED, NO_ANSWER, SELLER_CANCELS, SELLER_REFUSES]
