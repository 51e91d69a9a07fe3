"""Limits on what a stranger can make: practice copies per client and minute (the coach,
the control API and the trainer form together), live sessions per account, messages per
order and a message's size. Each refusal says why and changes nothing."""

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from domain.lifecycle import Role
from mock_site.core.models import Message, SignIn
from mock_site.core.settings import Settings
from mock_site.core.sign_ins import SESSIONS_PER_ACCOUNT
from mock_site.services.orders import MESSAGES_PER_ORDER, send_message
from tests.security.shop import snapshot
from tests.support.coach import start_tour
from tests.support.forms import form_of
from tests.support.worlds import World

PER_MINUTE = 3


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, practice_copies_per_minute=PER_MINUTE)


def by_api(client: TestClient) -> Response:
    return client.post("/api/scenarios", json={"name": "awaiting-shipment"})


def by_coach(client: TestClient) -> Response:
    return start_tour(client, "post-verification")


def by_trainer(client: TestClient) -> Response:
    return client.post("/trainer/scenarios",
                       data=form_of(client, "/trainer", name="awaiting-shipment"),
                       follow_redirects=False)


WAYS: dict[str, Callable[[TestClient], Response]] = {
    "the control API": by_api, "the coach's Start button": by_coach,
    "the trainer form": by_trainer,
}
ACCEPTED: dict[Callable[[TestClient], Response], int] = {by_api: 201, by_coach: 303,
                                                          by_trainer: 303}


def without_counts(app: FastAPI) -> dict:
    rows = snapshot(app)
    rows.pop("attempt_windows")
    return rows


@pytest.mark.parametrize("way", WAYS)
def test_a_client_past_its_copies_a_minute_is_refused_and_nothing_is_made(app, way):
    client = TestClient(app, client=("192.0.2.10", 50000))
    start = WAYS[way]
    for make in WAYS.values():  # the three ways share one count
        assert make(client).status_code == ACCEPTED[make]
    before = without_counts(app)

    refused = start(client)

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert (f"Too many practice copies started from your address: at most {PER_MINUTE} a"
            " minute. Nothing was made; try again in") in refused.text
    assert without_counts(app) == before


def test_the_limit_is_per_client_and_ignores_forwarded_addresses(app):
    crowd = TestClient(app, client=("192.0.2.20", 50000))
    for _ in range(PER_MINUTE):
        assert by_api(crowd).status_code == 201
    disguised = crowd.post("/api/scenarios", json={"name": "awaiting-shipment"},
                           headers={"X-Forwarded-For": "198.51.100.7"})
    assert disguised.status_code == 429
    assert by_api(TestClient(app, client=("192.0.2.21", 50000))).status_code == 201


def test_an_account_keeps_its_newest_sessions_only(app, world_factory):
    world: World = world_factory("awaiting-shipment")
    control = TestClient(app)
    browsers = []
    for _ in range(SESSIONS_PER_ACCOUNT + 1):
        link = control.post(f"/api/scenarios/{world.token}/sign-in-links",
                            json={"role": "buyer"}).json()["url"]
        browser = TestClient(app)
        assert browser.get(link).url.path == "/orders"
        browsers.append(browser)

    with app.state.db.transaction(write=False) as session:
        live = session.scalar(select(func.count()).select_from(SignIn)
                              .where(SignIn.account_id == world.buyer_id))
    assert live == SESSIONS_PER_ACCOUNT
    assert browsers[0].get("/orders", follow_redirects=False).status_code == 303  # the oldest
    assert browsers[1].get("/orders", follow_redirects=False).status_code == 200
    assert browsers[-1].get("/orders", follow_redirects=False).status_code == 200


def messages_on(app: FastAPI, world: World) -> int:
    with app.state.db.transaction(write=False) as session:
        order = world.order(session)
        return session.scalar(select(func.count()).where(Message.order_id == order.id))


def send(app: FastAPI, world: World, body: str) -> Response:
    buyer = TestClient(app)
    link = TestClient(app).post(f"/api/scenarios/{world.token}/sign-in-links",
                                json={"role": "buyer"}).json()["url"]
    buyer.get(link)
    page = f"/orders/{world.numbers[0]}/messages"
    return buyer.post(page, data=form_of(buyer, page, body=body), follow_redirects=False)


def test_a_full_conversation_takes_no_more_messages(app, world_factory, settings):
    world: World = world_factory("marked-shipped")
    with app.state.db.transaction() as session:
        order = world.order(session)
        for n in range(MESSAGES_PER_ORDER - 1):
            send_message(session, order, Role.BUYER, f"Message {n}",
                         settings.message_max_length)
    assert send(app, world, "The last one that fits.").status_code == 303

    refused = send(app, world, "One too many.")

    assert refused.status_code == 400
    assert (f"This order&#39;s conversation is full ({MESSAGES_PER_ORDER} messages); nothing was"
            " sent.") in refused.text
    assert messages_on(app, world) == MESSAGES_PER_ORDER


def test_a_message_too_long_is_refused_and_not_saved(app, world_factory, settings):
    world: World = world_factory("marked-shipped")

    refused = send(app, world, "x" * (settings.message_max_length + 1))

    assert refused.status_code == 400
    assert f"Messages can be at most {settings.message_max_length} characters long." in (
        refused.text)
    assert messages_on(app, world) == 0
