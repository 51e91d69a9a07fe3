"""The control API's one client (``flowspec.control_client``), which the flows, the guide,
the tests and the benchmarks share, reads every answer of a live storefront through the
API's own models, and says a refusal in the storefront's words."""

from datetime import timedelta

import pytest

from domain.statuses import OrderStatus
from flowspec.contract.control import SIGN_IN_LINK_LIFETIME
from flowspec.control_client import (
    ControlClient,
    ControlError,
    ControlNotFound,
    ControlUnavailable,
)


def test_the_client_drives_a_scenario_through_every_route(storefront):
    shop = ControlClient(storefront)
    assert "awaiting-shipment" in [scenario.name for scenario in shop.scenarios()]

    started = shop.start_scenario("awaiting-shipment")
    number = started.orders[0].number
    link = shop.sign_in_link(started.token, "buyer")
    shipped = shop.seller_action(started.token, number, "ship")
    moved = shop.advance_clock(started.token, days=2)

    assert started.orders[0].status == OrderStatus.AWAITING_SHIPMENT
    assert link.url == f"/trainer/sign-in/{link.ticket}"
    assert link.expires_in_seconds == SIGN_IN_LINK_LIFETIME.total_seconds()
    assert shipped.status == OrderStatus.AWAITING_DELIVERY
    assert moved.now == started.now + timedelta(days=2)
    assert shop.scenario_state(started.token).orders[0].status == OrderStatus.AWAITING_DELIVERY
    assert shop.coach_progress("a-practice-never-opened") is None


def test_a_refusal_is_said_in_the_storefronts_words(storefront):
    shop = ControlClient(storefront)
    started = shop.start_scenario("payment-being-verified")

    with pytest.raises(ControlError) as refused:
        shop.seller_action(started.token, started.orders[0].number, "ship")
    with pytest.raises(ControlError, match="365") as too_far:
        shop.advance_clock(started.token, days=400)
    with pytest.raises(ControlNotFound):
        shop.scenario_state("no-such-scenario")

    assert refused.value.status == 409
    assert too_far.value.status == 422


def test_nothing_answering_is_unavailable():
    with pytest.raises(ControlUnavailable, match="^Nothing answers at http://127.0.0.1:9.$"):
        ControlClient("http://127.0.0.1:9").scenarios()
