"""The two files other parts read: the recordings manifest and the latest-run report.

Both follow docs/architecture.md exactly. Paths inside them are relative (to
``flows/recordings/`` and to the repository root), so they stay valid on any machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from flows.model import PATHS, Step

if TYPE_CHECKING:
    from flows.runner import FlowResult, StepResult

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS_DIR = ROOT / "flows" / "recordings"
OUTPUT_DIR = ROOT / "output" / "flows"
MANIFEST_NAME = "manifest.json"
LATEST_RUN_NAME = "latest-run.json"
VERSION = 1


class ManifestError(ValueError):
    """The manifest is missing or not one this code understands."""


def image_name(number: int, step_id: str) -> str:
    """``03-choose-reason.png``: sorts in step order in any file browser."""
    return f"{number:02d}-{step_id}.png"


def crop_name(number: int, step_id: str) -> str:
    """``crops/03-choose-reason.png``: the readable part beside the step's full picture."""
    return f"crops/{image_name(number, step_id)}"


def relative(path: Path | None, start: Path) -> str | None:
    """``path`` relative to ``start``, with forward slashes, as the contract wants."""
    if path is None:
        return None
    try:
        return path.resolve().relative_to(start.resolve()).as_posix()
    except ValueError:
        return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def empty_manifest() -> dict[str, Any]:
    return {"version": VERSION, "devices": {}, "flows": []}


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path``; ManifestError if it is missing or of another version."""
    if not path.exists():
        raise ManifestError(f"no manifest at {path.name}: run `python -m flows record` first")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("version") != VERSION:
        raise ManifestError(f"manifest version {manifest.get('version')!r}, expected {VERSION}")
    return manifest


def load_or_empty(path: Path) -> dict[str, Any]:
    """The manifest to update: the existing one, or a new empty one."""
    return read_manifest(path) if path.exists() else empty_manifest()


def _write_json(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_manifest(path: Path, manifest: dict[str, Any]) -> Path:
    return _write_json(path, manifest)


def update_manifest(
    manifest: dict[str, Any], result: FlowResult, recordings_dir: Path
) -> dict[str, Any]:
    """A copy of ``manifest`` with ``result``'s recording for its device in place.

    The flow's text comes from its definition; another device's entries for a step are
    kept only while that step keeps its number and id (its image name depends on both).
    """
    flow, device = result.flow, result.device
    manifest = json.loads(json.dumps(manifest))
    manifest["devices"][device.name] = {"label": device.label, "viewport": device.viewport}
    devices = list(manifest["devices"])
    old = next((f for f in manifest["flows"] if f["id"] == flow.id), None)
    old_steps = {(s["number"], s["id"]): s for s in old["steps"]} if old else {}
    by_number = {step.number: step for step in result.steps}
    steps = []
    for number, step in enumerate(flow.steps, 1):
        previous = old_steps.get((number, step.id), {})
        recorded = by_number.get(number)
        entry: dict[str, Any] = {
            "number": number,
            "id": step.id,
            "title": step.title,
            "instruction": step.instruction,
            "action": getattr(step.action, "name", str(step.action)),
            "target": _target(step, recorded),
        }
        for key in ("images", "crops", "boxes", "aria", "duration_ms"):
            values = {name: previous.get(key, {}).get(name) for name in devices}
            values[device.name] = _device_value(key, recorded, recordings_dir)
            entry[key] = values
        steps.append(entry)
    recorded_at = {name: (old or {}).get("recorded_at", {}).get(name) for name in devices}
    recorded_at[device.name] = _iso(result.started_at)
    entry = {
        "id": flow.id,
        "path": flow.path,
        "title": flow.title,
        "when": flow.when,
        "next": flow.next,
        "scenario": flow.scenario,
        "recorded_at": recorded_at,
        "steps": steps,
    }
    others = [f for f in manifest["flows"] if f["id"] != flow.id]
    manifest["flows"] = sorted(
        [*others, entry],
        key=lambda f: (PATHS.index(f["path"]) if f["path"] in PATHS else len(PATHS), f["id"]),
    )
    return manifest


def _target(step: Step, recorded: StepResult | None) -> str | None:
    """As recorded (placeholders filled in: order numbers are stable per scenario)."""
    if recorded is not None and recorded.target:
        return recorded.target
    return step.target.describe() if step.target else None


def _device_value(key: str, recorded: StepResult | None, recordings_dir: Path) -> Any:
    if recorded is None:
        return None
    if key == "images":
        return relative(recorded.image, recordings_dir)
    if key == "crops":
        return relative(recorded.crop, recordings_dir)
    if key == "boxes":
        box = recorded.box
        return {k: round(box[k]) for k in ("x", "y", "width", "height")} if box else None
    if key == "aria":
        return recorded.aria
    return recorded.duration_ms


def latest_run(
    kind: Literal["run", "record"],
    started_at: datetime,
    finished_at: datetime,
    results: Iterable[FlowResult],
    root: Path = ROOT,
) -> dict[str, Any]:
    """The report of the last run: one row per step of every flow and device."""
    rows = []
    for result in results:
        for step in result.steps:
            rows.append(
                {
                    "flow": step.flow,
                    "device": step.device,
                    "step": step.number,
                    "step_id": step.step_id,
                    "status": step.status,
                    "message": step.message,
                    "duration_ms": step.duration_ms,
                    "expected": relative(step.expected, root),
                    "actual": relative(step.actual or step.image, root),
                    "diff": relative(step.diff, root),
                }
            )
    return {
        "kind": kind,
        "started_at": _iso(started_at),
        "finished_at": _iso(finished_at),
        "results": rows,
    }


def write_latest_run(path: Path, report: dict[str, Any]) -> Path:
    return _write_json(path, report)
