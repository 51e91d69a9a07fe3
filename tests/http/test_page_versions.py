"""Every way a page's data can change ends the kept copies of that page (issue 15): a
buyer or a seller keeps a page, something writes, and the next view shows the change.

The writes go through every path the storefront has: the buyer's forms, the seller's
console, the trainer's page, the control API, the coach, and a plain transaction of the
services. ``test_page_cache.py`` shows the same checks fail when a change goes around
the version.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from domain.lifecycle import Role
from flowspec.paths import load_flows
from flowspec.steps import AdvanceClock
from mock_site import control, services
from mock_site.models import Account
from tests.support.forms import form_of
from tests.support.kept_pages import clock_on, kept, status_on
from tests.support.order_numbers import order_number
from tests.support.sign_in import sign_in_buyer, sign_in_seller
from tests.support.worlds import World

NUMBER = order_number("awaiting-shipment")
DETAILS = f"/orders/{NUMBER}"
MESSAGES = f"/orders/{NUMBER}/messages"
TWO_DAYS_ON = "2026-03-04T09:00:00"


@dataclass
class Shop:
    """A storefront, a fresh awaiting-shipment scenario and its signed-in buyer."""

    app: object
    world: World
    buyer: TestClient

    def seller(self) -> TestClient:
        seller = TestClient(self.app)
        sign_in_seller(seller, self.world)
        return seller

    def seller_does(self, action: str, **fields) -> None:
        seller = self.seller()
        page = f"/seller/orders/{NUMBER}"
        answer = seller.post(f"{page}/actions",
                             data=form_of(seller, page, action=action, **fields))
        assert answer.status_code == 200, answer.text

    def trainer_does(self, path: str, **fields) -> None:
        trainer = TestClient(self.app)
        page = f"/trainer/{self.world.token}"
        answer = trainer.post(f"{page}/{path}", data=form_of(trainer, page, **fields))
        assert answer.status_code == 200, answer.text

    def api(self, path: str, body: dict) -> None:
        answer = TestClient(self.app).post(f"/api/scenarios/{self.world.token}/{path}",
                                           json=body)
        assert answer.status_code == 200, answer.text


def buyer_asks_to_cancel(shop: Shop) -> None:
    with shop.app.state.db.transaction() as session:
        buyer = session.get(Account, shop.world.buyer_id)
        services.cancel_order(session, buyer, NUMBER, "changed_mind", None, 48)


def buyer_cancels(shop: Shop) -> None:
    form = form_of(shop.buyer, f"{DETAILS}/cancel", reason="changed_mind")
    assert shop.buyer.post(f"{DETAILS}/cancel", data=form).status_code == 200


def buyer_writes(shop: Shop) -> None:
    form = form_of(shop.buyer, MESSAGES, body="Could it come by Friday?")
    assert shop.buyer.post(MESSAGES, data=form).status_code == 200


def services_ship(shop: Shop) -> None:
    with shop.app.state.db.transaction() as session:
        scenario = services.get_scenario(session, shop.world.token)
        seller = control.scenario_account(session, scenario, Role.SELLER)
        services.seller_mark_shipped(session, seller, NUMBER)


@dataclass(frozen=True)
class Write:
    """A change made one way, the page that must show it, and what it must show."""

    name: str
    write: Callable[[Shop], None]
    page: str
    shows: Callable[[str], bool]
    pending_request: bool = False  # the buyer asked to cancel before the page was kept


def status_is(status: str) -> Callable[[str], bool]:
    return lambda page: status_on(page) == status


WRITES = [
    Write("the buyer's cancel form", buyer_cancels, DETAILS, status_is("Awaiting cancellation")),
    Write("the buyer's message form", buyer_writes, MESSAGES,
          lambda page: "Could it come by Friday?" in page),
    Write("the console: accept", lambda shop: shop.seller_does("accept"), DETAILS,
          status_is("Closed"), pending_request=True),
    Write("the console: decline", lambda shop: shop.seller_does("decline"), DETAILS,
          status_is("Awaiting shipment"), pending_request=True),
    Write("the console: ship", lambda shop: shop.seller_does("ship"), DETAILS,
          status_is("Awaiting delivery")),
    Write("the console: cancel", lambda shop: shop.seller_does("cancel"), DETAILS,
          status_is("Closed")),
    Write("the console: reply", lambda shop: shop.seller_does("reply", message="On its way."),
          MESSAGES, lambda page: "On its way." in page),
    Write("the trainer's clock", lambda shop: shop.trainer_does("clock", days="2"), DETAILS,
          lambda page: clock_on(page) == TWO_DAYS_ON),
    Write("the trainer's clock lapsing a request",
          lambda shop: shop.trainer_does("clock", days="3"), DETAILS, status_is("Closed"),
          pending_request=True),
    Write("the trainer's seller action",
          lambda shop: shop.trainer_does(f"orders/{NUMBER}/seller", action="ship"), DETAILS,
          status_is("Awaiting delivery")),
    Write("the API's clock", lambda shop: shop.api("clock", {"days": 2}), DETAILS,
          lambda page: clock_on(page) == TWO_DAYS_ON),
    Write("the API's seller action",
          lambda shop: shop.api(f"orders/{NUMBER}/seller", {"action": "accept"}), DETAILS,
          status_is("Closed"), pending_request=True),
    Write("a transaction of the services", services_ship, DETAILS,
          status_is("Awaiting delivery")),
]


@pytest.mark.parametrize("change", WRITES, ids=[write.name for write in WRITES])
def test_the_buyer_sees_every_change_after_keeping_the_page(app, client, world_factory,
                                                             change):
    shop = Shop(app, world_factory("awaiting-shipment"), client)
    if change.pending_request:
        buyer_asks_to_cancel(shop)
    sign_in_buyer(client, shop.world)
    before = kept(app, client, change.page).text
    assert not change.shows(before)

    change.write(shop)

    client.get(change.page)  # the buyer's own form leaves a flash: shown once, then kept
    assert change.shows(kept(app, client, change.page).text)


@pytest.mark.parametrize("path", ["/seller", f"/seller/orders/{NUMBER}"])
def test_the_seller_sees_the_buyers_request_after_keeping_the_page(app, client, world_factory,
                                                                    path):
    shop = Shop(app, world_factory("awaiting-shipment"), client)
    seller = shop.seller()
    assert "Cancellation request" not in kept(app, seller, path).text

    sign_in_buyer(client, shop.world)
    buyer_cancels(shop)

    assert "Cancellation request" in kept(app, seller, path).text


def test_another_scenarios_change_keeps_the_page(app, client, world_factory):
    shop = Shop(app, world_factory("awaiting-shipment"), client)
    other = Shop(app, world_factory("awaiting-shipment"), client)
    sign_in_buyer(client, shop.world)
    kept(app, client, DETAILS)

    other.api("clock", {"days": 2})

    hits = app.state.page_cache.hits
    assert clock_on(client.get(DETAILS).text) == "2026-03-02T09:00:00"
    assert app.state.page_cache.hits == hits + 1


def clock_step(flow_id: str) -> int:
    """The number of the flow's first clock step (the coach counts from 1)."""
    steps = load_flows()[flow_id].steps
    return next(n for n, step in enumerate(steps, 1) if isinstance(step.action, AdvanceClock))


