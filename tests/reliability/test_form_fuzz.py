"""Every form of the storefront under generated input (hypothesis).

The JSON API has its schema for schemathesis (test_api_fuzz.py); the forms have none, so
this generates their fields: any text (non-ASCII, control characters, very long, the
form token itself garbled), any extra field, and raw bodies that are not even valid
UTF-8. Each is sent by a signed-in person with or without a valid token. Every answer
must be a page or a redirect, never a server error, and carry the security headers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.security.shop import collected_routes, visitor
from tests.support.databases import DatabaseServer
from tests.support.examples import examples
from tests.support.worlds import create_world

FUZZ = settings(max_examples=examples(25), deadline=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
FORM_ROUTES = [r for r in collected_routes() if r.method == "POST" and not r.path.startswith("/api")]
# The fields each form's page sends, plus the ones that steer what it does.
FIELDS = ["csrf_token", "submission", "email", "password", "next", "reason", "items",
          "choosing_items", "body", "action", "message", "name", "days", "hours"]


texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["é" * 43, "\x00", "ü", "/\\evil.example", "-1", "1e9", "365", "3.5",
                     "changed_mind", "reply", "accept", "ship", "showcase", "x" * 5000]),
)
raw_bodies = st.binary(max_size=300)


@pytest.fixture(scope="module")
def fuzzed_app(database_server: DatabaseServer) -> Iterator[FastAPI]:
    """One storefront for the module, on SQLite and on PostgreSQL (``database_kind``)."""
    url = database_server.empty()
    app = create_app(Settings(database_url=url))
    yield app
    app.state.db.dispose()
    database_server.drop(url)


@pytest.fixture(scope="module")
def people(fuzzed_app):
    world = create_world(fuzzed_app.state.db, "awaiting-shipment")
    visitors = {role: visitor(fuzzed_app, role, role, world) for role in ("buyer", "seller")}
    return fuzzed_app, world, visitors


def who_posts(route, people):
    app, world, visitors = people
    address = route.fill(number=world.numbers[0], token=world.token, flow_id="post-verification")
    if route.path.endswith("/logout"):  # signing out would sign the shared visitors out
        return visitor(app, "leaving", "seller" if route.path.startswith("/seller") else "buyer",
                       world), address
    role = "seller" if route.path.startswith("/seller/") else (
        "buyer" if route.path.startswith("/orders") else None)
    return visitors[role] if role else visitor(app, "visitor"), address


def assert_answered_well(response) -> None:
    assert response.status_code < 500, response.text[:500]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("route", FORM_ROUTES, ids=str)
@FUZZ
@given(fields=st.dictionaries(st.sampled_from(FIELDS), texts, max_size=6),
       valid_token=st.booleans())
def test_a_form_answers_any_fields_without_a_server_error(people, route, fields, valid_token):
    who, address = who_posts(route, people)
    if valid_token:
        fields = {**fields, "csrf_token": who.csrf}
    response = who.client.post(address, data=fields, follow_redirects=False)
    assert_answered_well(response)


@pytest.mark.parametrize("route", FORM_ROUTES, ids=str)
@FUZZ
@given(body=raw_bodies, content_type=st.sampled_from([
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "multipart/form-data", "text/plain"]))
def test_a_form_answers_any_raw_body_without_a_server_error(people, route, body, content_type):
    who, address = who_posts(route, people)
    response = who.client.post(address, content=body, headers={"content-type": content_type},
                               follow_redirects=False)
    assert_answered_well(response)


def test_the_fuzzing_covers_every_form():
    assert len(FORM_ROUTES) >= 12
    assert {re.sub(r"\{\w+\}", "x", r.path) for r in FORM_ROUTES} >= {"/login", "/logout"}
