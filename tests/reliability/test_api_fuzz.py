"""The JSON API under generated requests (schemathesis, from ``/openapi.json``).

Every operation gets up to 30 generated requests, valid and invalid ones, against the
ASGI app on a fresh database. Each answer must not be a server error, must carry a
status code the description lists, and must match the documented schema (plus the
other built-in response checks: content type, headers). A second run puts a real
scenario's token and order number in the address, so generated bodies reach the
clock and the seller's actions instead of stopping at "no such scenario".
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.support.examples import examples
from tests.support.worlds import create_world

FUZZ = settings(max_examples=examples(30), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SENT: Counter = Counter()
# No server error, a documented status code, a body that matches the documented schema.
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


# The schema is loaded when the module is (``schemathesis.pytest.from_fixture`` would
# load it per test, but 4.32 reaches for a pytest attribute that pytest 9 no longer has).
# The app lives on a temporary database for as long as the module's tests run.
_FOLDER = tempfile.TemporaryDirectory(prefix="shop-fuzz-")
APP = create_app(Settings(database_url=f"sqlite:///{Path(_FOLDER.name) / 'shop.db'}"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def fuzzed_app() -> Iterator[FastAPI]:
    yield APP
    APP.state.db.dispose()
    _FOLDER.cleanup()
    print(f"\nschemathesis requests sent: {sum(SENT.values())} "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(SENT.items()))})")


@pytest.fixture(scope="module")
def real_orders(fuzzed_app) -> dict[str, tuple[str, str]]:
    """Scenarios whose orders the second run aims at, one per kind of seller decision."""
    made = {}
    for name in ("awaiting-shipment", "marked-shipped", "payment-being-verified"):
        world = create_world(fuzzed_app.state.db, name)
        made[name] = (world.token, world.numbers[0])
    return made


@schema.parametrize()
@FUZZ
def test_the_api_answers_generated_requests_as_documented(case):
    SENT[f"{case.method} {case.path}"] += 1
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_the_api_answers_generated_bodies_for_real_orders_as_documented(case, real_orders):
    if case.path_parameters and "token" in case.path_parameters:
        names = sorted(real_orders)
        pick = names[len(str(case.body)) % len(names)]
        token, number = real_orders[pick]
        case.path_parameters["token"] = token
        if "number" in case.path_parameters:
            case.path_parameters["number"] = number
    SENT[f"{case.method} {case.path} (real orders)"] += 1
    case.call_and_validate(checks=CHECKS)


# --- what the fuzzing found, pinned ---------------------------------------------------------

BODY_PATHS = ["/api/scenarios", "/api/scenarios/{token}/clock",
              "/api/scenarios/{token}/orders/{number}/seller"]


@pytest.mark.parametrize("path", BODY_PATHS)
def test_a_body_that_is_not_even_text_gets_the_documented_422(real_orders, path):
    """FastAPI answers an undecodable body with 400, which no operation documents."""
    token, number = real_orders["awaiting-shipment"]
    client = TestClient(APP)
    response = client.post(path.format(token=token, number=number), content=b"\xff\xfe{",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"
    documented = schema.raw_schema["paths"][path]["post"]["responses"]
    assert "422" in documented and "400" not in documented


def test_simulated_times_are_described_as_they_are_sent(real_orders):
    """The API sends UTC times without an offset; the description must not promise an
    RFC 3339 date-time (which needs one)."""
    token, _ = real_orders["awaiting-shipment"]
    client = TestClient(APP)
    now = client.get(f"/api/scenarios/{token}").json()["now"]
    described = schema.raw_schema["components"]["schemas"]["ScenarioState"]["properties"]["now"]
    assert described.get("format") != "date-time"
    assert re.fullmatch(described["pattern"], now)


def test_a_wrong_method_still_says_which_methods_are_allowed():
    response = TestClient(APP).delete("/api/scenarios")
    assert response.status_code == 405
    assert response.headers["allow"]


# Inputs that once gave a 500: half a surrogate pair in a reply, sent as the
# JSON escape a client may write, and whole numbers written as decimals.
SURROGATE_BODIES = [
    b'{"action": "reply", "message": "hi \\ud800"}',
    b'{"action": "reply", "message": "\\udfff"}',
    b'{"action": "accept", "message": "\\ud83d"}',
    b'{"action": "\\ud800"}',
]


@pytest.mark.parametrize("body", SURROGATE_BODIES)
def test_half_a_surrogate_pair_gets_a_clear_422(real_orders, body):
    token, number = real_orders["awaiting-shipment"]
    response = TestClient(APP).post(f"/api/scenarios/{token}/orders/{number}/seller",
                                    content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    response.json()  # the answer itself is valid JSON


def test_whole_numbers_written_as_decimals_move_the_clock(real_orders):
    token, _ = real_orders["marked-shipped"]
    response = TestClient(APP).post(f"/api/scenarios/{token}/clock", json={"hours": 2.0})
    assert response.status_code == 200, response.text
