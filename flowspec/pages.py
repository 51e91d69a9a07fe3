"""Page objects: one class per storefront screen, each naming its controls as a shopper would.

They return ``Target``s (role and accessible name first), so the flows read like the
steps a person takes and every run also checks that the pages are accessible.
"""

from flowspec.steps import Target, by_role


def _order_card(number: str) -> Target:
    """An order's card: on the buyer's list and in the seller console alike."""
    return by_role("article", f"Order {number}")


class SignIn:
    email = by_role("textbox", "Email")
    password = by_role("textbox", "Password")
    submit = by_role("button", "Sign in")


class Header:
    my_orders = by_role("link", "My Orders")
    coupons = by_role("link", "Coupons")


class MyOrders:
    heading = by_role("heading", "My Orders")
    order_card = staticmethod(_order_card)

    @classmethod
    def view_details(cls, number: str) -> Target:
        return by_role("link", "View details").inside(cls.order_card(number))


class OrderDetails:
    heading = by_role("heading", "Order details")
    status = by_role("region", "Status and actions")
    cancel_order = by_role("link", "Cancel order")
    contact_seller = by_role("link", "Contact seller")
    finances = by_role("link", "Finances")
    overview = by_role("link", "Overview")


class CancelForm:
    heading = by_role("heading", "Cancel order")
    submit = by_role("button", "Submit")

    @staticmethod
    def reason(label: str) -> Target:
        return by_role("radio", label)

    @staticmethod
    def item(title: str) -> Target:
        return by_role("checkbox", title)


class ContactSeller:
    message = by_role("textbox", "Message")
    send = by_role("button", "Send")
    thread = by_role("list", "Conversation")


class Finances:
    tracker = by_role("list", "Refund progress")


class CouponWallet:
    heading = by_role("heading", "My Coupons")

    @staticmethod
    def coupon(code: str) -> Target:
        return by_role("article", f"Coupon {code}")


class SellerConsole:
    heading = by_role("heading", "Seller console")
    status = by_role("group", "Order status")
    accept = by_role("button", "Accept cancellation")
    decline = by_role("button", "Decline cancellation")
    cancel_order = by_role("button", "Cancel order")
    reply = by_role("textbox", "Reply")
    send_reply = by_role("button", "Send reply")

    @staticmethod
    def open_order(number: str) -> Target:
        return by_role("link", "Open", exact=True).inside(_order_card(number))

    @staticmethod
    def order_heading(number: str) -> Target:
        return by_role("heading", f"Order {number}")