def test_the_coachs_clock_step_ends_kept_pages(app, client):
    # (No flow has a seller step for the coach to do; it would write as the console does.)
    flow_id = "post-verification-no-answer"
    start = client.get(f"/coach/{flow_id}?practice=a-practice-key-of-24-chr")
    assert start.url.path == "/orders", start.url  # a new copy, its buyer signed in
    tour = client.get("/coach/tour").json()
    page = f"/orders/{tour['values']['orders'][0]}"
    assert clock_on(kept(app, client, page).text) == "2026-03-02T09:00:00"

    done = client.post("/coach/tour/act", data={"csrf_token": tour["csrf"],
                                                "step": str(clock_step(flow_id))})

    assert done.status_code == 200, done.text
    assert clock_on(kept(app, client, page).text) == TWO_DAYS_ON


def test_starting_over_with_the_coach_ends_the_earlier_copys_pages(app, client):
    client.get("/coach/post-verification?practice=a-practice-key-of-24-chr")
    earlier = TestClient(app, cookies={"shop_session": client.cookies["shop_session"]})
    kept(app, earlier, "/orders")

    again = client.get("/coach/post-verification?practice=a-practice-key-of-24-chr")

    assert again.url.path == "/orders"
    assert earlier.get("/orders", follow_redirects=False).status_code == 303


def test_a_new_scenarios_pages_are_kept_from_the_start(app, client):
    started = TestClient(app).post("/api/scenarios", json={"name": "store-coupon"}).json()
    landing = client.get(started["buyer_sign_in_url"])

    assert landing.url.path == "/orders"
    assert started["orders"][0]["number"] in kept(app, client, "/orders").text
