"""Sessions that the server can end, a key no one else has, throttled sign-in, one-time
sign-in links, and addresses a sign-in may send someone to.

Each test makes its own scenario; the storefront is the module's (tests/security/conftest.py).
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy import select

from mock_site.core import sign_ins
from mock_site.core.models import Account
from mock_site.core.settings import PUBLISHED_SECRET, Settings
from mock_site.services import passwords
from mock_site.services.accounts import authenticate, change_password
from mock_site.web import throttle
from mock_site.web.app import create_app
from mock_site.web.deps import safe_next
from tests.security.shop import snapshot, visitor
from tests.support.forms import csrf_from
from tests.support.worlds import create_world

SESSION_COOKIE = "shop_session"


def account(app, email: str) -> Account:
    with app.state.db.transaction() as session:
        return session.scalar(select(Account).where(Account.email == email))


def signed_cookie(key: str, data: dict) -> str:
    """A session cookie as Starlette's SessionMiddleware writes one, signed with ``key``."""
    payload = base64.b64encode(json.dumps(data).encode())
    return TimestampSigner(key).sign(payload).decode()


# --- 3. a key of this installation's own ---------------------------------------------------

@pytest.mark.parametrize("data", [
    lambda buyer: {"account_id": buyer.id, "role": "buyer"},  # what used to be enough
    lambda buyer: {"sign_in": "made-up", "role": "buyer"},
])
def test_a_session_signed_with_the_published_key_opens_nothing(app, data):
    world = create_world(app.state.db, "awaiting-shipment")
    forger = TestClient(app)
    forger.cookies.set(SESSION_COOKIE, signed_cookie(PUBLISHED_SECRET, data(
        account(app, world.buyer_email))))
    response = forger.get("/orders", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_even_the_installations_own_key_opens_nothing_without_a_sign_in_record(app):
    """A leaked key lets someone write a cookie, not a sign-in the server keeps."""
    world = create_world(app.state.db, "awaiting-shipment")
    buyer = account(app, world.buyer_email)
    key = app.state.settings.session_secret()
    for data in ({"account_id": buyer.id, "role": "buyer"}, {"sign_in": "guess", "role": "buyer"}):
        forger = TestClient(app)
        forger.cookies.set(SESSION_COOKIE, signed_cookie(key, data))
        assert forger.get("/orders", follow_redirects=False).status_code == 303


def test_the_development_key_is_made_per_installation_and_kept(tmp_path):
    """No two installations share a key; a restart keeps everyone signed in."""
    def storefront(folder):
        return create_app(Settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}",
                                   instance_path=tmp_path / folder))

    first = storefront("one")
    world = create_world(first.state.db, "awaiting-shipment")
    who = visitor(first, "buyer", "buyer", world)
    cookie = who.client.cookies.get(SESSION_COOKIE)
    restarted, elsewhere = storefront("one"), storefront("two")
    try:
        for app, still_in in ((restarted, True), (elsewhere, False)):
            client = TestClient(app)
            client.cookies.set(SESSION_COOKIE, cookie)
            status = client.get("/orders", follow_redirects=False).status_code
            assert status == (200 if still_in else 303)
    finally:
        for app in (first, restarted, elsewhere):
            app.state.db.dispose()


# --- 4. sign-out and a new password end every copy of the session ---------------------------

def copy_of(who) -> TestClient:
    """Another browser holding a copy of ``who``'s session cookie (stolen or synced)."""
    thief = TestClient(who.client.app)
    thief.cookies.set(SESSION_COOKIE, who.client.cookies.get(SESSION_COOKIE))
    return thief


@pytest.mark.parametrize(("role", "page", "sign_out"), [
    ("buyer", "/orders", "/logout"), ("seller", "/seller", "/seller/logout")])
def test_signing_out_ends_every_copy_of_the_session(app, role, page, sign_out):
    world = create_world(app.state.db, "awaiting-shipment")
    who = visitor(app, role, role, world)
    thief = copy_of(who)
    assert thief.get(page, follow_redirects=False).status_code == 200
    assert who.send("POST", sign_out).status_code == 303
    assert thief.get(page, follow_redirects=False).status_code == 303


def test_a_new_password_ends_every_session_of_the_account(app):
    world = create_world(app.state.db, "awaiting-shipment")
    laptop = visitor(app, "laptop", "buyer", world)
    phone = visitor(app, "phone", "buyer", world)
    other = visitor(app, "another buyer", "buyer", create_world(app.state.db, "awaiting-shipment"))
    with app.state.db.transaction() as session:
        buyer = session.scalar(select(Account).where(Account.email == world.buyer_email))
        change_password(session, buyer, "a-new-password-1234")
    assert laptop.send("GET", "/orders").status_code == 303
    assert phone.send("GET", "/orders").status_code == 303
    assert other.send("GET", "/orders").status_code == 200
    with app.state.db.transaction() as session:
        assert authenticate(session, world.buyer_email, "a-new-password-1234", "buyer")


