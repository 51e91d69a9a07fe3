"""Buyers' and sellers' accounts: signing in with a password, finding one, a new password."""

import secrets
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from domain.lifecycle import Role
from mock_site.core import sign_ins
from mock_site.core.models import Account
from mock_site.services.passwords import check_password, hash_password


def authenticate(session: Session, email: str, password: str, role: Role) -> Account | None:
    account = session.scalar(
        select(Account).where(Account.email == email.strip().lower(), Account.role == role)
    )
    if account is None:
        # The same work as for a real account, so the time taken does not tell which
        # e-mails have one.
        check_password(password, _unknown_account_hash())
        return None
    return account if check_password(password, account.password_hash) else None


@cache
def _unknown_account_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


# The account with its scenario, in one query: every page shows the scenario's clock.
# Built once with a bound parameter, so its cache key is not worked out on every page.
_ACCOUNT = (
    select(Account).where(Account.id == bindparam("id")).options(joinedload(Account.scenario))
)


def get_account(session: Session, account_id: int) -> Account:
    return session.execute(_ACCOUNT, {"id": account_id}).scalar_one()


def change_password(session: Session, account: Account, password: str) -> None:
    """A new password ends every session of the account, wherever it was opened."""
    account.password_hash = hash_password(password)
    sign_ins.end_all(session, account.id)
