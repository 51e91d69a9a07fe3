"""Attempt counts kept in the storefront's own database, shared by every process.

Every process serving the storefront (``python -m mock_site --workers N``) reads and
writes the same rows, so a limit holds however the requests are spread. Each key's row
keeps the times of its most recent entries (a moving window). ``AttemptCounts.locked``
hands out several keys' rows locked together, so a caller checks every limit and counts
the attempt in one step: two requests racing on a key take turns, on SQLite (writers
take the lock at ``BEGIN IMMEDIATE``) and on PostgreSQL (``SELECT … FOR UPDATE``). Times
are real (``time.time()``), not a scenario's simulated clock.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mock_site.core.db import Database
from mock_site.core.models import ATTEMPT_KEY_MAX_LENGTH, AttemptWindow


def _times(window: AttemptWindow | None) -> list[float]:
    return [float(part) for part in window.entries.split()] if window else []


def short_key(key: str) -> str:
    return key[:ATTEMPT_KEY_MAX_LENGTH]


class LockedWindows:
    """The entry times of some keys, newest first, locked until the block ends."""

    def __init__(self, now: float, rows: dict[str, AttemptWindow]):
        self.now = now
        self._rows = rows

    def recent(self, key: str, seconds: float) -> list[float]:
        """The key's entries in the last ``seconds``, newest first."""
        return [at for at in _times(self._rows[short_key(key)]) if at > self.now - seconds]

    def add(self, key: str, seconds: float, keep: int, amount: int = 1) -> float:
        """``amount`` entries at ``now``; the row keeps the newest ``keep`` of the window."""
        row = self._rows[short_key(key)]
        entries = ([self.now] * amount + self.recent(key, seconds))[:keep]
        row.entries = " ".join(repr(at) for at in entries)
        row.expires_at = max(row.expires_at, self.now + seconds)
        return self.now

    def remove(self, key: str, at: float) -> None:
        """Take back one entry made at ``at`` (if it is still there)."""
        row = self._rows[short_key(key)]
        entries = _times(row)
        if at in entries:
            entries.remove(at)
            row.entries = " ".join(repr(entry) for entry in entries)

    def clear(self, key: str) -> None:
        self._rows[short_key(key)].entries = ""


class AttemptCounts:
    """Attempt counts in ``db``; ``clock`` is real time unless a test stands it still."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time):
        self.db = db
        self.clock = clock

    @contextmanager
    def locked(self, keys: Iterable[str]) -> Iterator[LockedWindows]:
        """``keys``' rows, locked in one order (no two callers wait on each other in a
        circle) and written back when the block ends; rows no window needs any more go."""
        now = self.clock()
        with self.db.transaction() as session:
            rows = {key: _locked_window(session, key) for key in sorted(set(map(short_key, keys)))}
            yield LockedWindows(now, rows)
            session.execute(delete(AttemptWindow).where(AttemptWindow.expires_at < now))


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
