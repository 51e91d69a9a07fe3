"""Steps that several paths share: signing in, opening an order, asking to cancel, the seller.

Builders return tuples of steps so a path reads as the sequence a shopper follows.
"""

from domain.wording import stage_as_read
from flowspec.pages import (
    CancelForm,
    ContactSeller,
    CouponWallet,
    Finances,
    Header,
    MyOrders,
    OrderDetails,
    SellerConsole,
    SignIn,
)
from flowspec.steps import Fill, Goto, HasText, MessageSays, Step, Target, Visible, by_role


def sign_in() -> tuple[Step, ...]:
    """The full sign-in, shown once in the first path."""
    return (
        Step(id="open-sign-in", title="Open the sign-in page",
             instruction="Go to the marketplace's Sign in page. It asks for your e-mail and password.",
             action=Goto(path="/login"), target=SIGN_IN_HEADING, expect=Visible(target=SignIn.submit)),
        Step(id="enter-email", title="Enter your e-mail",
             instruction="Type the e-mail address of your account in the Email box. (The picture shows"
             " a sample address in place of a real one.)",
             action=Fill(value="{buyer_email}"), target=SignIn.email),
        Step(id="enter-password", title="Enter your password",
             instruction="Type your password in the Password box.", action=Fill(value="{buyer_password}"),
             target=SignIn.password),
        Step(id="sign-in", title="Sign in", instruction="Press Sign in. Your orders open.",
             action="click", target=SignIn.submit, expect=Visible(target=MyOrders.heading)),
    )


SIGN_IN_HEADING = by_role("heading", "Sign in")


def open_my_orders() -> Step:
    """Signed in already (the trainer page's quick sign-in), pointing at the My Orders link."""
    return Step(
        id="open-my-orders", title="Open My Orders",
        instruction="Sign in to your account, then press My Orders at the top of the page.",
        action=Goto(path="/trainer/sign-in/{buyer_ticket}"), target=Header.my_orders, expect=Visible(target=MyOrders.heading),
    )


def find_order(status: str, order: str = "{orders[0]}") -> Step:
    return Step(
        id="find-order", title="Find the order",
        instruction=f"Look for the order you want to cancel. Its status reads “{status}”.",
        action="observe", target=MyOrders.order_card(order), expect=HasText(target=MyOrders.order_card(order), text=status),
    )


def view_details(order: str = "{orders[0]}") -> Step:
    return Step(
        id="view-details", title="Open the order's details",
        instruction="Press View details on that order.",
        action="click", target=MyOrders.view_details(order), expect=Visible(target=OrderDetails.heading),
    )


def open_order(status: str, order: str = "{orders[0]}") -> tuple[Step, ...]:
    """From the trainer page's quick sign-in to the details of the order in ``status``."""
    return (open_my_orders(), find_order(status, order), view_details(order))


def start_cancelling(status: str, reason: str, order: str = "{orders[0]}") -> tuple[Step, ...]:
    """Open the order, press Cancel order and pick ``reason`` (the submit is the caller's step)."""
    return (*open_order(status, order), *choose_cancel(reason))


def choose_cancel(reason: str) -> tuple[Step, ...]:
    """Cancel order, then a reason from the list (the submit is the caller's step)."""
    return (
        Step(id="cancel-order", title="Press Cancel order",
             instruction="On the order's page, press Cancel order.",
             action="click", target=OrderDetails.cancel_order, expect=Visible(target=CancelForm.heading)),
        Step(id="choose-reason", title="Choose a reason",
             instruction=f"Pick the reason that fits best; here, “{reason}”.",
             action="check", target=CancelForm.reason(reason)),
    )


def submit(status: str, title: str, instruction: str) -> Step:
    return Step(id="submit", title=title, instruction=instruction, action="click", target=CancelForm.submit,
                expect=HasText(target=OrderDetails.status, text=status))


def open_finances(step_id: str, title: str, instruction: str) -> Step:
    """The order's Finances tab, its tracker showing the refund requested."""
    return Step(id=step_id, title=title, instruction=instruction, action="click", target=OrderDetails.finances,
                expect=HasText(target=Finances.tracker, text=stage_as_read(0, True)))


