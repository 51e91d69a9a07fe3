"""Review: a changed picture accepted with ``python -m flows approve`` becomes that step's
baseline (its PNG, its close-up and manifest entry, nothing else), and the step then
passes; a step that failed an expectation cannot be accepted, nor, without
``--only-pictures``, a flow that stopped at one; ``--all`` asks first; a recording keeps
an acceptance while the picture stays what was accepted."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from flows.cli import main
from flows.pictures.annotate import crop, png_bytes
from flows.run.browser import Session
from flowspec.contract import Box
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

# Step 2 looks for a link that is gone: the flow stops there, steps 3 to 5 are skipped.
STOPS_AT_2 = changed(
    DEMO_FLOW,
    steps=(*DEMO_FLOW.steps[:1], changed(DEMO_FLOW.steps[1], target=by_role("link", "Gone")),
           *DEMO_FLOW.steps[2:]),
)
CLOSE_UP = "demo/desktop/crops/03-choose-reason.png"


def after_manifest_box(recordings: Path) -> dict:
    manifest = json.loads((recordings / "manifest.json").read_text())
    return manifest["flows"][0]["steps"][2]["boxes"]["desktop"]


@pytest.fixture
def cli(browser, devices, tmp_path, shop):
    session = Session(browser, devices)

    def run(*argv: str, flow=DEMO_FLOW, answer: str = "") -> tuple[int, str]:
        out = io.StringIO()
        status = main(
            [*argv, *(("--base-url", shop.url) if argv[0] in ("run", "record") else ())],
            flows={"demo": flow},
            session=session,
            recordings_dir=tmp_path / "recordings",
            output_dir=tmp_path / "output",
            out=out,
            answer=io.StringIO(answer),
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
    assert cli("run", "--device", "desktop", flow=RENAMED)[0] == 3  # pictures only
    assert statuses(tmp_path) == ["passed", "passed", "changed", "changed", "changed"]

    status, output = cli(
        "approve", "demo", "--device", "desktop", "--step", "3", "--reviewer", "Ann"
    )

    assert status == 0, output
    assert output.splitlines()[0] == "accepted demo [desktop] step 3 choose-reason"
    after_images = snapshot(recordings)
    changed = {name for name in before_images if before_images[name] != after_images[name]}
    # the picture, and the close-up the guide shows cut from it (here it looks the same)
    assert changed - {CLOSE_UP} == {"demo/desktop/03-choose-reason.png"}
    with Image.open(recordings / "demo/desktop/03-choose-reason.png") as whole:
        box = after_manifest_box(recordings)
        expected_close_up = png_bytes(crop(whole.convert("RGB"), Box(**box)))
    assert after_images[CLOSE_UP] == expected_close_up
    assert set(after_images) == set(before_images)
    after_manifest = json.loads((recordings / "manifest.json").read_text())
    accepted_step = after_manifest["flows"][0]["steps"][2]
    acceptance = accepted_step.pop("accepted")["desktop"]
    assert acceptance["reviewer"] == "Ann" and acceptance["at"] and acceptance["run_started_at"]
    assert after_manifest == before_manifest  # the entry's picture, box and tree are the same
    assert cli("run", "--device", "desktop", flow=RENAMED)[0] == 3
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


def test_a_flow_that_stopped_at_a_failed_step_is_refused_unless_only_pictures(cli, shop, tmp_path):
    cli("record", "--device", "desktop")
    shop.pages = demo_pages(label="Cancel the order")
    assert cli("run", "--device", "desktop", "--timeout-ms", "1000")[0] == 1
    before = snapshot(tmp_path / "recordings")

    status, output = cli("approve", "demo")

    assert status == 2
    assert output.startswith(
        'error: flow "demo" did not only change pictures: demo [desktop] step 5 "cancel-order"'
        ' failed: flow "demo" on desktop, step 5 "cancel-order"'
    ), output
    assert output.rstrip().endswith(
        "Fix that first, or accept the 2 changed picture(s) anyway with --only-pictures"
    )
    assert snapshot(tmp_path / "recordings") == before

    status, output = cli("approve", "demo", "--only-pictures", "--reviewer", "Ann")

    assert status == 0, output
    assert "2 picture(s) are now the baseline" in output


def test_a_skipped_step_is_refused_because_it_did_not_run(cli, shop, tmp_path):
    cli("record", "--device", "desktop")
    cli("run", "--device", "desktop", "--timeout-ms", "1000", flow=STOPS_AT_2)

    assert cli("approve", "demo", "--step", "3") == (
        2,
        'error: step 3 "choose-reason" of flow "demo" did not run (skipped because step 2'
        ' "view-details" failed), so it has no new picture to accept\n',
    )


@pytest.mark.parametrize(
    ("options", "answer", "accepted"),
    [((), "n\n", False), ((), "y\n", True), (("--yes",), "", True)],
)
def test_approve_all_counts_and_asks_first(cli, shop, tmp_path, options, answer, accepted):
    cli("record", "--device", "desktop")
    shop.pages = demo_pages(label="Cancel the order")
    cli("run", "--device", "desktop", flow=RENAMED)
    before = snapshot(tmp_path / "recordings")

    status, output = cli("approve", "--all", "--reviewer", "Ann", *options, answer=answer)

    asked = "Accept 3 changed picture(s) in 1 flow run(s) as the new baselines? [y/N] "
    assert output.startswith(asked) is not bool(options)
    assert (status, "3 picture(s) are now the baseline" in output) == (
        (0, True) if accepted else (1, False)
    )
    assert (snapshot(tmp_path / "recordings") != before) is accepted


def test_an_acceptance_survives_a_recording_until_the_picture_changes_again(
    cli, shop, tmp_path
):
    recordings = tmp_path / "recordings"
    cli("record", "--device", "desktop")
    shop.pages = demo_pages(label="Cancel the order")
    cli("run", "--device", "desktop", flow=RENAMED)
    cli("approve", "demo", "--step", "3", "--reviewer", "Ann")

    def acceptance():
        manifest = json.loads((recordings / "manifest.json").read_text())
        return manifest["flows"][0]["steps"][2].get("accepted", {}).get("desktop")

    accepted = acceptance()
    assert accepted["reviewer"] == "Ann"
    assert cli("record", "--device", "desktop", flow=RENAMED)[0] == 0
    assert acceptance() == accepted  # the same picture: still the one Ann accepted
    shop.pages = demo_pages()
    assert cli("record", "--device", "desktop")[0] == 0
    assert acceptance() is None  # the picture changed again
