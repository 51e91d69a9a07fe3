"""A scenario made for one test: its token, accounts, order numbers and coupon codes, and
the ids to reload its rows in any transaction."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.scenarios import scenario_spec
from mock_site.core.db import Database
from mock_site.core.models import Account, Coupon, Order, Scenario
from mock_site.services.orders import buyer_order
from mock_site.services.scenarios import create_scenario


@dataclass(frozen=True)
class World:
    """One fresh copy of a scenario, made for one test."""

    name: str
    token: str
    scenario_id: int
    buyer_id: int
    seller_id: int
    buyer_email: str
    seller_email: str
    numbers: tuple[str, ...]  # as the scenario defines them: the one it is about first
    coupon_codes: tuple[str, ...]  # every coupon the buyer holds, used or not

    def scenario(self, session: Session) -> Scenario:
        return session.get(Scenario, self.scenario_id)

    def buyer(self, session: Session) -> Account:
        return session.get(Account, self.buyer_id)

    def seller(self, session: Session) -> Account:
        return session.get(Account, self.seller_id)

    def order(self, session: Session, number: str | None = None) -> Order:
        """The buyer's order ``number`` (by default the scenario's first, the one it is about)."""
        return buyer_order(session, self.buyer(session), number or self.numbers[0])


def create_world(db: Database, name: str) -> World:
    """Create a fresh copy of the named scenario in ``db``; a storefront's is ``app.state.db``."""
    with db.transaction() as session:
        scenario = create_scenario(session, name)
        buyer = _account(session, scenario, "buyer")
        seller = _account(session, scenario, "seller")
        codes = session.scalars(
            select(Coupon.code).where(Coupon.buyer_id == buyer.id).order_by(Coupon.id))
        return World(
            name=name, token=scenario.token, scenario_id=scenario.id,
            buyer_id=buyer.id, seller_id=seller.id,
            buyer_email=buyer.email, seller_email=seller.email,
            numbers=tuple(order.number for order in scenario_spec(name).orders),
            coupon_codes=tuple(codes),
        )


def _account(session: Session, scenario: Scenario, role: str) -> Account:
    return session.scalar(
        select(Account).where(Account.scenario_id == scenario.id, Account.role == role)
    )
