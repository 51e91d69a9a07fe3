"""How many practice copies one client may start: the coach, the control API and the
trainer form share one moving window of a minute per client address, kept in the
database (``core.attempt_counts``) so every worker process counts together.

The address is the connection's own; a proxy's ``X-Forwarded-For`` counts only when the
proxy is trusted (``SHOP_TRUSTED_PROXIES``), as uvicorn is told.
"""

import math
from dataclasses import dataclass

from fastapi import HTTPException, Request

from mock_site.core.attempt_counts import AttemptCounts

WINDOW_SECONDS = 60


def too_many_copies_message(per_minute: int, seconds: int) -> str:
    wait = f"{seconds} second" + ("" if seconds == 1 else "s")
    return (f"Too many practice copies started from your address: at most {per_minute} a"
            f" minute. Nothing was made; try again in {wait}.")


@dataclass(frozen=True)
class CopyLimit:
    counts: AttemptCounts
    per_minute: int

    def take(self, request: Request) -> None:
        """Count one new copy for the request's client, or refuse it with 429 (counting
        nothing) and the seconds until there is room again in ``Retry-After``."""
        key = f"copies:{request.client.host if request.client else ''}"
        with self.counts.locked([key]) as windows:
            recent = windows.recent(key, WINDOW_SECONDS)
            if len(recent) >= self.per_minute:
                wait = max(1, math.ceil(recent[self.per_minute - 1] + WINDOW_SECONDS
                                        - windows.now))
                raise HTTPException(429, too_many_copies_message(self.per_minute, wait),
                                    headers={"Retry-After": str(wait)})
            windows.add(key, WINDOW_SECONDS, keep=self.per_minute)


def take_copy(request: Request) -> None:
    """Count a new practice copy for this request's client (the app's ``CopyLimit``)."""
    limit: CopyLimit = request.app.state.copy_limit
    limit.take(request)
