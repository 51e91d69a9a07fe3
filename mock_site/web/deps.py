"""Request dependencies: the database, the settings, who is signed in, the buyer's order,
the sign-in throttle and the form being submitted.

Who is signed in is checked against the server's sign-in records inside the view's own
transaction (``SignedIn.transaction``), not in a dependency of its own: on SQLite a
writer holds the lock from ``BEGIN``, and a transaction left open between two thread
hops would let another request take the only worker and wait on that lock forever.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, NamedTuple
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from domain.lifecycle import Role
from mock_site import services
from mock_site.core import sign_ins
from mock_site.core.db import Database, lock_name
from mock_site.core.models import Account, Order
from mock_site.core.settings import Settings
from mock_site.services import accounts, orders
from mock_site.web.security import flash
from mock_site.web.throttle import Attempt, SignInThrottle, too_many_attempts_message

SIGN_IN_PAGES: dict[str, str] = {Role.BUYER: "/login", Role.SELLER: "/seller/login"}
SESSION_KEY = "sign_in"
SUBMISSION_FIELD = "submission"
NEXT_MAX_LENGTH = 500


class SignInRequired(Exception):
    """Raised by a page that needs a signed-in buyer or seller; answered with a redirect."""

    def __init__(self, role: str, next_url: str):
        self.role = role
        self.next_url = next_url

    def location(self) -> str:
        return f"{SIGN_IN_PAGES[self.role]}?next={quote(self.next_url, safe='/')}"


class OrderNotFound(LookupError):
    """The signed-in buyer has no order with that number; answered with the 404 page."""

    def __init__(self, buyer_id: int):
        self.buyer_id = buyer_id


# ``async`` although they do not wait for anything: FastAPI runs a plain ``def``
# dependency in the thread pool, one more thread hop per request for a dict lookup.
async def database(request: Request) -> Database:
    return request.app.state.db


async def settings(request: Request) -> Settings:
    return request.app.state.settings


async def throttle(request: Request) -> SignInThrottle:
    return request.app.state.throttle


DB = Annotated[Database, Depends(database)]
CONFIG = Annotated[Settings, Depends(settings)]
THROTTLE = Annotated[SignInThrottle, Depends(throttle)]


# --- who is signed in -------------------------------------------------------------------

def sign_in(request: Request, session: Session, account: Account) -> None:
    """A new session on sign-in (no fixation), recorded on the server; the form token stays."""
    csrf = request.session.get("csrf")
    request.session.clear()
    if csrf:
        request.session["csrf"] = csrf
    request.session[SESSION_KEY] = sign_ins.start(session, account, sign_ins.utc_now())
    request.session["role"] = account.role


@dataclass(frozen=True)
class SignInRefused:
    """A sign-in form shown again: its status, its message, and when to try again (429)."""

    status_code: int
    error: str
    retry_after: int | None = None

    def on(self, page: Response) -> Response:
        """The form page, told when to try again after too many attempts."""
        if self.retry_after is not None:
            page.headers["Retry-After"] = str(self.retry_after)
        return page


def sign_in_with_password(
    request: Request, db: Database, throttle: SignInThrottle, role: Role,
    email: str, password: str, wrong: tuple[int, str],
) -> SignInRefused | None:
    """Both sign-in forms: throttled, checked, then signed in; ``wrong`` is their refusal."""
    # Counted before the password is checked, so simultaneous guesses cannot all get in.
    counted = throttle.count(Attempt(role, email, request.client.host if request.client else ""))
    if (wait := counted.retry_after) is not None:
        return SignInRefused(429, too_many_attempts_message(wait), retry_after=wait)
    with db.transaction(write=False) as session:  # a wrong password changes nothing
        account = accounts.authenticate(session, email, password, role)
    if account is None:
        return SignInRefused(*wrong)
    throttle.succeeded(counted)
    with db.transaction() as session:
        sign_in(request, session, account)
    return None


def sign_out(request: Request, session: Session) -> None:
    """Ends the session on the server too, so a copy of the cookie opens nothing."""
    key = request.session.get(SESSION_KEY)
    if isinstance(key, str):
        sign_ins.end(session, key)
    request.session.clear()


def signed_in_account(request: Request, session: Session, role: str) -> Account | None:
    """The account this request's session is a live sign-in of, as ``role``; or None."""
    key = request.session.get(SESSION_KEY)
    if not isinstance(key, str):
        return None
    return sign_ins.account_for(session, key, role, sign_ins.utc_now())


