"""Starting, following and reviewing a run from the guide's Regression page.

The run itself is a stand-in process here (it prints contract events and waits for the
test to close its input), so the lock, the events on disk and the page can be tested
without browsers; the real ``python -m flows run`` is tested in tests/flows."""

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flowspec.contract import (
    RunReport,
    RunStarted,
    StepFinished,
    StepOutcome,
    event_line,
    write_json,
)
from guide.data.runs import RunOptions, RunUnderWay, run_progress, start_run
from tests.guide.guide_fixtures import make_png

REGRESSION = "guide/pages/regression.py"
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STARTED = RunStarted(kind="run", flows=("pre-verification",), devices=("desktop",), steps=3)
STEP = StepFinished(flow="pre-verification", device="desktop", step=1, total=3,
                    step_id="step-1", status="passed")
# Prints two events, then waits until the test closes its input.
STAND_IN = [sys.executable, "-c",
            f"import sys; print({event_line(STARTED)!r}); print({event_line(STEP)!r}, flush=True);"
            " sys.stdin.read()"]


def waiting_popen(argv, **options):
    """Popen with an input pipe the test closes to let the stand-in finish."""
    return subprocess.Popen(argv, **{**options, "stdin": subprocess.PIPE})


@pytest.fixture
def run_dir(guide_env, tmp_path) -> Path:
    return tmp_path / "guide-run"


@pytest.fixture
def under_way(run_dir):
    """A stand-in run in progress; finished (and reaped) when the test ends."""
    process = start_run(RunOptions(), run_dir, popen=waiting_popen, command=STAND_IN)
    yield process
    process.stdin.close()
    process.wait(timeout=30)


def test_the_command_runs_the_chosen_flows_with_json_progress_and_a_report(tmp_path):
    command = RunOptions(("refund-balance",), "phone", 1, "http://127.0.0.1:8000").command(
        tmp_path, python="python")

    assert command == [
        "python", "-m", "flows", "run", "refund-balance", "--device", "phone",
        "--progress", "json", "--output", str(tmp_path), "--report", str(tmp_path / "report"),
        "--retries", "1", "--base-url", "http://127.0.0.1:8000",
    ]


def test_a_second_start_is_refused_while_the_first_runs(run_dir, under_way):
    with pytest.raises(RunUnderWay, match=rf"^A run is under way \(started .*, process {under_way.pid}\)"):
        start_run(RunOptions(), run_dir, popen=waiting_popen, command=STAND_IN)


def test_progress_is_read_from_disk_and_the_lock_goes_when_the_run_ends(run_dir, under_way):
    deadline = time.monotonic() + 30
    while not (progress := run_progress(run_dir)).steps:  # polled, bounded: no sleep
        assert time.monotonic() < deadline, "the stand-in printed no step"
    assert progress.under_way and progress.started == STARTED
    assert [s.step_id for s in progress.steps] == ["step-1"] and progress.fraction() == 1 / 3

    under_way.stdin.close()
    under_way.wait(timeout=30)

    assert not run_progress(run_dir).under_way
    assert not (run_dir / "run.lock").exists()
    start_run(RunOptions(), run_dir, popen=waiting_popen, command=STAND_IN).communicate(timeout=30)


def test_a_lock_left_by_a_run_that_died_does_not_block_the_next(run_dir):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    run_dir.mkdir()
    (run_dir / "run.lock").write_text(json.dumps({"pid": int(dead.stdout), "started_at": "x"}))

    process = start_run(RunOptions(), run_dir, popen=waiting_popen, command=STAND_IN)

    process.communicate(timeout=30)
    assert json.loads((run_dir / "run.lock").read_text())["pid"] == process.pid


def test_the_page_follows_a_run_under_way_instead_of_offering_a_start(recorded, open_page,
                                                                      monkeypatch, run_dir,
                                                                      under_way):
    monkeypatch.setattr("guide.data.runs.run_folder", lambda: run_dir)
    at = open_page(REGRESSION)

    assert not at.exception
    assert "Run under way" in " ".join(m.value for m in at.markdown)
    assert not any(b.label == "Start the run" for b in at.button)


def test_a_run_cannot_start_while_the_storefront_is_down_and_the_page_says_how_to_fix_it(
    recorded, open_page, monkeypatch, run_dir
):
    monkeypatch.setattr("guide.data.runs.run_folder", lambda: run_dir)
    at = open_page(REGRESSION)

    at.button[0].click().run()

    assert not at.exception
    assert "does not answer" in at.error[0].value and "python -m mock_site" in at.error[0].value
    assert not (run_dir / "run.lock").exists()


