"""Finding and reaching a browser: explicit settings win, and a miss says what to do."""

from __future__ import annotations

import pytest

from flows.chromium import (
    SYSTEM_CHROMIUM,
    SYSTEM_HEADLESS_SHELL,
    BrowserSetupError,
    find_chromium,
    missing_packages,
)
from flows.chromium import main as chromium_main
from flows.run.browser import connect, new_context
from flows.run.live_server import free_port
from flows.settings import FlowsSettings

BUNDLED = "/cache/ms-playwright/chrome"


def exists_only(*paths: str):
    return lambda path: path in paths


EVERY_KIND = (SYSTEM_HEADLESS_SHELL, SYSTEM_CHROMIUM, BUNDLED)


@pytest.mark.parametrize(
    ("env", "present", "headless", "found"),
    [
        ({"SHOP_CHROMIUM": "/opt/chrome"}, ("/opt/chrome", *EVERY_KIND), True, "/opt/chrome"),
        ({"CHROMIUM_PATH": "/opt/chrome"}, ("/opt/chrome", *EVERY_KIND), False, "/opt/chrome"),
        ({}, EVERY_KIND, True, SYSTEM_HEADLESS_SHELL),
        ({}, EVERY_KIND, False, SYSTEM_CHROMIUM),
        ({}, (SYSTEM_CHROMIUM, BUNDLED), True, SYSTEM_CHROMIUM),
        ({}, (SYSTEM_HEADLESS_SHELL, BUNDLED), False, None),
        ({}, (BUNDLED,), True, None),
    ],
)
def test_the_executable_is_chosen_in_order(env, present, headless, found):
    assert find_chromium(env, BUNDLED, exists=exists_only(*present), headless=headless) == found


def test_a_setting_that_points_nowhere_is_refused():
    with pytest.raises(BrowserSetupError) as raised:
        find_chromium({"SHOP_CHROMIUM": "/opt/none"}, BUNDLED, exists=exists_only(SYSTEM_CHROMIUM))

    assert str(raised.value) == "SHOP_CHROMIUM is set to /opt/none, which does not exist"


def test_no_browser_at_all_says_how_to_get_one():
    with pytest.raises(BrowserSetupError) as raised:
        find_chromium({}, BUNDLED, exists=exists_only())

    assert str(raised.value) == (
        "No Chromium found: set SHOP_CHROMIUM to a Chromium executable, install the system "
        f"package ({SYSTEM_CHROMIUM}), or run `playwright install chromium`"
    )


@pytest.mark.parametrize("flag", ["FLOWS_BROWSER_ENDPOINT", "--endpoint"])
def test_an_endpoint_of_another_kind_is_refused_naming_its_flag(browser_type, flag):
    with pytest.raises(BrowserSetupError) as raised:
        connect(browser_type, "ftp://browsers.example", flag)

    assert str(raised.value) == (
        f"{flag}: ftp://browsers.example is not a browser address: give ws://host:port/"
        " (a Playwright server), http://host:port (Chromium's DevTools) or host:port"
    )


def test_a_context_is_steady_on_every_device(browser, devices, shop):

    for device in devices.values():
        context = new_context(browser, device, shop.url)
        page = context.new_page()
        page.goto("/orders")
        settings = page.evaluate(
            """() => [Intl.DateTimeFormat().resolvedOptions().timeZone, navigator.language,
               matchMedia('(prefers-reduced-motion: reduce)').matches,
               matchMedia('(prefers-color-scheme: light)').matches,
               getComputedStyle(document.body).caretColor]"""
        )
        context.close()
        assert settings == ["UTC", "en-US", True, True, "rgba(0, 0, 0, 0)"]


@pytest.mark.browser  # launches a Chromium of its own, with a DevTools port
def test_an_http_endpoint_is_reached_over_the_devtools_protocol(
    browser_type, browser_type_launch_args
):
    port = free_port()
    args = [*browser_type_launch_args["args"], f"--remote-debugging-port={port}"]
    local = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        remote = connect(browser_type, f"http://127.0.0.1:{port}")
        assert remote.is_connected()
        remote.close()
    finally:
        local.close()


def test_the_executable_settings_are_read_once_into_the_flows_settings(monkeypatch):
    monkeypatch.setenv("CHROMIUM_PATH", "/opt/other")
    monkeypatch.setenv("SHOP_CHROMIUM", "/opt/chrome")
    executables = FlowsSettings().executables()

    assert executables == {"SHOP_CHROMIUM": "/opt/chrome", "CHROMIUM_PATH": "/opt/other"}
    assert find_chromium(executables, BUNDLED, exists=exists_only("/opt/chrome")) == "/opt/chrome"


@pytest.mark.parametrize(("env", "present", "missing"), [
    ({}, EVERY_KIND, []),
    ({}, (SYSTEM_CHROMIUM,), ["chromium-headless-shell"]),
    ({}, (), ["chromium-headless-shell", "chromium"]),
    ({"SHOP_CHROMIUM": "/opt/chrome"}, (), []),
])
def test_setup_installs_only_the_system_browsers_that_are_missing(env, present, missing):
    assert missing_packages(env, exists=exists_only(*present)) == missing


def test_setup_asks_which_chromium_is_used(capsys):
    assert chromium_main(["--headed"], {"SHOP_CHROMIUM": "/bin/sh"}) == 0
    assert capsys.readouterr().out == "/bin/sh\n"
    assert chromium_main([], {"SHOP_CHROMIUM": "/opt/none"}) == 1
    assert capsys.readouterr().err == "SHOP_CHROMIUM is set to /opt/none, which does not exist\n"
