"""The manifest keeps each device's recording, drops what a changed flow no longer has,
and refuses a file it does not understand."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.report.manifest import latest_run, load_or_empty, update_manifest, write_manifest
from flows.run.browser import Device
from flows.run.results import FlowResult, StepResult
from flowspec.contract import (
    Box,
    Manifest,
    ManifestError,
    RunReport,
    parse_manifest,
    parse_run_report,
    read_manifest,
)
from tests.flows.shop_pages import DEMO_FLOW, changed

RECORDINGS = Path("recordings")
DESKTOP = Device("desktop", "Desktop", {"viewport": {"width": 1280, "height": 800}})
PHONE = Device("phone", "Phone (Pixel 7)", {"viewport": {"width": 412, "height": 839}})
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def recorded(flow, device: Device) -> FlowResult:
    """A passed result as the runner would give it, without running a browser."""
    result = FlowResult(flow, device, started_at=MONDAY, finished_at=MONDAY)
    for number, step in enumerate(flow.steps, 1):
        image = RECORDINGS / flow.id / device.name / f"{number:02d}-{step.id}.png"
        result.steps.append(
            StepResult(
                flow=flow.id,
                device=device.name,
                step=number,
                total=len(flow.steps),
                step_id=step.id,
                status="passed",
                duration_ms=100 + number,
                action=step.action.name,
                box=Box(x=10.4, y=20.6, width=30, height=40),
                aria=f"- aria {number}",
                image=str(image),
                crop=str(image.parent / "crops" / image.name),
            )
        )
    return result


def test_each_device_adds_its_own_entries():
    manifest = update_manifest(Manifest(), recorded(DEMO_FLOW, DESKTOP), RECORDINGS)
    manifest = update_manifest(manifest, recorded(DEMO_FLOW, PHONE), RECORDINGS)

    document = manifest.model_dump(mode="json")
    [flow] = document["flows"]
    assert list(document["devices"]) == ["desktop", "phone"]
    assert flow["recorded_at"] == {
        "desktop": "2026-03-02T09:00:00+00:00",
        "phone": "2026-03-02T09:00:00+00:00",
    }
    assert flow["steps"][0] == {
        "number": 1,
        "id": "open-orders",
        "title": "Open My Orders",
        "instruction": "Open the list of your orders.",
        "action": "goto",
        "target": 'heading "My Orders"',
        "images": {
            "desktop": "demo/desktop/01-open-orders.png",
            "phone": "demo/phone/01-open-orders.png",
        },
        "crops": {
            "desktop": "demo/desktop/crops/01-open-orders.png",
            "phone": "demo/phone/crops/01-open-orders.png",
        },
        "boxes": {
            "desktop": {"x": 10, "y": 21, "width": 30, "height": 40},
            "phone": {"x": 10, "y": 21, "width": 30, "height": 40},
        },
        "aria": {"desktop": "- aria 1", "phone": "- aria 1"},
        "duration_ms": {"desktop": 101, "phone": 101},
    }


def test_a_renamed_step_loses_the_other_devices_stale_entries():
    manifest = update_manifest(Manifest(), recorded(DEMO_FLOW, DESKTOP), RECORDINGS)
    manifest = update_manifest(manifest, recorded(DEMO_FLOW, PHONE), RECORDINGS)
    renamed = changed(
        DEMO_FLOW, steps=(*DEMO_FLOW.steps[:4], changed(DEMO_FLOW.steps[4], id="press-cancel"))
    )

    manifest = update_manifest(manifest, recorded(renamed, PHONE), RECORDINGS)

    steps = manifest.model_dump(mode="json")["flows"][0]["steps"]
    assert steps[3]["images"]["desktop"] == "demo/desktop/04-add-note.png"
    assert steps[4]["id"] == "press-cancel"
    assert steps[4]["images"] == {"desktop": None, "phone": "demo/phone/05-press-cancel.png"}
    assert steps[4]["boxes"]["desktop"] is None


def test_flows_are_listed_in_path_order():
    refund = changed(DEMO_FLOW, id="refund-stages", path="refund")
    manifest = update_manifest(Manifest(), recorded(refund, DESKTOP), RECORDINGS)
    manifest = update_manifest(manifest, recorded(DEMO_FLOW, DESKTOP), RECORDINGS)

    assert [flow.id for flow in manifest.flows] == ["demo", "refund-stages"]


def test_a_written_manifest_reads_back(tmp_path):
    manifest = update_manifest(Manifest(), recorded(DEMO_FLOW, DESKTOP), RECORDINGS)

    write_manifest(tmp_path / "manifest.json", manifest)

    assert read_manifest(tmp_path / "manifest.json") == manifest
    assert load_or_empty(tmp_path / "absent.json") == Manifest()


def test_a_missing_or_foreign_manifest_is_refused(tmp_path):
    with pytest.raises(ManifestError, match="run `python -m flows record` first"):
        read_manifest(tmp_path / "manifest.json")
    (tmp_path / "manifest.json").write_text(json.dumps({"version": 2}))
    with pytest.raises(ManifestError) as raised:
        read_manifest(tmp_path / "manifest.json")
    assert str(raised.value) == "manifest.json: version: is 2; this code reads version 1"


def test_the_latest_run_lists_every_step_with_paths_from_the_root(tmp_path):
    result = recorded(DEMO_FLOW, DESKTOP)
    result.steps[0].image = tmp_path / "flows" / "recordings" / "demo" / "desktop" / "01.png"

    report = latest_run("record", MONDAY, MONDAY, [result], root=tmp_path).model_dump(mode="json")

    assert report["kind"] == "record"
    assert report["started_at"] == "2026-03-02T09:00:00+00:00"
    assert len(report["results"]) == 5
    assert report["results"][0]["actual"] == "flows/recordings/demo/desktop/01.png"


def test_the_manifest_and_the_report_round_trip_through_json():
    manifest = update_manifest(Manifest(), recorded(DEMO_FLOW, DESKTOP), RECORDINGS)
    report = latest_run("run", MONDAY, MONDAY, [recorded(DEMO_FLOW, PHONE)])

    assert parse_manifest(json.loads(manifest.model_dump_json())) == manifest
    assert parse_run_report(json.loads(report.model_dump_json())) == report
    assert isinstance(report, RunReport)
