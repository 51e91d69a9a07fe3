"""Pages that only show something do not take SQLite's writer lock; changes still do.

Another connection holds ``BEGIN IMMEDIATE`` (the writer lock) while the storefront
answers. The storefront's own wait for that lock is cut from 30 s to a fraction of a
second, so a request that wanted the lock fails at once with "database is locked"
instead of waiting: page views must still answer, and a cancel must not get through.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from mock_site.core.settings import Settings
from mock_site.web.app import create_app, worker_threads
from tests.support.forms import csrf_from
from tests.support.order_numbers import order_number
from tests.support.sign_in import sign_in_buyer, sign_in_seller

# SQLite's writer lock is what these tests are about; PostgreSQL has none to hold.
pytestmark = pytest.mark.sqlite_only
AWAITING_SHIPMENT = order_number("awaiting-shipment")  # lamp, PayPal


@pytest.fixture
def impatient(app):
    """The storefront gives up on a locked database after 0.2 s instead of 30 s."""
    event.listen(app.state.db.engine, "connect",
                 lambda connection, _record: connection.execute("PRAGMA busy_timeout=200"))
    app.state.db.engine.dispose()  # connections made from now on get the short wait
    return app


@contextmanager
def writer_lock_held(settings) -> Iterator[None]:
    """Another connection holds the writer lock for as long as the block lasts."""
    path = settings.database_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")


def test_page_views_answer_while_another_connection_holds_the_writer_lock(
        impatient, settings, client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    number = AWAITING_SHIPMENT
    pages = ["/orders", f"/orders/{number}", f"/orders/{number}/finances",
             f"/orders/{number}/cancel", f"/orders/{number}/messages", "/coupons"]

    with writer_lock_held(settings):
        answers = {page: client.get(page) for page in pages}
        # the sign-in page too; a wrong password is a change now: its count is a row that
        # every worker process shares (mock_site.core.attempt_counts)
        answers["/login"] = client.get("/login")

    assert {page: answer.status_code for page, answer in answers.items()} == dict.fromkeys(
        [*pages, "/login"], 200)
    assert number in answers[f"/orders/{number}"].text


def test_seller_and_trainer_pages_answer_while_the_writer_lock_is_held(
        impatient, settings, client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_seller(client, world)

    with writer_lock_held(settings):
        console = client.get("/seller")
        order = client.get(f"/seller/orders/{AWAITING_SHIPMENT}")
        scenario = client.get(f"/trainer/{world.token}")
        state = client.get(f"/api/scenarios/{world.token}")

    assert [console.status_code, order.status_code, scenario.status_code,
            state.status_code] == [200, 200, 200, 200]


def test_a_change_still_takes_the_writer_lock(impatient, settings, client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    form = client.get(f"/orders/{AWAITING_SHIPMENT}/cancel")
    data = {"reason": "changed_mind", "csrf_token": csrf_from(form.text)}

    with writer_lock_held(settings), pytest.raises(OperationalError, match="locked"):
        client.post(f"/orders/{AWAITING_SHIPMENT}/cancel", data=data)

    answer = client.post(f"/orders/{AWAITING_SHIPMENT}/cancel", data=data,
                         follow_redirects=False)
    assert answer.status_code == 303  # the lock released, the same cancel goes through


@pytest.mark.parametrize(("configured", "expected"), [(None, 1), (3, 3)])
def test_the_thread_pool_runs_as_many_requests_at_once_as_configured(
        tmp_path, configured, expected):
    """Unset, one on SQLite: its work is all CPU in this process (bench/README.md)."""
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}",
                              worker_threads=configured))

    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    with TestClient(app) as client:  # runs the lifespan, where the limit is set
        assert client.portal.call(tokens) == expected
    app.state.db.dispose()


def test_a_database_server_keeps_the_thread_pool_it_had():
    """Requests to PostgreSQL also wait on the network, so more of them may run at once."""
    settings = Settings(database_url="postgresql+psycopg://shop@localhost/shop")
    assert worker_threads(settings, 40) == 40
    assert worker_threads(settings.model_copy(update={"worker_threads": 4}), 40) == 4
