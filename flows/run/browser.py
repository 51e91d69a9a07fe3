"""How to launch or reach a browser (``flows.chromium`` says which), and the devices flows
run on.

Everything that could make two runs of the same flow look different (animations,
caret blink, time zone, locale, colour scheme) is pinned here, so a recording repeats
byte for byte and a regression run can compare screenshots pixel by pixel.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, BrowserType, Playwright, sync_playwright

from flows.chromium import BrowserSetupError, find_chromium
from flows.settings import FlowsSettings

LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Repaint whole tiles, not only the changed part: a partial repaint could anti-alias a
    # rounded border one colour level differently from run to run (a ticked choice).
    "--disable-partial-raster",
)
# What Playwright itself adds when it launches a headless Chromium: a browser started by
# hand for a pool needs them too, or its pictures differ (docs/browser-pool.md).
HEADLESS_ARGS = (
    "--headless",
    "--hide-scrollbars",
    "--mute-audio",
    "--force-color-profile=srgb",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,"
    "primaryPointerType=4,availablePointerTypes=4",
)
ENDPOINT_SCHEMES = ("ws://", "wss://", "http://", "https://")
DEVTOOLS_VERSION = "/json/version"
ContextOpener = Callable[..., BrowserContext]
STEADY_CONTEXT: dict[str, Any] = {
    "reduced_motion": "reduce",
    "timezone_id": "UTC",
    "locale": "en-US",
    "color_scheme": "light",
}
STEADY_CSS = (
    "*, *::before, *::after { animation: none !important; transition: none !important;"
    " caret-color: transparent !important; scroll-behavior: auto !important; }"
)
STEADY_SCRIPT = f"""(() => {{
  const add = () => {{
    const style = document.createElement("style");
    style.textContent = {json.dumps(STEADY_CSS)};
    (document.head || document.documentElement).appendChild(style);
  }};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", add);
  else add();
}})();"""


@dataclass(frozen=True)
class Device:
    """A named set of context options (viewport, scale, touch, user agent)."""

    name: str
    label: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def viewport(self) -> dict[str, int]:
        return dict(self.options["viewport"])


def device_profiles(playwright: Playwright) -> dict[str, Device]:
    """Desktop at 1280×800 and a phone from Playwright's own Pixel 7 descriptor."""
    pixel = dict(playwright.devices["Pixel 7"])
    pixel.pop("default_browser_type", None)
    desktop = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}
    return {
        "desktop": Device("desktop", "Desktop", desktop),
        "phone": Device("phone", "Phone (Pixel 7)", pixel),
    }


def launch_options(
    chromium: BrowserType, settings: FlowsSettings | None = None, *, headless: bool = True
) -> dict[str, Any]:
    """Executable and arguments for ``chromium.launch``; headless is left to the caller,
    who says which it will be (a window needs the full browser)."""
    settings = settings or FlowsSettings()
    options: dict[str, Any] = {"args": list(LAUNCH_ARGS)}
    found = find_chromium(settings.executables(), chromium.executable_path, headless=headless)
    if found:
        options["executable_path"] = found
    return options


class Retain(Enum):
    """What a test or a run keeps of a browser artefact (trace, video, screenshot), in
    pytest-playwright's words."""

    OFF = "off"
    ON = "on"
    ON_FAILURE = "on-failure"

    @classmethod
    def of(cls, option: str | bool | Retain | None) -> Retain:
        """From an option: ``on``, ``off``, ``retain-on-failure``, ``only-on-failure``;
        ``True`` is a failure's only (the runner's ``trace=True``)."""
        if isinstance(option, Retain):
            return option
        if option is True or option in ("retain-on-failure", "only-on-failure"):
            return cls.ON_FAILURE
        return cls.ON if option == "on" else cls.OFF

    def keeps(self, passed: bool) -> bool:
        return self is Retain.ON or (self is Retain.ON_FAILURE and not passed)

    def __bool__(self) -> bool:
        return self is not Retain.OFF


def devtools_version(endpoint: str, timeout_s: float = 2.0) -> str | None:
    """The ``Browser`` field of a DevTools endpoint's ``/json/version``; None if none."""
    try:
        answer = httpx.get(endpoint.rstrip("/") + DEVTOOLS_VERSION, timeout=timeout_s)
        return str(answer.json().get("Browser", "")) if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


def resolve(address: str, flag: str = "FLOWS_BROWSER_ENDPOINT") -> str:
    """``address`` with its scheme: as given, or for ``host:port`` ``http://`` when
    DevTools answers there, else ``ws://`` (a Playwright server). ``flag`` names where
    the address came from (``--endpoint`` or ``FLOWS_BROWSER_ENDPOINT``) in a refusal."""
    if address.startswith(ENDPOINT_SCHEMES):
        return address
    host, colon, port = address.rpartition(":")
    if "://" in address or not colon or not host or not port.isdigit():
        raise BrowserSetupError(
            f"{flag}: {address} is not a browser address: give ws://host:port/ (a Playwright"
            " server), http://host:port (Chromium's DevTools) or host:port"
        )
    devtools = f"http://{address}"
    return devtools if devtools_version(devtools) is not None else f"ws://{address}/"


def connect(chromium: BrowserType, endpoint: str, flag: str = "FLOWS_BROWSER_ENDPOINT") -> Browser:
    """Reach an already running browser: Playwright server (ws) or Chrome DevTools (http);
    ``flag`` names where the address came from, for the message when it is refused."""
    endpoint = resolve(endpoint, flag)
    if endpoint.startswith(("ws://", "wss://")):
        return chromium.connect(endpoint)
    return chromium.connect_over_cdp(endpoint)


def launch(
    playwright: Playwright,
    settings: FlowsSettings | None = None,
    *,
    headed: bool = False,
    endpoint: str | None = None,
) -> Browser:
    """A browser for flows: the one at ``endpoint`` (None: the first configured one; "":
    none), else a local Chromium."""
    settings = settings or FlowsSettings()
    if endpoint is None:
        endpoint = next(iter(settings.endpoints()), "")
    if endpoint:
        return connect(playwright.chromium, endpoint)
    return playwright.chromium.launch(
        headless=not headed, **launch_options(playwright.chromium, settings, headless=not headed)
    )


def new_context(
    browser: Browser,
    device: Device,
    base_url: str | None = None,
    open_context: ContextOpener | None = None,
) -> BrowserContext:
    """A fresh, steady context for one flow on one device; ``open_context`` (default
    ``browser.new_context``) may add options of its own, such as a video folder."""
    opener = open_context or browser.new_context
    context = opener(**device.options, **STEADY_CONTEXT, base_url=base_url)
    context.add_init_script(script=STEADY_SCRIPT)
    return context


@dataclass(frozen=True)
class Session:
    """A browser and the devices to run on: what the runner needs from Playwright."""

    browser: Browser
    devices: dict[str, Device]


@contextmanager
def open_session(
    settings: FlowsSettings | None = None, *, headed: bool = False, endpoint: str | None = None
) -> Iterator[Session]:
    """Start Playwright and a browser (as ``launch`` chooses), and close both afterwards."""
    with sync_playwright() as playwright:
        browser = launch(playwright, settings, headed=headed, endpoint=endpoint)
        try:
            yield Session(browser, device_profiles(playwright))
        finally:
            browser.close()
