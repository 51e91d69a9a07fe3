"""The contract between the flows and the guide: every model survives a trip through
JSON, a bad document is refused with a message that says where and why, and importing
the contract or the plain flow definitions starts neither Playwright nor a database."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from flowspec.contract import (
    Box,
    CoachProgress,
    ContractError,
    DeviceInfo,
    Manifest,
    Note,
    PracticeStep,
    Problem,
    RecordedFlow,
    RecordedStep,
    RunFinished,
    RunReport,
    RunReportError,
    RunStarted,
    StepFinished,
    StepOutcome,
    Viewport,
    event_line,
    parse_coach_progress,
    parse_manifest,
    parse_run_report,
    read_event,
)
from flowspec.paths import load_flows
from flowspec.steps import Flow

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STEP = RecordedStep(
    number=1, id="open", title="Open", instruction="Open it.", action="goto",
    target='heading "My Orders"', images={"desktop": "demo/desktop/01-open.png", "phone": None},
    boxes={"desktop": Box(x=1, y=-2, width=3, height=4)}, aria={"desktop": "- heading"},
    duration_ms={"desktop": 12},
)
MANIFEST = Manifest(
    devices={"desktop": DeviceInfo(label="Desktop", viewport=Viewport(width=1280, height=800))},
    flows=(RecordedFlow(id="demo", path="refund", title="Demo", recorded_at={"desktop": MONDAY},
                        steps=(STEP,)),),
)
OUTCOME = StepOutcome(flow="demo", device="phone", step=1, step_id="open", status="failed",
                      message="it broke", duration_ms=5, actual="output/flows/x.png")
REPORT = RunReport(kind="run", started_at=MONDAY, finished_at=MONDAY, results=(OUTCOME,))
EVENTS = [
    RunStarted(kind="record", flows=("demo",), devices=("desktop", "phone"), steps=10),
    StepFinished(flow="demo", device="phone", step=2, total=5, step_id="b", status="passed"),
    Note(text="Manifest written"),
    RunFinished(flow_runs=2, flow_runs_passed=1, steps={"passed": 6, "failed": 1}, summary="s"),
    Problem(text="no browser"),
]


def test_the_manifest_round_trips_and_keeps_python_s_time_format():
    document = json.loads(MANIFEST.model_dump_json())

    assert document["flows"][0]["recorded_at"] == {"desktop": "2026-03-02T09:00:00+00:00"}
    assert parse_manifest(document) == MANIFEST


def test_the_run_report_round_trips():
    document = json.loads(REPORT.model_dump_json())

    assert parse_run_report(document) == REPORT
    assert REPORT.counts() == {"failed": 1}
    assert list(REPORT.groups()) == [("demo", "phone")]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.event)
def test_each_progress_event_round_trips_as_one_line(event):
    line = event_line(event)

    assert "\n" not in line
    assert read_event(line) == event


def test_fields_added_later_keep_old_files_loading():
    """A file without the optional fields still loads: new fields come with defaults."""
    minimal = {"version": 1, "flows": [{"id": "a", "path": "p", "title": "T", "steps": [
        {"number": 1, "id": "s", "title": "S", "instruction": "I", "action": "observe"}]}]}

    assert parse_manifest(minimal).flows[0].steps[0].images == {}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Recording 4 flows", "not a progress event: 'Recording 4 flows'"),
        ('{"event": "bogus"}',
         "progress event: Input tag 'bogus' found using 'event' does not match any of the"
         " expected tags: 'started', 'step', 'job', 'note', 'finished', 'problem'"),
        ('{"kind": "run"}', "progress event: Unable to extract tag using discriminator 'event'"),
        ('{"event": "step", "flow": "a", "device": "tv", "step": 1, "total": 1,'
         ' "step_id": "x", "status": "passed"}',
         "progress event: device: Input should be 'desktop' or 'phone', not \"tv\""),
        ('{"event": "started", "kind": "run", "flows": [], "devices": [], "steps": -1}',
         "progress event: steps: Input should be greater than or equal to 0, not -1"),
    ],
)
def test_bad_progress_lines_are_named(line, message):
    with pytest.raises(ContractError) as raised:
        read_event(line)

    assert str(raised.value) == message


PRACTICE = CoachProgress(
    key="k" * 20, flow_id="demo", title="Demo", token="copy-1", step=2, total=2, completed=1,
    done=False, steps=(PracticeStep(number=1, id="open", title="Open"),
                       PracticeStep(number=2, id="cancel", title="Cancel")),
)


def test_the_coach_progress_round_trips():
    assert parse_coach_progress(json.loads(PRACTICE.model_dump_json())) == PRACTICE
    assert PRACTICE.current.id == "cancel"


RUN_REPORT = (REPORT, parse_run_report, RunReportError)
COACH_PROGRESS = (PRACTICE, parse_coach_progress, ContractError)


@pytest.mark.parametrize(
    ("kind", "change", "message"),
    [
        (RUN_REPORT, lambda r: r.pop("kind"), "latest-run.json: kind: Field required"),
        (RUN_REPORT, lambda r: r.update(kind="rerun"),
         "latest-run.json: kind: Input should be 'run' or 'record', not \"rerun\""),
        (RUN_REPORT, lambda r: r["results"][0].update(status="flaky"),
         "latest-run.json, result 1: status: Input should be 'passed', 'changed', 'failed' or"
         " 'skipped', not \"flaky\""),
        (RUN_REPORT, lambda r: r["results"][0].update(step=True),
         "latest-run.json, result 1: step: Input should be a valid integer, not true"),
        (RUN_REPORT, lambda r: r.update(started_at="Monday"),
         "latest-run.json: started_at: Input should be a valid datetime or date, input is too"
         ' short, not "Monday"'),
        (COACH_PROGRESS, lambda p: p.update(step="two"),
         'coach progress: step: Input should be a valid integer, not "two"'),
        (COACH_PROGRESS, lambda p: p.update(step=0),
         "coach progress: step: Input should be greater than 0, not 0"),
        (COACH_PROGRESS, lambda p: p.pop("token"), "coach progress: token: Field required"),
        (COACH_PROGRESS, lambda p: p.update(done="yes"),
         'coach progress: done: Input should be a valid boolean, not "yes"'),
        (COACH_PROGRESS, lambda p: p["steps"][1].update(title=" "),
         'coach progress, step 2 ("cancel"): title: is empty'),
    ],
)
def test_a_broken_document_is_refused_word_for_word(kind, change, message):
    model, parse, error = kind
    document = json.loads(model.model_dump_json())
    change(document)

    with pytest.raises(error) as raised:
        parse(document)

    assert str(raised.value) == message


def test_every_declared_flow_serialises_to_json_and_back():
    for flow in load_flows().values():
        document = json.loads(flow.model_dump_json())
        assert [step["id"] for step in document["steps"]] == [step.id for step in flow.steps]
        assert Flow.model_validate(document) == flow


def test_a_step_as_json_names_its_action_target_and_expectations():
    step = next(iter(load_flows().values())).steps[0]

    document = step.model_dump(mode="json", by_alias=True)

    assert document["action"] == {"name": "goto", "path": "/login"}
    assert document["target"] == {"role": "heading", "name": "Sign in", "label": None,
                                  "text": None, "exact": False, "scope": None}
    assert document["expect"][0]["name"] == "visible"
