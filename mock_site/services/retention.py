"""Bounded growth: practice copies nobody uses any more are deleted with every row they
own, and so are expired sign-in tickets, sessions, answered forms and attempt counts.

A copy is *used* when it is made, signed in to, or driven (control API, coach, trainer);
``touch`` records it. The shared demo copy is never deleted. The work is done in small
transactions, so no request waits long for it. ``RetentionJob`` runs it
in the storefront's process; ``python -m mock_site prune`` runs it once.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Select, delete, inspect, select, text, update
from sqlalchemy.orm import Session

from domain.scenarios import DEMO_TOKEN
from mock_site.core.db import Database, lock_name
from mock_site.core.models import (
    Account,
    AnsweredForm,
    AttemptWindow,
    Cancellation,
    CoachTour,
    Coupon,
    Message,
    Order,
    OrderEvent,
    OrderItem,
    Refund,
    Scenario,
    SignIn,
    SignInTicket,
    Store,
    coupon_items,
)
from mock_site.core.sign_ins import ANSWER_LIFETIME, utc_now

log = logging.getLogger(__name__)
# Copies deleted per transaction, and expired rows per transaction.
COPIES_PER_BATCH = 50
ROWS_PER_BATCH = 1000
JOB_LOCK = "retention"


def touch(scenario: Scenario, now: datetime | None = None) -> None:
    """The copy is in use now: its idle time starts again."""
    scenario.last_used = now or utc_now()


@dataclass
class Pruned:
    """How many of each were deleted."""

    copies: int = 0
    sessions: int = 0
    tickets: int = 0
    answered_forms: int = 0
    attempt_counts: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{f.name.replace('_', ' ')}: {getattr(self, f.name)}"
                         for f in fields(self))


def add_last_used_column(db: Database) -> None:
    """A database made before copies kept their last use gets the (empty) column."""
    columns = {column["name"] for column in inspect(db.engine).get_columns("scenarios")}
    if "last_used" not in columns:
        with db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE scenarios ADD COLUMN last_used TIMESTAMP"))


def prune(db: Database, idle: timedelta, now: datetime | None = None) -> Pruned:
    """Delete copies unused for longer than ``idle`` and every expired record."""
    now = now or utc_now()
    pruned = Pruned()
    with db.transaction() as session:
        # Copies from before ``last_used`` was kept are counted as used now.
        session.execute(update(Scenario).where(Scenario.last_used.is_(None)).values(last_used=now))
    cutoff = now - idle
    while deleted := _in_transaction(db, partial(_delete_idle_copies, cutoff=cutoff)):
        pruned.copies += deleted
    expired: list[tuple[str, Select[Any]]] = [
        ("sessions", select(SignIn.key_hash).where(SignIn.expires_at <= now)),
        ("tickets", select(SignInTicket.key_hash).where(SignInTicket.expires_at <= now)),
        ("answered_forms", select(AnsweredForm.key_hash)
         .where(AnsweredForm.answered_at < now - ANSWER_LIFETIME)),
        ("attempt_counts", select(AttemptWindow.key)
         .where(AttemptWindow.expires_at < now.replace(tzinfo=UTC).timestamp())),
    ]
    for name, keys in expired:
        while deleted := _in_transaction(db, partial(_delete_some, keys=keys)):
            setattr(pruned, name, getattr(pruned, name) + deleted)
    return pruned


def _in_transaction(db: Database, work: Callable[[Session], int]) -> int:
    with db.transaction() as session:
        lock_name(session, JOB_LOCK)  # two processes' jobs take turns
        return work(session)


def _delete_some(session: Session, keys: Select[Any]) -> int:
    """Up to ``ROWS_PER_BATCH`` of the rows whose primary keys ``keys`` selects."""
    found = list(session.scalars(keys.limit(ROWS_PER_BATCH)))
    if not found:
        return 0
    column = keys.selected_columns[0]
    table = column.table
    session.execute(delete(table).where(column.in_(found)))
    return len(found)


def _delete_idle_copies(session: Session, cutoff: datetime) -> int:
    """Up to ``COPIES_PER_BATCH`` idle copies, children before parents."""
    idle = (select(Scenario.id).where(Scenario.last_used < cutoff, Scenario.token != DEMO_TOKEN)
            .order_by(Scenario.id).limit(COPIES_PER_BATCH))
    # Locked, and idle still once locked: a copy signed in to meanwhile stays.
    ids = list(session.scalars(idle.with_for_update()))
    if ids:
        delete_copies(session, ids)
    return len(ids)


def delete_copies(session: Session, ids: list[int]) -> None:
    """The copies ``ids`` and every row that belongs to them."""
    accounts = select(Account.id).where(Account.scenario_id.in_(ids))
    orders = select(Order.id).where(Order.scenario_id.in_(ids))
    coupons = select(Coupon.id).where(Coupon.buyer_id.in_(accounts))
    for statement in (
        delete(coupon_items).where(coupon_items.c.coupon_id.in_(coupons)),
        delete(Coupon).where(Coupon.buyer_id.in_(accounts)),
        delete(Refund).where(Refund.order_id.in_(orders)),
        delete(Cancellation).where(Cancellation.order_id.in_(orders)),
        delete(Message).where(Message.order_id.in_(orders)),
        delete(OrderEvent).where(OrderEvent.order_id.in_(orders)),
        delete(OrderItem).where(OrderItem.order_id.in_(orders)),
        delete(Order).where(Order.scenario_id.in_(ids)),
        delete(SignIn).where(SignIn.account_id.in_(accounts)),
        delete(SignInTicket).where(SignInTicket.account_id.in_(accounts)),
        delete(AnsweredForm).where(AnsweredForm.account_id.in_(accounts)),
        delete(CoachTour).where(CoachTour.scenario_id.in_(ids)),
        delete(Account).where(Account.scenario_id.in_(ids)),
        delete(Store).where(Store.scenario_id.in_(ids)),
        delete(Scenario).where(Scenario.id.in_(ids)),
    ):
        session.execute(statement)


class RetentionJob:
    """``prune`` on start and then every ``every`` seconds, in a thread of its own."""

    def __init__(self, db: Database, idle: timedelta, every: float):
        self.db, self.idle, self.every = db, idle, every
        self._stop = threading.Event()
        self.pruned_once = threading.Event()  # set when the first round is over
        self._thread = threading.Thread(target=self._run, name="retention", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                pruned = prune(self.db, self.idle)
                log.info("retention: deleted %s", pruned)
            except Exception:  # the next round tries again; requests never see it
                log.exception("retention: pruning failed")
            self.pruned_once.set()
            if self._stop.wait(self.every):
                return
