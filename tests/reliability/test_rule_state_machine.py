"""The lifecycle rules alone, under random sequences of what buyers, sellers and the clock do.

tests/mock_site/services/test_properties.py drives the services on real databases, from the scenarios'
starting points (payment being verified, awaiting shipment). This machine needs no
database, so it runs many more steps, and it starts anywhere in the lifecycle, with
any items and any coupons: an order awaiting payment, one already shipped, coupons
that expire mid-run. It keeps the order as plain ``OrderFacts`` and moves it only through
the real rules the storefront asks (``domain.lifecycle``: ``buyer_cancels``,
``seller_answers``, ``seller_cancels``, ``seller_ships``, ``request_lapses``, ``after``),
checking each answer against the product's rules written out here, and two things after
every step:

- money is conserved: list prices = coupon discounts + refunds + what is still held for
  open items + what was never taken (items cancelled before payment); no refund is ever
  more than was paid for its items, and no item is refunded twice;
- statuses move only along ``ALLOWED_MOVES``, and say what is true (Closed exactly when
  every item is cancelled, Awaiting cancellation exactly while a request waits).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain import cancellation as rules
from domain import lifecycle
from domain.coupons import CouponKind, amounts_paid
from domain.lifecycle import CancellationStatus, SellerAction, Transition
from domain.statuses import ALLOWED_MOVES, OrderStatus, check_move
from tests.support.examples import examples

S = OrderStatus
START = datetime(2026, 3, 2, 9, 0)
# Awaiting shipment is listed three times: it is where the seller's answers happen.
STARTING_STATUSES = [S.AWAITING_PAYMENT, S.PAYMENT_BEING_VERIFIED, S.AWAITING_SHIPMENT,
                     S.AWAITING_SHIPMENT, S.AWAITING_SHIPMENT, S.AWAITING_DELIVERY, S.COMPLETED]
# Around the response windows (1, 48 and 72 h) as often as anywhere else.
CLOCK_STEPS = st.sampled_from([0, 1, 12, 47, 48, 71, 72]) | st.integers(0, 24 * 10)

prices = st.integers(1, 4).flatmap(
    lambda n: st.lists(st.integers(1, 50_000), min_size=n, max_size=n))


@st.composite
def orders(draw):
    """Item prices and the coupons bought with them: (kind, discount, covered, expiry)."""
    item_prices = draw(prices)
    coupons = []
    for _ in range(draw(st.integers(0, 2))):
        covered = draw(st.sets(st.integers(0, len(item_prices) - 1), min_size=1))
        room = min(item_prices[i] for i in covered)  # keeps every item's price positive
        discount = draw(st.integers(0, max(0, room - 1) // 2))
        kind = draw(st.sampled_from(list(CouponKind)))
        expires = START + timedelta(hours=draw(st.integers(-48, 24 * 20)))
        coupons.append((kind, discount, tuple(sorted(covered)), expires))
    return item_prices, coupons


@given(order=orders())
def test_coupon_discounts_never_make_or_lose_a_cent(order):
    item_prices, coupons = order
    paid = amounts_paid(item_prices, [(d, covered) for _, d, covered, _ in coupons])
    assert sum(paid) + sum(d for _, d, _, _ in coupons) == sum(item_prices)
    assert all(0 <= amount <= price for amount, price in zip(paid, item_prices, strict=True))


class OrderLifecycle(RuleBasedStateMachine):
    """One order as plain facts, with the money that moved, changed only by the rules."""

    @initialize(order=orders(), status=st.sampled_from(STARTING_STATUSES))
    def place(self, order, status):
        item_prices, coupons = order
        paid = amounts_paid(item_prices, [(d, covered) for _, d, covered, _ in coupons])
        self.list_price = sum(item_prices)
        self.discounts = sum(d for _, d, _, _ in coupons)
        self.order = lifecycle.OrderFacts(
            status=status,
            items=tuple(rules.ItemLine(i, amount) for i, amount in enumerate(paid)),
            coupons=tuple(
                rules.CouponUse(100 + n, kind, frozenset(covered), expires)
                for n, (kind, _, covered, expires) in enumerate(coupons)
            ),
        )
        self.paid = status != S.AWAITING_PAYMENT
        self.now = START
        self.back_to: OrderStatus | None = None  # where a declined request returns
        self.refunds: list[int] = []
        self.refunded_items: list[int] = []
        self.never_taken = 0
        self.returns: dict[int, int] = {}
        self.moves: list[tuple[OrderStatus, OrderStatus]] = []

    # -- helpers -----------------------------------------------------------------------------

    def take(self, change: Transition) -> None:
        """Check what a rule decided against the product's rules, then let it happen."""
        order = self.order
        if change.status != order.status:  # a partial cancellation leaves the status as it is
            self.moves.append((order.status, change.status))
        settled = change.settled
        if settled is not None:
            owed = sum(i.paid_cents for i in order.items if i.id in settled.item_ids)
            assert settled.refund_cents == owed
            assert change.refund_cents == (owed if self.paid else 0)
            if self.paid:
                self.refunds.append(change.refund_cents)
                self.refunded_items += sorted(settled.item_ids)
            else:
                self.never_taken += owed
            cancelled_after = {i.id for i in order.items if i.cancelled} | settled.item_ids
            for coupon in order.coupons:
                decision = settled.coupon_decisions.get(coupon.id)
                if decision is not None and decision.returned:
                    assert not coupon.returned, "a coupon came back twice"
                    self.returns[coupon.id] = self.returns.get(coupon.id, 0) + 1
                    assert coupon.item_ids <= cancelled_after
                    if coupon.kind is CouponKind.STORE:
                        assert change.at < coupon.expires_at
        self.order = lifecycle.after(order, change)

    def request_pending(self) -> bool:
        return self.order.pending is not None

    # -- the buyer ---------------------------------------------------------------------------

    @rule(picks=st.none() | st.lists(st.integers(0, 3), min_size=1, max_size=3),
          stranger=st.sampled_from([False, False, False, True]),
          reason=st.sampled_from([*rules.REASONS, "not-a-reason"]),
          window=st.sampled_from([1, 48, 72]))
    def buyer_cancels(self, picks, stranger, reason, window):
        """Cancel order: everything still open (no choice offered), or the ticked items;
        sometimes an item that is not in the order, or a reason not on the list."""
        items = self.order.items
        if picks is not None:
            picks = {items[k % len(items)].id for k in picks}
            if stranger:
                picks.add(len(items) + 7)
        status = self.order.status
        button = rules.shows_cancel_button(status)
        try:
            change = lifecycle.buyer_cancels(self.order, reason, picks, self.now, window)
        except lifecycle.NotAllowed:
            assert not button
            return
        except rules.CancellationError:
            return
        assert button
        # Before verification the order is cancelled at once; after it, the seller decides.
        if status in (S.AWAITING_PAYMENT, S.PAYMENT_BEING_VERIFIED):
            assert change.cancellation is CancellationStatus.IMMEDIATE
        else:
            assert change.cancellation is CancellationStatus.PENDING
            assert change.status == S.AWAITING_CANCELLATION
            assert change.deadline == self.now + timedelta(hours=window)
            assert change.settled is None
            self.back_to = status
        self.take(change)

    # -- the platform, the parcel and the seller -----------------------------------------------

    @rule()
    def the_order_moves_on(self):
        """The buyer pays, the platform verifies the payment, the parcel arrives."""
        status = self.order.status
        following = {S.AWAITING_PAYMENT: S.PAYMENT_BEING_VERIFIED,
                     S.PAYMENT_BEING_VERIFIED: S.AWAITING_SHIPMENT,
                     S.AWAITING_DELIVERY: S.COMPLETED}.get(status)
        if following is None:
            return
        self.moves.append((status, following))
        self.order = replace(self.order, status=check_move(status, following))
        self.paid = True

    @rule(action=st.sampled_from([a for a in SellerAction if a is not SellerAction.REPLY]))
    def seller_acts(self, action):
        """What the seller console offers; anything else is refused and changes nothing."""
        status, pending = self.order.status, self.request_pending()
        may = {
            SellerAction.ACCEPT: pending,
            SellerAction.DECLINE: pending,
            SellerAction.SHIP: status == S.AWAITING_SHIPMENT,
            SellerAction.CANCEL: status in (S.AWAITING_SHIPMENT, S.AWAITING_DELIVERY),
        }[action]
        assert (action in lifecycle.seller_actions(status, pending)) == may
        rule_for = {
            SellerAction.ACCEPT: lambda: lifecycle.seller_answers(self.order, True, self.now),
            SellerAction.DECLINE: lambda: lifecycle.seller_answers(self.order, False, self.now),
            SellerAction.SHIP: lambda: lifecycle.seller_ships(self.order, self.now),
            SellerAction.CANCEL: lambda: lifecycle.seller_cancels(self.order, self.now),
        }[action]
        try:
            change = rule_for()
        except lifecycle.NotAllowed:
            assert not may
            return
        assert may
        if action is SellerAction.DECLINE:
            assert change.status == self.back_to and change.settled is None
        if action is SellerAction.CANCEL:
            assert change.status == S.CLOSED
        self.take(change)

    # -- the clock ---------------------------------------------------------------------------

    @rule(hours=CLOCK_STEPS)
    def clock_moves_on(self, hours):
        self.now += timedelta(hours=hours)
        pending = self.order.pending
        change = lifecycle.request_lapses(self.order, self.now)
        assert (change is not None) == (pending is not None and self.now >= pending.deadline)
        if change is not None:
            # taken as accepted, at the deadline rather than at the clock's new time
            assert change.at == pending.deadline
            assert change.cancellation is CancellationStatus.LAPSED
            self.take(change)

    # -- what always holds -------------------------------------------------------------------

    @invariant()
    def money_is_conserved(self):
        items = self.order.items
        held = sum(i.paid_cents for i in items if not i.cancelled)
        assert self.list_price == self.discounts + sum(self.refunds) + held + self.never_taken
        assert all(refund >= 0 for refund in self.refunds)
        assert len(self.refunded_items) == len(set(self.refunded_items)), "refunded twice"
        assert sum(self.refunds) <= sum(i.paid_cents for i in items)
        assert all(count == 1 for count in self.returns.values())

    @invariant()
    def statuses_move_only_along_allowed_moves(self):
        for old, new in self.moves:
            assert new in ALLOWED_MOVES[old], f"{old} -> {new}"
        self.moves.clear()

    @invariant()
    def the_status_says_what_is_true(self):
        status = self.order.status
        assert (status == S.CLOSED) == all(item.cancelled for item in self.order.items)
        assert (status == S.AWAITING_CANCELLATION) == self.request_pending()
        assert (self.order.status_before_request is not None) == self.request_pending()


OrderLifecycle.TestCase.settings = settings(
    max_examples=examples(500),
    stateful_step_count=40,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow],
)
test_random_lives_of_an_order_keep_money_and_statuses_straight = OrderLifecycle.TestCase
