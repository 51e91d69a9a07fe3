"""Tutorial: walk one path step by step, with the recorded screenshot of every step.

Every view has an address (``guide/address.py``): the page follows the address when it
changes (a pasted link, a reload, Back / Forward) and writes it as the reader moves.
"""

import streamlit as st

from flowspec.contract import RecordedFlow
from guide import address, paths, ui
from guide.address import Address
from guide.data.recordings import Recordings
from guide.gc_freeze import freeze_what_is_loaded
from guide.window import NARROW_PX, window_width

STEP_CARD = "tutorial-step"  # key of the container the fragment draws in (tests find it)
VIEWS = {"steps": ":material/slideshow: Step by step", "all": ":material/view_list: All steps"}
PATH, DEVICE, VIEW = "guide.path", "guide.device", "guide.view"
DEVICE_KNOWN = "guide.device.known"  # the address, the reader or the window has said
WRITTEN = "guide.address"  # the query parameters this session last put in the address bar


def step_key(flow_id: str) -> str:
    return f"guide.step.{flow_id}"


def tutorial() -> None:
    ui.page_head(
        "How to cancel an order",
        "Pick the situation you are in, then follow the screenshots one step at a time."
        " Tip: the ← and → keys move between steps.",
    )
    recordings = ui.require_recordings()
    _follow_address(recordings)

    path = ui.bound_choice(
        st.segmented_control, "Your situation", recordings.paths(), PATH,
        format_func=lambda p: f"{paths.path_info(p).icon} {paths.path_info(p).label}",
        required=True,
    )
    flows = recordings.flows_in(path)
    flow = flows[0]
    if len(flows) > 1:
        with st.columns(2)[0]:
            flow = _choose_flow(path, flows)
    screen, show = st.columns(2, vertical_alignment="bottom")
    with screen:
        device = ui.bound_choice(
            st.segmented_control, "Screen", list(recordings.devices), DEVICE,
            format_func=lambda d: ui.device_label(recordings, d), required=True,
        )
    with show:
        view = ui.bound_choice(
            st.segmented_control, "Show", list(VIEWS), VIEW,
            format_func=VIEWS.__getitem__, required=True,
        )
    st.info(paths.when_text(flow.when, flow.path), icon=":material/lightbulb:")

    if view == address.ALL_STEPS:
        _write_address(recordings, _here(flow, device, view))
        _all_steps(recordings, flow, device)
    else:
        _one_step(recordings, flow, device)
    _window_width(recordings)


# --- the address -----------------------------------------------------------------------------


def _here(flow: RecordedFlow, device: str, view: str) -> Address:
    step = int(st.session_state.get(step_key(flow.id), 0)) + 1
    return Address(flow.id, device, min(max(step, 1), len(flow.steps)),
                   address.ALL_STEPS if view == address.ALL_STEPS else None)


def _shown_by(params: dict[str, str], recordings: Recordings) -> Address:
    """The view ``params`` stand for, defaults filled in: ``/`` is the first flow's step 1."""
    given = address.parse(params, recordings)
    flow = recordings.flow(given.flow or "") or recordings.flows_in(recordings.paths()[0])[0]
    device = given.device or st.session_state.get(DEVICE) or next(iter(recordings.devices))
    return Address(flow.id, device, given.step or 1, given.view)


def _follow_address(recordings: Recordings) -> None:
    """When the address changed outside the page (link, reload, Back), show what it says."""
    params = st.query_params.to_dict()
    if params == st.session_state.get(WRITTEN):
        return
    st.session_state[WRITTEN] = params
    if address.parse(params, recordings).device:
        st.session_state[DEVICE_KNOWN] = True
    shown = _shown_by(params, recordings)
    flow = recordings.flow(shown.flow or "")
    assert flow is not None
    st.session_state[PATH] = flow.path
    st.session_state[f"guide.flow.{flow.path}"] = flow.id
    st.session_state[step_key(flow.id)] = (shown.step or 1) - 1
    st.session_state[DEVICE] = shown.device
    st.session_state[VIEW] = address.ALL_STEPS if shown.view else "steps"


