"""Attempt counts in the database: moving windows over rows every process shares, and the
sign-in throttle built on them."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from domain.scenarios import DEMO_BUYER_EMAIL, DEMO_SELLER_EMAIL
from mock_site.core.attempt_counts import AttemptCounts
from mock_site.core.db import Database
from mock_site.core.models import AttemptWindow
from mock_site.web.throttle import (
    PER_ACCOUNT,
    PER_ACCOUNT_AND_CLIENT,
    PER_CLIENT,
    Attempt,
    SignInThrottle,
    too_many_attempts_message,
)


class FakeClock:
    """Real time stands still until a test moves it."""

    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def rows(db: Database) -> int:
    with db.transaction(write=False) as session:
        return session.scalar(select(func.count()).select_from(AttemptWindow))


def hit(counts: AttemptCounts, key: str, limit: int = 3, seconds: float = 60) -> bool:
    """One entry for ``key`` unless ``limit`` are already in the last ``seconds``."""
    with counts.locked([key]) as windows:
        if len(windows.recent(key, seconds)) >= limit:
            return False
        windows.add(key, seconds, keep=limit)
        return True


def test_the_limit_holds_per_key(db):
    clock = FakeClock()
    counts = AttemptCounts(db, clock)
    for second in range(3):
        clock.now += second
        assert hit(counts, "alice")
    assert not hit(counts, "alice")
    assert hit(counts, "bob")  # another key counts on its own


def test_entries_leave_the_window_as_time_passes_and_old_rows_go(db):
    clock = FakeClock()
    counts = AttemptCounts(db, clock)
    for _ in range(3):
        hit(counts, "alice")
    clock.now += 61
    assert hit(counts, "bob")  # a new entry sweeps alice's dead row away
    assert rows(db) == 1
    assert hit(counts, "alice")


def test_two_processes_on_one_database_share_the_counts(db, tmp_path):
    """Two ``Database`` objects on one file stand for two worker processes."""
    other = Database(str(db.engine.url))
    try:
        first, second = AttemptCounts(db), AttemptCounts(other)
        assert hit(first, "alice")
        assert hit(second, "alice")
        assert hit(first, "alice")
        assert not hit(second, "alice")
        assert not hit(first, "alice")
    finally:
        other.dispose()


def test_hits_racing_on_one_key_never_overshoot_the_limit(db):
    counts = AttemptCounts(db)
    with ThreadPoolExecutor(max_workers=4) as pool:
        granted = list(pool.map(lambda _: hit(counts, "alice"), range(12)))
    assert granted.count(True) == 3


def test_locked_windows_add_take_back_and_clear_entries(db):
    clock = FakeClock()
    counts = AttemptCounts(db, clock)
    with counts.locked(["a", "b"]) as windows:
        first = windows.add("a", 60, keep=3)
        assert windows.recent("a", 60) == [first] and windows.recent("b", 60) == []
    clock.now += 1
    with counts.locked(["a"]) as windows:
        second = windows.add("a", 60, keep=3)
        assert windows.recent("a", 60) == [second, first]
        windows.remove("a", first)
        assert windows.recent("a", 60) == [second]
    with counts.locked(["a"]) as windows:
        assert windows.recent("a", 60) == [second]  # written back
        windows.clear("a")
    with counts.locked(["a"]) as windows:
        assert windows.recent("a", 60) == []


def test_simultaneous_attempts_are_counted_one_at_a_time(db):
    """Thirty threads released together: exactly ten get past a limit of ten."""
    throttle = SignInThrottle(AttemptCounts(db))
    barrier = threading.Barrier(30)

    def attempt(_) -> bool:
        barrier.wait(timeout=60)
        return throttle.count(Attempt("buyer", "alice@example.test", "client-1")).retry_after is None

    with ThreadPoolExecutor(max_workers=30) as pool:
        granted = list(pool.map(attempt, range(30)))
    assert granted.count(True) == PER_ACCOUNT_AND_CLIENT.amount


# --- the sign-in throttle, on a clock that stands still ------------------------------------

@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def throttle(db, clock) -> SignInThrottle:
    return SignInThrottle(AttemptCounts(db, clock))


def fail(throttle: SignInThrottle, attempt: Attempt, times: int = 1) -> list[int | None]:
    """``times`` wrong passwords: what the throttle answered each (None: checked)."""
    return [throttle.count(attempt).retry_after for _ in range(times)]


def test_an_account_and_client_pair_stops_after_ten_failures(throttle, clock):
    attempt = Attempt("buyer", "Someone@Example.test ", "client-1")
    assert fail(throttle, attempt, 10) == [None] * 10
    assert throttle.count(attempt).retry_after == 15 * 60
    # the same account typed another way is the same account
    assert throttle.count(Attempt("buyer", "someone@example.test", "client-1")).retry_after
    clock.now += 15 * 60
    assert throttle.count(attempt).retry_after is None


def test_a_refused_attempt_counts_nothing(throttle, clock):
    attempt = Attempt("buyer", "someone@example.test", "client-1")
    fail(throttle, attempt, 10)
    clock.now += 60
    assert fail(throttle, attempt, 5) == [15 * 60 - 60] * 5  # refusals do not push it back


def test_a_client_stops_after_fifty_failures_on_any_accounts(throttle):
    codes = [throttle.count(Attempt("buyer", f"guess-{n}@example.test", "client-1")).retry_after
             for n in range(PER_CLIENT.amount + 1)]
    assert codes[:-1] == [None] * PER_CLIENT.amount and codes[-1] == 15 * 60
    assert throttle.count(Attempt("buyer", "guess-0@example.test", "client-2")).retry_after is None


def test_a_right_password_takes_its_entries_back_and_starts_its_pair_again(throttle):
    attempt = Attempt("buyer", "someone@example.test", "client-1")
    fail(throttle, attempt, 9)
    throttle.succeeded(throttle.count(attempt))
    assert fail(throttle, attempt, 10) == [None] * 10
    # a classroom signing in right, fifty times from one address, is never held up
    for n in range(PER_CLIENT.amount + 5):
        right = throttle.count(Attempt("buyer", f"pupil-{n}@example.test", "classroom"))
        assert right.retry_after is None
        throttle.succeeded(right)


def test_an_account_past_its_soft_limit_makes_new_clients_take_turns(throttle, clock):
    fail(throttle, Attempt("buyer", "alice@example.test", "attacker-1"), PER_ACCOUNT.amount)
    # a new client may try once; the next new client waits for the turn to pass
    assert throttle.count(Attempt("buyer", "alice@example.test", "attacker-2")).retry_after is None
    assert throttle.count(Attempt("buyer", "alice@example.test", "new")).retry_after == 60
    clock.now += 30
    assert throttle.count(Attempt("buyer", "alice@example.test", "new")).retry_after == 30
    clock.now += 30
    right = throttle.count(Attempt("buyer", "alice@example.test", "new"))
    assert right.retry_after is None
    throttle.succeeded(right)  # its turn is given back: the next new client need not wait
    assert throttle.count(Attempt("buyer", "alice@example.test", "newer")).retry_after is None
    # other accounts are not slowed
    assert throttle.count(Attempt("buyer", "bob@example.test", "newest")).retry_after is None


def test_a_client_that_signed_in_before_is_never_slowed(throttle):
    home = Attempt("buyer", "alice@example.test", "home")
    throttle.succeeded(throttle.count(home))
    for attacker in range(3):
        fail(throttle, Attempt("buyer", "alice@example.test", f"attacker-{attacker}"), 10)
    assert fail(throttle, home, 3) == [None] * 3  # typos at home are checked at once


@pytest.mark.parametrize("email", [DEMO_BUYER_EMAIL, DEMO_SELLER_EMAIL.upper()])
def test_the_shared_demo_accounts_are_never_slowed(throttle, email):
    for attacker in range(5):
        fail(throttle, Attempt("buyer", email, f"attacker-{attacker}"), 10)
    assert throttle.count(Attempt("buyer", email, "someone")).retry_after is None


def test_the_message_says_seconds_or_minutes():
    assert too_many_attempts_message(1).endswith("try again in 1 second.")
    assert too_many_attempts_message(42).endswith("try again in 42 seconds.")
    assert too_many_attempts_message(60).endswith("try again in 1 minute.")
    assert too_many_attempts_message(15 * 60).endswith("try again in 15 minutes.")
