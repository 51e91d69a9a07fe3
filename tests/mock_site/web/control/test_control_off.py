"""With ``SHOP_CONTROL_ENABLED=false`` the whole control surface answers 404."""

import pytest
from fastapi.testclient import TestClient

from domain import scenarios
from mock_site.core.settings import Settings
from mock_site.services.control import get_scenario
from mock_site.web import api, coach, trainer
from mock_site.web.app import create_app
from tests.support.forms import csrf_from
from tests.support.order_numbers import order_number

DEMO = scenarios.DEMO_TOKEN
ORDER = order_number("awaiting-shipment")
TICKET = "a-sign-in-ticket"
KEY = "a-practice-key-of-24-chr"

# Every control route, with its path parameters filled in for the demo scenario.
CONTROL_ROUTES = [
    ("GET", "/trainer"),
    ("POST", "/trainer/scenarios"),
    ("GET", f"/trainer/{DEMO}"),
    ("POST", f"/trainer/{DEMO}/buyer"),
    ("POST", f"/trainer/{DEMO}/seller"),
    ("GET", f"/trainer/sign-in/{TICKET}"),
    ("POST", f"/trainer/{DEMO}/clock"),
    ("POST", f"/trainer/{DEMO}/orders/{ORDER}/seller"),
    ("GET", "/api/scenarios"),
    ("POST", "/api/scenarios"),
    ("GET", f"/api/scenarios/{DEMO}"),
    ("POST", f"/api/scenarios/{DEMO}/sign-in-links"),
    ("POST", f"/api/scenarios/{DEMO}/clock"),
    ("POST", f"/api/scenarios/{DEMO}/orders/{ORDER}/seller"),
    ("GET", "/coach/pre-verification"),
    ("POST", "/coach/pre-verification"),
    ("GET", "/coach/tour"),
    ("POST", "/coach/tour/progress"),
    ("POST", "/coach/tour/act"),
    ("POST", "/coach/tour/go"),
    ("POST", "/coach/tour/stop"),
    ("GET", f"/api/coach/{KEY}"),
]
DOCUMENTATION = ["/openapi.json", "/docs", "/redoc"]


def _template(path: str) -> str:
    return (path.replace(DEMO, "{token}").replace(ORDER, "{number}").replace(TICKET, "{ticket}")
            .replace(KEY, "{key}").replace("/coach/pre-verification", "/coach/{flow_id}"))


def test_the_table_covers_every_control_route():
    """A new trainer or API route must be added to the table above."""
    declared = {
        (method, route.path)
        for router in (trainer.router, api.router, coach.router)
        for route in router.routes
        for method in route.methods
    }
    assert declared == {(method, _template(path)) for method, path in CONTROL_ROUTES}


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, control_enabled=False)


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
        response = client.post(path, json={"name": "showcase", "days": 1, "action": "ship",
                                           "role": "buyer"})
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
        assert get_scenario(session, DEMO).now == scenarios.START
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
