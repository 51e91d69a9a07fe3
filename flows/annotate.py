"""Mark the element a step is about on its screenshot, and store images reproducibly.

The outline and badge are drawn with Pillow rather than injected into the page, so
the page under test stays untouched and the drawing is identical on every machine
(Pillow's built-in font, no anti-aliasing differences from the browser).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TypedDict

from PIL import Image, ImageChops, ImageDraw, ImageFont

ORANGE = (255, 106, 0)
WHITE = (255, 255, 255)
OUTLINE_WIDTH = 3
PADDING = 4  # the outline sits just outside the element, so its edge stays readable
BADGE_RADIUS = 13
BADGE_FONT_SIZE = 15
PNG_COMPRESS_LEVEL = 6


class Box(TypedDict):
    x: float
    y: float
    width: float
    height: float


def outline_rectangle(box: Box, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Where the outline goes: around ``box`` plus padding, kept inside the image."""
    width, height = size
    left = max(0, round(box["x"]) - PADDING)
    top = max(0, round(box["y"]) - PADDING)
    right = min(width - 1, round(box["x"] + box["width"]) + PADDING)
    bottom = min(height - 1, round(box["y"] + box["height"]) + PADDING)
    return left, top, right, bottom


def badge_centre(outline: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[int, int]:
    """Beside the outline's top-left corner (or top-right near the left edge), never on
    the element, so even a small icon stays visible."""
    left, top, right, _ = outline
    gap = BADGE_RADIUS + OUTLINE_WIDTH
    cx = left - gap if left - gap - BADGE_RADIUS >= 0 else right + gap
    cx = min(max(cx, BADGE_RADIUS), size[0] - BADGE_RADIUS - 1)
    cy = min(max(top + BADGE_RADIUS, BADGE_RADIUS), size[1] - BADGE_RADIUS - 1)
    return cx, cy


def annotate(screenshot: bytes | Image.Image, box: Box | None, number: int) -> Image.Image:
    """The screenshot with an orange outline around ``box`` and a numbered badge.

    ``box`` is in image pixels (screenshots are taken at CSS scale); without a box
    (the target is off screen, or the step has none) the image comes back unmarked.
    """
    image = (
        screenshot if isinstance(screenshot, Image.Image) else Image.open(io.BytesIO(screenshot))
    )
    image = image.convert("RGB")
    if box is None or box["width"] <= 0 or box["height"] <= 0:
        return image
    left, top, right, bottom = outline_rectangle(box, image.size)
    if left >= right or top >= bottom:
        return image
    draw = ImageDraw.Draw(image)
    draw.rectangle((left, top, right, bottom), outline=ORANGE, width=OUTLINE_WIDTH)
    cx, cy = badge_centre((left, top, right, bottom), image.size)
    draw.ellipse(
        (cx - BADGE_RADIUS, cy - BADGE_RADIUS, cx + BADGE_RADIUS, cy + BADGE_RADIUS),
        fill=ORANGE,
        outline=WHITE,
        width=2,
    )
    font = ImageFont.load_default(size=BADGE_FONT_SIZE)
    draw.text((cx, cy), str(number), fill=WHITE, font=font, anchor="mm")
    return image


def png_bytes(image: Image.Image) -> bytes:
    """``image`` as PNG bytes with no metadata, so equal pixels give equal bytes.

    Images of at most 256 colours are stored as a palette, but only when that loses nothing.
    zlib's default level: a screenshot comes out about 3 % larger than at level 9
    (``optimize``) but is encoded about 3.5 times faster (bench/record_guide.py).
    """
    image = image.convert("RGB")
    if image.getcolors(256) is not None:
        paletted = image.quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        if ImageChops.difference(paletted.convert("RGB"), image).getbbox() is None:
            image = paletted
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def save_png(image: Image.Image, path: Path) -> Path:
    """Write ``image`` to ``path`` as ``png_bytes`` makes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(image))
    return path