def changed_run(tmp_path: Path, recordings: dict, status: str = "changed") -> Path:
    """A run where step 2 of pre-verification on desktop changed (or failed)."""
    actual = tmp_path / "run" / "02-step-2-actual.png"
    make_png(actual, (320, 200), seed=99)
    baseline = tmp_path / "recordings" / recordings["flows"][0]["steps"][1]["images"]["desktop"]
    row = {"flow": "pre-verification", "device": "desktop", "duration_ms": 120}
    write_json(tmp_path / "latest-run.json", RunReport(
        kind="run", started_at=MONDAY, finished_at=MONDAY,
        results=(
            StepOutcome(**row, step=1, step_id="step-1", status="passed"),
            StepOutcome(**row, step=2, step_id="step-2", status=status, message="it changed",
                        expected=str(baseline), actual=str(actual), diff=str(actual)),
            StepOutcome(**row, step=3, step_id="step-3", status="passed"),
        ),
    ))
    return actual


def test_accepting_a_changed_step_makes_its_picture_the_baseline(recorded, open_page, tmp_path):
    actual = changed_run(tmp_path, recorded)
    baseline = tmp_path / "recordings" / recorded["flows"][0]["steps"][1]["images"]["desktop"]
    at = open_page(REGRESSION)
    assert at.slider(key="onion.pre-verification.desktop.2").value == 50

    at.text_input(key="regression.reviewer").input("Ann").run()
    at.button(key="accept.pre-verification.desktop.2").click().run()

    assert not at.exception
    assert baseline.read_bytes() == actual.read_bytes()
    manifest = json.loads((tmp_path / "recordings" / "manifest.json").read_text())
    accepted = manifest["flows"][0]["steps"][1]["accepted"]["desktop"]
    assert accepted["reviewer"] == "Ann" and accepted["run_started_at"] == MONDAY.isoformat()
    assert "Accepted by Ann" in at.success[-1].value


def test_accepting_without_a_reviewer_name_asks_for_one(recorded, open_page, tmp_path):
    changed_run(tmp_path, recorded)
    manifest = (tmp_path / "recordings" / "manifest.json").read_bytes()
    at = open_page(REGRESSION)

    at.button(key="accept.pre-verification.desktop.2").click().run()

    assert any("Give your name as the reviewer" in w.value for w in at.warning)
    assert (tmp_path / "recordings" / "manifest.json").read_bytes() == manifest


def test_accept_all_in_this_run_says_how_many_and_asks_first(recorded, open_page, tmp_path):
    actual = changed_run(tmp_path, recorded)
    baseline = tmp_path / "recordings" / recorded["flows"][0]["steps"][1]["images"]["desktop"]
    before = baseline.read_bytes()
    at = open_page(REGRESSION)
    at.text_input(key="regression.reviewer").input("Ann").run()
    assert at.button(key="accept-run").label == "Accept all in this run (1)"

    at.button(key="accept-run").click().run()

    assert any("Accept 1 changed picture(s) in 1 flow run(s) as the new baselines?" in w.value
               for w in at.warning)
    assert baseline.read_bytes() == before  # nothing accepted before the confirmation
    at.button(key="accept-run.no").click().run()
    assert baseline.read_bytes() == before
    at.button(key="accept-run").click().run()
    at.button(key="accept-run.yes").click().run()
    assert not at.exception
    assert baseline.read_bytes() == actual.read_bytes()


def test_a_failed_expectation_offers_no_accept(recorded, open_page, tmp_path):
    changed_run(tmp_path, recorded, status="failed")
    at = open_page(REGRESSION)

    keys = [b.key for b in at.button]
    assert "accept.pre-verification.desktop.2" not in keys
    assert not any(k and k.startswith("accept-all.") for k in keys)
    assert any("cannot be accepted" in c.value for c in at.caption)


def test_filters_show_only_the_chosen_outcome(recorded, open_page, tmp_path):
    changed_run(tmp_path, recorded)
    at = open_page(REGRESSION)
    assert len(at.expander) == 1

    at.selectbox(key="regression.outcome").select("passed").run()

    assert len(at.expander) == 0
    assert "No flow matches the filters." in [c.value for c in at.caption]
