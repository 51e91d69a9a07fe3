"""Following the refund on the Finances tab: day 0, part way, and paid back."""

from domain import wording
from domain.paths import PathId
from domain.payments import PaymentMethod, refund_window
from domain.refunds import PROCESSING_DAYS
from domain.scenarios import ScenarioName
from flowspec.pages import Finances
from flowspec.paths._steps import open_finances, refund_requested, start_cancelling, submit
from flowspec.steps import AdvanceClock, Flow, HasText, Step

PROCESSED = wording.stage_as_read(1, True)
PAID = wording.stage_as_read(2, True)


FINANCES_STEP = 7  # open-my-orders, find, view, cancel, reason, submit, then the Finances tab


def refund_flow(flow_id: str, method: PaymentMethod, order: str) -> Flow:
    """Cancel an order paid with ``method``, then watch its refund until it is paid back."""
    window = refund_window(method)
    part_way = PROCESSING_DAYS  # the day the marketplace has processed it (domain.refunds)
    return Flow(
        id=flow_id,
        path=PathId.REFUND,
        title=f"Follow a refund to your {window.label}",
        when=(
            "You want to know where your money is after a cancellation. The marketplace held "
            "your payment, so it is the marketplace that pays it back. This walk-through "
            f"starts by cancelling an order; if yours is already Closed, go straight to step "
            f"{FINANCES_STEP}, Open the Finances tab."
        ),
        next=wording.flow_refund_next(window),
        scenario=ScenarioName.REFUND_METHODS,
        steps=(
            *start_cancelling("Payment being verified", "Found a better price", order),
            submit("Closed", "Cancel the order",
                   "Press Submit. The order closes and the refund is requested."),
            open_finances("open-finances", "Open the Finances tab",
                          "On the order's page, open the Finances tab."),
            refund_requested("day-0", "Day 0: refund requested",
                             "The first dot is orange: the refund has been requested. The page also says "
                             "by when to expect the money."),
            Step(id="part-way", title=f"Day {part_way}: processed",
                 instruction=wording.flow_processed(part_way),
                 action=AdvanceClock(days=part_way), target=Finances.tracker,
                 expect=(HasText(target=Finances.tracker, text=PROCESSED),
                  HasText(target=Finances.tracker, text=wording.stage_as_read(2, False)))),
            Step(id="paid-back", title=f"Day {window.max_days}: paid back",
                 instruction=wording.flow_paid_back(window, window.max_days - part_way),
                 action=AdvanceClock(days=window.max_days - part_way), target=Finances.tracker,
                 expect=HasText(target=Finances.tracker, text=PAID)),
        ),
    )


FLOWS = [
    refund_flow("refund-bank-card", PaymentMethod.BANK_CARD, "{orders[0]}"),
    refund_flow("refund-balance", PaymentMethod.PLATFORM_BALANCE, "{orders[2]}"),
]
