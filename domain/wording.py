"""The sentences that explain a rule, built from the rule's own numbers and names.

Buyers, sellers, the trainer, the guide and the flows' captions each say a rule in
their own words; those words sit here side by side, so a change of the rule is one
edit here. Sentences shown on pages hold no character HTML would escape, so a page
reads the same whether a template or this module spells them.
"""

from domain.payments import LONGEST_REFUND_DAYS, SHORTEST_REFUND_DAYS, RefundWindow
from domain.refunds import PROCESSING_DAYS, STAGES
from domain.statuses import OrderStatus

# --- counts in words -------------------------------------------------------------------

NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
           "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")


def in_words(count: int) -> str:
    """``three``: a shopper reads a small count in words, a large one in digits."""
    return NUMBERS[count] if 0 <= count < len(NUMBERS) else str(count)


def days_in_words(count: int, more: str = "") -> str:
    """``one day``, ``fourteen more days``."""
    return f"{in_words(count)} {more}day" if count == 1 else f"{in_words(count)} {more}days"


def days_pass(count: int, more: str = "") -> str:
    """``One day passes``, ``Two days pass``: the opening of a caption that moves the clock."""
    verb = "passes" if count == 1 else "pass"
    return f"{days_in_words(count, more).capitalize()} {verb}"


def counted(count: int, noun: str) -> str:
    """``1 day``, ``3 days``, ``30 characters``: a count in digits with its noun agreeing."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def day_count(count: int) -> str:
    """``1 day``, ``3 days``."""
    return counted(count, "day")


def duration(days: int, hours: int) -> str:
    """``1 day``, ``2 days 3 hours``, ``5 hours``: a span of the clock, empty parts left out."""
    parts = [counted(days, "day")] if days else []
    if hours or not days:
        parts.append(counted(hours, "hour"))
    return " ".join(parts)


def one_of(words: tuple[str, ...]) -> str:
    """``“cancel”``, ``“cancel” or “refund”``, ``“a”, “b” or “c”``: any of a few words, quoted."""
    quoted = [f"\u201c{word}\u201d" for word in words]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


# --- the seller's time limit, and what no answer means ---------------------------------

SELLER_DECIDES = (
    "Cancelling sends a request; the seller accepts or declines it. A seller who does"
    " not answer in time is taken as accepting."
)
LAPSED_EVENT = "The seller did not answer in time, so the request was accepted."


def buyer_answer_time(hours: int) -> str:
    """The cancel form, before a buyer asks the seller."""
    return f"The seller has {hours} hours to answer; no answer counts as a yes."


def buyer_waiting(deadline: str) -> str:
    """Order details while the request waits."""
    return (
        f"They have until {deadline} to answer. No answer by then counts as a yes, and the"
        " cancellation goes through."
    )


SELLER_REQUEST_CHOICES = (
    "Accepting closes the order and refunds the buyer; declining puts it back to"
    f" {OrderStatus.AWAITING_SHIPMENT}. With no answer by the deadline, the request counts"
    " as accepted."
)


def trainer_answer_time(hours: int) -> str:
    """The trainer's clock, which is what makes a request lapse."""
    return (
        f"Sellers have {hours} hours to answer a cancellation request; a request still open"
        " when the clock passes its deadline counts as accepted."
    )


def trainer_lapses_at(deadline: str) -> str:
    return f"It counts as accepted at {deadline}."


GUIDE_SELLER_ANSWERS = (
    "If the seller agrees, or lets the answer time run out, the order turns"
    f" **{OrderStatus.CLOSED}** and the refund starts. If the seller says no, the order"
    " simply carries on."
)
GUIDE_REFUND_AFTER_REQUEST = (
    "The refund starts when the seller accepts, or when the answer time runs out."
)
FLOW_NO_ANSWER_NEXT = (
    "A seller who lets the answer window run out is taken as agreeing: the order closes "
    "and the refund starts without anything more from you."
)


def flow_window_passes(days: int) -> tuple[str, str]:
    """The title and instruction of the step that lets the seller's time run out."""
    return (
        f"{days_pass(days)} without an answer",
        f"{days_pass(days)} and the store never answers, so the request counts as accepted: "
        f"the order is now {OrderStatus.CLOSED}.",
    )


FLOW_REFUND_AT_LAPSE = (
    "Open the Finances tab: the refund was requested when the answer time ran out."
)

# --- the refund tracker's stages -------------------------------------------------------

ALL_STAGES = f"all {in_words(len(STAGES))}"


