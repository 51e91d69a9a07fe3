"""The storefront's control API (``/api``): what each request sends and each answer holds.

The storefront declares its routes with these models and every client reads the answers
through them, so ``/openapi.json``, the server and its clients share one definition.
"""

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from domain import lifecycle, scenarios
from domain.cancellation import Reason
from domain.coupons import CouponKind, WalletStatus
from domain.lifecycle import CancellationStatus, Role
from domain.payments import PaymentMethod
from domain.refunds import STAGES
from domain.statuses import OrderStatus

# How long a sign-in link works. It is opened within seconds of being handed out; ten
# minutes leave room for a trainee who reads the guide before pressing its button.
SIGN_IN_LINK_LIFETIME = timedelta(minutes=10)
MAX_CLOCK_DAYS = lifecycle.MAX_CLOCK_DAYS
MAX_CLOCK_HOURS = MAX_CLOCK_DAYS * 24

SCENARIO_NAMES = tuple(item["name"] for item in scenarios.scenario_catalogue())
ScenarioName = Literal[SCENARIO_NAMES]  # type: ignore[valid-type]


class Strict(BaseModel):
    """Request bodies refuse unknown fields, so a typo is an error rather than a no-op."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    detail: str = Field(description="What went wrong, in words for a person.")


# Simulated times are sent as they are kept: UTC without an offset ("2026-03-02T09:00:00"),
# which is not an RFC 3339 "date-time"; the description says so rather than promising one.
SimulatedTime = Annotated[datetime, WithJsonSchema({
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$",
    "description": "A simulated time in UTC, without an offset, e.g. 2026-03-02T09:00:00.",
})]


def _no_lone_surrogates(text: object) -> object:
    """JSON can escape half of a surrogate pair (``"\\ud800"``), which is no character
    at all and cannot be stored; say so instead of failing on the way to the database."""
    try:
        if isinstance(text, str):
            text.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "string_not_unicode",
            "The text holds an unpaired surrogate escape (such as \\ud800), which is not a"
            " character; send the text as valid Unicode.",
        ) from None
    return text


Text = Annotated[str, BeforeValidator(_no_lone_surrogates)]


def _whole_number(value: object) -> object:
    """``2.0`` is the whole number 2 (JSON Schema's ``integer`` says so); ``2.5`` is not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]

SIGN_IN_DESCRIPTION = (
    "A one-time link (a path on the storefront) that signs a browser in; it works once,"
    f" within {int(SIGN_IN_LINK_LIFETIME.total_seconds() // 60)} minutes."
)


class ScenarioSummary(BaseModel):
    name: str = Field(description="What to send as `name` to start it.")
    title: str
    description: str


class StartScenario(Strict):
    name: ScenarioName = Field(description="One of the names `GET /api/scenarios` lists.")


class OrderBrief(BaseModel):
    number: str
    status: OrderStatus


class StartedScenario(BaseModel):
    token: str = Field(description="Identifies the scenario in every other call.")
    name: str
    buyer_email: str
    buyer_password: str
    seller_email: str
    seller_password: str
    buyer_sign_in_url: str = Field(description=SIGN_IN_DESCRIPTION + " As the buyer.")
    seller_sign_in_url: str = Field(description=SIGN_IN_DESCRIPTION + " As the seller.")
    now: SimulatedTime = Field(description="The scenario's simulated time (UTC, no offset).")
    orders: list[OrderBrief]


class ItemState(BaseModel):
    id: int
    title: str
    paid_cents: int = Field(description="Price less this item's share of coupon discounts.")
    cancelled: bool


class CancellationState(BaseModel):
    status: CancellationStatus
    reason: Reason = Field(description="Reason code, e.g. `changed_mind`.")
    item_ids: list[int]


class MessageState(BaseModel):
    sender: Role
    body: str


class RefundState(BaseModel):
    amount_cents: int
    method: PaymentMethod
    stages_reached: int = Field(ge=0, le=len(STAGES), description=" → ".join(STAGES))
    paid_at: SimulatedTime


class CouponState(BaseModel):
    code: str
    kind: CouponKind
    discount_cents: int
    wallet_status: WalletStatus
    note: str | None = Field(description="Why the coupon did or did not come back.")


class OrderState(BaseModel):
    number: str
    status: OrderStatus
    payment_method: PaymentMethod
    paid_cents: int
    items: list[ItemState]
    cancellation: CancellationState | None = Field(description="The latest cancellation.")
    messages: list[MessageState]
    refunds: list[RefundState]
    coupons: list[CouponState]


class ScenarioState(BaseModel):
    token: str
    name: str
    now: SimulatedTime
    orders: list[OrderState]


class ClockAdvance(Strict):
    days: WholeNumber = Field(0, ge=0, le=MAX_CLOCK_DAYS, strict=True)
    hours: WholeNumber = Field(0, ge=0, le=MAX_CLOCK_HOURS, strict=True)

    @model_validator(mode="after")
    def at_most_the_limit(self) -> "ClockAdvance":
        try:
            lifecycle.check_clock_step(self.step)
        except lifecycle.NotAllowed as error:
            raise PydanticCustomError(
                "clock_step_too_long", str(error), {"limit": MAX_CLOCK_DAYS}
            ) from None
        return self

    @property
    def step(self) -> timedelta:
        return timedelta(days=self.days, hours=self.hours)


class ClockAdvanced(ScenarioState):
    lapsed: list[str] = Field(
        description="Orders whose cancellation request the seller left unanswered past the"
        " deadline, so it was accepted as the clock moved."
    )


def _reply_text(text: object) -> object:
    if text is None or (isinstance(text, str) and not text.strip()):
        raise PydanticCustomError("message_required", "A reply needs a message.")
    return _no_lone_surrogates(text)


def _names_an_action(body: object) -> object:
    if isinstance(body, dict) and "action" not in body:
        raise PydanticCustomError(
            "missing", "Field required: action (accept, decline, ship, cancel or reply)."
        )
    return body


_REPLY = lifecycle.SellerAction.REPLY
# The other actions, as a Literal of the enum's values: the schema lists them inline.
Decision = Literal[tuple(a.value for a in lifecycle.SellerAction if a is not _REPLY)]  # type: ignore[valid-type]


class SellerReply(Strict):
    action: Literal[_REPLY.value]  # type: ignore[name-defined]
    message: Annotated[str, BeforeValidator(_reply_text)] = Field(
        min_length=1, pattern=r"\S", description="The reply's text."
    )


class SellerDecision(Strict):
    action: Decision  # type: ignore[valid-type]
    message: Text | None = Field(None, description="Not used by these actions.")


# A reply must carry a message and the other actions need none: two shapes, so the
# published schema says exactly what is accepted.
SellerAction = Annotated[
    Annotated[SellerReply | SellerDecision, Discriminator("action")],
    BeforeValidator(_names_an_action),
]


class SignInRequest(Strict):
    role: Role = Field(description="Whose browser session to open.")


class SignInLink(BaseModel):
    url: str = Field(description=SIGN_IN_DESCRIPTION)
    expires_in_seconds: int

    @property
    def ticket(self) -> str:
        """The one-time ticket the link carries (``/trainer/sign-in/<ticket>``)."""
        return self.url.rsplit("/", 1)[-1]
