"""The control surface: the trainer page and the JSON API under /api."""

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from domain import scenarios
from domain.lifecycle import Role
from mock_site.services import control
from mock_site.services.control import get_scenario
from mock_site.services.orders import cancel_order
from tests.support.forms import csrf_from
from tests.support.order_numbers import HISTORY_ORDER, order_number

SHIPMENT_ORDER = order_number("awaiting-shipment")
SHIPPED_ORDER = order_number("marked-shipped")
START = "2026-03-02T09:00:00"


def buyer_asks_to_cancel(app, token: str, number: str = SHIPMENT_ORDER) -> None:
    with app.state.db.transaction() as session:
        scenario = get_scenario(session, token)
        buyer = control.scenario_account(session, scenario, Role.BUYER)
        cancel_order(session, buyer, number, "changed_mind", None,
                              app.state.settings.seller_response_hours)


def state(client, token: str) -> dict:
    response = client.get(f"/api/scenarios/{token}")
    assert response.status_code == 200
    return response.json()


def statuses(client, token: str) -> dict[str, str]:
    return {order["number"]: order["status"] for order in state(client, token)["orders"]}


def start_in_trainer(client, name: str = "awaiting-shipment") -> str:
    page = client.get("/trainer")
    response = client.post("/trainer/scenarios",
                           data={"name": name, "csrf_token": csrf_from(page.text)},
                           follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"].removeprefix("/trainer/")


def start_in_api(client, name: str = "awaiting-shipment") -> dict:
    response = client.post("/api/scenarios", json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()


# --- the trainer page -----------------------------------------------------------------------

def test_trainer_lists_every_scenario_with_a_start_button(client):
    page = client.get("/trainer")
    assert page.status_code == 200
    assert "<h1>Trainer</h1>" in page.text
    catalogue = scenarios.scenario_catalogue()
    for item in catalogue:
        assert f'<h3 id="scenario-{item["name"]}">{escape(item["title"])}</h3>' in page.text
    assert page.text.count(">Start</button>") == len(catalogue)


def test_start_opens_a_fresh_scenario_page(client):
    token = start_in_trainer(client)
    page = client.get(f"/trainer/{token}")
    assert page.status_code == 200
    assert "<h1>Awaiting shipment</h1>" in page.text
    assert "Mar 2, 2026 09:00" in page.text
    assert f'aria-label="Order {SHIPMENT_ORDER}"' in page.text
    assert f'action="/trainer/{token}/buyer"' in page.text
    assert ">Sign in as buyer</button>" in page.text
    assert f'action="/trainer/{token}/seller"' in page.text
    assert ">Open seller console</button>" in page.text
    assert '<label for="clock-days">Days</label>' in page.text
    assert '<label for="clock-hours">Hours</label>' in page.text
    assert ">Advance clock</button>" in page.text
    assert f"seller-{token}@example.test" in page.text


def test_the_demo_scenario_has_a_page(client):
    page = client.get(f"/trainer/{scenarios.DEMO_TOKEN}")
    assert page.status_code == 200
    assert "<h1>Showcase</h1>" in page.text
    assert scenarios.DEMO_SELLER_EMAIL in page.text


def test_two_starts_make_two_separate_worlds(client):
    assert start_in_trainer(client) != start_in_trainer(client)


@pytest.mark.parametrize("name", ["nope", "", "<script>alert(1)</script>"])
def test_start_with_an_unknown_name_lists_the_known_ones(client, name):
    page = client.get("/trainer")
    response = client.post("/trainer/scenarios",
                           data={"name": name, "csrf_token": csrf_from(page.text)})
    assert response.url.path == "/trainer"
    assert 'class="flash flash-error"' in response.text
    assert "known scenarios: payment-being-verified, awaiting-shipment" in response.text
    assert "<script>alert(1)" not in response.text


def trainer_sign_in(client, token: str, role: str):
    page = client.get(f"/trainer/{token}")
    return client.post(f"/trainer/{token}/{role}", data={"csrf_token": csrf_from(page.text)},
                       follow_redirects=False)


def test_sign_in_as_buyer_lands_on_my_orders(client):
    token = start_in_trainer(client)
    response = trainer_sign_in(client, token, "buyer")
    assert (response.status_code, response.headers["location"]) == (303, "/orders")
    orders = client.get("/orders")
    assert orders.status_code == 200
    assert SHIPMENT_ORDER in orders.text
    assert client.get("/seller", follow_redirects=False).headers["location"].startswith(
        "/seller/login")


def test_open_seller_console_signs_in_as_the_scenarios_store(client):
    token = start_in_trainer(client, "marked-shipped")
    response = trainer_sign_in(client, token, "seller")
    assert (response.status_code, response.headers["location"]) == (303, "/seller")
    console = client.get("/seller")
    assert f'aria-label="Order {SHIPPED_ORDER}"' in console.text
    assert SHIPMENT_ORDER not in console.text


def test_advancing_the_clock_lapses_an_unanswered_request(app, client):
    hours = app.state.settings.seller_response_hours
    token = start_in_trainer(client)
    buyer_asks_to_cancel(app, token)
    page = client.get(f"/trainer/{token}")
    assert "Cancellation requested for the whole order" in page.text

    def advance(days: int, hours: int):
        return client.post(f"/trainer/{token}/clock",
                           data={"days": days, "hours": hours,
                                 "csrf_token": csrf_from(page.text)})

    advance(0, hours - 1)
    assert statuses(client, token)[SHIPMENT_ORDER] == "Awaiting cancellation"
    response = advance(0, 1)
    assert f"the cancellation was accepted on order {SHIPMENT_ORDER}" in response.text
    after = state(client, token)
    order = next(o for o in after["orders"] if o["number"] == SHIPMENT_ORDER)
    assert order["status"] == "Closed"
    assert order["cancellation"]["status"] == "lapsed"
    assert [r["amount_cents"] for r in order["refunds"]] == [3120]
    assert after["now"] == (scenarios.START + timedelta(hours=hours)).isoformat()


DAYS_OUT_OF_RANGE = "Days must be a whole number from 0 to 365."
NO_TIME_GIVEN = "Enter a number of days or hours to move the clock forward."


@pytest.mark.parametrize(
    ("days", "hours", "expected"),
    [
        ("-1", "0", DAYS_OUT_OF_RANGE),
        ("366", "0", DAYS_OUT_OF_RANGE),
        ("two", "0", DAYS_OUT_OF_RANGE),
        ("1.5", "0", DAYS_OUT_OF_RANGE),
        ("0", "-3", "Hours must be a whole number from 0 to 8760."),
        ("365", "1", "Move the clock by at most 365 days at a time."),
        ("0", "0", NO_TIME_GIVEN),
        ("", "", NO_TIME_GIVEN),
    ],
)
def test_bad_clock_values_explain_and_change_nothing(client, days, hours, expected):
    token = start_in_trainer(client)
    page = client.get(f"/trainer/{token}")
    response = client.post(f"/trainer/{token}/clock",
                           data={"days": days, "hours": hours,
                                 "csrf_token": csrf_from(page.text)})
    assert response.status_code == 200
    assert 'class="flash flash-error" role="alert"' in response.text
    assert f"The clock did not move. {expected}" in response.text
    assert state(client, token)["now"] == START


def trainer_act(client, token, number, action, message=""):
    page = client.get(f"/trainer/{token}")
    return client.post(f"/trainer/{token}/orders/{number}/seller",
                       data={"action": action, "message": message,
                             "csrf_token": csrf_from(page.text)})


def test_trainer_seller_actions(app, client):
    token = start_in_trainer(client)
    buyer_asks_to_cancel(app, token)
    page = client.get(f"/trainer/{token}").text
    assert ">Accept cancellation</button>" in page
    assert ">Decline cancellation</button>" in page
    assert f'<label for="reply-{SHIPMENT_ORDER}">Reply</label>' in page

    response = trainer_act(client, token, SHIPMENT_ORDER, "decline")
    assert "You declined the cancellation" in response.text
    assert statuses(client, token)[SHIPMENT_ORDER] == "Awaiting shipment"
    trainer_act(client, token, SHIPMENT_ORDER, "ship")
    assert statuses(client, token)[SHIPMENT_ORDER] == "Awaiting delivery"
    trainer_act(client, token, SHIPMENT_ORDER, "reply", "It is on its way.")
    trainer_act(client, token, SHIPMENT_ORDER, "cancel")
    order = next(o for o in state(client, token)["orders"] if o["number"] == SHIPMENT_ORDER)
    assert order["status"] == "Closed"
    assert order["messages"] == [{"sender": "seller", "body": "It is on its way."}]


def test_trainer_accept(app, client):
    token = start_in_trainer(client)
    buyer_asks_to_cancel(app, token)
    trainer_act(client, token, SHIPMENT_ORDER, "accept")
    assert statuses(client, token)[SHIPMENT_ORDER] == "Closed"


@pytest.mark.parametrize(
    ("number", "action", "message", "expected"),
    [
        (SHIPMENT_ORDER, "<script>x</script>", "", "Unknown seller action"),
        (SHIPMENT_ORDER, "accept", "", "There is no cancellation request waiting"),
        (SHIPMENT_ORDER, "reply", "", "Write a message before sending it."),
        (HISTORY_ORDER, "ship", "", "Only an order awaiting shipment can be marked shipped."),
        (HISTORY_ORDER, "cancel", "", "the store can cancel only orders awaiting shipment"),
    ],
)
def test_trainer_refused_actions_explain_and_change_nothing(client, number, action, message,
                                                            expected):
    token = start_in_trainer(client)
    before = state(client, token)
    response = trainer_act(client, token, number, action, message)
    assert 'class="flash flash-error" role="alert"' in response.text
    assert expected in response.text
    assert "<script>x</script>" not in response.text
    assert state(client, token) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/trainer/{token}"),
        ("post", "/trainer/{token}/buyer"),
        ("post", "/trainer/{token}/seller"),
        ("post", "/trainer/{token}/clock"),
        ("post", "/trainer/{token}/orders/0000/seller"),
        ("post", "/trainer/{real}/orders/0000/seller"),
        ("post", "/trainer/{real}/orders/" + SHIPPED_ORDER + "/seller"),
    ],
)
def test_trainer_unknown_scenario_or_order_is_not_found(client, method, path):
    real = start_in_trainer(client)
    url = path.format(token="no-such-token", real=real)
    token = csrf_from(client.get("/trainer").text)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data={"action": "ship", "days": "1",
                                          "csrf_token": token})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["/trainer/scenarios", "/trainer/{token}/clock", "/trainer/{token}/orders/x/seller"]
)
def test_trainer_forms_need_the_csrf_token(client, path):
    token = start_in_trainer(client)
    response = client.post(path.format(token=token),
                           data={"name": "awaiting-shipment", "days": "1", "action": "ship"})
    assert response.status_code == 403
    assert state(client, token)["now"] == START


