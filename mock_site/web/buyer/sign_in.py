"""The buyer's sign-in and sign-out."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from domain.lifecycle import Role
from domain.scenarios import BUYER_PASSWORD, DEMO_BUYER_EMAIL
from mock_site.web import deps
from mock_site.web.buyer.pages import CSRF, redirect
from mock_site.web.deps import DB, THROTTLE
from mock_site.web.security import flash
from mock_site.web.templating import render

router = APIRouter(include_in_schema=False)

WRONG_CREDENTIALS = "That e-mail and password do not match an account."


@router.get("/")
def home(request: Request) -> Response:
    signed_in = request.session.get("role") == Role.BUYER
    return redirect("/orders" if signed_in else "/login")


def _login_page(request: Request, status_code: int = 200, **context: Any) -> Response:
    return render(
        request, "login.html", status_code,
        demo_email=DEMO_BUYER_EMAIL, demo_password=BUYER_PASSWORD,
        **context,
    )


@router.get("/login")
def login_form(request: Request, next: str = "/orders") -> Response:
    return _login_page(request, next_url=deps.safe_next(next), email="")


@router.post("/login", dependencies=CSRF)
def login(
    request: Request,
    db: DB,
    throttle: THROTTLE,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/orders",
) -> Response:
    next_url = deps.safe_next(next)
    refused = deps.sign_in_with_password(
        request, db, throttle, Role.BUYER, email, password, wrong=(400, WRONG_CREDENTIALS))
    if refused is not None:
        return refused.on(_login_page(request, refused.status_code, next_url=next_url,
                                      email=email, error=refused.error))
    return redirect(next_url)


@router.post("/logout", dependencies=CSRF)
def logout(request: Request, db: DB) -> Response:
    with db.transaction() as session:
        deps.sign_out(request, session)
    flash(request, "You have signed out.", "info")
    return redirect("/login")
