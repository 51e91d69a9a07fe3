"""The storefront's control API, as the trainer page uses it: scenarios, seller, clock.

Requests go through the browser context's own request client, so they reach the
storefront from wherever the browser runs (local or remote).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import APIRequestContext, APIResponse


class ControlError(RuntimeError):
    """The control API refused a request; the message says which and why."""


def _checked(response: APIResponse, what: str) -> dict[str, Any]:
    if not response.ok:
        detail = response.text()[:200].strip()
        raise ControlError(f"{what} failed: {response.status} {response.status_text} {detail}")
    return response.json()


@dataclass(frozen=True)
class Scenario:
    """A fresh world the flow runs in; its fields fill a step's ``{placeholders}``."""

    token: str
    buyer_email: str
    buyer_password: str
    seller_email: str
    seller_password: str
    orders: tuple[str, ...]

    def values(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "buyer_email": self.buyer_email,
            "buyer_password": self.buyer_password,
            "seller_email": self.seller_email,
            "seller_password": self.seller_password,
            "orders": list(self.orders),
        }


def create_scenario(request: APIRequestContext, name: str) -> Scenario:
    """``POST /api/scenarios``: a new isolated buyer, seller and orders."""
    body = _checked(request.post("/api/scenarios", data={"name": name}), f'scenario "{name}"')
    return Scenario(
        token=body["token"],
        buyer_email=body["buyer_email"],
        buyer_password=body["buyer_password"],
        seller_email=body.get("seller_email", ""),
        seller_password=body.get("seller_password", ""),
        orders=tuple(order["number"] for order in body.get("orders", [])),
    )


class Control:
    """What the trainer can do to one scenario: answer as the seller, move the clock."""

    def __init__(self, request: APIRequestContext, token: str) -> None:
        self.request = request
        self.token = token

    def seller(self, order_number: str, action: str, message: str = "") -> dict[str, Any]:
        """The seller accepts, declines, ships, cancels or replies on one order."""
        url = f"/api/scenarios/{self.token}/orders/{order_number}/seller"
        response = self.request.post(url, data={"action": action, "message": message})
        return _checked(response, f"seller {action} on order {order_number}")

    def sign_in_ticket(self, role: str) -> str:
        """A new one-time ticket: ``/trainer/sign-in/<ticket>`` signs the browser in as
        the scenario's buyer or seller, once."""
        response = self.request.post(f"/api/scenarios/{self.token}/sign-in-links",
                                     data={"role": role})
        return _checked(response, f"a sign-in link for the {role}")["url"].rsplit("/", 1)[-1]

    def values(self, scenario: Scenario) -> dict[str, Any]:
        """The scenario's placeholder values, where each ``{buyer_ticket}`` and
        ``{seller_ticket}`` is a fresh ticket (each works once)."""
        return _WithTickets(scenario.values(), control=self)

    def advance_clock(self, days: int = 0, hours: int = 0) -> dict[str, Any]:
        """Simulated time passes; lapsed cancellation requests are accepted."""
        response = self.request.post(
            f"/api/scenarios/{self.token}/clock", data={"days": days, "hours": hours}
        )
        return _checked(response, f"advancing the clock by {days} days {hours} hours")


class _WithTickets(dict):
    TICKETS = {"buyer_ticket": "buyer", "seller_ticket": "seller"}

    def __init__(self, values: dict[str, Any], control: Control) -> None:
        super().__init__(values)
        self.control = control

    def __missing__(self, key: str) -> str:
        if key in self.TICKETS:
            return self.control.sign_in_ticket(self.TICKETS[key])
        raise KeyError(key)
