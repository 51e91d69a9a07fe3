"""Sign-in attempt counts in the database: ``limits``' moving window over rows every
process shares, with the same answers as its in-memory storage."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func, select

from mock_site.core.attempt_counts import DatabaseStorage
from mock_site.core.db import Database
from mock_site.core.models import AttemptWindow
from mock_site.web.throttle import PER_ACCOUNT, Attempt, SignInThrottle

THREE_A_MINUTE = parse("3 per minute")


class FakeClock:
    """Real time stands still until a test moves it."""

    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def rows(db: Database) -> int:
    with db.transaction(write=False) as session:
        return session.scalar(select(func.count()).select_from(AttemptWindow))


def test_the_limit_holds_and_the_window_says_when_it_frees(db):
    clock = FakeClock()
    limiter = MovingWindowRateLimiter(DatabaseStorage(db, clock))
    for second in range(3):
        clock.now += second
        assert limiter.hit(THREE_A_MINUTE, "alice")
    assert not limiter.hit(THREE_A_MINUTE, "alice")
    assert not limiter.test(THREE_A_MINUTE, "alice")
    stats = limiter.get_window_stats(THREE_A_MINUTE, "alice")
    assert stats.remaining == 0
    assert stats.reset_time == 1_700_000_000.0 + 60  # the oldest entry's time plus the window
    assert limiter.test(THREE_A_MINUTE, "bob")  # another key counts on its own


def test_entries_leave_the_window_as_time_passes_and_old_rows_go(db):
    clock = FakeClock()
    limiter = MovingWindowRateLimiter(DatabaseStorage(db, clock))
    for _ in range(3):
        limiter.hit(THREE_A_MINUTE, "alice")
    clock.now += 61
    assert limiter.test(THREE_A_MINUTE, "alice")
    assert limiter.get_window_stats(THREE_A_MINUTE, "alice").remaining == 3
    assert limiter.hit(THREE_A_MINUTE, "bob")  # a new entry sweeps alice's dead row away
    assert rows(db) == 1


def test_clear_starts_a_key_again(db):
    limiter = MovingWindowRateLimiter(DatabaseStorage(db))
    for _ in range(3):
        limiter.hit(THREE_A_MINUTE, "alice")
    limiter.clear(THREE_A_MINUTE, "alice")
    assert limiter.get_window_stats(THREE_A_MINUTE, "alice").remaining == 3


def test_two_processes_on_one_database_share_the_counts(db, tmp_path):
    """Two ``Database`` objects on one file stand for two worker processes."""
    other = Database(str(db.engine.url))
    try:
        first = MovingWindowRateLimiter(DatabaseStorage(db))
        second = MovingWindowRateLimiter(DatabaseStorage(other))
        assert first.hit(THREE_A_MINUTE, "alice")
        assert second.hit(THREE_A_MINUTE, "alice")
        assert first.hit(THREE_A_MINUTE, "alice")
        assert not second.hit(THREE_A_MINUTE, "alice")
        assert not first.test(THREE_A_MINUTE, "alice")
    finally:
        other.dispose()


def test_hits_racing_on_one_key_never_overshoot_the_limit(db):
    limiter = MovingWindowRateLimiter(DatabaseStorage(db))
    with ThreadPoolExecutor(max_workers=4) as pool:
        granted = list(pool.map(lambda _: limiter.hit(THREE_A_MINUTE, "alice"), range(12)))
    assert granted.count(True) == 3


@pytest.mark.parametrize("kind", ["memory", "database"])
def test_the_throttle_answers_alike_on_either_storage(db, kind):
    storage = MemoryStorage() if kind == "memory" else DatabaseStorage(db)
    throttle = SignInThrottle(storage)
    attempt = Attempt("buyer", "Someone@Example.test ", "client-1")
    for _ in range(PER_ACCOUNT.amount - 1):
        throttle.failed(attempt)
    assert throttle.retry_after(attempt) is None
    throttle.failed(attempt)
    assert 0 < throttle.retry_after(attempt) <= 15 * 60
    # the same account typed another way is the same account
    assert throttle.retry_after(Attempt("buyer", "someone@example.test", "client-2"))
    throttle.succeeded(attempt)
    assert throttle.retry_after(attempt) is None


def test_an_entry_larger_than_the_limit_is_refused_without_a_row(db):
    storage = DatabaseStorage(db)
    assert not storage.acquire_entry("alice", limit=3, expiry=60, amount=4)
    assert rows(db) == 0
    assert storage.check()
