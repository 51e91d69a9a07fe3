"""The buyer's pages over HTTP: each renders for its scenario and each path follows the rules."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from domain import scenarios
from domain.payments import PaymentMethod
from mock_site.core.models import Order
from mock_site.services import control
from mock_site.services.clock import advance_clock
from tests.support.forms import csrf_from, labels
from tests.support.order_numbers import HISTORY_ORDER as HISTORY
from tests.support.order_numbers import order_number
from tests.support.sign_in import sign_in_buyer, sign_in_demo_buyer, try_sign_in

VERIFYING = order_number("payment-being-verified")  # earbuds, bank card
AWAITING_SHIPMENT = order_number("awaiting-shipment")  # lamp, PayPal
SHIPPED = order_number("marked-shipped")  # bottle, bank card
BALANCE = order_number("refund-methods", paid_by=PaymentMethod.PLATFORM_BALANCE)  # bottle
PLATFORM_COUPON = order_number("platform-coupon")  # earbuds + 2 cases, MKT-SPRING-5
STORE_COUPON = order_number("store-coupon")  # lamp, spatulas, socks, BRIGHT-6OFF
EXPIRED_COUPON = order_number("store-coupon-expired")  # backpack, BRIGHT-4OFF


def signed_in(client, world_factory, name):
    world = world_factory(name)
    sign_in_buyer(client, world)
    return world



def cancel(client, number: str, reason: str = "changed_mind", **extra):
    page = client.get(f"/orders/{number}/cancel")
    data = {"reason": reason, "csrf_token": csrf_from(page.text), **extra}
    return client.post(f"/orders/{number}/cancel", data=data)


def order_state(app, world, number: str) -> dict:
    """The order as plain data (status, items, refunds), read straight from the database."""
    with app.state.db.transaction() as session:
        scenario = control.get_scenario(session, world.token)
        order = session.scalar(
            select(Order).where(Order.scenario_id == scenario.id, Order.number == number)
        )
        return control.order_state(order, scenario.now)


def refunds_of(app, world, number: str) -> list[int]:
    return [refund["amount_cents"] for refund in order_state(app, world, number)["refunds"]]


def advance(app, world, **delta) -> None:
    with app.state.db.transaction() as session:
        advance_clock(session, control.get_scenario(session, world.token),
                      timedelta(**delta))


def reached_stages(html: str) -> int:
    return len(re.findall(r'class="stage reached"', html))


# --- signing in ---------------------------------------------------------------------------

def test_home_sends_a_visitor_to_sign_in(client):
    response = client.get("/", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_home_sends_a_signed_in_buyer_to_my_orders(client):
    sign_in_demo_buyer(client)

    response = client.get("/", follow_redirects=False)

    assert response.headers["location"] == "/orders"


def test_login_page_has_labelled_fields_and_the_demo_account(client):
    page = client.get("/login")

    assert page.status_code == 200
    assert labels(page.text) == {"email": "Email", "password": "Password"}
    assert ">Sign in</button>" in page.text
    assert "demo@example.com" in page.text and "practice-1234" in page.text


def test_sign_in_returns_to_the_page_asked_for(client):
    first = client.get("/coupons", follow_redirects=False)
    assert first.headers["location"] == "/login?next=/coupons"
    page = client.get(first.headers["location"])
    assert 'name="next" value="/coupons"' in page.text

    response = client.post(
        "/login",
        data={"email": "DEMO@example.com ", "password": scenarios.BUYER_PASSWORD,
              "next": "/coupons", "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/coupons"


@pytest.mark.parametrize("next_url", ["https://elsewhere.example/", "//elsewhere.example/x"])
def test_sign_in_never_sends_the_buyer_off_site(client, next_url):
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": scenarios.DEMO_BUYER_EMAIL, "password": scenarios.BUYER_PASSWORD,
              "next": next_url, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )

    assert response.headers["location"] == "/orders"


def test_wrong_password_is_refused_and_nothing_changes(client):
    response = try_sign_in(client, "buyer", scenarios.DEMO_BUYER_EMAIL, "guess")

    assert response.status_code == 400
    assert "That e-mail and password do not match an account." in response.text
    assert client.get("/orders", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session(client):
    sign_in_demo_buyer(client)
    page = client.get("/orders")

    response = client.post("/logout", data={"csrf_token": csrf_from(page.text)})

    assert "You have signed out." in response.text
    assert client.get("/orders", follow_redirects=False).headers["location"].startswith("/login")


# --- every page renders -------------------------------------------------------------------

PAGES = [
    ("payment-being-verified", "/orders",
     ["My Orders", f'aria-label="Order {VERIFYING}"', "View details", "Payment being verified"]),
    ("payment-being-verified", f"/orders/{VERIFYING}",
     ["Order details", "The order is cancelled at once; no seller is involved.",
      'aria-label="Order sections"', ">Overview</a>", ">Finances</a>", ">Cancel order</a>",
      ">Contact seller</a>", "Wireless earbuds with charging case", "Total paid", "Timeline"]),
    ("payment-being-verified", f"/orders/{VERIFYING}/cancel",
     ["Cancel order", "<legend>Why are you cancelling?</legend>", "I changed my mind",
      "Another reason", ">Submit</button>", ">Keep my order</a>"]),
    ("payment-being-verified", f"/orders/{VERIFYING}/messages",
     ["Contact seller", '<label for="body">Message</label>', 'maxlength="1000"', ">Send</button>"]),
    ("payment-being-verified", f"/orders/{VERIFYING}/finances",
     ["Finances", "Bank card", "No refund on this order", "through the marketplace"]),
    ("payment-being-verified", "/coupons",
     ["My Coupons", 'aria-label="Coupon MKT-WELCOME-3"', "Marketplace coupon", "Available",
      "US $15.00"]),
    ("awaiting-shipment", f"/orders/{AWAITING_SHIPMENT}",
     ["Awaiting shipment", "the seller accepts or declines it", ">Cancel order</a>"]),
    ("awaiting-shipment", f"/orders/{AWAITING_SHIPMENT}/cancel",
     ["sends a cancellation request to the seller", "48 hours"]),
    ("marked-shipped", f"/orders/{SHIPPED}",
     ["Awaiting delivery", "Cancel order is gone once the store marks the order shipped.",
      ">Contact seller</a>"]),
    ("marked-shipped", f"/orders/{SHIPPED}/messages", ["Want to cancel?", "No messages yet."]),
    ("store-coupon", f"/orders/{STORE_COUPON}/cancel",
     ["<legend>Items to cancel</legend>", "LED desk lamp with USB port",
      "A coupon comes back only if every item bought with it is cancelled."]),
    ("store-coupon", f"/orders/{STORE_COUPON}",
     ["Store coupon · Brightside Home Store", "BRIGHT-6OFF", "−US $6.00", "US $49.85",
      "US $43.85", "Coupons used"]),
    ("store-coupon", "/coupons", ['aria-label="Coupon BRIGHT-6OFF"', "Used", STORE_COUPON]),
]


@pytest.mark.parametrize(("scenario", "path", "texts"), PAGES, ids=[p[1] for p in PAGES])
def test_every_buyer_page_renders(client, world_factory, scenario, path, texts):
    signed_in(client, world_factory, scenario)

    response = client.get(path)

    assert response.status_code == 200
    for text in texts:
        assert text in response.text, text


def test_header_shows_the_buyer_and_the_simulated_date(client, world_factory):
    signed_in(client, world_factory, "payment-being-verified")

    page = client.get("/orders").text

    assert '<span class="who" data-personal>Robin Carter</span>' in page
    assert "Simulated date: Mar 2, 2026 09:00" in page
    assert 'data-clock="2026-03-02T09:00:00"' in page
    assert ">My Orders</a>" in page and ">Coupons</a>" in page and ">Sign out</button>" in page


def test_order_card_shows_store_number_date_status_items_and_total(client, world_factory):
    signed_in(client, world_factory, "store-coupon")

    page = client.get("/orders").text

    card = page.split(f'aria-label="Order {STORE_COUPON}"')[1].split("</article>")[0]
    for text in ["Brightside Home Store", STORE_COUPON, "Placed Mar 2, 2026 06:36",
                 "Payment being verified", 'fill="#3c3c3c"', "Cotton crew socks, 5 pairs",
                 "US $43.85", f'href="/orders/{STORE_COUPON}">View details']:
        assert text in card, text


# --- My Orders tabs -----------------------------------------------------------------------

TABS = [
    ("All", 10, [VERIFYING, AWAITING_SHIPMENT, SHIPPED, HISTORY]),
    ("To pay", 0, []),
    ("To ship", 8, [VERIFYING, STORE_COUPON, AWAITING_SHIPMENT]),
    ("Shipped", 1, [SHIPPED]),
    ("Completed", 1, [HISTORY]),
    ("Closed", 0, []),
]


@pytest.mark.parametrize(("tab", "count", "numbers"), TABS, ids=[t[0] for t in TABS])
def test_status_tabs_filter_my_orders(client, tab, count, numbers):
    sign_in_demo_buyer(client)

    page = client.get("/orders", params={"tab": tab}).text

    cards = re.findall(r'<article class="card order-card" aria-label="Order (\d+)"', page)
    assert len(cards) == count
    assert set(numbers) <= set(cards)
    active = re.search(r'<a class="tab" href="[^"]+" aria-current="page">([^<]+) <span', page)
    assert active.group(1) == tab
    if count == 0:
        assert "No orders here" in page


def test_tab_counts_follow_a_cancellation(client, world_factory):
    signed_in(client, world_factory, "payment-being-verified")
    cancel(client, VERIFYING)

    page = client.get("/orders?tab=Closed").text

    assert re.search(r'Closed <span class="count">1</span>', page)
    assert f'aria-label="Order {VERIFYING}"' in page


def test_an_order_whose_payment_is_being_verified_is_not_counted_under_to_pay(
    client, world_factory
):
    # Given one order paid and being verified (and one completed long ago)
    signed_in(client, world_factory, "payment-being-verified")

    page = client.get("/orders?tab=To pay").text

    # then nothing is left to pay: it counts under To ship, and To pay lists nothing
    assert re.search(r'To pay <span class="count">0</span>', page)
    assert re.search(r'To ship <span class="count">1</span>', page)
    assert f'aria-label="Order {VERIFYING}"' not in page
    assert "No orders here" in page


def test_an_unknown_tab_shows_every_order(client):
    sign_in_demo_buyer(client)

    response = client.get("/orders", params={"tab": "<b>nonsense</b>"})

    assert response.status_code == 200
    assert 'href="/orders?tab=All" aria-current="page"' in response.text


# --- cancelling ---------------------------------------------------------------------------

def test_pre_verification_cancel_closes_the_order_and_starts_a_refund(app, client, world_factory):
    world = signed_in(client, world_factory, "payment-being-verified")

    response = cancel(client, VERIFYING, "ordered_by_mistake")

    assert response.status_code == 200
    assert str(response.url).endswith(f"/orders/{VERIFYING}")
    assert "Your order was cancelled. The refund has started." in response.text
    assert '<span class="badge badge-neutral">Closed</span>' in response.text
    assert "Cancelled" in response.text and ">Cancel order</a>" not in response.text
    assert "You cancelled the whole order (I ordered by mistake)." in response.text
    assert order_state(app, world, VERIFYING)["status"] == "Closed"
    assert refunds_of(app, world, VERIFYING) == [2499]


def test_awaiting_shipment_cancel_asks_the_seller(app, client, world_factory):
    world = signed_in(client, world_factory, "awaiting-shipment")

    response = cancel(client, AWAITING_SHIPMENT, "shipping_too_slow")

    assert "Your cancellation request was sent to the seller." in response.text
    assert "Awaiting cancellation" in response.text
    assert "Waiting for the seller." in response.text
    assert "They have until Mar 4, 2026 09:00 to answer." in response.text
    assert "No answer by then counts as a yes" in response.text
    assert ">Cancel order</a>" not in response.text
    assert order_state(app, world, AWAITING_SHIPMENT)["status"] == "Awaiting cancellation"
    assert refunds_of(app, world, AWAITING_SHIPMENT) == []


def test_an_unanswered_request_closes_the_order_when_the_window_runs_out(
    app, client, world_factory
):
    world = signed_in(client, world_factory, "awaiting-shipment")
    cancel(client, AWAITING_SHIPMENT, "shipping_too_slow")

    advance(app, world, hours=48)
    page = client.get(f"/orders/{AWAITING_SHIPMENT}").text

    assert "Closed" in page
    assert "The seller did not answer in time, so the request was accepted." in page
    assert refunds_of(app, world, AWAITING_SHIPMENT) == [3120]


def test_a_shipped_order_offers_a_message_instead_of_cancel(client, world_factory):
    signed_in(client, world_factory, "marked-shipped")

    details = client.get(f"/orders/{SHIPPED}").text
    cancel_page = client.get(f"/orders/{SHIPPED}/cancel")

    assert ">Cancel order</a>" not in details
    assert f'href="/orders/{SHIPPED}/messages">Contact seller</a>' in details
    assert str(cancel_page.url).endswith(f"/orders/{SHIPPED}")
    assert "Cancel order is not available for this order now." in cancel_page.text
    assert "<legend>" not in cancel_page.text


def test_partial_cancellation_refunds_the_exact_cents(app, client, world_factory):
    world = signed_in(client, world_factory, "store-coupon")
    items = {i["title"]: i["id"] for i in order_state(app, world, STORE_COUPON)["items"]}
    spatulas = items["Silicone spatula set, 3 pieces"]

    response = cancel(client, STORE_COUPON, "better_price",
                      choosing_items="1", items=[str(spatulas)])

    # 875 cents less the spatulas' share of the 600-cent coupon over 4985 cents: 105.
    assert refunds_of(app, world, STORE_COUPON) == [770]
    assert "The chosen items were cancelled. The refund for them has started." in response.text
    assert "US $7.70 is on its way back" in response.text
    assert "Payment being verified" in response.text
    assert "Not returned: only some of the items bought with it were cancelled." in response.text
    items = order_state(app, world, STORE_COUPON)["items"]
    assert [item["cancelled"] for item in items] == [False, True, False]
    wallet = client.get("/coupons").text
    assert re.search(r'aria-label="Coupon BRIGHT-6OFF".*?>Used</span>', wallet, re.S)


def test_cancelling_the_rest_later_closes_the_order(app, client, world_factory):
    world = signed_in(client, world_factory, "store-coupon")
    ids = [item["id"] for item in order_state(app, world, STORE_COUPON)["items"]]
    cancel(client, STORE_COUPON, choosing_items="1", items=[str(ids[1])])

    page = client.get(f"/orders/{STORE_COUPON}/cancel").text
    response = cancel(client, STORE_COUPON, choosing_items="1",
                      items=[str(ids[0]), str(ids[2])])

    assert page.count('type="checkbox"') == 2
    assert "Your order was cancelled. The refund has started." in response.text
    assert sum(refunds_of(app, world, STORE_COUPON)) == 4385


def test_cancelling_every_item_returns_a_marketplace_coupon(client, world_factory):
    signed_in(client, world_factory, "platform-coupon")

    cancel(client, PLATFORM_COUPON, choosing_items="1",
           items=re.findall(r'name="items" value="(\d+)"',
                            client.get(f"/orders/{PLATFORM_COUPON}/cancel").text))
    wallet = client.get("/coupons").text

    assert re.search(r'aria-label="Coupon MKT-SPRING-5".*?>Returned</span>', wallet, re.S)
    assert "Returned to your wallet: every item bought with it was cancelled." in wallet


def test_an_expired_store_coupon_does_not_come_back(client, world_factory):
    signed_in(client, world_factory, "store-coupon-expired")

    cancel(client, EXPIRED_COUPON)
    wallet = client.get("/coupons").text

    # The badge says what the coupon is: expired, not spent on anything the buyer keeps.
    assert re.search(r'aria-label="Coupon BRIGHT-4OFF".*?>Expired</span>', wallet, re.S)
    assert "Not returned: the store coupon had expired." in wallet


# --- finances -----------------------------------------------------------------------------

def test_finances_tracker_turns_orange_stage_by_stage(app, client, world_factory):
    world = signed_in(client, world_factory, "payment-being-verified")
    cancel(client, VERIFYING)

    day_0 = client.get(f"/orders/{VERIFYING}/finances").text
    advance(app, world, days=1)
    day_1 = client.get(f"/orders/{VERIFYING}/finances").text
    advance(app, world, days=14)
    day_15 = client.get(f"/orders/{VERIFYING}/finances").text

    assert '<ol class="tracker" aria-label="Refund progress">' in day_0
    assert reached_stages(day_0) == 1
    assert "Expected Mar 17, 2026" in day_0 and "7 to 15 days for Bank card" in day_0
    assert 'Refund requested<span class="visually-hidden"> (done)</span>' in day_0
    assert 'Paid to your payment method<span class="visually-hidden"> (not yet)</span>' in day_0
    assert "The money has been paid back" not in day_0
    assert reached_stages(day_1) == 2
    assert reached_stages(day_15) == 3
    assert "The money has been paid back to your Bank card." in day_15
    assert "not yet" not in day_15


def test_finances_names_the_range_of_the_payment_method(client, world_factory):
    signed_in(client, world_factory, "refund-methods")

    cancel(client, BALANCE)
    page = client.get(f"/orders/{BALANCE}/finances").text

    assert "Marketplace balance" in page
    assert "3 to 5 days for Marketplace balance" in page
    assert "Refund of US $12.40" in page
    assert "Expected Mar 7, 2026" in page


# --- messages and the wallet --------------------------------------------------------------

def test_a_message_reaches_the_thread(client, world_factory):
    signed_in(client, world_factory, "marked-shipped")
    page = client.get(f"/orders/{SHIPPED}/messages")

    response = client.post(
        f"/orders/{SHIPPED}/messages",
        data={"body": "  Please cancel: the parcel has not moved.  ",
              "csrf_token": csrf_from(page.text)},
    )

    assert "Your message was sent to the seller." in response.text
    assert '<li class="bubble bubble-buyer">' in response.text
    assert "Please cancel: the parcel has not moved.</p>" in response.text


def test_wallet_statuses_follow_the_clock(app, client, world_factory):
    world = signed_in(client, world_factory, "platform-coupon")

    before = client.get("/coupons").text
    advance(app, world, days=31)
    after = client.get("/coupons").text

    assert re.search(r'aria-label="Coupon MKT-SPRING-5".*?>Used</span>', before, re.S)
    assert re.search(r'aria-label="Coupon MKT-WELCOME-3".*?>Available</span>', before, re.S)
    assert f'href="/orders/{PLATFORM_COUPON}">Order {PLATFORM_COUPON}</a>' in before
    assert re.search(r'aria-label="Coupon MKT-WELCOME-3".*?>Expired</span>', after, re.S)

