"""The one client of the storefront's control API: the flows, the guide, the tests and the
benchmarks start scenarios, move the clock and act as the seller through it.

Answers are read through the API's own models (``flowspec.contract.control``). Every
failure is a ``ControlError`` whose message a person can read as it is;
``ControlUnavailable`` means nothing answered at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from domain.lifecycle import Role, SellerAction
from flowspec.contract import CoachProgress, ContractError, parse_coach_progress
from flowspec.contract.control import (
    ClockAdvanced,
    OrderState,
    ScenarioState,
    ScenarioSummary,
    SignInLink,
    StartedScenario,
)

TIMEOUT_SECONDS = 10.0
# A storefront that limits new practice copies per address answers 429 with Retry-After;
# a run waits for it, up to this long in all, rather than failing its flow.
COPY_WAIT_SECONDS = 90.0
Answer = TypeVar("Answer")


class ControlError(RuntimeError):
    """The storefront refused a request or answered with something unexpected; ``status``
    is the HTTP status when there was an answer, ``retry_after`` the seconds it asked to
    wait before trying again."""

    def __init__(
        self, message: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class ControlUnavailable(ControlError):
    """Nothing answered at the storefront's address."""


class ControlNotFound(ControlError):
    """The storefront does not know what was asked for (404)."""


class ControlClient:
    """The control API of the storefront at ``base_url``.

    ``transport`` carries every request (tests pass ``httpx.MockTransport``; the flows
    send through the browser's own request client).
    """

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT_SECONDS,
        wait: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._transport = transport
        self._timeout = timeout
        self._wait = wait

    def scenarios(self) -> list[ScenarioSummary]:
        """Every scenario that can be started."""
        return self._read(list[ScenarioSummary], "GET", "/api/scenarios")

    def start_scenario(self, name: str) -> StartedScenario:
        """A fresh, isolated copy of scenario ``name``: its own buyer, seller and orders.

        Past the storefront's limit on new copies, waits as long as it says (429,
        Retry-After), up to ``COPY_WAIT_SECONDS`` in all, then gives up with its words.
        """
        waited = 0.0
        while True:
            try:
                return self._read(StartedScenario, "POST", "/api/scenarios", {"name": name})
            except ControlError as error:
                pause = error.retry_after
                if error.status != 429 or pause is None or waited + pause > COPY_WAIT_SECONDS:
                    raise
                self._wait(pause)
                waited += pause

    def scenario_state(self, token: str) -> ScenarioState:
        """The clock and every order's state."""
        return self._read(ScenarioState, "GET", f"/api/scenarios/{token}")

    def sign_in_link(self, token: str, role: Role | str) -> SignInLink:
        """A new one-time link that signs a browser in as the scenario's buyer or seller."""
        body = {"role": str(role)}
        return self._read(SignInLink, "POST", f"/api/scenarios/{token}/sign-in-links", body)

    def advance_clock(self, token: str, days: int = 0, hours: int = 0) -> ClockAdvanced:
        """Simulated time passes; lapsed cancellation requests are accepted."""
        body = {"days": days, "hours": hours}
        return self._read(ClockAdvanced, "POST", f"/api/scenarios/{token}/clock", body)

    def seller_action(
        self, token: str, number: str, action: SellerAction | str, message: str = ""
    ) -> OrderState:
        """The scenario's seller accepts, declines, ships, cancels or replies on one order."""
        body = {"action": str(action), "message": message}
        path = f"/api/scenarios/{token}/orders/{number}/seller"
        return self._read(OrderState, "POST", path, body)

    def coach_progress(self, key: str) -> CoachProgress | None:
        """A coached practice's progress, or None when it was not opened yet."""
        try:
            data = self._call("GET", f"/api/coach/{key}")
        except ControlNotFound:
            return None
        try:
            return parse_coach_progress(data)
        except ContractError as error:
            raise ControlError("The storefront's answer about the practice has an unexpected"
                               f" shape: {error}") from None

    def _read(self, shape: type[Answer], method: str, path: str, body: Any = None) -> Answer:
        data = self._call(method, path, body)
        try:
            return TypeAdapter(shape).validate_python(data)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"]) or "the answer"
            raise ControlError(f"The storefront's answer to {method} {path} has an unexpected"
                               f" shape: {where}: {first['msg']}") from None

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            with httpx.Client(transport=self._transport, timeout=self._timeout) as http:
                response = http.request(method, f"{self.base_url}{path}", json=body)
        except httpx.TimeoutException:
            raise ControlUnavailable(
                f"The storefront at {self.base_url} did not answer in time."
            ) from None
        except httpx.HTTPError:
            raise ControlUnavailable(f"Nothing answers at {self.base_url}.") from None
        status = response.status_code
        if status == 404 and path == "/api/scenarios":
            raise ControlError(
                "The storefront answers, but its practice controls are switched off"
                " (SHOP_CONTROL_ENABLED=false).", status
            )
        if status == 404:
            raise ControlNotFound(_problem(response), status)
        if status >= 400:
            raise ControlError(
                _problem(response), status, _seconds(response.headers.get("retry-after"))
            )
        try:
            return response.json()
        except ValueError:
            raise ControlError(
                f"The server at {self.base_url} answered, but not like the storefront does.",
                status,
            ) from None


def _seconds(header: str | None) -> float | None:
    """A Retry-After given in seconds (the storefront's form), else None."""
    try:
        return max(0.0, float(header)) if header is not None else None
    except ValueError:
        return None


def _problem(response: httpx.Response) -> str:
    """The storefront's own message for a refused request, when it sent one."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str) and detail:
        return detail
    if isinstance(detail, list):  # the API's refusal of a request body: one line per field
        said = [item["msg"] for item in detail if isinstance(item, dict) and item.get("msg")]
        if said:
            return "; ".join(said)
    if response.status_code == 404:
        return "The storefront does not know this practice order any more; start a new one."
    return f"The storefront refused the request (HTTP {response.status_code})."

