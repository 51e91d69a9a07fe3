"""Steps that several paths share: signing in, opening an order, asking to cancel, the seller.

Builders return tuples of steps so a path reads as the sequence a shopper follows.
"""

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
from flowspec.steps import Fill, Goto, HasText, Step, Visible, by_role


def sign_in() -> tuple[Step, ...]:
    """The full sign-in, shown once in the first path."""
    return (
        Step("open-sign-in", "Open the sign-in page",
             "Go to the marketplace's Sign in page. It asks for your e-mail and password.",
             Goto("/login"), SIGN_IN_HEADING, Visible(SignIn.submit)),
        Step("enter-email", "Enter your e-mail",
             "Type the e-mail address of your account in the Email box. (The picture shows"
             " a sample address in place of a real one.)",
             Fill("{buyer_email}"), SignIn.email),
        Step("enter-password", "Enter your password",
             "Type your password in the Password box.", Fill("{buyer_password}"),
             SignIn.password),
        Step("sign-in", "Sign in", "Press Sign in. Your orders open.",
             "click", SignIn.submit, Visible(MyOrders.heading)),
    )


SIGN_IN_HEADING = by_role("heading", "Sign in")


def open_my_orders() -> Step:
    """Signed in already (the trainer page's quick sign-in), pointing at the My Orders link."""
    return Step(
        "open-my-orders", "Open My Orders",
        "Sign in to your account, then press My Orders at the top of the page.",
        Goto("/trainer/sign-in/{buyer_ticket}"), Header.my_orders, Visible(MyOrders.heading),
    )


def find_order(status: str, order: str = "{orders[0]}") -> Step:
    return Step(
        "find-order", "Find the order",
        f"Look for the order you want to cancel. Its status reads “{status}”.",
        "observe", MyOrders.order_card(order), HasText(MyOrders.order_card(order), status),
    )


def view_details(order: str = "{orders[0]}") -> Step:
    return Step(
        "view-details", "Open the order's details",
        "Press View details on that order.",
        "click", MyOrders.view_details(order), Visible(OrderDetails.heading),
    )


def choose_cancel(reason: str) -> tuple[Step, ...]:
    """Cancel order, then a reason from the list (the submit is the caller's step)."""
    return (
        Step("cancel-order", "Press Cancel order",
             "On the order's page, press Cancel order.",
             "click", OrderDetails.cancel_order, Visible(CancelForm.heading)),
        Step("choose-reason", "Choose a reason",
             f"Pick the reason that fits best; here, “{reason}”.",
             "check", CancelForm.reason(reason)),
    )


def submit(status: str, title: str, instruction: str) -> Step:
    return Step("submit", title, instruction, "click", CancelForm.submit,
                HasText(OrderDetails.status, status))


def open_finances(step_id: str, title: str, instruction: str, stage_text: str) -> Step:
    return Step(step_id, title, instruction, "click", OrderDetails.finances,
                HasText(Finances.tracker, stage_text))


def seller_opens_order(order: str = "{orders[0]}") -> tuple[Step, ...]:
    """The store's side, as the store sees it in its seller console."""
    return (
        Step("seller-console", "The store sees it",
             "Meanwhile, on the store's side (this is the store's own screen, not yours), "
             "your order appears flagged for attention, with an Open button.",
             Goto("/trainer/sign-in/{seller_ticket}"), SellerConsole.open_order(order),
             Visible(SellerConsole.heading)),
        Step("seller-opens-order", "The store opens the order",
             "The store presses Open on your order to read what you asked.",
             "click", SellerConsole.open_order(order),
             Visible(SellerConsole.order_heading(order))),
    )


def back_to_buyer(status: str, order: str = "{orders[0]}") -> tuple[Step, ...]:
    return (
        Step("back-to-my-orders", "Check My Orders",
             f"Back in your account, My Orders now shows the order as “{status}”.",
             Goto("/trainer/sign-in/{buyer_ticket}"), MyOrders.order_card(order),
             HasText(MyOrders.order_card(order), status)),
    )


def contact_seller(message: str) -> tuple[Step, ...]:
    return (
        Step("contact-seller", "Press Contact seller",
             "Press Contact seller to write to the store.",
             "click", OrderDetails.contact_seller, Visible(ContactSeller.message)),
        Step("write-message", "Explain why",
             "In the Message box, write a short private message: ask the seller to cancel "
             "and say why.",
             Fill(message), ContactSeller.message),
        Step("send-message", "Send the message",
             "Press Send. The store decides what happens next.",
             "click", ContactSeller.send, HasText(ContactSeller.thread, message[:40])),
    )


def open_wallet(code: str, status: str, note: str) -> tuple[Step, ...]:
    """Coupons at the top of the page, then the coupon that was used on the order."""
    return (
        Step("open-coupons", "Open your coupons",
             "Press Coupons at the top of the page.",
             "click", Header.coupons, Visible(CouponWallet.heading)),
        Step("check-coupon", f"The coupon is {status.lower()}",
             f"Find {code}: it shows “{status}”. {note}",
             "observe", CouponWallet.coupon(code), HasText(CouponWallet.coupon(code), status)),
    )
