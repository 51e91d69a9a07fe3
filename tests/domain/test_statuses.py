"""Order statuses: the labels a buyer sees, their order, and the moves between them."""

import itertools

import pytest

from domain.statuses import (
    ALLOWED_MOVES,
    ORDER_TABS,
    IllegalTransition,
    OrderStatus,
    check_move,
)

S = OrderStatus

# Written out from PRODUCT.md, not copied from the code, so a change to either shows.
EXPECTED_MOVES = {
    (S.AWAITING_PAYMENT, S.PAYMENT_BEING_VERIFIED),
    (S.AWAITING_PAYMENT, S.CLOSED),
    (S.PAYMENT_BEING_VERIFIED, S.AWAITING_SHIPMENT),
    (S.PAYMENT_BEING_VERIFIED, S.CLOSED),  # cancelled before verification
    (S.AWAITING_SHIPMENT, S.AWAITING_CANCELLATION),  # the buyer asks the seller
    (S.AWAITING_SHIPMENT, S.AWAITING_DELIVERY),  # the store marks it shipped
    (S.AWAITING_SHIPMENT, S.CLOSED),  # the seller cancels
    (S.AWAITING_CANCELLATION, S.AWAITING_SHIPMENT),  # declined (or partly accepted)
    (S.AWAITING_CANCELLATION, S.CLOSED),  # accepted, or no answer in time
    (S.AWAITING_DELIVERY, S.COMPLETED),
    (S.AWAITING_DELIVERY, S.CLOSED),  # the seller cancels after the buyer's message
}
ALL_PAIRS = list(itertools.product(OrderStatus, OrderStatus))


def test_statuses_read_in_the_order_a_buyer_meets_them():
    assert [s.value for s in OrderStatus][:5] == [
        "Awaiting payment",
        "Payment being verified",
        "Awaiting shipment",
        "Awaiting delivery",
        "Completed",
    ]


def test_side_states_are_awaiting_cancellation_and_closed():
    assert [s.value for s in OrderStatus][5:] == ["Awaiting cancellation", "Closed"]


def test_the_main_line_moves_forward_one_step_at_a_time():
    main_line = list(OrderStatus)[:5]
    for current, following in itertools.pairwise(main_line):
        assert following in ALLOWED_MOVES[current]
    for current, later in itertools.combinations(main_line, 2):
        if main_line.index(later) - main_line.index(current) > 1:
            assert later not in ALLOWED_MOVES[current], f"{current} skips to {later}"


@pytest.mark.parametrize(
    ("current", "new"), [pair for pair in ALL_PAIRS if pair in EXPECTED_MOVES], ids=str
)
def test_allowed_transition_is_accepted(current, new):
    assert check_move(current, new) is new


@pytest.mark.parametrize(
    ("current", "new"), [pair for pair in ALL_PAIRS if pair not in EXPECTED_MOVES], ids=str
)
def test_illegal_transition_raises(current, new):
    with pytest.raises(IllegalTransition) as error:
        check_move(current, new)
    assert str(error.value) == f"An order cannot go from {current} to {new}."


@pytest.mark.parametrize("final", [S.COMPLETED, S.CLOSED])
def test_completed_and_closed_orders_never_move_again(final):
    assert ALLOWED_MOVES[final] == frozenset()


def test_every_status_has_its_moves_listed():
    assert set(ALLOWED_MOVES) == set(OrderStatus)


def test_no_status_moves_back_into_payment():
    for current, targets in ALLOWED_MOVES.items():
        assert S.AWAITING_PAYMENT not in targets, current


@pytest.mark.parametrize(
    ("tab", "statuses"),
    [
        # Paid, if not yet verified: nothing is left to pay, as on the real marketplace.
        ("To pay", {S.AWAITING_PAYMENT}),
        ("To ship", {S.PAYMENT_BEING_VERIFIED, S.AWAITING_SHIPMENT, S.AWAITING_CANCELLATION}),
        ("Shipped", {S.AWAITING_DELIVERY}),
        ("Completed", {S.COMPLETED}),
        ("Closed", {S.CLOSED}),
        ("All", set(OrderStatus)),
    ],
)
def test_my_orders_tab_lists_its_statuses(tab, statuses):
    assert ORDER_TABS[tab] == statuses


def test_every_status_appears_on_exactly_one_tab_besides_all():
    for status in OrderStatus:
        tabs = [name for name, members in ORDER_TABS.items() if name != "All" and status in members]
        assert len(tabs) == 1, (status, tabs)
