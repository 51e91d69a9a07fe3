"""Order numbers read from the scenario definitions, so no test spells one out."""

from domain.payments import PaymentMethod
from domain.scenarios import HISTORY, scenario_spec

# The order completed long ago that every small scenario also holds.
HISTORY_ORDER = HISTORY.number


def order_number(scenario: str, *, paid_by: PaymentMethod | None = None) -> str:
    """The number of the order ``scenario`` is about (its first), or of the one paid by
    ``paid_by`` (e.g. ``refund-methods`` holds one order per payment method)."""
    orders = scenario_spec(scenario).orders
    if paid_by is None:
        return orders[0].number
    [number] = [o.number for o in orders if o.payment_method == paid_by and o is not HISTORY]
    return number
