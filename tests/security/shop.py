"""What the security tests share: a storefront, signed-in visitors, the
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

from mock_site.core.models import Base, Scenario
from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.support.forms import csrf_from
from tests.support.sign_in import SIGN_IN_PAGES, sign_in
from tests.support.worlds import World

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
# The trainer page, the JSON API and the coach: the control surface, open to whoever can reach it
# while SHOP_CONTROL_ENABLED is on, and 404 when it is off (tests/mock_site/web/control/test_control_off.py).
CONTROL_PREFIXES = ("/trainer", "/api", "/coach")
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


# --- visitors -----------------------------------------------------------------------------

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
    if role is None:
        return Visitor(name, client, csrf_from(client.get(sign_in_page("buyer")).text))
    assert world is not None
    email = world.seller_email if role == "seller" else world.buyer_email
    return Visitor(name, client, sign_in(client, role, email))


def sign_in_page(role: str) -> str:
    return SIGN_IN_PAGES["seller" if role == "seller" else "buyer"]


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
