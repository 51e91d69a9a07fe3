"""Who is signed in, kept on the server: sign-in records, one-time sign-in tickets, and the
answers already given to submitted forms.

The session cookie carries only a random key; the record it names says whose session it
is. Deleting the record ends every copy of that cookie at once (sign-out), and deleting
all of an account's records ends all its sessions (a password change). Only a hash of
each key is stored, so a copy of the database opens no session. Times here are real
(UTC), not a scenario's simulated clock.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from domain.scenarios import DEMO_TOKEN
from flowspec.contract.control import SIGN_IN_LINK_LIFETIME
from mock_site.core.models import Account, AnsweredForm, Scenario, SignIn, SignInTicket

# As long as the session cookie lives (Starlette's default); then sign in again.
SESSION_LIFETIME = timedelta(days=14)
# As long as the control API promises its sign-in links work.
TICKET_LIFETIME = SIGN_IN_LINK_LIFETIME
# How long the answer to a submitted form is kept to answer its double submit.
ANSWER_LIFETIME = timedelta(days=1)
KEY_MAX_LENGTH = 64
# Live sessions one account may hold (a shared demo account: one per trainee signed in).
SESSIONS_PER_ACCOUNT = 100

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Real time, naive UTC, as the database keeps it."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_key() -> str:
    return secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    # Keys come from requests: anything not a plain short key matches nothing.
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


# --- sessions ---------------------------------------------------------------------------

def start(session: Session, account: Account, now: datetime) -> str:
    """A new session for ``account``; returns the key the cookie keeps.

    An account keeps at most ``SESSIONS_PER_ACCOUNT`` live sessions: past it, the oldest
    end. Signing in counts as using the account's practice copy (its idle time restarts).
    """
    key = new_key()
    session.add(SignIn(key_hash=key_digest(key), account_id=account.id, started_at=now,
                       expires_at=now + SESSION_LIFETIME))
    # The shared demo is never deleted: its row is left alone (no wait on it for a class).
    session.execute(update(Scenario).where(Scenario.id == account.scenario_id,
                                           Scenario.token != DEMO_TOKEN).values(last_used=now))
    session.flush()
    oldest = (select(SignIn.key_hash).where(SignIn.account_id == account.id)
              .order_by(SignIn.started_at.desc(), SignIn.key_hash).offset(SESSIONS_PER_ACCOUNT))
    if ended := list(session.scalars(oldest)):
        session.execute(delete(SignIn).where(SignIn.key_hash.in_(ended)))
    return key


# Built once with bound parameters: every signed-in page runs it.
_SIGNED_IN = (
    select(Account)
    .join(SignIn, SignIn.account_id == Account.id)
    .where(SignIn.key_hash == bindparam("key_hash"), SignIn.expires_at > bindparam("now"),
           Account.role == bindparam("role"))
    .options(joinedload(Account.scenario))
)


def account_for(session: Session, key: str, role: str, now: datetime) -> Account | None:
    """The account whose live session ``key`` is, if it is of ``role``."""
    if not key or len(key) > KEY_MAX_LENGTH:
        return None
    return session.scalar(_SIGNED_IN, {"key_hash": key_digest(key), "now": now, "role": role})


def end(session: Session, key: str) -> None:
    """Sign-out: the session is over for every copy of its cookie."""
    if key:
        session.execute(delete(SignIn).where(SignIn.key_hash == key_digest(key)))


def end_all(session: Session, account_id: int) -> None:
    """Every session of the account ends, wherever it was opened."""
    session.execute(delete(SignIn).where(SignIn.account_id == account_id))


# --- sign-in tickets --------------------------------------------------------------------

class TicketRefused(LookupError):
    """The link is unknown, used or expired; ``account_id`` is whose it was, if known."""

    def __init__(self, account_id: int | None):
        super().__init__("This sign-in link has expired or was already used.")
        self.account_id = account_id


def issue_ticket(session: Session, account: Account, now: datetime) -> str:
    key = new_key()
    session.add(SignInTicket(key_hash=key_digest(key), account_id=account.id,
                             expires_at=now + TICKET_LIFETIME))
    return key


def redeem_ticket(session: Session, key: str, now: datetime) -> Account:
    """The ticket's account, once; raises ``TicketRefused`` for any other use."""
    if not key or len(key) > KEY_MAX_LENGTH:
        raise TicketRefused(None)
    ticket = session.get(SignInTicket, key_digest(key), with_for_update=True)
    if ticket is None:
        raise TicketRefused(None)
    if ticket.used_at is not None or ticket.expires_at <= now:
        raise TicketRefused(ticket.account_id)
    ticket.used_at = now
    session.execute(delete(SignInTicket).where(SignInTicket.expires_at <= now))
    return session.get_one(Account, ticket.account_id)


# --- answered forms ---------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    redirect_to: str
    message: str
    kind: str


def answer_for(session: Session, key: str, account_id: int | None) -> Answer | None:
    """The outcome of the form ``key`` if this account already sent it."""
    if not key or len(key) > KEY_MAX_LENGTH:
        return None
    row = session.get(AnsweredForm, _form_digest(key, account_id))
    if row is None or row.account_id != account_id:
        return None
    return Answer(row.redirect_to, row.message, row.kind)


def _form_digest(key: str, account_id: int | None) -> str:
    # Per account: someone else's copy of a form's key is a new form of their own.
    return key_digest(f"{account_id}:{key}")


def remember_answer(
    session: Session, key: str, account_id: int | None, answer: Answer, now: datetime
) -> None:
    if not key or len(key) > KEY_MAX_LENGTH:
        return
    session.execute(delete(AnsweredForm).where(AnsweredForm.answered_at < now - ANSWER_LIFETIME))
    try:
        with session.begin_nested():
            session.add(AnsweredForm(
                key_hash=_form_digest(key, account_id), account_id=account_id, answered_at=now,
                redirect_to=answer.redirect_to, message=answer.message[:500], kind=answer.kind,
            ))
    except IntegrityError:
        pass  # the same form answered at the same moment by a database without one writer
