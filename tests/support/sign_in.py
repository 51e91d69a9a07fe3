"""Signing in through the real sign-in forms, the way a browser does."""

import httpx

from domain.scenarios import BUYER_PASSWORD, DEMO_BUYER_EMAIL, SELLER_PASSWORD
from tests.support.forms import csrf_from
from tests.support.worlds import World

SIGN_IN_PAGES = {"buyer": "/login", "seller": "/seller/login"}
PASSWORDS = {"buyer": BUYER_PASSWORD, "seller": SELLER_PASSWORD}


def sign_in(client: httpx.Client, role: str, email: str) -> str:
    """Sign ``client`` in as ``email`` (``buyer`` or ``seller``); returns the form token used.

    Works for FastAPI's ``TestClient`` and a plain ``httpx.Client`` on a live server alike.
    """
    page = SIGN_IN_PAGES[role]
    csrf = csrf_from(client.get(page).text)
    response = client.post(
        page,
        data={"email": email, "password": PASSWORDS[role], "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf


def sign_in_buyer(client: httpx.Client, world: World) -> str:
    return sign_in(client, "buyer", world.buyer_email)


def sign_in_seller(client: httpx.Client, world: World) -> str:
    return sign_in(client, "seller", world.seller_email)


def sign_in_demo_buyer(client: httpx.Client) -> str:
    """The demo account every storefront seeds on its first start."""
    return sign_in(client, "buyer", DEMO_BUYER_EMAIL)
