"""Practice: do a path yourself on a fresh copy of a scenario, and check each step."""

from dataclasses import dataclass

import streamlit as st

from flows.contract import RecordedFlow
from guide import paths, ui
from guide.practice_checks import EXERCISES, Exercise, evaluate, exercise_for, next_hint
from guide.recordings import Recordings, RecordingsError, load_recordings
from guide.storefront import START_HINT, Storefront, StorefrontError, StorefrontUnavailable

RUNS = "practice.runs"
SELLER_ACTIONS = {
    "accept": ("Accept the request", ":material/thumb_up:", ""),
    "decline": ("Decline the request", ":material/thumb_down:", ""),
    "cancel": ("Cancel the order", ":material/block:", ""),
    "reply": ("Reply: the parcel has left", ":material/local_shipping:",
              "Sorry, your parcel is already on its way, so we cannot cancel it."),
}
CLOCK_STEPS = {"1 hour": (0, 1), "1 day": (1, 0), "3 days": (3, 0), "1 week": (7, 0),
               "15 days": (15, 0)}


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    exercise: Exercise
    flow: RecordedFlow | None


def practice() -> None:
    st.title("Practice on the storefront", anchor=False)
    st.caption(
        "Start your own copy of an order, cancel it yourself in the shop, and let the guide"
        " check each step. Practice orders are made up; nobody is charged."
    )
    shop = Storefront()
    try:
        known = {s.get("name") for s in shop.scenarios()}
    except StorefrontError as error:
        _offline(shop, error)
        return
    choices = [c for c in _choices() if c.exercise.scenario in known]
    if not choices:
        st.error("The storefront answers, but offers none of the practice scenarios.")
        return
    by_key = {c.key: c for c in choices}
    key = ui.bound_choice(
        st.selectbox, "What do you want to practise?", list(by_key), "practice.choice",
        format_func=lambda k: by_key[k].label,
    )
    choice = by_key[key]
    st.markdown(f"_{choice.exercise.description}_")
    runs = st.session_state.setdefault(RUNS, {})
    run = runs.get(key)
    if run is None:
        if not st.button("Start a practice order", key="practice.start", type="primary",
                         icon=":material/play_arrow:"):
            return
        if error := _start(shop, choice, runs):
            st.error(error, icon=":material/error:")
            return
        st.rerun()
    _session(shop, choice, run)
    if st.button("Start over with a fresh copy", key="practice.restart", type="tertiary",
                 icon=":material/restart_alt:"):
        if error := _start(shop, choice, runs):
            st.error(error, icon=":material/error:")
        else:
            st.rerun()


def _choices() -> list[Choice]:
    """One choice per recorded flow that has checkpoints, else one per exercise."""
    recordings = _recordings_quietly()
    choices = []
    if recordings is not None:
        for flow in recordings.flows:
            exercise = exercise_for(flow.id, flow.scenario)
            if exercise is not None:
                label = f"{paths.path_info(flow.path).label}: {flow.title}"
                choices.append(Choice(f"flow:{flow.id}", label, exercise, flow))
    if not choices:
        for name, exercise in EXERCISES.items():
            label = f"{paths.path_info(exercise.path).label}: {exercise.title}"
            choices.append(Choice(f"scenario:{name}", label, exercise, None))
    return choices


def _recordings_quietly() -> Recordings | None:
    try:
        return load_recordings()
    except (FileNotFoundError, RecordingsError):
        return None


def _offline(shop: Storefront, error: StorefrontError) -> None:
    if isinstance(error, StorefrontUnavailable):
        st.warning(f"The practice shop is not running. {error}\n\n{START_HINT}",
                   icon=":material/cloud_off:")
    else:
        st.error(str(error), icon=":material/error:")
    st.caption(f"The guide looks for the shop at {shop.base_url} (set GUIDE_STOREFRONT_URL to"
               " change it).")
    st.button("Try again", key="practice.retry", icon=":material/refresh:")


def _start(shop: Storefront, choice: Choice, runs: dict) -> str | None:
    """Start a fresh copy of the scenario; the error message if the shop refused."""
    try:
        started = shop.start(choice.exercise.scenario)
    except StorefrontError as error:
        return str(error)
    runs[choice.key] = {
        "token": started.token,
        "email": started.buyer_email,
        "password": started.buyer_password,
        "reached": [False] * len(choice.exercise.checkpoints),
        "checked": False,
        "now": None,
    }
    return None