# --- 5. throttled sign-in, and the same work for unknown e-mails -----------------------------

def post_sign_in(client: TestClient, email: str, password: str, page: str = "/login"):
    token = csrf_from(client.get(page).text)
    return client.post(page, data={"email": email, "password": password, "csrf_token": token},
                       follow_redirects=False)


@pytest.mark.parametrize(("page", "role"), [("/login", "buyer"), ("/seller/login", "seller")])
def test_wrong_passwords_for_one_account_are_throttled(tmp_path, page, role):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}"))
    try:
        world = create_world(app.state.db, "awaiting-shipment")
        email = world.seller_email if role == "seller" else world.buyer_email
        password = "seller-1234" if role == "seller" else "practice-1234"
        tries = throttle.PER_ACCOUNT_AND_CLIENT.amount
        for _ in range(tries):
            assert post_sign_in(TestClient(app), email, "wrong", page).status_code in (400, 401)
        refused = post_sign_in(TestClient(app), email, password, page)  # even the right one
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
        assert "Too many sign-in attempts" in refused.text
        assert refused.headers["content-security-policy"]
        # another account is not held up by this one's
        other = create_world(app.state.db, "awaiting-shipment")
        other_email = other.seller_email if role == "seller" else other.buyer_email
        assert post_sign_in(TestClient(app), other_email, password, page).status_code == 303
    finally:
        app.state.db.dispose()


def test_one_client_guessing_across_accounts_is_throttled(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}"))
    try:
        client = TestClient(app)
        for number in range(throttle.PER_CLIENT.amount):
            assert post_sign_in(client, f"guess-{number}@example.test", "x").status_code == 400
        world = create_world(app.state.db, "awaiting-shipment")
        refused = post_sign_in(client, world.buyer_email, "practice-1234")
        assert refused.status_code == 429 and "retry-after" in refused.headers
    finally:
        app.state.db.dispose()


def test_a_right_password_starts_the_accounts_count_again(app):
    limits = app.state.throttle
    attempt = throttle.Attempt("buyer", "count-again@example.test", "client-1")
    for _ in range(throttle.PER_ACCOUNT_AND_CLIENT.amount - 1):
        limits.count(attempt)
    limits.succeeded(limits.count(attempt))
    assert limits.count(attempt).retry_after is None


def test_an_unknown_e_mail_costs_the_same_password_work_as_a_known_one(app, monkeypatch):
    """Timing cannot tell which e-mails have an account: both hash the password once."""
    world = create_world(app.state.db, "awaiting-shipment")
    with app.state.db.transaction(write=False) as session:  # whatever is made once, made
        authenticate(session, "warm-up@example.test", "x", "buyer")
    hashed = []
    real = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password",
                        lambda password, salt=None: hashed.append(password) or real(password, salt))
    with app.state.db.transaction(write=False) as session:
        for email in (world.buyer_email, "nobody-here@example.test"):
            hashed.clear()
            assert authenticate(session, email, "wrong", "buyer") is None
            assert hashed == ["wrong"], email


# --- 6. a link signs in only once, and only for a while ------------------------------------

def start(client: TestClient, name: str = "awaiting-shipment") -> dict:
    response = client.post("/api/scenarios", json={"name": name})
    assert response.status_code == 201
    return response.json()


def test_a_plain_link_to_a_scenario_signs_no_one_in(app):
    started = start(TestClient(app))
    visitor_ = TestClient(app)
    for role in ("buyer", "seller"):
        response = visitor_.get(f"/trainer/{started['token']}/{role}", follow_redirects=False)
        assert response.status_code == 405
        assert response.headers["allow"] == "OPTIONS, POST"
    assert visitor_.get("/orders", follow_redirects=False).status_code == 303
    assert visitor_.get("/seller", follow_redirects=False).status_code == 303


def test_a_sign_in_link_works_once(app):
    started = start(TestClient(app))
    browser = TestClient(app)
    first = browser.get(started["buyer_sign_in_url"], follow_redirects=False)
    assert (first.status_code, first.headers["location"]) == (303, "/orders")
    assert browser.get("/orders").status_code == 200
    # the same browser opening it again (a reload, the guide's frame) stays signed in
    assert browser.get(started["buyer_sign_in_url"], follow_redirects=False).status_code == 303
    # anyone else holding the link gets nothing
    before = snapshot(app)
    late = TestClient(app).get(started["buyer_sign_in_url"], follow_redirects=False)
    assert late.status_code == 410
    assert "expired or was already used" in late.text
    assert snapshot(app) == before


def test_a_sign_in_link_expires(app):
    started = start(TestClient(app))
    with app.state.db.transaction() as session:
        buyer = session.scalar(select(Account).where(Account.email == started["buyer_email"]))
        long_ago = sign_ins.utc_now() - sign_ins.TICKET_LIFETIME - timedelta(seconds=1)
        ticket = sign_ins.issue_ticket(session, buyer, long_ago)
    response = TestClient(app).get(f"/trainer/sign-in/{ticket}", follow_redirects=False)
    assert response.status_code == 410


