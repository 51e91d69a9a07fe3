"""Money as integer cents, and the proportional split of a discount."""

from collections.abc import Sequence


def format_cents(cents: int, currency: str = "US $") -> str:
    """Show cents the way the storefront prints prices, e.g. ``US $12.05``."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{currency}{whole:,}.{part:02d}"


def split_in_proportion(total: int, weights: Sequence[int]) -> list[int]:
    """Share ``total`` cents across ``weights`` in proportion, exactly.

    Largest-remainder rounding: the shares always add up to ``total`` and each
    share is within one cent of its exact value. Ties go to the earlier weight so
    the result is stable.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if not weights or weight_sum == 0:
        if total:
            raise ValueError("cannot share a non-zero total over zero weights")
        return [0] * len(weights)
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors
