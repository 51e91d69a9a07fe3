"""The control API's one client (``flowspec.control_client``), which the flows, the guide,
the tests and the benchmarks share, reads every answer of a live storefront through the
API's own models, and says a refusal in the storefront's words."""

from datetime import timedelta

import httpx
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


class BusyFirst(httpx.BaseTransport):
    """Refuses the first ``busy`` new copies as a storefront past its limit does (429 with
    Retry-After), then lets requests through to the real one."""

    def __init__(self, busy: int, retry_after: str = "7") -> None:
        self.busy, self.retry_after = busy, retry_after
        self.real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/api/scenarios" and self.busy:
            self.busy -= 1
            return httpx.Response(429, headers={"Retry-After": self.retry_after},
                                  json={"detail": "Too many practice copies started."})
        return self.real.handle_request(request)


def test_a_new_copy_waits_as_long_as_the_storefront_asks(storefront):
    pauses: list[float] = []
    shop = ControlClient(storefront, transport=BusyFirst(busy=2), wait=pauses.append)

    started = shop.start_scenario("awaiting-shipment")

    assert pauses == [7.0, 7.0]
    assert shop.scenario_state(started.token).orders[0].number == started.orders[0].number


def test_a_limit_that_outlasts_the_wait_is_said_in_the_storefronts_words(storefront):
    pauses: list[float] = []
    shop = ControlClient(storefront, transport=BusyFirst(busy=99, retry_after="50"),
                         wait=pauses.append)

    with pytest.raises(ControlError, match="Too many practice copies") as refused:
        shop.start_scenario("awaiting-shipment")

    assert refused.value.status == 429 and refused.value.retry_after == 50.0
    assert pauses == [50.0]  # a second wait would pass COPY_WAIT_SECONDS
