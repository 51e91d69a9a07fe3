"""Recording is repeatable: the same flow recorded twice gives the same files, byte for
byte, and the same pictures as the committed baseline (so re-recording an unchanged
storefront leaves nothing to commit)."""

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
    assert len(images) == len(FLOW.steps)
    assert pngs(second) == images
    unequal = [
        str(name) for name in images if (first / name).read_bytes() != (second / name).read_bytes()
    ]
    assert unequal == []
    assert pngs(RECORDINGS_DIR / FLOW.id / "desktop") == pngs(first / FLOW.id / "desktop")
    differences = {}
    for name in images:
        with Image.open(RECORDINGS_DIR / name) as baseline, Image.open(first / name) as fresh:
            comparison = compare(baseline, fresh)
        if not comparison.matches:
            differences[str(name)] = comparison.describe()
    assert differences == {}
