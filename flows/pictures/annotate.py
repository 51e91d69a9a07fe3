"""Mark the element a step is about on its screenshot, and store images reproducibly.

The outline and badge are drawn with Pillow rather than injected into the page, so
the page under test stays untouched and the drawing is identical on every machine
(Pillow's built-in font, no anti-aliasing differences from the browser).
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

from flowspec.contract import Box

ORANGE = (255, 106, 0)
WHITE = (255, 255, 255)
OUTLINE_WIDTH = 3
PADDING = 4  # the outline sits just outside the element, so its edge stays readable
BADGE_RADIUS = 13
BADGE_FONT_SIZE = 15
PNG_COMPRESS_LEVEL = 6
# The crop beside each step's picture, in screenshot pixels: the element plus a margin,
# no smaller than CROP_MIN and no larger than the guide shows unscaled at 1280x800.
CROP_MARGIN = (96, 64)
CROP_MIN = (480, 200)
CROP_MAX = (560, 360)


def outline_rectangle(box: Box, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Where the outline goes: around ``box`` plus padding, kept inside the image."""
    width, height = size
    left = max(0, round(box.x) - PADDING)
    top = max(0, round(box.y) - PADDING)
    right = min(width - 1, round(box.x + box.width) + PADDING)
    bottom = min(height - 1, round(box.y + box.height) + PADDING)
    return left, top, right, bottom


def badge_candidates(
    outline: tuple[int, int, int, int], size: tuple[int, int]
) -> list[tuple[int, int]]:
    """Places beside the outline, in order of preference: left of it, right of it, above
    its corners, below them; each kept inside the image, never on the element."""
    left, top, right, bottom = outline
    gap = BADGE_RADIUS + OUTLINE_WIDTH
    middle = (top + bottom) // 2
    places = [
        (left - gap, top + BADGE_RADIUS),
        (right + gap, top + BADGE_RADIUS),
        (left - gap, middle),
        (right + gap, middle),
        (left + BADGE_RADIUS, top - gap),
        (right - BADGE_RADIUS, top - gap),
        (left + BADGE_RADIUS, bottom + gap),
        (right - BADGE_RADIUS, bottom + gap),
    ]
    inside = []
    for cx, cy in places:
        cx = min(max(cx, BADGE_RADIUS), size[0] - BADGE_RADIUS - 1)
        cy = min(max(cy, BADGE_RADIUS), size[1] - BADGE_RADIUS - 1)
        inside.append((cx, cy))
    return inside


def _ink(image: Image.Image, centre: tuple[int, int]) -> int:
    """How much of the page (text, borders, pictures) a badge at ``centre`` would hide:
    the pixels that differ clearly from the most common colour under it."""
    cx, cy = centre
    area = image.crop((cx - BADGE_RADIUS, cy - BADGE_RADIUS, cx + BADGE_RADIUS + 1,
                       cy + BADGE_RADIUS + 1)).convert("L")
    histogram = area.histogram()
    background = max(range(256), key=histogram.__getitem__)
    return sum(count for level, count in enumerate(histogram) if abs(level - background) > 24)


def _overlaps(centre: tuple[int, int], outline: tuple[int, int, int, int]) -> bool:
    cx, cy = centre
    left, top, right, bottom = outline
    return (left - BADGE_RADIUS < cx < right + BADGE_RADIUS
            and top - BADGE_RADIUS < cy < bottom + BADGE_RADIUS)


def badge_centre(
    outline: tuple[int, int, int, int], size: tuple[int, int], image: Image.Image | None = None
) -> tuple[int, int]:
    """Where the badge goes: beside the outline where it hides the least of the page, so it
    covers neither the element nor its neighbours' words ("Overview" beside "Finances")."""
    places = badge_candidates(outline, size)
    clear = [place for place in places if not _overlaps(place, outline)] or places
    if image is None:
        return clear[0]
    return min(clear, key=lambda place: _ink(image, place))  # min keeps the first of equals


def crop_rectangle(box: Box, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The part of a screenshot worth showing at full size: the element and enough around
    it to recognise the place, at most ``CROP_MAX`` (so the guide never has to shrink it)."""
    width, height = size
    max_width, max_height = min(CROP_MAX[0], width), min(CROP_MAX[1], height)
    want_width = min(max(box.width + 2 * CROP_MARGIN[0], CROP_MIN[0]), max_width)
    want_height = min(max(box.height + 2 * CROP_MARGIN[1], CROP_MIN[1]), max_height)
    centre_x = box.x + box.width / 2
    # A tall element is shown from its top, where its words start.
    centre_y = (box.y + box.height / 2 if box.height + 2 * CROP_MARGIN[1] <= max_height
                else box.y - CROP_MARGIN[1] + want_height / 2)
    left = round(min(max(centre_x - want_width / 2, 0), width - want_width))
    top = round(min(max(centre_y - want_height / 2, 0), height - want_height))
    return left, top, left + round(want_width), top + round(want_height)


def crop(image: Image.Image, box: Box | None) -> Image.Image | None:
    """The marked screenshot's part around ``box`` (None when the step has no box)."""
    if box is None or box.width <= 0 or box.height <= 0:
        return None
    return image.crop(crop_rectangle(box, image.size))


def annotate(screenshot: bytes | Image.Image, box: Box | None, number: int) -> Image.Image:
    """The screenshot with an orange outline around ``box`` and a numbered badge.

    ``box`` is in image pixels (screenshots are taken at CSS scale); without a box
    (the target is off screen, or the step has none) the image comes back unmarked.
    """
    image = (
        screenshot if isinstance(screenshot, Image.Image) else Image.open(io.BytesIO(screenshot))
    )
    image = image.convert("RGB")
    if box is None or box.width <= 0 or box.height <= 0:
        return image
    left, top, right, bottom = outline_rectangle(box, image.size)
    if left >= right or top >= bottom:
        return image
    cx, cy = badge_centre((left, top, right, bottom), image.size, image)
    draw = ImageDraw.Draw(image)
    draw.rectangle((left, top, right, bottom), outline=ORANGE, width=OUTLINE_WIDTH)
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
    zlib's default level: encoding speed matters more here than the last few per cent of
    size (figures in bench/README.md).
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


def marked_pngs(png: bytes, box: Box | None, number: int) -> tuple[bytes, bytes | None]:
    """A recorded step's files: the screenshot marked for its step, and the readable crop
    around its element (None without one), as ``png_bytes`` stores them."""
    return pngs_with_crop(annotate(png, box, number), box)


def pngs_with_crop(marked: Image.Image, box: Box | None) -> tuple[bytes, bytes | None]:
    """The marked screenshot and its crop around ``box``, both PNG-encoded."""
    part = crop(marked, box)
    return png_bytes(marked), png_bytes(part) if part is not None else None
