"""Accept changed pictures: the new screenshot of a step becomes its baseline.

Only a step whose picture changed (status ``changed``) can be accepted; a step that
failed an expectation or lost its target needs the storefront or the flow fixed, not
a new picture, and a whole flow that stopped at such a step is refused unless its
pictures alone are wanted (``only_pictures``). Accepting rewrites everything the guide
shows for that step (the picture, its close-up, the box, the accessible tree) and
records who accepted it when, and nothing else.
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

from PIL import Image

from flows.pictures.annotate import crop, save_png
from flows.pictures.files import ROOT, crop_name, digest, image_name
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
    report: RunReport,
    flow: str | None,
    device: str | None = None,
    step: int | None = None,
    *,
    only_pictures: bool = False,
) -> list[StepOutcome]:
    """The changed steps ``approve`` would accept (``flow`` None: the whole run's);
    ReviewProblem when there are none, when the one step asked for cannot be accepted,
    or when a chosen flow stopped at a failed step (unless ``only_pictures``)."""
    if report.kind is not RunKind.RUN:
        raise ReviewProblem(
            "the latest run is a recording, not a comparison: run `python -m flows run` first"
        )
    rows = [
        row
        for row in report.results
        if (flow is None or row.flow == flow)
        and (device is None or row.device == device)
        and (step is None or row.step == step)
    ]
    where = (f'flow "{flow}"' if flow else "the latest run") + (f" on {device}" if device else "")
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
        if row.status is StepStatus.SKIPPED:
            raise ReviewProblem(
                f"{named} did not run ({row.message}), so it has no new picture to accept"
            )
        raise ReviewProblem(f"{named} passed: its picture did not change")
    stopped = [row for row in rows if row.status is StepStatus.FAILED]
    if step is None and stopped and not only_pictures:
        lines = "; ".join(
            f'{row.flow} [{row.device}] step {row.step} "{row.step_id}" failed: {row.message}'
            for row in stopped
        )
        raise ReviewProblem(
            f"{where} did not only change pictures: {lines}. Fix that first, or accept the "
            f"{len(chosen)} changed picture(s) anyway with --only-pictures"
        )
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
        close_up = _write_close_up(source, row, recordings_dir / row.flow / row.device)
        stamped = acceptance.model_copy(update={"picture": digest(target)})
        flows[row.flow] = _with_step(flows[row.flow], row, image, close_up, stamped)
        accepted.append(Accepted(row.flow, row.device, row.step, row.step_id, target))
    updated = manifest.model_copy(update={"flows": tuple(flows[f.id] for f in manifest.flows)})
    return updated, accepted


def _write_close_up(source: Path, row: StepOutcome, folder: Path) -> str | None:
    """The step's close-up cut from its new picture, as a recording cuts it; without a
    box there is none, and an old one is removed (it would show the old page)."""
    path = folder / crop_name(row.step, row.step_id)
    with Image.open(source) as picture:
        part = crop(picture.convert("RGB"), row.box)
    if part is None:
        path.unlink(missing_ok=True)
        return None
    save_png(part, path)
    return f"{row.flow}/{row.device}/{crop_name(row.step, row.step_id)}"


def _with_step(
    flow: RecordedFlow, row: StepOutcome, image: str, close_up: str | None,
    acceptance: Acceptance,
) -> RecordedFlow:
    step = flow.steps[row.step - 1]
    device = row.device
    new = step.model_copy(
        update={
            "images": {**step.images, device: image},
            "crops": {**step.crops, device: close_up},
            "boxes": {**step.boxes, device: row.box},
            "aria": {**step.aria, device: row.aria},
            "accepted": {**step.accepted, device: acceptance},
        }
    )
    steps = tuple(new if s.number == row.step else s for s in flow.steps)
    return flow.model_copy(update={"steps": steps})


def approve_command(
    args: argparse.Namespace,
    recordings_dir: Path,
    output_dir: Path,
    out: TextIO,
    answer: TextIO,
) -> int:
    """``python -m flows approve (FLOW | --all) [--device D] [--step N] [--only-pictures]
    [--yes] [--reviewer NAME]``: 0 when accepted, 1 when the reviewer declined."""
    if bool(args.flow) == bool(args.all):
        raise ReviewProblem("name one flow to approve, or give --all for the whole run")
    if args.all and args.step is not None:
        raise ReviewProblem("--step needs a flow: step numbers differ from flow to flow")
    output_dir = Path(args.output or output_dir)
    run_path = output_dir / LATEST_RUN_NAME
    if not run_path.exists():
        raise ReviewProblem("there is no run to review: run `python -m flows run` first")
    report = parse_run_report(read_json(run_path))
    manifest_path = recordings_dir / MANIFEST_NAME
    manifest = parse_manifest(read_json(manifest_path))
    rows = acceptable_steps(
        report, args.flow, args.device, args.step, only_pictures=args.only_pictures
    )
    if args.all and not args.yes:
        jobs = len({(row.flow, row.device) for row in rows})
        print(f"Accept {len(rows)} changed picture(s) in {jobs} flow run(s) as the new "
              "baselines? [y/N] ", end="", file=out, flush=True)
        if answer.readline().strip().lower() not in ("y", "yes"):
            print("nothing accepted", file=out)
            return 1
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
