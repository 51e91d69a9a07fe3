"""The four paths as the guide shows them, and the facts every path ends with.

The paths' words come from the registry in ``domain.paths``; the guide adds an icon.
A flow in the manifest carries its own ``when`` and ``next``; the registry's are the
fallback. The refund times and the coupon outcomes are read from ``domain``.
"""

from dataclasses import asdict, dataclass

from domain import coupons, payments, refunds, wording
from domain.paths import PATHS, PathId

ICONS: dict[PathId, str] = {
    PathId.PRE_VERIFICATION: ":material/bolt:",
    PathId.POST_VERIFICATION: ":material/storefront:",
    PathId.REFUND: ":material/payments:",
    PathId.COUPON: ":material/confirmation_number:",
}
UNKNOWN_ICON = ":material/route:"


@dataclass(frozen=True)
class GuidePath:
    """A path's registry entry with the icon the guide shows beside it."""

    id: str
    label: str
    icon: str
    summary: str
    when: str
    next: str


def path_info(path: str) -> GuidePath:
    """The info for ``path``; an unknown path gets a plain one built from its id."""
    if path in PATHS:
        info = PATHS[PathId(path)]
        return GuidePath(**asdict(info), icon=ICONS[info.id])
    label = path.replace("-", " ").capitalize()
    return GuidePath(path, label, UNKNOWN_ICON, "", "", "")


def when_text(flow_when: str, path: str) -> str:
    """The manifest's wording when it has one, else the path's."""
    return flow_when or path_info(path).when


def next_text(flow_next: str, path: str) -> str:
    return flow_next or path_info(path).next


# --- what happens next: the numbers every path ends with ----------------------------------


@dataclass(frozen=True)
class Table:
    """A table of plain text, shown on the guide's pages and in its export alike."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def columns(self) -> dict[str, list[str]]:
        """Column by column, under their headings (the shape ``st.table`` takes)."""
        return {heading: [row[i] for row in self.rows] for i, heading in enumerate(self.headings)}


def refund_table() -> Table:
    """One row per payment method, fastest first, straight from the payment rules."""
    windows = sorted(payments.REFUND_WINDOWS.values(), key=lambda w: (w.max_days, w.min_days))
    return Table(
        ("Paid with", "Money back within", refunds.STAGES[1]),
        tuple((w.label, w.describe(), f"after {wording.PROCESSING_TIME}") for w in windows),
    )


def refund_summary() -> str:
    return wording.GUIDE_REFUND_TIME


def tracker_stages() -> tuple[str, ...]:
    return refunds.STAGES


def coupon_table() -> Table:
    """Every case of the coupon rule, each answered by ``coupons.coupon_comes_back``."""
    cases = [
        (coupons.CouponKind.PLATFORM, True, False, "Every item it covered is cancelled"),
        (coupons.CouponKind.PLATFORM, False, False, "Only some of its items are cancelled"),
        (coupons.CouponKind.STORE, True, False, "Every item it covered is cancelled, still valid"),
        (coupons.CouponKind.STORE, True, True, "Every item it covered is cancelled, expired"),
        (coupons.CouponKind.STORE, False, False, "Only some of its items are cancelled"),
    ]
    return Table(
        ("Coupon", "When you cancel", "What happens"),
        tuple(
            (kind.label, situation,
             coupons.coupon_comes_back(kind, every_item_cancelled=every, expired=expired).reason)
            for kind, every, expired, situation in cases
        ),
    )


PARTIAL_REFUND_NOTE = wording.GUIDE_PARTIAL_REFUND
