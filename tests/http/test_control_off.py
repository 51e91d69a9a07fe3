"""With ``SHOP_CONTROL_ENABLED=false`` the whole control surface answers 404."""

import pytest
from fastapi.testclient import TestClient

from mock_site import scenarios, services
from mock_site.settings import Settings
from mock_site.web import api, trainer
from mock_site.web.app import create_app
from tests.http.conftest import csrf_from

DEMO = scenarios.DEMO_TOKEN
ORDER = "3050184277330208"

# Every control route, with its path parameters filled in for the demo scenario.
CONTROL_ROUTES = [
    ("GET", "/trainer"),
    ("POST", "/trainer/scenarios"),
    ("GET", f"/trainer/{DEMO}"),
    ("GET", f"/trainer/{DEMO}/buyer"),
    ("GET", f"/trainer/{DEMO}/seller"),
    ("POST", f"/trainer/{DEMO}/clock"),
    ("POST", f"/trainer/{DEMO}/orders/{ORDER}/seller"),
    ("GET", "/api/scenarios"),
    ("POST", "/api/scenarios"),
    ("GET", f"/api/scenarios/{DEMO}"),
    ("POST", f"/api/scenarios/{DEMO}/clock"),
    ("POST", f"/api/scenarios/{DEMO}/orders/{ORDER}/seller"),
]
DOCUMENTATION = ["/openapi.json", "/docs", "/redoc"]


def _template(path: str) -> str:
    return path.replace(DEMO, "{token}").replace(ORDER, "{number}")


def test_the_table_covers_every_control_route():
    """A new trainer or API route must be added to the table above."""
    declared = {
        (method, route.path)
        for router in (trainer.router, api.router)
        for route in router.routes
        for method in route.methods
    }
    assert declared == {(method, _template(path)) for method, path in CONTROL_ROUTES}


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}", control_enabled=False)


@pytest.fixture
def csrf(client) -> str:
    """A valid form token, so a 404 cannot be a CSRF refusal in disguise."""
    return csrf_from(client.get("/seller/login").text)


@pytest.mark.parametrize(("method", "path"), CONTROL_ROUTES,
                         ids=[f"{m} {p}" for m, p in CONTROL_ROUTES])
def test_control_route_is_not_found(client, csrf, method, path):
    if method == "GET":
        response = client.get(path, follow_redirects=False)
    elif path.startswith("/api"):
        response = client.post(path, json={"name": "showcase", "days": 1, "action": "ship"})
    else:
        response = client.post(path, data={"name": "showcase", "days": "1", "action": "ship",
                                           "csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 404


@pytest.mark.parametrize("path", DOCUMENTATION)
def test_api_documentation_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_nothing_changed_and_the_shop_still_works(app, client, csrf):
    client.post(f"/trainer/{DEMO}/clock", data={"days": "5", "csrf_token": csrf})
    client.post(f"/api/scenarios/{DEMO}/clock", json={"days": 5})
    with app.state.db.transaction() as session:
        assert services.get_scenario(session, DEMO).now == scenarios.START
    page = client.get("/seller/login")
    assert page.status_code == 200
    assert 'href="/trainer"' not in page.text
    assert client.get("/login").status_code == 200


def test_control_is_on_by_default(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'on.db'}"))
    try:
        client = TestClient(app)
        assert client.get("/trainer").status_code == 200
        assert client.get("/api/scenarios").status_code == 200
        assert client.get("/openapi.json").status_code == 200
    finally:
        app.state.db.dispose()
