"""Tutorial: walk one path step by step, with the recorded screenshot of every step."""

import streamlit as st

from flows.contract import RecordedFlow
from guide import paths, ui
from guide.gc_freeze import freeze_what_is_loaded
from guide.recordings import Recordings

STEP_CARD = "tutorial-step"  # key of the container the fragment draws in (tests find it)
VIEWS = {"steps": ":material/slideshow: Step by step", "all": ":material/view_list: All steps"}


def tutorial() -> None:
    st.title("How to cancel an order", anchor=False)
    st.caption("Pick the situation you are in, then follow the screenshots one step at a time.")
    recordings = ui.require_recordings()

    path = ui.bound_choice(
        st.segmented_control, "Your situation", recordings.paths(), "guide.path",
        format_func=lambda p: f"{paths.path_info(p).icon} {paths.path_info(p).label}",
        required=True,
    )
    flow = _choose_flow(recordings, path)
    st.info(paths.when_text(flow.when, flow.path), icon=":material/lightbulb:",
            title="When this path applies")

    left, right = st.columns([1, 1], vertical_alignment="bottom")
    with left:
        device = ui.bound_choice(
            st.segmented_control, "Screen", list(recordings.devices), "guide.device",
            format_func=lambda d: ui.device_label(recordings, d), required=True,
        )
    with right:
        view = ui.bound_choice(
            st.segmented_control, "Show", list(VIEWS), "guide.view",
            format_func=VIEWS.__getitem__, required=True,
        )

    if view == "all":
        _all_steps(recordings, flow, device)
    else:
        _one_step(recordings, flow, device)


def _choose_flow(recordings: Recordings, path: str) -> RecordedFlow:
    flows = recordings.flows_in(path)
    if len(flows) == 1:
        return flows[0]
    chosen = ui.bound_choice(
        st.radio, "Which of these looks like your order?", [f.id for f in flows],
        f"guide.flow.{path}", format_func=lambda i: recordings.flow(i).title, horizontal=len(flows) <= 3,
    )
    return recordings.flow(chosen)


# Next, Previous and Start again rerun only this fragment, not the whole page: everything
# that changes with the step (counter, progress bar, title, instruction, screenshot, the
# "What happens next" section at the end) is drawn inside it, and nothing outside it reads
# the step. The widgets outside (path, variant, screen, view) rerun the page, which draws
# the fragment again with their new values.
@st.fragment
def _one_step(recordings: Recordings, flow: RecordedFlow, device: str) -> None:
    if not recordings.is_current():
        # Recorded again since the page last ran: the flow passed in may be out of date.
        st.rerun(scope="app")
    key = f"guide.step.{flow.id}"
    total = len(flow.steps)
    index = min(max(int(st.session_state.get(key, 0)), 0), total - 1)
    st.session_state[key] = index
    step = flow.steps[index]

    def move(by: int) -> None:
        st.session_state[key] = min(max(index + by, 0), total - 1)

    with st.container(key=STEP_CARD):
        with st.container(border=True):
            # Text and buttons on the left, the screenshot beside them, so Next stays in
            # reach without scrolling; on a narrow screen Streamlit stacks the two columns.
            text_side, image_side = st.columns([3, 2] if device == "phone" else [2, 3],
                                               gap="large")
            with text_side:
                _step_text(index, total, step.title, step.instruction)
                _step_buttons(index, total, move)
            with image_side:
                ui.show_step_image(recordings, step, device)
        if index == total - 1:
            ui.what_happens_next(flow.next, flow.path)
        else:
            ui.warm_image(recordings, flow.steps[index + 1], device)
    freeze_what_is_loaded()  # a Next may be the first to draw a table (imports pandas)


def _step_text(index: int, total: int, title: str, instruction: str) -> None:
    st.markdown(f"**Step {index + 1} of {total}**")
    st.progress((index + 1) / total)
    st.subheader(title, anchor=False)
    st.markdown(instruction)


def _step_buttons(index: int, total: int, move) -> None:
    back, forward = st.columns(2, vertical_alignment="center")
    back.button("Previous", key="tutorial.previous", icon=":material/arrow_back:",
                on_click=move, args=(-1,), disabled=index == 0, width="stretch")
    forward.button("Next", key="tutorial.next", icon=":material/arrow_forward:",
                   icon_position="right", on_click=move, args=(1,),
                   disabled=index == total - 1, type="primary", width="stretch")
    if index == total - 1:
        st.button("Start again", key="tutorial.restart", icon=":material/replay:",
                     on_click=move, args=(-total,), type="tertiary")


def _all_steps(recordings: Recordings, flow: RecordedFlow, device: str) -> None:
    total = len(flow.steps)
    for index, step in enumerate(flow.steps):
        with st.container(border=True):
            text_side, image_side = st.columns([1, 2] if device != "phone" else [3, 2],
                                               gap="large")
            with text_side:
                st.markdown(f"**Step {index + 1} of {total}**")
                st.subheader(step.title, anchor=False)
                st.markdown(step.instruction)
            with image_side:
                ui.show_step_image(recordings, step, device)
    ui.what_happens_next(flow.next, flow.path)


tutorial()
