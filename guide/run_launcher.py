"""Start a regression run from the guide and follow it while it lasts.

The run is ``python -m flows run`` in the background (``guide.data.runs``); its progress is
read from disk, so the reader may leave the page and come back to it.
"""

import streamlit as st

from flows.run.live_server import answers
from flowspec.contract import StepStatus
from guide.data import config
from guide.data.recordings import Recordings
from guide.data.runs import RunOptions, RunProgress, RunUnderWay, run_progress, start_run

STEP_MARKS = {
    StepStatus.PASSED: ":green[:material/check_circle:]",
    StepStatus.CHANGED: ":violet[:material/compare:]",
    StepStatus.FAILED: ":red[:material/cancel:]",
    StepStatus.SKIPPED: ":gray[:material/do_not_disturb_on:]",
}
DEVICES = {"Both": "all", "Desktop": "desktop", "Phone": "phone"}


def launcher(recordings: Recordings | None) -> None:
    """The run under way, followed live; else a form to start one (and why the last one
    started here ended without a report, when it did)."""
    progress = run_progress()
    if progress is not None and progress.under_way:
        _follow()
        return
    with st.form("regression.start", border=True):
        st.markdown("**Start a run**")
        flows = [flow.id for flow in recordings.flows] if recordings else []
        chosen = st.multiselect("Flows (none chosen: all of them)", flows, key="run.flows")
        left, right = st.columns(2)
        device = left.radio("Devices", list(DEVICES), horizontal=True, key="run.device")
        retries = right.number_input("Retries of a failed flow", 0, 3, 0, key="run.retries")
        start = st.form_submit_button("Start the run", icon=":material/play_arrow:")
    if start:
        _start(RunOptions(tuple(chosen), DEVICES[device], int(retries), config.settings().storefront_url))
    elif progress is not None:
        _last_progress(progress)


def _start(options: RunOptions) -> None:
    if not answers(options.base_url or ""):
        st.error(
            f"The run cannot start: the storefront at {options.base_url} does not answer."
            " Start it from the repository folder with `.venv/bin/python -m mock_site`"
            " (or `scripts/run_guide.sh`, which starts both), or point the guide at a running"
            " one with GUIDE_STOREFRONT_URL; then start the run again.",
            icon=":material/cloud_off:",
        )
        return
    try:
        start_run(options)
    except RunUnderWay as under_way:
        st.warning(str(under_way), icon=":material/hourglass_top:")
    except OSError as error:
        st.error(f"The run could not be started: {error}", icon=":material/error:")
    st.rerun()


@st.fragment(run_every=1.0)
def _follow() -> None:
    """Redrawn every second while the run lasts; the whole page reloads when it ends."""
    progress = run_progress()
    if progress is None or not progress.under_way:
        st.rerun(scope="app")
        return
    started = progress.started
    label = "Starting the browser and the storefront…"
    if progress.steps:
        last = progress.steps[-1]
        label = f"{last.describe()} · {last.status}"
    what = f"{len(started.flows)} flows" if started else "the flows"
    st.markdown(f"**Run under way** ({what}); you can leave this page and come back.")
    st.progress(progress.fraction(), text=label)
    _not_passed_so_far(progress)


def _last_progress(progress: RunProgress) -> None:
    """Why the last run started here ended without a report, when it did."""
    problem = progress.problem
    if problem is not None:
        st.error(f"The last run could not start: {problem.text}\n\n{_fix(problem.text)}",
                 icon=":material/error:")


def _fix(text: str) -> str:
    if "answers" in text or "storefront" in text.lower():
        return "Start the storefront with `.venv/bin/python -m mock_site`, then start the run again."
    if "Chromium" in text or "browser" in text.lower():
        return ("Install Chromium (`scripts/setup.sh`), set SHOP_CHROMIUM to one, or set"
                " FLOWS_BROWSER_ENDPOINT to a running browser; then start the run again.")
    return "Fix what the message names, then start the run again."


def _not_passed_so_far(progress: RunProgress) -> None:
    bad = [s for s in progress.steps if s.status in (StepStatus.FAILED, StepStatus.CHANGED)]
    for step in bad[-5:]:
        st.caption(f"{STEP_MARKS[step.status]} {step.describe()}: {step.message}")
