"""The order's lifecycle as plain functions: each transition, what it causes, who may act."""

from datetime import datetime, timedelta

import pytest

from domain import lifecycle
from domain.cancellation import CancellationError, CouponUse, ItemLine
from domain.coupons import KEPT_EXPIRED, KEPT_PARTIAL, RETURNED, CouponKind
from domain.lifecycle import (
    CancellationStatus,
    NotAllowed,
    OrderFacts,
    PendingRequest,
    SellerAction,
)
from domain.statuses import OrderStatus

S = OrderStatus
C = CancellationStatus
A = SellerAction
NOW = datetime(2026, 3, 2, 9, 0)
DEADLINE = NOW + timedelta(hours=48)
ITEMS = (ItemLine(1, 1000), ItemLine(2, 2500), ItemLine(3, 499))


def order(status: S, *, pending: frozenset[int] | None = None, coupons=(), items=ITEMS,
          before: S | None = None) -> OrderFacts:
    """An order in ``status``; ``pending`` items mean a request waits until DEADLINE."""
    request = None if pending is None else PendingRequest(pending, DEADLINE)
    if pending is not None and before is None:
        before = S.AWAITING_SHIPMENT
    return OrderFacts(status, items, tuple(coupons), before, request)


def coupon(kind: CouponKind, covers: set[int], expires: datetime) -> CouponUse:
    return CouponUse(100, kind, frozenset(covers), expires)


# --- who may do what -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("status", "pending", "allowed"),
    [
        (S.AWAITING_PAYMENT, False, {A.REPLY}),
        (S.PAYMENT_BEING_VERIFIED, False, {A.REPLY}),
        (S.AWAITING_SHIPMENT, False, {A.SHIP, A.CANCEL, A.REPLY}),
        (S.AWAITING_CANCELLATION, True, {A.ACCEPT, A.DECLINE, A.REPLY}),
        (S.AWAITING_DELIVERY, False, {A.CANCEL, A.REPLY}),
        (S.COMPLETED, False, {A.REPLY}),
        (S.CLOSED, False, {A.REPLY}),
    ],
)
def test_the_seller_may_do_what_the_status_allows(status, pending, allowed):
    assert lifecycle.seller_actions(status, pending) == allowed


def test_seller_actions_are_the_api_words_with_the_console_labels():
    assert {a.value: a.label for a in SellerAction} == {
        "accept": "Accept cancellation", "decline": "Decline cancellation",
        "ship": "Mark as shipped", "cancel": "Cancel order", "reply": "Send reply",
    }


# --- the buyer cancels -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("start", "items", "status", "cancellation", "refund", "events"),
    [
        (S.PAYMENT_BEING_VERIFIED, None, S.CLOSED, C.IMMEDIATE, 3999,
         ("You cancelled the whole order (I changed my mind).", "Refund of US $39.99 started.")),
        (S.PAYMENT_BEING_VERIFIED, [2], S.PAYMENT_BEING_VERIFIED, C.IMMEDIATE, 2500,
         ("You cancelled 1 of 3 items (I changed my mind).", "Refund of US $25.00 started.")),
        (S.AWAITING_PAYMENT, None, S.CLOSED, C.IMMEDIATE, 0,
         ("You cancelled the whole order (I changed my mind).",)),
        (S.AWAITING_SHIPMENT, [1, 3], S.AWAITING_CANCELLATION, C.PENDING, 0,
         ("You asked the seller to cancel 2 of 3 items (I changed my mind).",)),
    ],
    ids=["verifying-all", "verifying-one-item", "unpaid-nothing-to-refund", "shipment-request"],
)
def test_buyer_cancels(start, items, status, cancellation, refund, events):
    # Given an order in ``start``, when the buyer cancels
    change = lifecycle.buyer_cancels(order(start), "changed_mind", items, NOW, 48)
    # then the order, the cancellation, the refund and the timeline are as the rules say
    assert (change.status, change.cancellation, change.refund_cents) == (
        status, cancellation, refund)
    assert change.events == events
    assert change.at == NOW


