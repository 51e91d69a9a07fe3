"""Where the runner's pictures go and what they are called: the recordings folder, the
run's output folder, one file name per step."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORDINGS_DIR = ROOT / "flows" / "recordings"
OUTPUT_DIR = ROOT / "output" / "flows"


def image_name(number: int, step_id: str) -> str:
    """``03-choose-reason.png``: sorts in step order in any file browser."""
    return f"{number:02d}-{step_id}.png"


def crop_name(number: int, step_id: str) -> str:
    """``crops/03-choose-reason.png``: the readable part beside the step's full picture."""
    return f"crops/{image_name(number, step_id)}"


def relative(path: Path | str | None, start: Path) -> str | None:
    """``path`` relative to ``start``, with forward slashes, as the contract wants."""
    if path is None:
        return None
    path = Path(path)
    try:
        return path.resolve().relative_to(start.resolve()).as_posix()
    except ValueError:
        return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def digest(path: Path | str) -> str:
    """The SHA-256 of a picture file: equal pixels are equal bytes (``png_bytes``)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
