"""Properties of the services under random sequences of buyer, seller and clock actions.

Each example runs against its own SQLite file. Whatever happens, money, items,
coupons and statuses must stay consistent.
"""

import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import event, select
from sqlalchemy.orm import selectinload

from domain.cancellation import REASONS
from domain.coupons import KEPT_EXPIRED, CouponKind
from domain.statuses import ALLOWED_MOVES, OrderStatus, check_move
from mock_site import services
from mock_site.core.db import Database
from mock_site.core.models import Coupon, Order
from mock_site.services.clock import advance_clock
from mock_site.services.orders import cancel_order
from mock_site.services.seller import seller_answer, seller_cancel, seller_mark_shipped
from tests.support.examples import examples
from tests.support.worlds import World

SCENARIO_NAMES = ["store-coupon", "platform-coupon", "awaiting-shipment"]
APPLIED = {"immediate", "accepted", "lapsed", "by_seller"}
UNKNOWN_ITEM = 10**9

# No shrink phase: shrinking a failing run of real database steps can outlast the
# test timeout, and an unshrunk run of at most 15 steps is still readable. Add
# Phase.shrink here when chasing a failure locally.
MACHINE_SETTINGS = settings(
    max_examples=examples(40),
    stateful_step_count=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture
def status_moves():
    """Every (old, new) status an order is given while the test runs, in order."""
    moves: list[tuple[str, str]] = []

    def record(_order, value, oldvalue, _initiator):
        if isinstance(oldvalue, str):  # not the first status a new order is created with
            moves.append((oldvalue, value))

    event.listen(Order.status, "set", record, active_history=True)
    yield moves
    event.remove(Order.status, "set", record)


def check_world(db: Database, world: World, returned_seen: dict[int, object]) -> None:
    """The invariants every reachable state keeps, whatever led to it."""
    with db.transaction() as s:
        orders = s.scalars(
            select(Order)
            .where(Order.scenario_id == world.scenario_id)
            .options(
                selectinload(Order.items),
                selectinload(Order.cancellations),
                selectinload(Order.refunds),
                selectinload(Order.coupons).selectinload(Coupon.items),
            )
        ).all()
        for order in orders:
            number = order.number
            paid = {item.id: item.paid_cents for item in order.items}
            applied = [c for c in order.cancellations if c.status in APPLIED]
            refunded_items = [i for c in applied for i in c.item_ids]

            # each item is refunded at most once, and exactly the cancelled ones are
            assert len(refunded_items) == len(set(refunded_items)), number
            assert set(refunded_items) == {i.id for i in order.items if i.cancelled}, number
            # each refund is what was paid for its items; together never more than paid
            by_cancellation = {r.cancellation_id: r for r in order.refunds}
            for cancellation in applied:
                refund = by_cancellation.get(cancellation.id)
                owed = sum(paid[i] for i in cancellation.item_ids)
                assert (refund.amount_cents if refund else 0) == owed, number
                assert refund is None or refund.method == order.payment_method
            assert set(by_cancellation) <= {c.id for c in applied}, number
            assert sum(r.amount_cents for r in order.refunds) <= order.paid_cents, number
            # a silent seller is taken as accepting at the deadline, however the clock jumped
            for cancellation in order.cancellations:
                if cancellation.status == "lapsed":
                    assert cancellation.decided_at == cancellation.deadline, number
            # at most one request waits, and only while the order says so
            pending = [c for c in order.cancellations if c.status == "pending"]
            assert len(pending) <= 1, number
            assert bool(pending) == (order.status == OrderStatus.AWAITING_CANCELLATION), number
            # an order is closed exactly when every item is cancelled
            all_cancelled = all(item.cancelled for item in order.items)
            assert (order.status == OrderStatus.CLOSED) == all_cancelled, number

            for coupon in order.coupons:
                # a coupon's return is recorded once and never changes after
                if coupon.id in returned_seen and returned_seen[coupon.id] is not None:
                    assert coupon.returned_at == returned_seen[coupon.id], coupon.code
                returned_seen[coupon.id] = coupon.returned_at
                if coupon.returned_at is not None:
                    assert all(item.cancelled for item in coupon.items), coupon.code
                    if coupon.kind == CouponKind.STORE:
                        assert coupon.returned_at < coupon.expires_at, coupon.code
                    assert coupon.decision_note != KEPT_EXPIRED.reason


def check_moves(moves: list[tuple[str, str]]) -> None:
    for old, new in moves:
        assert new in ALLOWED_MOVES[OrderStatus(old)], f"{old} -> {new}"
    moves.clear()


class CancellationMachine(RuleBasedStateMachine):
    """A buyer, a seller and a trainer's clock acting on one scenario in random order."""

    def __init__(
        self,
        copy_world: Callable[[str], tuple[Database, World]],
        moves: list[tuple[str, str]],
    ):
        super().__init__()
        self.copy_world = copy_world
        self.db: Database | None = None
        self.moves = moves
        self.moves.clear()
        self.returned_seen: dict[int, object] = {}
        self.world: World | None = None
        self.item_ids: dict[str, list[int]] = {}

    @initialize(name=st.sampled_from(SCENARIO_NAMES), verified=st.booleans())
    def start_scenario(self, name, verified):
        """A fresh copy of the scenario; optionally its payments have since been verified.

        Verifying lets the coupon orders take the seller-decides route as well.
        """
        self.db, self.world = self.copy_world(name)
        with self.db.transaction() as s:
            for number in self.world.numbers:
                order = self.world.order(s, number)
                self.item_ids[number] = [i.id for i in order.items]
                if verified and order.status == OrderStatus.PAYMENT_BEING_VERIFIED:
                    order.status = check_move(order.status, OrderStatus.AWAITING_SHIPMENT)

    def teardown(self):
        if self.db is not None:
            self.db.dispose()

    # -- helpers ---------------------------------------------------------------------------

    def number(self, index: int) -> str:
        """Mostly the order the scenario is about, sometimes its last (e.g. a completed one)."""
        return self.world.numbers[0 if index < 3 else -1]

    def attempt(self, action) -> bool:
        """Run one operation in its own transaction; a refusal is an allowed outcome."""
        try:
            with self.db.transaction() as s:
                action(s)
        except services.ActionRefused:
            return False
        return True

    # -- the buyer -------------------------------------------------------------------------

    @rule(
        index=st.integers(0, 3),
        picks=st.none() | st.lists(st.integers(0, 2), max_size=3) | st.just([UNKNOWN_ITEM]),
        reason=st.sampled_from([*REASONS, "not-a-reason"]),
        window=st.sampled_from([1, 48, 72]),
        twice=st.booleans(),
    )
    def buyer_cancels(self, index, picks, reason, window, twice):
        number = self.number(index)
        ids = self.item_ids[number]
        items = None if picks is None else [
            k if k == UNKNOWN_ITEM else ids[k % len(ids)] for k in picks
        ]

        def cancel(s):
            buyer = self.world.buyer(s)
            cancel_order(s, buyer, number, reason, items, window)

        first = self.attempt(cancel)
        if twice:
            second = self.attempt(cancel)
            assert not (first and second), "a double submit was accepted twice"

    # -- the seller ------------------------------------------------------------------------

    @rule(index=st.integers(0, 3), accept=st.booleans(), twice=st.booleans())
    def seller_answers(self, index, accept, twice):
        number = self.number(index)

        def answer(s):
            seller_answer(s, self.world.seller(s), number, accept)

        first = self.attempt(answer)
        if twice:
            assert not (first and self.attempt(answer)), "one request answered twice"

    @rule(index=st.integers(0, 3), twice=st.booleans())
    def seller_cancels(self, index, twice):
        number = self.number(index)

        def cancel(s):
            seller_cancel(s, self.world.seller(s), number)

        first = self.attempt(cancel)
        if twice:
            assert not (first and self.attempt(cancel)), "an order was cancelled twice"

    @rule(index=st.integers(0, 3))
    def seller_ships(self, index):
        number = self.number(index)
        self.attempt(lambda s: seller_mark_shipped(s, self.world.seller(s), number))

    # -- the clock -------------------------------------------------------------------------

    @rule(hours=st.sampled_from([0, 1, 24, 47, 48, 71, 72]) | st.integers(0, 24 * 12))
    def clock_moves_on(self, hours):
        self.attempt(lambda s: advance_clock(
            s, self.world.scenario(s), timedelta(hours=hours)))

    # -- what always holds -----------------------------------------------------------------

    @invariant()
    def money_items_coupons_and_requests_stay_consistent(self):
        if self.world is not None:
            check_world(self.db, self.world, self.returned_seen)

    @invariant()
    def every_status_change_is_an_allowed_move(self):
        check_moves(self.moves)


def test_random_actions_keep_every_invariant(copy_world, status_moves):
    run_state_machine_as_test(
        lambda: CancellationMachine(copy_world, status_moves), settings=MACHINE_SETTINGS
    )


@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(["store-coupon", "platform-coupon"]),
    order_of_items=st.permutations(range(3)),
    cuts=st.sets(st.integers(1, 2), max_size=2),
    hours_between=st.lists(st.integers(0, 24 * 12), min_size=3, max_size=3),
)
def test_cancelling_in_any_groups_refunds_exactly_what_was_paid(
    copy_world, name, order_of_items, cuts, hours_between
):
    # Given a coupon order, and its items cut into groups cancelled one after another
    db, world = copy_world(name)
    try:
        with db.transaction() as s:
            order = world.order(s)
            items = [i.id for i in order.items]
            paid = {i.id: i.paid_cents for i in order.items}
        shuffled = [items[k] for k in order_of_items if k < len(items)]
        bounds = [0, *sorted(c for c in cuts if c < len(shuffled)), len(shuffled)]
        groups = [shuffled[a:b] for a, b in itertools.pairwise(bounds) if b > a]
        # when each group is cancelled, the clock moving on in between
        for position, (group, hours) in enumerate(zip(groups, hours_between, strict=False)):
            with db.transaction() as s:
                advance_clock(s, world.scenario(s), timedelta(hours=hours))
            with db.transaction() as s:
                cancel_order(s, world.buyer(s), world.numbers[0], "other", group, 48)
                [coupon] = world.order(s).coupons
                # then the coupon stays used while some of its items are still bought
                if position < len(groups) - 1:
                    assert coupon.returned_at is None
        # and each refund is what its items cost after the discount, together all that was paid
        with db.transaction() as s:
            order = world.order(s)
            refunds = [r.amount_cents for r in order.refunds]
            assert refunds == [sum(paid[i] for i in group) for group in groups]
            assert sum(refunds) == order.paid_cents
            assert order.status == OrderStatus.CLOSED
    finally:
        db.dispose()
