"""Regression run: start one, follow it, read what changed and accept intended changes."""

import streamlit as st

from flows.run.live_server import answers
from flowspec.contract import (
    JobOutcome,
    RunKind,
    RunReport,
    RunReportError,
    StepOutcome,
    StepStatus,
)
from guide import config, ui
from guide.recordings import Recordings, RecordingsError, load_recordings
from guide.review import AcceptProblem, accept_steps, acceptance_of, onion_skin
from guide.runs import (
    RunOptions,
    RunProgress,
    RunReportMissing,
    RunUnderWay,
    load_run_report,
    report_image,
    run_progress,
    start_run,
    when,
)

MARKS = {
    StepStatus.PASSED: ":green[:material/check_circle:]",
    StepStatus.CHANGED: ":violet[:material/compare:]",
    StepStatus.FAILED: ":red[:material/cancel:]",
    StepStatus.SKIPPED: ":gray[:material/do_not_disturb_on:]",
}
OUTCOME_MARKS = {
    JobOutcome.FAILED: MARKS[StepStatus.FAILED],
    JobOutcome.FLAKY: ":orange[:material/warning:]",
    JobOutcome.PASSED: MARKS[StepStatus.PASSED],
}
DEVICES = {"Both": "all", "Desktop": "desktop", "Phone": "phone"}


def regression() -> None:
    ui.page_head(
        "Regression run",
        "The flows drive the storefront like a shopper and compare every screen with its"
        " recorded baseline. Start a run here (or with python -m flows run); the latest"
        " one is shown below, failures first."
    )
    recordings = _recordings_quietly()
    _launcher(recordings)
    try:
        report = load_run_report()
    except RunReportMissing as missing:
        st.info(
            f"No run to show yet (`{missing}` does not exist). Start one above, or from the"
            " repository folder with `.venv/bin/python -m flows run`; recording with"
            " `python -m flows record` writes one too.",
            icon=":material/pending_actions:",
        )
        return
    except RunReportError as error:
        st.error(f"The latest run cannot be read: {error} Run the flows again to replace it.",
                 icon=":material/error:")
        return
    outcomes = {key: _job_outcome(report, *key, rows) for key, rows in report.groups().items()}
    _overview(report, outcomes)
    _results(report, recordings, outcomes)


def _recordings_quietly() -> Recordings | None:
    try:
        return load_recordings()
    except (FileNotFoundError, RecordingsError):
        return None


# --- start and follow -------------------------------------------------------------------


def _launcher(recordings: Recordings | None) -> None:
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
        st.caption(f"{MARKS[step.status]} {step.describe()}: {step.message}")


# --- read -------------------------------------------------------------------------------


def _overview(report: RunReport, job_outcomes: dict[tuple[str, str], JobOutcome]) -> None:
    kind = "Recording" if report.kind == RunKind.RECORD else "Regression run"
    st.markdown(f"**{kind}** started {when(report.started_at)}, finished"
                f" {when(report.finished_at)} · source `{config.shown_path(config.settings().run_report)}`")
    outcomes = {o: sum(v == o for v in job_outcomes.values()) for o in JobOutcome}
    counts = report.counts()
    columns = st.columns(6)
    for column, (label, value) in zip(columns, (
        ("Flows passed", outcomes[JobOutcome.PASSED]),
        ("Flows failed", outcomes[JobOutcome.FAILED]),
        ("Flaky", outcomes[JobOutcome.FLAKY]),
        ("Pictures changed", counts.get(StepStatus.CHANGED, 0)),
        ("Steps failed", counts.get(StepStatus.FAILED, 0)),
        ("Steps skipped", counts.get(StepStatus.SKIPPED, 0)),
    ), strict=True):
        column.metric(label, value)
    if not report.results:
        st.warning("The run has no results: no flow was run.", icon=":material/warning:")
    elif outcomes[JobOutcome.FAILED]:
        st.error(f"{outcomes[JobOutcome.FAILED]} flow run(s) failed; they are listed first.",
                 icon=":material/error:")
    else:
        st.success("Every flow passed.", icon=":material/verified:")


def _job_outcome(report: RunReport, flow: str, device: str, rows: list[StepOutcome]) -> JobOutcome:
    """From the report's job line; a report written before jobs were recorded has none."""
    job = report.job(flow, device)
    if job is not None:
        return job.outcome
    bad = any(r.status in (StepStatus.FAILED, StepStatus.CHANGED) for r in rows)
    return JobOutcome.FAILED if bad else JobOutcome.PASSED


