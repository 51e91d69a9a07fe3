"""Units of work: ``transaction()`` for changes, ``transaction(write=False)`` for reading."""

import pytest
from sqlalchemy import event

from mock_site.core.db import ReadOnlyTransaction
from tests.support.worlds import create_world


def begins(db) -> list[str]:
    """Every BEGIN the database is sent from now on."""
    sent: list[str] = []

    def record(_connection, _cursor, statement, *_) -> None:
        if statement.startswith("BEGIN"):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    return sent


def test_a_change_begins_immediate_and_a_read_begins_deferred(db):
    world = create_world(db, "awaiting-shipment")
    sent = begins(db)

    with db.transaction() as session:
        world.order(session)
    with db.transaction(write=False) as session:
        world.order(session)

    assert sent == ["BEGIN IMMEDIATE", "BEGIN"]


def test_a_read_only_unit_of_work_refuses_to_change_a_row(db):
    world = create_world(db, "awaiting-shipment")

    with pytest.raises(ReadOnlyTransaction), db.transaction(write=False) as session:
        world.order(session).status = "Closed"

    with db.transaction(write=False) as session:
        assert world.order(session).status == "Awaiting shipment"


def test_a_read_sees_what_was_committed_before_it(db):
    world = create_world(db, "awaiting-shipment")
    with db.transaction() as session:
        world.order(session).status = "Awaiting delivery"

    with db.transaction(write=False) as session:
        assert world.order(session).status == "Awaiting delivery"
