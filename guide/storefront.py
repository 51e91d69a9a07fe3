"""A small client for the storefront's control API (docs/architecture.md, "Control surface").

Every failure becomes a ``StorefrontError`` whose message can be shown to a trainee
as it is; ``StorefrontUnavailable`` means nothing answered at all.
"""

from typing import Any

import httpx

from flowspec.contract import CoachProgress, ContractError, parse_coach_progress
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


class StorefrontNotFound(StorefrontError):
    """The storefront does not know what was asked for (404)."""


class Storefront:
    def __init__(self, base_url: str | None = None, transport: httpx.BaseTransport | None = None):
        self.base_url = (base_url or config.storefront_url()).rstrip("/")
        self._transport = transport

    def coach_link(self, flow_id: str, key: str) -> str:
        """Starts a fresh copy of the flow's scenario with the coach on; the guide reads
        its progress by ``key`` (opening it again starts over on a new copy)."""
        return f"{self.base_url}/coach/{flow_id}?practice={key}"

    def coach_progress(self, key: str) -> CoachProgress | None:
        """The coached practice's progress, or None when it was not opened yet."""
        try:
            data = self._call("GET", f"/api/coach/{key}")
        except StorefrontNotFound:
            return None
        try:
            return parse_coach_progress(data)
        except ContractError as error:
            raise StorefrontError("The storefront's answer about the practice has an unexpected"
                                  f" shape: {error}") from None

    def scenarios(self) -> list[dict]:
        data = self._call("GET", "/api/scenarios")
        if not isinstance(data, list):
            raise StorefrontError("The storefront's scenario list has an unexpected shape.")
        return data

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
        if response.status_code == 404:
            raise StorefrontNotFound(_problem(response))
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
