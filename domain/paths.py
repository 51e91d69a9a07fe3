"""The four paths through a cancellation: the registry every flow, page and picker uses."""

from dataclasses import dataclass
from enum import StrEnum

from domain import wording
from domain.cancellation import ROUTES, CancelRoute
from domain.coupons import WalletStatus
from domain.statuses import OrderStatus


class PathId(StrEnum):
    """Which path a flow belongs to, in the order a reader meets them."""

    PRE_VERIFICATION = "pre-verification"
    POST_VERIFICATION = "post-verification"
    REFUND = "refund"
    COUPON = "coupon"


@dataclass(frozen=True)
class PathInfo:
    """A path in plain words: its name, a one-line summary, when it applies, what follows.

    ``when`` and ``next`` are the fallback for a flow that has none of its own.
    """

    id: PathId
    label: str
    summary: str
    when: str
    next: str


def _statuses(*routes: CancelRoute) -> str:
    return " or ".join(f"**{status}**" for status, route in ROUTES.items() if route in routes)


def _either(names: list[str]) -> str:
    """``**A**, **B** or **C**``."""
    bold = [f"**{name}**" for name in names]
    return ", ".join(bold[:-1]) + f" or {bold[-1]}"


PATHS: dict[PathId, PathInfo] = {
    info.id: info
    for info in [
        PathInfo(
            PathId.PRE_VERIFICATION,
            "Before the payment is verified",
            "Cancel on your own; the order closes at once.",
            f"Your order page shows {_statuses(CancelRoute.IMMEDIATE)}. Nobody else has to"
            " agree: you pick a reason and the order is cancelled on the spot.",
            f"The order turns **{OrderStatus.CLOSED}** and the refund starts right away.",
        ),
        PathInfo(
            PathId.POST_VERIFICATION,
            "After the payment is verified",
            "Ask the seller; the seller has the last word.",
            f"Your order page shows {_statuses(CancelRoute.SELLER_DECIDES)} or"
            f" {_statuses(CancelRoute.MESSAGE_SELLER)}. The payment has cleared, so the"
            " store decides whether the order can still be stopped.",
            wording.GUIDE_SELLER_ANSWERS,
        ),
        PathInfo(
            PathId.REFUND,
            "Getting the money back",
            "Follow the refund on the Finances tab.",
            f"Your order is **{OrderStatus.CLOSED}** and you want to know where the money is.",
            wording.GUIDE_REFUND_DONE,
        ),
        PathInfo(
            PathId.COUPON,
            "Coupons after cancelling",
            "Find out whether a coupon comes back.",
            "You used a marketplace coupon or a store coupon on the order you are cancelling.",
            f"Open your coupon wallet: each coupon is marked {_either(list(WalletStatus))}.",
        ),
    ]
}
