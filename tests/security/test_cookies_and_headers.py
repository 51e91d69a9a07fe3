"""Session cookies and the headers every answer carries.

The session cookie is out of reach of scripts (HttpOnly), is not sent along with
requests started by other sites (SameSite=Lax) and, in production, only over HTTPS
(Secure). Every answer, pages, errors, redirects, JSON and static files alike, carries
a content security policy that allows scripts, styles and forms from the storefront
only, plus ``nosniff`` and a same-origin referrer policy.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.security.shop import visitor
from tests.support.forms import csrf_from
from tests.support.worlds import create_world

SESSION_COOKIE = "shop_session"


def session_cookie_flags(set_cookie: str) -> dict[str, str | bool]:
    cookie = SimpleCookie()
    cookie.load(set_cookie)
    morsel = cookie[SESSION_COOKIE]
    return {key: morsel[key] for key in ("httponly", "samesite", "secure", "path")}


def sign_in_response(client: TestClient, email: str, password: str, page: str = "/login"):
    token = csrf_from(client.get(page).text)
    return client.post(page, data={"email": email, "password": password, "csrf_token": token},
                       follow_redirects=False)


@pytest.mark.parametrize("role", ["buyer", "seller"])
def test_the_session_cookie_is_httponly_and_samesite_lax(app, role):
    world = create_world(app.state.db, "awaiting-shipment")
    page = "/seller/login" if role == "seller" else "/login"
    email = world.seller_email if role == "seller" else world.buyer_email
    password = "seller-1234" if role == "seller" else "practice-1234"
    response = sign_in_response(TestClient(app), email, password, page)
    assert response.status_code == 303
    flags = session_cookie_flags(response.headers["set-cookie"])
    assert flags["httponly"] is True
    assert str(flags["samesite"]).lower() == "lax"
    assert flags["path"] == "/"
    assert not flags["secure"], "development runs on plain http on the loopback"


def test_in_production_the_session_cookie_is_also_secure(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}", env="production",
                        secret_key="a-production-secret-of-at-least-32-characters",
                        allowed_hosts=["shop.example"])
    app = create_app(settings)
    try:
        world = create_world(app.state.db, "awaiting-shipment")
        client = TestClient(app, base_url="https://shop.example")
        response = sign_in_response(client, world.buyer_email, "practice-1234")
        assert response.status_code == 303
        flags = session_cookie_flags(response.headers["set-cookie"])
        assert flags["secure"] is True
        assert flags["httponly"] is True
        assert str(flags["samesite"]).lower() == "lax"
    finally:
        app.state.db.dispose()


def test_the_session_is_renewed_on_sign_in(app):
    """A cookie handed out before signing in is not the signed-in session (no fixation)."""
    world = create_world(app.state.db, "awaiting-shipment")
    client = TestClient(app)
    before = client.get("/login")
    planted = before.cookies.get(SESSION_COOKIE)
    assert planted
    response = sign_in_response(client, world.buyer_email, "practice-1234")
    assert response.cookies.get(SESSION_COOKIE) not in (None, planted)
    replay = TestClient(app)
    replay.cookies.set(SESSION_COOKIE, planted)
    assert replay.get("/orders", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_session_in_this_browser(app):
    world = create_world(app.state.db, "awaiting-shipment")
    who = visitor(app, "buyer", "buyer", world)
    assert who.send("GET", "/orders").status_code == 200
    assert who.send("POST", "/logout").status_code == 303
    assert who.send("GET", "/orders").status_code == 303


# --- headers ------------------------------------------------------------------------------

def csp_directives(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture(scope="module")
def answers(app) -> dict[str, object]:
    """One answer of every kind the storefront gives."""
    world = create_world(app.state.db, "awaiting-shipment")
    buyer = visitor(app, "buyer", "buyer", world)
    seller = visitor(app, "seller", "seller", world)
    anonymous = TestClient(app)
    return {
        "sign-in page": anonymous.get("/login"),
        "redirect to sign in": anonymous.get("/orders", follow_redirects=False),
        "buyer page": buyer.client.get(f"/orders/{world.numbers[0]}"),
        "buyer 404": buyer.client.get("/orders/0000"),
        "seller page": seller.client.get(f"/seller/orders/{world.numbers[0]}"),
        "refused form (403)": anonymous.post("/login", data={"email": "x"}),
        "invalid request (422)": anonymous.post("/api/scenarios", json={"name": "nope"}),
        "trainer page": anonymous.get(f"/trainer/{world.token}"),
        "API answer": anonymous.get(f"/api/scenarios/{world.token}"),
        "API error": anonymous.get("/api/scenarios/nope"),
        "OpenAPI": anonymous.get("/openapi.json"),
        "stylesheet": anonymous.get("/static/style.css"),
        "script": anonymous.get("/static/tabs.js"),
        "unknown page": anonymous.get("/no-such-page"),
    }


STATUS = {"sign-in page": 200, "redirect to sign in": 303, "buyer page": 200, "buyer 404": 404,
          "seller page": 200, "refused form (403)": 403, "invalid request (422)": 422,
          "trainer page": 200, "API answer": 200, "API error": 404, "OpenAPI": 200,
          "stylesheet": 200, "script": 200, "unknown page": 404}
KINDS = list(STATUS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_answer_carries_the_security_headers(answers, kind):
    headers = answers[kind].headers
    assert answers[kind].status_code == STATUS[kind]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    csp = csp_directives(headers["content-security-policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"], "no inline or eval'd scripts"
    assert csp["style-src"] == ["'self'"], "no inline styles"
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert "'unsafe-eval'" not in headers["content-security-policy"]


def test_pages_need_no_inline_script_or_style(answers):
    """What the policy forbids, the pages do not use (the browser test checks it live)."""
    for kind in ("sign-in page", "buyer page", "seller page", "trainer page"):
        html = answers[kind].text
        assert "<script>" not in html and "<script " not in html.replace(
            '<script src="/static/', ""), kind
        assert " style=" not in html and "<style" not in html, kind
        assert " onclick=" not in html and " onload=" not in html, kind


def test_html_is_served_as_html_and_json_as_json(answers):
    assert answers["buyer page"].headers["content-type"].startswith("text/html; charset=utf-8")
    assert answers["API answer"].headers["content-type"] == "application/json"
    assert answers["script"].headers["content-type"].startswith("text/javascript")


NEXT_VALUES = ["//elsewhere.example/", "https://elsewhere.example/", "/\\elsewhere.example/",
               "\\\\elsewhere.example/", "/\t/elsewhere.example/", "///elsewhere.example/",
               "javascript:alert(1)", "  //elsewhere.example/"]


@pytest.mark.parametrize("target", NEXT_VALUES)
@pytest.mark.parametrize("role", ["buyer", "seller"])
def test_signing_in_never_sends_anyone_to_another_site(app, role, target):
    world = create_world(app.state.db, "awaiting-shipment")
    page = "/seller/login" if role == "seller" else "/login"
    client = TestClient(app)
    token = csrf_from(client.get(page, params={"next": target}).text)
    email = world.seller_email if role == "seller" else world.buyer_email
    password = "seller-1234" if role == "seller" else "practice-1234"
    response = client.post(page, data={"email": email, "password": password, "next": target,
                                       "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    # as a browser reads it: tabs and newlines dropped, backslashes taken as slashes
    browser_reads = location.replace("\t", "").replace("\n", "").replace("\r", "")
    browser_reads = browser_reads.replace("\\", "/").strip()
    landing = urlsplit(urljoin("http://testserver/", browser_reads))
    assert (landing.scheme, landing.netloc) == ("http", "testserver"), location
