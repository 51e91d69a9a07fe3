"""Data versions (mock_site/data_versions.py): every committed change to what a scenario's
pages show moves that scenario's version on, in the same transaction, whichever code made
the change; nothing else does."""

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError

from mock_site import services, sign_ins
from mock_site.data_versions import (
    NOT_SHOWN,
    SCENARIO_OF,
    DataVersion,
    UntrackedWrite,
    scenarios_of,
)
from mock_site.db import Base
from mock_site.models import Account, Message, Order


def version(db, world) -> int | None:
    with db.transaction(write=False) as session:
        return session.scalar(select(DataVersion.version)
                              .where(DataVersion.scenario_id == world.scenario_id))


def statements(db) -> list[str]:
    """Every statement sent to the database from now on."""
    sent: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: sent.append(statement))
    return sent


def test_every_table_is_known_as_shown_on_pages_or_not():
    models = {mapper.class_ for mapper in Base.registry.mappers}
    assert models == set(SCENARIO_OF) | NOT_SHOWN
    assert not set(SCENARIO_OF) & NOT_SHOWN


def test_a_new_scenario_starts_at_version_one(db, make_world):
    assert version(db, make_world("awaiting-shipment")) == 1


def test_a_change_moves_its_scenarios_version_and_no_other(db, make_world):
    changed, other = make_world("awaiting-shipment"), make_world("awaiting-shipment")
    with db.transaction() as session:
        services.seller_mark_shipped(session, changed.seller(session), changed.numbers[0])

    assert (version(db, changed), version(db, other)) == (2, 1)


@pytest.mark.parametrize("change", [
    lambda session, world: setattr(world.scenario(session), "now",
                                   world.scenario(session).now.replace(year=2027)),
    lambda session, world: setattr(world.buyer(session), "display_name", "Sam"),
    lambda session, world: setattr(world.order(session).items[0], "cancelled", True),
    lambda session, world: session.add(Message(order_id=world.order(session).id,
                                               sender="seller", body="Hi",
                                               sent_at=world.scenario(session).now)),
    lambda session, world: setattr(world.order(session).coupons[0], "decision_note", "kept"),
], ids=["clock", "account", "item", "message", "coupon"])
def test_rows_of_every_kind_belong_to_their_scenario(db, make_world, change):
    world = make_world("platform-coupon")
    with db.transaction() as session:
        change(session, world)
    assert version(db, world) == 2


def test_reading_signing_in_and_rolling_back_move_nothing(db, make_world):
    world = make_world("awaiting-shipment")
    with db.transaction(write=False) as session:
        world.order(session)
    with db.transaction() as session:
        key = sign_ins.start(session, world.buyer(session), sign_ins.utc_now())
    with db.transaction() as session:
        sign_ins.end(session, key)
    with pytest.raises(RuntimeError), db.transaction() as session:
        world.buyer(session).display_name = "Sam"
        session.flush()
        raise RuntimeError("changed my mind")

    assert version(db, world) == 1


def test_a_savepoint_rolled_back_keeps_the_outer_change_counted(db, make_world):
    world = make_world("awaiting-shipment")
    with db.transaction() as session:
        world.buyer(session).display_name = "Sam"
        session.flush()
        with pytest.raises(IntegrityError), session.begin_nested():
            session.add(Account(id=world.buyer_id, scenario_id=world.scenario_id, role="buyer",
                                email="x@example.test", password_hash="-", display_name="x"))
    assert version(db, world) == 2


def test_the_version_is_the_transactions_last_statement(db, make_world):
    world = make_world("awaiting-shipment")
    sent = statements(db)
    with db.transaction() as session:
        services.seller_mark_shipped(session, world.seller(session), world.numbers[0])
    assert sent[-1].startswith("INSERT INTO data_versions")
    assert sum(statement.startswith("INSERT INTO data_versions") for statement in sent) == 1


def test_a_bulk_change_of_shown_rows_is_refused(db, make_world):
    world = make_world("awaiting-shipment")
    with pytest.raises(UntrackedWrite, match="'orders'"), db.transaction() as session:
        session.execute(update(Order).where(Order.scenario_id == world.scenario_id)
                        .values(status="Closed"))
    assert version(db, world) == 1


def test_a_row_of_a_model_nobody_placed_is_refused(db):
    class Unplaced:
        pass

    with db.transaction(write=False) as session, pytest.raises(UntrackedWrite,
                                                               match="Unplaced rows changed"):
        scenarios_of(session, [Unplaced()])


def test_an_order_deleted_with_its_rows_counts_for_its_scenario(db, make_world):
    world = make_world("awaiting-shipment")
    with db.transaction() as session:
        order = world.order(session)
        for rows in (order.items, order.events, order.coupons, order.messages):
            for row in rows:
                session.delete(row)
        session.delete(order)
    assert version(db, world) == 2
