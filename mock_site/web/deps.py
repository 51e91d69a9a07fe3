"""Request dependencies: the database, the settings, and who is signed in."""

from fastapi import Request

from mock_site.db import Database
from mock_site.settings import Settings


class SignInRequired(Exception):
    """Raised by a page that needs a signed-in buyer or seller; answered with a redirect."""

    def __init__(self, role: str, next_url: str):
        self.role = role
        self.next_url = next_url


# ``async`` although they do not wait for anything: FastAPI runs a plain ``def``
# dependency in the thread pool, one more thread hop per request for a dict lookup.
async def database(request: Request) -> Database:
    return request.app.state.db


async def settings(request: Request) -> Settings:
    return request.app.state.settings


def account_id(request: Request, role: str) -> int:
    """The signed-in account of ``role``, or a redirect to that role's sign-in page."""
    if request.session.get("role") != role or "account_id" not in request.session:
        raise SignInRequired(role, request.url.path)
    return request.session["account_id"]


def sign_in(request: Request, account) -> None:
    csrf = request.session.get("csrf")
    request.session.clear()  # a new session on sign-in: no fixation
    if csrf:
        request.session["csrf"] = csrf
    request.session["account_id"] = account.id
    request.session["role"] = account.role


def sign_out(request: Request) -> None:
    request.session.clear()
