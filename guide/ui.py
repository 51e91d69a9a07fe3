"""Pieces several pages share: loading recordings with friendly errors, images, tables.

Anything that can go wrong while reading files ends here as a message on the page;
a shopper never sees a traceback.
"""

import contextlib
from collections.abc import Callable
from typing import Literal

import streamlit as st

from domain.paths import PathId
from flowspec.contract import RecordedStep, StepFinished
from guide import paths
from guide.address import Address
from guide.data import config
from guide.data.recorder import run_recorder
from guide.data.recordings import (
    ImageMissing,
    Recordings,
    RecordingsError,
    RecordingsMissing,
    crop_bytes,
    image_bytes,
    load_recordings,
)

TUTORIAL_PAGE = "guide/pages/tutorial.py"
PHONE_OVERVIEW_WIDTH = 240  # the whole phone screen beside its close-up: an overview


# --- recordings ----------------------------------------------------------------------------------


def page_head(title: str, intro: str) -> None:
    """How every guide page opens: its title, then one line on what it is for."""
    st.title(title, anchor=False)
    st.caption(intro)


def load_or_explain() -> Recordings | None:
    """The recordings, or None after explaining on the page why there are none."""
    try:
        recordings = load_recordings()
    except RecordingsMissing as missing:
        st.warning(
            "The screenshots for this guide have not been recorded yet"
            f" (no `{config.shown_path(missing.directory / 'manifest.json')}`).",
            icon=":material/photo_camera:",
        )
        offer_recording()
        return None
    except RecordingsError as error:
        st.error(
            f"The recordings cannot be read: {error}\n\nRecord them again to repair them.",
            icon=":material/broken_image:",
        )
        offer_recording()
        return None
    if recordings.missing_images:
        count = len(recordings.missing_images)
        st.warning(
            f"{count} screenshot{'s are' if count > 1 else ' is'} missing from the recordings"
            f" (first: `{recordings.missing_images[0]}`). The steps are still listed; record"
            " again to bring the pictures back.",
            icon=":material/hide_image:",
        )
    return recordings


def require_recordings() -> Recordings:
    """The recordings, or stop the page after explaining why there are none."""
    recordings = load_or_explain()
    if recordings is None:
        st.stop()
    return recordings


def offer_recording(key: str = "record") -> None:
    """A button that runs ``python -m flows record`` and follows its progress."""
    st.markdown(
        "The recorder drives the storefront in a headless browser and takes a screenshot of"
        " every step, on every screen size. From the repository folder you can also run"
        " `.venv/bin/python -m flows record`."
    )
    if not st.button("Record the screenshots now", key=key, icon=":material/videocam:",
                     type="primary"):
        return
    bar = st.progress(0.0, text="Starting the recorder…")

    def on_progress(progress: StepFinished, steps_so_far: int, total: int | None) -> None:
        if total:
            done, text = steps_so_far / total, f"{steps_so_far} of {total} steps recorded"
        else:  # unknown total: show how far the current flow is
            done, text = progress.step / max(progress.total, 1), f"{steps_so_far} steps recorded"
        bar.progress(min(done, 1.0), text=f"{text} · now {progress.describe()}")

    with st.spinner("Recording… this takes a minute or two."):
        result = run_recorder(on_progress)
    if result.ok:
        bar.progress(1.0, text=f"Done: {result.steps} steps recorded.")
        st.success("The screenshots are ready.", icon=":material/check_circle:")
        st.button("Show the guide", key=f"{key}-reload", on_click=st.cache_data.clear)
        return
    if result.failures:
        first = result.failures[0]
        st.error(f"{len(result.failures)} step(s) failed while recording, first: "
                 f"{first.describe()}.")
    else:
        st.error(f"The recorder stopped with exit code {result.returncode}.")
    with st.expander("Recorder output"):
        st.code("\n".join(result.output[-60:]) or "(no output)", language=None)


