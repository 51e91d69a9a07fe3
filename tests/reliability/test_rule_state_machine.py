"""The rule modules alone, under random sequences of what buyers, sellers and the clock do.

tests/unit/test_properties.py drives the services on real databases, from the scenarios'
starting points (payment being verified, awaiting shipment). This machine needs no
database, so it runs many more steps, and it starts anywhere in the lifecycle, with
any items and any coupons: an order awaiting payment, one already shipped, coupons
that expire mid-run. It asks only the rule modules what may happen (``cancel_route``,
``choose_items``, ``settle_cancellation``, ``request_lapsed``, ``check_move``,
``amounts_paid``) and checks two things after every step:

- money is conserved: list prices = coupon discounts + refunds + what is still held for
  open items + what was never taken (items cancelled before payment); no refund is ever
  more than was paid for its items, and no item is refunded twice;
- statuses move only along ``ALLOWED_MOVES``, and say what is true (Closed exactly when
  every item is cancelled, Awaiting cancellation exactly while a request waits).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain import cancellation as rules
from domain.coupons import CouponKind, amounts_paid
from domain.statuses import ALLOWED_MOVES, OrderStatus, check_move

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


@dataclass
class Request:
    item_ids: frozenset[int]
    requested_at: datetime
    window_hours: int
    back_to: OrderStatus


class OrderLifecycle(RuleBasedStateMachine):
    """One order, its items, coupons and refunds, kept as plain values."""

    @initialize(order=orders(), status=st.sampled_from(STARTING_STATUSES))
    def place(self, order, status):
        item_prices, coupons = order
        paid = amounts_paid(item_prices, [(d, covered) for _, d, covered, _ in coupons])
        self.list_price = sum(item_prices)
        self.discounts = sum(d for _, d, _, _ in coupons)
        self.items = [rules.ItemLine(i, amount) for i, amount in enumerate(paid)]
        self.coupons = [
            rules.CouponUse(100 + n, kind, frozenset(covered), expires)
            for n, (kind, _, covered, expires) in enumerate(coupons)
        ]
        self.status = status
        self.paid = status != S.AWAITING_PAYMENT
        self.now = START
        self.request: Request | None = None
        self.refunds: list[int] = []
        self.refunded_items: list[int] = []
        self.never_taken = 0
        self.returns: dict[int, int] = {}
        self.moves: list[tuple[OrderStatus, OrderStatus]] = []

    # -- helpers -----------------------------------------------------------------------------

    def move(self, new: OrderStatus) -> None:
        self.moves.append((self.status, new))
        self.status = check_move(self.status, new)

    def settle(self, item_ids: frozenset[int]) -> None:
        """What a cancellation taking effect does (as ``services._apply`` does it)."""
        outcome = rules.settle_cancellation(self.items, self.coupons, item_ids, self.now)
        owed = sum(item.paid_cents for item in self.items if item.id in item_ids)
        assert outcome.refund_cents == owed
        if self.paid:
            self.refunds.append(outcome.refund_cents)
            self.refunded_items += sorted(item_ids)
        else:
            self.never_taken += outcome.refund_cents
        self.items = [replace(i, cancelled=True) if i.id in item_ids else i for i in self.items]
        for coupon in self.coupons:
            decision = outcome.coupon_decisions.get(coupon.id)
            if decision is not None and decision.returned:
                assert not coupon.returned, "a coupon came back twice"
                self.returns[coupon.id] = self.returns.get(coupon.id, 0) + 1
                assert coupon.item_ids <= {i.id for i in self.items if i.cancelled}
                if coupon.kind is CouponKind.STORE:
                    assert self.now < coupon.expires_at
        self.coupons = [replace(c, returned=True) if self.returns.get(c.id) else c
                        for c in self.coupons]
        if outcome.order_closed:
            self.move(S.CLOSED)
        elif self.status == S.AWAITING_CANCELLATION:
            self.move(self.request.back_to)

    # -- the buyer ---------------------------------------------------------------------------

    @rule(picks=st.none() | st.lists(st.integers(0, 3), min_size=1, max_size=3),
          stranger=st.sampled_from([False, False, False, True]),
          reason=st.sampled_from([*rules.REASONS, "not-a-reason"]),
          window=st.sampled_from([1, 48, 72]))
    def buyer_cancels(self, picks, stranger, reason, window):
        """Cancel order: everything still open (no choice offered), or the ticked items;
        sometimes an item that is not in the order, or a reason not on the list."""
        route = rules.cancel_route(self.status)
        if route not in (rules.CancelRoute.IMMEDIATE, rules.CancelRoute.SELLER_DECIDES):
            assert not rules.shows_cancel_button(self.status)
            return
        assert rules.shows_cancel_button(self.status)
        if picks is not None:
            picks = {self.items[k % len(self.items)].id for k in picks}
            if stranger:
                picks.add(len(self.items) + 7)
        try:
            rules.check_reason(reason)
            chosen = rules.choose_items(self.items, picks)
        except rules.CancellationError:
            return
        if route is rules.CancelRoute.IMMEDIATE:
            self.settle(chosen)
        else:
            self.request = Request(chosen, self.now, window, self.status)
            self.move(S.AWAITING_CANCELLATION)

    # -- the platform, the parcel and the seller -----------------------------------------------

    @rule()
    def the_order_moves_on(self):
        """The buyer pays, the platform verifies the payment, the parcel arrives."""
        if self.status == S.AWAITING_PAYMENT:
            self.move(S.PAYMENT_BEING_VERIFIED)
            self.paid = True
        elif self.status == S.PAYMENT_BEING_VERIFIED:
            self.move(S.AWAITING_SHIPMENT)
        elif self.status == S.AWAITING_DELIVERY:
            self.move(S.COMPLETED)

    @rule(action=st.sampled_from(["accept", "decline", "ship", "cancel"]))
    def seller_acts(self, action):
        """What the seller console offers; anything else is refused and changes nothing."""
        if action in ("accept", "decline"):
            if self.request is None:
                return
            if action == "accept":
                self.settle(self.request.item_ids)
            else:
                self.move(self.request.back_to)
            self.request = None
        elif action == "ship" and self.status == S.AWAITING_SHIPMENT:
            self.move(S.AWAITING_DELIVERY)
        elif action == "cancel" and self.status in (S.AWAITING_SHIPMENT, S.AWAITING_DELIVERY):
            self.settle(frozenset(i.id for i in self.items if not i.cancelled))

    # -- the clock ---------------------------------------------------------------------------

    @rule(hours=CLOCK_STEPS)
    def clock_moves_on(self, hours):
        self.now += timedelta(hours=hours)
        request = self.request
        if request is not None and rules.request_lapsed(
                request.requested_at, self.now, request.window_hours):
            self.now, later = rules.response_deadline(
                request.requested_at, request.window_hours), self.now
            self.settle(request.item_ids)  # taken as accepted, at the deadline
            self.request = None
            self.now = later

    # -- what always holds -------------------------------------------------------------------

    @invariant()
    def money_is_conserved(self):
        held = sum(i.paid_cents for i in self.items if not i.cancelled)
        assert self.list_price == self.discounts + sum(self.refunds) + held + self.never_taken
        assert all(refund >= 0 for refund in self.refunds)
        assert len(self.refunded_items) == len(set(self.refunded_items)), "refunded twice"
        assert sum(self.refunds) <= sum(i.paid_cents for i in self.items)
        assert all(count == 1 for count in self.returns.values())

    @invariant()
    def statuses_move_only_along_allowed_moves(self):
        for old, new in self.moves:
            assert new in ALLOWED_MOVES[old], f"{old} -> {new}"
        self.moves.clear()

    @invariant()
    def the_status_says_what_is_true(self):
        every_item_cancelled = all(item.cancelled for item in self.items)
        assert (self.status == S.CLOSED) == every_item_cancelled
        assert (self.status == S.AWAITING_CANCELLATION) == (self.request is not None)


OrderLifecycle.TestCase.settings = settings(
    max_examples=500,
    stateful_step_count=40,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow],
)
test_random_lives_of_an_order_keep_money_and_statuses_straight = OrderLifecycle.TestCase
