"""Every table of the storefront. Money is integer cents; an order's times are its
scenario's simulated time, the sign-in and attempt tables' times real time."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Column,
    Enum,
    Float,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.cancellation import Reason
from domain.coupons import CouponKind
from domain.lifecycle import CancellationStatus, Role
from domain.payments import PaymentMethod
from domain.statuses import OrderStatus

# Longest key an attempt count keeps (``attempt_counts``); longer keys are cut.
ATTEMPT_KEY_MAX_LENGTH = 300


class Base(DeclarativeBase):
    """Every model below; ``Base.metadata`` is the whole schema."""


def words(enum: type[StrEnum], length: int) -> Enum:
    """A closed set of words, stored as its values in a plain string column (no database
    enum type), so existing databases read as before and rows come back as the enum."""
    return Enum(
        enum, native_enum=False, create_constraint=False, length=length,
        values_callable=lambda members: [member.value for member in members],
    )


class Scenario(Base):
    """One isolated practice world: its own buyer, seller, orders and clock."""

    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    now: Mapped[datetime]
    # Real time (UTC) it was last made, signed in to or driven; idle copies are deleted
    # (``services.retention``). Empty on copies made before it was kept.
    last_used: Mapped[datetime | None] = mapped_column(index=True)


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))


class Account(Base):
    """A buyer or a seller; a seller belongs to one store."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    role: Mapped[Role] = mapped_column(words(Role, 10))
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(120))
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id"))
    scenario: Mapped[Scenario] = relationship()
    store: Mapped[Store | None] = relationship()


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("buyer_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(words(OrderStatus, 40))
    # Where the order goes back to if the seller declines a cancellation request.
    status_before_request: Mapped[OrderStatus | None] = mapped_column(words(OrderStatus, 40))
    payment_method: Mapped[PaymentMethod] = mapped_column(words(PaymentMethod, 30))
    placed_at: Mapped[datetime]
    shipped_at: Mapped[datetime | None]
    store: Mapped[Store] = relationship()
    buyer: Mapped[Account] = relationship()
    items: Mapped[list["OrderItem"]] = relationship(
        order_by="OrderItem.position", back_populates="order"
    )
    coupons: Mapped[list["Coupon"]] = relationship(back_populates="order")
    cancellations: Mapped[list["Cancellation"]] = relationship(order_by="Cancellation.id")
    messages: Mapped[list["Message"]] = relationship(order_by="Message.id")
    refunds: Mapped[list["Refund"]] = relationship(order_by="Refund.id")
    events: Mapped[list["OrderEvent"]] = relationship(order_by="OrderEvent.id")

    @property
    def paid_cents(self) -> int:
        return sum(item.paid_cents for item in self.items)

    @property
    def pending_cancellation(self) -> "Cancellation | None":
        return next(
            (c for c in self.cancellations if c.status == CancellationStatus.PENDING), None
        )


class OrderPart:
    """A row that belongs to one order (an item, a cancellation, a refund, a message, a
    timeline line): its own id and its order's, indexed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)


class OrderItem(OrderPart, Base):
    __tablename__ = "order_items"
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    option: Mapped[str] = mapped_column(String(120))
    swatch: Mapped[str] = mapped_column(String(7))  # thumbnail colour, e.g. "#f4b183"
    unit_price_cents: Mapped[int]
    quantity: Mapped[int]
    paid_cents: Mapped[int]  # price less this item's share of coupon discounts
    cancelled: Mapped[bool] = mapped_column(default=False)
    order: Mapped[Order] = relationship(back_populates="items")

    @property
    def price_cents(self) -> int:
        return self.unit_price_cents * self.quantity


coupon_items = Table(
    "coupon_items",
    Base.metadata,
    Column("coupon_id", ForeignKey("coupons.id"), primary_key=True),
    Column("item_id", ForeignKey("order_items.id"), primary_key=True),
)


class Coupon(Base):
    __tablename__ = "coupons"
    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[CouponKind] = mapped_column(words(CouponKind, 10))
    code: Mapped[str] = mapped_column(String(40))
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id"))
    discount_cents: Mapped[int]
    min_spend_cents: Mapped[int]
    expires_at: Mapped[datetime]
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    returned_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(200))
    store: Mapped[Store | None] = relationship()
    order: Mapped[Order | None] = relationship(back_populates="coupons")
    items: Mapped[list[OrderItem]] = relationship(secondary=coupon_items)


class Cancellation(OrderPart, Base):
    """A buyer's cancellation: immediate, or a request the seller answers."""

    __tablename__ = "cancellations"
    item_ids: Mapped[list[int]] = mapped_column(JSON)
    reason_code: Mapped[Reason] = mapped_column(words(Reason, 40))
    requested_at: Mapped[datetime]
    status: Mapped[CancellationStatus] = mapped_column(words(CancellationStatus, 20))
    decided_at: Mapped[datetime | None]
    deadline: Mapped[datetime | None]


class Refund(OrderPart, Base):
    __tablename__ = "refunds"
    cancellation_id: Mapped[int] = mapped_column(ForeignKey("cancellations.id"), unique=True)
    amount_cents: Mapped[int]
    method: Mapped[PaymentMethod] = mapped_column(words(PaymentMethod, 30))
    requested_at: Mapped[datetime]


class Message(OrderPart, Base):
    __tablename__ = "messages"
    sender: Mapped[Role] = mapped_column(words(Role, 10))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]


class OrderEvent(OrderPart, Base):
    """A line of the order's timeline, in the buyer's words."""

    __tablename__ = "order_events"
    at: Mapped[datetime]
    text: Mapped[str] = mapped_column(String(300))


class CoachTour(Base):
    """A trainee's coached practice of one flow on one scenario copy; the guide reads its
    progress by ``key`` (the coach cookie holds the same key)."""

    __tablename__ = "coach_tours"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    flow_id: Mapped[str] = mapped_column(String(80))
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    # The step the trainee is on (from 1); ``done`` once the last one is done.
    step: Mapped[int] = mapped_column(default=1)
    done: Mapped[bool] = mapped_column(default=False)
    hint: Mapped[str] = mapped_column(String(400), default="")
    scenario: Mapped[Scenario] = relationship()


# --- who is signed in (``core.sign_ins``) ------------------------------------------------

class SignIn(Base):
    """One signed-in session; the cookie holds the key whose hash is ``key_hash``."""

    __tablename__ = "sign_ins"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    started_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class SignInTicket(Base):
    """A one-time, short-lived sign-in link the control API hands out."""

    __tablename__ = "sign_in_tickets"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class AnsweredForm(Base):
    """What a submitted form led to, so the same form sent again shows the same outcome."""

    __tablename__ = "answered_forms"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    answered_at: Mapped[datetime] = mapped_column(index=True)
    redirect_to: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10))


class AttemptWindow(Base):
    """The recent entries of one limit key (the limit's name with a role, e-mail or client)."""

    __tablename__ = "attempt_windows"
    key: Mapped[str] = mapped_column(String(ATTEMPT_KEY_MAX_LENGTH), primary_key=True)
    # Entry times, newest first, space-separated; at most the limit's amount of them.
    entries: Mapped[str] = mapped_column(String(4000))
    # When the newest entry leaves its window: after that the row counts nothing.
    expires_at: Mapped[float] = mapped_column(Float, index=True)