def refund_requested(step_id: str, title: str, instruction: str) -> Step:
    """The tracker's first stage done, the next one still to come."""
    return Step(id=step_id, title=title, instruction=instruction, action="observe", target=Finances.tracker,
                expect=HasText(target=Finances.tracker, text=stage_as_read(1, False)))


def seller_opens_order(order: str = "{orders[0]}") -> tuple[Step, ...]:
    """The store's side, as the store sees it in its seller console (in the coach, the
    trainee plays the store)."""
    return (
        Step(id="seller-console", title="The store sees it",
             instruction="Meanwhile, on the store's side (this is the store's own screen, not yours), "
             "your order appears flagged for attention, with an Open button.",
             coach="Now act as the store: go to the store's seller console, where your order is "
             "flagged for attention, with an Open button.",
             action=Goto(path="/trainer/sign-in/{seller_ticket}"), target=SellerConsole.open_order(order),
             expect=Visible(target=SellerConsole.heading)),
        Step(id="seller-opens-order", title="The store opens the order",
             instruction="The store presses Open on your order to read what you asked.",
             coach="As the store, press Open on your order to read what you asked.",
             action="click", target=SellerConsole.open_order(order),
             expect=Visible(target=SellerConsole.order_heading(order))),
    )


def seller_answers(step_id: str, title: str, instruction: str, button: Target, status: str,
                   coach: str) -> tuple[Step, ...]:
    """The store presses ``button`` (``coach`` says it in the trainee's voice); the order then
    shows ``status`` to the store and to you."""
    return (
        Step(id=step_id, title=title, instruction=instruction, coach=coach,
             action="click", target=button, expect=HasText(target=SellerConsole.status, text=status)),
        Step(id="back-to-my-orders", title="Check My Orders",
             instruction=f"Back in your account, My Orders now shows the order as “{status}”.",
             coach=f"Now be the buyer again: go back to your account, where My Orders shows the "
             f"order as “{status}”.",
             action=Goto(path="/trainer/sign-in/{buyer_ticket}"), target=MyOrders.order_card("{orders[0]}"),
             expect=HasText(target=MyOrders.order_card("{orders[0]}"), text=status)),
    )


def contact_seller(sample: str, mentions: tuple[str, ...], min_length: int) -> tuple[Step, ...]:
    """A message in the shopper's own words: it must mention one of ``mentions`` and have
    ``min_length`` characters; ``sample`` is what the runner types and the coach suggests."""
    written = MessageSays(target=ContactSeller.message, mentions=mentions, min_length=min_length)
    return (
        Step(id="contact-seller", title="Press Contact seller",
             instruction="Press Contact seller to write to the store.",
             action="click", target=OrderDetails.contact_seller, expect=Visible(target=ContactSeller.message)),
        Step(id="write-message", title="Explain why",
             instruction="In the Message box, write a short private message: ask the seller to cancel "
             "and say why.",
             coach="In the Message box, write a short private message in your own words: ask the "
             "seller to cancel and say why. Then press Send.",
             action=Fill(value=sample), target=ContactSeller.message, expect=written),
        Step(id="send-message", title="Send the message",
             instruction="Press Send. The store decides what happens next.",
             action="click", target=ContactSeller.send,
             expect=written.model_copy(update={"target": ContactSeller.thread})),
    )


def open_wallet(code: str, status: str, note: str) -> tuple[Step, ...]:
    """Coupons at the top of the page, then the coupon that was used on the order."""
    return (
        Step(id="open-coupons", title="Open your coupons",
             instruction="Press Coupons at the top of the page.",
             action="click", target=Header.coupons, expect=Visible(target=CouponWallet.heading)),
        Step(id="check-coupon", title=f"The coupon is {status.lower()}",
             instruction=f"Find {code}: it shows “{status}”. {note}",
             action="observe", target=CouponWallet.coupon(code), expect=HasText(target=CouponWallet.coupon(code), text=status)),
    )
