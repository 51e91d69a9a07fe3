"""The refund tracker on the Finances tab: three stages, each reached on a day."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from domain.payments import PaymentMethod, refund_window

STAGES = ("Refund requested", "Processed by the marketplace", "Paid to your payment method")
PROCESSING_DAYS = 1


class Stage(NamedTuple):
    """One stage of the tracker: its name, whether it is reached, and on which day."""

    title: str
    reached: bool
    at: datetime


@dataclass(frozen=True)
class RefundTracker:
    """When each stage of one refund is reached, given when it was requested.

    The money always comes back through the marketplace, which held it; it reaches
    the payment method at the end of that method's window.
    """

    requested_at: datetime
    method: PaymentMethod

    @property
    def processed_at(self) -> datetime:
        return self.requested_at + timedelta(days=PROCESSING_DAYS)

    @property
    def paid_at(self) -> datetime:
        return self.requested_at + timedelta(days=refund_window(self.method).max_days)

    def stages(self, now: datetime) -> list[Stage]:
        times = (self.requested_at, self.processed_at, self.paid_at)
        return [Stage(title, now >= at, at) for title, at in zip(STAGES, times, strict=True)]

    def stages_reached(self, now: datetime) -> int:
        return sum(stage.reached for stage in self.stages(now))

    def is_paid(self, now: datetime) -> bool:
        return now >= self.paid_at
