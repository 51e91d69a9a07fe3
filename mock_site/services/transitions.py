"""The order's lifecycle in the database: the rules decide (``domain.lifecycle``), this
module hands them the order's rows as plain facts and writes what they decided."""

from collections.abc import Callable

from sqlalchemy.orm import Session

from domain import lifecycle
from domain.cancellation import CancellationError, CouponUse, ItemLine, Reason
from domain.lifecycle import CancellationStatus
from mock_site.core.models import Cancellation, Order, OrderEvent, Refund
from mock_site.services import ActionRefused


def facts(order: Order) -> lifecycle.OrderFacts:
    """The order's rows as the plain values the lifecycle rules decide on."""
    pending = order.pending_cancellation
    return lifecycle.OrderFacts(
        status=order.status,
        items=tuple(ItemLine(i.id, i.paid_cents, i.cancelled) for i in order.items),
        coupons=tuple(
            CouponUse(c.id, c.kind, frozenset(i.id for i in c.items), c.expires_at,
                      c.returned_at is not None)
            for c in order.coupons
        ),
        status_before_request=order.status_before_request,
        pending=None if pending is None else _pending_request(pending),
    )


def _pending_request(pending: Cancellation) -> lifecycle.PendingRequest:
    # A request to the seller is written with its deadline (``lifecycle.buyer_cancels``).
    assert pending.deadline is not None, f"cancellation {pending.id} is pending without a deadline"
    return lifecycle.PendingRequest(frozenset(pending.item_ids), pending.deadline)


def decide(
    rule: Callable[..., lifecycle.Transition], order: Order, *args: object
) -> lifecycle.Transition:
    """Ask a lifecycle rule about ``order``; its refusal becomes ``ActionRefused``."""
    try:
        return rule(facts(order), *args)
    except CancellationError as error:
        raise ActionRefused(str(error)) from error


def new_cancellation(
    session: Session, order: Order, change: lifecycle.Transition, reason: Reason
) -> Cancellation:
    cancellation = Cancellation(
        item_ids=sorted(change.item_ids), reason_code=reason,
        requested_at=change.at, status=change.cancellation, deadline=change.deadline,
    )
    # Through the collection: the rules have read it already, so it must show the new row.
    order.cancellations.append(cancellation)
    session.flush()
    return cancellation


def write_transition(
    session: Session, order: Order, change: lifecycle.Transition,
    cancellation: Cancellation | None = None,
) -> None:
    """Write what the rules decided: the cancellation, items, refund, coupons, status."""
    if cancellation is not None:
        # A step about a cancellation always says what became of it.
        assert change.cancellation is not None, "a transition on a cancellation without its status"
        cancellation.status = change.cancellation
        if change.cancellation is not CancellationStatus.PENDING:
            cancellation.decided_at = change.at
    for text in change.events:
        session.add(OrderEvent(order_id=order.id, at=change.at, text=text))
    settled = change.settled
    if settled is not None:
        for item in order.items:
            item.cancelled = item.cancelled or item.id in settled.item_ids
        if change.refund_cents > 0:
            # Only a cancellation settles into a refund.
            assert cancellation is not None, "a refund without the cancellation it comes from"
            session.add(Refund(
                order_id=order.id, cancellation_id=cancellation.id,
                amount_cents=change.refund_cents, method=order.payment_method,
                requested_at=change.at,
            ))
        for coupon in order.coupons:
            decision = settled.coupon_decisions.get(coupon.id)
            if decision is not None:
                coupon.decision_note = decision.reason
                if decision.returned:
                    coupon.returned_at = change.at
    if order.status != change.status:  # a partial cancellation leaves it where it is
        order.status = change.status
    order.status_before_request = change.status_before_request
    session.flush()
