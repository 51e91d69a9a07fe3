"""Accepting a changed picture of a real flow, on a copy of the committed recordings: the
step then passes, and nothing else in the recordings changed."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from flows.cli import main
from flows.pictures.files import RECORDINGS_DIR
from flows.report.outcomes import run_report
from flows.run.pool import Job, JobRun
from flows.run.results import utc_now
from flows.run.runner import run_flow
from flowspec.contract import LATEST_RUN_NAME, RunKind, write_json
from flowspec.paths import load_flows
from tests.e2e.test_regression_catches_breakage import RECOLOURED_CANCEL, STYLESHEET, rewrite

FLOW = load_flows()["pre-verification"]
ACCEPTED = "pre-verification/desktop/07-cancel-order.png"
CLOSE_UP = "pre-verification/desktop/crops/07-cancel-order.png"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.png")}


def test_an_accepted_step_then_passes_and_nothing_else_changed(
    browser, desktop, base_url, tmp_path: Path
):
    recordings, output = tmp_path / "recordings", tmp_path / "output"
    shutil.copytree(RECORDINGS_DIR, recordings)
    recolour = rewrite(STYLESHEET, lambda css: css + RECOLOURED_CANCEL)

    def run():
        result = run_flow(browser, FLOW, desktop, base_url, baseline_dir=recordings,
                          output_dir=output, context_setup=recolour, trace=False)
        job = JobRun(Job(FLOW, "desktop"), [result])
        write_json(output / LATEST_RUN_NAME, run_report(RunKind.RUN, utc_now(), utc_now(), [job]))
        return result

    before = run()
    assert [s.number for s in before.failures] == [7] and before.steps[6].status == "changed"
    out = io.StringIO()

    status = main(["approve", FLOW.id, "--device", "desktop", "--step", "7", "--reviewer", "QA"],
                  recordings_dir=recordings, output_dir=output, out=out)

    assert status == 0, out.getvalue()
    after = run()
    assert after.passed, [s.message for s in after.failures]
    original, copy = files(RECORDINGS_DIR), files(recordings)
    # the picture and the guide's close-up of it, nothing else
    assert {name for name in original if original[name] != copy[name]} == {ACCEPTED, CLOSE_UP}
    old = json.loads((RECORDINGS_DIR / "manifest.json").read_text())
    new = json.loads((recordings / "manifest.json").read_text())
    acceptance = new["flows"][0]["steps"][6].pop("accepted")
    assert list(acceptance) == ["desktop"] and acceptance["desktop"]["reviewer"] == "QA"
    old_step, new_step = old["flows"][0]["steps"][6], new["flows"][0]["steps"][6]
    assert {k: v for k, v in new_step.items() if k not in ("boxes", "aria")} == {
        k: v for k, v in old_step.items() if k not in ("boxes", "aria")
    }
    new["flows"][0]["steps"][6] = old_step
    assert new == old  # every other entry of the manifest is as committed
