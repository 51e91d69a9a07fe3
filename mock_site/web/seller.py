"""The seller console: the store's orders, cancellation requests and messages."""

from collections.abc import Callable

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from domain.cancellation import REASONS
from domain.lifecycle import Role, SellerAction
from domain.payments import refund_window
from domain.scenarios import DEMO_SELLER_EMAIL, SELLER_PASSWORD
from mock_site import control, services
from mock_site.models import Account, Order
from mock_site.web import deps
from mock_site.web.security import flash, require_csrf
from mock_site.web.templating import render

router = APIRouter(prefix="/seller", include_in_schema=False)

CONSOLE = "/seller"
SIGN_IN = "/seller/login"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _signed_in_seller(request: Request, session: Session) -> Account:
    """The seller of this session; a stale or foreign session goes back to sign-in."""
    account_id = deps.account_id(request, Role.SELLER)
    seller = services.get_account(session, account_id)
    if seller is None or seller.role != Role.SELLER:
        deps.sign_out(request)
        raise deps.SignInRequired(Role.SELLER, request.url.path)
    return seller


def _safe_next(url: str | None) -> str:
    """Only a page of the console itself, so a link cannot send the seller elsewhere."""
    if url and url.startswith(CONSOLE) and not url.startswith("//") and "\\" not in url:
        return url
    return CONSOLE


def order_flags(order: Order) -> list[str]:
    """What needs the seller's attention on an order."""
    flags = []
    if order.pending_cancellation is not None:
        flags.append("Cancellation request")
    if order.messages and order.messages[-1].sender == Role.BUYER:
        flags.append("New message")
    return flags


def refund_lines(order: Order, now) -> list[dict]:
    """Each refund of the order with how far its tracker has got at ``now``."""
    lines = []
    for refund in order.refunds:
        tracker = services.refund_tracker(refund)
        lines.append({
            "amount_cents": refund.amount_cents,
            "method": refund_window(refund.method).label,
            "reached": tracker.stages_reached(now),
            "paid_at": tracker.paid_at,
        })
    return lines


@router.get("/login")
def login_page(request: Request, next: str | None = None):
    return _login_page(request, next, email="")


def _login_page(request: Request, next: str | None, status_code: int = 200, **context):
    return render(
        request, "seller_login.html", status_code=status_code, next=_safe_next(next),
        demo_email=DEMO_SELLER_EMAIL, demo_password=SELLER_PASSWORD,
        control_enabled=request.app.state.settings.control_enabled, **context,
    )


@router.post("/login", dependencies=[Depends(require_csrf)])
def login(
    request: Request,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form(CONSOLE),
):
    with request.app.state.db.transaction(write=False) as session:
        seller = services.authenticate(session, email, password, Role.SELLER)
        if seller is not None:
            deps.sign_in(request, seller)
    if seller is None:
        return _login_page(
            request, next, status_code=401, email=email,
            error="That email and password do not match a seller account.",
        )
    return _see_other(_safe_next(next))


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request):
    deps.sign_out(request)
    flash(request, "You are signed out of the seller console.", "success")
    return _see_other(SIGN_IN)


@router.get("")
def console(request: Request):
    with request.app.state.db.transaction(write=False) as session:
        seller = _signed_in_seller(request, session)
        orders = services.seller_orders(session, seller)
        return render(
            request, "seller_console.html", seller=seller, orders=orders,
            flags={order.number: order_flags(order) for order in orders},
            now=services.now_for(session, seller),
        )


@router.get("/orders/{number}")
def order_page(request: Request, number: str):
    with request.app.state.db.transaction(write=False) as session:
        seller = _signed_in_seller(request, session)
        try:
            order = services.seller_order(session, seller, number)
        except services.NotFound as error:
            raise HTTPException(404, str(error)) from error
        return render(
            request, "seller_order.html", seller=seller, order=order,
            request_pending=order.pending_cancellation, reasons=REASONS,
            allowed=services.seller_actions(order), actions=SellerAction,
            max_length=request.app.state.settings.message_max_length,
            method_label=refund_window(order.payment_method).label,
            refunds=refund_lines(order, services.now_for(session, order)),
            now=services.now_for(session, order),
        )


@router.post("/orders/{number}/actions", dependencies=[Depends(require_csrf)])
def order_action(
    request: Request,
    number: str,
    action: str = Form(""),
    message: str = Form(""),
):
    """Every button on the order page posts here; the answer is a flash on the same page."""
    return act_from_form(
        request, lambda session: _signed_in_seller(request, session), number, action, message,
        page=f"{CONSOLE}/orders/{number}",
    )


def act_from_form(
    request: Request,
    seller_of: Callable[[Session], Account],
    number: str,
    action: str,
    message: str,
    page: str,
    refused_prefix: str = "",
) -> RedirectResponse:
    """A seller action posted from a page (the console's or the trainer's): done or refused,
    the answer is a flash on ``page``; an order of another store is not found."""
    try:
        with request.app.state.db.transaction() as session:
            done = control.act_as_seller(
                session, seller_of(session), number, action, message,
                request.app.state.settings.message_max_length,
            )
    except services.NotFound as error:
        raise HTTPException(404, str(error)) from error
    except (services.ActionRefused, control.BadInput) as error:
        flash(request, f"{refused_prefix}{error}", "error")
        return _see_other(page)
    flash(request, done.message, "success")
    return _see_other(page)