def _results(report: RunReport, recordings: Recordings | None,
             outcomes: dict[tuple[str, str], JobOutcome]) -> None:
    groups = report.groups()
    left, middle, right = st.columns(3)
    flows = left.multiselect("Flow", sorted({f for f, _ in groups}), key="regression.flows")
    devices = middle.multiselect("Device", sorted({d for _, d in groups}), key="regression.devices")
    status = right.selectbox("Outcome", ["all", *JobOutcome], key="regression.outcome")
    order = {JobOutcome.FAILED: 0, JobOutcome.FLAKY: 1, JobOutcome.PASSED: 2}
    shown = 0
    for (flow_id, device), rows in sorted(groups.items(), key=lambda kv: order[outcomes[kv[0]]]):
        outcome = outcomes[(flow_id, device)]
        if (flows and flow_id not in flows) or (devices and device not in devices):
            continue
        if status != "all" and outcome != status:
            continue
        shown += 1
        _job(report, recordings, flow_id, device, rows, outcome)
    if not shown:
        st.caption("No flow matches the filters.")


def _job(report: RunReport, recordings: Recordings | None, flow_id: str, device: str,
         rows: list[StepOutcome], outcome: JobOutcome) -> None:
    flow = recordings.flow(flow_id) if recordings else None
    title = flow.title if flow else flow_id
    job = report.job(flow_id, device)
    seconds = f" · {job.duration_ms / 1000:.1f} s" if job else ""
    with st.expander(f"{OUTCOME_MARKS[outcome]} {title} · {device} · {outcome}{seconds}",
                     expanded=outcome != JobOutcome.PASSED):
        recorded = flow.recorded_at.get(device) if flow else None
        st.caption(f"Baseline recorded {when(recorded)}" if recorded
                   else "No baseline recorded for this flow on this device.")
        if job and job.earlier_failures:
            st.warning("Flaky: failed, then passed on a retry.\n\n"
                       + "\n".join(f"- {line}" for line in job.earlier_failures),
                       icon=":material/warning:")
        st.table(
            {
                "Step": [f"{r.step}. {r.step_id}" for r in rows],
                "Result": [r.status.value for r in rows],
                "Time": [f"{r.duration_ms} ms" if r.duration_ms is not None else "" for r in rows],
                "Message": [r.message for r in rows],
            },
            hide_index=True,
        )
        changed = [r for r in rows if r.acceptable]
        can_accept = report.kind == RunKind.RUN and changed and recordings is not None
        if can_accept and st.button(f"Accept all changes in this flow ({len(changed)})",
                                    key=f"accept-all.{flow_id}.{device}",
                                    icon=":material/done_all:"):
            _accept(report, changed)
        for row in rows:
            if row.status in (StepStatus.FAILED, StepStatus.CHANGED):
                _step(report, recordings, row)


def _step(report: RunReport, recordings: Recordings | None, row: StepOutcome) -> None:
    st.markdown(f"{MARKS[row.status]} **Step {row.step} · {row.step_id}**: "
                f"{row.message or row.status.value}")
    if row.status is StepStatus.SKIPPED:
        return
    columns = st.columns(3)
    paths = (row.expected, row.actual, row.diff)
    for column, label, relative in zip(
        columns, ("Expected (baseline)", "Actual", "Difference"), paths, strict=True
    ):
        with column:
            st.caption(label)
            image = report_image(relative)
            if image is None:
                st.caption(f"_{'not saved' if not relative else 'missing: ' + relative}_")
            else:
                st.image(str(image), width="stretch")
    expected, actual = report_image(row.expected), report_image(row.actual)
    key = f"{row.flow}.{row.device}.{row.step}"
    if expected and actual:
        share = st.slider("Onion skin: expected ← → actual", 0, 100, 50, key=f"onion.{key}")
        st.image(onion_skin(str(expected), str(actual), share / 100), width="stretch")
    if row.status is StepStatus.FAILED:
        st.caption("A failed expectation cannot be accepted: fix the storefront or the flow.")
        return
    accepted = acceptance_of(recordings, row, report.started_at) if recordings else None
    if accepted is not None:
        st.success(f"Accepted by {accepted.reviewer} on {when(accepted.at)}.",
                   icon=":material/task_alt:")
    elif report.kind == RunKind.RUN and st.button("Accept", key=f"accept.{key}",
                                                   icon=":material/done:"):
        _accept(report, [row])


def _accept(report: RunReport, rows: list[StepOutcome]) -> None:
    reviewer = st.session_state.get("regression.reviewer", "").strip()
    if not reviewer:
        st.warning("Give your name as the reviewer (in the sidebar) before accepting.",
                   icon=":material/badge:")
        return
    try:
        accepted = accept_steps(report, rows, reviewer)
    except AcceptProblem as problem:
        st.error(str(problem), icon=":material/error:")
        return
    st.toast(f"{accepted} picture(s) are now the baseline.")
    st.rerun()


with st.sidebar:
    st.text_input("Reviewer (for accepted changes)", key="regression.reviewer")

regression()