# --- the JSON API -------------------------------------------------------------------------

def test_api_lists_scenarios(client):
    response = client.get("/api/scenarios")
    assert response.status_code == 200
    assert response.json() == scenarios.scenario_catalogue()


def test_api_start_answers_with_credentials_and_orders(client):
    started = start_in_api(client)
    token = started["token"]
    assert started == {
        "token": token,
        "name": "awaiting-shipment",
        "buyer_email": f"buyer-{token}@example.test",
        "buyer_password": scenarios.BUYER_PASSWORD,
        "seller_email": f"seller-{token}@example.test",
        "seller_password": scenarios.SELLER_PASSWORD,
        "buyer_sign_in_url": started["buyer_sign_in_url"],
        "seller_sign_in_url": started["seller_sign_in_url"],
        "now": START,
        "orders": [  # as the scenario lists them: the order its path is about comes first
            {"number": SHIPMENT_ORDER, "status": "Awaiting shipment"},
            {"number": HISTORY_ORDER, "status": "Completed"},
        ],
    }


def test_api_sign_in_links_are_one_time_paths_on_the_shop(client):
    started = start_in_api(client)
    links = {started["buyer_sign_in_url"], started["seller_sign_in_url"]}
    assert len(links) == 2
    assert all(link.startswith("/trainer/sign-in/") for link in links)


