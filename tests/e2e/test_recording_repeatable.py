"""Recording is repeatable: the same flow recorded again writes the very files of the
committed baseline (itself a recording by the same recorder), byte for byte.

One new recording, not two: it is compared with the baseline, the recording made before
it; a second fresh one would check nothing more.

Byte for byte since Chromium runs with ``--disable-partial-raster`` (flows/run/browser.py):
before, re-painting only the changed part of a page (a ticked choice, a focused field)
could anti-alias a rounded border one colour level differently on a few dozen pixels
from one run to the next. The flow picked ticks a reason and waits for the seller."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from flows.pictures.diff import compare
from flows.pictures.files import RECORDINGS_DIR
from flows.run.runner import run_flow
from flowspec.paths import load_flows

# Its steps move the simulated clock and show the seller's deadline: the volatile parts.
FLOW = load_flows()["post-verification-no-answer"]


def pngs(folder: Path) -> list[Path]:
    return sorted(path.relative_to(folder) for path in folder.rglob("*.png"))


def test_recording_again_writes_the_images_of_the_baseline(
    browser, desktop, base_url, tmp_path: Path
):
    fresh = tmp_path / "fresh"
    result = run_flow(
        browser, FLOW, desktop, base_url, record_dir=fresh, output_dir=tmp_path / "output"
    )
    assert result.passed, [step.message for step in result.failures]

    images = pngs(fresh)
    assert len(images) == 2 * len(FLOW.steps)  # each step's whole screen and its close-up
    assert pngs(RECORDINGS_DIR / FLOW.id / "desktop") == pngs(fresh / FLOW.id / "desktop")
    differences = {}
    for name in images:
        if (RECORDINGS_DIR / name).read_bytes() == (fresh / name).read_bytes():
            continue
        with Image.open(RECORDINGS_DIR / name) as baseline, Image.open(fresh / name) as again:
            differences[str(name)] = compare(baseline, again, threshold=0, allowed_pixels=0).describe()
    assert differences == {}
