"""Sign-in attempt counts kept in the storefront's own database, as a ``limits`` storage.

Every process serving the storefront (``python -m mock_site --workers N``) reads and
writes the same rows, so a limit holds however the requests are spread. Only the moving
window strategy is supported, the one the sign-in throttle uses: each key's row keeps the
times of its last ``limit`` entries, which is all that strategy ever looks at. Times are
real (``time.time()``), not a scenario's simulated clock.
"""

import time
from collections.abc import Callable
from typing import Any, cast

from limits.storage import MovingWindowSupport, Storage
from sqlalchemy import CursorResult, delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from mock_site.core.db import Database
from mock_site.core.models import ATTEMPT_KEY_MAX_LENGTH, AttemptWindow


def _times(window: AttemptWindow | None) -> list[float]:
    return [float(part) for part in window.entries.split()] if window else []


class DatabaseStorage(Storage, MovingWindowSupport):
    """``limits`` storage in ``db``: counts shared by every process using that database."""

    STORAGE_SCHEME = ["shop-database"]

    def __init__(self, db: Database, clock: Callable[[], float] = time.time):
        super().__init__()
        self._db = db
        self._clock = clock

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        """Add ``amount`` entries unless that would put more than ``limit`` in the window."""
        if amount > limit:
            return False
        key = key[:ATTEMPT_KEY_MAX_LENGTH]
        now = self._clock()
        with self._db.transaction() as session:
            window = _locked_window(session, key)
            recent = [at for at in _times(window) if at > now - expiry]
            if len(recent) + amount > limit:
                return False
            recent = ([now] * amount + recent)[:limit]
            window.entries = " ".join(repr(at) for at in recent)
            window.expires_at = now + expiry
            # Rows no window needs any more go as new ones come, so the table stays small.
            session.execute(delete(AttemptWindow).where(AttemptWindow.expires_at < now))
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """(the oldest entry still in the window, how many entries are in it)."""
        now = self._clock()
        with self._db.transaction(write=False) as session:
            window = session.get(AttemptWindow, key[:ATTEMPT_KEY_MAX_LENGTH])
            recent = [at for at in _times(window) if at > now - expiry]
        return (recent[-1], len(recent)) if recent else (now, 0)

    def clear(self, key: str) -> None:
        with self._db.transaction() as session:
            session.execute(delete(AttemptWindow).where(AttemptWindow.key == key[:ATTEMPT_KEY_MAX_LENGTH]))

    def reset(self) -> int | None:
        with self._db.transaction() as session:
            result = cast(CursorResult[Any], session.execute(delete(AttemptWindow)))
            return result.rowcount

    def check(self) -> bool:
        try:
            with self._db.transaction(write=False) as session:
                session.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    # Counters are for the fixed-window strategies, which the throttle does not use.
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError("DatabaseStorage supports the moving window strategy only")

    def get(self, key: str) -> int:
        raise NotImplementedError("DatabaseStorage supports the moving window strategy only")

    def get_expiry(self, key: str) -> float:
        raise NotImplementedError("DatabaseStorage supports the moving window strategy only")


def _locked_window(session: Session, key: str) -> AttemptWindow:
    """The key's row, locked until the transaction ends (made empty first if missing).

    SQLite's writers already take turns (BEGIN IMMEDIATE); on PostgreSQL the row lock makes
    two processes counting the same key take turns too, so neither overshoots the limit.
    """
    query = select(AttemptWindow).where(AttemptWindow.key == key).with_for_update()
    window = session.scalar(query)
    if window is not None:
        return window
    try:
        with session.begin_nested():  # another process may be adding the same key now
            session.add(AttemptWindow(key=key, entries="", expires_at=0.0))
    except IntegrityError:
        pass
    return session.execute(query.execution_options(populate_existing=True)).scalar_one()
