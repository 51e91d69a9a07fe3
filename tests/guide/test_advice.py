"""The "Which path is mine?" decisions, as tables of situations and expected advice."""

import pytest

from domain.cancellation import ROUTE_EXPLANATIONS, CancelRoute
from domain.coupons import CouponKind
from domain.paths import PathId as P
from domain.payments import REFUND_WINDOWS, PaymentMethod
from domain.scenarios import SCENARIOS
from domain.scenarios import ScenarioName as N
from domain.statuses import OrderStatus
from guide.advice import CLOSED_EXPLANATION, COMPLETED_EXPLANATION, Situation, advise

S = OrderStatus
PLATFORM, STORE = CouponKind.PLATFORM, CouponKind.STORE


@pytest.mark.parametrize(
    ("status", "route", "path", "headline", "scenario"),
    [
        (S.AWAITING_PAYMENT, CancelRoute.IMMEDIATE, P.PRE_VERIFICATION, "Cancelled at once",
         N.PAYMENT_BEING_VERIFIED),
        (S.PAYMENT_BEING_VERIFIED, CancelRoute.IMMEDIATE, P.PRE_VERIFICATION,
         "Cancelled at once", N.PAYMENT_BEING_VERIFIED),
        (S.AWAITING_SHIPMENT, CancelRoute.SELLER_DECIDES, P.POST_VERIFICATION,
         "The seller decides", N.AWAITING_SHIPMENT),
        (S.AWAITING_CANCELLATION, CancelRoute.REQUEST_PENDING, P.POST_VERIFICATION,
         "Waiting for the seller", N.AWAITING_SHIPMENT),
        (S.AWAITING_DELIVERY, CancelRoute.MESSAGE_SELLER, P.POST_VERIFICATION,
         "Ask the seller by message", N.MARKED_SHIPPED),
        (S.CLOSED, CancelRoute.NOT_POSSIBLE, P.REFUND, "Already cancelled", N.REFUND_METHODS),
        (S.COMPLETED, CancelRoute.NOT_POSSIBLE, None, "It can no longer be cancelled", None),
    ],
)
def test_each_status_leads_to_its_path(status, route, path, headline, scenario):
    advice = advise(Situation(status, PaymentMethod.PAYPAL))
    assert (advice.route, advice.path, advice.headline, advice.scenario) == (
        route, path, headline, scenario
    )
    if status in (S.CLOSED, S.COMPLETED):  # nothing to cancel: what can still be done
        assert advice.next_steps
    else:
        assert advice.explanation == ROUTE_EXPLANATIONS[route]
        assert advice.next_steps == ()


def test_a_closed_order_is_told_to_follow_its_refund_and_coupons():
    advice = advise(Situation(S.CLOSED, coupons=frozenset({STORE}),
                              every_covered_item_cancelled=None, store_coupon_expired=False))
    assert advice.explanation == CLOSED_EXPLANATION
    assert any("Finances" in line for line in advice.next_steps)
    assert any("Coupons" in line for line in advice.next_steps)
    # A Closed order was cancelled as a whole: its store coupon's verdict needs no more.
    assert [o.decision.returned for o in advice.coupons] == [True]
    assert advice.also == (P.COUPON,)


def test_a_completed_order_is_pointed_to_the_seller_and_returns():
    advice = advise(Situation(S.COMPLETED, PaymentMethod.PAYPAL))
    assert advice.path is None and advice.explanation == COMPLETED_EXPLANATION
    words = " ".join(advice.next_steps)
    assert "Contact seller" in words and "return" in words
    assert "does not cover" in words


@pytest.mark.parametrize(("every", "expired"), [(None, None), (True, None), (None, False)])
def test_an_unanswered_coupon_question_gets_no_verdict(every, expired):
    advice = advise(Situation(S.PAYMENT_BEING_VERIFIED, coupons=frozenset({STORE}),
                              every_covered_item_cancelled=every, store_coupon_expired=expired))
    assert advice.coupons == ()


@pytest.mark.parametrize(
    ("status", "refund_expected", "also"),
    [
        (S.AWAITING_PAYMENT, False, ()),
        (S.PAYMENT_BEING_VERIFIED, True, (P.REFUND,)),
        (S.AWAITING_SHIPMENT, True, (P.REFUND,)),
        (S.AWAITING_DELIVERY, True, (P.REFUND,)),
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
        ({PLATFORM}, True, False, {PLATFORM: True}, N.PLATFORM_COUPON),
        ({PLATFORM}, False, False, {PLATFORM: False}, N.PLATFORM_COUPON),
        ({STORE}, True, False, {STORE: True}, N.PLATFORM_COUPON),
        ({STORE}, True, True, {STORE: False}, N.STORE_COUPON_EXPIRED),
        ({STORE}, False, False, {STORE: False}, N.STORE_COUPON),
        ({PLATFORM, STORE}, True, True, {PLATFORM: True, STORE: False}, N.STORE_COUPON_EXPIRED),
    ],
)
def test_coupons_come_back_by_the_coupon_rule(kinds, every, expired, returned, coupon_scenario):
    advice = advise(
        Situation(S.PAYMENT_BEING_VERIFIED, PaymentMethod.PAYPAL, coupons=frozenset(kinds),
                  every_covered_item_cancelled=every, store_coupon_expired=expired)
    )
    assert {o.kind: o.decision.returned for o in advice.coupons} == returned
    assert P.COUPON in advice.also
    assert advice.coupon_scenario == coupon_scenario


def test_no_coupons_no_coupon_advice():
    advice = advise(Situation(S.PAYMENT_BEING_VERIFIED, PaymentMethod.PAYPAL))
    assert advice.coupons == () and advice.coupon_scenario is None


def test_completed_orders_get_no_coupon_advice():
    advice = advise(Situation(S.COMPLETED, coupons=frozenset({PLATFORM})))
    assert advice.coupons == () and P.COUPON not in advice.also


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
