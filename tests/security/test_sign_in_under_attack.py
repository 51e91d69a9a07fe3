"""The sign-in limits against a real storefront process (``python -m mock_site``), on SQLite
and on PostgreSQL, one and two worker processes: simultaneous guesses, guesses from
another address, and a client posing as many addresses with ``X-Forwarded-For``.

Each test signs in from loopback addresses of its own (127.0.0.0/8 all reach the server),
so the per-client counts of two tests never mix on the shared server.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from domain.scenarios import BUYER_PASSWORD, DEMO_BUYER_EMAIL
from mock_site.__main__ import server_options
from mock_site.core.settings import Settings
from mock_site.web.throttle import PER_ACCOUNT_AND_CLIENT, PER_CLIENT, SLOW_TURN
from tests.support.databases import DatabaseServer
from tests.support.forms import csrf_from
from tests.support.live_clients import all_at_once, control
from tests.support.storefront_process import StorefrontProcess, running_storefront

SIMULTANEOUS = 30
WRONG = "not-the-password"


@pytest.fixture(scope="module", params=[1, 2], ids=["one-worker", "two-workers"])
def shop(request, database_server: DatabaseServer) -> Iterator[StorefrontProcess]:
    with running_storefront(database_server, workers=request.param) as shop:
        yield shop


def browser(shop: StorefrontProcess, address: str) -> httpx.Client:
    """A browser whose connections come from ``address``."""
    return httpx.Client(base_url=shop.base_url, timeout=60,
                        transport=httpx.HTTPTransport(local_address=address))


def sign_in_form(http: httpx.Client, page: str = "/login"):
    """The sign-in form's post, ready to send: ``post(email, password, **headers)``."""
    token = csrf_from(http.get(page).text, page)

    def post(email: str, password: str, **headers: str) -> httpx.Response:
        return http.post(page, data={"email": email, "password": password, "csrf_token": token},
                         headers=headers)

    return post


def test_thirty_simultaneous_wrong_passwords_are_checked_at_most_ten_times(shop):
    world = control(shop.base_url).start_scenario("awaiting-shipment")
    posts = [sign_in_form(browser(shop, "127.0.1.1")) for _ in range(SIMULTANEOUS)]

    answers = all_at_once([lambda post=post: post(world.buyer_email, WRONG) for post in posts])

    # 400 is a checked wrong password; 429 was refused before any check.
    codes = Counter(answer.status_code for answer in answers)
    assert set(codes) <= {400, 429}, codes
    assert codes[400] <= PER_ACCOUNT_AND_CLIENT.amount, codes
    assert codes[400] + codes[429] == SIMULTANEOUS
    # and the right password from there is refused too until the window moves on
    refused = sign_in_form(browser(shop, "127.0.1.1"))(world.buyer_email, world.buyer_password)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 60


@pytest.mark.parametrize("role", ["buyer", "seller"])
def test_ten_wrong_passwords_from_one_address_do_not_stop_the_right_one_from_another(shop, role):
    world = control(shop.base_url).start_scenario("awaiting-shipment")
    email, password, page = ((world.buyer_email, world.buyer_password, "/login") if role == "buyer"
                             else (world.seller_email, world.seller_password, "/seller/login"))
    guesser = sign_in_form(browser(shop, "127.0.2.1"), page)
    for _ in range(PER_ACCOUNT_AND_CLIENT.amount):
        assert guesser(email, WRONG).status_code in (400, 401)
    assert guesser(email, password).status_code == 429  # the guesser is stopped

    owner = browser(shop, "127.0.2.2")
    answer = sign_in_form(owner, page)(email, password)
    assert answer.status_code == 303, answer.text
    assert owner.get(answer.headers["location"]).status_code == 200


