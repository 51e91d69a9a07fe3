"""The rules' sentences: each audience's words, built from the rule's own numbers."""

import html

import pytest

from domain import wording
from domain.cancellation import (
    ROUTE_EXPLANATIONS,
    SELLER_RESPONSE_HOURS,
    CancelRoute,
    days_to_lapse,
    response_deadline,
)
from domain.coupons import KEPT_EXPIRED, KEPT_PARTIAL, RETURNED
from domain.payments import REFUND_WINDOWS, PaymentMethod, refund_window
from domain.refunds import STAGES

# Sentences a template prints through ``{{ }}``: autoescaping must leave them as they are.
ON_PAGES = [
    wording.buyer_answer_time(SELLER_RESPONSE_HOURS),
    wording.buyer_waiting("Mar 4, 2026 09:00"),
    wording.SELLER_REQUEST_CHOICES,
    wording.trainer_answer_time(SELLER_RESPONSE_HOURS),
    wording.trainer_lapses_at("Mar 4, 2026 09:00"),
    wording.BUYER_TRACKER_HINT,
    wording.BUYER_COUPON_HINT,
    wording.stages_reached(2),
    wording.stage_state(True),
    wording.stage_state(False),
]


@pytest.mark.parametrize("sentence", ON_PAGES)
def test_sentences_shown_on_pages_need_no_escaping(sentence):
    assert html.escape(sentence) == sentence


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (wording.buyer_answer_time(48), "The seller has 48 hours to answer; no answer counts as a yes."),
        (wording.trainer_lapses_at("Mar 4, 2026 09:00"), "It counts as accepted at Mar 4, 2026 09:00."),
        (wording.stages_reached(2), "2 of 3 stages reached"),
        (wording.ALL_STAGES, "all three"),
        (wording.ANY_METHOD, "3 to 15 days"),
        (wording.PROCESSING_TIME, "1 day"),
        (wording.days_pass(1), "One day passes"),
        (wording.days_pass(2), "Two days pass"),
        (wording.days_pass(14, "more "), "Fourteen more days pass"),
        (wording.days_in_words(40), "40 days"),
        (wording.flow_window_passes(2)[0], "Two days pass without an answer"),
        (wording.counted(1, "character"), "1 character"),
        (wording.counted(30, "character"), "30 characters"),
        (wording.duration(1, 0), "1 day"),
        (wording.duration(2, 3), "2 days 3 hours"),
        (wording.duration(0, 1), "1 hour"),
        (wording.duration(0, 5), "5 hours"),
        (wording.duration(1, 1), "1 day 1 hour"),
        (wording.one_of(("cancel",)), "“cancel”"),
        (wording.one_of(("cancel", "refund")), "“cancel” or “refund”"),
        (wording.one_of(("a", "b", "c")), "“a”, “b” or “c”"),
    ],
)
def test_each_sentence_reads_as_written(said, expected):
    assert said == expected


def test_the_time_limit_is_the_one_given():
    assert "72 hours" in wording.buyer_answer_time(72)
    assert "72 hours" in wording.trainer_answer_time(72)


@pytest.mark.parametrize(("hours", "days"), [(1, 1), (24, 1), (25, 2), (48, 2), (49, 3)])
def test_the_days_to_lapse_cover_the_whole_window(hours, days):
    assert days_to_lapse(hours) == days


def test_the_recorded_window_lapses_in_the_days_the_flow_lets_pass():
    from datetime import datetime, timedelta

    asked = datetime(2026, 3, 2, 9, 0)
    lapse = days_to_lapse(SELLER_RESPONSE_HOURS)
    assert asked + timedelta(days=lapse) >= response_deadline(asked, SELLER_RESPONSE_HOURS)
    assert asked + timedelta(days=lapse - 1) < response_deadline(asked, SELLER_RESPONSE_HOURS)


@pytest.mark.parametrize("stage", range(len(STAGES)))
def test_a_stage_is_read_with_its_name_and_state(stage):
    assert wording.stage_as_read(stage, True) == f"{STAGES[stage]} (done)"
    assert wording.stage_as_read(stage, False) == f"{STAGES[stage]} (not yet)"


def test_the_overall_refund_time_spans_every_payment_method():
    shortest = min(w.min_days for w in REFUND_WINDOWS.values())
    longest = max(w.max_days for w in REFUND_WINDOWS.values())
    assert f"{shortest} to {longest} days" == wording.ANY_METHOD
    assert wording.ANY_METHOD in wording.GUIDE_REFUND_TIME
    assert wording.ANY_METHOD in wording.FLOW_CLOSED_AT_ONCE


@pytest.mark.parametrize("method", list(PaymentMethod))
def test_a_methods_refund_time_is_its_window(method):
    window = refund_window(method)
    assert window.describe() in wording.refund_days_explained(window)
    assert window.describe() in wording.flow_refund_next(window)
    assert f"By day {window.max_days} " in wording.flow_paid_back(window, window.max_days - 1)


def test_the_rules_speak_these_words():
    assert ROUTE_EXPLANATIONS[CancelRoute.SELLER_DECIDES] == wording.SELLER_DECIDES
    assert (RETURNED.reason, KEPT_PARTIAL.reason, KEPT_EXPIRED.reason) == (
        wording.COUPON_RETURNED, wording.COUPON_KEPT_PARTIAL, wording.COUPON_KEPT_EXPIRED
    )
