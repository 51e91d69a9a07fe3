"""Review: a changed picture accepted with ``python -m flows approve`` becomes that step's
baseline (its PNG and manifest entry, nothing else), and the step then passes; a step
that failed an expectation cannot be accepted."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from flows.cli import main
from flows.run.browser import Session
from flowspec.steps import by_role
from tests.flows.shop_pages import DEMO_FLOW, changed, demo_pages

# The shop's button is renamed; the flow follows the new name, so only pictures change.
RENAMED = changed(
    DEMO_FLOW,
    steps=(
        *DEMO_FLOW.steps[:4],
        changed(DEMO_FLOW.steps[4], target=by_role("button", "Cancel the order")),
    ),
)


@pytest.fixture
def cli(browser, devices, tmp_path, shop):
    session = Session(browser, devices)

    def run(*argv: str, flow=DEMO_FLOW) -> tuple[int, str]:
        out = io.StringIO()
        status = main(
            [*argv, *(("--base-url", shop.url) if argv[0] in ("run", "record") else ())],
            flows={"demo": flow},
            session=session,
            recordings_dir=tmp_path / "recordings",
            output_dir=tmp_path / "output",
            out=out,
        )
        return status, out.getvalue()

    return run


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.png")}


def statuses(tmp_path: Path) -> list[str]:
    report = json.loads((tmp_path / "output" / "latest-run.json").read_text())
    return [row["status"] for row in report["results"]]


def test_an_accepted_step_passes_and_nothing_else_changes(cli, shop, tmp_path):
    recordings = tmp_path / "recordings"
    assert cli("record", "--device", "desktop")[0] == 0
    before_images = snapshot(recordings)
    before_manifest = json.loads((recordings / "manifest.json").read_text())
    shop.pages = demo_pages(label="Cancel the order")
    assert cli("run", "--device", "desktop", flow=RENAMED)[0] == 1
    assert statuses(tmp_path) == ["passed", "passed", "changed", "changed", "changed"]

    status, output = cli(
        "approve", "demo", "--device", "desktop", "--step", "3", "--reviewer", "Ann"
    )

    assert status == 0, output
    assert output.splitlines()[0] == "accepted demo [desktop] step 3 choose-reason"
    after_images = snapshot(recordings)
    changed = {name for name in before_images if before_images[name] != after_images[name]}
    assert changed == {"demo/desktop/03-choose-reason.png"}
    assert set(after_images) == set(before_images)
    after_manifest = json.loads((recordings / "manifest.json").read_text())
    accepted_step = after_manifest["flows"][0]["steps"][2]
    acceptance = accepted_step.pop("accepted")["desktop"]
    assert acceptance["reviewer"] == "Ann" and acceptance["at"] and acceptance["run_started_at"]
    assert after_manifest == before_manifest  # the entry's picture, box and tree are the same
    assert cli("run", "--device", "desktop", flow=RENAMED)[0] == 1
    assert statuses(tmp_path) == ["passed", "passed", "passed", "changed", "changed"]


def test_accept_all_changes_of_a_flow_then_the_run_passes(cli, shop, tmp_path):
    cli("record", "--device", "desktop")
    shop.pages = demo_pages(label="Cancel the order")
    cli("run", "--device", "desktop", flow=RENAMED)

    status, output = cli("approve", "demo", "--reviewer", "Ann")

    assert status == 0, output
    assert "3 picture(s) are now the baseline" in output
    assert cli("run", "--device", "desktop", flow=RENAMED)[0] == 0


def test_a_failed_expectation_cannot_be_accepted(cli, shop, tmp_path):
    cli("record", "--device", "desktop")
    shop.pages = demo_pages(label="Cancel the order")
    cli("run", "--device", "desktop", "--timeout-ms", "1000")  # step 5's button is gone
    assert statuses(tmp_path) == ["passed", "passed", "changed", "changed", "failed"]
    before = snapshot(tmp_path / "recordings")
    manifest = (tmp_path / "recordings" / "manifest.json").read_bytes()

    status, output = cli("approve", "demo", "--step", "5")

    assert status == 2
    assert output.startswith(
        'error: step 5 "cancel-order" of flow "demo" failed an expectation, not just its'
        " picture, so it cannot be accepted: "
    )
    assert snapshot(tmp_path / "recordings") == before
    assert (tmp_path / "recordings" / "manifest.json").read_bytes() == manifest


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("approve", "demo", "--step", "1"),
            'error: step 1 "open-orders" of flow "demo" passed: its picture did not change\n',
        ),
        (("approve", "other"), 'error: the latest run has no flow "other"\n'),
        (
            ("approve", "demo", "--device", "phone"),
            'error: the latest run has no flow "demo" on phone\n',
        ),
    ],
)
def test_nothing_to_accept_is_said_plainly(cli, shop, argv, message):
    cli("record", "--device", "desktop")
    cli("run", "--device", "desktop")

    assert cli(*argv) == (2, message)


def test_approve_before_any_run_says_to_run_first(cli):
    assert cli("approve", "demo") == (
        2,
        "error: there is no run to review: run `python -m flows run` first\n",
    )
