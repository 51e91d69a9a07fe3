"""Export: the whole guide, or one path, as a single HTML file that works offline."""

import streamlit as st

from guide import paths, ui
from guide.data.recordings import Recordings
from guide.export import build_html, file_name

WHOLE = "__all__"


def export() -> None:
    ui.page_head(
        "Export the guide",
        "Download a single web page with every step and screenshot built in. It opens without"
        " the internet, so you can e-mail it, put it on a shared drive or print it."
    )
    recordings = ui.require_recordings()
    scope = ui.bound_choice(
        st.radio, "What to export", [WHOLE, *recordings.paths()], "export.scope",
        format_func=lambda p: "The whole guide" if p == WHOLE else paths.path_info(p).label,
    )
    devices = st.pills(
        "Screenshots for", list(recordings.devices), selection_mode="multi",
        default=list(recordings.devices), key="export.devices",
        format_func=lambda d: ui.device_label(recordings, d),
    )
    if not devices:
        st.warning("Pick at least one screen size.", icon=":material/devices:")
        return
    path = None if scope == WHOLE else scope
    flows = recordings.flows if path is None else recordings.flows_in(path)
    title = "How to cancel an order" if path is None else (
        f"How to cancel an order: {paths.path_info(path).label.lower()}"
    )
    flow_ids, chosen = tuple(f.id for f in flows), tuple(devices)
    steps = sum(len(f.steps) for f in flows)
    # Built before the button is offered, so the first click downloads a finished file.
    with st.spinner("Preparing the file…"):
        data = _build(recordings, flow_ids, chosen, title)
    st.markdown(
        f"**{len(flows)}** walkthrough{'s' if len(flows) != 1 else ''} · **{steps}** steps ·"
        f" **{len(data) / 1_000_000:.1f} MB**"
    )
    st.download_button(
        "Download the HTML file", data=data, file_name=file_name(path), mime="text/html",
        type="primary", icon=":material/download:", key="export.download", on_click="ignore",
    )
    with st.expander("What is inside"):
        for flow in flows:
            st.markdown(f"- **{flow.title}** ({len(flow.steps)} steps)")


@st.cache_data(show_spinner=False, max_entries=4)
def _build(recordings: Recordings, flow_ids: tuple[str, ...], devices: tuple[str, ...],
           title: str) -> bytes:
    return build_html(recordings, flow_ids, devices, title=title).encode("utf-8")


export()
