"""``python -m flows``: list, run and record, with progress lines, a summary and an exit
status; the run's report and the manifest follow flowspec.contract."""

from __future__ import annotations

import io
import json

import pytest

from flows.cli import main
from flows.run.browser import Session
from flows.settings import FlowsSettings
from flowspec.contract import Note, RunFinished, RunStarted, StepFinished, read_event
from flowspec.steps import Flow, by_role
from tests.flows.shop_pages import CONTROL_FLOW, DEMO_FLOW, changed, demo_pages

FLOWS = {"demo": DEMO_FLOW, "control": CONTROL_FLOW}


@pytest.fixture
def cli(browser, devices, tmp_path):
    """Run the CLI in-process with our browser, the test flows and temporary folders."""
    session = Session(browser, devices)

    def run(*argv: str, flows=FLOWS, settings=FlowsSettings()) -> tuple[int, str]:
        out = io.StringIO()
        status = main(
            list(argv),
            flows=flows,
            session=session,
            recordings_dir=tmp_path / "recordings",
            output_dir=tmp_path / "output",
            out=out,
            settings=settings,
        )
        return status, out.getvalue()

    return run


def latest_run(tmp_path) -> dict:
    return json.loads((tmp_path / "output" / "latest-run.json").read_text())


def test_list_shows_each_flow_and_its_steps(cli):
    status, output = cli("list")

    assert status == 0
    assert output.splitlines()[:3] == [
        "demo  [pre-verification]  Cancel a demo order  (scenario showcase)",
        "  1. open-orders: Go to /orders",
        '  2. view-details: Click link "View details" in article "Order {orders[0]}"',
    ]


def test_list_with_no_flows_says_where_to_add_them(cli):
    assert cli("list", flows={}) == (
        0,
        "No flows are defined yet: add a module to flowspec/paths/.\n",
    )


def test_an_unknown_flow_is_named_with_the_known_ones(cli):
    assert cli("run", "demo", "refnud") == (
        2,
        'error: unknown flow "refnud"; known flows: demo, control\n',
    )


def test_a_base_url_where_nothing_answers_is_refused(cli):
    status, output = cli("run", "demo", "--base-url", "http://127.0.0.1:9")

    assert (status, output) == (
        2,
        "error: nothing answers at http://127.0.0.1:9 (is the storefront running? start it"
        " with `python -m mock_site`, or leave out the address to have one started)\n",
    )


def test_flows_base_url_names_the_storefront_to_drive(cli, shop, tmp_path):
    status, output = cli(
        "run", "demo", "--device", "desktop", settings=FlowsSettings(base_url=shop.url + "/")
    )

    assert status == 0, output
    assert "Started a storefront" not in output
    assert shop.scenarios == 1, "the flow drove the storefront named by FLOWS_BASE_URL"


def test_flows_base_url_where_nothing_answers_is_refused(cli):
    status, output = cli("run", "demo", settings=FlowsSettings(base_url="http://127.0.0.1:9"))

    assert (status, output) == (
        2,
        "error: nothing answers at http://127.0.0.1:9 (FLOWS_BASE_URL) (is the storefront"
        " running? start it with `python -m mock_site`, or leave out the address to have one"
        " started)\n",
    )


def test_a_malformed_flows_base_url_is_named(monkeypatch):
    monkeypatch.setenv("FLOWS_BASE_URL", "shop")
    out = io.StringIO()

    assert main(["run", "demo"], flows=FLOWS, out=out) == 2
    assert out.getvalue() == (
        "error: FLOWS_BASE_URL: Input should be a valid URL, relative URL without a base\n"
    )


