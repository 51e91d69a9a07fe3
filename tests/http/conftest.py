"""HTTP tests: each test gets its own storefront on a fresh SQLite database."""

import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from mock_site import scenarios
from mock_site.settings import Settings
from mock_site.web.app import create_app


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}")


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.state.db.dispose()


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


@dataclass
class World:
    """A scenario made for one test: its token, accounts and order numbers."""

    token: str
    buyer_email: str
    seller_email: str
    numbers: list[str]


def make_world(app, name: str) -> World:
    with app.state.db.transaction() as session:
        scenario = scenarios.create_scenario(session, name)
        token = scenario.token
    spec = scenarios.SCENARIOS[name]
    return World(
        token=token,
        buyer_email=f"buyer-{token}@example.test",
        seller_email=f"seller-{token}@example.test",
        numbers=[o.number for o in spec.orders],
    )


@pytest.fixture
def world_factory(app):
    return lambda name: make_world(app, name)


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no CSRF token field"
    return match.group(1)


def sign_in_buyer(client: TestClient, world: World) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": world.buyer_email, "password": scenarios.BUYER_PASSWORD,
              "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def sign_in_seller(client: TestClient, world: World) -> None:
    page = client.get("/seller/login")
    response = client.post(
        "/seller/login",
        data={"email": world.seller_email, "password": scenarios.SELLER_PASSWORD,
              "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
