"""Accept changed pictures: the new screenshot of a step becomes its baseline.

Only a step whose picture changed (status ``changed``) can be accepted; a step that
failed an expectation or lost its target needs the storefront or the flow fixed, not
a new picture. Accepting writes that step's PNG and its manifest entry (picture, box,
accessible tree, and who accepted it when) and nothing else.
"""

from __future__ import annotations

import argparse
import getpass
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from flows.pictures.files import ROOT, image_name
from flows.run.results import utc_now
from flowspec.contract import (
    LATEST_RUN_NAME,
    MANIFEST_NAME,
    Acceptance,
    Manifest,
    RecordedFlow,
    RunKind,
    RunReport,
    StepOutcome,
    StepStatus,
    parse_manifest,
    parse_run_report,
    read_json,
    write_json,
)


class ReviewProblem(Exception):
    """Nothing (or something that must not be) would be accepted; the text says why."""


@dataclass(frozen=True)
class Accepted:
    """One accepted step, for the message the reviewer reads."""

    flow: str
    device: str
    step: int
    step_id: str
    image: Path


def acceptable_steps(
    report: RunReport, flow: str, device: str | None = None, step: int | None = None
) -> list[StepOutcome]:
    """The changed steps ``approve`` would accept; ReviewProblem when there are none,
    or when the one step asked for cannot be accepted."""
    if report.kind is not RunKind.RUN:
        raise ReviewProblem(
            "the latest run is a recording, not a comparison: run `python -m flows run` first"
        )
    rows = [
        row
        for row in report.results
        if row.flow == flow
        and (device is None or row.device == device)
        and (step is None or row.step == step)
    ]
    where = f'flow "{flow}"' + (f" on {device}" if device else "")
    if not rows:
        what = f"step {step} of {where}" if step is not None else where
        raise ReviewProblem(f"the latest run has no {what}")
    chosen = [row for row in rows if row.acceptable]
    if step is not None and not chosen:
        row = rows[0]
        named = f'step {row.step} "{row.step_id}" of {where}'
        if row.status is StepStatus.FAILED:
            raise ReviewProblem(
                f"{named} failed an expectation, not just its picture, so it cannot be "
                f"accepted: {row.message}"
            )
        raise ReviewProblem(f"{named} {row.status}: its picture did not change")
    if not chosen:
        raise ReviewProblem(f"no changed picture to accept in {where}")
    return chosen


def accept(
    manifest: Manifest,
    rows: Sequence[StepOutcome],
    *,
    reviewer: str,
    run_started_at: datetime | None,
    recordings_dir: Path,
    root: Path = ROOT,
    now: datetime | None = None,
) -> tuple[Manifest, list[Accepted]]:
    """Copy each row's new picture over its baseline; the manifest with those entries
    updated. Every check happens before the first file is written."""
    acceptance = Acceptance(at=now or utc_now(), reviewer=reviewer, run_started_at=run_started_at)
    flows = {flow.id: flow for flow in manifest.flows}
    plans = []
    for row in rows:
        recorded = flows.get(row.flow)
        if recorded is None:
            raise ReviewProblem(f'flow "{row.flow}" was never recorded: record it first')
        steps = recorded.steps
        if row.step > len(steps) or steps[row.step - 1].id != row.step_id:
            raise ReviewProblem(
                f'the recording of "{row.flow}" has no step {row.step} "{row.step_id}":'
                " the flow changed since it was recorded, so record it again"
            )
        source = root / (row.actual or "")
        if not row.actual or not source.is_file():
            raise ReviewProblem(f"the new picture of step {row.step} is gone: run the flows again")
        image = f"{row.flow}/{row.device}/{image_name(row.step, row.step_id)}"
        plans.append((row, source, image))
    accepted = []
    for row, source, image in plans:
        target = recordings_dir / image
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        flows[row.flow] = _with_step(flows[row.flow], row, image, acceptance)
        accepted.append(Accepted(row.flow, row.device, row.step, row.step_id, target))
    updated = manifest.model_copy(update={"flows": tuple(flows[f.id] for f in manifest.flows)})
    return updated, accepted


def _with_step(
    flow: RecordedFlow, row: StepOutcome, image: str, acceptance: Acceptance
) -> RecordedFlow:
    step = flow.steps[row.step - 1]
    device = row.device
    new = step.model_copy(
        update={
            "images": {**step.images, device: image},
            "boxes": {**step.boxes, device: row.box},
            "aria": {**step.aria, device: row.aria},
            "accepted": {**step.accepted, device: acceptance},
        }
    )
    steps = tuple(new if s.number == row.step else s for s in flow.steps)
    return flow.model_copy(update={"steps": steps})


def approve_command(
    args: argparse.Namespace, recordings_dir: Path, output_dir: Path, out: TextIO
) -> int:
    """``python -m flows approve FLOW [--device D] [--step N] [--reviewer NAME]``."""
    output_dir = Path(args.output or output_dir)
    run_path = output_dir / LATEST_RUN_NAME
    if not run_path.exists():
        raise ReviewProblem("there is no run to review: run `python -m flows run` first")
    report = parse_run_report(read_json(run_path))
    manifest_path = recordings_dir / MANIFEST_NAME
    manifest = parse_manifest(read_json(manifest_path))
    rows = acceptable_steps(report, args.flow, args.device, args.step)
    manifest, accepted = accept(
        manifest,
        rows,
        reviewer=args.reviewer.strip() or getpass.getuser(),
        run_started_at=report.started_at,
        recordings_dir=recordings_dir,
    )
    write_json(manifest_path, manifest)
    for item in accepted:
        print(
            f"accepted {item.flow} [{item.device}] step {item.step} {item.step_id}",
            file=out,
        )
    print(f"{len(accepted)} picture(s) are now the baseline; commit flows/recordings/.", file=out)
    return 0