def test_a_request_waits_for_the_seller_until_its_deadline():
    change = lifecycle.buyer_cancels(order(S.AWAITING_SHIPMENT), "other", None, NOW, 72)
    assert change.deadline == NOW + timedelta(hours=72)
    assert change.status_before_request is S.AWAITING_SHIPMENT
    assert change.settled is None
    assert change.item_ids == {1, 2, 3}


@pytest.mark.parametrize(
    ("status", "reason", "items", "message"),
    [
        (S.AWAITING_DELIVERY, "other", None, "Cancel order is gone once the store marks"),
        (S.AWAITING_CANCELLATION, "other", None, "A cancellation request is waiting"),
        (S.CLOSED, "other", None, "This order can no longer be cancelled."),
        (S.PAYMENT_BEING_VERIFIED, "because", None, "Choose one of the listed reasons"),
        (S.PAYMENT_BEING_VERIFIED, "other", [], "Choose at least one item to cancel."),
        (S.PAYMENT_BEING_VERIFIED, "other", [9], "Some of the chosen items are not in"),
    ],
)
def test_buyer_cancel_refused_says_why(status, reason, items, message):
    with pytest.raises(CancellationError) as error:
        lifecycle.buyer_cancels(order(status), reason, items, NOW, 48)
    assert str(error.value).startswith(message)


# --- the seller answers, or does not ---------------------------------------------------------

@pytest.mark.parametrize(
    ("accept", "status", "cancellation", "refund", "first_event"),
    [
        (True, S.CLOSED, C.ACCEPTED, 3999, "The seller accepted the cancellation request."),
        (False, S.AWAITING_SHIPMENT, C.DECLINED, 0, "The seller declined the cancellation request."),
    ],
)
def test_seller_answers_a_request(accept, status, cancellation, refund, first_event):
    # Given a request for the whole order
    waiting = order(S.AWAITING_CANCELLATION, pending=frozenset({1, 2, 3}))
    # when the seller answers
    change = lifecycle.seller_answers(waiting, accept, NOW)
    # then the order closes with a refund, or goes back to where it was
    assert (change.status, change.cancellation, change.refund_cents) == (
        status, cancellation, refund)
    assert change.events[0] == first_event
    assert change.status_before_request is None


def test_accepting_a_partial_request_returns_the_order_to_where_it_was():
    waiting = order(S.AWAITING_CANCELLATION, pending=frozenset({2}))
    change = lifecycle.seller_answers(waiting, True, NOW)
    assert change.status is S.AWAITING_SHIPMENT
    assert change.refund_cents == 2500


@pytest.mark.parametrize(
    ("hours_after_request", "lapses"),
    [(47, False), (48, True), (200, True)],
)
def test_an_unanswered_request_lapses_at_its_deadline(hours_after_request, lapses):
    # Given a request made at NOW with a 48-hour window
    waiting = order(S.AWAITING_CANCELLATION, pending=frozenset({1, 2, 3}))
    # when the clock reaches some time later
    change = lifecycle.request_lapses(waiting, NOW + timedelta(hours=hours_after_request))
    # then it is accepted from the deadline on, and dated at the deadline
    assert (change is not None) is lapses
    if lapses:
        assert (change.at, change.cancellation, change.status) == (DEADLINE, C.LAPSED, S.CLOSED)
        assert change.events[0] == (
            "The seller did not answer in time, so the request was accepted.")


def test_a_lapse_judges_coupons_at_the_deadline_not_at_the_new_time():
    store = coupon(CouponKind.STORE, {1, 2, 3}, DEADLINE + timedelta(hours=1))
    waiting = order(S.AWAITING_CANCELLATION, pending=frozenset({1, 2, 3}), coupons=[store])
    change = lifecycle.request_lapses(waiting, DEADLINE + timedelta(days=10))
    assert change.settled.coupon_decisions == {100: RETURNED}


def test_no_request_nothing_lapses():
    assert lifecycle.request_lapses(order(S.AWAITING_SHIPMENT), NOW + timedelta(days=9)) is None


# --- the seller cancels or ships -------------------------------------------------------------

