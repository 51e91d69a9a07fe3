"""Refunds: how long each payment method takes, and the three-stage tracker."""

from datetime import datetime, timedelta

import pytest

from domain.payments import (
    LONGEST_REFUND_DAYS,
    REFUND_WINDOWS,
    SHORTEST_REFUND_DAYS,
    PaymentMethod,
    refund_window,
)
from domain.refunds import PROCESSING_DAYS, STAGES, RefundTracker

REQUESTED = datetime(2026, 3, 2, 9, 0)
M = PaymentMethod


@pytest.mark.parametrize(
    ("method", "label", "min_days", "max_days"),
    [
        (M.PLATFORM_BALANCE, "Marketplace balance", 3, 5),
        (M.PAYPAL, "PayPal", 5, 10),
        (M.BANK_CARD, "Bank card", 7, 15),
    ],
)
def test_each_payment_method_has_its_own_refund_window(method, label, min_days, max_days):
    window = refund_window(method)
    assert (window.label, window.min_days, window.max_days) == (label, min_days, max_days)
    assert window.describe() == f"{min_days} to {max_days} days"


@pytest.mark.parametrize("method", list(PaymentMethod))
def test_every_refund_window_lies_inside_three_to_fifteen_days(method):
    window = refund_window(method)
    assert 3 <= window.min_days <= window.max_days <= 15


def test_refunds_take_three_to_fifteen_days_overall():
    assert (SHORTEST_REFUND_DAYS, LONGEST_REFUND_DAYS) == (3, 15)


def test_platform_balance_is_fastest_and_bank_card_slowest():
    by_speed = sorted(REFUND_WINDOWS, key=lambda m: (REFUND_WINDOWS[m].max_days, m))
    assert by_speed[0] is M.PLATFORM_BALANCE
    assert by_speed[-1] is M.BANK_CARD
    assert all(
        REFUND_WINDOWS[M.PLATFORM_BALANCE].max_days < REFUND_WINDOWS[m].max_days
        for m in (M.PAYPAL, M.BANK_CARD)
    )


@pytest.mark.parametrize("code", ["platform_balance", "paypal", "bank_card"])
def test_refund_window_accepts_the_stored_code(code):
    assert refund_window(code) is REFUND_WINDOWS[PaymentMethod(code)]


@pytest.mark.parametrize("code", ["cash", "", "Bank card"])
def test_refund_window_refuses_an_unknown_method(code):
    with pytest.raises(ValueError):
        refund_window(code)


def test_tracker_stages_are_named_in_order():
    assert STAGES == (
        "Refund requested",
        "Processed by the marketplace",
        "Paid to your payment method",
    )


@pytest.mark.parametrize(
    ("method", "after", "reached"),
    [
        # day 0: only the request
        (M.BANK_CARD, timedelta(0), 1),
        (M.BANK_CARD, timedelta(hours=23, minutes=59), 1),
        # part way: the marketplace has processed it
        (M.BANK_CARD, timedelta(days=PROCESSING_DAYS), 2),
        (M.BANK_CARD, timedelta(days=14, hours=23), 2),
        # done: paid back at the end of the method's window
        (M.BANK_CARD, timedelta(days=15), 3),
        (M.BANK_CARD, timedelta(days=40), 3),
        (M.PAYPAL, timedelta(days=9), 2),
        (M.PAYPAL, timedelta(days=10), 3),
        (M.PLATFORM_BALANCE, timedelta(days=4), 2),
        (M.PLATFORM_BALANCE, timedelta(days=5), 3),
        # a clock before the request shows nothing reached
        (M.PAYPAL, -timedelta(minutes=1), 0),
    ],
)
def test_tracker_stage_is_reached_on_its_day(method, after, reached):
    # Given a refund requested at a fixed time
    tracker = RefundTracker(REQUESTED, method)
    # when the tracker is read some time later
    stages = tracker.stages(REQUESTED + after)
    # then the stages reached so far are the first ones, in order
    assert [stage.reached for stage in stages] == [True] * reached + [False] * (3 - reached)
    assert tracker.stages_reached(REQUESTED + after) == reached
    assert tracker.is_paid(REQUESTED + after) is (reached == 3)


@pytest.mark.parametrize("method", list(PaymentMethod))
def test_tracker_dates_each_stage(method):
    tracker = RefundTracker(REQUESTED, method)
    stages = tracker.stages(REQUESTED)
    assert [stage.title for stage in stages] == list(STAGES)
    assert [stage.at for stage in stages] == [
        REQUESTED,
        REQUESTED + timedelta(days=1),
        REQUESTED + timedelta(days=refund_window(method).max_days),
    ]
    assert tracker.processed_at < tracker.paid_at
