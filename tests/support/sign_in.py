"""Signing in through the real sign-in forms, the way a browser does: the one way the
tests and the benchmarks sign in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import httpx

from domain.scenarios import BUYER_PASSWORD, DEMO_BUYER_EMAIL, SELLER_PASSWORD
from tests.support.forms import csrf_from

if TYPE_CHECKING:
    from tests.support.worlds import World

SIGN_IN_PAGES = {"buyer": "/login", "seller": "/seller/login"}
PASSWORDS = {"buyer": BUYER_PASSWORD, "seller": SELLER_PASSWORD}


def sign_in_form(page: str, email: str, password: str, **fields: str) -> dict[str, str]:
    """The sign-in form as a person fills it in, with the token of the sign-in ``page``
    (its HTML) it was loaded from; ``fields`` adds to it (``next=...``)."""
    csrf = csrf_from(page, "the sign-in page")
    return {"email": email, "password": password, "csrf_token": csrf, **fields}


def demo_buyer_form(page: str) -> dict[str, str]:
    """The sign-in form as the demo buyer, whom every storefront seeds, fills it in."""
    return sign_in_form(page, DEMO_BUYER_EMAIL, BUYER_PASSWORD, next="/orders")


def try_sign_in(
    client: Any, role: str, email: str, password: str, **fields: str,
) -> httpx.Response:
    """Fill in the ``role``'s sign-in form (with the token of a freshly loaded one) and send
    it; the answer is not followed. ``client`` is an ``httpx.Client`` or FastAPI's
    ``TestClient``."""
    page = SIGN_IN_PAGES[role]
    form = sign_in_form(client.get(page).text, email, password, **fields)
    return client.post(page, data=form, follow_redirects=False)


def sign_in(client: Any, role: str, email: str, password: str | None = None) -> str:
    """Sign ``client`` in as ``email`` (``buyer`` or ``seller``; a scenario's password
    unless given); returns the form token used."""
    response = try_sign_in(client, role, email, password or PASSWORDS[role])
    assert response.status_code == 303, response.text
    [csrf] = parse_qs(response.request.content.decode())["csrf_token"]
    return csrf


def sign_in_buyer(client: httpx.Client, world: World) -> str:
    return sign_in(client, "buyer", world.buyer_email)


def sign_in_seller(client: httpx.Client, world: World) -> str:
    return sign_in(client, "seller", world.seller_email)


def sign_in_demo_buyer(client: httpx.Client) -> str:
    """The demo account every storefront seeds on its first start."""
    return sign_in(client, "buyer", DEMO_BUYER_EMAIL)
