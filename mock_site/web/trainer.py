"""The trainer page: start practice scenarios, move their clock, act as their seller."""

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from domain import scenarios
from domain.cancellation import REASONS
from domain.lifecycle import Role, SellerAction
from mock_site import control, services
from mock_site.scenarios import create_scenario
from mock_site.web import deps
from mock_site.web.security import flash, require_csrf
from mock_site.web.seller import act_from_form
from mock_site.web.templating import render

router = APIRouter(prefix="/trainer", include_in_schema=False)

TRAINER = "/trainer"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _scenario(session, token: str):
    try:
        return services.get_scenario(session, token)
    except services.NotFound as error:
        raise HTTPException(404, "There is no practice scenario with that link.") from error


@router.get("")
def catalogue(request: Request):
    return render(
        request, "trainer.html", catalogue=scenarios.scenario_catalogue(),
        demo_token=scenarios.DEMO_TOKEN,
    )


@router.post("/scenarios", dependencies=[Depends(require_csrf)])
def start(request: Request, name: str = Form("")):
    try:
        with request.app.state.db.transaction() as session:
            scenario = create_scenario(session, name)
            token = scenario.token
    except scenarios.UnknownScenario as error:
        flash(request, error.args[0], "error")
        return _see_other(TRAINER)
    flash(request, "A fresh copy of the scenario is ready: nobody else uses its orders.",
          "success")
    return _see_other(f"{TRAINER}/{token}")


@router.get("/{token}")
def scenario_page(request: Request, token: str):
    with request.app.state.db.transaction(write=False) as session:
        scenario = _scenario(session, token)
        spec = next(
            (s for s in scenarios.scenario_catalogue() if s["name"] == scenario.name),
            {"title": scenario.name, "description": ""},
        )
        orders = sorted(
            control.scenario_orders(session, scenario), key=lambda o: o.placed_at, reverse=True
        )
        return render(
            request, "trainer_scenario.html", scenario=scenario, spec=spec, orders=orders,
            buyer=control.scenario_account(session, scenario, Role.BUYER),
            seller=control.scenario_account(session, scenario, Role.SELLER),
            buyer_password=scenarios.BUYER_PASSWORD,
            seller_password=scenarios.SELLER_PASSWORD,
            reasons=REASONS, actions=SellerAction,
            allowed={order.number: services.seller_actions(order) for order in orders},
            response_hours=request.app.state.settings.seller_response_hours,
            max_days=control.MAX_DAYS, max_hours=control.MAX_HOURS,
            max_length=request.app.state.settings.message_max_length,
        )


def _sign_in_as(request: Request, token: str, role: Role, landing: str) -> RedirectResponse:
    with request.app.state.db.transaction(write=False) as session:
        scenario = _scenario(session, token)
        deps.sign_in(request, control.scenario_account(session, scenario, role))
    return _see_other(landing)


@router.get("/{token}/buyer")
def sign_in_as_buyer(request: Request, token: str):
    """A link, so a trainer can open the buyer's view in a new tab."""
    return _sign_in_as(request, token, Role.BUYER, "/orders")


@router.get("/{token}/seller")
def sign_in_as_seller(request: Request, token: str):
    return _sign_in_as(request, token, Role.SELLER, "/seller")


@router.post("/{token}/clock", dependencies=[Depends(require_csrf)])
def advance_clock(request: Request, token: str, days: str = Form(""), hours: str = Form("")):
    page = f"{TRAINER}/{token}"
    try:
        with request.app.state.db.transaction() as session:
            scenario = _scenario(session, token)
            step = control.clock_step(days, hours)
            lapsed = services.advance_clock(session, scenario, step)
            note = f"The clock is now {scenario.now:%b %-d, %Y %H:%M}." + control.lapsed_note(
                lapsed
            )
    except (control.BadInput, services.ActionRefused) as error:
        flash(request, f"The clock did not move. {error}", "error")
        return _see_other(page)
    flash(request, note, "success")
    return _see_other(page)


@router.post("/{token}/orders/{number}/seller", dependencies=[Depends(require_csrf)])
def seller_action(
    request: Request,
    token: str,
    number: str,
    action: str = Form(""),
    message: str = Form(""),
):
    return act_from_form(
        request,
        lambda session: control.scenario_account(session, _scenario(session, token), Role.SELLER),
        number, action, message, page=f"{TRAINER}/{token}", refused_prefix="Nothing changed. ",
    )