@pytest.mark.parametrize("status", [S.AWAITING_SHIPMENT, S.AWAITING_DELIVERY])
def test_seller_cancels_every_open_item(status):
    items = (ItemLine(1, 1000, cancelled=True), ItemLine(2, 2500))
    change = lifecycle.seller_cancels(order(status, items=items), NOW)
    assert (change.status, change.cancellation, change.item_ids) == (S.CLOSED, C.BY_SELLER, {2})
    assert change.events == ("The seller cancelled the order.", "Refund of US $25.00 started.")


def test_seller_ships():
    change = lifecycle.seller_ships(order(S.AWAITING_SHIPMENT), NOW)
    assert (change.status, change.events) == (
        S.AWAITING_DELIVERY, ("The store marked the order as shipped.",))


@pytest.mark.parametrize(
    ("when", "given", "message"),
    [
        (lambda o: lifecycle.seller_answers(o, True, NOW), order(S.AWAITING_SHIPMENT),
         "There is no cancellation request waiting on this order."),
        (lambda o: lifecycle.seller_answers(o, False, NOW), order(S.CLOSED),
         "There is no cancellation request waiting on this order."),
        (lambda o: lifecycle.seller_cancels(o, NOW), order(S.COMPLETED),
         "This order's status is Completed: the store can cancel only orders awaiting"
         " shipment or awaiting delivery."),
        (lambda o: lifecycle.seller_ships(o, NOW), order(S.AWAITING_DELIVERY),
         "Only an order awaiting shipment can be marked shipped."),
        (lambda o: lifecycle.seller_ships(o, NOW),
         order(S.AWAITING_CANCELLATION, pending=frozenset({1})),
         "Only an order awaiting shipment can be marked shipped"
         " (answer the cancellation request first)."),
    ],
    ids=["accept-no-request", "decline-closed", "cancel-completed", "ship-shipped",
         "ship-while-asked"],
)
def test_seller_refused_says_why(when, given, message):
    with pytest.raises(NotAllowed) as error:
        when(given)
    assert str(error.value) == message


# --- coupons and what the order becomes ------------------------------------------------------

@pytest.mark.parametrize(
    ("kind", "items", "expires", "decision"),
    [
        (CouponKind.PLATFORM, None, NOW - timedelta(days=1), RETURNED),
        (CouponKind.STORE, None, NOW + timedelta(days=1), RETURNED),
        (CouponKind.STORE, None, NOW, KEPT_EXPIRED),
        (CouponKind.STORE, [1], NOW + timedelta(days=1), KEPT_PARTIAL),
    ],
)
def test_cancelling_decides_the_coupons(kind, items, expires, decision):
    given = order(S.PAYMENT_BEING_VERIFIED, coupons=[coupon(kind, {1, 2, 3}, expires)])
    change = lifecycle.buyer_cancels(given, "other", items, NOW, 48)
    assert change.settled.coupon_decisions == {100: decision}


def test_after_gives_the_order_the_transition_leaves():
    given = order(S.PAYMENT_BEING_VERIFIED,
                  coupons=[coupon(CouponKind.PLATFORM, {1}, NOW + timedelta(days=1))])
    left = lifecycle.after(given, lifecycle.buyer_cancels(given, "other", [1], NOW, 48))
    assert [item.cancelled for item in left.items] == [True, False, False]
    assert left.coupons[0].returned
    assert (left.status, left.pending) == (S.PAYMENT_BEING_VERIFIED, None)
    asked = order(S.AWAITING_SHIPMENT)
    waiting = lifecycle.after(asked, lifecycle.buyer_cancels(asked, "other", [2], NOW, 48))
    assert waiting.pending == PendingRequest(frozenset({2}), DEADLINE)
    assert waiting.status_before_request is S.AWAITING_SHIPMENT


# --- the clock -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("step", "message"),
    [
        (timedelta(hours=-1), "The clock only moves forward."),
        (timedelta(days=365, hours=1), "Move the clock by at most 365 days at a time."),
    ],
)
def test_the_clock_limit_is_one_rule_with_one_message(step, message):
    with pytest.raises(NotAllowed) as error:
        lifecycle.check_clock_step(step)
    assert str(error.value) == message


@pytest.mark.parametrize("step", [timedelta(0), timedelta(days=365)])
def test_the_clock_moves_up_to_a_year(step):
    assert lifecycle.check_clock_step(step) == step
