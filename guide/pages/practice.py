"""Practice: do a path yourself on the live storefront, with the coach showing each step.

The coach runs in the shop (``/coach/{flow_id}``); this page starts it and shows its
progress, read from the shop, so the steps and their judgement are the flow's own.
"""

import secrets

import streamlit as st

from flowspec.contract import CoachProgress
from flowspec.paths import load_flows
from flowspec.steps import Flow
from guide import paths, ui
from guide.data.storefront import START_HINT, Storefront, StorefrontError, StorefrontUnavailable

KEYS = "practice.keys"


@st.cache_data
def _flows() -> dict[str, Flow]:
    return load_flows()


def practice() -> None:
    ui.page_head(
        "Practice on the storefront",
        "Do it yourself in the shop, on your own copy of an order: a coach on the shop's"
        " pages points at each thing to press and moves on when you have done it."
        " Practice orders are made up; nobody is charged."
    )
    shop = Storefront()
    try:
        shop.scenarios()
    except StorefrontError as error:
        _offline(shop, error)
        return
    flows = _flows()
    flow_id = ui.bound_choice(
        st.selectbox, "What do you want to practise?", list(flows), "practice.choice",
        format_func=lambda f: f"{paths.path_info(flows[f].path).label}: {flows[f].title}",
    )
    flow = flows[flow_id]
    st.markdown(f"_{flow.when}_")
    keys = st.session_state.setdefault(KEYS, {})
    if flow_id not in keys:
        if st.button("Start a coached practice", key="practice.start", type="primary",
                     icon=":material/play_arrow:"):
            keys[flow_id] = secrets.token_urlsafe(18)
            st.rerun()
        return
    _open_shop(shop, flow, keys[flow_id])
    _progress(shop, flow, keys[flow_id])


def _offline(shop: Storefront, error: StorefrontError) -> None:
    if isinstance(error, StorefrontUnavailable):
        st.warning(f"The practice shop is not running. {error}\n\n{START_HINT}",
                   icon=":material/cloud_off:")
    else:
        st.error(str(error), icon=":material/error:")
    st.caption(f"The guide looks for the shop at {shop.base_url} (set GUIDE_STOREFRONT_URL to"
               " change it).")
    st.button("Try again", key="practice.retry", icon=":material/refresh:")


def _open_shop(shop: Storefront, flow: Flow, key: str) -> None:
    link = shop.coach_link(flow.id, key)
    with st.container(border=True):
        st.markdown("**Open your practice shop**")
        st.link_button("Open the coached practice in a new tab", link, type="primary",
                       icon=":material/open_in_new:")
        st.caption("The shop says what starting does; press its Start button for a fresh"
                   " copy of the order, signed in, with the coach at the first step. Starting"
                   " again starts over.")
        with st.expander("Or practise inside this page"):
            st.caption("Some browsers refuse to show the shop inside the guide; the link above"
                       " always works.")
            if st.toggle("Show the shop here", key=f"practice.inline.{flow.id}"):
                st.iframe(link, height=720)


def _progress(shop: Storefront, flow: Flow, key: str) -> None:
    st.subheader("Your progress", anchor=False)
    st.button("Check my progress", key="practice.check", type="primary",
              icon=":material/checklist:")
    try:
        progress = shop.coach_progress(key)
    except StorefrontError as error:
        st.error(f"{error}" + (f"\n\n{START_HINT}" if isinstance(
            error, StorefrontUnavailable) else ""), icon=":material/error:")
        return
    if progress is None:
        st.caption("Open the practice shop first; the coach reports each step you do.")
        return
    _steps(progress)


def _steps(progress: CoachProgress) -> None:
    st.progress(progress.completed / progress.total,
                text=f"{progress.completed} of {progress.total} steps done")
    for step in progress.steps:
        if step.number <= progress.completed:
            icon = ":green[:material/check_circle:]"
        elif step.number == progress.step:
            icon = ":blue[:material/arrow_forward:]"
        else:
            icon = ":material/radio_button_unchecked:"
        st.markdown(f"{icon} {step.number}. {step.title}")
    if progress.done:
        st.success("Every step is done. Well played!", icon=":material/celebration:")
    elif progress.hint:
        st.warning(f"**Wrong move at step {progress.step}.** {progress.hint} The coach in the"
                   " shop offers a way back.", icon=":material/undo:")
    else:
        st.info(f"**Next: {progress.current.title}.** The coach in the shop shows"
                " where.", icon=":material/tips_and_updates:")


practice()
