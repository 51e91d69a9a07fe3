"""Every page loads what it shows up front: no lazy relationship load, and a small, fixed
number of SQL statements, whatever the order."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from domain.scenarios import DEMO_SELLER_EMAIL
from tests.support.sign_in import sign_in, sign_in_demo_buyer

# The most statements any one page may run (sign-in check and scenario clock included).
MOST_STATEMENTS = {
    "/orders": 4,
    "/orders/{n}": 10,
    "/orders/{n}/finances": 10,
    "/orders/{n}/cancel": 10,
    "/orders/{n}/messages": 10,
    "/coupons": 6,
    "/seller": 6,
    "/seller/orders/{n}": 12,
}


@contextmanager
def counted(app) -> Iterator[dict]:
    """Statements sent to the database, and lazy loads, while the block runs."""
    counts = {"statements": 0, "lazy": []}

    def statement(*_):
        counts["statements"] += 1

    def orm_execute(state: ORMExecuteState):
        if state.lazy_loaded_from is not None:
            counts["lazy"].append(str(state.statement).split("\n")[0])

    engine = app.state.db.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(Session, "do_orm_execute", orm_execute)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(Session, "do_orm_execute", orm_execute)


def _numbers(html: str, prefix: str) -> list[str]:
    return sorted(set(re.findall(rf'href="{prefix}([0-9A-Za-z-]+)"', html)))


def _check(app, client, template: str, path: str) -> None:
    client.get(path)  # the first view may warm caches; the second is what every view costs
    with counted(app) as counts:
        answer = client.get(path, follow_redirects=False)
    assert answer.status_code in (200, 303), (path, answer.status_code)
    assert counts["lazy"] == [], f"{path} loaded lazily: {counts['lazy']}"
    assert counts["statements"] <= MOST_STATEMENTS[template], (path, counts["statements"])


def test_buyer_pages_load_everything_up_front(app, client):
    sign_in_demo_buyer(client)
    _check(app, client, "/orders", "/orders")
    numbers = _numbers(client.get("/orders").text, "/orders/")
    assert len(numbers) >= 8, "the demo account shows every kind of order"
    for number in numbers:
        for suffix in ("", "/finances", "/cancel", "/messages"):
            _check(app, client, f"/orders/{{n}}{suffix}", f"/orders/{number}{suffix}")
    _check(app, client, "/coupons", "/coupons")


def test_seller_pages_load_everything_up_front(app, client):
    sign_in(client, "seller", DEMO_SELLER_EMAIL)
    _check(app, client, "/seller", "/seller")
    numbers = _numbers(client.get("/seller").text, "/seller/orders/")
    assert numbers
    for number in numbers:
        _check(app, client, "/seller/orders/{n}", f"/seller/orders/{number}")


@pytest.mark.parametrize("lazy", [True, False])
def test_the_counter_sees_a_lazy_load(app, lazy):
    """The check above can fail: a relationship read after the query is counted."""
    from sqlalchemy import select

    from mock_site.core.models import Order

    with app.state.db.transaction(write=False) as session, counted(app) as counts:
        order = session.scalars(select(Order).limit(1)).one()
        if lazy:
            list(order.items)
    assert bool(counts["lazy"]) is lazy
