"""Which Chromium to use, how to launch or reach it, and the devices flows run on.

Everything that could make two runs of the same flow look different (animations,
caret blink, time zone, locale, colour scheme) is pinned here, so a recording repeats
byte for byte and a regression run can compare screenshots pixel by pixel.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, BrowserContext, BrowserType, Playwright, sync_playwright

SYSTEM_CHROMIUM = "/usr/bin/chromium"
# Debian's build of the headless-only browser Playwright itself runs headless: the same
# engine and pictures without the windowed browser's layers, about half the CPU per page.
# The binary itself: the package's /usr/bin script starts it as a child (no exec), which
# stopping the script would leave running.
SYSTEM_HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
EXECUTABLE_VARIABLES = ("SHOP_CHROMIUM", "CHROMIUM_PATH")
ENDPOINT_VARIABLE = "FLOWS_BROWSER_ENDPOINT"
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
STEADY_CONTEXT = {
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


class BrowserSetupError(RuntimeError):
    """No usable browser; the message says what to set or install."""


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


def find_chromium(
    env: Mapping[str, str],
    bundled: str | None,
    exists: Callable[[str], bool] = os.path.exists,
    *,
    headless: bool = True,
) -> str | None:
    """The Chromium executable to launch; None means Playwright's bundled one.

    An explicit setting wins and must exist; then, for a headless browser, the system's
    headless shell; then the system Chromium; then the browser ``playwright install``
    put in place.
    """
    for variable in EXECUTABLE_VARIABLES:
        if path := env.get(variable):
            if not exists(path):
                raise BrowserSetupError(f"{variable} is set to {path}, which does not exist")
            return path
    if headless and exists(SYSTEM_HEADLESS_SHELL):
        return SYSTEM_HEADLESS_SHELL
    if exists(SYSTEM_CHROMIUM):
        return SYSTEM_CHROMIUM
    if bundled and exists(bundled):
        return None
    raise BrowserSetupError(
        "No Chromium found: set SHOP_CHROMIUM to a Chromium executable, install the "
        f"system package ({SYSTEM_CHROMIUM}), or run `playwright install chromium`"
    )


def launch_options(
    chromium: BrowserType, env: Mapping[str, str] = os.environ, *, headless: bool = True
) -> dict[str, Any]:
    """Executable and arguments for ``chromium.launch``; headless is left to the caller,
    who says which it will be (a window needs the full browser)."""
    options: dict[str, Any] = {"args": list(LAUNCH_ARGS)}
    if executable := find_chromium(env, chromium.executable_path, headless=headless):
        options["executable_path"] = executable
    return options


def connect(chromium: BrowserType, endpoint: str) -> Browser:
    """Reach an already running browser: Playwright server (ws) or Chrome DevTools (http)."""
    if endpoint.startswith(("ws://", "wss://")):
        return chromium.connect(endpoint)
    if endpoint.startswith(("http://", "https://")):
        return chromium.connect_over_cdp(endpoint)
    raise BrowserSetupError(
        f"{ENDPOINT_VARIABLE} must start with ws://, wss://, http:// or https://, not {endpoint}"
    )


def launch(
    playwright: Playwright,
    *,
    headed: bool = False,
    endpoint: str | None = None,
    env: Mapping[str, str] = os.environ,
) -> Browser:
    """A browser for flows: remote when an endpoint is given or set, else a local Chromium."""
    endpoint = endpoint or env.get(ENDPOINT_VARIABLE)
    if endpoint:
        return connect(playwright.chromium, endpoint)
    return playwright.chromium.launch(
        headless=not headed, **launch_options(playwright.chromium, env, headless=not headed)
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
def open_session(*, headed: bool = False, endpoint: str | None = None) -> Iterator[Session]:
    """Start Playwright and a browser, and close both afterwards."""
    with sync_playwright() as playwright:
        browser = launch(playwright, headed=headed, endpoint=endpoint)
        try:
            yield Session(browser, device_profiles(playwright))
        finally:
            browser.close()
