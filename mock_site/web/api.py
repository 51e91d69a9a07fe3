"""The control API: start scenarios, read their state, move the clock, act as the seller.

Flows, tests and the guide's practice mode drive the storefront through it. Every
answer has a pydantic model, so ``/openapi.json`` describes it exactly.
"""

from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
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
from sqlalchemy.orm import Session

from domain import lifecycle, scenarios
from domain.cancellation import Reason
from domain.coupons import CouponKind, WalletStatus
from domain.lifecycle import CancellationStatus, Role
from domain.payments import PaymentMethod
from domain.refunds import STAGES
from domain.statuses import OrderStatus
from mock_site import control, services, sign_ins
from mock_site.models import Scenario
from mock_site.scenarios import create_scenario
from mock_site.web.deps import CONFIG, DB


async def require_json(request: Request) -> None:
    """A body must say it is JSON. A page on another site can send a body without a
    content type and without asking first; ``application/json`` needs the browser to ask,
    and this API says no to every other site."""
    if request.method == "POST":
        content_type = request.headers.get("content-type", "")
        media = content_type.split(";", 1)[0].strip().lower()
        if media != "application/json" and not media.endswith("+json"):
            raise HTTPException(415, "Send the body as JSON, with Content-Type: application/json.")


UNSUPPORTED = {415: {"model": "ErrorDetail", "description": "The body is not sent as JSON."}}
router = APIRouter(prefix="/api", dependencies=[Depends(require_json)])

SCENARIO_NAMES = tuple(item["name"] for item in scenarios.scenario_catalogue())
ScenarioName = Literal[SCENARIO_NAMES]  # type: ignore[valid-type]


class Strict(BaseModel):
    """Request bodies refuse unknown fields, so a typo is an error rather than a no-op."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    detail: str = Field(description="What went wrong, in words for a person.")


UNSUPPORTED[415]["model"] = ErrorDetail
NOT_FOUND = {404: {"model": ErrorDetail, "description": "No such scenario or order."}}
REFUSED = {409: {"model": ErrorDetail, "description": "The rules do not allow this now."}}

# Simulated times are sent as they are kept: UTC without an offset ("2026-03-02T09:00:00"),
# which is not an RFC 3339 "date-time"; the description says so rather than promising one.
SimulatedTime = Annotated[datetime, WithJsonSchema({
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$",
    "description": "A simulated time in UTC, without an offset, e.g. 2026-03-02T09:00:00.",
})]


class ScenarioSummary(BaseModel):
    name: str = Field(description="What to send as `name` to start it.")
    title: str
    description: str


class StartScenario(Strict):
    name: ScenarioName = Field(description="One of the names `GET /api/scenarios` lists.")


class OrderBrief(BaseModel):
    number: str
    status: OrderStatus


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
    f" within {int(sign_ins.TICKET_LIFETIME.total_seconds() // 60)} minutes."
)


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
    days: WholeNumber = Field(0, ge=0, le=control.MAX_DAYS, strict=True)
    hours: WholeNumber = Field(0, ge=0, le=control.MAX_HOURS, strict=True)

    @model_validator(mode="after")
    def at_most_the_limit(self) -> "ClockAdvance":
        try:
            lifecycle.check_clock_step(self.step)
        except lifecycle.NotAllowed as error:
            raise PydanticCustomError(
                "clock_step_too_long", str(error), {"limit": control.MAX_DAYS}
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
    action: Literal[_REPLY.value]
    message: Annotated[str, BeforeValidator(_reply_text)] = Field(
        min_length=1, pattern=r"\S", description="The reply's text."
    )


class SellerDecision(Strict):
    action: Decision
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


def _sign_in_url(session, scenario: Scenario, role: str) -> str:
    account = control.scenario_account(session, scenario, role)
    return f"/trainer/sign-in/{sign_ins.issue_ticket(session, account, sign_ins.utc_now())}"


def _not_found(error: services.NotFound) -> HTTPException:
    return HTTPException(404, str(error))


def _scenario(session: Session, token: str) -> Scenario:
    """The scenario of the address; an unknown token is a 404."""
    try:
        return services.get_scenario(session, token)
    except services.NotFound as error:
        raise _not_found(error) from error


@router.get("/scenarios", tags=["scenarios"], response_model=list[ScenarioSummary])
def list_scenarios():
    """Every scenario that can be started, with what it sets up."""
    return scenarios.scenario_catalogue()


@router.post(
    "/scenarios", tags=["scenarios"], status_code=201, response_model=StartedScenario,
    responses=UNSUPPORTED,
)
def start_scenario(db: DB, body: StartScenario):
    """Start a fresh, isolated copy of a scenario: its own buyer, store, orders and clock."""
    with db.transaction() as session:
        scenario = create_scenario(session, body.name)
        buyer = control.scenario_account(session, scenario, Role.BUYER)
        seller = control.scenario_account(session, scenario, Role.SELLER)
        return StartedScenario(
            token=scenario.token, name=scenario.name,
            buyer_email=buyer.email, buyer_password=scenarios.BUYER_PASSWORD,
            seller_email=seller.email, seller_password=scenarios.SELLER_PASSWORD,
            buyer_sign_in_url=_sign_in_url(session, scenario, Role.BUYER),
            seller_sign_in_url=_sign_in_url(session, scenario, Role.SELLER),
            now=scenario.now,
            orders=[OrderBrief(number=o.number, status=o.status)
                    for o in control.scenario_orders(session, scenario)],
        )


@router.get(
    "/scenarios/{token}", tags=["scenarios"], response_model=ScenarioState, responses=NOT_FOUND,
)
def scenario_state(db: DB, token: str):
    """The clock and every order's state: status, items, refunds with stages, coupons."""
    with db.transaction(write=False) as session:
        scenario = _scenario(session, token)
        return services.scenario_state(session, scenario)