@pytest.mark.parametrize("ticket", ["made-up", "x" * 300, "%C3%A9"])
def test_a_made_up_sign_in_link_is_refused(app, ticket):
    assert TestClient(app).get(f"/trainer/sign-in/{ticket}").status_code == 410


def test_the_api_hands_out_a_new_link_for_each_role(app):
    client = TestClient(app)
    started = start(client, "marked-shipped")
    links = client.post(f"/api/scenarios/{started['token']}/sign-in-links",
                        json={"role": "seller"})
    assert links.status_code == 201
    assert links.json()["expires_in_seconds"] == sign_ins.TICKET_LIFETIME.total_seconds()
    seller = TestClient(app)
    landing = seller.get(links.json()["url"], follow_redirects=False)
    assert landing.headers["location"] == "/seller"
    assert seller.get("/seller").status_code == 200
    assert client.post("/api/scenarios/nope/sign-in-links",
                       json={"role": "buyer"}).status_code == 404
    assert client.post(f"/api/scenarios/{started['token']}/sign-in-links",
                       json={"role": "trainer"}).status_code == 422


# --- 6. hosts, frames and caches -------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil"])
def test_only_the_configured_hosts_are_served(app, host):
    response = TestClient(app, base_url=f"http://{host}").get("/login")
    assert response.status_code == 400
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_the_loopback_names_are_served_by_default(tmp_path, host):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}",
                              allowed_hosts=["127.0.0.1", "localhost", "[::1]"]))
    try:
        assert TestClient(app, base_url=f"http://{host}").get("/login").status_code == 200
    finally:
        app.state.db.dispose()


def frame_ancestors(response) -> str:
    policy = response.headers["content-security-policy"]
    return next(part for part in policy.split(";") if "frame-ancestors" in part).strip()


def test_only_the_guide_may_frame_the_buyers_pages_and_nothing_the_console(app):
    world = create_world(app.state.db, "awaiting-shipment")
    buyer = visitor(app, "buyer", "buyer", world)
    seller = visitor(app, "seller", "seller", world)
    guide = "frame-ancestors http://127.0.0.1:8501 http://localhost:8501"
    for response in (buyer.send("GET", "/orders"), TestClient(app).get("/login")):
        assert frame_ancestors(response) == guide
        assert "x-frame-options" not in response.headers
    for response in (seller.send("GET", "/seller"), TestClient(app).get("/seller/login"),
                     TestClient(app).get("/trainer"), TestClient(app).get("/api/scenarios")):
        assert frame_ancestors(response) == "frame-ancestors 'none'"
        assert response.headers["x-frame-options"] == "DENY"


def test_signed_in_pages_are_not_kept_in_any_cache(app):
    world = create_world(app.state.db, "awaiting-shipment")
    buyer = visitor(app, "buyer", "buyer", world)
    seller = visitor(app, "seller", "seller", world)
    for response in (buyer.send("GET", "/orders"), buyer.send("GET", f"/orders/{world.numbers[0]}"),
                     buyer.send("GET", "/coupons"), seller.send("GET", "/seller")):
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
    # Static files are the same for everyone: kept a while, so a page load (and the coach's
    # scripts on every page of a tour) need not ask again (bench/results/coach_latency.md).
    for path in ("/static/style.css", "/static/coach/coach.js"):
        assert TestClient(app).get(path).headers["cache-control"] == "public, max-age=600"


# --- one rule for "where next" ---------------------------------------------------------------

OPEN_REDIRECTS = [
    "//elsewhere.example/", "https://elsewhere.example/", "http:elsewhere.example",
    "/\\elsewhere.example/", "\\\\elsewhere.example/", "/.\\elsewhere.example",
    "/orders\\..\\\\elsewhere.example", "/\t/elsewhere.example/", "/\n/elsewhere.example",
    "/\r/elsewhere.example", "/\x00/elsewhere.example", "///elsewhere.example/",
    "javascript:alert(1)", "  //elsewhere.example/", "", "orders", "/" + "a" * 600,
]


@pytest.mark.parametrize("url", OPEN_REDIRECTS)
def test_safe_next_refuses_every_way_off_the_site(url):
    assert safe_next(url) == "/orders"
    assert safe_next(url, within="/seller", default="/seller") == "/seller"


@pytest.mark.parametrize(("url", "within", "expected"), [
    ("/orders/123", "/", "/orders/123"),
    ("/coupons?tab=all", "/", "/coupons?tab=all"),
    ("/seller/orders/1", "/seller", "/seller/orders/1"),
    ("/seller", "/seller", "/seller"),
    ("/orders", "/seller", "/seller"),  # the console's sign-in stays in the console
    ("/sellerx", "/seller", "/seller"),
])
def test_safe_next_keeps_paths_on_the_site(url, within, expected):
    default = "/seller" if within == "/seller" else "/orders"
    assert safe_next(url, within=within, default=default) == expected
