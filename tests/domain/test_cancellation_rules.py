"""The cancellation rules as plain functions: routes, reasons, deadlines, settlements."""

from datetime import datetime, timedelta

import pytest

from domain.cancellation import (
    REASONS,
    ROUTE_EXPLANATIONS,
    CancellationError,
    CancelRoute,
    CouponUse,
    ItemLine,
    cancel_route,
    check_reason,
    choose_items,
    request_lapsed,
    response_deadline,
    settle_cancellation,
    shows_cancel_button,
)
from domain.coupons import KEPT_EXPIRED, KEPT_PARTIAL, RETURNED, CouponKind
from domain.statuses import OrderStatus

S = OrderStatus
R = CancelRoute
NOW = datetime(2026, 3, 2, 9, 0)
LATER = NOW + timedelta(days=30)


@pytest.mark.parametrize(
    ("status", "route", "button"),
    [
        (S.AWAITING_PAYMENT, R.IMMEDIATE, True),
        (S.PAYMENT_BEING_VERIFIED, R.IMMEDIATE, True),
        (S.AWAITING_SHIPMENT, R.SELLER_DECIDES, True),
        (S.AWAITING_CANCELLATION, R.REQUEST_PENDING, False),
        (S.AWAITING_DELIVERY, R.MESSAGE_SELLER, False),
        (S.COMPLETED, R.NOT_POSSIBLE, False),
        (S.CLOSED, R.NOT_POSSIBLE, False),
    ],
)
def test_cancel_route_and_button_follow_the_status(status, route, button):
    assert cancel_route(status) is route
    assert cancel_route(status.value) is route  # the stored label works too
    assert shows_cancel_button(status) is button


def test_every_route_is_explained_in_words():
    assert set(ROUTE_EXPLANATIONS) == set(CancelRoute)
    assert ROUTE_EXPLANATIONS[R.NOT_POSSIBLE] == "This order can no longer be cancelled."
    assert "Message the seller" in ROUTE_EXPLANATIONS[R.MESSAGE_SELLER]


def test_reasons_are_the_fixed_list():
    assert REASONS == {
        "changed_mind": "I changed my mind",
        "ordered_by_mistake": "I ordered by mistake",
        "wrong_size_or_colour": "Wrong size, colour or option",
        "better_price": "Found a better price",
        "shipping_too_slow": "Delivery would take too long",
        "other": "Another reason",
    }


@pytest.mark.parametrize(("code", "label"), list(REASONS.items()))
def test_listed_reason_gives_its_label(code, label):
    assert check_reason(code) == label


@pytest.mark.parametrize("code", ["", "CHANGED_MIND", "I changed my mind", "fraud", " other"])
def test_unknown_reason_is_refused(code):
    with pytest.raises(CancellationError) as error:
        check_reason(code)
    assert str(error.value) == "Choose one of the listed reasons for cancelling."


@pytest.mark.parametrize(
    ("window_hours", "after", "lapsed"),
    [
        (48, timedelta(0), False),
        (48, timedelta(hours=47, minutes=59), False),
        (48, timedelta(hours=48), True),
        (48, timedelta(days=5), True),
        (72, timedelta(hours=48), False),
        (72, timedelta(hours=71, minutes=59), False),
        (72, timedelta(hours=72), True),
    ],
)
def test_silent_seller_is_taken_as_accepting_once_the_window_ends(window_hours, after, lapsed):
    assert response_deadline(NOW, window_hours) == NOW + timedelta(hours=window_hours)
    assert request_lapsed(NOW, NOW + after, window_hours) is lapsed


ITEMS = [ItemLine(1, 2744), ItemLine(2, 770), ItemLine(3, 871)]


@pytest.mark.parametrize(
    ("items", "requested", "chosen"),
    [
        (ITEMS, None, {1, 2, 3}),
        (ITEMS, [2], {2}),
        (ITEMS, [3, 1], {1, 3}),
        (ITEMS, [2, 2], {2}),
        ([ItemLine(1, 2744, cancelled=True), *ITEMS[1:]], None, {2, 3}),
    ],
)
def test_choose_items_takes_those_asked_for_or_every_open_one(items, requested, chosen):
    assert choose_items(items, requested) == chosen


@pytest.mark.parametrize(
    ("items", "requested", "message"),
    [
        (ITEMS, [], "Choose at least one item to cancel."),
        ([ItemLine(1, 5, cancelled=True)], None, "Choose at least one item to cancel."),
        (ITEMS, [99], "Some of the chosen items are not in this order."),
        (ITEMS, [1, 99], "Some of the chosen items are not in this order."),
        (
            [ItemLine(1, 2744, cancelled=True), *ITEMS[1:]],
            [1],
            "Some of the chosen items are already cancelled.",
        ),
    ],
)
def test_choose_items_refuses_a_bad_choice(items, requested, message):
    with pytest.raises(CancellationError) as error:
        choose_items(items, requested)
    assert str(error.value) == message


def coupon(kind, item_ids, expires_at=LATER, returned=False, coupon_id=10):
    return CouponUse(coupon_id, CouponKind(kind), frozenset(item_ids), expires_at, returned)


def test_refund_is_what_was_paid_for_the_cancelled_items():
    outcome = settle_cancellation(ITEMS, [], frozenset({2, 3}), NOW)
    assert outcome.refund_cents == 770 + 871
    assert outcome.order_closed is False


def test_order_closes_when_its_last_open_item_is_cancelled():
    items = [ItemLine(1, 2744, cancelled=True), *ITEMS[1:]]
    outcome = settle_cancellation(items, [], frozenset({2, 3}), NOW)
    assert outcome.order_closed is True
    assert outcome.refund_cents == 770 + 871  # the item cancelled before is not paid twice


@pytest.mark.parametrize(
    ("kind", "cancelled", "expires_at", "decision"),
    [
        ("platform", {1, 2, 3}, LATER, RETURNED),
        ("platform", {1, 2, 3}, NOW - timedelta(hours=1), RETURNED),
        ("platform", {2}, LATER, KEPT_PARTIAL),
        ("store", {1, 2, 3}, LATER, RETURNED),
        ("store", {1, 2, 3}, NOW, KEPT_EXPIRED),
        ("store", {2}, LATER, KEPT_PARTIAL),
        ("store", {2}, NOW - timedelta(days=1), KEPT_PARTIAL),
    ],
)
def test_settlement_decides_the_coupons_the_cancellation_touches(
    kind, cancelled, expires_at, decision
):
    outcome = settle_cancellation(
        ITEMS, [coupon(kind, {1, 2, 3}, expires_at)], frozenset(cancelled), NOW
    )
    assert outcome.coupon_decisions == {10: decision}
    assert outcome.returned_coupon_ids == ({10} if decision.returned else set())


def test_coupon_on_other_items_is_left_undecided():
    outcome = settle_cancellation(ITEMS, [coupon("store", {1})], frozenset({2}), NOW)
    assert outcome.coupon_decisions == {}


def test_coupon_already_returned_is_never_returned_again():
    items = [ItemLine(1, 2744, cancelled=True), *ITEMS[1:]]
    already = coupon("platform", {1, 2, 3}, returned=True)
    outcome = settle_cancellation(items, [already], frozenset({2, 3}), NOW)
    assert outcome.coupon_decisions == {}
