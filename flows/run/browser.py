"""How to launch or reach a browser (``flows.chromium`` says which), and the devices flows
run on.

Everything that could make two runs of the same flow look different (animations,
caret blink, time zone, locale, colour scheme) is pinned here, so a recording repeats
byte for byte and a regression run can compare screenshots pixel by pixel.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

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


def connect(chromium: BrowserType, endpoint: str) -> Browser:
    """Reach an already running browser: Playwright server (ws) or Chrome DevTools (http)."""
    if endpoint.startswith(("ws://", "wss://")):
        return chromium.connect(endpoint)
    if endpoint.startswith(("http://", "https://")):
        return chromium.connect_over_cdp(endpoint)
    raise BrowserSetupError(
        "FLOWS_BROWSER_ENDPOINT must start with ws://, wss://, http:// or https://,"
        f" not {endpoint}"
    )


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


def new_context(browser: Browser, device: Device, base_url: str | None = None) -> BrowserContext:
    """A fresh, steady context for one flow on one device."""
    context = browser.new_context(**device.options, **STEADY_CONTEXT, base_url=base_url)
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
