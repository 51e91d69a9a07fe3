"""The seller console: sign-in, the order list, and every action on one order."""

import pytest
from markupsafe import escape

from domain.lifecycle import Role
from domain.scenarios import BUYER_PASSWORD
from mock_site.services import control
from mock_site.services.control import get_scenario
from mock_site.services.orders import buyer_order, cancel_order, send_message
from tests.support.forms import csrf_from, labels
from tests.support.order_numbers import HISTORY_ORDER, order_number
from tests.support.sign_in import sign_in_buyer, sign_in_seller, try_sign_in

SHIPMENT_ORDER = order_number("awaiting-shipment")
SHIPPED_ORDER = order_number("marked-shipped")


def order_url(number: str) -> str:
    return f"/seller/orders/{number}"


def act(client, number: str, action: str, message: str = "", token: str | None = None):
    """Press one of the order page's buttons, as the browser would."""
    token = token or csrf_from(client.get(order_url(number)).text)
    return client.post(
        f"{order_url(number)}/actions",
        data={"action": action, "message": message, "csrf_token": token},
        follow_redirects=False,
    )


def buyer_asks_to_cancel(app, world, number: str = SHIPMENT_ORDER) -> None:
    with app.state.db.transaction() as session:
        buyer = _buyer(session, world)
        cancel_order(session, buyer, number, "shipping_too_slow", None, 48)


def buyer_writes(app, world, number: str, body: str) -> None:
    with app.state.db.transaction() as session:
        order = buyer_order(session, _buyer(session, world), number)
        send_message(session, order, Role.BUYER, body, 1000)


def _buyer(session, world):
    scenario = get_scenario(session, world.token)
    return control.scenario_account(session, scenario, Role.BUYER)


def order_row(app, world, number: str):
    with app.state.db.transaction() as session:
        order = buyer_order(session, _buyer(session, world), number)
        return order.status, [r.amount_cents for r in order.refunds], [
            (m.sender, m.body) for m in order.messages
        ]


@pytest.fixture
def shipment(world_factory, client):
    world = world_factory("awaiting-shipment")
    sign_in_seller(client, world)
    return world


@pytest.fixture
def shipped(world_factory, client):
    world = world_factory("marked-shipped")
    sign_in_seller(client, world)
    return world


# --- signing in -------------------------------------------------------------------------

def test_sign_in_page_has_labelled_fields(client):
    page = client.get("/seller/login")
    assert page.status_code == 200
    assert labels(page.text) == {"seller-email": "Email", "seller-password": "Password"}
    assert ">Sign in</button>" in page.text


def test_wrong_password_is_refused_with_a_message(client, world_factory):
    world = world_factory("awaiting-shipment")
    response = try_sign_in(client, "seller", world.seller_email, "wrong")
    assert response.status_code == 401
    assert "do not match a seller account" in response.text
    assert client.get("/seller", follow_redirects=False).status_code == 303


def test_a_buyer_cannot_sign_in_to_the_console(client, world_factory):
    world = world_factory("awaiting-shipment")
    response = try_sign_in(client, "seller", world.buyer_email, BUYER_PASSWORD)
    assert response.status_code == 401


