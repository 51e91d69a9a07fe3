"""The "Which path is mine?" decisions, as tables of situations and expected advice."""

import pytest

from domain.cancellation import ROUTE_EXPLANATIONS, CancelRoute
from domain.coupons import CouponKind
from domain.payments import REFUND_WINDOWS, PaymentMethod
from domain.scenarios import SCENARIOS
from domain.statuses import OrderStatus
from guide.advice import Situation, advise

S = OrderStatus
PLATFORM, STORE = CouponKind.PLATFORM, CouponKind.STORE


@pytest.mark.parametrize(
    ("status", "route", "path", "headline", "scenario"),
    [
        (S.AWAITING_PAYMENT, CancelRoute.IMMEDIATE, "pre-verification", "Cancelled at once",
         "payment-being-verified"),
        (S.PAYMENT_BEING_VERIFIED, CancelRoute.IMMEDIATE, "pre-verification",
         "Cancelled at once", "payment-being-verified"),
        (S.AWAITING_SHIPMENT, CancelRoute.SELLER_DECIDES, "post-verification",
         "The seller decides", "awaiting-shipment"),
        (S.AWAITING_CANCELLATION, CancelRoute.REQUEST_PENDING, "post-verification",
         "Waiting for the seller", "awaiting-shipment"),
        (S.AWAITING_DELIVERY, CancelRoute.MESSAGE_SELLER, "post-verification",
         "Ask the seller by message", "marked-shipped"),
        (S.CLOSED, CancelRoute.NOT_POSSIBLE, "refund", "Already cancelled", "refund-methods"),
        (S.COMPLETED, CancelRoute.NOT_POSSIBLE, None, "It can no longer be cancelled", None),
    ],
)
def test_each_status_leads_to_its_path(status, route, path, headline, scenario):
    advice = advise(Situation(status, PaymentMethod.PAYPAL))
    assert (advice.route, advice.path, advice.headline, advice.scenario) == (
        route, path, headline, scenario
    )
    assert advice.explanation == ROUTE_EXPLANATIONS[route]


@pytest.mark.parametrize(
    ("status", "refund_expected", "also"),
    [
        (S.AWAITING_PAYMENT, False, ()),
        (S.PAYMENT_BEING_VERIFIED, True, ("refund",)),
        (S.AWAITING_SHIPMENT, True, ("refund",)),
        (S.AWAITING_DELIVERY, True, ("refund",)),
        (S.CLOSED, True, ()),
        (S.COMPLETED, False, ()),
    ],
)
def test_refund_is_expected_only_when_money_was_paid_and_comes_back(status, refund_expected,
                                                                     also):
    advice = advise(Situation(status, PaymentMethod.BANK_CARD))
    assert advice.refund_expected is refund_expected
    assert advice.also == also
    assert (advice.refund is not None) is refund_expected


@pytest.mark.parametrize("method", list(PaymentMethod))
def test_refund_time_is_the_payment_methods_window(method):
    advice = advise(Situation(S.PAYMENT_BEING_VERIFIED, method))
    assert advice.refund == REFUND_WINDOWS[method]


def test_unknown_payment_method_still_says_a_refund_follows():
    advice = advise(Situation(S.AWAITING_SHIPMENT))
    assert advice.refund_expected and advice.refund is None


@pytest.mark.parametrize(
    ("kinds", "every", "expired", "returned", "coupon_scenario"),
    [
        ({PLATFORM}, True, False, {PLATFORM: True}, "platform-coupon"),
        ({PLATFORM}, False, False, {PLATFORM: False}, "platform-coupon"),
        ({STORE}, True, False, {STORE: True}, "platform-coupon"),
        ({STORE}, True, True, {STORE: False}, "store-coupon-expired"),
        ({STORE}, False, False, {STORE: False}, "store-coupon"),
        ({PLATFORM, STORE}, True, True, {PLATFORM: True, STORE: False}, "store-coupon-expired"),
    ],
)
def test_coupons_come_back_by_the_coupon_rule(kinds, every, expired, returned, coupon_scenario):
    advice = advise(
        Situation(S.PAYMENT_BEING_VERIFIED, PaymentMethod.PAYPAL, coupons=frozenset(kinds),
                  every_covered_item_cancelled=every, store_coupon_expired=expired)
    )
    assert {o.kind: o.decision.returned for o in advice.coupons} == returned
    assert "coupon" in advice.also
    assert advice.coupon_scenario == coupon_scenario


def test_no_coupons_no_coupon_advice():
    advice = advise(Situation(S.PAYMENT_BEING_VERIFIED, PaymentMethod.PAYPAL))
    assert advice.coupons == () and advice.coupon_scenario is None


def test_completed_orders_get_no_coupon_advice():
    advice = advise(Situation(S.COMPLETED, coupons=frozenset({PLATFORM})))
    assert advice.coupons == () and "coupon" not in advice.also


@pytest.mark.parametrize(
    ("status", "seen", "warned"),
    [
        (S.PAYMENT_BEING_VERIFIED, True, False),
        (S.PAYMENT_BEING_VERIFIED, False, True),
        (S.AWAITING_SHIPMENT, False, True),
        (S.AWAITING_DELIVERY, True, True),
        (S.AWAITING_DELIVERY, False, False),
        (S.CLOSED, True, True),
        (S.CLOSED, None, False),
    ],
)
def test_a_cancel_button_that_does_not_fit_the_status_is_flagged(status, seen, warned):
    advice = advise(Situation(status, cancel_button=seen))
    assert bool(advice.warnings) is warned


def test_every_suggested_scenario_exists():
    suggested = set()
    for status in OrderStatus:
        for kinds in (frozenset(), frozenset({STORE})):
            for every in (True, False):
                advice = advise(Situation(status, coupons=kinds, every_covered_item_cancelled=every,
                                          store_coupon_expired=True))
                suggested |= {advice.scenario, advice.coupon_scenario} - {None}
    assert suggested <= set(SCENARIOS)