def _write_address(recordings: Recordings, here: Address) -> None:
    """Put ``here`` in the address bar, unless the address already stands for it."""
    params = st.query_params.to_dict()
    if _shown_by(params, recordings) == here:
        return
    wanted = here.params()
    if not st.session_state.get(DEVICE_KNOWN):
        wanted.pop(address.DEVICE, None)  # the window has not said yet: keep it open
    st.query_params.from_dict(wanted)
    st.session_state[WRITTEN] = wanted


def _window_width(recordings: Recordings) -> None:
    """Phone pictures on a narrow window, desktop on a wide one, until the reader chooses."""
    if st.session_state.get(DEVICE_KNOWN):
        return
    width = window_width()
    if width is None:
        return
    st.session_state[DEVICE_KNOWN] = True
    wanted = "phone" if width < NARROW_PX else "desktop"
    if wanted in recordings.devices and wanted != st.session_state.get(DEVICE):
        st.session_state[DEVICE] = wanted
        st.rerun()


# --- one step at a time ----------------------------------------------------------------------


def _choose_flow(path: str, flows: list[RecordedFlow]) -> RecordedFlow:
    by_id = {flow.id: flow for flow in flows}
    chosen = ui.bound_choice(
        st.selectbox, "Which of these looks like your order?", list(by_id),
        f"guide.flow.{path}", format_func=lambda i: by_id[i].title,
    )
    return by_id[chosen]


# Next, Previous and Start again rerun only this fragment, not the whole page: everything
# that changes with the step (counter, title, instruction, pictures, the address, "What
# happens next" at the end) is drawn inside it, and nothing outside it reads the step.
@st.fragment
def _one_step(recordings: Recordings, flow: RecordedFlow, device: str) -> None:
    if not recordings.is_current():
        # Recorded again since the page last ran: the flow passed in may be out of date.
        st.rerun(scope="app")
    key = step_key(flow.id)
    total = len(flow.steps)
    index = min(max(int(st.session_state.get(key, 0)), 0), total - 1)
    st.session_state[key] = index
    step = flow.steps[index]
    here = Address(flow.id, device, index + 1)
    _write_address(recordings, here)

    def move(by: int) -> None:
        st.session_state[key] = min(max(index + by, 0), total - 1)

    with st.container(key=STEP_CARD):
        with st.container(border=True):
            # The counter and the buttons come first, so Next is in reach without scrolling.
            counter, back, forward = st.columns([4, 1.3, 1.3], vertical_alignment="center")
            with counter:
                st.markdown(f"**Step {index + 1} of {total}**")
                st.progress((index + 1) / total)
            back.button("Previous", key="tutorial-previous", icon=":material/arrow_back:",
                        on_click=move, args=(-1,), disabled=index == 0, width="stretch",
                        help="Previous step (← key)", shortcut="Left")
            forward.button("Next", key="tutorial-next", icon=":material/arrow_forward:",
                           icon_position="right", on_click=move, args=(1,),
                           disabled=index == total - 1, type="primary", width="stretch",
                           help="Next step (→ key)", shortcut="Right")
            text_side, image_side = st.columns([1, 2], gap="medium")
            with text_side:
                st.subheader(step.title, anchor=False)
                st.markdown(step.instruction)
                if index == total - 1:
                    st.button("Start again", key="tutorial-restart", icon=":material/replay:",
                              on_click=move, args=(-total,), type="tertiary")
                ui.link_to_step(here)
            with image_side:
                ui.show_step_pictures(recordings, step, device)
        if index == total - 1:
            ui.what_happens_next(flow.next, flow.path)
        else:
            ui.warm_image(recordings, flow.steps[index + 1], device)
    freeze_what_is_loaded()  # a Next may be the first to draw a table (imports pandas)


def _all_steps(recordings: Recordings, flow: RecordedFlow, device: str) -> None:
    total = len(flow.steps)
    for index, step in enumerate(flow.steps):
        with st.container(border=True):
            text_side, image_side = st.columns([1, 2], gap="medium")
            with text_side:
                st.markdown(f"**Step {index + 1} of {total}**")
                st.subheader(step.title, anchor=False)
                st.markdown(step.instruction)
            with image_side:
                ui.show_step_pictures(recordings, step, device, key=f"all-{index}")
    ui.what_happens_next(flow.next, flow.path)


tutorial()