def test_console_needs_a_signed_in_seller(client):
    response = client.get("/seller", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/seller/login?next=/seller"


def test_a_buyer_session_is_sent_to_seller_sign_in(client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    for url in ("/seller", order_url(SHIPMENT_ORDER)):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/seller/login")


def test_sign_in_returns_to_the_page_asked_for(client, world_factory):
    world = world_factory("awaiting-shipment")
    page = client.get(f"/seller/login?next={order_url(SHIPMENT_ORDER)}")
    response = client.post(
        "/seller/login",
        data={"email": world.seller_email, "password": "seller-1234",
              "next": order_url(SHIPMENT_ORDER), "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.headers["location"] == order_url(SHIPMENT_ORDER)


@pytest.mark.parametrize("next_url", ["https://elsewhere.example/", "//elsewhere.example/", "/orders"])
def test_sign_in_never_redirects_off_the_console(client, world_factory, next_url):
    world = world_factory("awaiting-shipment")
    page = client.get("/seller/login")
    response = client.post(
        "/seller/login",
        data={"email": world.seller_email, "password": "seller-1234", "next": next_url,
              "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/seller"


def test_sign_out(client, shipment):
    token = csrf_from(client.get("/seller").text)
    response = client.post("/seller/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/seller/login"
    assert client.get("/seller", follow_redirects=False).status_code == 303


# --- the order list -----------------------------------------------------------------------

def test_console_lists_the_stores_orders(client, shipment):
    page = client.get("/seller")
    assert page.status_code == 200
    assert "<h1>Seller console</h1>" in page.text
    for number in (SHIPMENT_ORDER, HISTORY_ORDER):
        assert f'aria-label="Order {number}"' in page.text
        assert f'href="/seller/orders/{number}">Open</a>' in page.text
    assert "<span data-personal>Robin Carter</span>" in page.text
    assert "Awaiting shipment</span>" in page.text
    assert "Cancellation request" not in page.text


def test_console_flags_requests_and_new_messages(app, client, shipment):
    buyer_asks_to_cancel(app, shipment)
    buyer_writes(app, shipment, SHIPMENT_ORDER, "Please cancel, it is too slow.")
    page = client.get("/seller").text
    assert ">Cancellation request</li>" in page
    assert ">New message</li>" in page
    assert "1 waiting for your answer" in page


def test_console_shows_only_its_own_store(client, world_factory, shipment):
    other = world_factory("marked-shipped")
    page = client.get("/seller").text
    assert SHIPPED_ORDER not in page
    assert other.token not in page


# --- one order ------------------------------------------------------------------------------

def test_order_page_shows_the_pending_request(app, client, shipment):
    buyer_asks_to_cancel(app, shipment)
    page = client.get(order_url(SHIPMENT_ORDER))
    assert page.status_code == 200
    assert f"<h1>Order {SHIPMENT_ORDER}</h1>" in page.text
    assert "Delivery would take too long" in page.text
    assert "Mar 2, 2026 09:00" in page.text  # requested
    assert "Mar 4, 2026 09:00" in page.text  # 48 hours later
    assert ">Accept cancellation</button>" in page.text
    assert ">Decline cancellation</button>" in page.text
    assert ">Mark as shipped</button>" not in page.text


def test_order_page_without_a_request_offers_ship_and_cancel(client, shipment):
    page = client.get(order_url(SHIPMENT_ORDER)).text
    assert "Accept cancellation" not in page
    assert ">Mark as shipped</button>" in page
    assert ">Cancel order</button>" in page
    assert '<label for="seller-reply">Reply</label>' in page
    assert ">Send reply</button>" in page


def test_a_finished_order_offers_no_actions(client, shipment):
    page = client.get(order_url(HISTORY_ORDER)).text
    assert ">Mark as shipped</button>" not in page
    assert ">Cancel order</button>" not in page


def test_accepting_closes_the_order_and_starts_the_refund(app, client, shipment):
    buyer_asks_to_cancel(app, shipment)
    response = act(client, SHIPMENT_ORDER, "accept")
    assert response.status_code == 303
    assert response.headers["location"] == order_url(SHIPMENT_ORDER)
    status, refunds, _ = order_row(app, shipment, SHIPMENT_ORDER)
    assert (status, refunds) == ("Closed", [3120])
    page = client.get(order_url(SHIPMENT_ORDER)).text
    assert "You accepted the cancellation" in page
    assert "the buyer&#39;s refund has started" in page
    assert "Accept cancellation" not in page


def test_declining_puts_the_order_back_to_awaiting_shipment(app, client, shipment):
    buyer_asks_to_cancel(app, shipment)
    act(client, SHIPMENT_ORDER, "decline")
    status, refunds, _ = order_row(app, shipment, SHIPMENT_ORDER)
    assert (status, refunds) == ("Awaiting shipment", [])
    assert "You declined the cancellation" in client.get(order_url(SHIPMENT_ORDER)).text


def test_marking_shipped(app, client, shipment):
    act(client, SHIPMENT_ORDER, "ship")
    assert order_row(app, shipment, SHIPMENT_ORDER)[0] == "Awaiting delivery"
    page = client.get(order_url(SHIPMENT_ORDER)).text
    assert "is marked as shipped" in page
    assert ">Mark as shipped</button>" not in page
    assert ">Cancel order</button>" in page


def test_cancelling_after_the_buyers_message_refunds(app, client, shipped):
    buyer_writes(app, shipped, SHIPPED_ORDER, "The parcel has not moved. Please cancel.")
    assert ">New message</li>" in client.get("/seller").text
    act(client, SHIPPED_ORDER, "cancel")
    status, refunds, _ = order_row(app, shipped, SHIPPED_ORDER)
    assert (status, refunds) == ("Closed", [1240])
    assert "You cancelled order" in client.get(order_url(SHIPPED_ORDER)).text


def test_reply_shows_in_the_buyers_thread(app, client, shipped, world_factory):
    buyer_writes(app, shipped, SHIPPED_ORDER, "Has it really left?")
    act(client, SHIPPED_ORDER, "reply", "Yes, it left the warehouse this morning.")
    _, _, messages = order_row(app, shipped, SHIPPED_ORDER)
    assert messages[-1] == ("seller", "Yes, it left the warehouse this morning.")
    assert "Yes, it left the warehouse this morning." in client.get(order_url(SHIPPED_ORDER)).text

    sign_in_buyer(client, shipped)
    thread = client.get(f"/orders/{SHIPPED_ORDER}/messages")
    assert thread.status_code == 200
    assert "Yes, it left the warehouse this morning." in thread.text


@pytest.mark.parametrize(
    ("action", "message", "expected"),
    [
        ("accept", "", "There is no cancellation request waiting on this order."),
        ("decline", "", "There is no cancellation request waiting on this order."),
        ("reply", "   ", "Write a message before sending it."),
        ("reply", "x" * 1001, "Messages can be at most 1000 characters long."),
        ("refund-everything", "", "Unknown seller action &#39;refund-everything&#39;"),
        ("", "", "Unknown seller action"),
    ],
)
def test_refused_actions_explain_and_change_nothing(app, client, shipment, action, message,
                                                    expected):
    response = act(client, SHIPMENT_ORDER, action, message)
    assert response.status_code == 303
    page = client.get(order_url(SHIPMENT_ORDER)).text
    assert 'class="flash flash-error" role="alert"' in page
    assert expected in page
    assert order_row(app, shipment, SHIPMENT_ORDER) == ("Awaiting shipment", [], [])


def test_a_closed_order_cannot_be_cancelled_again(app, client, shipment):
    act(client, SHIPMENT_ORDER, "cancel")
    act(client, SHIPMENT_ORDER, "cancel")
    status, refunds, _ = order_row(app, shipment, SHIPMENT_ORDER)
    assert (status, refunds) == ("Closed", [3120])
    assert "the store can cancel only" in client.get(order_url(SHIPMENT_ORDER)).text


def test_a_double_accept_refunds_once(app, client, shipment):
    buyer_asks_to_cancel(app, shipment)
    token = csrf_from(client.get(order_url(SHIPMENT_ORDER)).text)
    act(client, SHIPMENT_ORDER, "accept", token=token)
    act(client, SHIPMENT_ORDER, "accept", token=token)
    assert order_row(app, shipment, SHIPMENT_ORDER)[:2] == ("Closed", [3120])


# --- another store's orders, CSRF, escaping ------------------------------------------------

@pytest.mark.parametrize("action", ["", "accept", "decline", "ship", "cancel", "reply"])
def test_another_stores_order_is_not_found(app, client, shipment, world_factory, action):
    other = world_factory("marked-shipped")
    token = csrf_from(client.get("/seller").text)
    if action:
        response = act(client, SHIPPED_ORDER, action, "hello", token=token)
    else:
        response = client.get(order_url(SHIPPED_ORDER))
    assert response.status_code == 404
    assert order_row(app, other, SHIPPED_ORDER) == ("Awaiting delivery", [], [])


def test_same_order_number_in_another_scenario_is_not_touched(app, client, world_factory):
    """Two copies of a scenario share order numbers; each seller sees only its own copy."""
    first, second = world_factory("awaiting-shipment"), world_factory("awaiting-shipment")
    sign_in_seller(client, first)
    act(client, SHIPMENT_ORDER, "ship")
    assert order_row(app, first, SHIPMENT_ORDER)[0] == "Awaiting delivery"
    assert order_row(app, second, SHIPMENT_ORDER)[0] == "Awaiting shipment"


def test_unknown_order_is_not_found(client, shipment):
    assert client.get(order_url("0000000000000000")).status_code == 404


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/seller/login", {"email": "x@example.test", "password": "x"}),
        ("/seller/logout", {}),
        (f"{order_url(SHIPMENT_ORDER)}/actions", {"action": "ship"}),
        (f"{order_url(SHIPMENT_ORDER)}/actions", {"action": "ship", "csrf_token": "forged"}),
    ],
)
def test_forms_without_the_csrf_token_are_refused(app, client, shipment, url, data):
    response = client.post(url, data=data, follow_redirects=False)
    assert response.status_code == 403
    assert order_row(app, shipment, SHIPMENT_ORDER)[0] == "Awaiting shipment"
    assert client.get("/seller", follow_redirects=False).status_code == 200


def test_buyer_text_is_escaped(app, client, shipment):
    buyer_writes(app, shipment, SHIPMENT_ORDER, '<script>alert("x")</script>')
    page = client.get(order_url(SHIPMENT_ORDER)).text
    assert "<script>alert" not in page
    assert str(escape('<script>alert("x")</script>')) in page
