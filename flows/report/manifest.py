"""Write the two files other parts read, through the models of ``flowspec.contract``.

Paths inside them are relative (to ``flows/recordings/`` and to the repository root),
so they stay valid on any machine.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from domain.paths import PathId
from flows.pictures.files import ROOT, digest, relative
from flowspec.contract import (
    Acceptance,
    DeviceInfo,
    DeviceName,
    Manifest,
    RecordedFlow,
    RecordedStep,
    RunKind,
    RunReport,
    StepOutcome,
    Viewport,
    read_manifest,
    write_json,
)
from flowspec.steps import Step

if TYPE_CHECKING:
    from flows.run.results import FlowResult, StepResult

PATH_ORDER = [path.value for path in PathId]


def load_or_empty(path: Path) -> Manifest:
    """The manifest to update: the existing one, or a new empty one."""
    return read_manifest(path) if path.exists() else Manifest()


def write_manifest(path: Path, manifest: Manifest) -> Path:
    return write_json(path, manifest)


def write_latest_run(path: Path, report: RunReport) -> Path:
    return write_json(path, report)


def update_manifest(manifest: Manifest, result: FlowResult, recordings_dir: Path) -> Manifest:
    """``manifest`` with ``result``'s recording for its device in place.

    The flow's text comes from its definition; another device's entries for a step are
    kept only while that step keeps its number and id (its image name depends on both).
    """
    flow, device = result.flow, result.device
    name = DeviceName(device.name)
    viewport = Viewport(**device.viewport) if device.viewport else None
    devices = {**manifest.devices, name: DeviceInfo(label=device.label, viewport=viewport)}
    old = manifest.flow(flow.id)
    old_steps = {(s.number, s.id): s for s in old.steps} if old else {}
    by_number = {step.number: step for step in result.steps}
    steps = []
    for number, step in enumerate(flow.steps, 1):
        previous = old_steps.get((number, step.id))
        recorded = by_number.get(number)
        per_device = {
            key: {d: getattr(previous, key).get(d) if previous else None for d in devices}
            for key in ("images", "crops", "boxes", "aria", "duration_ms")
        }
        accepted = dict(previous.accepted) if previous else {}
        if recorded is not None and not _still_accepted(accepted.get(name), recorded):
            accepted.pop(name, None)
        if recorded is not None:
            per_device["images"][name] = relative(recorded.image, recordings_dir)
            per_device["crops"][name] = relative(recorded.crop, recordings_dir)
            per_device["boxes"][name] = recorded.box.rounded() if recorded.box else None
            per_device["aria"][name] = recorded.aria
            per_device["duration_ms"][name] = recorded.duration_ms
        steps.append(
            RecordedStep(
                number=number,
                id=step.id,
                title=step.title,
                instruction=step.instruction,
                action=step.action.name,
                target=_target(step, recorded),
                accepted=accepted,
                **per_device,
            )
        )
    recorded_at = {d: old.recorded_at.get(d) if old else None for d in devices}
    recorded_at[name] = result.started_at
    entry = RecordedFlow(
        id=flow.id, path=flow.path.value, title=flow.title, when=flow.when, next=flow.next,
        scenario=flow.scenario.value, recorded_at=recorded_at, steps=tuple(steps),
    )
    others = [f for f in manifest.flows if f.id != flow.id]
    ordered = sorted(
        [*others, entry],
        key=lambda f: (
            PATH_ORDER.index(f.path) if f.path in PATH_ORDER else len(PATH_ORDER), f.id
        ),
    )
    return Manifest(version=manifest.version, devices=devices, flows=tuple(ordered))


def _still_accepted(acceptance: Acceptance | None, recorded: StepResult) -> bool:
    """A fresh recording keeps a reviewer's acceptance while it pictures what was accepted;
    a changed picture supersedes it."""
    if acceptance is None or acceptance.picture is None or recorded.image is None:
        return False
    return Path(recorded.image).is_file() and digest(recorded.image) == acceptance.picture


def _target(step: Step, recorded: StepResult | None) -> str | None:
    """As recorded (placeholders filled in: order numbers are stable per scenario)."""
    if recorded is not None and recorded.target:
        return recorded.target
    return step.target.describe() if step.target else None


def outcome(step: StepResult, root: Path = ROOT) -> StepOutcome:
    """One step's row of the latest-run report: image paths relative to ``root``, the
    box in whole pixels."""
    row = step.model_dump(include=set(StepOutcome.model_fields))
    return StepOutcome(**row | {
        "expected": relative(step.expected, root),
        "actual": relative(step.actual or step.image, root),
        "diff": relative(step.diff, root),
        "box": step.box.rounded() if step.box else None,
    })


def latest_run(
    kind: RunKind | str,
    started_at: datetime,
    finished_at: datetime,
    results: Iterable[FlowResult],
    root: Path = ROOT,
) -> RunReport:
    """The report of the last run: one row per step of every flow and device."""
    rows = [outcome(step, root) for result in results for step in result.steps]
    return RunReport(
        kind=RunKind(kind), started_at=started_at, finished_at=finished_at, results=tuple(rows)
    )
