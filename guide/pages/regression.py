"""Regression run: which steps of the last flow run passed, and what changed where not."""

import streamlit as st

from flows.contract import RunReport, RunReportError, StepOutcome, StepStatus
from guide import config
from guide.recordings import Recordings, RecordingsError, load_recordings
from guide.runs import RunReportMissing, load_run_report, report_image, when

MARKS = {
    StepStatus.PASSED: ":green[:material/check_circle:]",
    StepStatus.FAILED: ":red[:material/cancel:]",
    StepStatus.SKIPPED: ":gray[:material/do_not_disturb_on:]",
}


def regression() -> None:
    st.title("Regression run", anchor=False)
    st.caption(
        "The flows drive the storefront like a shopper and compare every screen with its"
        " recorded baseline. This page shows the latest run."
    )
    recordings = _recordings_quietly()
    try:
        report = load_run_report()
    except RunReportMissing as missing:
        st.info(
            f"No run to show yet (`{missing}` does not exist). Produce one from the repository"
            " folder with `.venv/bin/python -m flows run`; recording with"
            " `python -m flows record` writes one too.",
            icon=":material/pending_actions:",
        )
        _baselines(recordings)
        return
    except RunReportError as error:
        st.error(f"The latest run cannot be read: {error} Run the flows again to replace it.",
                 icon=":material/error:")
        _baselines(recordings)
        return
    _overview(report)
    _results(report, recordings)
    _baselines(recordings)


def _recordings_quietly() -> Recordings | None:
    try:
        return load_recordings()
    except (FileNotFoundError, RecordingsError):
        return None


def _overview(report: RunReport) -> None:
    counts = report.counts()
    kind = "Recording" if report.kind == "record" else "Regression run"
    st.markdown(f"**{kind}** started {when(report.started_at)}, finished"
                f" {when(report.finished_at)} · source `{config.shown_path(config.run_report_path())}`")
    passed, failed, skipped = st.columns(3)
    passed.metric("Passed", counts.get("passed", 0))
    failed.metric("Failed", counts.get("failed", 0))
    skipped.metric("Skipped", counts.get("skipped", 0))
    if not report.results:
        st.warning("The run has no results: no flow was run.", icon=":material/warning:")
    elif counts.get("failed", 0):
        st.error(f"{counts['failed']} step(s) failed. The failures are opened below.",
                 icon=":material/error:")
    else:
        st.success("Every step passed.", icon=":material/verified:")


def _results(report: RunReport, recordings: Recordings | None) -> None:
    only_failures = st.toggle("Show only flows with failures", key="regression.only_failures",
                              value=False)
    for (flow_id, device), rows in report.groups().items():
        failed = [r for r in rows if r.status == "failed"]
        if only_failures and not failed:
            continue
        flow = recordings.flow(flow_id) if recordings else None
        title = flow.title if flow else flow_id
        device_label = (
            recordings.devices[device].label
            if recordings and device in recordings.devices else device
        )
        summary = ", ".join(
            f"{sum(r.status == s for r in rows)} {s}" for s in MARKS if any(r.status == s
                                                                             for r in rows)
        )
        mark = MARKS["failed"] if failed else MARKS["passed"]
        with st.expander(f"{mark} {title} · {device_label} · {summary}", expanded=bool(failed)):
            recorded = flow.recorded_at.get(device) if flow else None
            st.caption(f"Baseline recorded {when(recorded)}" if recorded
                       else "No baseline recorded for this flow on this device.")
            st.table(
                {
                    "Step": [f"{r.step}. {r.step_id}" for r in rows],
                    "Result": [str(r.status) for r in rows],
                    "Time": [f"{r.duration_ms} ms" if r.duration_ms is not None else ""
                             for r in rows],
                    "Message": [r.message for r in rows],
                },
                hide_index=True,
            )
            for row in failed:
                _failure(row)


def _failure(row: StepOutcome) -> None:
    st.markdown(f"{MARKS['failed']} **Step {row.step} · {row.step_id}**: "
                f"{row.message or 'failed'}")
    columns = st.columns(3)
    for column, label, relative in zip(
        columns,
        ("Baseline", "New screenshot", "Difference"),
        (row.expected, row.actual, row.diff),
        strict=True,
    ):
        with column:
            st.caption(label)
            image = report_image(relative)
            if image is None:
                st.caption(f"_{'not saved' if not relative else 'missing: ' + relative}_")
            else:
                st.image(str(image), width="stretch")


def _baselines(recordings: Recordings | None) -> None:
    st.subheader("Baselines", anchor=False)
    if recordings is None:
        st.caption("No recordings yet, so there are no baselines to compare with.")
        return
    devices = list(recordings.devices)
    table = {"Flow": [f.title for f in recordings.flows]}
    for device in devices:
        table[recordings.devices[device].label] = [
            when(f.recorded_at.get(device)) if f.recorded_at.get(device) else "not recorded"
            for f in recordings.flows
        ]
    st.table(table, hide_index=True)


regression()