def test_an_account_under_attack_slows_new_addresses_but_never_its_owners(shop):
    world = control(shop.base_url).start_scenario("awaiting-shipment")
    email, password = world.buyer_email, world.buyer_password
    # The owner signed in from home before the attack.
    assert sign_in_form(browser(shop, "127.0.3.1"))(email, password).status_code == 303
    guess = sign_in_form(browser(shop, "127.0.3.2"))
    for _ in range(PER_ACCOUNT_AND_CLIENT.amount):
        assert guess(email, WRONG).status_code == 400
    # Now new addresses take turns: one may try, the next waits, told how long.
    other = sign_in_form(browser(shop, "127.0.3.3"))
    assert other(email, WRONG).status_code == 400
    assert other(email, WRONG).status_code == 429
    waiting = sign_in_form(browser(shop, "127.0.3.4"))(email, password)
    assert waiting.status_code == 429
    assert 0 < int(waiting.headers["retry-after"]) <= SLOW_TURN.seconds
    assert "try again in" in waiting.text
    # The owner's own address signs in at once.
    assert sign_in_form(browser(shop, "127.0.3.1"))(email, password).status_code == 303


def test_the_shared_demo_account_cannot_be_locked_for_everyone(shop):
    for address in ("127.0.4.1", "127.0.4.2", "127.0.4.3"):
        guess = sign_in_form(browser(shop, address))
        for _ in range(PER_ACCOUNT_AND_CLIENT.amount):
            assert guess(DEMO_BUYER_EMAIL, WRONG).status_code == 400
    for address in ("127.0.4.4", "127.0.4.5"):  # anyone else still signs in, at once
        answer = sign_in_form(browser(shop, address))(DEMO_BUYER_EMAIL, BUYER_PASSWORD)
        assert answer.status_code == 303, answer.text


def test_x_forwarded_for_does_not_make_one_client_many(shop):
    """Without ``SHOP_TRUSTED_PROXIES`` the header is not believed, even from 127.0.0.1."""
    post = sign_in_form(browser(shop, "127.0.0.1"))
    codes = [post(f"guess-{number}@example.test", WRONG,
                  **{"X-Forwarded-For": f"203.0.113.{number}"}).status_code
             for number in range(70)]
    assert codes[:PER_CLIENT.amount] == [400] * PER_CLIENT.amount
    assert codes[PER_CLIENT.amount:] == [429] * (70 - PER_CLIENT.amount)


def test_a_trusted_proxys_x_forwarded_for_names_the_client(database_server):
    with running_storefront(database_server, env={"SHOP_TRUSTED_PROXIES": "127.0.5.1"}) as shop:
        world = control(shop.base_url).start_scenario("awaiting-shipment")
        proxy = sign_in_form(browser(shop, "127.0.5.1"))
        behind = {"X-Forwarded-For": "198.51.100.7"}
        for _ in range(PER_ACCOUNT_AND_CLIENT.amount):
            assert proxy(world.buyer_email, WRONG, **behind).status_code == 400
        assert proxy(world.buyer_email, world.buyer_password, **behind).status_code == 429
        # another client behind the same proxy is another client
        answer = proxy(world.buyer_email, world.buyer_password,
                       **{"X-Forwarded-For": "198.51.100.8"})
        assert answer.status_code == 303
        # anyone else's header is not believed: from 127.0.5.2, each guess is 127.0.5.2's
        other = sign_in_form(browser(shop, "127.0.5.2"))
        codes = [other("nobody@example.test", WRONG, **{"X-Forwarded-For": f"198.51.100.{n}"})
                 .status_code for n in range(PER_ACCOUNT_AND_CLIENT.amount + 1)]
        assert codes == [400] * PER_ACCOUNT_AND_CLIENT.amount + [429]


def test_uvicorn_believes_proxy_headers_only_from_the_configured_proxies(monkeypatch):
    monkeypatch.delenv("SHOP_TRUSTED_PROXIES", raising=False)
    assert server_options(Settings())["proxy_headers"] is False
    monkeypatch.setenv("SHOP_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.6")
    options = server_options(Settings())
    assert options["proxy_headers"] is True
    assert options["forwarded_allow_ips"] == ["10.0.0.5", "10.0.0.6"]
