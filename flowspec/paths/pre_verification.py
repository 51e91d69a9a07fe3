"""Cancelling while the payment is still being verified: the order closes at once."""

from domain.paths import PathId
from domain.scenarios import ScenarioName
from domain.wording import FLOW_CLOSED_AT_ONCE
from flowspec.paths._steps import (
    choose_cancel,
    find_order,
    open_finances,
    refund_requested,
    sign_in,
    submit,
    view_details,
)
from flowspec.steps import Flow

FLOW = Flow(
    id="pre-verification",
    path=PathId.PRE_VERIFICATION,
    title="Cancel while the payment is being verified",
    when=(
        "Your order says “Payment being verified”: you paid a moment ago and the marketplace "
        "is still checking the payment. This is the quickest moment to cancel."
    ),
    next=FLOW_CLOSED_AT_ONCE,
    scenario=ScenarioName.PAYMENT_BEING_VERIFIED,
    steps=(
        *sign_in(),
        find_order("Payment being verified"),
        view_details(),
        *choose_cancel("I ordered by mistake"),
        submit("Closed", "Submit",
               "Press Submit. The cancellation takes effect immediately."),
        open_finances("order-closed", "The order is closed",
                      "The status now reads Closed. Open the Finances tab to follow your money."),
        refund_requested("refund-started", "The refund has started",
                         "The first dot of the refund tracker is orange: the refund was requested."),
    ),
)
