"""The trainer page: start practice scenarios, move their clock, act as their seller, and
the one-time sign-in links the control API hands out."""

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from domain import scenarios
from domain.cancellation import REASONS
from domain.lifecycle import Role, SellerAction
from mock_site import services
from mock_site.core import sign_ins
from mock_site.core.models import Account
from mock_site.services import clock, control, retention
from mock_site.services.scenarios import create_scenario
from mock_site.services.seller import seller_actions
from mock_site.web import deps
from mock_site.web.copy_limit import take_copy
from mock_site.web.deps import CONFIG, DB, SUBMISSION
from mock_site.web.security import flash, require_csrf
from mock_site.web.seller import SELLER_FORM, act_from_form
from mock_site.web.templating import render

router = APIRouter(prefix="/trainer", include_in_schema=False)

TRAINER = "/trainer"
SIGN_IN_LINKS = f"{TRAINER}/sign-in"
LANDING = {Role.BUYER: "/orders", Role.SELLER: "/seller"}
TICKET_REFUSED = (
    "This sign-in link has expired or was already used. Open the shop again from the"
    " guide or the trainer page, or sign in with the practice e-mail and password."
)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _scenario(session, token: str):
    try:
        return control.get_scenario(session, token)
    except services.NotFound as error:
        raise HTTPException(404, "There is no practice scenario with that link.") from error


@router.get("")
def catalogue(request: Request):
    return render(
        request, "trainer.html", catalogue=scenarios.scenario_catalogue(),
        demo_token=scenarios.DEMO_TOKEN,
    )


@router.post("/scenarios", dependencies=[Depends(require_csrf)])
def start(request: Request, db: DB, submission: SUBMISSION, name: str = Form("")):
    take_copy(request)
    try:
        with db.transaction() as session:
            if replayed := submission.replay(session, None):
                return replayed
            scenario = create_scenario(session, name)
            return submission.done(
                session, None, f"{TRAINER}/{scenario.token}",
                "A fresh copy of the scenario is ready: nobody else uses its orders.",
            )
    except scenarios.UnknownScenario as error:
        flash(request, error.args[0], "error")
        return _see_other(TRAINER)


@router.get("/{token}")
def scenario_page(request: Request, db: DB, config: CONFIG, token: str):
    with db.transaction(write=False) as session:
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
            allowed={order.number: seller_actions(order) for order in orders},
            response_hours=config.seller_response_hours,
            max_days=control.MAX_DAYS, max_hours=control.MAX_HOURS,
            max_length=config.message_max_length,
        )


@router.get("/sign-in/{ticket}")
def sign_in_with_link(request: Request, db: DB, ticket: str):
    """A one-time link from the control API: signs in once, for ten minutes at most."""
    with db.transaction() as session:
        try:
            account = sign_ins.redeem_ticket(session, ticket, sign_ins.utc_now())
        except sign_ins.TicketRefused as refused:
            owner = session.get(Account, refused.account_id) if refused.account_id else None
            if owner is not None and _already_signed_in(request, session, owner):
                # The same browser opening the link again (a reload, the guide's frame and
                # its "new tab" button): it is signed in already, nobody new is.
                return _see_other(LANDING[owner.role])
            raise HTTPException(410, TICKET_REFUSED) from None
        deps.sign_in(request, session, account)
        return _see_other(LANDING[account.role])


def _already_signed_in(request: Request, session, account: Account) -> bool:
    signed_in = deps.signed_in_account(request, session, account.role)
    return signed_in is not None and signed_in.id == account.id


def _sign_in_as(request: Request, db, token: str, role: Role) -> RedirectResponse:
    with db.transaction() as session:
        scenario = _scenario(session, token)
        deps.sign_in(request, session, control.scenario_account(session, scenario, role))
    return _see_other(LANDING[role])


@router.post("/{token}/buyer", dependencies=[Depends(require_csrf)])
def sign_in_as_buyer(request: Request, db: DB, token: str):
    """A form with the page's token, so no other site can sign a visitor in."""
    return _sign_in_as(request, db, token, Role.BUYER)


@router.post("/{token}/seller", dependencies=[Depends(require_csrf)])
def sign_in_as_seller(request: Request, db: DB, token: str):
    return _sign_in_as(request, db, token, Role.SELLER)


@router.post("/{token}/clock", dependencies=[Depends(require_csrf)])
def advance_clock(
    request: Request, db: DB, submission: SUBMISSION, token: str,
    days: str = Form(""), hours: str = Form(""),
):
    page = f"{TRAINER}/{token}"
    try:
        with db.transaction() as session:
            if replayed := submission.replay(session, None):
                return replayed
            scenario = _scenario(session, token)
            step = control.clock_step(days, hours)
            lapsed = clock.advance_clock(session, scenario, step)
            retention.touch(scenario)
            note = f"The clock is now {scenario.now:%b %-d, %Y %H:%M}." + control.lapsed_note(
                lapsed
            )
            return submission.done(session, None, page, note)
    except (control.BadInput, services.ActionRefused) as error:
        flash(request, f"The clock did not move. {error}", "error")
        return _see_other(page)


@router.post("/{token}/orders/{number}/seller", dependencies=[Depends(require_csrf)])
def seller_action(
    request: Request,
    db: DB,
    config: CONFIG,
    submission: SUBMISSION,
    form: SELLER_FORM,
    token: str,
    number: str,
):
    @contextmanager
    def as_scenario_seller() -> Iterator[tuple[Session, Account, None]]:
        with db.transaction() as session:
            scenario = _scenario(session, token)
            retention.touch(scenario)  # the scenario's row first, then its order's
            seller = control.scenario_account(session, scenario, Role.SELLER)
            yield session, seller, None

    return act_from_form(
        request, as_scenario_seller, submission, number, form,
        config.message_max_length, page=f"{TRAINER}/{token}", refused_prefix="Nothing changed. ",
    )
