"""Payment methods and how long each takes to pay a refund back."""

from dataclasses import dataclass
from enum import StrEnum


class PaymentMethod(StrEnum):
    PLATFORM_BALANCE = "platform_balance"
    PAYPAL = "paypal"
    BANK_CARD = "bank_card"


@dataclass(frozen=True)
class RefundWindow:
    """The days a refund takes for one payment method, inside the 3-15 day span."""

    label: str
    min_days: int
    max_days: int

    def describe(self) -> str:
        return f"{self.min_days} to {self.max_days} days"


REFUND_WINDOWS: dict[PaymentMethod, RefundWindow] = {
    PaymentMethod.PLATFORM_BALANCE: RefundWindow("Marketplace balance", 3, 5),
    PaymentMethod.PAYPAL: RefundWindow("PayPal", 5, 10),
    PaymentMethod.BANK_CARD: RefundWindow("Bank card", 7, 15),
}

SHORTEST_REFUND_DAYS = min(w.min_days for w in REFUND_WINDOWS.values())
LONGEST_REFUND_DAYS = max(w.max_days for w in REFUND_WINDOWS.values())


def refund_window(method: PaymentMethod | str) -> RefundWindow:
    """The refund window of a payment method (accepts the enum or its code)."""
    return REFUND_WINDOWS[PaymentMethod(method)]
