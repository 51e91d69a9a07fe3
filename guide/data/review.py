"""Review in the guide: compare a changed picture with its baseline, and accept it.

Accepting goes through ``flows.report.review``, as ``python -m flows approve`` does: the same
checks (only a changed picture, never a failed expectation) and the same record in the
manifest (when, and who).
"""

from datetime import datetime

import streamlit as st
from PIL import Image

from flows.report.review import ReviewProblem, accept, acceptable_steps
from flowspec.contract import (
    MANIFEST_NAME,
    Acceptance,
    RunReport,
    StepOutcome,
    StepStatus,
    read_manifest,
    write_json,
)
from guide.data import config
from guide.data.recordings import Recordings

AcceptProblem = ReviewProblem


@st.cache_data(show_spinner=False, max_entries=16)
def onion_skin(expected: str, actual: str, share: float) -> Image.Image:
    """``actual`` laid over ``expected`` at ``share`` opacity (0: expected only)."""
    with Image.open(expected) as expected_file, Image.open(actual) as actual_file:
        before, after = expected_file.convert("RGB"), actual_file.convert("RGB")
    if before.size != after.size:
        after = after.resize(before.size)
    return Image.blend(before, after, share)


def accept_steps(report: RunReport, rows: list[StepOutcome], reviewer: str) -> int:
    """Make each row's new picture its step's baseline; how many were accepted."""
    if any(not row.acceptable for row in rows):
        raise AcceptProblem("Only a changed picture can be accepted, not a failed expectation.")
    path = config.settings().recordings_dir / MANIFEST_NAME
    manifest, accepted = accept(
        read_manifest(path),
        rows,
        reviewer=reviewer,
        run_started_at=report.started_at,
        recordings_dir=config.settings().recordings_dir,
        root=config.ROOT,
    )
    write_json(path, manifest)
    return len(accepted)


def run_changes(report: RunReport) -> tuple[list[StepOutcome], list[str]]:
    """Every changed picture of the run ("Accept all in this run"), and the flow runs among
    them that also stopped at a failed step (named, so the reviewer is told)."""
    try:
        rows = acceptable_steps(report, None, only_pictures=True)
    except ReviewProblem:
        return [], []
    changed = {(r.flow, r.device) for r in rows}
    stopped = sorted({f"{r.flow} [{r.device}]" for r in report.results
                      if r.status is StepStatus.FAILED and (r.flow, r.device) in changed})
    return rows, stopped


def acceptance_of(
    recordings: Recordings, row: StepOutcome, run_started_at: datetime
) -> Acceptance | None:
    """Who accepted this run's picture of ``row``'s step, if anyone did."""
    flow = recordings.flow(row.flow)
    if flow is None or row.step > len(flow.steps):
        return None
    accepted = flow.steps[row.step - 1].accepted.get(row.device)
    if accepted is None or accepted.run_started_at != run_started_at:
        return None
    return accepted
