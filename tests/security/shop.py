"""What the security tests share: a storefront, its scenarios, signed-in visitors, the
route table read from the application itself, and a snapshot of every table.

The route table is read from ``app.routes``, so a route added tomorrow is checked
tomorrow: each one is either listed here as public or control surface, or it is a
private buyer or seller page that every wrong identity is tried on.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import Mount

from mock_site import scenarios
from mock_site.db import Base
from mock_site.models import Account, Coupon, Order, Scenario
from mock_site.settings import Settings
from mock_site.web.app import create_app

# --- the route table ----------------------------------------------------------------------

# Pages anyone may open or post to: signing in and out, the entry redirect, static files
# and (with the control surface on) the API's description.
PUBLIC = {
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/seller/login"),
    ("POST", "/seller/login"),
    ("POST", "/seller/logout"),
    ("GET", "/openapi.json"),
    ("MOUNT", "/static"),
}
# The trainer page and the JSON API: the control surface, open to whoever can reach it
# while SHOP_CONTROL_ENABLED is on, and 404 when it is off (tests/http/test_control_off.py).
CONTROL_PREFIXES = ("/trainer", "/api")
PLACEHOLDER = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str

    @property
    def kind(self) -> str:
        """public · control · seller · buyer (every private page not in the console)."""
        if (self.method, self.path) in PUBLIC:
            return "public"
        if self.path.startswith(CONTROL_PREFIXES):
            return "control"
        if self.path == "/seller" or self.path.startswith("/seller/"):
            return "seller"
        return "buyer"

    @property
    def placeholders(self) -> list[str]:
        return PLACEHOLDER.findall(self.path)

    def fill(self, **values: str) -> str:
        missing = [name for name in self.placeholders if name not in values]
        assert not missing, f"{self}: no value to put in {missing}; teach the tests about it"
        return PLACEHOLDER.sub(lambda m: values[m.group(1)], self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _flat(routes) -> Iterator:
    """``app.routes`` with included routers opened up (FastAPI keeps them lazily)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: include_router copied the routes in
        return iter(routes)
    return iter_route_contexts(routes)


def routes_of(app: FastAPI) -> list[Route]:
    """Every (method, path) the application answers, HEAD left out (it follows GET)."""
    found = []
    for route in _flat(app.routes):
        if isinstance(getattr(route, "original_route", route), Mount):
            found.append(Route("MOUNT", route.path))
            continue
        assert route.path, f"a route without a path: {route!r}"
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append(Route(method, route.path))
    return found


@contextmanager
def throwaway_app(**settings) -> Iterator[FastAPI]:
    """A storefront on a temporary database, e.g. to read its routes at collection time."""
    with tempfile.TemporaryDirectory(prefix="shop-routes-") as folder:
        app = create_app(Settings(database_url=f"sqlite:///{Path(folder) / 'shop.db'}",
                                  **settings))
        try:
            yield app
        finally:
            app.state.db.dispose()


def collected_routes() -> list[Route]:
    """The routes of a storefront with every part switched on, read once at collection."""
    with throwaway_app() as app:
        return routes_of(app)


# --- scenarios and visitors ---------------------------------------------------------------

@dataclass(frozen=True)
class World:
    """One scenario copy: its token, accounts, order numbers and coupon codes."""

    name: str
    token: str
    buyer_email: str
    seller_email: str
    numbers: tuple[str, ...]
    coupon_codes: tuple[str, ...]


def create_world(app: FastAPI, name: str) -> World:
    with app.state.db.transaction() as session:
        scenario = scenarios.create_scenario(session, name)
        accounts = {
            a.role: a for a in session.scalars(
                select(Account).where(Account.scenario_id == scenario.id))
        }
        numbers = tuple(session.scalars(
            select(Order.number).where(Order.scenario_id == scenario.id).order_by(Order.id)))
        codes = tuple(session.scalars(
            select(Coupon.code).where(Coupon.buyer_id == accounts["buyer"].id)))
        return World(name, scenario.token, accounts["buyer"].email,
                     accounts["seller"].email, numbers, codes)


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no CSRF token field"
    return match.group(1)


@dataclass
class Visitor:
    """A browser: its own cookie jar, signed in as someone (or no one), and its form token."""

    name: str
    client: TestClient
    csrf: str

    def send(self, method: str, path: str, form: dict | None = None, *, token: bool = True):
        if method == "GET":
            return self.client.get(path, follow_redirects=False)
        data = dict(form or {})
        if token:
            data["csrf_token"] = self.csrf
        return self.client.request(method, path, data=data, follow_redirects=False)


def visitor(app: FastAPI, name: str, role: str | None = None, world: World | None = None,
            **client_options) -> Visitor:
    """A new browser, signed in as ``world``'s buyer or seller when ``role`` is given."""
    client = TestClient(app, **client_options)
    page = "/seller/login" if role == "seller" else "/login"
    csrf = csrf_from(client.get(page).text)
    if role is not None:
        assert world is not None
        email = world.seller_email if role == "seller" else world.buyer_email
        password = scenarios.SELLER_PASSWORD if role == "seller" else scenarios.BUYER_PASSWORD
        signed = client.post(page, data={"email": email, "password": password,
                                         "csrf_token": csrf}, follow_redirects=False)
        assert signed.status_code == 303, signed.text
    return Visitor(name, client, csrf)


def sign_in_page(role: str) -> str:
    return "/seller/login" if role == "seller" else "/login"


# --- the database, all of it --------------------------------------------------------------

def snapshot(app: FastAPI) -> dict[str, list[tuple]]:
    """Every row of every table, so "nothing changed" means nothing at all."""
    with app.state.db.transaction() as session:
        return {
            table.name: sorted(
                (tuple(row) for row in session.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
        }


def scenario_now(app: FastAPI, token: str):
    with app.state.db.transaction() as session:
        return session.scalar(select(Scenario.now).where(Scenario.token == token))
