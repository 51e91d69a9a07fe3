"""A scenario made for a test, and the ids to reload its rows in any transaction."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import scenarios
from mock_site import services
from mock_site.db import Database
from mock_site.models import Account, Order, Scenario
from mock_site.scenarios import create_scenario


@dataclass(frozen=True)
class World:
    """One scenario made for a test: ids to reload its rows in any transaction."""

    name: str
    token: str
    scenario_id: int
    buyer_id: int
    seller_id: int
    buyer_email: str
    seller_email: str
    numbers: tuple[str, ...]

    def scenario(self, session: Session) -> Scenario:
        return session.get(Scenario, self.scenario_id)

    def buyer(self, session: Session) -> Account:
        return session.get(Account, self.buyer_id)

    def seller(self, session: Session) -> Account:
        return session.get(Account, self.seller_id)

    def order(self, session: Session, number: str | None = None) -> Order:
        """The buyer's order ``number`` (by default the scenario's first, the one it is about)."""
        return services.buyer_order(session, self.buyer(session), number or self.numbers[0])


def create_world(db: Database, name: str) -> World:
    """Create the named scenario in ``db`` and return its accounts and order numbers."""
    spec = scenarios.SHOWCASE if name == scenarios.SHOWCASE.name else scenarios.SCENARIOS[name]
    with db.transaction() as session:
        scenario = create_scenario(session, name)
        buyer = _account(session, scenario, "buyer")
        seller = _account(session, scenario, "seller")
        return World(
            name=name,
            token=scenario.token,
            scenario_id=scenario.id,
            buyer_id=buyer.id,
            seller_id=seller.id,
            buyer_email=buyer.email,
            seller_email=seller.email,
            numbers=tuple(order.number for order in spec.orders),
        )


def _account(session: Session, scenario: Scenario, role: str) -> Account:
    return session.scalar(
        select(Account).where(Account.scenario_id == scenario.id, Account.role == role)
    )
