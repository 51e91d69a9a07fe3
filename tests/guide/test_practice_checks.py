"""Practice checkpoints against scenario states shaped like ``GET /api/scenarios/{token}``."""

import pytest

from domain.scenarios import SCENARIOS
from guide.paths import PATH_ORDER
from guide.practice_checks import EXERCISES, FLOW_EXERCISES, evaluate, exercise_for, next_hint


def order(number, status="Payment being verified", *, items=None, cancellation=None,
          messages=(), refunds=(), coupons=()):
    return {
        "number": number,
        "status": status,
        "items": items or [{"id": 1, "title": "Thing", "paid_cents": 1000, "cancelled": False}],
        "cancellation": cancellation,
        "messages": list(messages),
        "refunds": list(refunds),
        "coupons": list(coupons),
    }


def state(*orders):
    return {"token": "t", "now": "2026-03-02T09:00:00", "orders": list(orders)}


def number(scenario):
    return SCENARIOS[scenario].orders[0].number


def code(scenario):
    return SCENARIOS[scenario].orders[0].coupons[0].code


REFUND = {"amount_cents": 1000, "method": "bank_card", "stages_reached": 1}


def test_every_exercise_names_a_real_scenario_and_path():
    for name, exercise in EXERCISES.items():
        assert name in SCENARIOS
        assert exercise.path in PATH_ORDER
        assert exercise.checkpoints


def test_fresh_scenario_has_nothing_done():
    exercise = EXERCISES["payment-being-verified"]
    done = evaluate(exercise, state(order(number("payment-being-verified"))))
    assert done == [False, False, False]
    assert next_hint(exercise, done).title == "Ask to cancel, with a reason"


def test_pre_verification_cancel_ticks_everything():
    scenario = "payment-being-verified"
    closed = order(number(scenario), "Closed",
                   cancellation={"status": "immediate", "reason": "changed_mind"},
                   refunds=[REFUND])
    done = evaluate(EXERCISES[scenario], state(closed))
    assert done == [True, True, True]
    assert next_hint(EXERCISES[scenario], done) is None


def test_other_orders_of_the_scenario_do_not_count():
    scenario = "payment-being-verified"
    history = order("999", "Closed", cancellation={"status": "immediate", "reason": "other"})
    assert evaluate(EXERCISES[scenario], state(order(number(scenario)), history))[0] is False


def test_post_verification_request_then_seller_answers():
    scenario = "awaiting-shipment"
    exercise = EXERCISES[scenario]
    waiting = order(number(scenario), "Awaiting cancellation",
                    cancellation={"status": "pending", "reason": "better_price"})
    done = evaluate(exercise, state(waiting))
    assert done == [True, False, False, False]
    assert next_hint(exercise, done).title == "The seller has answered"
    accepted = order(number(scenario), "Closed",
                     cancellation={"status": "accepted", "reason": "better_price"},
                     refunds=[REFUND])
    assert evaluate(exercise, state(accepted), done) == [True, True, True, True]


def test_a_checkpoint_once_reached_stays_reached():
    scenario = "awaiting-shipment"
    declined = order(number(scenario), "Awaiting shipment",
                     cancellation={"status": "declined", "reason": "other"})
    assert evaluate(EXERCISES[scenario], state(declined), [True, False, False, False]) == [
        True, True, False, False
    ]


def test_message_to_the_seller_counts_only_from_the_buyer():
    scenario = "marked-shipped"
    seller_only = order(number(scenario), "Awaiting delivery",
                        messages=[{"sender": "seller", "body": "Hello"}])
    buyer = order(number(scenario), "Awaiting delivery",
                  messages=[{"sender": "buyer", "body": "Please cancel"}])
    assert evaluate(EXERCISES[scenario], state(seller_only))[0] is False
    assert evaluate(EXERCISES[scenario], state(buyer))[0] is True


@pytest.mark.parametrize(("stages", "expected"), [
    (1, [True, True, False, False]),
    (2, [True, True, True, False]),
    (3, [True, True, True, True]),
])
def test_refund_tracker_stages(stages, expected):
    closed = order("any", "Closed", refunds=[{**REFUND, "stages_reached": stages}])
    assert evaluate(EXERCISES["refund-methods"], state(order("other"), closed)) == expected


def test_platform_coupon_returned():
    scenario = "platform-coupon"
    items = [{"id": i, "title": "x", "paid_cents": 500, "cancelled": True} for i in (1, 2)]
    done = order(number(scenario), "Closed", items=items,
                 coupons=[{"code": code(scenario), "kind": "platform",
                           "wallet_status": "Returned"}])
    assert evaluate(EXERCISES[scenario], state(done)) == [True, True]


def test_store_coupon_partial_cancellation():
    scenario = "store-coupon"
    items = [
        {"id": 1, "title": "Lamp", "paid_cents": 2700, "cancelled": True},
        {"id": 2, "title": "Spatulas", "paid_cents": 760, "cancelled": False},
    ]
    coupon = {"code": code(scenario), "kind": "store", "wallet_status": "Used"}
    before = order(number(scenario), items=[{**i, "cancelled": False} for i in items],
                   coupons=[coupon])
    after = order(number(scenario), items=items, coupons=[coupon],
                  refunds=[{**REFUND, "amount_cents": 2700}])
    assert evaluate(EXERCISES[scenario], state(before)) == [False, False, False]
    assert evaluate(EXERCISES[scenario], state(after)) == [True, True, True]
    wrong_amount = {**after, "refunds": [{**REFUND, "amount_cents": 3120}]}
    assert evaluate(EXERCISES[scenario], state(wrong_amount))[2] is False


def test_expired_store_coupon_not_returned():
    scenario = "store-coupon-expired"
    coupon = {"code": code(scenario), "kind": "store", "wallet_status": "Used"}
    assert evaluate(EXERCISES[scenario], state(order(number(scenario), coupons=[coupon]))) == [
        False, False, False
    ]
    closed = order(number(scenario), "Closed", coupons=[coupon], refunds=[REFUND])
    assert evaluate(EXERCISES[scenario], state(closed)) == [True, True, True]


def test_exercise_for_falls_back_to_the_scenario():
    assert exercise_for("some-flow", "marked-shipped") is EXERCISES["marked-shipped"]
    assert exercise_for("some-flow", "unknown") is None


def test_odd_state_does_not_crash():
    exercise = EXERCISES["refund-methods"]
    assert evaluate(exercise, {"orders": [None, {"refunds": None}]}) == [False] * 4


def test_flow_variants_name_real_flows_of_their_scenario():
    from flows.paths import load_flows

    flows = load_flows()
    for flow_id, exercise in FLOW_EXERCISES.items():
        assert flow_id in flows, flow_id
        assert flows[flow_id].scenario == exercise.scenario


def test_declined_variant_ends_with_the_order_carrying_on():
    exercise = exercise_for("post-verification-declined", "awaiting-shipment")
    declined = order(number("awaiting-shipment"), "Awaiting shipment",
                     cancellation={"status": "declined", "reason": "other"})
    assert evaluate(exercise, state(declined)) == [True, True, True]


def test_parcel_left_variant_needs_the_sellers_reply():
    exercise = exercise_for("shipped-parcel-left", "marked-shipped")
    asked = order(number("marked-shipped"), "Awaiting delivery",
                  messages=[{"sender": "buyer", "body": "Please cancel"}])
    answered = {**asked, "messages": [*asked["messages"], {"sender": "seller", "body": "Sent"}]}
    assert evaluate(exercise, state(asked)) == [True, False, False]
    assert evaluate(exercise, state(answered)) == [True, True, True]
