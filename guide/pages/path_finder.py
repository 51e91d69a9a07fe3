"""Which path is mine? A few questions about the order page lead to the right tutorial."""

import streamlit as st

from domain.coupons import CouponKind
from domain.paths import PathId
from domain.payments import PaymentMethod, refund_window
from domain.statuses import OrderStatus
from flowspec.contract import RecordedFlow
from guide import paths, ui
from guide.advice import Advice, Situation, advise
from guide.data.recordings import Recordings, load_recordings_if_any

YES, NO, UNSURE = "Yes", "No", "I can't tell"


def path_finder() -> None:
    ui.page_head(
        "Which path is mine?",
        "Open the order in **My Orders** and answer from what you see there. The answer"
        " appears as soon as you pick the status."
    )
    questions, answer = st.columns([1, 1], gap="large")
    with questions:
        situation = _ask()
    with answer:
        if situation is None:
            st.info("Start with the status your order shows.", icon=":material/touch_app:")
            return
        _show(situation, advise(situation), load_recordings_if_any())


def _ask() -> Situation | None:
    status = st.selectbox(
        "What status does the order show?", list(OrderStatus), index=None,
        placeholder="Choose the status", key="finder.status", persist_state="session",
        help="It is written at the top of the order's details and on its card in My Orders.",
    )
    # Only the questions that matter for this status, none answered in advance: a Closed
    # order is cancelled already (nothing about its button or items to ask), and a
    # Completed one cannot be cancelled (no refund, no coupon comes back).
    closed, completed = status == OrderStatus.CLOSED, status == OrderStatus.COMPLETED
    button = payment = None
    kinds: list[CouponKind] = []
    every: bool | None = True if closed else None
    expired: bool | None = None
    if not (closed or completed):
        button = st.radio(
            "Is there a **Cancel order** button on the order's details page?",
            [YES, NO, UNSURE], index=None, horizontal=True, key="finder.button",
            persist_state="session",
        )
    if not completed:
        payment = st.selectbox(
            "How did you pay?", list(PaymentMethod), index=None,
            placeholder="Choose a payment method", format_func=lambda m: refund_window(m).label,
            key="finder.payment", persist_state="session",
        )
        kinds = st.pills(
            "Did you use a coupon on this order? Pick every kind you used.",
            list(CouponKind), selection_mode="multi", format_func=lambda kind: CouponKind(kind).label,
            key="finder.coupons", persist_state="session",
        ) or []
    if kinds and not closed:
        every = _yes_no(st.radio(
            "Are you cancelling **every** item the coupon was used on?", [YES, NO], index=None,
            horizontal=True, key="finder.every", persist_state="session",
        ))
    if CouponKind.STORE in kinds and every is not False:
        expired = _yes_no(st.radio(
            "Has the store coupon passed its expiry date?", [YES, NO], index=None,
            horizontal=True, key="finder.expired", persist_state="session",
            help="The coupon wallet marks an out-of-date coupon as Expired.",
        ))
    if status is None:
        return None
    return Situation(
        status=OrderStatus(status),
        payment=payment,
        cancel_button=_yes_no(button),
        coupons=frozenset(CouponKind(k) for k in kinds),
        every_covered_item_cancelled=every,
        store_coupon_expired=expired,
    )


def _yes_no(answer: str | None) -> bool | None:
    return {YES: True, NO: False}.get(answer) if answer else None


def _show(situation: Situation, advice: Advice, recordings: Recordings | None) -> None:
    with st.container(border=True):
        if advice.path is None:
            st.subheader(advice.headline, anchor=False)
            st.markdown(advice.explanation)
        else:
            info = paths.path_info(advice.path)
            st.caption("Your path")
            st.subheader(f"{info.icon} {info.label}", anchor=False)
            st.markdown(f"**{advice.headline}.** {advice.explanation}")
        if advice.next_steps:
            st.markdown("**What you can still do:**")
            st.markdown("\n".join(f"- {line}" for line in advice.next_steps))
        else:
            st.markdown(f"**Who decides:** {advice.decided_by}")
        if situation.status != OrderStatus.COMPLETED:
            _money(advice)
        for outcome in advice.coupons:
            mark = (":green[:material/check_circle:]" if outcome.decision.returned
                    else ":red[:material/cancel:]")
            st.markdown(f"{mark} **{outcome.kind.label}:** {outcome.decision.reason}")
        if len(advice.coupons) < len(situation.coupons):
            st.caption("Answer the coupon questions to see whether your coupon comes back.")
        for warning in advice.warnings:
            st.warning(warning, icon=":material/sync_problem:")
        paid_with = refund_window(situation.payment).label if situation.payment else None
        if advice.path is not None:
            _open_button(advice.path, _pick(recordings, advice.path, advice.scenario, paid_with),
                         primary=True)
        for path in advice.also:
            scenario = advice.coupon_scenario if path == PathId.COUPON else None
            _open_button(path, _pick(recordings, path, scenario, paid_with), primary=False)


def _money(advice: Advice) -> None:
    if not advice.refund_expected:
        st.markdown(f"**Money back:** {advice.refund_note}")
    elif advice.refund is not None:
        st.markdown(
            f"**Money back:** within {advice.refund.describe()} ({advice.refund.label})."
            f" {advice.refund_note}"
        )
    else:
        st.markdown(f"**Money back:** {advice.refund_note} How long it takes depends on how"
                    " you paid:")
        ui.refund_table()


def _pick(recordings: Recordings | None, path: str, scenario: str | None,
          paid_with: str | None) -> RecordedFlow | None:
    """The recorded flow of ``path`` closest to the order: same scenario, same payment."""
    flows = recordings.flows_in(path) if recordings else []
    same = [f for f in flows if f.scenario == scenario] or flows
    if paid_with:
        same = [f for f in same if paid_with.lower() in f.title.lower()] or same
    return same[0] if same else None


def _open_button(path: str, flow: RecordedFlow | None, primary: bool) -> None:
    info = paths.path_info(path)
    label = f"Open “{info.label}” in the tutorial" if primary else f"Then: {info.label}"
    if flow is None:
        st.button(label, key=f"finder.open.{path}", disabled=True,
                  help="The screenshots for this path have not been recorded yet.")
        return
    if st.button(label, key=f"finder.open.{path}", type="primary" if primary else "secondary",
                 icon=":material/arrow_forward:" if primary else info.icon,
                 help=f"Opens “{flow.title}”."):
        ui.open_in_tutorial(path, flow.id)


path_finder()
