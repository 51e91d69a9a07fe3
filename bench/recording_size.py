"""Bytes per recorded screenshot, and what further PNG optimisation would buy.

``python -m bench.recording_size [--sample N]``

Reads ``flows/recordings`` (never writes there): bytes per screenshot (min / median /
max, per device) and for the whole recording. Then, on copies (in memory or in a
temporary folder), the encodings one could use instead:

- Pillow at zlib level 6: what ``flows.pictures.annotate.save_png`` writes now;
- Pillow ``optimize=True`` (zlib level 9): what wrote the committed files;
- Pillow quantize to 256 colours (median cut, no dithering), lossy: bytes, how many
  pixels change and by how much, and whether the regression diff (``flows.pictures.diff.compare``,
  pixelmatch at the runner's threshold) would still call the images equal, on a sample;
- ``optipng -o2`` (Debian package ``optipng``), lossless, when installed.

Target: < 150 KB per image.
"""

from __future__ import annotations

import argparse
import io
import math
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from PIL import Image, ImageChops

from bench.support.common import (
    Figure,
    add_quick_option,
    median,
    package_version,
    results_folder,
    spread,
    write_results,
)
from flows.pictures.annotate import PNG_COMPRESS_LEVEL
from flows.pictures.diff import compare
from flows.pictures.files import RECORDINGS_DIR

NAME = "recording_size"
TARGET_KB = 150
KB = 1000


