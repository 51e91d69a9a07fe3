"""Coupons: which come back after a cancellation, what the wallet shows, what was paid."""

from datetime import datetime, timedelta

import pytest

from domain.coupons import (
    KEPT_EXPIRED,
    KEPT_PARTIAL,
    RETURNED,
    CouponKind,
    WalletStatus,
    amounts_paid,
    coupon_comes_back,
    is_expired,
    wallet_status,
)

NOW = datetime(2026, 3, 2, 9, 0)
VALID = NOW + timedelta(days=10)
EXPIRED = NOW - timedelta(hours=2)


@pytest.mark.parametrize(
    ("kind", "every_item_cancelled", "expired", "decision"),
    [
        ("platform", True, False, RETURNED),
        ("platform", True, True, RETURNED),  # a marketplace coupon comes back even expired
        ("platform", False, False, KEPT_PARTIAL),
        ("platform", False, True, KEPT_PARTIAL),
        ("store", True, False, RETURNED),
        ("store", True, True, KEPT_EXPIRED),
        ("store", False, False, KEPT_PARTIAL),
        ("store", False, True, KEPT_PARTIAL),
    ],
)
def test_coupon_return_rule(kind, every_item_cancelled, expired, decision):
    got = coupon_comes_back(kind, every_item_cancelled=every_item_cancelled, expired=expired)
    assert got == decision
    assert coupon_comes_back(CouponKind(kind), every_item_cancelled=every_item_cancelled,
                             expired=expired) == decision


@pytest.mark.parametrize(
    ("decision", "returned", "reason"),
    [
        (RETURNED, True, "Returned to your wallet: every item bought with it was cancelled."),
        (KEPT_PARTIAL, False,
         "Not returned: only some of the items bought with it were cancelled."),
        (KEPT_EXPIRED, False, "Not returned: the store coupon had expired."),
    ],
)
def test_each_decision_explains_itself(decision, returned, reason):
    assert (decision.returned, decision.reason) == (returned, reason)


def test_unknown_coupon_kind_is_refused():
    with pytest.raises(ValueError):
        coupon_comes_back("seller", every_item_cancelled=True, expired=False)


@pytest.mark.parametrize(
    ("expires_at", "expired"),
    [(NOW + timedelta(seconds=1), False), (NOW, True), (NOW - timedelta(days=1), True)],
)
def test_a_coupon_expires_at_its_expiry_time(expires_at, expired):
    assert is_expired(expires_at, NOW) is expired


def test_wallet_statuses_are_the_four_labels():
    assert [s.value for s in WalletStatus] == ["Available", "Used", "Returned", "Expired"]


@pytest.mark.parametrize(
    ("used", "returned", "every_item_cancelled", "expires_at", "status"),
    [
        (False, False, False, VALID, WalletStatus.AVAILABLE),
        (False, False, False, EXPIRED, WalletStatus.EXPIRED),
        (True, False, False, VALID, WalletStatus.USED),
        (True, False, False, EXPIRED, WalletStatus.USED),  # spent before it expired
        (True, False, True, EXPIRED, WalletStatus.EXPIRED),  # cancelled, too late to come back
        (True, True, True, VALID, WalletStatus.RETURNED),
        (True, True, True, EXPIRED, WalletStatus.EXPIRED),  # came back, then ran out
    ],
)
def test_wallet_status(used, returned, every_item_cancelled, expires_at, status):
    got = wallet_status(used=used, returned=returned, every_item_cancelled=every_item_cancelled,
                        expires_at=expires_at, now=NOW)
    assert got is status


@pytest.mark.parametrize(
    ("prices", "coupons", "paid"),
    [
        # store-coupon scenario: lamp, spatulas, socks with US $6.00 off all three
        ([3120, 875, 990], [(600, [0, 1, 2])], [2744, 770, 871]),
        # platform-coupon scenario: earbuds and two phone cases with US $5.00 off
        ([2499, 1370], [(500, [0, 1])], [2176, 1193]),
        # store-coupon-expired scenario: a backpack with US $4.00 off
        ([4350], [(400, [0])], [3950]),
        # a coupon on some items leaves the others at full price
        ([1000, 3000, 500], [(400, [1])], [1000, 2600, 500]),
        # two coupons on the same items add up
        ([1000, 3000], [(400, [0, 1]), (100, [0, 1])], [875, 2625]),
        ([1000, 3000], [], [1000, 3000]),
    ],
)
def test_a_discount_is_shared_across_its_items_in_proportion_to_price(prices, coupons, paid):
    assert amounts_paid(prices, coupons) == paid
    assert sum(paid) == sum(prices) - sum(discount for discount, _ in coupons)


def test_partial_cancellation_refunds_price_less_the_items_share():
    # Given the store-coupon order: lamp 31.20, spatulas 8.75, socks 9.90, US $6.00 off
    prices = [3120, 875, 990]
    # when the buyer pays
    paid = amounts_paid(prices, [(600, [0, 1, 2])])
    # then cancelling the spatulas alone refunds 8.75 less their 1.05 share of the discount
    assert prices[1] - paid[1] == 105
    assert paid[1] == 770


@pytest.mark.parametrize(
    ("prices", "coupons", "message"),
    [
        ([500, 500], [(1001, [0, 1])], "cannot take off more than the items it covers cost"),
        ([500, 5000], [(600, [0])], "cannot take off more than the items it covers cost"),
        ([500, 500], [(800, [0, 1]), (300, [0])], "take off more than an item costs"),
    ],
)
def test_a_coupon_worth_more_than_its_items_is_refused(prices, coupons, message):
    with pytest.raises(ValueError, match=message):
        amounts_paid(prices, coupons)
