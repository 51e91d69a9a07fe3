"""Fixtures for the flow framework's tests: a browser configured like the CLI's, the
devices, and a fake shop per test (so tests run in parallel without sharing state)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Playwright

from flows.browser import ENDPOINT_VARIABLE, Device, device_profiles

from .fake_shop import FakeShop, running
from .shop_pages import demo_pages


@pytest.fixture(scope="session")
def connect_options() -> dict | None:
    """Use a remote Playwright server when ``FLOWS_BROWSER_ENDPOINT`` names one."""
    endpoint = os.environ.get(ENDPOINT_VARIABLE, "")
    return {"ws_endpoint": endpoint} if endpoint.startswith(("ws://", "wss://")) else None


@pytest.fixture(scope="session")
def devices(playwright: Playwright) -> dict[str, Device]:
    return device_profiles(playwright)


@pytest.fixture
def desktop(devices: dict[str, Device]) -> Device:
    return devices["desktop"]


@pytest.fixture
def shop() -> Iterator[FakeShop]:
    """A fresh fake storefront on its own port, with the demo pages."""
    with running(FakeShop(pages=demo_pages())) as served:
        yield served


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL for the plugin's ``page``: these tests set content or pass the shop's URL."""
    return None