def stage_state(reached: bool) -> str:
    """What a screen reader hears after a stage's name."""
    return "done" if reached else "not yet"


def stage_as_read(stage: int, reached: bool) -> str:
    """A stage of the tracker as read aloud: ``Refund requested (done)``."""
    return f"{STAGES[stage]} ({stage_state(reached)})"


def stages_reached(count: int) -> str:
    """The seller console's short form."""
    return f"{count} of {len(STAGES)} stages reached"


BUYER_TRACKER_HINT = (
    f"Each dot turns orange when that step is reached. When {ALL_STAGES} are orange, the"
    " money is back with you. Some banks take a little longer to show it."
)
GUIDE_FOLLOW_REFUND = (
    f"Follow the refund: open the order's **Finances** tab; when {ALL_STAGES} dots are"
    " orange, the money has been paid back."
)
GUIDE_REFUND_DONE = (
    "When every dot of the tracker is orange, the money has reached your payment"
    " method. If it has not arrived after the longest time below, contact support."
)

# --- refund days per payment method ----------------------------------------------------

PROCESSING_TIME = day_count(PROCESSING_DAYS)
ANY_METHOD = RefundWindow("Any payment method", SHORTEST_REFUND_DAYS, LONGEST_REFUND_DAYS).describe()
GUIDE_REFUND_TIME = (
    f"The marketplace kept your payment, so it pays the refund: it is processed within"
    f" {PROCESSING_TIME} and reaches you within {ANY_METHOD}, depending on how you paid."
)
FLOW_CLOSED_AT_ONCE = (
    "The order closes straight away; no seller has to agree. The refund starts at once "
    f"and reaches your payment method within {ANY_METHOD}, depending on how you paid."
)


def refund_days_explained(window: RefundWindow) -> str:
    """The training quiz's answer about one payment method."""
    return (
        f"{window.label} refunds take {window.describe()}. The marketplace processes the"
        f" refund within {PROCESSING_TIME}; the last dot of the tracker"
        f" (\u201c{STAGES[-1]}\u201d) turns orange at the end of that range."
    )


def flow_refund_next(window: RefundWindow) -> str:
    return (
        f"Refunds to your {window.label} take {window.describe()}. When {ALL_STAGES} dots "
        "are orange the money has left the marketplace; your bank may need a little "
        "longer to show it."
    )


def flow_processed(days: int) -> str:
    return (
        f"{days_pass(days)}. The second dot is orange too: the marketplace has processed "
        "the refund."
    )


def flow_paid_back(window: RefundWindow, days_since_processed: int) -> str:
    return (
        f"{days_pass(days_since_processed, 'more ')}. By day {window.max_days} {ALL_STAGES} "
        f"dots are orange: the money is back on your {window.label}."
    )


# --- coupons: which come back, and what a partial cancellation refunds -----------------

COUPON_RETURNED = "Returned to your wallet: every item bought with it was cancelled."
COUPON_KEPT_PARTIAL = "Not returned: only some of the items bought with it were cancelled."
COUPON_KEPT_EXPIRED = "Not returned: the store coupon had expired."
BUYER_COUPON_HINT = (
    "You get back what you paid for each item you cancel. A coupon comes back only if every"
    " item bought with it is cancelled."
)
GUIDE_PARTIAL_REFUND = (
    "When you cancel only part of an order bought with a coupon, each cancelled item is"
    " refunded at its price minus its share of the discount, shared by price."
)
FLOW_KEEP_ALL_ITEMS = (
    "Leave all the items ticked: the coupon only comes back if everything bought "
    "with it is cancelled."
)
FLOW_PLATFORM_RETURNED_NEXT = (
    "The coupon goes back into your wallet, ready to use again until it expires. The "
    "refund is what you paid, that is the prices less the coupon's discount."
)
FLOW_STORE_PARTIAL_NEXT = (
    "The store coupon stays used: it would only come back if every item bought with it "
    "were cancelled. The refund is each cancelled item's price less its share of the "
    "discount."
)
FLOW_STORE_EXPIRED_NEXT = (
    "An expired store coupon is not returned, even when the whole order is cancelled. "
    "You still get back everything you paid."
)
FLOW_WALLET_RETURNED = "Every item bought with it was cancelled, so it is back in your wallet."
FLOW_WALLET_PARTIAL = "Only some of its items were cancelled, so it does not come back."
FLOW_WALLET_EXPIRED = "It is not returned even though the whole order was cancelled."
