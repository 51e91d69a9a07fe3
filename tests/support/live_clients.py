"""HTTP clients against a live storefront that act like a browser: cookies, form tokens,
the trainer's sign-in links, a second tab on the same session."""

from __future__ import annotations

import httpx

from tests.support.forms import csrf_from


def client(base_url: str, **options) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=60, **options)


def csrf_of(http: httpx.Client, page: str = "/login") -> str:
    """The form token ``page`` hands this client."""
    return csrf_from(http.get(page).text, page)


def start_scenario(http: httpx.Client, name: str) -> dict:
    response = http.post("/api/scenarios", json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()


def state(http: httpx.Client, token: str) -> dict:
    response = http.get(f"/api/scenarios/{token}")
    assert response.status_code == 200, response.text
    return response.json()


def signed_in(base_url: str, token: str, role: str) -> tuple[httpx.Client, str]:
    """A browser signed in as the scenario's buyer or seller, and its form token."""
    http = client(base_url)
    link = http.post(f"/api/scenarios/{token}/sign-in-links", json={"role": role})
    landing = http.get(link.json()["url"], follow_redirects=True)
    assert landing.url.path == ("/seller" if role == "seller" else "/orders"), landing.url
    return http, csrf_of(http, "/seller" if role == "seller" else "/orders")


def same_browser(base_url: str, original: httpx.Client) -> httpx.Client:
    """Another connection carrying the same session cookie (another tab, a double click)."""
    return client(base_url, cookies={"shop_session": original.cookies["shop_session"]})