def test_api_credentials_sign_in(client):
    started = start_in_api(client)
    page = client.get("/seller/login")
    response = client.post("/seller/login", data={
        "email": started["seller_email"], "password": started["seller_password"],
        "csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert response.headers["location"] == "/seller"


def test_api_state_describes_every_order(client):
    token = start_in_api(client, "platform-coupon")["token"]
    body = state(client, token)
    assert set(body) == {"token", "name", "now", "orders"}
    (order,) = body["orders"]
    assert set(order) == {"number", "status", "payment_method", "paid_cents", "items",
                          "cancellation", "messages", "refunds", "coupons"}
    assert order["status"] == "Payment being verified"
    assert [c["code"] for c in order["coupons"]] == ["MKT-SPRING-5"]
    assert order["coupons"][0]["wallet_status"] == "Used"
    assert sum(i["paid_cents"] for i in order["items"]) == order["paid_cents"]


def test_api_clock_lapses_requests_and_moves_refunds_on(app, client):
    token = start_in_api(client)["token"]
    buyer_asks_to_cancel(app, token)
    hours = app.state.settings.seller_response_hours
    early = client.post(f"/api/scenarios/{token}/clock", json={"hours": hours - 1})
    assert early.status_code == 200
    assert early.json()["lapsed"] == []
    lapsed = client.post(f"/api/scenarios/{token}/clock", json={"days": 0, "hours": 1})
    assert lapsed.json()["lapsed"] == [SHIPMENT_ORDER]
    order = next(o for o in lapsed.json()["orders"] if o["number"] == SHIPMENT_ORDER)
    assert order["status"] == "Closed"
    assert order["refunds"][0]["stages_reached"] == 1
    later = client.post(f"/api/scenarios/{token}/clock", json={"days": 15}).json()
    order = next(o for o in later["orders"] if o["number"] == SHIPMENT_ORDER)
    assert order["refunds"][0]["stages_reached"] == 3


def test_api_seller_actions_answer_with_the_orders_state(app, client):
    token = start_in_api(client)["token"]
    buyer_asks_to_cancel(app, token)
    url = f"/api/scenarios/{token}/orders/{SHIPMENT_ORDER}/seller"
    declined = client.post(url, json={"action": "decline"})
    assert declined.status_code == 200
    assert declined.json()["status"] == "Awaiting shipment"
    assert declined.json()["cancellation"]["status"] == "declined"
    assert client.post(url, json={"action": "ship"}).json()["status"] == "Awaiting delivery"
    replied = client.post(url, json={"action": "reply", "message": "It left today."}).json()
    assert replied["messages"] == [{"sender": "seller", "body": "It left today."}]
    cancelled = client.post(url, json={"action": "cancel", "message": None}).json()
    assert cancelled["status"] == "Closed"
    assert [r["amount_cents"] for r in cancelled["refunds"]] == [3120]


def test_api_accept(app, client):
    token = start_in_api(client)["token"]
    buyer_asks_to_cancel(app, token)
    accepted = client.post(f"/api/scenarios/{token}/orders/{SHIPMENT_ORDER}/seller",
                           json={"action": "accept"})
    assert accepted.json()["status"] == "Closed"
    assert accepted.json()["cancellation"]["status"] == "accepted"


BAD_INPUT = [
    # (what, method, path, body, status, words in the detail)
    ("negative days", "clock", {"days": -1}, 422, "greater than or equal to 0"),
    ("negative hours", "clock", {"hours": -2}, 422, "greater than or equal to 0"),
    ("too many days", "clock", {"days": 366}, 422, "less than or equal to 365"),
    ("over a year in all", "clock", {"days": 365, "hours": 1}, 422, "at most 365 days"),
    ("days as text", "clock", {"days": "two"}, 422, "valid integer"),
    ("days as a string number", "clock", {"days": "2"}, 422, "valid integer"),
    ("fractional days", "clock", {"days": 1.5}, 422, "valid integer"),
    ("unknown field", "clock", {"weeks": 1}, 422, "Extra inputs are not permitted"),
    ("unknown action", "seller", {"action": "refund"}, 422, "'accept', 'decline'"),
    ("no action", "seller", {}, 422, "Field required"),
    ("reply without message", "seller", {"action": "reply"}, 422, "Field required"),
    ("null reply message", "seller", {"action": "reply", "message": None}, 422,
     "A reply needs a message."),
    ("half a surrogate pair", "seller", {"action": "reply", "message": "hi \ud800"}, 422,
     "unpaired surrogate"),
    ("a fraction of an hour", "clock", {"hours": 2.5}, 422, "valid integer"),
    ("hours as text", "clock", {"hours": "2"}, 422, "valid integer"),
    ("blank reply", "seller", {"action": "reply", "message": "  "}, 422, "needs a message"),
    ("long reply", "seller", {"action": "reply", "message": "x" * 1001}, 422,
     "at most 1000 characters"),
    ("accept without a request", "seller", {"action": "accept"}, 409,
     "There is no cancellation request waiting on this order."),
    ("ship a finished order", "history", {"action": "ship"}, 409, "Only an order awaiting"),
    ("cancel a finished order", "history", {"action": "cancel"}, 409, "the store can cancel only"),
    ("unknown order", "unknown-order", {"action": "ship"}, 404, "Order not found."),
    ("unknown token: clock", "unknown-token-clock", {"days": 1}, 404, "No such scenario."),
    ("unknown token: seller", "unknown-token-seller", {"action": "ship"}, 404,
     "No such scenario."),
]
PATHS = {
    "clock": "/api/scenarios/{token}/clock",
    "seller": "/api/scenarios/{token}/orders/" + SHIPMENT_ORDER + "/seller",
    "history": "/api/scenarios/{token}/orders/" + HISTORY_ORDER + "/seller",
    "unknown-order": "/api/scenarios/{token}/orders/0000000000000000/seller",
    "unknown-token-clock": "/api/scenarios/nope/clock",
    "unknown-token-seller": "/api/scenarios/nope/orders/" + SHIPMENT_ORDER + "/seller",
}


@pytest.mark.parametrize(("what", "path", "body", "status", "words"), BAD_INPUT,
                         ids=[row[0] for row in BAD_INPUT])
def test_api_bad_input_is_refused_and_changes_nothing(client, what, path, body, status, words):
    token = start_in_api(client)["token"]
    before = state(client, token)
    # json.dumps escapes a lone surrogate (httpx's encoder would refuse it)
    response = client.post(PATHS[path].format(token=token), content=json.dumps(body),
                           headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert words in str(response.json()["detail"])
    assert state(client, token) == before


def test_api_unknown_scenario_name_lists_the_known_ones(client):
    response = client.post("/api/scenarios", json={"name": "nope"})
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    for item in scenarios.scenario_catalogue():
        assert f"'{item['name']}'" in message


def test_api_unknown_token_is_not_found(client):
    response = client.get("/api/scenarios/nope")
    assert (response.status_code, response.json()) == (404, {"detail": "No such scenario."})


@pytest.fixture
def lenient_client(app):
    """A client that hands back a 500 as a response, so a test can see it."""
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("path", "content", "content_type"),
    [
        ("/api/scenarios", "", "application/json"),
        ("/api/scenarios", "{not json", "application/json"),
        ("/api/scenarios", "name=showcase", "application/x-www-form-urlencoded"),
        ("/api/scenarios", "[1, 2]", "application/json"),
        ("/api/scenarios", '{"name": null}', "application/json"),
        ("/api/scenarios/{token}/clock", "{bad", "text/plain"),
        ("/api/scenarios/{token}/clock", "null", "application/json"),
        ("/api/scenarios/{token}/clock", '{"days": 1e400}', "application/json"),
        ("/api/scenarios/{token}/clock", '{"days": 99999999999999999999999}',
         "application/json"),
        ("/api/scenarios/{token}/orders/%00/seller", '{"action": "ship"}', "application/json"),
        ("/api/scenarios/{token}/orders/" + SHIPMENT_ORDER + "/seller",
         '{"action": "reply", "message": 5}', "application/json"),
        ("/api/scenarios/{token}/orders/" + SHIPMENT_ORDER + "/seller",
         '{"action": ["ship"]}', "application/json"),
    ],
)
def test_api_never_answers_500(lenient_client, path, content, content_type):
    token = start_in_api(lenient_client)["token"]
    response = lenient_client.post(path.format(token=token), content=content,
                                   headers={"content-type": content_type})
    assert 400 <= response.status_code < 500, response.text
    assert "detail" in response.json()


def test_openapi_describes_the_contract(client):
    spec = client.get("/openapi.json").json()
    paths = {path: set(ops) for path, ops in spec["paths"].items() if path.startswith("/api")}
    assert paths == {
        "/api/scenarios": {"get", "post"},
        "/api/scenarios/{token}": {"get"},
        "/api/scenarios/{token}/clock": {"post"},
        "/api/scenarios/{token}/orders/{number}/seller": {"post"},
        "/api/scenarios/{token}/sign-in-links": {"post"},
    }
    assert not [p for p in spec["paths"] if p.startswith(("/trainer", "/seller"))]

    def responses(path, method):
        return spec["paths"][path][method]["responses"]

    assert set(responses("/api/scenarios", "post")) == {"201", "415", "422", "429"}
    assert set(responses("/api/scenarios/{token}", "get")) == {"200", "404", "422"}
    assert set(responses("/api/scenarios/{token}/clock", "post")) == {"200", "404", "415", "422"}
    assert set(responses("/api/scenarios/{token}/orders/{number}/seller", "post")) == {
        "200", "404", "409", "415", "422"}
    assert set(responses("/api/scenarios/{token}/sign-in-links", "post")) == {
        "201", "404", "415", "422"}
    schemas = spec["components"]["schemas"]
    assert schemas["ErrorDetail"]["required"] == ["detail"]
    assert set(schemas["StartedScenario"]["required"]) == {
        "token", "name", "buyer_email", "buyer_password", "seller_email", "seller_password",
        "buyer_sign_in_url", "seller_sign_in_url", "now", "orders"}
    days = schemas["ClockAdvance"]["properties"]["days"]
    assert (days["minimum"], days["maximum"]) == (0, 365)
    assert schemas["SellerDecision"]["properties"]["action"]["enum"] == [
        "accept", "decline", "ship", "cancel"]
    # a reply's message is required and not blank; the decisions need none
    assert schemas["SellerReply"]["required"] == ["action", "message"]
    assert schemas["SellerReply"]["properties"]["message"]["type"] == "string"
    assert schemas["SellerReply"]["properties"]["message"]["pattern"] == r"\S"
    names = schemas["StartScenario"]["properties"]["name"]["enum"]
    assert names == [item["name"] for item in scenarios.scenario_catalogue()]
    assert "Awaiting cancellation" in schemas["OrderStatus"]["enum"]
