"""Recording is repeatable: the same flow recorded twice gives the same pictures, and the
same as the committed baseline, within the regression comparison's anti-aliasing tolerance.

Not byte for byte: Chromium's anti-aliasing of a rounded border can differ by one colour
level on a few dozen pixels from one run to the next (seen in the flake check), and a
test that fails on that would be a flaky test, not a finding."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from flows.diff import compare
from flows.manifest import RECORDINGS_DIR
from flows.paths import load_flows
from flows.runner import run_flow

# Its steps move the simulated clock and show the seller's deadline: the volatile parts.
FLOW = load_flows()["post-verification-no-answer"]


def pngs(folder: Path) -> list[Path]:
    return sorted(path.relative_to(folder) for path in folder.rglob("*.png"))


def test_recording_twice_writes_identical_images_that_match_the_baseline(
    browser, desktop, base_url, tmp_path: Path
):
    first, second = tmp_path / "first", tmp_path / "second"
    for record_dir in (first, second):
        result = run_flow(
            browser, FLOW, desktop, base_url, record_dir=record_dir, output_dir=tmp_path / "output"
        )
        assert result.passed, [step.message for step in result.failures]

    images = pngs(first)
    assert len(images) == 2 * len(FLOW.steps)  # each step's whole screen and its close-up
    assert pngs(second) == images
    unequal = {}
    for name in images:
        with Image.open(first / name) as one, Image.open(second / name) as two:
            comparison = compare(one, two)
        if not comparison.matches:
            unequal[str(name)] = comparison.describe()
    assert unequal == {}
    assert pngs(RECORDINGS_DIR / FLOW.id / "desktop") == pngs(first / FLOW.id / "desktop")
    differences = {}
    for name in images:
        with Image.open(RECORDINGS_DIR / name) as baseline, Image.open(first / name) as fresh:
            comparison = compare(baseline, fresh)
        if not comparison.matches:
            differences[str(name)] = comparison.describe()
    assert differences == {}
