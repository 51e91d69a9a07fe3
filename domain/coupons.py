"""Coupons: how a discount is shared across items, and which coupons come back."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain import wording
from domain.labelled import Labelled
from domain.money import split_in_proportion


class CouponKind(Labelled):
    PLATFORM = "platform", "Marketplace coupon"
    STORE = "store", "Store coupon"


class WalletStatus(StrEnum):
    AVAILABLE = "Available"
    USED = "Used"
    RETURNED = "Returned"
    EXPIRED = "Expired"


@dataclass(frozen=True)
class CouponDecision:
    """Whether a coupon comes back after a cancellation, and the reason in plain words."""

    returned: bool
    reason: str


RETURNED = CouponDecision(True, wording.COUPON_RETURNED)
KEPT_PARTIAL = CouponDecision(False, wording.COUPON_KEPT_PARTIAL)
KEPT_EXPIRED = CouponDecision(False, wording.COUPON_KEPT_EXPIRED)


def is_expired(expires_at: datetime, now: datetime) -> bool:
    return now >= expires_at


def coupon_comes_back(
    kind: CouponKind | str, *, every_item_cancelled: bool, expired: bool
) -> CouponDecision:
    """The coupon return rule.

    A coupon comes back only when every item bought with it is cancelled. A store
    coupon must also still be valid; a marketplace coupon comes back either way.
    """
    if not every_item_cancelled:
        return KEPT_PARTIAL
    if CouponKind(kind) is CouponKind.STORE and expired:
        return KEPT_EXPIRED
    return RETURNED


def wallet_status(
    *, used: bool, returned: bool, every_item_cancelled: bool, expires_at: datetime,
    now: datetime,
) -> WalletStatus:
    """How the coupon wallet labels a coupon at ``now``.

    A coupon still paying for items the buyer keeps stays Used past its date. One whose
    items were all cancelled but that did not come back (a store coupon past its date) is
    not spent on anything: it is Expired.
    """
    expired = is_expired(expires_at, now)
    if used and not returned and not (every_item_cancelled and expired):
        return WalletStatus.USED
    if expired:
        return WalletStatus.EXPIRED
    return WalletStatus.RETURNED if returned else WalletStatus.AVAILABLE


def amounts_paid(
    item_prices: Sequence[int], coupons: Sequence[tuple[int, Sequence[int]]]
) -> list[int]:
    """What the buyer actually paid for each item after coupon discounts.

    ``coupons`` holds (discount in cents, indexes of the items it covered). Each
    discount is shared over its items in proportion to their prices, so a partial
    cancellation refunds each cancelled item's price less its share.
    """
    paid = list(item_prices)
    for discount, covered in coupons:
        covered = list(covered)
        if discount > sum(item_prices[i] for i in covered):
            raise ValueError("a coupon cannot take off more than the items it covers cost")
        shares = split_in_proportion(discount, [item_prices[i] for i in covered])
        for index, share in zip(covered, shares, strict=True):
            paid[index] -= share
    if any(amount < 0 for amount in paid):
        raise ValueError("coupons together take off more than an item costs")
    return paid
