"""Cancelling while the payment is still being verified: the order closes at once."""

from flowspec.pages import Finances, OrderDetails
from flowspec.paths._steps import choose_cancel, find_order, sign_in, submit, view_details
from flowspec.steps import Flow, HasText, Step

FLOW = Flow(
    id="pre-verification",
    path="pre-verification",
    title="Cancel while the payment is being verified",
    when=(
        "Your order says “Payment being verified”: you paid a moment ago and the marketplace "
        "is still checking the payment. This is the quickest moment to cancel."
    ),
    next=(
        "The order closes straight away; no seller has to agree. The refund starts at once "
        "and reaches your payment method within 3 to 15 days, depending on how you paid."
    ),
    scenario="payment-being-verified",
    steps=(
        *sign_in(),
        find_order("Payment being verified"),
        view_details(),
        *choose_cancel("I ordered by mistake"),
        submit("Closed", "Submit",
               "Press Submit. The cancellation takes effect immediately."),
        Step("order-closed", "The order is closed",
             "The status now reads Closed. Open the Finances tab to follow your money.",
             "click", OrderDetails.finances,
             HasText(Finances.tracker, "Refund requested (done)")),
        Step("refund-started", "The refund has started",
             "The first dot of the refund tracker is orange: the refund was requested.",
             "observe", Finances.tracker,
             HasText(Finances.tracker, "Processed by the marketplace (not yet)")),
    ),
)
