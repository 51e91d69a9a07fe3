"""The render cache (mock_site/page_cache.py, mock_site/web/fast_path.py): a page sent
again is the page the storefront would render, to the byte and to the header, with
fresh submission keys; and nothing about a session is ever answered from it.
"""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update

from domain.scenarios import START
from mock_site import sign_ins
from mock_site.models import Account
from mock_site.sign_ins import SignIn
from tests.support.forms import csrf_from, flashes
from tests.support.kept_pages import (
    clock_on,
    hits,
    kept,
    status_on,
    submission_keys,
    without_submission_keys,
)
from tests.support.order_numbers import order_number
from tests.support.sign_in import sign_in_buyer, sign_in_seller

SHIPMENT = order_number("awaiting-shipment")
BUYER_PAGES = ["/orders", "/orders?tab=To%20ship", f"/orders/{SHIPMENT}",
               f"/orders/{SHIPMENT}/finances", f"/orders/{SHIPMENT}/cancel",
               f"/orders/{SHIPMENT}/messages", "/coupons"]
SELLER_PAGES = ["/seller", f"/seller/orders/{SHIPMENT}"]


def copy_of(app, client: TestClient) -> TestClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    return TestClient(app, cookies={"shop_session": client.cookies["shop_session"]})


@pytest.mark.parametrize(("role", "pages"), [("buyer", BUYER_PAGES), ("seller", SELLER_PAGES)])
def test_a_kept_page_is_the_page_the_storefront_renders(app, client, world_factory, role,
                                                          pages):
    world = world_factory("awaiting-shipment")
    (sign_in_buyer if role == "buyer" else sign_in_seller)(client, world)
    for path in pages:
        app.state.page_cache.clear()
        rendered = client.get(path, follow_redirects=False)
        again = kept(app, client, path)
        head = client.head(path)

        assert again.headers.raw == rendered.headers.raw == head.headers.raw, path
        assert "set-cookie" not in rendered.headers
        assert without_submission_keys(again.content) == without_submission_keys(
            rendered.content), path
        assert head.status_code == 200 and head.content == b""


