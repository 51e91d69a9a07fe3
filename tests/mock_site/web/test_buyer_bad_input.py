"""Bad input on the buyer's pages: a clear message, the right status, and nothing changed."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from mock_site.core.models import Cancellation, Message, Order, Refund
from mock_site.services.control import get_scenario, scenario_state
from tests.support.forms import csrf_from
from tests.support.order_numbers import HISTORY_ORDER as HISTORY
from tests.support.order_numbers import order_number
from tests.support.sign_in import sign_in_buyer

VERIFYING = order_number("payment-being-verified")
AWAITING_SHIPMENT = order_number("awaiting-shipment")
SHIPPED = order_number("marked-shipped")
STORE_COUPON = order_number("store-coupon")
NOT_YOURS = VERIFYING  # the demo buyer has it; the awaiting-shipment buyer does not

FORM_EXPIRED = "This form has expired or did not come from this site."
REASON_NEEDED = "Choose one of the listed reasons for cancelling."
NOT_FOUND = "Order not found"


def world_state(app, token: str) -> dict:
    """Everything the buyer could have changed, as plain data."""
    with app.state.db.transaction() as session:
        return scenario_state(session, get_scenario(session, token))


def cancel_first(client, number: str) -> None:
    page = client.get(f"/orders/{number}/cancel")
    response = client.post(
        f"/orders/{number}/cancel",
        data={"reason": "changed_mind", "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303


def first_item_id(client, number: str) -> str:
    page = client.get(f"/orders/{number}/cancel").text
    return page.split('name="items" value="')[1].split('"')[0]


@dataclass(frozen=True)
class BadInput:
    """One bad request: where it goes, what it sends, and what the buyer must be told."""

    name: str
    scenario: str
    method: str
    path: str
    form: dict = field(default_factory=dict)
    status: int = 400
    message: str = ""
    with_csrf: bool = True
    prepare: Callable | None = None  # runs first, e.g. to close the order


def cancel(name: str, scenario: str, order: str, form: dict, status: int, message: str,
           **extra) -> BadInput:
    """A refused cancellation of ``order``."""
    return BadInput(name, scenario, "POST", f"/orders/{order}/cancel", form, status, message,
                    **extra)


def send(name: str, form: dict, status: int, message: str, **extra) -> BadInput:
    """A refused message about the shipped order."""
    return BadInput(name, "marked-shipped", "POST", f"/orders/{SHIPPED}/messages", form, status,
                    message, **extra)


def not_yours(name: str, page: str, method: str = "GET", form: dict | None = None) -> BadInput:
    """Another buyer's order, or no order at all: the not-found page."""
    return BadInput(name, "awaiting-shipment", method, page, form or {}, 404, NOT_FOUND)


CHOSEN = {"reason": "changed_mind", "choosing_items": "1"}
NOT_IN_ORDER = "Some of the chosen items are not in this order."
NO_LONGER = "This order can no longer be cancelled."
EMPTY_MESSAGE = "Write a message before sending it."

