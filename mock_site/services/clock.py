"""A scenario's simulated clock: what time it is there, and moving it on.

The scenario row is the lock every change in the scenario starts with (``core.db``), a
clock move and a change of an order alike: one writer per scenario at a time, as SQLite
has one writer at a time. So a move sees every answer given before it, and an answer
given after it sees the move and what it lapsed; a later write to the scenario row (its
last use) in the same transaction waits for nobody.
"""

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from domain import lifecycle
from domain.cancellation import CancellationError
from domain.lifecycle import CancellationStatus
from mock_site.core.db import lock_rows
from mock_site.core.models import Account, Cancellation, Order, Scenario
from mock_site.services import ActionRefused
from mock_site.services.transitions import facts, write_transition

_SCENARIO = select(Scenario).where(Scenario.id == bindparam("scenario_id"))
# The scenario's orders with a request waiting for the seller, in the order they are locked.
_WAITING = (
    select(Order)
    .where(Order.scenario_id == bindparam("scenario_id"),
           Order.id.in_(select(Cancellation.order_id)
                        .where(Cancellation.status == CancellationStatus.PENDING)))
    .order_by(Order.id)
)


def now_for(session: Session, order_or_account: Order | Account) -> datetime:
    """The simulated time in the scenario of ``order_or_account``."""
    return session.get_one(Scenario, order_or_account.scenario_id).now


def lock_scenario(session: Session, scenario_id: int) -> Scenario:
    """The scenario, locked until the transaction ends: taken before anything in it
    changes, its clock or an order."""
    return lock_rows(session, _SCENARIO, {"scenario_id": scenario_id})[0]


def advance_clock(session: Session, scenario: Scenario, delta: timedelta) -> list[Order]:
    """Move the scenario's clock on; requests whose window ran out are accepted.

    The scenario and then each order with a waiting request are locked before the requests
    are read, so two moves add up, and a request the seller answered meanwhile stays
    answered.
    """
    try:
        step = lifecycle.check_clock_step(delta)
    except CancellationError as error:
        raise ActionRefused(str(error)) from error
    scenario = lock_scenario(session, scenario.id)
    scenario.now = scenario.now + step
    lapsed = []
    for order in lock_rows(session, _WAITING, {"scenario_id": scenario.id}):
        request = order.pending_cancellation
        change = lifecycle.request_lapses(facts(order), scenario.now)
        if request is not None and change is not None:
            write_transition(session, order, change, request)
            lapsed.append((request.id, order))
    return [order for _, order in sorted(lapsed, key=lambda pair: pair[0])]
