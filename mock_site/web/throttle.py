"""Sign-in throttling: every attempt counted, atomically, before its password is checked.

Three limits, all in the storefront's database (``mock_site.core.attempt_counts``), so
every worker process shares them and a restart keeps them:

- per account *and* client (address): 10 in 15 minutes, then 429 for that pair only, the
  right password included (answering it would confirm a guess);
- per client: 50 in 15 minutes on any mix of accounts, then 429;
- per account, softer: past 10 failures in 15 minutes from anywhere, clients that have
  not signed in to the account lately may try it only once a minute between them (429
  "try again in N seconds"). Nobody can lock an account for everyone: its owner's usual
  address is never slowed, and a new one waits a minute at most. The demo accounts are
  shared by everyone and their passwords are on the sign-in pages, so this limit does
  not apply to them.

An attempt is counted before the password check and in the same step as the limits are
read, so simultaneous attempts cannot all slip under a limit. A right password takes its
own entries back and starts its pair's count again: only failures stay counted.
"""

import math
from dataclasses import dataclass

from domain.scenarios import DEMO_BUYER_EMAIL, DEMO_SELLER_EMAIL
from mock_site.core.attempt_counts import AttemptCounts, LockedWindows


@dataclass(frozen=True)
class Limit:
    """At most ``amount`` entries in any ``seconds``."""

    amount: int
    seconds: int


# ASVS 2.2.1 asks for at most 100 failed attempts an hour on one account: addresses the
# account does not know get 10 and then one a minute between them, some 70 an hour.
PER_ACCOUNT_AND_CLIENT = Limit(10, 15 * 60)
# A client (one address) on any mix of accounts; a classroom sharing one address will not
# reach it.
PER_CLIENT = Limit(50, 15 * 60)
# Past this many failures on an account, clients it does not know take turns (SLOW_TURN).
PER_ACCOUNT = Limit(10, 15 * 60)
SLOW_TURN = Limit(1, 60)
# A client that signed in to an account within this time is known to it.
KNOWN_FOR = Limit(1, 14 * 24 * 3600)
SHARED_ACCOUNTS = frozenset({DEMO_BUYER_EMAIL, DEMO_SELLER_EMAIL})


@dataclass(frozen=True)
class Attempt:
    """Who is trying: the role's sign-in form, the e-mail typed, the client's address."""

    role: str
    email: str
    client: str

    @property
    def account(self) -> str:
        return f"{self.role}:{self.email.strip().lower()[:200]}"

    @property
    def keys(self) -> dict[str, str]:
        return {
            "pair": f"pair:{self.account}:{self.client}",
            "client": f"client:{self.client}",
            "account": f"account:{self.account}",
            "turn": f"turn:{self.account}",
            "known": f"known:{self.account}:{self.client}",
        }


@dataclass(frozen=True)
class Counted:
    """An attempt as the throttle answered it: refused (wait ``retry_after`` seconds), or
    counted, with the entries it made (``succeeded`` takes them back)."""

    attempt: Attempt
    retry_after: int | None = None
    entries: tuple[tuple[str, float], ...] = ()


def _wait(windows: LockedWindows, key: str, limit: Limit) -> int | None:
    """Seconds until ``key`` has room for one more entry, or None if it has room now."""
    recent = windows.recent(key, limit.seconds)
    if len(recent) < limit.amount:
        return None
    return max(1, math.ceil(recent[limit.amount - 1] + limit.seconds - windows.now))


class SignInThrottle:
    def __init__(self, counts: AttemptCounts):
        self._counts = counts

    def count(self, attempt: Attempt) -> Counted:
        """Check every limit and count ``attempt`` in one step; refused, it counts nothing."""
        keys = attempt.keys
        with self._counts.locked(keys.values()) as windows:
            for name, limit in (("pair", PER_ACCOUNT_AND_CLIENT), ("client", PER_CLIENT)):
                if (wait := _wait(windows, keys[name], limit)) is not None:
                    return Counted(attempt, retry_after=wait)
            names = [("pair", PER_ACCOUNT_AND_CLIENT), ("client", PER_CLIENT),
                     ("account", PER_ACCOUNT)]
            if self._slowed(windows, attempt):
                if (wait := _wait(windows, keys["turn"], SLOW_TURN)) is not None:
                    return Counted(attempt, retry_after=wait)
                names.append(("turn", SLOW_TURN))
            entries = tuple(
                (keys[name], windows.add(keys[name], limit.seconds, keep=limit.amount))
                for name, limit in names
            )
        return Counted(attempt, entries=entries)

    @staticmethod
    def _slowed(windows: LockedWindows, attempt: Attempt) -> bool:
        """Whether the account is past its soft limit for this client."""
        if attempt.email.strip().lower() in SHARED_ACCOUNTS:
            return False
        keys = attempt.keys
        return (_wait(windows, keys["account"], PER_ACCOUNT) is not None
                and not windows.recent(keys["known"], KNOWN_FOR.seconds))

    def succeeded(self, counted: Counted) -> None:
        """The right password: its entries go, its pair starts again (earlier failures
        were the owner's typos), and the client is known to the account from now on.
        The client's and the account's earlier failures stay: they may be someone else's."""
        keys = counted.attempt.keys
        with self._counts.locked(keys.values()) as windows:
            for key, at in counted.entries:
                windows.remove(key, at)
            windows.clear(keys["pair"])
            windows.add(keys["known"], KNOWN_FOR.seconds, keep=KNOWN_FOR.amount)


def too_many_attempts_message(seconds: int) -> str:
    if seconds < 60:
        wait = f"{seconds} second" + ("" if seconds == 1 else "s")
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minute" + ("" if minutes == 1 else "s")
    return (f"Too many sign-in attempts. For your safety, signing in is paused: try again in"
            f" {wait}.")
