"""What the buyer has and gets back: the coupons in the wallet, the refunds on their way."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from domain.coupons import WalletStatus, wallet_status
from domain.refunds import RefundTracker
from mock_site.core.models import Account, Coupon, Refund


def wallet(session: Session, buyer: Account) -> list[Coupon]:
    return list(
        session.scalars(
            select(Coupon)
            .where(Coupon.buyer_id == buyer.id)
            .order_by(Coupon.id)
            .options(selectinload(Coupon.items), selectinload(Coupon.store),
                     selectinload(Coupon.order))
        )
    )


def coupon_wallet_status(coupon: Coupon, now: datetime) -> WalletStatus:
    return wallet_status(
        used=coupon.order_id is not None,
        returned=coupon.returned_at is not None,
        every_item_cancelled=bool(coupon.items) and all(i.cancelled for i in coupon.items),
        expires_at=coupon.expires_at,
        now=now,
    )


def refund_tracker(refund: Refund) -> RefundTracker:
    return RefundTracker(refund.requested_at, refund.method)
