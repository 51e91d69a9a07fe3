"""Reliability tests: a real storefront process (``python -m mock_site``) on a free
loopback port with its own SQLite file, which a test may kill outright and start again
on the same file (``tests.support.storefront_process``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.storefront_process import StorefrontProcess


@pytest.fixture
def storefront_process(tmp_path) -> Iterator[StorefrontProcess]:
    """A storefront of this test's own, not started yet (the test starts and kills it)."""
    shop = StorefrontProcess(tmp_path / "shop.db")
    try:
        yield shop
    finally:
        shop.stop()


@pytest.fixture(scope="module")
def shared_storefront(tmp_path_factory) -> Iterator[StorefrontProcess]:
    """One running storefront for a module whose tests each start their own scenarios."""
    shop = StorefrontProcess(tmp_path_factory.mktemp("shop") / "shop.db")
    try:
        shop.start()
        yield shop
    finally:
        shop.stop()


@pytest.fixture
def storefront(shared_storefront) -> str:
    return shared_storefront.base_url