CASES = [
    cancel("unknown reason", "payment-being-verified", VERIFYING, {"reason": "bored"}, 400,
           REASON_NEEDED),
    cancel("no reason", "payment-being-verified", VERIFYING, {}, 400, REASON_NEEDED),
    cancel("empty reason", "payment-being-verified", VERIFYING, {"reason": ""}, 400,
           REASON_NEEDED),
    cancel("no item ticked", "store-coupon", STORE_COUPON, CHOSEN, 400,
           "Choose at least one item to cancel."),
    cancel("item of another order", "store-coupon", STORE_COUPON, CHOSEN | {"items": "999999"},
           400, NOT_IN_ORDER),
    cancel("item that is not a number", "store-coupon", STORE_COUPON, CHOSEN | {"items": "lamp"},
           400, NOT_IN_ORDER),
    cancel("cancel a Closed order", "payment-being-verified", VERIFYING,
           {"reason": "changed_mind"}, 409, NO_LONGER,
           prepare=lambda client: cancel_first(client, VERIFYING)),
    cancel("cancel an Awaiting delivery order", "marked-shipped", SHIPPED,
           {"reason": "changed_mind"}, 409,
           "Cancel order is gone once the store marks the order shipped."),
    cancel("cancel a Completed order", "marked-shipped", HISTORY, {"reason": "changed_mind"}, 409,
           NO_LONGER),
    cancel("ask twice while the seller decides", "awaiting-shipment", AWAITING_SHIPMENT,
           {"reason": "changed_mind"}, 409,
           "A cancellation request is waiting for the seller&#39;s answer.",
           prepare=lambda client: cancel_first(client, AWAITING_SHIPMENT)),
    send("message over the limit", {"body": "x" * 1001}, 400,
         "Messages can be at most 1000 characters long."),
    send("empty message", {"body": ""}, 400, EMPTY_MESSAGE),
    send("blank message", {"body": " \n\t "}, 400, EMPTY_MESSAGE),
    not_yours("another buyer's order: details", f"/orders/{NOT_YOURS}"),
    not_yours("another buyer's order: cancel page", f"/orders/{NOT_YOURS}/cancel"),
    not_yours("another buyer's order: cancel", f"/orders/{NOT_YOURS}/cancel", "POST",
              {"reason": "changed_mind"}),
    not_yours("another buyer's order: messages", f"/orders/{NOT_YOURS}/messages"),
    not_yours("another buyer's order: send a message", f"/orders/{NOT_YOURS}/messages", "POST",
              {"body": "hello"}),
    not_yours("another buyer's order: finances", f"/orders/{NOT_YOURS}/finances"),
    not_yours("unknown order number", "/orders/12345"),
    cancel("cancel without the CSRF token", "payment-being-verified", VERIFYING,
           {"reason": "changed_mind"}, 403, FORM_EXPIRED, with_csrf=False),
    send("message without the CSRF token", {"body": "hello"}, 403, FORM_EXPIRED,
         with_csrf=False),
    BadInput("sign out without the CSRF token", "marked-shipped", "POST", "/logout",
             {}, 403, FORM_EXPIRED, with_csrf=False),
    cancel("a forged CSRF token", "payment-being-verified", VERIFYING,
           {"reason": "changed_mind", "csrf_token": "forged"}, 403, FORM_EXPIRED,
           with_csrf=False),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gets_a_clear_message_and_changes_nothing(app, client, world_factory, case):
    world = world_factory(case.scenario)
    sign_in_buyer(client, world)
    if case.prepare:
        case.prepare(client)
    before = world_state(app, world.token)
    form = dict(case.form)
    if case.with_csrf:
        form["csrf_token"] = csrf_from(client.get("/orders").text)

    response = client.request(case.method, case.path,
                              data=form if case.method == "POST" else None)

    assert response.status_code == case.status
    assert case.message in response.text
    assert "<h1" in response.text  # a readable page, not a bare error
    assert world_state(app, world.token) == before


def test_a_refused_cancel_keeps_what_the_buyer_chose(client, world_factory):
    world = world_factory("store-coupon")
    sign_in_buyer(client, world)
    item = first_item_id(client, STORE_COUPON)

    response = client.post(
        f"/orders/{STORE_COUPON}/cancel",
        data={"reason": "bored", "choosing_items": "1", "items": item,
              "csrf_token": csrf_from(client.get("/orders").text)},
    )

    assert response.status_code == 400
    assert f'value="{item}" checked' in response.text
    assert response.text.count('type="checkbox"') == 3
    assert response.text.count(" checked>") == 1


def test_a_refused_message_keeps_the_draft(client, world_factory):
    world = world_factory("marked-shipped")
    sign_in_buyer(client, world)

    response = client.post(
        f"/orders/{SHIPPED}/messages",
        data={"body": "y" * 1001, "csrf_token": csrf_from(client.get("/orders").text)},
    )

    assert f">{'y' * 1001}</textarea>" in response.text


def count_rows(app, model, order_number: str, token: str) -> int:
    with app.state.db.transaction() as session:
        scenario = get_scenario(session, token)
        order_id = session.scalar(
            select(Order.id).where(Order.scenario_id == scenario.id, Order.number == order_number)
        )
        return session.scalar(
            select(func.count()).select_from(model).where(model.order_id == order_id)
        )


def test_a_double_submit_cancels_once_and_refunds_once(app, client, world_factory):
    world = world_factory("payment-being-verified")
    sign_in_buyer(client, world)
    form = {"reason": "changed_mind",
            "csrf_token": csrf_from(client.get(f"/orders/{VERIFYING}/cancel").text)}

    first = client.post(f"/orders/{VERIFYING}/cancel", data=form, follow_redirects=False)
    second = client.post(f"/orders/{VERIFYING}/cancel", data=form, follow_redirects=False)

    assert first.status_code == 303
    assert second.status_code == 409
    assert "This order can no longer be cancelled." in second.text
    assert count_rows(app, Refund, VERIFYING, world.token) == 1
    assert count_rows(app, Cancellation, VERIFYING, world.token) == 1


def test_two_submits_at_the_same_moment_still_refund_once(app, client, world_factory):
    world = world_factory("payment-being-verified")
    sign_in_buyer(client, world)
    form = {"reason": "changed_mind",
            "csrf_token": csrf_from(client.get(f"/orders/{VERIFYING}/cancel").text)}

    def submit(_):
        return client.post(f"/orders/{VERIFYING}/cancel", data=form,
                           follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(submit, range(4)))

    assert statuses == [303, 409, 409, 409]
    assert count_rows(app, Refund, VERIFYING, world.token) == 1


def test_script_in_a_message_is_shown_as_text(app, client, world_factory):
    world = world_factory("marked-shipped")
    sign_in_buyer(client, world)

    response = client.post(
        f"/orders/{SHIPPED}/messages",
        data={"body": "<script>alert(1)</script>",
              "csrf_token": csrf_from(client.get(f"/orders/{SHIPPED}/messages").text)},
    )

    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text
    assert count_rows(app, Message, SHIPPED, world.token) == 1


def test_script_in_the_sign_in_email_is_shown_as_text(client):
    page = client.get("/login")

    response = client.post(
        "/login",
        data={"email": '"><script>alert(1)</script>', "password": "x",
              "csrf_token": csrf_from(page.text)},
    )

    assert response.status_code == 400
    assert "<script>alert(1)" not in response.text
    assert "&#34;&gt;&lt;script&gt;" in response.text


def test_sign_in_without_the_csrf_token_is_refused(client):
    response = client.post("/login", data={"email": "demo@example.com",
                                           "password": "practice-1234"})

    assert response.status_code == 403
    assert FORM_EXPIRED in response.text
    assert client.get("/orders", follow_redirects=False).status_code == 303


def test_pages_need_a_signed_in_buyer(client):
    for path in ["/orders", f"/orders/{VERIFYING}", f"/orders/{VERIFYING}/cancel",
                 f"/orders/{VERIFYING}/messages", f"/orders/{VERIFYING}/finances", "/coupons"]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == f"/login?next={path}"
