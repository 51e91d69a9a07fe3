"""Forged forms: every state-changing form needs this session's CSRF token.

Every POST form route is read from ``app.routes``. Each is sent the form its own page
would send, by the right person, but with no token, a made-up token, or the token of
another browser's session: each answer is 403 and nothing changes, not even the
session (a refused "Sign out" leaves the visitor signed in). The same form with the
right token gets through, so the 403 was about the token and nothing else.

The JSON API is not a form: it reads only ``application/json``, which a page on another
site cannot send without the browser asking first; a cross-site "simple" request (a
plain form post, ``text/plain``, or a body with no content type at all) is refused with
415 and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi import FastAPI

from tests.security.shop import (
    Route,
    Visitor,
    collected_routes,
    snapshot,
    visitor,
)
from tests.support.coach import start_tour
from tests.support.worlds import World, create_world

ROUTES = collected_routes()
FORM_ROUTES = [r for r in ROUTES if r.method == "POST" and not r.path.startswith("/api")]
API_POSTS = [r for r in ROUTES if r.method == "POST" and r.path.startswith("/api")]


@dataclass(frozen=True)
class Form:
    """Who posts the form, on which scenario, and what the page's own form sends."""

    scenario: str
    role: str | None
    fields: Callable[[World], dict]
    done: int = 303  # the status of the accepted form
    coach: str | None = None  # a flow whose coached practice the visitor opens first


FORMS: dict[str, Form] = {
    "/login": Form("payment-being-verified", None,
                   lambda w: {"email": w.buyer_email, "password": "practice-1234"}),
    "/logout": Form("payment-being-verified", "buyer", lambda w: {}),
    "/seller/login": Form("awaiting-shipment", None,
                          lambda w: {"email": w.seller_email, "password": "seller-1234"}),
    "/seller/logout": Form("awaiting-shipment", "seller", lambda w: {}),
    "/orders/{number}/cancel": Form("payment-being-verified", "buyer",
                                    lambda w: {"reason": "changed_mind"}),
    "/orders/{number}/messages": Form("marked-shipped", "buyer",
                                      lambda w: {"body": "Has the parcel really left?"}),
    "/seller/orders/{number}/actions": Form("awaiting-shipment", "seller",
                                            lambda w: {"action": "ship"}),
    "/trainer/scenarios": Form("awaiting-shipment", None,
                               lambda w: {"name": "payment-being-verified"}),
    "/trainer/{token}/clock": Form("awaiting-shipment", None, lambda w: {"days": "3"}),
    "/trainer/{token}/buyer": Form("awaiting-shipment", None, lambda w: {}),
    "/trainer/{token}/seller": Form("awaiting-shipment", None, lambda w: {}),
    "/trainer/{token}/orders/{number}/seller": Form("awaiting-shipment", None,
                                                    lambda w: {"action": "ship"}),
    # The coach's start page: its Start button makes a copy and starts the tour.
    "/coach/{flow_id}": Form("awaiting-shipment", None, lambda w: {}),
    # The coach's panel posts for a browser with a coached practice open.
    "/coach/tour/progress": Form("awaiting-shipment", None, lambda w: {"step": "2"}, 200,
                                 "post-verification-no-answer"),
    "/coach/tour/act": Form("awaiting-shipment", None, lambda w: {"step": "8"}, 200,
                            "post-verification-no-answer"),
    "/coach/tour/go": Form("awaiting-shipment", None, lambda w: {"step": "1"}, 200,
                           "post-verification-no-answer"),
    "/coach/tour/stop": Form("awaiting-shipment", None, lambda w: {}, 204,
                             "post-verification-no-answer"),
}


def form_for(route: Route) -> Form:
    assert route.path in FORMS, (
        f"{route} is a new form: add what its page posts to FORMS in {__name__}")
    return FORMS[route.path]


def prepare(app: FastAPI, route: Route) -> tuple[Visitor, str, dict]:
    """A fresh scenario, the right person signed in, the address and the form's fields."""
    form = form_for(route)
    world = create_world(app.state.db, form.scenario)
    who = visitor(app, form.role or "visitor", form.role, world)
    if form.coach:
        start_tour(who.client, form.coach, follow_redirects=True)
        who.csrf = who.client.get("/coach/tour").json()["csrf"]  # the start signs out
    address = route.fill(number=world.numbers[0], token=world.token, flow_id="post-verification")
    return who, address, form.fields(world)


def signed_in_state(who: Visitor) -> tuple[int, int]:
    return (who.client.get("/orders", follow_redirects=False).status_code,
            who.client.get("/seller", follow_redirects=False).status_code)


