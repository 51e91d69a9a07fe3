"""The storefront's control API as a flow uses it: a scenario, the seller, the clock.

Requests go through the browser context's own request client, so they reach the
storefront from wherever the browser runs (local or remote), at the context's base URL.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import httpx
from playwright.sync_api import APIRequestContext

from domain.wording import duration
from flowspec.contract.control import StartedScenario
from flowspec.control_client import ControlClient, ControlError
from flowspec.placeholders import scenario_values

# The context's base URL is prepended by Playwright; httpx only needs some absolute URL.
CONTEXT_URL = "http://browser-context"
# Playwright hands over the decoded body, so encoding and length headers would mislead httpx.
_DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


class BrowserTransport(httpx.BaseTransport):
    """Sends a request through a Playwright context's request client (its errors pass
    through as Playwright's, as a page's would)."""

    def __init__(self, request: APIRequestContext) -> None:
        self.request = request

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.request.fetch(
            request.url.raw_path.decode("ascii"),
            method=request.method,
            headers={"content-type": request.headers.get("content-type", "application/json")},
            data=request.read() or None,
        )
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in _DROPPED_HEADERS}
        return httpx.Response(answer.status, headers=headers, content=answer.body(),
                              request=request)


def _client(request: APIRequestContext) -> ControlClient:
    return ControlClient(CONTEXT_URL, transport=BrowserTransport(request))


def _failed(what: str, error: ControlError) -> ControlError:
    """``what`` failed, with the status and the storefront's own words."""
    if error.status is None:
        return ControlError(f"{what} failed: {error}")
    try:
        status = f"{error.status} {HTTPStatus(error.status).phrase}"
    except ValueError:
        status = str(error.status)
    return ControlError(f"{what} failed: {status}: {error}", error.status)


def create_scenario(request: APIRequestContext, name: str) -> StartedScenario:
    """``POST /api/scenarios``: a new isolated buyer, seller and orders."""
    try:
        return _client(request).start_scenario(name)
    except ControlError as error:
        raise _failed(f'scenario "{name}"', error) from None


class Control:
    """What the trainer can do to one scenario: answer as the seller, move the clock."""

    def __init__(self, request: APIRequestContext, token: str) -> None:
        self.client = _client(request)
        self.token = token

    def seller(self, order_number: str, action: str, message: str = "") -> None:
        """The seller accepts, declines, ships, cancels or replies on one order."""
        try:
            self.client.seller_action(self.token, order_number, action, message)
        except ControlError as error:
            raise _failed(f"seller {action} on order {order_number}", error) from None

    def sign_in_ticket(self, role: str) -> str:
        """A new one-time ticket: ``/trainer/sign-in/<ticket>`` signs the browser in as
        the scenario's buyer or seller, once."""
        try:
            return self.client.sign_in_link(self.token, role).ticket
        except ControlError as error:
            raise _failed(f"a sign-in link for the {role}", error) from None

    def values(self, scenario: StartedScenario) -> dict[str, Any]:
        """The scenario's placeholder values; each ``{buyer_ticket}`` and
        ``{seller_ticket}`` is a fresh ticket (each works once)."""
        return scenario_values(
            token=scenario.token,
            buyer_email=scenario.buyer_email,
            buyer_password=scenario.buyer_password,
            seller_email=scenario.seller_email,
            seller_password=scenario.seller_password,
            orders=[order.number for order in scenario.orders],
            ticket=self.sign_in_ticket,
        )

    def advance_clock(self, days: int = 0, hours: int = 0) -> None:
        """Simulated time passes; lapsed cancellation requests are accepted."""
        try:
            self.client.advance_clock(self.token, days, hours)
        except ControlError as error:
            raise _failed(f"advancing the clock by {duration(days, hours)}", error) from None
