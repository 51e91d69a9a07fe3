"""Strangers: nobody sees or changes an order that is not theirs.

Every private route of the storefront (read from ``app.routes``) is tried by every
identity that has no business there, on every order of a victim's account (a copy of
the showcase scenario: one order in each status). Each answer must be a redirect to
the sign-in page (no buyer or seller session of the right kind) or "not found" (right
kind of account, someone else's order); pages without an order in their address show
the visitor's own things only. A snapshot of every table before and after shows that
nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from itsdangerous import TimestampSigner

from domain.lifecycle import SellerAction
from mock_site.core.settings import PUBLISHED_SECRET
from tests.security.shop import (
    Route,
    Visitor,
    collected_routes,
    routes_of,
    sign_in_page,
    snapshot,
    visitor,
)
from tests.support.worlds import World, create_world

ROUTES = collected_routes()
PRIVATE = [route for route in ROUTES if route.kind in ("buyer", "seller")]

VICTIM_SCENARIO = "showcase"  # an order in every status, and coupons
STRANGER_SCENARIO = "refund-methods"  # another buyer and store, no order shared with showcase

ANONYMOUS = "a signed-out visitor"
VICTIMS_BUYER = "the victim's own buyer"
VICTIMS_SELLER = "the victim's own seller"
OTHER_BUYER = "another buyer"
OTHER_SELLER = "another store's seller"
ROLE = {VICTIMS_BUYER: "buyer", OTHER_BUYER: "buyer",
        VICTIMS_SELLER: "seller", OTHER_SELLER: "seller", ANONYMOUS: None}

# What each private form posts: what the page's own form would send, so that a refusal
# is about who sends it, never about a malformed request.
FORMS: dict[tuple[str, str], list[dict]] = {
    ("POST", "/orders/{number}/cancel"): [{"reason": "changed_mind"}],
    ("POST", "/orders/{number}/messages"): [{"body": "Please cancel this order."}],
    ("POST", "/seller/orders/{number}/actions"): [
        {"action": action, "message": "The parcel has not left yet."}
        for action in SellerAction
    ],
}


def forms_for(route: Route) -> list[dict | None]:
    if route.method == "GET":
        return [None]
    assert (route.method, route.path) in FORMS, (
        f"{route} is a new private form: add what it posts to FORMS in {__name__}")
    return FORMS[(route.method, route.path)]


@dataclass
class Cast:
    victim: World
    stranger: World
    visitors: dict[str, Visitor]
    numbers: list[str]  # the victim's orders (none of them shares a number with the stranger's)
    markers: list[str]  # text only the victim's pages may show

    def addresses(self, route: Route) -> list[str]:
        if "number" in route.placeholders:
            return [route.fill(number=number) for number in self.numbers]
        return [route.fill()]


@pytest.fixture(scope="module")
def cast(app: FastAPI) -> Cast:
    victim = create_world(app.state.db, VICTIM_SCENARIO)
    stranger = create_world(app.state.db, STRANGER_SCENARIO)
    numbers = [n for n in victim.numbers if n not in stranger.numbers]
    assert len(numbers) >= 6, "the victim should have orders in many statuses"
    visitors = {
        ANONYMOUS: visitor(app, ANONYMOUS),
        VICTIMS_BUYER: visitor(app, VICTIMS_BUYER, "buyer", victim),
        VICTIMS_SELLER: visitor(app, VICTIMS_SELLER, "seller", victim),
        OTHER_BUYER: visitor(app, OTHER_BUYER, "buyer", stranger),
        OTHER_SELLER: visitor(app, OTHER_SELLER, "seller", stranger),
    }
    markers = [*numbers, *victim.coupon_codes, victim.buyer_email, victim.seller_email]
    return Cast(victim, stranger, visitors, numbers, markers)


def try_route(app: FastAPI, cast: Cast, route: Route, who: str) -> list[str]:
    """Send every request of ``route`` as ``who``; the problems found (none is right)."""
    problems = []
    role = ROLE[who]
    before = snapshot(app)
    for address in cast.addresses(route):
        for form in forms_for(route):
            response = cast.visitors[who].send(route.method, address, form)
            said = f"{route.method} {address} {form or ''} as {who}: {response.status_code}"
            if role != route.kind:
                location = response.headers.get("location", "")
                if response.status_code != 303 or not location.startswith(
                        sign_in_page(route.kind) + "?next="):
                    problems.append(f"{said}, expected a redirect to sign in ({location})")
            elif route.placeholders:
                if response.status_code != 404:
                    problems.append(f"{said}, expected 404")
            elif response.status_code != 200:
                problems.append(f"{said}, expected their own page")
            leaked = [m for m in cast.markers if m in response.text]
            if leaked:
                problems.append(f"{said} shows the victim's {leaked}")
    if snapshot(app) != before:
        problems.append(f"{route} as {who} changed the database")
    return problems


def cases(kind: str, *identities: str) -> list:
    return [
        pytest.param(route, who, id=f"{route} as {who}")
        for route in PRIVATE if route.kind == kind
        for who in identities
    ]


# --- the promises -------------------------------------------------------------------------

@pytest.mark.parametrize(("route", "who"), cases("buyer", ANONYMOUS) + cases("seller", ANONYMOUS))
def test_a_signed_out_visitor_is_sent_to_sign_in_and_changes_nothing(app, cast, route, who):
    assert try_route(app, cast, route, who) == []


@pytest.mark.parametrize(("route", "who"), cases("buyer", OTHER_BUYER))
def test_a_buyer_can_never_see_cancel_message_about_or_track_another_buyers_order(
        app, cast, route, who):
    assert try_route(app, cast, route, who) == []


@pytest.mark.parametrize(("route", "who"), cases("seller", VICTIMS_BUYER, OTHER_BUYER))
def test_a_buyer_can_never_use_the_seller_console(app, cast, route, who):
    assert try_route(app, cast, route, who) == []


@pytest.mark.parametrize(("route", "who"), cases("buyer", VICTIMS_SELLER, OTHER_SELLER))
def test_a_seller_cannot_use_the_buyers_pages(app, cast, route, who):
    assert try_route(app, cast, route, who) == []


@pytest.mark.parametrize(("route", "who"), cases("seller", OTHER_SELLER))
def test_a_seller_acts_only_on_its_own_stores_orders(app, cast, route, who):
    assert try_route(app, cast, route, who) == []


def test_the_rightful_owner_gets_through_on_every_private_route(app):
    """The control for every refusal above: the same requests, sent by the order's own
    buyer or seller, reach the page (so the refusals were about who asked)."""
    owner = create_world(app.state.db, VICTIM_SCENARIO)
    stranger = create_world(app.state.db, STRANGER_SCENARIO)
    owners = {"buyer": visitor(app, "owner", "buyer", owner),
              "seller": visitor(app, "owner", "seller", owner)}
    numbers = [n for n in owner.numbers if n not in stranger.numbers]
    refused = []
    for route in PRIVATE:
        addresses = ([route.fill(number=n) for n in numbers] if route.placeholders
                     else [route.fill()])
        for address in addresses:
            for form in forms_for(route):
                response = owners[route.kind].send(route.method, address, form)
                location = response.headers.get("location", "")
                if response.status_code in (403, 404) or "login" in location:
                    refused.append(f"{route.method} {address} {form}: {response.status_code}")
    assert refused == []


def test_a_buyer_cannot_cancel_another_buyers_order(app):
    victim = create_world(app.state.db, "payment-being-verified")
    stranger = create_world(app.state.db, "awaiting-shipment")
    number = victim.numbers[0]
    assert number not in stranger.numbers
    thief = visitor(app, OTHER_BUYER, "buyer", stranger)
    before = snapshot(app)
    response = thief.send("POST", f"/orders/{number}/cancel", {"reason": "changed_mind"})
    assert response.status_code == 404
    assert "There is no order with that number in your account" in response.text
    assert snapshot(app) == before
    # the same form from the order's own buyer does cancel it
    owner = visitor(app, VICTIMS_BUYER, "buyer", victim)
    assert owner.send("POST", f"/orders/{number}/cancel",
                      {"reason": "changed_mind"}).status_code == 303


def test_the_same_order_number_in_two_accounts_stays_two_orders(app):
    """Order numbers are unique per buyer: cancelling "my" 3050… never touches yours."""
    mine = create_world(app.state.db, "payment-being-verified")
    yours = create_world(app.state.db, "payment-being-verified")
    number = mine.numbers[0]
    assert number in yours.numbers
    me = visitor(app, "me", "buyer", mine)
    assert me.send("POST", f"/orders/{number}/cancel",
                   {"reason": "changed_mind"}).status_code == 303
    you = visitor(app, "you", "buyer", yours)
    page = you.send("GET", f"/orders/{number}")
    assert page.status_code == 200
    assert "Payment being verified" in page.text
    assert "Closed" not in page.text


def test_a_tampered_or_foreign_session_cookie_is_not_trusted(app, cast):
    """The session cookie is signed: one signed with another key, or edited, is ignored."""
    genuine = cast.visitors[VICTIMS_BUYER].client.cookies["shop_session"]
    payload, _, _ = genuine.partition(".")
    forged = TimestampSigner("not-the-shops-key").sign(payload.encode()).decode()
    edited = genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB")
    for cookie in (forged, edited, payload):
        stranger = visitor(app, "forger")
        stranger.client.cookies.set("shop_session", cookie)
        response = stranger.send("GET", f"/orders/{cast.numbers[0]}")
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("env", ["development", "production"])
def test_the_published_development_key_is_refused_everywhere(env):
    """A cookie forged with the key this project once published never works anywhere."""
    from pydantic import ValidationError

    from mock_site.core.settings import Settings

    with pytest.raises(ValidationError, match="SHOP_SECRET_KEY"):
        Settings(env=env, secret_key=PUBLISHED_SECRET)


# --- the table stays complete ---------------------------------------------------------------

def test_every_route_is_public_control_or_checked_here(app):
    """A new route is checked by the tests above without anyone listing it; this makes
    sure the reading of ``app.routes`` sees what the running app answers."""
    live = routes_of(app)
    assert set(live) == set(ROUTES)
    kinds = {route.kind for route in live}
    assert kinds == {"public", "control", "buyer", "seller"}
    for route in PRIVATE:
        assert set(route.placeholders) <= {"number"}, (
            f"{route}: a private route with a new path parameter; teach Cast.addresses")
        forms_for(route)
    assert len(PRIVATE) >= 10
