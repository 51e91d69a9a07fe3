"""Security tests: one storefront per test module on its own SQLite file.

Tests that must change nothing compare a snapshot of every table before and after;
tests that change something make their own fresh scenario, so tests never depend on
each other's order.
"""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from mock_site.core.settings import Settings
from mock_site.web.app import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("shop")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'shop.db'}"))
    yield app
    app.state.db.dispose()
