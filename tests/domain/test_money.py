"""Money is integer cents; a discount is shared over items exactly, to the cent."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.money import format_cents, split_in_proportion


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (0, "US $0.00"),
        (5, "US $0.05"),
        (99, "US $0.99"),
        (1205, "US $12.05"),
        (4350, "US $43.50"),
        (123_456_789, "US $1,234,567.89"),
        (-250, "-US $2.50"),
    ],
)
def test_prices_are_printed_from_whole_cents(cents, shown):
    assert format_cents(cents) == shown


def test_a_price_can_carry_another_currency_sign():
    assert format_cents(1205, currency="€") == "€12.05"


@pytest.mark.parametrize(
    ("total", "weights", "shares"),
    [
        # The store-coupon scenario: US $6.00 over the lamp, spatulas and socks.
        (600, [3120, 875, 990], [376, 105, 119]),
        # The platform-coupon scenario: US $5.00 over the earbuds and two phone cases.
        (500, [2499, 1370], [323, 177]),
        (100, [1, 1, 1, 1], [25, 25, 25, 25]),
        (1, [1, 1], [1, 0]),  # a tie goes to the earlier item
        (2, [1, 1, 1], [1, 1, 0]),
        (10, [0, 5], [0, 10]),  # an item with no weight takes no share
        (0, [300, 700], [0, 0]),
        (0, [], []),
        (7, [5], [7]),
    ],
)
def test_split_in_proportion_shares_exactly(total, weights, shares):
    assert split_in_proportion(total, weights) == shares


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (-1, [1, 2], "total must not be negative"),
        (10, [1, -2], "weights must not be negative"),
        (10, [], "cannot share a non-zero total over zero weights"),
        (10, [0, 0], "cannot share a non-zero total over zero weights"),
    ],
)
def test_split_in_proportion_refuses_what_cannot_be_shared(total, weights, message):
    with pytest.raises(ValueError, match=message):
        split_in_proportion(total, weights)


@given(
    weights=st.lists(st.integers(0, 100_000), min_size=1, max_size=8).filter(any),
    total=st.integers(0, 1_000_000),
)
def test_split_in_proportion_sums_exactly_and_is_within_a_cent(weights, total):
    # Given any positive weights and total, when the total is shared
    shares = split_in_proportion(total, weights)
    # then the shares add up to the cent and each is less than a cent from its exact value
    assert sum(shares) == total
    weight_sum = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share * weight_sum - total * weight) < weight_sum
        assert share >= 0
