"""HTTP tests: each test gets its own storefront on its own copy of a seeded database,
once on SQLite and once on PostgreSQL when a server is given (``database_kind``).

Seeding the showcase (every kind of order, passwords hashed) costs more than most
tests, so it is done once per worker and copied for each test (the file on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL): every test still starts from the same
untouched database, as a fresh start would give it.
"""

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.support.databases import DatabaseServer
from tests.support.worlds import World, create_world


@pytest.fixture(scope="session")
def seeded_template(database_server: DatabaseServer) -> str:
    """The URL of a database as a storefront's first start leaves it, made once."""
    url = database_server.empty()
    app = create_app(Settings(database_url=url))
    app.state.db.dispose()  # on SQLite the last connection checkpoints the WAL into the file
    return url


@pytest.fixture
def database_url(database_server: DatabaseServer, seeded_template) -> Iterator[str]:
    """This test's own copy of the seeded database."""
    url = database_server.copy(seeded_template)
    yield url
    database_server.drop(url)


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.state.db.dispose()


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


@pytest.fixture
def world_factory(app) -> Callable[[str], World]:
    """Create a fresh copy of a scenario in this test's storefront: ``world_factory("store-coupon")``."""
    return lambda name: create_world(app.state.db, name)
