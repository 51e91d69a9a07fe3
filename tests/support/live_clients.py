"""Clients of a live storefront: its control API (the one typed client the flows and the
guide use too), and HTTP clients that act like a browser: cookies, form tokens, the
trainer's sign-in links, a second tab on the same session."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from flowspec.control_client import ControlClient
from tests.support.forms import csrf_from

LANDING_PAGES = {"buyer": "/orders", "seller": "/seller"}


def client(base_url: str, **options: Any) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=60, **options)


def control(base_url: str) -> ControlClient:
    """The control API of the storefront at ``base_url``."""
    return ControlClient(base_url, timeout=60)


def csrf_of(http: httpx.Client, page: str = "/login") -> str:
    """The form token ``page`` hands this client."""
    return csrf_from(http.get(page).text, page)


def signed_in(base_url: str, token: str, role: str) -> tuple[httpx.Client, str]:
    """A browser signed in as the scenario's buyer or seller (by a one-time sign-in link),
    and its form token."""
    http = client(base_url)
    landing = http.get(control(base_url).sign_in_link(token, role).url, follow_redirects=True)
    assert landing.url.path == LANDING_PAGES[role], landing.url
    return http, csrf_of(http, LANDING_PAGES[role])


def same_browser(base_url: str, original: httpx.Client) -> httpx.Client:
    """Another connection carrying the same session cookie (another tab, a double click)."""
    return client(base_url, cookies={"shop_session": original.cookies["shop_session"]})


def all_at_once(calls: list) -> list[httpx.Response]:
    """Run every call in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