def _session(shop: Storefront, choice: Choice, run: dict) -> None:
    token = run["token"]
    with st.container(border=True):
        st.markdown("**Open your practice shop**")
        st.link_button("Open the shop in a new tab", shop.buyer_link(token), type="primary",
                       icon=":material/open_in_new:")
        st.caption(
            f"The link signs you in as the practice buyer. If the shop asks, use"
            f" `{run['email']}` with the password `{run['password']}`."
        )
        with st.expander("Or try it inside this page"):
            st.caption("Some browsers refuse to show the shop inside the guide; the link above"
                       " always works.")
            st.iframe(shop.buyer_link(token), height=720)
    if choice.flow is not None:
        with st.expander(f"The steps of “{choice.flow.title}”"):
            for step in choice.flow.steps:
                st.markdown(f"{step.number}. **{step.title}**: {step.instruction}")
    _helpers(shop, choice.exercise, run)
    _progress(shop, choice.exercise, run)


def _helpers(shop: Storefront, exercise: Exercise, run: dict) -> None:
    token = run["token"]
    order = exercise.order
    if "seller" in exercise.helpers and order:
        with st.container(border=True):
            st.markdown("**Play the seller**")
            st.caption("In real life the store answers; here you answer for it.")
            columns = st.columns(len(SELLER_ACTIONS))
            for column, (action, (label, icon, message)) in zip(
                columns, SELLER_ACTIONS.items(), strict=True
            ):
                if column.button(label, key=f"practice.seller.{action}", icon=icon,
                                 width="stretch"):
                    _act(lambda a=action, m=message: shop.seller(token, order, a, m), run)
            st.link_button("Open the seller console", shop.seller_link(token),
                           icon=":material/storefront:", type="tertiary")
    if "clock" in exercise.helpers:
        with st.container(border=True):
            st.markdown("**Let time pass**")
            st.caption("The practice shop has its own clock; move it on to see what happens.")
            columns = st.columns(len(CLOCK_STEPS))
            for column, (label, (days, hours)) in zip(columns, CLOCK_STEPS.items(), strict=True):
                if column.button(f"+ {label}", key=f"practice.clock.{label}", width="stretch"):
                    _act(lambda d=days, h=hours: shop.advance_clock(token, d, h), run)


def _act(call, run: dict) -> None:
    try:
        call()
    except StorefrontError as error:
        st.error(str(error), icon=":material/error:")
        return
    run["check_now"] = True


def _progress(shop: Storefront, exercise: Exercise, run: dict) -> None:
    st.subheader("Your progress", anchor=False)
    clicked = st.button("Check my progress", key="practice.check", type="primary",
                        icon=":material/checklist:")
    if clicked or run.pop("check_now", False):
        try:
            state = shop.state(run["token"])
        except StorefrontError as error:
            st.error(f"{error}" + (f"\n\n{START_HINT}" if isinstance(
                error, StorefrontUnavailable) else ""), icon=":material/error:")
        else:
            run["reached"] = evaluate(exercise, state, run["reached"])
            run["checked"] = True
            run["now"] = state.get("now")
    done = run["reached"]
    total = len(exercise.checkpoints)
    count = sum(done)
    st.progress(count / total, text=f"{count} of {total} checkpoints reached")
    for checkpoint, reached in zip(exercise.checkpoints, done, strict=True):
        icon = ":green[:material/check_circle:]" if reached else ":material/radio_button_unchecked:"
        st.markdown(f"{icon} {checkpoint.title}")
    if not run["checked"]:
        st.caption("Do the first step in the shop, then press **Check my progress**.")
        return
    if run.get("now"):
        st.caption(f"Practice shop clock: {run['now'].replace('T', ' ')[:16]}")
    upcoming = next_hint(exercise, done)
    if upcoming is None:
        st.success("Every checkpoint is done. Well played!", icon=":material/celebration:")
    else:
        st.info(f"**Next: {upcoming.title}.** {upcoming.hint}", icon=":material/tips_and_updates:")


practice()
