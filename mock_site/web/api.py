"""The control API: start scenarios, read their state, move the clock, act as the seller.

Flows, tests and the guide's practice mode drive the storefront through it. Every
answer has a pydantic model, so ``/openapi.json`` describes it exactly.
"""

from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from domain import lifecycle, scenarios
from domain.cancellation import Reason
from domain.coupons import CouponKind, WalletStatus
from domain.lifecycle import CancellationStatus, Role
from domain.payments import PaymentMethod
from domain.refunds import STAGES
from domain.statuses import OrderStatus
from mock_site import control, services
from mock_site.scenarios import create_scenario

router = APIRouter(prefix="/api")

SCENARIO_NAMES = tuple(item["name"] for item in scenarios.scenario_catalogue())
ScenarioName = Literal[SCENARIO_NAMES]  # type: ignore[valid-type]


class Strict(BaseModel):
    """Request bodies refuse unknown fields, so a typo is an error rather than a no-op."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    detail: str = Field(description="What went wrong, in words for a person.")


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


class StartedScenario(BaseModel):
    token: str = Field(description="Identifies the scenario in every other call.")
    name: str
    buyer_email: str
    buyer_password: str
    seller_email: str
    seller_password: str
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
    days: int = Field(0, ge=0, le=control.MAX_DAYS, strict=True)
    hours: int = Field(0, ge=0, le=control.MAX_HOURS, strict=True)

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


# A Literal of the enum's values: the schema lists them inline and a wrong one is a
# literal_error, as clients have always seen; act_as_seller takes the value as it is.
ActionName = Literal[tuple(action.value for action in lifecycle.SellerAction)]  # type: ignore[valid-type]


class SellerAction(Strict):
    action: ActionName
    message: str | None = Field(None, description="The reply's text; required for `reply`.")

    @model_validator(mode="after")
    def reply_has_message(self) -> "SellerAction":
        if self.action == lifecycle.SellerAction.REPLY and not (self.message or "").strip():
            raise PydanticCustomError("message_required", "A reply needs a message.")
        return self


def _not_found(error: services.NotFound) -> HTTPException:
    return HTTPException(404, str(error))


@router.get("/scenarios", tags=["scenarios"], response_model=list[ScenarioSummary])
def list_scenarios():
    """Every scenario that can be started, with what it sets up."""
    return scenarios.scenario_catalogue()


@router.post(
    "/scenarios", tags=["scenarios"], status_code=201, response_model=StartedScenario,
)
def start_scenario(request: Request, body: StartScenario):
    """Start a fresh, isolated copy of a scenario: its own buyer, store, orders and clock."""
    with request.app.state.db.transaction() as session:
        scenario = create_scenario(session, body.name)
        buyer = control.scenario_account(session, scenario, Role.BUYER)
        seller = control.scenario_account(session, scenario, Role.SELLER)
        return StartedScenario(
            token=scenario.token, name=scenario.name,
            buyer_email=buyer.email, buyer_password=scenarios.BUYER_PASSWORD,
            seller_email=seller.email, seller_password=scenarios.SELLER_PASSWORD,
            now=scenario.now,
            orders=[OrderBrief(number=o.number, status=o.status)
                    for o in control.scenario_orders(session, scenario)],
        )


@router.get(
    "/scenarios/{token}", tags=["scenarios"], response_model=ScenarioState, responses=NOT_FOUND,
)
def scenario_state(request: Request, token: str):
    """The clock and every order's state: status, items, refunds with stages, coupons."""
    with request.app.state.db.transaction(write=False) as session:
        try:
            scenario = services.get_scenario(session, token)
        except services.NotFound as error:
            raise _not_found(error) from error
        return services.scenario_state(session, scenario)


@router.post(
    "/scenarios/{token}/clock", tags=["clock"], response_model=ClockAdvanced,
    responses=NOT_FOUND,
)
def advance_clock(request: Request, token: str, body: ClockAdvance):
    """Move the simulated clock forward; requests past their deadline are accepted."""
    with request.app.state.db.transaction() as session:
        try:
            scenario = services.get_scenario(session, token)
        except services.NotFound as error:
            raise _not_found(error) from error
        lapsed = services.advance_clock(session, scenario, body.step)
        return {**services.scenario_state(session, scenario),
                "lapsed": [order.number for order in lapsed]}


@router.post(
    "/scenarios/{token}/orders/{number}/seller", tags=["seller"], response_model=OrderState,
    responses={**NOT_FOUND, **REFUSED},
)
def seller_action(request: Request, token: str, number: str, body: SellerAction):
    """Act as the scenario's seller on one order; answers with the order's new state."""
    max_length = request.app.state.settings.message_max_length
    if body.action == lifecycle.SellerAction.REPLY and len(body.message.strip()) > max_length:
        raise RequestValidationError([{
            "type": "string_too_long", "loc": ("body", "message"),
            "msg": f"A reply can be at most {max_length} characters long.",
        }])
    with request.app.state.db.transaction() as session:
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
