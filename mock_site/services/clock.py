"""A scenario's simulated clock: what time it is there, and moving it on."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import lifecycle
from domain.cancellation import CancellationError
from domain.lifecycle import CancellationStatus
from mock_site.core.models import Account, Cancellation, Order, Scenario
from mock_site.services import ActionRefused
from mock_site.services.transitions import facts, write_transition


def now_for(session: Session, order_or_account: Order | Account) -> datetime:
    """The simulated time in the scenario of ``order_or_account``."""
    return session.get_one(Scenario, order_or_account.scenario_id).now


def advance_clock(session: Session, scenario: Scenario, delta: timedelta) -> list[Order]:
    """Move the scenario's clock on; requests whose window ran out are accepted."""
    try:
        scenario.now = scenario.now + lifecycle.check_clock_step(delta)
    except CancellationError as error:
        raise ActionRefused(str(error)) from error
    pending = session.scalars(
        select(Cancellation)
        .join(Order, Order.id == Cancellation.order_id)
        .where(Order.scenario_id == scenario.id,
               Cancellation.status == CancellationStatus.PENDING)
        .order_by(Cancellation.id)
    ).all()
    lapsed = []
    for request in pending:
        order = session.get_one(Order, request.order_id)
        change = lifecycle.request_lapses(facts(order), scenario.now)
        if change is not None:
            write_transition(session, order, change, request)
            lapsed.append(order)
    return lapsed
