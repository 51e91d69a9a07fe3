"""With ``SHOP_CONTROL_ENABLED=false`` no part of the control surface can be reached.

tests/mock_site/web/control/test_control_off.py checks a hand-made list of the trainer's and the API's
routes. This reads the routes from the running application instead, so a control route
added anywhere (not only in the trainer or API routers) is caught, and checks that the
pages left do not point at the switched-off ones.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.security.shop import collected_routes, routes_of, visitor
from tests.support.worlds import create_world

ALL_ON = collected_routes()
CONTROL = [route for route in ALL_ON if route.kind == "control"]


@pytest.fixture(scope="module")
def app_off(tmp_path_factory) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("shop-off")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'shop.db'}",
                              control_enabled=False))
    yield app
    app.state.db.dispose()


@pytest.fixture(scope="module")
def world_off(app_off):
    return create_world(app_off.state.db, "awaiting-shipment"), visitor(app_off, "trainer")


def test_switched_off_the_app_has_no_control_route_and_loses_nothing_else(app_off):
    off = set(routes_of(app_off))
    assert not [route for route in off if route.kind == "control"]
    assert ("GET", "/openapi.json") not in {(r.method, r.path) for r in off}
    kept = {route for route in ALL_ON if route.kind != "control"
            and route.path != "/openapi.json"}
    assert off == kept


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"])
@pytest.mark.parametrize("route", CONTROL, ids=str)
def test_switched_off_every_control_route_is_not_found(app_off, world_off, route, method):
    world, client = world_off
    address = route.fill(token=world.token, number=world.numbers[0], ticket="no-such-ticket",
                         flow_id="pre-verification", key="a-practice-key-of-24-chr")
    response = client.client.request(method, address, follow_redirects=False, data={
        "csrf_token": client.csrf, "name": "showcase", "days": "1", "action": "ship"})
    assert response.status_code == 404


def test_switched_off_no_page_points_at_the_trainer_or_the_api(app_off):
    world = create_world(app_off.state.db, "awaiting-shipment")
    buyer = visitor(app_off, "buyer", "buyer", world)
    seller = visitor(app_off, "seller", "seller", world)
    pages = {
        "buyer sign-in": TestClient(app_off).get("/login").text,
        "seller sign-in": TestClient(app_off).get("/seller/login").text,
        "My Orders": buyer.send("GET", "/orders").text,
        "order details": buyer.send("GET", f"/orders/{world.numbers[0]}").text,
        "seller console": seller.send("GET", "/seller").text,
        "seller's order": seller.send("GET", f"/seller/orders/{world.numbers[0]}").text,
    }
    for name, html in pages.items():
        assert 'href="/trainer' not in html and 'action="/trainer' not in html, name
        assert '"/api/' not in html, name
