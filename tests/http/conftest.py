"""HTTP tests: each test gets its own storefront on its own copy of a seeded database.

Seeding the showcase (every kind of order, passwords hashed) costs more than most
tests, so it is done once per worker and the file is copied for each test: every test
still starts from the same untouched database, as a fresh start would give it.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mock_site.settings import Settings
from mock_site.web.app import create_app
from tests.support.worlds import World, create_world


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """A folder holding ``shop.db`` as a storefront's first start leaves it, made once."""
    folder = tmp_path_factory.mktemp("seeded-template")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'shop.db'}"))
    app.state.db.dispose()  # the last connection checkpoints the WAL into shop.db
    return folder


@pytest.fixture
def database_url(tmp_path, seeded_template) -> str:
    """This test's own copy of the seeded database."""
    shutil.copytree(seeded_template, tmp_path, dirs_exist_ok=True)
    return f"sqlite:///{tmp_path / 'shop.db'}"


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