def test_json_progress_is_one_contract_event_per_line(cli, shop):
    status, output = cli(
        "run", "demo", "--device", "desktop", "--base-url", shop.url, "--progress", "json"
    )

    events = [read_event(line) for line in output.splitlines()]
    assert status == 0
    assert events[0] == RunStarted(kind="run", flows=("demo",), devices=("desktop",), steps=5)
    steps = [e for e in events if isinstance(e, StepFinished)]
    assert [(e.step, e.total, e.step_id, e.status) for e in steps][:2] == [
        (1, 5, "open-orders", "passed"),
        (2, 5, "view-details", "passed"),
    ]
    assert len(steps) == 5
    finished = events[-1]
    assert isinstance(finished, RunFinished)
    assert (finished.flow_runs, finished.flow_runs_passed) == (1, 1)
    assert finished.steps == {"passed": 5, "changed": 0, "failed": 0, "skipped": 0}
    assert [e.text for e in events if isinstance(e, Note)] == [
        f"Storefront: {shop.url} (--base-url)"
    ]


def test_json_progress_reports_a_problem_as_an_event(cli):
    status, output = cli("run", "refnud", "--progress", "json")

    assert status == 2
    assert read_event(output.strip()).text == 'unknown flow "refnud"; known flows: demo, control'


def test_run_prints_a_line_per_step_and_a_summary(cli, shop, tmp_path):
    status, output = cli("run", "demo", "--device", "desktop", "--base-url", shop.url)

    storefront, *lines = output.splitlines()
    assert status == 0
    assert storefront == f"Storefront: {shop.url} (--base-url)"
    assert [line.rsplit(" ", 2)[0] for line in lines[:5]] == [
        "✓ demo [desktop] 1/5 open-orders",
        "✓ demo [desktop] 2/5 view-details",
        "✓ demo [desktop] 3/5 choose-reason",
        "✓ demo [desktop] 4/5 add-note",
        "✓ demo [desktop] 5/5 cancel-order",
    ]
    assert lines[0].endswith(" ms")
    assert lines[-1] == (
        "PASSED: 1 of 1 flow runs passed (5 steps passed, 0 changed, 0 failed, 0 skipped)"
    )
    report = latest_run(tmp_path)
    assert report["kind"] == "run"
    assert report["results"][0] == {
        "flow": "demo",
        "device": "desktop",
        "step": 1,
        "step_id": "open-orders",
        "status": "passed",
        "message": "no baseline image to compare with",
        "duration_ms": report["results"][0]["duration_ms"],
        "expected": None,
        "actual": None,
        "diff": None,
        "box": report["results"][0]["box"],
        "aria": '- heading "My Orders" [level=1]',
        "failure": None,
    }
    assert report["jobs"] == [
        {
            "flow": "demo",
            "device": "desktop",
            "outcome": "passed",
            "duration_ms": report["jobs"][0]["duration_ms"],
            "attempts": 1,
            "endpoint": "local",
            "trace": None,
            "earlier_failures": [],
        }
    ]


def test_record_writes_images_and_the_manifest(cli, shop, tmp_path):
    status, output = cli("record", "demo", "--base-url", shop.url)

    assert status == 0, output
    manifest = json.loads((tmp_path / "recordings" / "manifest.json").read_text())
    assert manifest["version"] == 1
    assert manifest["devices"] == {
        "desktop": {"label": "Desktop", "viewport": {"width": 1280, "height": 800}},
        "phone": {"label": "Phone (Pixel 7)", "viewport": {"width": 412, "height": 839}},
    }
    [flow] = manifest["flows"]
    assert {k: flow[k] for k in ("id", "path", "title", "when", "next", "scenario")} == {
        "id": "demo",
        "path": "pre-verification",
        "title": "Cancel a demo order",
        "when": "The payment is being verified.",
        "next": "The order closes.",
        "scenario": "showcase",
    }
    assert set(flow["recorded_at"]) == {"desktop", "phone"}
    step = flow["steps"][1]
    assert {k: step[k] for k in ("number", "id", "title", "instruction", "action", "target")} == {
        "number": 2,
        "id": "view-details",
        "title": "View the order",
        "instruction": "Choose View details on the order.",
        "action": "click",
        "target": 'link "View details" in article "Order 1001"',
    }
    assert step["images"] == {
        "desktop": "demo/desktop/02-view-details.png",
        "phone": "demo/phone/02-view-details.png",
    }
    assert set(step["boxes"]["desktop"]) == {"x", "y", "width", "height"}
    assert step["aria"]["phone"] == '- link "View details":\n  - /url: /orders/1001'
    assert all(isinstance(ms, int) for ms in step["duration_ms"].values())
    for image in step["images"].values():
        assert (tmp_path / "recordings" / image).exists()
    assert latest_run(tmp_path)["kind"] == "record"


