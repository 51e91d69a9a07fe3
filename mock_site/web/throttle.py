"""Sign-in throttling: failed attempts counted per account and per client (``limits``).

Only failures count, so people who type their password right are never slowed down.
Once either count is used up, every attempt for that account or from that client is
answered 429 with ``Retry-After`` until the window has moved on, the right password
included (answering it would confirm a guess). The storefront keeps the counts in its
own database (``mock_site.core.attempt_counts``), so every worker process shares them and a
restart keeps them; without a storage given, they live in this process's memory.
"""

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

# ASVS 2.2.1 asks for at most 100 failed attempts an hour on one account; this allows 10
# in 15 minutes (40 an hour). A client (one address) may fail 50 times in 15 minutes, on
# any mix of accounts, which a classroom sharing one address will not reach.
PER_ACCOUNT = parse("10 per 15 minutes")
PER_CLIENT = parse("50 per 15 minutes")


@dataclass(frozen=True)
class Attempt:
    """Who is trying: the role's sign-in form, the e-mail typed, the client's address."""

    role: str
    email: str
    client: str


class SignInThrottle:
    def __init__(self, storage: Storage | None = None,
                 per_account: RateLimitItem = PER_ACCOUNT,
                 per_client: RateLimitItem = PER_CLIENT):
        self._limiter = MovingWindowRateLimiter(storage or MemoryStorage())
        self._per_account = per_account
        self._per_client = per_client

    def _account(self, attempt: Attempt) -> tuple[RateLimitItem, str, str]:
        return self._per_account, f"account:{attempt.role}", attempt.email.strip().lower()[:200]

    def _client(self, attempt: Attempt) -> tuple[RateLimitItem, str, str]:
        return self._per_client, "client", attempt.client

    def retry_after(self, attempt: Attempt) -> int | None:
        """Seconds to wait before ``attempt`` may be tried, or None if it may be tried now."""
        waits = []
        for limit, *ids in (self._account(attempt), self._client(attempt)):
            if not self._limiter.test(limit, *ids):
                reset_at = self._limiter.get_window_stats(limit, *ids).reset_time
                waits.append(max(1, math.ceil(reset_at - time.time())))
        return max(waits) if waits else None

    def failed(self, attempt: Attempt) -> None:
        for limit, *ids in (self._account(attempt), self._client(attempt)):
            self._limiter.hit(limit, *ids)

    def succeeded(self, attempt: Attempt) -> None:
        """The account's own count starts again; the client's does not (it may be guessing
        across accounts and have found one)."""
        limit, *ids = self._account(attempt)
        self._limiter.clear(limit, *ids)


def too_many_attempts_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return (f"Too many sign-in attempts. For your safety, signing in is paused: try again in"
            f" {minutes} {unit}.")
