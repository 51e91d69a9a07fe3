"""Pieces several pages share: loading recordings with friendly errors, images, tables.

Anything that can go wrong while reading files ends here as a message on the page;
a shopper never sees a traceback.
"""

import contextlib
from collections.abc import Callable

import streamlit as st

from flows.contract import RecordedStep, StepFinished
from guide import config, paths
from guide.recorder import run_recorder
from guide.recordings import (
    ImageMissing,
    Recordings,
    RecordingsError,
    RecordingsMissing,
    image_bytes,
    load_recordings,
)

TUTORIAL_PAGE = "guide/pages/tutorial.py"
PHONE_IMAGE_WIDTH = 412  # the phone screenshots are 412 px wide: shown at their own size


# --- recordings ----------------------------------------------------------------------------------


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


def show_step_image(recordings: Recordings, step: RecordedStep, device: str) -> None:
    """The step's screenshot, or a short note saying why it cannot be shown."""
    try:
        data = image_bytes(recordings, step, device)
    except ImageMissing as missing:
        st.info(str(missing), icon=":material/hide_image:")
        return
    except OSError as error:
        st.warning(f"The screenshot for step {step.number} could not be read: {error}",
                   icon=":material/broken_image:")
        return
    label = recordings.devices[device].label if device in recordings.devices else device
    alt = f"Step {step.number}: {step.title} ({label})"
    # PNG, not Streamlit's default JPEG: screenshots are text, and JPEG blurs it.
    if device == "phone":
        st.image(data, width=PHONE_IMAGE_WIDTH, alt=alt, output_format="PNG")
    else:
        st.image(data, width="stretch", alt=alt, output_format="PNG")


def warm_image(recordings: Recordings, step: RecordedStep, device: str) -> None:
    """Read the next step's screenshot into the cache now, so Next shows it at once."""
    with contextlib.suppress(ImageMissing, OSError):
        image_bytes(recordings, step, device)


def device_label(recordings: Recordings, device: str) -> str:
    icon = ":material/smartphone:" if device == "phone" else ":material/computer:"
    name = recordings.devices[device].label if device in recordings.devices else device
    return f"{icon} {name}"


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
    """Make the tutorial open on ``path`` (and the variant ``flow_id``) at step 1."""
    st.session_state["guide.path"] = path
    if flow_id:
        st.session_state[f"guide.flow.{path}"] = flow_id
        st.session_state[f"guide.step.{flow_id}"] = 0
    st.switch_page(TUTORIAL_PAGE)


# --- what happens next ---------------------------------------------------------------------------


def refund_table() -> None:
    """Refund time per payment method, fastest first (from the payment rules)."""
    rows = paths.refund_rows()
    st.table(
        {
            "Paid with": [row.method for row in rows],
            "Money back within": [row.days for row in rows],
            "Processed by the marketplace": [f"after {row.processed_after}" for row in rows],
        },
        hide_index=True,
    )


def coupon_table() -> None:
    """Every case of the coupon rule, answered by the coupon rules."""
    rows = paths.coupon_rows()
    st.table(
        {
            "Coupon": [r.coupon for r in rows],
            "When you cancel": [r.situation for r in rows],
            "What happens": [r.outcome for r in rows],
        },
        hide_index=True,
    )


def what_happens_next(flow_next: str, path: str) -> None:
    """The closing section of a path: its outcome, refund times and the coupon rule."""
    st.subheader("What happens next", anchor=False)
    st.markdown(paths.next_text(flow_next, path))
    st.markdown(f"**How long the refund takes.** {paths.refund_summary()}")
    refund_table()
    st.caption("Tracker stages: " + " → ".join(paths.tracker_stages()))
    if path == paths.COUPON:
        st.markdown("**What becomes of your coupons.**")
        coupon_table()
        st.caption(paths.PARTIAL_REFUND_NOTE)
    else:
        with st.expander("Paid with a coupon?"):
            coupon_table()
            st.caption(paths.PARTIAL_REFUND_NOTE)