BAD_TOKENS = {
    "no token": lambda who, other: None,
    "an empty token": lambda who, other: "",
    "a made-up token": lambda who, other: "x" * len(who.csrf),
    "another session's token": lambda who, other: other.csrf,
    "the token with one character changed": lambda who, other: who.csrf[:-1] + (
        "A" if who.csrf[-1] != "A" else "B"),
    "the token in the address instead of the form": lambda who, other: ("query", who.csrf),
    # hmac.compare_digest refuses non-ASCII text: this was a 500 on every form
    "a token with non-ASCII letters": lambda who, other: "é" * len(who.csrf),
    "the token with one letter made non-ASCII": lambda who, other: who.csrf[:-1] + "ü",
}


@pytest.fixture(scope="module")
def prepared(app) -> Callable[[Route], tuple[Visitor, str, dict]]:
    """One scenario and signed-in visitor per form, shared by the refusals (which change
    nothing, as each test checks)."""
    made: dict[Route, tuple[Visitor, str, dict]] = {}

    def get(route: Route) -> tuple[Visitor, str, dict]:
        if route not in made:
            made[route] = prepare(app, route)
        return made[route]

    return get


@pytest.fixture(scope="module")
def other(app) -> Visitor:
    return visitor(app, "someone else")


@pytest.mark.parametrize("bad", BAD_TOKENS)
@pytest.mark.parametrize("route", FORM_ROUTES, ids=str)
def test_a_form_without_this_sessions_token_is_refused_and_changes_nothing(
        app, prepared, other, route, bad):
    who, address, fields = prepared(route)
    assert other.csrf != who.csrf
    token = BAD_TOKENS[bad](who, other)
    if isinstance(token, tuple):
        address = f"{address}?csrf_token={token[1]}"
    elif token is not None:
        fields = {**fields, "csrf_token": token}
    signed_in = signed_in_state(who)
    before = snapshot(app)

    response = who.send("POST", address, fields, token=False)

    assert response.status_code == 403, response.text
    assert "did not come from this site" in response.text
    assert snapshot(app) == before
    assert signed_in_state(who) == signed_in


@pytest.mark.parametrize("route", FORM_ROUTES, ids=str)
def test_the_same_form_with_the_right_token_gets_through(app, route):
    who, address, fields = prepare(app, route)
    response = who.send("POST", address, fields)
    assert response.status_code == form_for(route).done, response.text


def test_the_token_is_a_long_random_secret_per_session(app):
    tokens = {visitor(app, f"browser {i}").csrf for i in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 32 for token in tokens)


def test_signing_in_keeps_the_token_and_signing_out_drops_it(app):
    """Forms opened before signing in still work; after signing out a stolen page's
    token is worthless."""
    world = create_world(app.state.db, "payment-being-verified")
    who = visitor(app, "buyer", "buyer", world)
    page = who.client.get(f"/orders/{world.numbers[0]}/cancel").text
    assert who.csrf in page
    assert who.send("POST", "/logout").status_code == 303
    before = snapshot(app)
    response = who.client.post("/login", data={
        "email": world.buyer_email, "password": "practice-1234", "csrf_token": who.csrf},
        follow_redirects=False)
    assert response.status_code == 403
    assert snapshot(app) == before


CROSS_SITE_BODIES = {
    "a plain HTML form": {"data": {"name": "showcase", "days": "1", "action": "ship"}},
    "a text/plain form": {"content": '{"name": "showcase", "days": 1, "action": "ship"}',
                          "headers": {"content-type": "text/plain"}},
    "a multipart form": {"files": {"name": (None, "showcase")}},
    # fetch() with a Blob body sends no content type, and needs no permission to
    "a body without a content type": {
        "content": '{"name": "showcase", "days": 1, "action": "ship", "role": "buyer"}'},
}
CROSS_SITE_ORIGIN = {"origin": "https://elsewhere.example"}


@pytest.mark.parametrize("body", CROSS_SITE_BODIES)
@pytest.mark.parametrize("route", API_POSTS, ids=str)
def test_a_page_on_another_site_cannot_drive_the_control_api(app, route, body):
    world = create_world(app.state.db, "awaiting-shipment")
    address = route.fill(number=world.numbers[0], token=world.token)
    client = visitor(app, "cross-site").client
    before = snapshot(app)
    request = dict(CROSS_SITE_BODIES[body])
    request["headers"] = {**CROSS_SITE_ORIGIN, **request.get("headers", {})}
    response = client.post(address, **request)
    assert response.status_code == 415, response.text
    assert "Content-Type: application/json" in response.json()["detail"]
    assert snapshot(app) == before
    assert "access-control-allow-origin" not in response.headers


def test_every_form_route_is_in_the_table():
    assert {r.path for r in FORM_ROUTES} == set(FORMS)
    assert len(FORM_ROUTES) >= 10
