"""The messages between the buyer and the seller of an order."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from domain.lifecycle import Role
from mock_site import services
from mock_site.core.settings import Settings
from mock_site.services import orders
from mock_site.web import deps
from mock_site.web.buyer.pages import CSRF, order_page
from mock_site.web.deps import BUYER_ORDER, CONFIG, SUBMISSION

router = APIRouter(include_in_schema=False)


def _messages_page(
    request: Request, view: deps.OrderView, config: Settings, status_code: int = 200,
    *, error: str | None = None, draft: str = "",
) -> Response:
    return order_page(
        request, view, "messages.html", status_code,
        error=error, draft=draft, max_length=config.message_max_length,
    )


@router.get("/orders/{number}/messages")
def messages(request: Request, found: BUYER_ORDER, config: CONFIG) -> Response:
    with found.transaction(write=False) as view:
        return _messages_page(request, view, config)


@router.post("/orders/{number}/messages", dependencies=CSRF)
def send_message(
    request: Request,
    found: BUYER_ORDER,
    config: CONFIG,
    submission: SUBMISSION,
    body: Annotated[str, Form()] = "",
) -> Response:
    with found.transaction() as view:
        if replayed := submission.replay(view.session, view.buyer.id):
            return replayed
        try:
            orders.send_message(view.session, view.order, Role.BUYER, body,
                                config.message_max_length)
        except services.ActionRefused as refusal:
            return _messages_page(request, view, config, 400, error=str(refusal), draft=body)
        return submission.done(view.session, view.buyer.id,
                               f"/orders/{view.order.number}/messages",
                               "Your message was sent to the seller.")