@router.post(
    "/scenarios/{token}/sign-in-links", tags=["scenarios"], status_code=201,
    response_model=SignInLink, responses={**NOT_FOUND, **UNSUPPORTED},
)
def sign_in_link(db: DB, token: str, body: SignInRequest):
    """A new one-time link that signs a browser in as the scenario's buyer or seller."""
    with db.transaction() as session:
        scenario = _scenario(session, token)
        return SignInLink(url=_sign_in_url(session, scenario, body.role),
                          expires_in_seconds=int(sign_ins.TICKET_LIFETIME.total_seconds()))


@router.post(
    "/scenarios/{token}/clock", tags=["clock"], response_model=ClockAdvanced,
    responses={**NOT_FOUND, **UNSUPPORTED},
)
def advance_clock(db: DB, token: str, body: ClockAdvance):
    """Move the simulated clock forward; requests past their deadline are accepted."""
    with db.transaction() as session:
        scenario = _scenario(session, token)
        lapsed = services.advance_clock(session, scenario, body.step)
        return {**services.scenario_state(session, scenario),
                "lapsed": [order.number for order in lapsed]}


@router.post(
    "/scenarios/{token}/orders/{number}/seller", tags=["seller"], response_model=OrderState,
    responses={**NOT_FOUND, **REFUSED, **UNSUPPORTED},
)
def seller_action(db: DB, config: CONFIG, token: str, number: str, body: SellerAction):
    """Act as the scenario's seller on one order; answers with the order's new state."""
    max_length = config.message_max_length
    if body.action == lifecycle.SellerAction.REPLY and len(body.message.strip()) > max_length:
        raise RequestValidationError([{
            "type": "string_too_long", "loc": ("body", "message"),
            "msg": f"A reply can be at most {max_length} characters long.",
        }])
    with db.transaction() as session:
        try:
            scenario = services.get_scenario(session, token)
            seller = control.scenario_account(session, scenario, Role.SELLER)
            done = control.act_as_seller(session, seller, number, body.action, body.message,
                                         max_length)
        except services.NotFound as error:
            raise _not_found(error) from error
        except services.ActionRefused as error:
            raise HTTPException(409, str(error)) from error
        return services.order_state(done.order, scenario.now)
