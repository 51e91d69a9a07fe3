"""The coach: a flow as a live, step-by-step tour on the storefront's own pages.

``GET /coach/{flow_id}`` says what starting does; its Start button (``POST``) makes a fresh
copy of the flow's scenario and opens the flow's first page with the coach on (a cookie
holding the tour's key). The page then loads
``/static/coach/coach.js``, which reads the tour from ``GET /coach/tour`` and reports
each step done to ``POST /coach/tour/progress``; the guide reads that progress from
``GET /api/coach/{key}``. Part of the control surface: off when control is off.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import scenarios
from domain.lifecycle import Role
from flowspec import placeholders
from flowspec.contract import CoachProgress, PracticeStep
from flowspec.paths import load_flows
from flowspec.steps import AdvanceClock, Flow, Goto, SellerAction
from flowspec.tour import coach_step, tour_steps
from mock_site import services
from mock_site.core import sign_ins
from mock_site.core.models import CoachTour
from mock_site.services import clock, control, retention
from mock_site.services.scenarios import create_scenario
from mock_site.web import deps
from mock_site.web.copy_limit import take_copy
from mock_site.web.deps import CONFIG, DB
from mock_site.web.security import COACH_COOKIE, csrf_token, require_csrf
from mock_site.web.templating import render

router = APIRouter(include_in_schema=False)
COOKIE = COACH_COOKIE
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
HINT_LENGTH = 400


@lru_cache(maxsize=1)
def flows() -> dict[str, Flow]:
    """Every flow in ``flowspec/paths/``, loaded once: a tour is a flow."""
    return load_flows()


def _flow(flow_id: str) -> Flow:
    flow = flows().get(flow_id)
    if flow is None:
        known = ", ".join(flows())
        raise HTTPException(404, f"There is no tour called “{flow_id}”. Tours: {known}.")
    return flow


def scenario_values(session: Session, tour: CoachTour, *, tickets: bool = False) -> dict[str, Any]:
    """What fills the flow's ``{placeholders}``: the same fields the runner fills them from.

    With ``tickets``, each ``{buyer_ticket}``/``{seller_ticket}`` is a fresh one-time
    sign-in ticket, made when it is used (a write); without, a stand-in that signs nobody
    in, so no ticket is ever put in a page.
    """
    scenario = tour.scenario
    accounts = {role: control.scenario_account(session, scenario, role) for role in Role}

    def ticket(role: str) -> str:
        return sign_ins.issue_ticket(session, accounts[Role(role)], sign_ins.utc_now())

    return placeholders.scenario_values(
        token=scenario.token,
        buyer_email=accounts[Role.BUYER].email,
        buyer_password=scenarios.BUYER_PASSWORD,
        seller_email=accounts[Role.SELLER].email,
        seller_password=scenarios.SELLER_PASSWORD,
        orders=[order.number for order in control.scenario_orders(session, scenario)],
        ticket=ticket if tickets else None,
    )


def _tour(session: Session, cookie: str | None) -> CoachTour:
    """The tour this browser's coach cookie (``key~token``) names, on the copy it started."""
    key, _, token = (cookie or "").partition("~")
    tour = session.scalar(select(CoachTour).where(CoachTour.key == key)) if key else None
    if tour is None or tour.scenario.token != token:
        raise HTTPException(404, "No coached practice is running in this browser.")
    return tour


def progress(tour: CoachTour, flow: Flow) -> CoachProgress:
    """The tour's state as the guide's Practice page shows it."""
    return CoachProgress(
        key=tour.key, flow_id=tour.flow_id, title=flow.title, token=tour.scenario.token,
        step=tour.step, total=len(flow.steps), done=tour.done,
        completed=len(flow.steps) if tour.done else tour.step - 1, hint=tour.hint,
        steps=tuple(PracticeStep(number=n, id=s.id, title=s.title)
                    for n, s in enumerate(flow.steps, 1)),
    )


# --- the panel's own endpoints (declared before /coach/{flow_id}) --------------------


@router.get("/coach/tour")
def tour_for_panel(request: Request, db: DB) -> JSONResponse:
    """Everything the panel needs: the filled-in steps, where the trainee is, a CSRF token."""
    with db.transaction(write=False) as session:
        tour = _tour(session, request.cookies.get(COOKIE))
        flow = _flow(tour.flow_id)
        values = scenario_values(session, tour)
        body = progress(tour, flow).model_dump(mode="json") | {
            "steps": tour_steps(flow, values),
            "start_over": f"/coach/{flow.id}?practice={tour.key}",
            "csrf": csrf_token(request),
            "values": values,
        }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.post("/coach/tour/progress", dependencies=[Depends(require_csrf)])
def report_progress(
    request: Request,
    db: DB,
    step: Annotated[int, Form(ge=1, le=200)],
    done: Annotated[bool, Form()] = False,
    hint: Annotated[str, Form(max_length=HINT_LENGTH)] = "",
) -> JSONResponse:
    """The panel's judgement of the page (each step judged after the one before it);
    a tour only moves forward."""
    with db.transaction() as session:
        tour = _tour(session, request.cookies.get(COOKIE))
        flow = _flow(tour.flow_id)
        total = len(flow.steps)
        if step > total or step < tour.step:
            raise HTTPException(409, f"The tour is on step {tour.step} of {total}; "
                                     f"step {step} cannot be reported now.")
        tour.step, tour.hint = step, hint.strip()
        tour.done = tour.done or (done and step == total)
        retention.touch(tour.scenario)
        body = progress(tour, flow).model_dump(mode="json")
    return JSONResponse(body)


