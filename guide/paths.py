"""The four path groups in plain words, and the facts every path ends with.

A flow in the manifest carries its own ``when`` and ``next``; the texts here are
the fallback and the short blurbs for pickers. Which statuses belong to which path,
the refund times and the coupon outcomes are read from ``domain``.
"""

from dataclasses import dataclass

from domain import coupons, payments, refunds
from domain.cancellation import ROUTES, CancelRoute
from domain.statuses import OrderStatus

PRE = "pre-verification"
POST = "post-verification"
REFUND = "refund"
COUPON = "coupon"


def _statuses(*routes: CancelRoute) -> str:
    return " or ".join(f"**{status}**" for status, route in ROUTES.items() if route in routes)


@dataclass(frozen=True)
class PathInfo:
    id: str
    label: str
    icon: str
    blurb: str
    when: str
    next: str


PATH_INFO: dict[str, PathInfo] = {
    info.id: info
    for info in [
        PathInfo(
            PRE,
            "Before the payment is verified",
            ":material/bolt:",
            "Cancel on your own; the order closes at once.",
            f"Your order page shows {_statuses(CancelRoute.IMMEDIATE)}. Nobody else has to"
            " agree: you pick a reason and the order is cancelled on the spot.",
            f"The order turns **{OrderStatus.CLOSED}** and the refund starts right away.",
        ),
        PathInfo(
            POST,
            "After the payment is verified",
            ":material/storefront:",
            "Ask the seller; the seller has the last word.",
            f"Your order page shows {_statuses(CancelRoute.SELLER_DECIDES)} or"
            f" {_statuses(CancelRoute.MESSAGE_SELLER)}. The payment has cleared, so the"
            " store decides whether the order can still be stopped.",
            f"If the seller agrees, or lets the answer time run out, the order turns"
            f" **{OrderStatus.CLOSED}** and the refund starts. If the seller says no, the"
            " order simply carries on.",
        ),
        PathInfo(
            REFUND,
            "Getting the money back",
            ":material/payments:",
            "Follow the refund on the Finances tab.",
            f"Your order is **{OrderStatus.CLOSED}** and you want to know where the money is.",
            "When every dot of the tracker is orange, the money has reached your payment"
            " method. If it has not arrived after the longest time below, contact support.",
        ),
        PathInfo(
            COUPON,
            "Coupons after cancelling",
            ":material/confirmation_number:",
            "Find out whether a coupon comes back.",
            "You used a marketplace coupon or a store coupon on the order you are cancelling.",
            "Open your coupon wallet: each coupon is marked "
            + ", ".join(f"**{s}**" for s in list(coupons.WalletStatus)[:-1])
            + f" or **{list(coupons.WalletStatus)[-1]}**.",
        ),
    ]
}
PATH_ORDER: tuple[str, ...] = tuple(PATH_INFO)


def path_info(path: str) -> PathInfo:
    """The info for ``path``; an unknown path gets a plain one built from its id."""
    if path in PATH_INFO:
        return PATH_INFO[path]
    label = path.replace("-", " ").capitalize()
    return PathInfo(path, label, ":material/route:", "", "", "")


def when_text(flow_when: str, path: str) -> str:
    """The manifest's wording when it has one, else the path's."""
    return flow_when or path_info(path).when


def next_text(flow_next: str, path: str) -> str:
    return flow_next or path_info(path).next


# --- what happens next: the numbers every path ends with ----------------------------------


@dataclass(frozen=True)
class RefundRow:
    method: str
    days: str
    processed_after: str


def _processing_time() -> str:
    """How long the marketplace takes to process a refund, in words: "1 day"."""
    day = "day" if refunds.PROCESSING_DAYS == 1 else "days"
    return f"{refunds.PROCESSING_DAYS} {day}"


def refund_rows() -> list[RefundRow]:
    """One row per payment method, fastest first, straight from the payment rules."""
    windows = sorted(payments.REFUND_WINDOWS.values(), key=lambda w: (w.max_days, w.min_days))
    return [RefundRow(w.label, w.describe(), _processing_time()) for w in windows]


def refund_summary() -> str:
    return (
        f"The marketplace kept your payment, so it pays the refund: it is processed within"
        f" {_processing_time()} and reaches you within"
        f" {payments.SHORTEST_REFUND_DAYS} to {payments.LONGEST_REFUND_DAYS} days, depending"
        " on how you paid."
    )


def tracker_stages() -> tuple[str, ...]:
    return refunds.STAGES


@dataclass(frozen=True)
class CouponRow:
    coupon: str
    situation: str
    outcome: str


def coupon_rows() -> list[CouponRow]:
    """Every case of the coupon rule, each answered by ``coupons.coupon_comes_back``."""
    cases = [
        (coupons.CouponKind.PLATFORM, True, False, "Every item it covered is cancelled"),
        (coupons.CouponKind.PLATFORM, False, False, "Only some of its items are cancelled"),
        (coupons.CouponKind.STORE, True, False, "Every item it covered is cancelled, still valid"),
        (coupons.CouponKind.STORE, True, True, "Every item it covered is cancelled, expired"),
        (coupons.CouponKind.STORE, False, False, "Only some of its items are cancelled"),
    ]
    rows = []
    for kind, every, expired, situation in cases:
        decision = coupons.coupon_comes_back(kind, every_item_cancelled=every, expired=expired)
        rows.append(CouponRow(kind.label, situation, decision.reason))
    return rows


PARTIAL_REFUND_NOTE = (
    "When you cancel only part of an order bought with a coupon, each cancelled item is"
    " refunded at its price minus its share of the discount, shared by price."
)
