"""Read the recordings manifest through ``flowspec.contract``, once per change on disk.

Everything a page needs is checked here once, so a page either gets a usable
``Recordings`` or a ``RecordingsError`` whose message can be shown as it is.
Reads are cached with ``st.cache_data`` and keyed by the file's modification time,
so moving between steps never touches the disk twice and a new recording is
picked up without restarting the guide.
"""

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import streamlit as st

from domain.paths import PathId
from flowspec import contract
from flowspec.contract import (
    MANIFEST_NAME,
    DeviceInfo,
    DeviceName,
    Manifest,
    ManifestError,
    RecordedFlow,
    RecordedStep,
)
from guide.data import config

# The guide shows the contract's own messages: a manifest it cannot use is a ManifestError.
RecordingsError = ManifestError


class RecordingsMissing(FileNotFoundError):
    """There is no manifest yet: the flows have not been recorded."""

    def __init__(self, directory: Path):
        super().__init__(f"No recordings yet: {config.shown_path(directory / MANIFEST_NAME)}")
        self.directory = directory


class ImageMissing(FileNotFoundError):
    """A screenshot named in the manifest is not on disk (or was never recorded)."""


@dataclass(frozen=True)
class Recordings:
    """The manifest as the contract defines it, plus where it was read from."""

    directory: str
    manifest: Manifest
    missing_images: tuple[str, ...] = ()
    # (mtime_ns, size) of the manifest these were read from; None when not read from a file.
    stamp: tuple[int, int] | None = None

    @property
    def devices(self) -> dict[DeviceName, DeviceInfo]:
        return self.manifest.devices

    def device(self, name: str) -> DeviceInfo | None:
        """The screen ``name`` as recorded, or None when these recordings have no such one."""
        return self.devices[DeviceName(name)] if name in self.devices else None

    def label(self, device: str) -> str:
        """How the pages name ``device`` (its id when the recordings do not know it)."""
        info = self.device(device)
        return info.label if info is not None else device

    @property
    def flows(self) -> tuple[RecordedFlow, ...]:
        return self.manifest.flows

    def paths(self) -> list[str]:
        """The path groups present, in the guide's reading order (unknown ones last)."""
        present = list(dict.fromkeys(flow.path for flow in self.flows))
        known = [p.value for p in PathId if p in present]
        return known + [p for p in present if p not in known]

    def flows_in(self, path: str) -> list[RecordedFlow]:
        return [flow for flow in self.flows if flow.path == path]

    def flow(self, flow_id: str) -> RecordedFlow | None:
        return self.manifest.flow(flow_id)

    def image_file(self, relative: str) -> Path:
        return Path(self.directory) / relative

    def step_count(self) -> int:
        return sum(len(flow.steps) for flow in self.flows)

    def is_current(self) -> bool:
        """Whether the manifest on disk is still the one these were read from (one stat)."""
        if self.stamp is None:
            return True
        try:
            stat = (Path(self.directory) / MANIFEST_NAME).stat()
        except OSError:
            return False
        return (stat.st_mtime_ns, stat.st_size) == self.stamp


# --- reading -----------------------------------------------------------------------------


def load_recordings(directory: Path | None = None) -> Recordings:
    """The recordings in ``directory`` (default: ``config.settings().recordings_dir``).

    Raises RecordingsMissing when there is no manifest and RecordingsError when it
    cannot be used.
    """
    directory = Path(directory or config.settings().recordings_dir)
    manifest = directory / MANIFEST_NAME
    try:
        stat = manifest.stat()
    except FileNotFoundError:
        raise RecordingsMissing(directory) from None
    return _load_cached(str(directory), stat.st_mtime_ns, stat.st_size)


def load_recordings_if_any() -> Recordings | None:
    """The recordings, or None when there are none to read (for pages that work without)."""
    try:
        return load_recordings()
    except (FileNotFoundError, RecordingsError):
        return None


@st.cache_data(show_spinner=False, max_entries=32)
def _load_cached(directory: str, mtime_ns: int, size: int) -> Recordings:
    """Parse the manifest; the stat values are only there to key the cache."""
    data = contract.read_json(Path(directory) / MANIFEST_NAME, RecordingsError)
    return replace(parse_manifest(data, Path(directory)), stamp=(mtime_ns, size))


def parse_manifest(data: Any, directory: Path) -> Recordings:
    """Check ``data`` against the contract, then what the guide itself needs: some flows."""
    manifest = contract.parse_manifest(data)
    if not manifest.devices:
        raise RecordingsError(f'{MANIFEST_NAME}: "devices" is empty.')
    if not manifest.flows:
        raise RecordingsError(f"{MANIFEST_NAME} lists no flows.")
    missing = [
        image
        for flow in manifest.flows
        for step in flow.steps
        for image in step.images.values()
        if image and not (directory / image).is_file()
    ]
    return Recordings(str(directory), manifest, tuple(missing))


# --- images --------------------------------------------------------------------------------


def crop_bytes(recordings: Recordings, step: RecordedStep, device: str) -> bytes | None:
    """The close-up PNG of ``step`` on ``device``, or None when there is none to show."""
    relative = step.crop(device)
    if not relative:
        return None
    path = recordings.image_file(relative)
    try:
        return read_image(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def image_bytes(recordings: Recordings, step: RecordedStep, device: str) -> bytes:
    """The PNG of ``step`` on ``device``; ImageMissing says which file and why."""
    relative = step.image(device)
    if not relative:
        raise ImageMissing(f"Step {step.number} was not recorded on {recordings.label(device)}.")
    path = recordings.image_file(relative)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ImageMissing(f"The screenshot {relative} is missing from the recordings.") from None
    return read_image(str(path), stat.st_mtime_ns)


@st.cache_data(show_spinner=False, max_entries=512)
def read_image(path: str, mtime_ns: int) -> bytes:
    """The file's bytes; ``mtime_ns`` only keys the cache."""
    return Path(path).read_bytes()