def encode(image: Image.Image, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def quantized(image: Image.Image) -> Image.Image:
    return image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def pixel_change(original: Image.Image, changed: Image.Image) -> dict[str, float]:
    """Share of pixels that changed, the largest channel change, PSNR (dB)."""
    difference = ImageChops.difference(original, changed.convert("RGB"))
    pixels = original.width * original.height
    changed_pixels = pixels - difference.convert("L").histogram()[0]
    squared = 0
    largest = 0
    for band in difference.split():
        histogram = band.histogram()
        squared += sum(count * value * value for value, count in enumerate(histogram))
        largest = max(largest, max(v for v, c in enumerate(histogram) if c) if any(histogram) else 0)
    mse = squared / (pixels * 3)
    return {
        "changed_share": changed_pixels / pixels,
        "max_channel_change": largest,
        "psnr_db": math.inf if mse == 0 else 10 * math.log10(255 * 255 / mse),
    }


def kb_spread(sizes: list[int]) -> dict[str, float | None]:
    s = spread(sizes)
    return {k: (round(v / KB, 1) if isinstance(v, float | int) and k != "count" else v)
            for k, v in s.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recording_size", description=__doc__)
    parser.add_argument("--sample", type=int, default=12,
                        help="images checked with the regression diff after quantizing")
    add_quick_option(parser)
    args = parser.parse_args(argv)
    started_at = datetime.now(UTC).replace(microsecond=0)

    files = sorted(RECORDINGS_DIR.rglob("*.png"))
    if args.quick:  # three images, one of them through the regression diff
        files, args.sample = files[:3], 1
    if not files:
        print(f"no screenshots under {RECORDINGS_DIR.name}/")
        return 1
    sizes = [path.stat().st_size for path in files]
    by_device: dict[str, list[int]] = {}
    for path, size in zip(files, sizes, strict=True):
        by_device.setdefault(path.parent.name, []).append(size)
    manifest_bytes = (RECORDINGS_DIR / "manifest.json").stat().st_size
    total = sum(sizes) + manifest_bytes
    print(f"{len(files)} screenshots, {total / 1e6:.2f} MB with the manifest")

    variants: dict[str, dict[str, Any]] = {
        f"pillow level {PNG_COMPRESS_LEVEL} (recorder now)": {"sizes": [], "seconds": 0.0},
        "pillow optimize (committed files)": {"sizes": [], "seconds": 0.0},
        "quantize 256 + optimize (lossy)": {"sizes": [], "seconds": 0.0},
    }
    changes: list[dict[str, float]] = []
    step = max(1, len(files) // max(args.sample, 1))
    sampled = set(files[::step][: args.sample])
    pixelmatch_results: list[dict[str, Any]] = []
    for path in files:
        with Image.open(path) as opened:
            image = opened.convert("RGB")
        for label, make in (
            (f"pillow level {PNG_COMPRESS_LEVEL} (recorder now)",
             lambda i: encode(i, compress_level=PNG_COMPRESS_LEVEL)),
            ("pillow optimize (committed files)", lambda i: encode(i, optimize=True)),
        ):
            started = perf_counter()
            variants[label]["sizes"].append(len(make(image)))
            variants[label]["seconds"] += perf_counter() - started
        started = perf_counter()
        palette = quantized(image)
        data = encode(palette, optimize=True)
        variants["quantize 256 + optimize (lossy)"]["seconds"] += perf_counter() - started
        variants["quantize 256 + optimize (lossy)"]["sizes"].append(len(data))
        changes.append(pixel_change(image, palette))
        if path in sampled:
            comparison = compare(image, palette.convert("RGB"))
            pixelmatch_results.append({
                "image": path.relative_to(RECORDINGS_DIR).as_posix(),
                "different_pixels": comparison.different_pixels,
                "matches": comparison.matches,
            })

    optipng: dict[str, Any] | None = None
    if shutil.which("optipng"):
        with tempfile.TemporaryDirectory(prefix="bench-png-") as scratch:
            copies = []
            for index, path in enumerate(files):
                copy = Path(scratch) / f"{index:04d}.png"
                shutil.copyfile(path, copy)
                copies.append(copy)
            started = perf_counter()
            subprocess.run(["optipng", "-quiet", "-o2", *map(str, copies)], check=True,
                           timeout=1800)
            seconds = perf_counter() - started
            optimised = [copy.stat().st_size for copy in copies]
            optipng = {"sizes": optimised, "seconds": seconds}
        variants["optipng -o2 on the committed files (lossless)"] = optipng
        print(f"optipng -o2: {seconds:.1f} s for {len(files)} files")

    median_kb = median(sizes) / KB
    max_kb = max(sizes) / KB
    figures = [
        Figure("screenshots", len(files)),
        Figure("per screenshot: min", round(min(sizes) / KB, 1), "KB"),
        Figure("per screenshot: median", round(median_kb, 1), "KB", f"< {TARGET_KB} KB",
               median_kb < TARGET_KB),
        Figure("per screenshot: max", round(max_kb, 1), "KB", f"< {TARGET_KB} KB",
               max_kb < TARGET_KB),
        *[Figure(f"{device}: median / max", f"{median(s) / KB:.1f} / {max(s) / KB:.1f} KB")
          for device, s in sorted(by_device.items())],
        Figure("whole recording (PNGs + manifest)", round(total / 1e6, 2), "MB"),
    ]
    committed = sum(sizes)
    for label, variant in variants.items():
        total_variant = sum(variant["sizes"])
        figures.append(Figure(
            f"{label}: median per image / total / vs committed",
            f"{median(variant['sizes']) / KB:.1f} KB / {total_variant / 1e6:.2f} MB / "
            f"{100 * (total_variant - committed) / committed:+.1f} %",
        ))
        figures.append(Figure(f"{label}: time per image",
                              round(1000 * variant["seconds"] / len(files), 1), "ms"))
    changed_share = [c["changed_share"] for c in changes]
    psnr = [c["psnr_db"] for c in changes if math.isfinite(c["psnr_db"])]
    passing = sum(r["matches"] for r in pixelmatch_results)
    figures += [
        Figure("quantize: pixels changed, median share", round(100 * median(changed_share), 2),
               "%"),
        Figure("quantize: largest channel change, max over images",
               max(c["max_channel_change"] for c in changes)),
        Figure("quantize: PSNR, min / median", f"{min(psnr):.1f} / {median(psnr):.1f} dB"
               if psnr else "lossless"),
        Figure("quantize: regression diff still equal (sample)",
               f"{passing} of {len(pixelmatch_results)}"),
    ]
    notes = [
        "All variants measured on copies; flows/recordings is read only.",
        "Quantize = Pillow median cut to 256 colours without dithering, then "
        "`optimize=True`; 'regression diff still equal' runs flows.pictures.diff.compare (pixelmatch "
        "threshold 0.1, 25 pixels allowed) between the original and the quantized image.",
        f"The recorder now writes zlib level {PNG_COMPRESS_LEVEL} instead of optimize: the "
        "committed files are unchanged until the next `python -m flows record`.",
    ]
    details = {
        "per_image_kb": kb_spread(sizes),
        "per_device_kb": {device: kb_spread(s) for device, s in by_device.items()},
        "manifest_bytes": manifest_bytes,
        "total_bytes": total,
        "variants": {
            label: {"per_image_kb": kb_spread(v["sizes"]), "total_bytes": sum(v["sizes"]),
                    "seconds_total": round(v["seconds"], 2)}
            for label, v in variants.items()
        },
        "quantize_pixel_change": {
            "changed_share": spread(changed_share),
            "psnr_db": spread(psnr),
        },
        "quantize_regression_diff_sample": pixelmatch_results,
        "pillow": package_version("pillow"),
    }
    write_results(NAME, "Recording size: bytes per screenshot and PNG optimisation", figures,
                  details, notes, started_at, folder=results_folder(args.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
