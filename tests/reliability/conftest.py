"""Reliability tests: a real storefront process (``python -m mock_site``) on a free
loopback port with its own database, on SQLite and on PostgreSQL when a server is given
(``database_kind``), which a test may kill outright and start again on the same database
(``tests.support.storefront_process``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.databases import DatabaseServer
from tests.support.storefront_process import StorefrontProcess, running_storefront


@pytest.fixture
def storefront_process(database_server: DatabaseServer) -> Iterator[StorefrontProcess]:
    """A storefront of this test's own, not started yet (the test starts and kills it)."""
    url = database_server.empty()
    shop = StorefrontProcess(url)
    try:
        yield shop
    finally:
        shop.stop()
        database_server.drop(url)


@pytest.fixture(scope="module")
def shared_storefront(database_server: DatabaseServer) -> Iterator[StorefrontProcess]:
    """One running storefront for a module whose tests each start their own scenarios."""
    with running_storefront(database_server) as shop:
        yield shop


@pytest.fixture
def storefront(shared_storefront) -> str:
    return shared_storefront.base_url
