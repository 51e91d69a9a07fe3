"""The seller console: the store's orders, cancellation requests and messages."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from domain.cancellation import REASONS
from domain.lifecycle import Role, SellerAction
from domain.payments import refund_window
from domain.scenarios import DEMO_SELLER_EMAIL, SELLER_PASSWORD
from mock_site import services
from mock_site.core.models import Account, Order
from mock_site.services import control, page_reads
from mock_site.services.clock import now_for
from mock_site.services.seller import seller_actions, seller_order
from mock_site.services.wallet import refund_tracker
from mock_site.web import deps
from mock_site.web.deps import CONFIG, DB, SELLER, SUBMISSION, THROTTLE, Submission
from mock_site.web.security import flash, require_csrf
from mock_site.web.templating import render

router = APIRouter(prefix="/seller", include_in_schema=False)

CONSOLE = "/seller"
SIGN_IN = "/seller/login"


@dataclass(frozen=True)
class SellerForm:
    """What a seller's action form sends, in the console and on the trainer page alike:
    the action's word and, for a reply, the message."""

    action: str
    message: str


def seller_form(
    action: Annotated[str, Form()] = "", message: Annotated[str, Form()] = "",
) -> SellerForm:
    return SellerForm(action, message)


SELLER_FORM = Annotated[SellerForm, Depends(seller_form)]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


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
        tracker = refund_tracker(refund)
        lines.append({
            "amount_cents": refund.amount_cents,
            "method": refund_window(refund.method).label,
            "reached": tracker.stages_reached(now),
            "paid_at": tracker.paid_at,
        })
    return lines


def _next(url: str | None) -> str:
    """Only a page of the console itself, so a link cannot send the seller elsewhere."""
    return deps.safe_next(url, within=CONSOLE, default=CONSOLE)


@router.get("/login")
def login_page(request: Request, config: CONFIG, next: str | None = None):
    return _login_page(request, config, next, email="")


def _login_page(request: Request, config: CONFIG, next: str | None, status_code: int = 200,
                **context):
    return render(
        request, "seller_login.html", status_code=status_code, next=_next(next),
        demo_email=DEMO_SELLER_EMAIL, demo_password=SELLER_PASSWORD,
        control_enabled=config.control_enabled, **context,
    )


@router.post("/login", dependencies=[Depends(require_csrf)])
def login(
    request: Request,
    db: DB,
    config: CONFIG,
    throttle: THROTTLE,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = CONSOLE,
):
    refused = deps.sign_in_with_password(
        request, db, throttle, Role.SELLER, email, password,
        wrong=(401, "That email and password do not match a seller account."),
    )
    if refused is not None:
        return refused.on(_login_page(request, config, next, status_code=refused.status_code,
                                      email=email, error=refused.error))
    return _see_other(_next(next))


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request, db: DB):
    with db.transaction() as session:
        deps.sign_out(request, session)
    flash(request, "You are signed out of the seller console.", "success")
    return _see_other(SIGN_IN)


@router.get("")
def console(request: Request, signed_in: SELLER):
    with signed_in.transaction(write=False) as (session, seller):
        orders = page_reads.seller_orders(session, seller)
        return render(
            request, "seller_console.html", seller=seller, orders=orders,
            flags={order.number: order_flags(order) for order in orders},
            now=now_for(session, seller),
        )


@router.get("/orders/{number}")
def order_page(request: Request, signed_in: SELLER, config: CONFIG, number: str):
    with signed_in.transaction(write=False) as (session, seller):
        try:
            order = seller_order(session, seller, number, lock=False)
        except services.NotFound as error:
            raise HTTPException(404, str(error)) from error
        return render(
            request, "seller_order.html", seller=seller, order=order,
            request_pending=order.pending_cancellation, reasons=REASONS,
            allowed=seller_actions(order), actions=SellerAction,
            max_length=config.message_max_length,
            method_label=refund_window(order.payment_method).label,
            refunds=refund_lines(order, now_for(session, order)),
            now=now_for(session, order),
        )


@router.post("/orders/{number}/actions", dependencies=[Depends(require_csrf)])
def order_action(
    request: Request,
    signed_in: SELLER,
    config: CONFIG,
    submission: SUBMISSION,
    form: SELLER_FORM,
    number: str,
):
    """Every button on the order page posts here; the answer is a flash on the same page."""

    @contextmanager
    def as_signed_in_seller() -> Iterator[tuple[Session, Account, int]]:
        with signed_in.transaction() as (session, seller):
            yield session, seller, seller.id

    return act_from_form(
        request, as_signed_in_seller, submission, number, form,
        config.message_max_length, page=f"{CONSOLE}/orders/{number}",
    )


SellerScope = Callable[[], AbstractContextManager[tuple[Session, Account, int | None]]]


def act_from_form(
    request: Request,
    transaction: SellerScope,
    submission: Submission,
    number: str,
    form: SellerForm,
    max_length: int,
    page: str,
    refused_prefix: str = "",
) -> Response:
    """A seller action posted from a page (the console's or the trainer's): done or refused,
    the answer is a flash on ``page``; an order of another store is not found. A second
    submit of the same form shows the first one's outcome. ``transaction`` gives the
    session, the acting seller and who submitted (None: the trainer)."""
    try:
        with transaction() as (session, seller, submitter):
            if replayed := submission.replay(session, submitter):
                return replayed
            done = control.act_as_seller(
                session, seller, number, form.action, form.message, max_length)
            return submission.done(session, submitter, page, done.message)
    except services.NotFound as error:
        raise HTTPException(404, str(error)) from error
    except (services.ActionRefused, control.BadInput) as error:
        flash(request, f"{refused_prefix}{error}", "error")
        return _see_other(page)