def recorded_then_renamed(cli, shop) -> Flow:
    """The demo recorded, then its Cancel button renamed on the page and in the flow: every
    step still runs, and the pictures from the renamed button on change."""
    cli("record", "demo", "--device", "desktop", "--base-url", shop.url)
    shop.pages = demo_pages(label="Cancel the order")
    return changed(
        DEMO_FLOW,
        steps=(
            *DEMO_FLOW.steps[:4],
            changed(DEMO_FLOW.steps[4], target=by_role("button", "Cancel the order")),
        ),
    )


def test_a_changed_screen_fails_the_run_as_changed_with_its_evidence(cli, shop, tmp_path):
    renamed = recorded_then_renamed(cli, shop)

    status, output = cli(
        "run", "--device", "desktop", "--base-url", shop.url, flows={"demo": renamed}
    )

    assert status == 3  # only pictures changed: not 1, which a stopped flow gets
    assert "≠ demo [desktop] 3/5 choose-reason" in output and "✗" not in output
    assert 'step 3 "choose-reason" (Select "I changed my mind"' in output
    assert (
        "CHANGED: 0 of 1 flow runs passed, 1 changed (pictures only) (2 steps passed, 3 changed,"
        " 0 failed, 0 skipped)"
    ) in output
    assert "only pictures changed: review them (`python -m flows approve --all`); exit status 3" in output
    assert latest_run(tmp_path)["jobs"][0]["outcome"] == "changed"
    failed = latest_run(tmp_path)["results"][2]
    assert failed["status"] == "changed"
    for kind in ("expected", "actual", "diff"):
        assert failed[kind].endswith(f"output/demo/desktop/03-choose-reason-{kind}.png")
        assert (tmp_path / "output" / "demo" / "desktop" / f"03-choose-reason-{kind}.png").exists()


def test_fail_on_failed_lets_a_run_with_changed_pictures_pass(cli, shop, tmp_path):
    renamed = recorded_then_renamed(cli, shop)
    base = ("run", "--device", "desktop", "--base-url", shop.url, "--progress", "json")

    status, output = cli(*base, "--fail-on", "failed", flows={"demo": renamed})

    assert status == 0, output
    finished = read_event(output.splitlines()[-1])
    assert isinstance(finished, RunFinished)
    assert (finished.outcome, finished.exit_code) == ("changed", 0)


def test_a_failed_run_keeps_a_trace_and_a_failed_record_only_when_asked(cli, shop, tmp_path):
    missing = changed(
        DEMO_FLOW,
        steps=(*DEMO_FLOW.steps[:1], changed(DEMO_FLOW.steps[1], target=by_role("link", "Gone"))),
    )
    trace = tmp_path / "output" / "demo" / "desktop" / "trace.zip"
    base = ("--device", "desktop", "--base-url", shop.url, "--timeout-ms", "1000")

    for argv, traced in (
        (("run", *base), True),
        (("record", *base), False),
        (("record", "--trace", *base), True),
        (("run", "--no-trace", *base), False),
    ):
        status, output = cli(*argv, flows={"demo": missing})

        assert status == 1, argv
        assert trace.exists() is traced, argv
        assert ("trace of demo [desktop]" in output) is traced, argv
        assert (tmp_path / "output" / "demo" / "desktop" / "02-view-details-actual.png").exists()