def show_step_pictures(recordings: Recordings, step: RecordedStep, device: str, key: str = "") -> None:
    """The close-up around the step's element at its own size, then the whole screen
    (scaled down), with the whole screen at full size one click away."""
    try:
        data = image_bytes(recordings, step, device)
    except ImageMissing as missing:
        st.info(str(missing), icon=":material/hide_image:")
        return
    except OSError as error:
        st.warning(f"The screenshot for step {step.number} could not be read: {error}",
                   icon=":material/broken_image:")
        return
    alt = f"Step {step.number}: {step.title} ({recordings.label(device)})"
    close_up = crop_bytes(recordings, step, device)
    # PNG, not Streamlit's default JPEG: screenshots are text, and JPEG blurs it. The
    # close-up is never scaled by Streamlit (width="content"): its text stays full size.
    if close_up is not None:
        st.image(close_up, width="content", alt=f"Close-up of step {step.number}: {step.title}",
                 output_format="PNG", caption="Close-up of the highlighted part")
    width: int | Literal["stretch"] = PHONE_OVERVIEW_WIDTH if device == "phone" else "stretch"
    st.image(data, width=width, alt=alt, output_format="PNG",
             caption=None if close_up is None else "The whole screen")
    if st.button("See the whole screen at full size", key=f"full-size-{key}",
                 icon=":material/open_in_full:", type="tertiary"):
        info = recordings.device(device)
        _full_size(data, alt, info.viewport.width if info and info.viewport else None)


def _full_size(data: bytes, alt: str, width: int | None) -> None:
    """The screenshot at its own size, in a dialog as wide as the screen it was taken on."""

    @st.dialog("The whole screen", width=(width or 1280) + 64)
    def show() -> None:
        st.image(data, width="content", alt=alt, output_format="PNG")

    show()


def link_to_step(here: Address) -> None:
    """The address of this step, ready to copy (the code box has a copy button)."""
    with st.popover("Link to this step", icon=":material/link:"):
        st.caption("Copy this address to bookmark this step or send it to someone:")
        st.code(here.link(_page_url()), language=None, wrap_lines=True)


def _page_url() -> str | None:
    """The guide's own address as the browser sees it (None outside a browser)."""
    return st.context.url


def warm_image(recordings: Recordings, step: RecordedStep, device: str) -> None:
    """Read the next step's screenshot into the cache now, so Next shows it at once."""
    with contextlib.suppress(ImageMissing, OSError):
        image_bytes(recordings, step, device)


def device_label(recordings: Recordings, device: str) -> str:
    icon = ":material/smartphone:" if device == "phone" else ":material/computer:"
    return f"{icon} {recordings.label(device)}"


# --- state shared between pages ------------------------------------------------------------------


def bound_choice(
    widget: Callable,
    label: str,
    options: list,
    state_key: str,
    *,
    default=None,
    **kwargs,
):
    """A widget whose value lives in ``state_key`` and so survives moving between pages.

    Streamlit forgets a widget's value when its page is left; the value is kept under a
    plain key and copied into the widget before each run.
    """
    widget_key = f"_w.{state_key}"
    if st.session_state.get(state_key) not in options:
        st.session_state[state_key] = default if default in options else options[0]
    st.session_state[widget_key] = st.session_state[state_key]

    def keep() -> None:
        value = st.session_state.get(widget_key)
        if value is not None:
            st.session_state[state_key] = value

    widget(label, options, key=widget_key, on_change=keep, **kwargs)
    return st.session_state[state_key]


def open_in_tutorial(path: str, flow_id: str | None) -> None:
    """Open the tutorial on ``path`` (and the variant ``flow_id``) at step 1, by its address."""
    st.session_state["guide.path"] = path
    params = {}
    if flow_id:
        st.session_state[f"guide.flow.{path}"] = flow_id
        st.session_state[f"guide.step.{flow_id}"] = 0
        params = Address(flow=flow_id, step=1).params()
    st.switch_page(TUTORIAL_PAGE, query_params=params)


# --- what happens next ---------------------------------------------------------------------------


def refund_table() -> None:
    """Refund time per payment method, fastest first (from the payment rules)."""
    st.table(paths.refund_table().columns(), hide_index=True)


def coupon_table() -> None:
    """Every case of the coupon rule, answered by the coupon rules."""
    st.table(paths.coupon_table().columns(), hide_index=True)


def what_happens_next(flow_next: str, path: str) -> None:
    """The closing section of a path: its outcome, refund times and the coupon rule."""
    st.subheader("What happens next", anchor=False)
    st.markdown(paths.next_text(flow_next, path))
    st.markdown(f"**How long the refund takes.** {paths.refund_summary()}")
    refund_table()
    st.caption("Tracker stages: " + " → ".join(paths.tracker_stages()))
    if path == PathId.COUPON:
        st.markdown("**What becomes of your coupons.**")
        coupon_table()
        st.caption(paths.PARTIAL_REFUND_NOTE)
    else:
        with st.expander("Paid with a coupon?"):
            coupon_table()
            st.caption(paths.PARTIAL_REFUND_NOTE)
