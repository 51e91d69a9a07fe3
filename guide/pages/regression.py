"""Regression run: what the latest run found, failures first, and accepting intended changes.

Starting a run and following it is ``guide.run_launcher``'s part of the page.
"""

import streamlit as st

from flowspec.contract import (
    DeviceName,
    JobOutcome,
    RunKind,
    RunReport,
    RunReportError,
    StepOutcome,
    StepStatus,
    job_outcome,
)
from guide import ui
from guide.data import config
from guide.data.recordings import Recordings, load_recordings_if_any
from guide.data.review import (
    AcceptProblem,
    accept_steps,
    acceptance_of,
    onion_skin,
    run_changes,
)
from guide.data.runs import (
    RunReportMissing,
    load_run_report,
    report_image,
    when,
)
from guide.run_launcher import STEP_MARKS, launcher

OUTCOME_MARKS = {
    JobOutcome.FAILED: STEP_MARKS[StepStatus.FAILED],
    JobOutcome.CHANGED: STEP_MARKS[StepStatus.CHANGED],
    JobOutcome.FLAKY: ":orange[:material/warning:]",
    JobOutcome.PASSED: STEP_MARKS[StepStatus.PASSED],
}


def regression() -> None:
    ui.page_head(
        "Regression run",
        "The flows drive the storefront like a shopper and compare every screen with its"
        " recorded baseline. Start a run here (or with python -m flows run); the latest"
        " one is shown below, failures first."
    )
    recordings = load_recordings_if_any()
    launcher(recordings)
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
    if report.kind == RunKind.RUN and recordings is not None:
        _accept_all(report)
    _results(report, recordings, outcomes)


# --- read -------------------------------------------------------------------------------


def _overview(report: RunReport, job_outcomes: dict[tuple[str, str], JobOutcome]) -> None:
    kind = "Recording" if report.kind == RunKind.RECORD else "Regression run"
    st.markdown(f"**{kind}** started {when(report.started_at)}, finished"
                f" {when(report.finished_at)} · source `{config.shown_path(config.settings().run_report)}`")
    outcomes = {o: sum(v == o for v in job_outcomes.values()) for o in JobOutcome}
    counts = report.counts()
    columns = st.columns(7)
    for column, (label, value) in zip(columns, (
        ("Flows passed", outcomes[JobOutcome.PASSED]),
        ("Flows failed", outcomes[JobOutcome.FAILED]),
        ("Flows changed", outcomes[JobOutcome.CHANGED]),
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
    elif outcomes[JobOutcome.CHANGED]:
        st.warning(f"{outcomes[JobOutcome.CHANGED]} flow run(s) only changed pictures: review"
                   " them below.", icon=":material/compare:")
    else:
        st.success("Every flow passed.", icon=":material/verified:")


def _job_outcome(report: RunReport, flow: str, device: str, rows: list[StepOutcome]) -> JobOutcome:
    """From the report's job line, else (a report without job lines) from its steps."""
    job = report.job(flow, device)
    if job is not None:
        return job.outcome
    return job_outcome(r.status for r in rows)


def _accept_all(report: RunReport) -> None:
    """Every changed picture of the run at once, after a confirmation that says how many."""
    rows, stopped = run_changes(report)
    if not rows:
        return
    jobs = len({(r.flow, r.device) for r in rows})
    if not st.session_state.get("regression.confirm-all"):
        if st.button(f"Accept all in this run ({len(rows)})", key="accept-run",
                     icon=":material/done_all:"):
            st.session_state["regression.confirm-all"] = True
            st.rerun()
        return
    note = (f" {len(stopped)} of those flow run(s) also stopped at a failed step"
            f" ({', '.join(stopped)}): accepting their pictures does not fix that."
            if stopped else "")
    st.warning(f"Accept {len(rows)} changed picture(s) in {jobs} flow run(s) as the new"
               f" baselines?{note}", icon=":material/help:")
    yes, no = st.columns(2)
    if yes.button(f"Yes, accept {len(rows)}", key="accept-run.yes", type="primary"):
        st.session_state["regression.confirm-all"] = False
        _accept(report, rows)
    if no.button("Cancel", key="accept-run.no"):
        st.session_state["regression.confirm-all"] = False
        st.rerun()


def _results(report: RunReport, recordings: Recordings | None,
             outcomes: dict[tuple[str, str], JobOutcome]) -> None:
    groups = report.groups()
    left, middle, right = st.columns(3)
    flows = left.multiselect("Flow", sorted({f for f, _ in groups}), key="regression.flows")
    devices = middle.multiselect("Device", sorted({d for _, d in groups}), key="regression.devices")
    status = right.selectbox("Outcome", ["all", *JobOutcome], key="regression.outcome")
    order = {outcome: rank for rank, outcome in enumerate(JobOutcome)}
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
        recorded = flow.recorded_at.get(DeviceName(device)) if flow else None
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
    st.markdown(f"{STEP_MARKS[row.status]} **Step {row.step} · {row.step_id}**: "
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
