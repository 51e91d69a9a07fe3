"""The files an HTML report carries: the pictures of every step that did not pass and the
traces, copied into the report's folder so it opens anywhere.

Pictures are copied as they are until the folder reaches ``IMAGE_BUDGET``; the steps
after that get theirs at half size as JPEG (a step's three pictures always alike, so the
slider lines them up), so even a run where every picture changed stays small and opens
quickly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

from flows.pictures.files import ROOT

IMAGE_BUDGET = 8 * 1024 * 1024
SMALL_QUALITY = 80


class ReportPictures:
    """Copies the run's pictures into the report folder, within the size budget."""

    def __init__(self, folder: Path, root: Path | None = None) -> None:
        self.folder, self.root, self.size = folder, root or ROOT, 0

    def add(self, recorded: str | None, name: str, *, beside: bool = False) -> str | None:
        """Copy one file as it is (under ``images/``, or ``beside`` the index); its path
        in the report, if it exists."""
        if recorded is None or not (self.root / recorded).is_file():
            return None
        place = name if beside else f"images/{name}"
        target = self.folder / place
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.root / recorded, target)
        self.size += target.stat().st_size
        return place

    def add_step(self, pictures: dict[str, tuple[str | None, str]]) -> dict[str, str]:
        """A step's pictures (field → recorded path, name): full size while the budget
        lasts, else all of them at half size."""
        found = {
            field: (self.root / recorded, name)
            for field, (recorded, name) in pictures.items()
            if recorded is not None and (self.root / recorded).is_file()
        }
        needed = sum(source.stat().st_size for source, _ in found.values())
        if self.size + needed <= IMAGE_BUDGET:
            return {
                field: self.add(pictures[field][0], name) or ""
                for field, (_, name) in found.items()
            }
        added = {}
        for field, (source, name) in found.items():
            name = name.removesuffix(".png") + ".jpg"
            target = self.folder / "images" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with Image.open(source) as image:
                image.convert("RGB").reduce(2).save(target, quality=SMALL_QUALITY)
            self.size += target.stat().st_size
            added[field] = f"images/{name}"
        return added