def test_every_answer_of_a_kept_form_carries_a_key_of_its_own(app, client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    path = f"/orders/{SHIPMENT}/cancel"
    answers = [client.get(path).content, kept(app, client, path).content,
               client.get(path).content]

    keys = [key for body in answers for key in submission_keys(body)]
    assert len(keys) == 3 and len(set(keys)) == 3
    assert all(len(key) == len(keys[0]) for key in keys)


def test_a_form_from_a_kept_page_is_known_when_sent_twice(app, client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    page = kept(app, client, f"/orders/{SHIPMENT}/cancel").text
    [key] = submission_keys(page.encode())
    form = {"csrf_token": csrf_from(page), "submission": key.decode(), "reason": "changed_mind"}

    first = client.post(f"/orders/{SHIPMENT}/cancel", data=form)
    second = client.post(f"/orders/{SHIPMENT}/cancel", data=form)

    sent = ["Your cancellation request was sent to the seller."]
    assert flashes(first.text) == flashes(second.text) == sent
    assert status_on(client.get(f"/orders/{SHIPMENT}").text) == "Awaiting cancellation"


def test_a_flash_message_is_shown_once_over_a_kept_page(app, client, world_factory):
    world = world_factory("marked-shipped")
    number = order_number("marked-shipped")
    sign_in_buyer(client, world)
    kept(app, client, f"/orders/{number}")
    # Nothing changes, but the page tells the buyer why it was shown instead of the form.
    refused = client.get(f"/orders/{number}/cancel")

    assert refused.url.path == f"/orders/{number}"
    assert flashes(refused.text) == ["Cancel order is not available for this order now. "
                                     "The order details say what you can do instead."]
    assert flashes(kept(app, client, f"/orders/{number}").text) == []


def test_the_coach_cookie_is_part_of_the_page(app, client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    plain = kept(app, client, "/orders")
    client.cookies.set("shop_coach", "a-practice-key-of-24-chr~token")
    coached = kept(app, client, "/orders")

    assert "coach.js" not in plain.text
    assert 'data-tour="a-practice-key-of-24-chr~token"' in coached.text


@pytest.mark.parametrize(("role", "path", "sign_out"), [
    ("buyer", "/orders", "/logout"), ("seller", "/seller", "/seller/logout")])
def test_signing_out_ends_every_copy_of_a_kept_session_at_once(app, client, world_factory,
                                                                role, path, sign_out):
    world = world_factory("awaiting-shipment")
    csrf = (sign_in_buyer if role == "buyer" else sign_in_seller)(client, world)
    thief = copy_of(app, client)
    kept(app, thief, path)

    client.post(sign_out, data={"csrf_token": csrf}, follow_redirects=False)

    assert thief.get(path, follow_redirects=False).status_code == 303


def test_a_new_password_ends_kept_sessions_at_once(app, client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    kept(app, client, "/orders")
    with app.state.db.transaction() as session:
        buyer = session.get(Account, world.buyer_id)
        sign_ins.change_password(session, buyer, "a-new-password-1234")

    assert client.get("/orders", follow_redirects=False).headers["location"] == "/login?next=/orders"


def test_an_expired_sign_in_is_not_answered_from_the_cache(app, client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    kept(app, client, "/orders")
    with app.state.db.transaction() as session:
        session.execute(update(SignIn).where(SignIn.account_id == world.buyer_id)
                        .values(expires_at=sign_ins.utc_now()))

    assert client.get("/orders", follow_redirects=False).status_code == 303


def test_a_buyers_sign_in_opens_no_kept_seller_page(app, client, world_factory):
    world = world_factory("awaiting-shipment")
    seller = TestClient(app)
    sign_in_seller(seller, world)
    kept(app, seller, "/seller")
    sign_in_buyer(client, world)

    assert client.get("/seller", follow_redirects=False).status_code == 303


def test_a_session_without_its_form_token_is_rendered_and_kept_afterwards(
        app, client, world_factory):
    world = world_factory("awaiting-shipment")
    with app.state.db.transaction() as session:  # a sign-in link: no form token made yet
        ticket = sign_ins.issue_ticket(session, session.get(Account, world.buyer_id),
                                       sign_ins.utc_now())
    client.get(f"/trainer/sign-in/{ticket}", follow_redirects=False)
    before = hits(app)
    first = client.get("/orders")

    assert hits(app) == before and "set-cookie" in first.headers  # the token, made now
    assert kept(app, client, "/orders").text.count(csrf_from(first.text)) == 1


def test_a_change_the_version_does_not_see_is_not_seen(app, client, world_factory):
    """The tests of each write can fail: a page is kept for as long as its version holds,
    so a change made behind the version's back (raw SQL) leaves the kept page stale."""
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    before = kept(app, client, f"/orders/{SHIPMENT}")
    with app.state.db.engine.begin() as connection:
        connection.execute(text("UPDATE scenarios SET now = :now WHERE id = :id"),
                           {"now": START.replace(year=2027), "id": world.scenario_id})

    stale = kept(app, client, f"/orders/{SHIPMENT}")

    assert clock_on(stale.text) == clock_on(before.text) == START.isoformat()
    app.state.page_cache.clear()
    assert clock_on(client.get(f"/orders/{SHIPMENT}").text).startswith("2027-")


def test_a_scenario_made_before_versions_were_kept_is_rendered_every_time(
        app, client, world_factory):
    world = world_factory("awaiting-shipment")
    with app.state.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM data_versions WHERE scenario_id = :id"),
                           {"id": world.scenario_id})
    sign_in_buyer(client, world)
    before = hits(app)
    for _ in range(3):
        assert client.get("/orders").status_code == 200
    assert hits(app) == before
    with app.state.db.transaction() as session:  # its first change gives it a version
        session.get(Account, world.buyer_id).display_name = "Alex Again"
    assert "Alex Again" in kept(app, client, "/orders").text
