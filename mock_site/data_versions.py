"""A version number per scenario, one higher after every committed change to what its
pages show: a page rendered at version N is still true while the version is N.

The numbers live in the database, so every process serving the storefront sees the same
ones (``python -m mock_site --workers N``); the render cache (``mock_site.page_cache``)
keeps pages per process and asks the database for the version on each request.

No write path bumps the version itself: ``track_changes`` watches the write sessions.
After each flush it notes which scenarios the new, changed and deleted rows belong to;
at the commit it adds one upsert per scenario, as the transaction's last statement. Last,
so that on PostgreSQL a version row is locked only while its transaction commits, never
while the transaction still waits for another lock (no deadlock with, say, a clock move
that updated the scenario row and waits for an order's lock). A model whose rows pages
do not show is listed in ``NOT_SHOWN``; a model in neither list, or a bulk statement on
a table pages show, is refused with ``UntrackedWrite``, so a new one cannot be forgotten.
"""

from collections.abc import Callable, Iterable

from sqlalchemy import ForeignKey, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, sessionmaker

from mock_site.attempt_counts import AttemptWindow
from mock_site.db import Base
from mock_site.models import (
    Account,
    Cancellation,
    CoachTour,
    Coupon,
    Message,
    Order,
    OrderEvent,
    OrderItem,
    Refund,
    Scenario,
    Store,
)
from mock_site.sign_ins import AnsweredForm, SignIn, SignInTicket

CHANGED = "shop_changed_scenarios"


class DataVersion(Base):
    """How many committed changes a scenario's pages have seen (no row: none yet)."""

    __tablename__ = "data_versions"
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), primary_key=True)
    version: Mapped[int]


class UntrackedWrite(RuntimeError):
    """A write the version cannot account for: say in ``data_versions`` whose it is."""


def _of_order(obj, session: Session) -> int:
    # Mostly in the identity map already (a deleted one too, until the flush ends).
    return session.get(Order, obj.order_id).scenario_id


def _of_buyer(obj, session: Session) -> int:
    return session.get(Account, obj.buyer_id).scenario_id


# Which scenario a row of each model belongs to.
SCENARIO_OF: dict[type, Callable] = {
    Scenario: lambda obj, _session: obj.id,
    Store: lambda obj, _session: obj.scenario_id,
    Account: lambda obj, _session: obj.scenario_id,
    Order: lambda obj, _session: obj.scenario_id,
    OrderItem: _of_order,
    Cancellation: _of_order,
    Refund: _of_order,
    Message: _of_order,
    OrderEvent: _of_order,
    Coupon: _of_buyer,  # its items (coupon_items) change with it
}


# Models no page shows. Who is signed in is checked on every request instead (sign-in
# records); the rest is bookkeeping (tickets, answered forms, sign-in counts, the coach's
# progress, which the guide reads, not the shop's pages) and the versions themselves.
NOT_SHOWN = frozenset({SignIn, SignInTicket, AnsweredForm, AttemptWindow, CoachTour,
                       DataVersion})
NOT_SHOWN_TABLES = frozenset(model.__tablename__ for model in NOT_SHOWN)


def scenarios_of(session: Session, rows: Iterable[object]) -> set[int]:
    """The scenarios ``rows`` belong to; ``UntrackedWrite`` for a model in neither list."""
    found: set[int] = set()
    for row in rows:
        kind = type(row)
        if kind in SCENARIO_OF:
            found.add(SCENARIO_OF[kind](row, session))
        elif kind not in NOT_SHOWN:
            raise UntrackedWrite(f"{kind.__name__} rows changed, and no page version knows"
                                 " whose they are (mock_site/data_versions.py)")
    return found


def _note_flushed(session: Session, _flush_context) -> None:
    # After the flush every new row has its keys; the lists still hold what was flushed.
    rows = [*session.new, *session.dirty, *session.deleted]
    with session.no_autoflush:
        session.info.setdefault(CHANGED, set()).update(scenarios_of(session, rows))


def _refuse_untracked_bulk(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in NOT_SHOWN_TABLES:
        raise UntrackedWrite(f"A bulk statement on {getattr(table, 'name', table)!r} would "
                             "change pages without a new version; change its rows instead")


def _bump(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit bumps
    session.flush()  # this commit's last changes are noted too
    changed = session.info.pop(CHANGED, None)
    if not changed:
        return
    upsert = _UPSERTS[session.get_bind().dialect.name]
    for scenario_id in sorted(changed):  # the same order everywhere: no deadlock between two
        session.execute(upsert, {"scenario_id": scenario_id, "version": 1})


# One higher, or 1 for a scenario without a row yet (a new one, or one made before
# versions were kept).
_UPSERTS = {
    name: insert(DataVersion).on_conflict_do_update(
        index_elements=[DataVersion.scenario_id], set_={"version": DataVersion.version + 1})
    for name, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}


def _forget(session: Session, previous) -> None:
    if previous.parent is None:  # the whole transaction, not a savepoint inside it
        session.info.pop(CHANGED, None)


def track_changes(sessions: sessionmaker) -> None:
    """Bump the version of every scenario a transaction of ``sessions`` changed."""
    event.listen(sessions, "after_flush", _note_flushed)
    event.listen(sessions, "do_orm_execute", _refuse_untracked_bulk)
    event.listen(sessions, "before_commit", _bump)
    event.listen(sessions, "after_soft_rollback", _forget)