@dataclass(frozen=True)
class SignedIn:
    """The signed-in buyer or seller, looked up in the view's own transaction."""

    request: Request
    db: Database
    role: str

    def account(self, session: Session) -> Account:
        account = signed_in_account(self.request, session, self.role)
        if account is None:
            if self.request.session.get("role") == self.role:
                # Signed out elsewhere, expired, or the account is gone: forget it here too.
                self.request.session.pop(SESSION_KEY, None)
                self.request.session.pop("role", None)
            raise SignInRequired(self.role, self.request.url.path)
        return account

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[tuple[Session, Account]]:
        with self.db.transaction(write=write) as session:
            yield session, self.account(session)


async def signed_in_buyer(request: Request, db: DB) -> SignedIn:
    return SignedIn(request, db, Role.BUYER)


async def signed_in_seller(request: Request, db: DB) -> SignedIn:
    return SignedIn(request, db, Role.SELLER)


BUYER = Annotated[SignedIn, Depends(signed_in_buyer)]
SELLER = Annotated[SignedIn, Depends(signed_in_seller)]


class OrderView(NamedTuple):
    """The buyer's order inside one transaction, with the session and the buyer."""

    session: Session
    buyer: Account
    order: Order


@dataclass(frozen=True)
class BuyerOrder:
    """The signed-in buyer's order of the address; any other number is the 404 page."""

    buyer: SignedIn
    number: str

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[OrderView]:
        """The order, row-locked when ``write`` (a change follows), with its buyer."""
        with self.buyer.transaction(write=write) as (session, buyer):
            try:
                order = orders.buyer_order(session, buyer, self.number, lock=write)
            except services.NotFound:
                raise OrderNotFound(buyer.id) from None
            yield OrderView(session, buyer, order)


async def buyer_order(buyer: BUYER, number: str) -> BuyerOrder:
    return BuyerOrder(buyer, number)


BUYER_ORDER = Annotated[BuyerOrder, Depends(buyer_order)]


# --- where a form may send someone next -------------------------------------------------

def safe_next(url: object, *, within: str = "/", default: str = "/orders") -> str:
    """``url`` if it is a path on this site under ``within``, else ``default``.

    Refused: anything not starting with one ``/`` (``//host`` and ``https://host`` leave
    the site), a backslash anywhere (browsers read ``/\\host`` as ``//host``), control
    characters (browsers drop tabs and newlines, so ``/\\t/host`` is ``//host``), and
    paths outside ``within``.
    """
    if not isinstance(url, str) or not url or len(url) > NEXT_MAX_LENGTH:
        return default
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return default
    if within != "/" and not (url == within or url.startswith((within + "/", within + "?"))):
        return default
    return url


# --- the form being submitted -----------------------------------------------------------

@dataclass(frozen=True)
class Submission:
    """One sending of a form, named by the random key the form carries.

    A double submit (a second press before the first answer came back, or the form sent
    again later) gets the first submit's outcome: the same message, the same page.
    """

    request: Request
    key: str

    def replay(self, session: Session, account_id: int | None) -> RedirectResponse | None:
        if self.key:  # a second send of this form waits here until the first has answered
            lock_name(session, f"form {account_id} {self.key}")
        answer = sign_ins.answer_for(session, self.key, account_id)
        if answer is None:
            return None
        flash(self.request, answer.message, answer.kind)
        return RedirectResponse(answer.redirect_to, status_code=303)

    def done(
        self, session: Session, account_id: int | None, redirect_to: str, message: str,
        kind: str = "success",
    ) -> RedirectResponse:
        """Flash ``message``, redirect, and remember both for this form's double submit."""
        answer = sign_ins.Answer(redirect_to, message, kind)
        sign_ins.remember_answer(session, self.key, account_id, answer, sign_ins.utc_now())
        flash(self.request, message, kind)
        return RedirectResponse(redirect_to, status_code=303)


async def submission(request: Request) -> Submission:
    key = (await request.form()).get(SUBMISSION_FIELD)
    return Submission(request, key if isinstance(key, str) else "")


SUBMISSION = Annotated[Submission, Depends(submission)]