@router.post("/coach/tour/act", dependencies=[Depends(require_csrf)])
def act_for_trainee(
    request: Request, db: DB, settings: CONFIG, step: Annotated[int, Form(ge=1, le=200)]
) -> JSONResponse:
    """A step the buyer cannot do (time passing, the seller's answer), done as the flow does."""
    with db.transaction() as session:
        tour = _tour(session, request.cookies.get(COOKIE))
        flow = _flow(tour.flow_id)
        declared = coach_step(flow, step)
        if declared is None or step < tour.step:
            raise HTTPException(409, f"The tour is on step {tour.step}, not step {step}.")
        tour.step = step
        filled = declared.filled_in(scenario_values(session, tour))
        action = filled.action
        try:
            if isinstance(action, AdvanceClock):
                delta = control.clock_step(action.days, action.hours)
                clock.advance_clock(session, tour.scenario, delta)
                message = f"The clock is now {tour.scenario.now:%b %-d, %Y %H:%M}."
            elif isinstance(action, SellerAction):
                seller = control.scenario_account(session, tour.scenario, Role.SELLER)
                message = control.act_as_seller(
                    session, seller, action.order, action.answer, action.message,
                    settings.message_max_length,
                ).message
            else:
                raise HTTPException(409, f"Step {step} is yours to do in the page.")
            retention.touch(tour.scenario)
        except (control.BadInput, services.ActionRefused) as error:
            raise HTTPException(409, f"Nothing changed. {error}") from error
    return JSONResponse({"message": message})


@router.post("/coach/tour/go", dependencies=[Depends(require_csrf)])
def go_for_trainee(
    request: Request, db: DB, step: Annotated[int, Form(ge=1, le=200)]
) -> JSONResponse:
    """Where a "go to" step leads, filled in on the server at the moment of going (a
    sign-in link is made for this one use, never put in a page)."""
    with db.transaction() as session:
        tour = _tour(session, request.cookies.get(COOKIE))
        declared = coach_step(_flow(tour.flow_id), step)
        if declared is None or not isinstance(declared.action, Goto):
            raise HTTPException(409, f"Step {step} does not go to another page.")
        filled = declared.filled_in(scenario_values(session, tour, tickets=True)).action
        retention.touch(tour.scenario)
    assert isinstance(filled, Goto), "filling in a step keeps its action"
    return JSONResponse({"location": filled.path})


@router.post("/coach/tour/stop", dependencies=[Depends(require_csrf)])
def stop(request: Request) -> Response:
    """Close the coach in this browser; the practice copy and its progress stay."""
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response


# --- starting a tour, and the guide's view of it -------------------------------------


@router.get("/coach/{flow_id}")
def start_page(request: Request, flow_id: str, practice: str | None = None) -> Response:
    """What starting the tour does, and a Start button: opening a link changes nothing."""
    flow = _flow(flow_id)
    key = _practice_key(practice)
    return render(request, "coach_start.html", flow=flow, practice=key,
                  signs_out=not _signs_in(flow))


@router.post("/coach/{flow_id}", dependencies=[Depends(require_csrf)])
def start(
    request: Request, db: DB, settings: CONFIG, flow_id: str,
    practice: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    """A fresh copy of the flow's scenario, signed in as the flow starts, coach on.

    ``practice`` is a key chosen by the guide, so it can read this tour's progress;
    starting again with the same key starts over on a new copy. Whoever is signed in stays
    so unless the tour starts signed out (its first page is the sign-in form).
    """
    flow = _flow(flow_id)
    key = _practice_key(practice) or secrets.token_urlsafe(24)
    take_copy(request)
    with db.transaction() as session:
        scenario = create_scenario(session, flow.scenario)
        tour = session.scalar(select(CoachTour).where(CoachTour.key == key))
        if tour is None:
            tour = CoachTour(key=key, flow_id=flow.id, scenario_id=scenario.id)
            session.add(tour)
        tour.flow_id, tour.scenario, tour.step, tour.done, tour.hint = (
            flow.id, scenario, 1, False, "")
        session.flush()
        first = flow.steps[0].filled_in(scenario_values(session, tour, tickets=True))
        first_token = scenario.token
        if not _signs_in(flow):
            deps.sign_out(request, session)
    # The flow's first step says where it starts: a page a signed-out shopper sees (sign-in)
    # or a one-time sign-in link.
    landing = getattr(first.action, "path", None) or "/"
    response = RedirectResponse(landing, status_code=303)
    # The copy's token in the cookie too: a page knows its tour changed when it starts over.
    response.set_cookie(COOKIE, f"{key}~{first_token}", httponly=True, samesite="lax", path="/",
                        secure=settings.env == "production")
    return response


def _practice_key(practice: str | None) -> str | None:
    if practice and not KEY.fullmatch(practice):
        raise HTTPException(422, "The practice key must be 16 to 64 letters, digits, - or _.")
    return practice or None


def _signs_in(flow: Flow) -> bool:
    """Whether the tour's first step signs its shopper in (a one-time sign-in link);
    otherwise it starts on a page a signed-out shopper sees."""
    first = flow.steps[0].action
    return isinstance(first, Goto) and any(f"{{{name}}}" in first.path
                                           for name in placeholders.TICKETS)


@router.get("/api/coach/{key}")
def tour_progress(db: DB, key: str) -> CoachProgress:
    """How far the trainee got: the guide's Practice page shows this as its progress."""
    if not KEY.fullmatch(key):
        raise HTTPException(404, "There is no coached practice with that key.")
    with db.transaction(write=False) as session:
        tour = session.scalar(select(CoachTour).where(CoachTour.key == key))
        if tour is None:
            raise HTTPException(404, "There is no coached practice with that key.")
        return progress(tour, _flow(tour.flow_id))
