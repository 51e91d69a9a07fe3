"""A small client for the storefront's control API (docs/architecture.md, "Control surface").

Every failure becomes a ``StorefrontError`` whose message can be shown to a trainee
as it is; ``StorefrontUnavailable`` means nothing answered at all.
"""

from dataclasses import dataclass
from typing import Any

import httpx

from guide import config

TIMEOUT_SECONDS = 5.0
START_HINT = (
    "Start it with `bash scripts/run_guide.sh` (starts the storefront and this guide"
    " together), or on its own with `.venv/bin/python -m mock_site`."
)


class StorefrontError(RuntimeError):
    """The storefront refused a request or answered with something unexpected."""


class StorefrontUnavailable(StorefrontError):
    """Nothing answered at the storefront's address."""


@dataclass(frozen=True)
class Practice:
    """A scenario started for one trainee."""

    token: str
    scenario: str
    buyer_email: str
    buyer_password: str
    orders: tuple[dict, ...]
    buyer_sign_in_url: str = ""  # one-time: signs one browser in as the buyer


class Storefront:
    def __init__(self, base_url: str | None = None, transport: httpx.BaseTransport | None = None):
        self.base_url = (base_url or config.storefront_url()).rstrip("/")
        self._transport = transport

    def buyer_link(self, token: str) -> str:
        """Opens the storefront signed in as the scenario's buyer (once, for ten minutes)."""
        return self.sign_in_link(token, "buyer")

    def seller_link(self, token: str) -> str:
        return self.sign_in_link(token, "seller")

    def sign_in_link(self, token: str, role: str) -> str:
        """A new one-time sign-in link from the control API."""
        data = self._call("POST", f"/api/scenarios/{token}/sign-in-links", json={"role": role})
        url = data.get("url") if isinstance(data, dict) else None
        if not isinstance(url, str) or not url.startswith("/"):
            raise StorefrontError("The storefront sent no sign-in link.")
        return f"{self.base_url}{url}"

    def scenarios(self) -> list[dict]:
        data = self._call("GET", "/api/scenarios")
        if not isinstance(data, list):
            raise StorefrontError("The storefront's scenario list has an unexpected shape.")
        return data

    def start(self, scenario: str) -> Practice:
        data = self._call("POST", "/api/scenarios", json={"name": scenario})
        try:
            return Practice(
                token=str(data["token"]),
                scenario=scenario,
                buyer_email=str(data.get("buyer_email", "")),
                buyer_password=str(data.get("buyer_password", "")),
                orders=tuple(data.get("orders") or ()),
                buyer_sign_in_url=f"{self.base_url}{data.get('buyer_sign_in_url') or ''}",
            )
        except (KeyError, TypeError):
            raise StorefrontError("The storefront started the scenario but sent no token.") from None

    def state(self, token: str) -> dict:
        data = self._call("GET", f"/api/scenarios/{token}")
        if not isinstance(data, dict) or not isinstance(data.get("orders"), list):
            raise StorefrontError("The storefront's answer about the scenario has an unexpected shape.")
        return data

    def advance_clock(self, token: str, days: int = 0, hours: int = 0) -> dict:
        return self._call(
            "POST", f"/api/scenarios/{token}/clock", json={"days": days, "hours": hours}
        )

    def seller(self, token: str, number: str, action: str, message: str = "") -> dict:
        body = {"action": action, "message": message}
        return self._call("POST", f"/api/scenarios/{token}/orders/{number}/seller", json=body)

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        url = f"{self.base_url}{path}"
        try:
            with httpx.Client(timeout=TIMEOUT_SECONDS, transport=self._transport) as client:
                response = client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise StorefrontUnavailable(
                f"The storefront at {self.base_url} did not answer in time."
            ) from None
        except httpx.HTTPError:
            raise StorefrontUnavailable(f"Nothing answers at {self.base_url}.") from None
        if response.status_code == 404 and path.startswith("/api/scenarios") and path.count("/") <= 2:
            raise StorefrontError(
                "The storefront answers, but its practice controls are switched off"
                " (SHOP_CONTROL_ENABLED=false)."
            )
        if response.status_code >= 400:
            raise StorefrontError(_problem(response))
        try:
            return response.json()
        except ValueError:
            raise StorefrontError(
                f"The server at {self.base_url} answered, but not like the storefront does."
            ) from None


def _problem(response: httpx.Response) -> str:
    """The storefront's own message for a refused request, when it sent one."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str) and detail:
        return detail
    if response.status_code == 404:
        return "The storefront does not know this practice order any more; start a new one."
    return f"The storefront refused the request (HTTP {response.status_code})."
