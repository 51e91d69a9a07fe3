"""Compare a step's screenshot with its baseline, the way a person would notice a change.

pixelmatch ignores anti-aliasing noise and small colour shifts; it is pure Python, so
it only looks at the rectangle where the images differ at all (plus a margin for its
anti-aliasing check). Masked areas were painted one flat colour by the screenshot,
so volatile or personal content never counts as a difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from PIL import Image, ImageChops
from pixelmatch.contrib.PIL import pixelmatch

THRESHOLD = 0.1
ALLOWED_PIXELS = 25
MARGIN = 2  # pixelmatch looks one pixel around each difference to spot anti-aliasing
FADE = 0.1  # how much of the expected image shows through behind the red pixels


@dataclass(frozen=True)
class Comparison:
    """The outcome: how many pixels differ, a picture of where, and whether that fails."""

    different_pixels: int
    allowed_pixels: int
    size_problem: str | None = None
    # What the diff picture is drawn from; it is drawn only when asked for (``diff``):
    # a step that matches, which is nearly every step, never needs one.
    expected: Image.Image | None = field(default=None, repr=False, compare=False)
    marks: Image.Image | None = field(default=None, repr=False, compare=False)
    marks_at: tuple[int, int] = (0, 0)

    @cached_property
    def diff(self) -> Image.Image | None:
        """The expected image faded, the differing pixels in red; None for a size problem."""
        if self.expected is None:
            return None
        picture = faded(self.expected)
        if self.marks is not None:
            picture.paste(self.marks, self.marks_at)
        return picture

    @property
    def matches(self) -> bool:
        return self.size_problem is None and self.different_pixels <= self.allowed_pixels

    def describe(self) -> str:
        if self.size_problem:
            return self.size_problem
        return (
            f"the screenshot differs from the baseline in {self.different_pixels} pixels"
            f" (allowed: {self.allowed_pixels})"
        )


def faded(image: Image.Image) -> Image.Image:
    """A pale grey copy of ``image``: the background of a diff picture."""
    grey = image.convert("L")
    white = Image.new("L", image.size, 255)
    pale = Image.blend(white, grey, FADE)
    return Image.merge("RGBA", (pale, pale, pale, Image.new("L", image.size, 255)))


def compare(
    expected: Image.Image,
    actual: Image.Image,
    *,
    threshold: float = THRESHOLD,
    allowed_pixels: int = ALLOWED_PIXELS,
) -> Comparison:
    """Compare two screenshots; the diff picture marks differing pixels in red."""
    if expected.size != actual.size:
        (ew, eh), (aw, ah) = expected.size, actual.size
        return Comparison(
            0, allowed_pixels, f"the screenshot is {aw}×{ah} but the baseline is {ew}×{eh}"
        )
    expected, actual = expected.convert("RGB"), actual.convert("RGB")
    changed = ImageChops.difference(expected, actual).getbbox()
    if changed is None:
        return Comparison(0, allowed_pixels, expected=expected)
    left, top, right, bottom = changed
    area = (
        max(0, left - MARGIN),
        max(0, top - MARGIN),
        min(expected.width, right + MARGIN),
        min(expected.height, bottom + MARGIN),
    )
    output = Image.new("RGBA", (area[2] - area[0], area[3] - area[1]))
    count = pixelmatch(
        expected.crop(area), actual.crop(area), output, threshold=threshold, includeAA=False
    )
    return Comparison(count, allowed_pixels, expected=expected, marks=output, marks_at=area[:2])


def beside_failure(
    baselines: Path | None, name: str, actual: str | None, folder: Path
) -> tuple[str | None, str | None]:
    """For a step that failed where its baseline ``name`` exists in ``baselines``: that
    baseline and (when the page could still be pictured) the diff against it, written into
    ``folder`` beside the actual picture, so a reviewer sees what the step should show."""
    baseline = baselines / name if baselines is not None else None
    if baseline is None or not baseline.is_file():
        return None, None
    stem = name.removesuffix(".png")
    folder.mkdir(parents=True, exist_ok=True)
    expected_path = folder / f"{stem}-expected.png"
    diff_path = None
    with Image.open(baseline) as expected:
        expected.save(expected_path)
        if actual is not None and Path(actual).is_file():
            with Image.open(actual) as shot:
                picture = compare(expected, shot).diff
            if picture is not None:
                diff_path = folder / f"{stem}-diff.png"
                picture.save(diff_path)
    return str(expected_path), None if diff_path is None else str(diff_path)
