"""The control API: start scenarios, read their state, move the clock, act as the seller.

Flows, tests and the guide's practice mode drive the storefront through it. Every
request and answer is a model of ``flowspec.contract.control``, shared with the API's
client, so ``/openapi.json`` describes it exactly.
"""

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session

from domain import scenarios
from domain.lifecycle import Role
from flowspec.contract.control import (
    ClockAdvance,
    ClockAdvanced,
    ErrorDetail,
    OrderBrief,
    OrderState,
    ScenarioState,
    ScenarioSummary,
    SellerAction,
    SellerReply,
    SignInLink,
    SignInRequest,
    StartedScenario,
    StartScenario,
)
from mock_site import services
from mock_site.core import sign_ins
from mock_site.core.models import Scenario
from mock_site.services import clock, control, retention
from mock_site.services.scenarios import create_scenario
from mock_site.web.copy_limit import take_copy
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


Responses = dict[int | str, dict[str, Any]]
UNSUPPORTED: Responses = {415: {"model": ErrorDetail, "description": "The body is not sent as JSON."}}
NOT_FOUND: Responses = {404: {"model": ErrorDetail, "description": "No such scenario or order."}}
REFUSED: Responses = {409: {"model": ErrorDetail, "description": "The rules do not allow this now."}}
TOO_MANY: Responses = {429: {"model": ErrorDetail,
                             "description": "Too many copies started from this address."}}
router = APIRouter(prefix="/api", dependencies=[Depends(require_json)])


def _sign_in_url(session: Session, scenario: Scenario, role: Role) -> str:
    account = control.scenario_account(session, scenario, role)
    return f"/trainer/sign-in/{sign_ins.issue_ticket(session, account, sign_ins.utc_now())}"


def _not_found(error: services.NotFound) -> HTTPException:
    return HTTPException(404, str(error))


def _scenario(session: Session, token: str) -> Scenario:
    """The scenario of the address; an unknown token is a 404."""
    try:
        return control.get_scenario(session, token)
    except services.NotFound as error:
        raise _not_found(error) from error


@router.get("/scenarios", tags=["scenarios"], response_model=list[ScenarioSummary])
def list_scenarios():
    """Every scenario that can be started, with what it sets up."""
    return scenarios.scenario_catalogue()


@router.post(
    "/scenarios", tags=["scenarios"], status_code=201, response_model=StartedScenario,
    responses={**UNSUPPORTED, **TOO_MANY},
)
def start_scenario(request: Request, db: DB, body: StartScenario):
    """Start a fresh, isolated copy of a scenario: its own buyer, store, orders and clock.

    One client may start ``SHOP_PRACTICE_COPIES_PER_MINUTE`` copies a minute (429 past it)."""
    take_copy(request)
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
        return control.scenario_state(session, scenario)


@router.post(
    "/scenarios/{token}/sign-in-links", tags=["scenarios"], status_code=201,
    response_model=SignInLink, responses={**NOT_FOUND, **UNSUPPORTED},
)
def sign_in_link(db: DB, token: str, body: SignInRequest):
    """A new one-time link that signs a browser in as the scenario's buyer or seller."""
    with db.transaction() as session:
        scenario = _scenario(session, token)
        retention.touch(scenario)
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
        lapsed = clock.advance_clock(session, scenario, body.step)
        retention.touch(scenario)
        return {**control.scenario_state(session, scenario),
                "lapsed": [order.number for order in lapsed]}


@router.post(
    "/scenarios/{token}/orders/{number}/seller", tags=["seller"], response_model=OrderState,
    responses={**NOT_FOUND, **REFUSED, **UNSUPPORTED},
)
def seller_action(db: DB, config: CONFIG, token: str, number: str, body: SellerAction):
    """Act as the scenario's seller on one order; answers with the order's new state."""
    max_length = config.message_max_length
    if isinstance(body, SellerReply) and len(body.message.strip()) > max_length:
        raise RequestValidationError([{
            "type": "string_too_long", "loc": ("body", "message"),
            "msg": f"A reply can be at most {max_length} characters long.",
        }])
    with db.transaction() as session:
        try:
            scenario = control.get_scenario(session, token)
            seller = control.scenario_account(session, scenario, Role.SELLER)
            done = control.act_as_seller(session, seller, number, body.action, body.message,
                                         max_length)
            retention.touch(scenario)
        except services.NotFound as error:
            raise _not_found(error) from error
        except services.ActionRefused as error:
            refusal = control.refused_with_state(session, seller, number, error)
            raise HTTPException(409, refusal) from error
        return control.order_state(done.order, scenario.now)
