"""The tutorial's address: which flow, screen, step and view a link opens.

``/?flow=refund-bank-card&device=phone&step=9`` opens that step; the page keeps the
address in step with what is shown, so a reload, a bookmark, a pasted link and the
browser's Back and Forward all land on the same view. Values that do not match the
recordings are dropped (and the rest of the address still applies), never an error.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from guide.data.recordings import Recordings

FLOW, DEVICE, STEP, VIEW = "flow", "device", "step", "view"
ALL_STEPS = "all"  # ``view=all``: every step of the flow on one page


@dataclass(frozen=True)
class Address:
    """A view of the tutorial; None means "not in the address" (the page's own default)."""

    flow: str | None = None
    device: str | None = None
    step: int | None = None  # 1-based, as the page and the link show it
    view: str | None = None

    def params(self) -> dict[str, str]:
        """The query parameters, in reading order, without the empty ones."""
        values = {FLOW: self.flow, DEVICE: self.device,
                  STEP: str(self.step) if self.step else None, VIEW: self.view}
        return {key: value for key, value in values.items() if value}

    def link(self, page_url: str | None) -> str:
        """The full address to copy; relative when the page's own URL is unknown."""
        return f"{(page_url or '').rstrip('/')}/?{urlencode(self.params())}"


def parse(params: Mapping[str, str], recordings: Recordings) -> Address:
    """What of ``params`` fits the recordings: a known flow, device, a step it has."""
    flow = recordings.flow(params.get(FLOW, ""))
    device = params.get(DEVICE)
    step = _whole(params.get(STEP))
    if flow is not None and step is not None:
        step = min(max(step, 1), len(flow.steps))
    return Address(
        flow=flow.id if flow else None,
        device=device if device in recordings.devices else None,
        step=step if flow is not None else None,
        view=ALL_STEPS if params.get(VIEW) == ALL_STEPS else None,
    )


def _whole(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None
