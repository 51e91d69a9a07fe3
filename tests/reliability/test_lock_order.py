"""Which writers hold which off, on PostgreSQL (SQLite runs one writer at a time anyway).

Two sessions of one database: the first starts a change and keeps its transaction open;
the second tries another with a short ``lock_timeout``, so "held off" is the database
refusing to wait any longer, never a guess about timing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from mock_site.core.db import Database, lock_name
from mock_site.core.models import Base
from mock_site.services.clock import advance_clock
from mock_site.services.orders import buyer_order
from mock_site.services.seller import seller_order
from tests.support.databases import DatabaseKind, DatabaseServer
from tests.support.order_numbers import HISTORY_ORDER
from tests.support.worlds import World, create_world

HOUR = timedelta(hours=1)

Change = Callable[[Session, World], object]


@pytest.fixture
def db(database_server: DatabaseServer) -> Iterator[Database]:
    if database_server.kind is not DatabaseKind.POSTGRESQL:
        pytest.skip("SQLite has no row locks: each writer holds the whole database")
    url = database_server.empty()
    database = Database(url)
    database.create_schema(Base.metadata)
    try:
        yield database
    finally:
        database.dispose()
        database_server.drop(url)


@pytest.fixture
def world(db: Database) -> World:
    return create_world(db, "awaiting-shipment")


def impatient(db: Database) -> AbstractContextManager[Session]:
    """A transaction that gives up on any lock it has waited 200 ms for."""
    @contextmanager
    def transaction() -> Iterator[Session]:
        with db.transaction() as session:
            session.execute(text("SET LOCAL lock_timeout = '200ms'"))
            yield session
    return transaction()


def held_off(db: Database, world: World, change: Change) -> bool:
    """Whether ``change`` has to wait for the transaction open now."""
    try:
        with impatient(db) as session:
            change(session, world)
    except OperationalError as error:
        assert "lock timeout" in str(error)
        return True
    return False


def clock_move(session: Session, world: World) -> object:
    return advance_clock(session, world.scenario(session), HOUR)


def buyer_change(session: Session, world: World) -> object:
    return buyer_order(session, world.buyer(session), world.numbers[0])


def seller_change(session: Session, world: World) -> object:
    return seller_order(session, world.seller(session), world.numbers[0])


def other_order_change(session: Session, world: World) -> object:
    return buyer_order(session, world.buyer(session), HISTORY_ORDER)


def test_a_change_of_an_order_holds_off_every_other_write_to_its_scenario(db, world):
    other = create_world(db, "awaiting-shipment")
    with db.transaction() as session:
        seller_change(session, world)
        assert held_off(db, world, clock_move)
        assert held_off(db, world, buyer_change)
        assert held_off(db, world, other_order_change)
        assert not held_off(db, other, buyer_change)  # another scenario goes on


def test_a_clock_move_holds_off_every_change_of_its_scenario(db, world):
    other = create_world(db, "awaiting-shipment")
    with db.transaction(write=False) as session:
        start = world.scenario(session).now
    with db.transaction() as session:
        clock_move(session, world)
        assert held_off(db, world, clock_move)
        assert held_off(db, world, buyer_change)
        assert held_off(db, world, seller_change)
        assert held_off(db, world, other_order_change)
        assert not held_off(db, other, clock_move)  # another scenario goes on
    with db.transaction() as session:
        # the move that held the others off, and the other scenario's, each once
        assert world.scenario(session).now == other.scenario(session).now == start + HOUR


def test_a_form_key_is_held_until_its_outcome_is_committed(db, world):
    with db.transaction() as session:
        lock_name(session, "form 1 key-a")
        assert held_off(db, world, lambda s, _: lock_name(s, "form 1 key-a"))
        assert not held_off(db, world, lambda s, _: lock_name(s, "form 1 key-b"))
        assert not held_off(db, world, lambda s, _: lock_name(s, "form 2 key-a"))
