"""Signing in through the real sign-in forms, the way a browser does."""

from urllib.parse import parse_qs

import httpx

from domain.scenarios import BUYER_PASSWORD, DEMO_BUYER_EMAIL, SELLER_PASSWORD
from tests.support.forms import csrf_from
from tests.support.worlds import World

SIGN_IN_PAGES = {"buyer": "/login", "seller": "/seller/login"}
PASSWORDS = {"buyer": BUYER_PASSWORD, "seller": SELLER_PASSWORD}


def try_sign_in(
    client: httpx.Client, role: str, email: str, password: str, **fields: str,
) -> httpx.Response:
    """Fill in the ``role``'s sign-in form (with the token of a freshly loaded one) and send
    it; the answer is not followed. ``fields`` adds to the form (``next=...``)."""
    page = SIGN_IN_PAGES[role]
    csrf = csrf_from(client.get(page).text)
    form = {"email": email, "password": password, "csrf_token": csrf, **fields}
    return client.post(page, data=form, follow_redirects=False)


def sign_in(client: httpx.Client, role: str, email: str) -> str:
    """Sign ``client`` in as ``email`` (``buyer`` or ``seller``); returns the form token used.

    Works for FastAPI's ``TestClient`` and a plain ``httpx.Client`` on a live server alike.
    """
    response = try_sign_in(client, role, email, PASSWORDS[role])
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
