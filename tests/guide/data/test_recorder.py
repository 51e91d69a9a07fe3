"""Following ``python -m flows record`` from the guide, with a stand-in recorder that
prints the contract's progress events."""

import sys

from flowspec.contract import Note, Problem, RunStarted, StepFinished, event_line

STARTED = RunStarted(kind="record", flows=("a",), devices=("desktop",), steps=2)


def step(number: int, step_id: str, status: str = "passed", device: str = "desktop"):
    return StepFinished(
        flow="a", device=device, step=number, total=2, step_id=step_id, status=status,
        duration_ms=10, message="" if status == "passed" else f"step {number} failed",
    )


def _fake(lines: list[str], code: int = 0) -> list[str]:
    script = ";".join(f"print({line!r}, flush=True)" for line in lines)
    return [sys.executable, "-c", f"{script}; raise SystemExit({code})"]


def _events(*events) -> list[str]:
    return [event_line(event) for event in events]


def test_run_reports_each_step_with_the_announced_total():
    from guide.data.recorder import run_recorder

    seen = []
    result = run_recorder(
        lambda progress, count, total: seen.append((progress.step_id, count, total)),
        _fake(_events(STARTED, Note(text="Started a storefront"), step(1, "one"), step(2, "two"))),
    )
    assert result.ok
    assert seen == [("one", 1, 2), ("two", 2, 2)]
    assert result.output == ["Started a storefront"]


def test_run_with_a_failed_step_is_not_ok():
    from guide.data.recorder import run_recorder

    result = run_recorder(
        lambda *_: None, _fake(_events(step(1, "one", "failed", device="phone")), code=1)
    )
    assert not result.ok
    assert result.returncode == 1
    assert result.failures == [step(1, "one", "failed", device="phone")]
    assert result.output == ["step 1 failed"]


def test_lines_that_are_not_events_are_kept_for_the_person():
    from guide.data.recorder import run_recorder

    lines = ["Traceback (most recent call last):", *_events(Problem(text="no browser"))]
    result = run_recorder(lambda *_: None, _fake(lines, code=2))
    assert (result.ok, result.steps) == (False, 0)
    assert result.output == ["Traceback (most recent call last):", "error: no browser"]


def test_recorder_that_cannot_start():
    from guide.data.recorder import run_recorder

    result = run_recorder(lambda *_: None, ["/nonexistent/recorder"])
    assert result.returncode == 127
    assert "Could not start the recorder" in result.output[0]
