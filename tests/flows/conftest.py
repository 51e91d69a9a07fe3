"""Fixtures for the flow framework's tests: a fake shop per test (so tests run in parallel
without sharing state); the browser and the devices are the suite's (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.flows.fake_shop import FakeShop, running
from tests.flows.shop_pages import demo_pages


@pytest.fixture
def shop() -> Iterator[FakeShop]:
    """A fresh fake storefront on its own port, with the demo pages."""
    with running(FakeShop(pages=demo_pages())) as served:
        yield served


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL for the plugin's ``page``: these tests set content or pass the shop's URL."""
    return None
