"""The four paths through a cancellation: the registry every flow, page and picker uses."""

from enum import StrEnum


class PathId(StrEnum):
    """Which path a flow belongs to."""

    PRE_VERIFICATION = "pre-verification"
    POST_VERIFICATION = "post-verification"
    REFUND = "refund"
    COUPON = "coupon"
