"""The storefront as the guide's Practice page reaches it: the control API's client
(``flowspec.control_client``) at the guide's storefront address, and the coach's link.

Every failure is a ``StorefrontError`` whose message can be shown to a trainee as it is;
``StorefrontUnavailable`` means nothing answered at all.
"""

import httpx

from flowspec.control_client import ControlClient
from flowspec.control_client import ControlError as StorefrontError
from flowspec.control_client import ControlNotFound as StorefrontNotFound
from flowspec.control_client import ControlUnavailable as StorefrontUnavailable
from guide.data import config

__all__ = ["START_HINT", "Storefront", "StorefrontError", "StorefrontNotFound",
           "StorefrontUnavailable"]

TIMEOUT_SECONDS = 5.0
START_HINT = (
    "Start it with `bash scripts/run_guide.sh` (starts the storefront and this guide"
    " together), or on its own with `.venv/bin/python -m mock_site`."
)


class Storefront(ControlClient):
    """The control API of the guide's storefront (``GUIDE_STOREFRONT_URL``)."""

    def __init__(self, base_url: str | None = None, transport: httpx.BaseTransport | None = None):
        super().__init__(base_url or config.settings().storefront_url, transport=transport,
                         timeout=TIMEOUT_SECONDS)

    def coach_link(self, flow_id: str, key: str) -> str:
        """The shop's start page of the flow's coached practice: its Start button makes a
        fresh copy with the coach on; the guide reads its progress by ``key`` (starting
        again starts over on a new copy)."""
        return f"{self.base_url}/coach/{flow_id}?practice={key}"
