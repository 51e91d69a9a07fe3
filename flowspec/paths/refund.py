"""Following the refund on the Finances tab: day 0, part way, and paid back."""

from domain.payments import PaymentMethod, refund_window
from domain.refunds import PROCESSING_DAYS
from flowspec.pages import Finances, OrderDetails
from flowspec.paths._steps import choose_cancel, find_order, open_my_orders, submit, view_details
from flowspec.steps import AdvanceClock, Flow, HasText, Step

REQUESTED = "Refund requested (done)"
PROCESSED = "Processed by the marketplace (done)"
PAID = "Paid to your payment method (done)"


FINANCES_STEP = 7  # open-my-orders, find, view, cancel, reason, submit, then the Finances tab
NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve", "thirteen", "fourteen", "fifteen")


def _days(count: int, more: str = "") -> str:
    """``one day``, ``fourteen more days``: a shopper reads a count in words."""
    word = NUMBERS[count] if count < len(NUMBERS) else str(count)
    return f"{word} {more}day" if count == 1 else f"{word} {more}days"


def _pass(count: int) -> str:
    return "passes" if count == 1 else "pass"


def refund_flow(flow_id: str, method: PaymentMethod, order: str) -> Flow:
    """Cancel an order paid with ``method``, then watch its refund until it is paid back."""
    window = refund_window(method)
    part_way = PROCESSING_DAYS  # the day the marketplace has processed it (domain.refunds)
    return Flow(
        id=flow_id,
        path="refund",
        title=f"Follow a refund to your {window.label}",
        when=(
            "You want to know where your money is after a cancellation. The marketplace held "
            "your payment, so it is the marketplace that pays it back. This walk-through "
            f"starts by cancelling an order; if yours is already Closed, go straight to step "
            f"{FINANCES_STEP}, Open the Finances tab."
        ),
        next=(
            f"Refunds to your {window.label} take {window.describe()}. When all three dots "
            "are orange the money has left the marketplace; your bank may need a little "
            "longer to show it."
        ),
        scenario="refund-methods",
        steps=(
            open_my_orders(),
            find_order("Payment being verified", order),
            view_details(order),
            *choose_cancel("Found a better price"),
            submit("Closed", "Cancel the order",
                   "Press Submit. The order closes and the refund is requested."),
            Step("open-finances", "Open the Finances tab",
                 "On the order's page, open the Finances tab.",
                 "click", OrderDetails.finances, HasText(Finances.tracker, REQUESTED)),
            Step("day-0", "Day 0: refund requested",
                 "The first dot is orange: the refund has been requested. The page also says "
                 "by when to expect the money.",
                 "observe", Finances.tracker,
                 HasText(Finances.tracker, "Processed by the marketplace (not yet)")),
            Step("part-way", f"Day {part_way}: processed",
                 f"{_days(part_way).capitalize()} {_pass(part_way)}. The second dot is orange "
                 "too: the marketplace has processed the refund.",
                 AdvanceClock(days=part_way), Finances.tracker,
                 (HasText(Finances.tracker, PROCESSED),
                  HasText(Finances.tracker, "Paid to your payment method (not yet)"))),
            Step("paid-back", f"Day {window.max_days}: paid back",
                 f"{_days(window.max_days - part_way, 'more ').capitalize()} "
                 f"{_pass(window.max_days - part_way)}. By day {window.max_days} all three "
                 f"dots are orange: the money is back on your {window.label}.",
                 AdvanceClock(days=window.max_days - part_way), Finances.tracker,
                 HasText(Finances.tracker, PAID)),
        ),
    )


FLOWS = [
    refund_flow("refund-bank-card", PaymentMethod.BANK_CARD, "{orders[0]}"),
    refund_flow("refund-balance", PaymentMethod.PLATFORM_BALANCE, "{orders[2]}"),
]
