"""Following ``python -m flows record`` from the guide, with a stand-in recorder."""

import sys

import pytest

from guide.recorder import expected_steps, parse_progress, run_recorder


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("✓ pre-verification [desktop] 3/7 open-details 142 ms",
         ("pre-verification", "desktop", 3, 7, "open-details", True, 142)),
        ("✗ coupon [phone] 1/4 open-wallet 3001 ms",
         ("coupon", "phone", 1, 4, "open-wallet", False, 3001)),
        ("✓ refund [desktop] 2/2 finances",
         ("refund", "desktop", 2, 2, "finances", True, None)),
    ],
)
def test_progress_lines(line, expected):
    p = parse_progress(line)
    assert (p.flow, p.device, p.number, p.total, p.step, p.ok, p.duration_ms) == expected


@pytest.mark.parametrize("line", ["", "Recording 4 flows on 2 devices", "wrote manifest.json"])
def test_other_lines_are_not_progress(line):
    assert parse_progress(line) is None


def _fake(lines: list[str], code: int = 0) -> list[str]:
    script = ";".join(f"print({line!r}, flush=True)" for line in lines)
    return [sys.executable, "-c", f"{script}; raise SystemExit({code})"]


def test_run_reports_each_step():
    seen = []
    result = run_recorder(
        lambda progress, count: seen.append((progress.step, count)),
        _fake(["Recording", "✓ a [desktop] 1/2 one 10 ms", "✓ a [desktop] 2/2 two 12 ms"]),
    )
    assert result.ok
    assert seen == [("one", 1), ("two", 2)]
    assert result.output[0] == "Recording"


def test_run_with_a_failed_step_is_not_ok():
    result = run_recorder(lambda *_: None, _fake(["✗ a [phone] 1/1 one 10 ms"], code=1))
    assert not result.ok
    assert result.returncode == 1
    assert result.failures[0].device == "phone"


def test_recorder_that_cannot_start():
    result = run_recorder(lambda *_: None, ["/nonexistent/recorder"])
    assert result.returncode == 127
    assert "Could not start the recorder" in result.output[0]


def test_expected_steps_counts_the_listing_per_device():
    listing = ["pre  [pre-verification]  Title  (scenario x)", "  1. open: Go to /", "  2. b: Click"]
    assert expected_steps(2, _fake(listing)) == 4


def test_expected_steps_unknown_when_listing_fails():
    assert expected_steps(2, _fake(["error: no flows"], code=2)) is None
    assert expected_steps(2, ["/nonexistent/flows"]) is None
