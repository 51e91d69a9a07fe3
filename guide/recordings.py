"""Read the recordings manifest (docs/architecture.md) into small typed records.

Everything a page needs is checked here once, so a page either gets a usable
``Recordings`` or a ``RecordingsError`` whose message can be shown as it is.
Reads are cached with ``st.cache_data`` and keyed by the file's modification time,
so moving between steps never touches the disk twice and a new recording is
picked up without restarting the guide.
"""

import json
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import streamlit as st

from guide import config
from guide.paths import PATH_ORDER

MANIFEST_NAME = "manifest.json"
SUPPORTED_VERSION = 1


class RecordingsMissing(FileNotFoundError):
    """There is no manifest yet: the flows have not been recorded."""

    def __init__(self, directory: Path):
        super().__init__(f"No recordings yet: {config.shown_path(directory / MANIFEST_NAME)}")
        self.directory = directory


class RecordingsError(ValueError):
    """The manifest exists but cannot be used; the message says where and why."""


class ImageMissing(FileNotFoundError):
    """A screenshot named in the manifest is not on disk (or was never recorded)."""


@dataclass(frozen=True)
class Device:
    id: str
    label: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Step:
    number: int
    id: str
    title: str
    instruction: str
    action: str = ""
    target: str | None = None
    images: dict[str, str | None] = field(default_factory=dict)
    crops: dict[str, str | None] = field(default_factory=dict)
    boxes: dict[str, Box | None] = field(default_factory=dict)
    duration_ms: dict[str, int | None] = field(default_factory=dict)

    def image(self, device: str) -> str | None:
        """The screenshot path (relative to the recordings folder) for ``device``."""
        return self.images.get(device)

    def crop(self, device: str) -> str | None:
        """The readable close-up around the step's element on ``device``, if recorded."""
        return self.crops.get(device)


@dataclass(frozen=True)
class Flow:
    id: str
    path: str
    title: str
    when: str
    next: str
    scenario: str
    steps: tuple[Step, ...]
    recorded_at: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Recordings:
    directory: str
    devices: dict[str, Device]
    flows: tuple[Flow, ...]
    missing_images: tuple[str, ...] = ()
    # (mtime_ns, size) of the manifest these were read from; None when not read from a file.
    stamp: tuple[int, int] | None = None

    def paths(self) -> list[str]:
        """The path groups present, in the guide's reading order (unknown ones last)."""
        present = list(dict.fromkeys(flow.path for flow in self.flows))
        known = [p for p in PATH_ORDER if p in present]
        return known + [p for p in present if p not in PATH_ORDER]

    def flows_in(self, path: str) -> list[Flow]:
        return [flow for flow in self.flows if flow.path == path]

    def flow(self, flow_id: str) -> Flow | None:
        return next((flow for flow in self.flows if flow.id == flow_id), None)

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
    """The recordings in ``directory`` (default: ``config.recordings_dir()``).

    Raises RecordingsMissing when there is no manifest and RecordingsError when it
    cannot be used.
    """
    directory = Path(directory or config.recordings_dir())
    manifest = directory / MANIFEST_NAME
    try:
        stat = manifest.stat()
    except FileNotFoundError:
        raise RecordingsMissing(directory) from None
    return _load_cached(str(directory), stat.st_mtime_ns, stat.st_size)


@st.cache_data(show_spinner=False, max_entries=32)
def _load_cached(directory: str, mtime_ns: int, size: int) -> Recordings:
    """Parse the manifest; the stat values are only there to key the cache."""
    path = Path(directory) / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RecordingsError(f"{MANIFEST_NAME} could not be read: {error}") from None
    if not text.strip():
        raise RecordingsError(f"{MANIFEST_NAME} is empty.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordingsError(
            f"{MANIFEST_NAME} is not valid JSON (line {error.lineno}, column {error.colno}:"
            f" {error.msg}). It may have been cut off while being written."
        ) from None
    return replace(parse_manifest(data, Path(directory)), stamp=(mtime_ns, size))


def parse_manifest(data: Any, directory: Path) -> Recordings:
    """Check ``data`` against the manifest contract and build Recordings from it."""
    where = MANIFEST_NAME
    if not isinstance(data, dict):
        raise RecordingsError(f"{where} must hold a JSON object, not {_kind(data)}.")
    version = data.get("version")
    if version != SUPPORTED_VERSION:
        raise RecordingsError(
            f"{where} has version {version!r}; this guide reads version {SUPPORTED_VERSION}."
        )
    devices = _devices(_need(data, "devices", dict, where), where)
    raw_flows = _need(data, "flows", list, where)
    if not raw_flows:
        raise RecordingsError(f"{where} lists no flows.")
    flows = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_flows, 1):
        flow = _flow(raw, f"{where}, flow {index}", devices)
        if flow.id in seen:
            raise RecordingsError(f'{where}, flow {index}: the id "{flow.id}" is used twice.')
        seen.add(flow.id)
        flows.append(flow)
    missing = [
        image
        for flow in flows
        for step in flow.steps
        for image in step.images.values()
        if image and not (directory / image).is_file()
    ]
    return Recordings(str(directory), devices, tuple(flows), tuple(missing))


def _devices(raw: dict, where: str) -> dict[str, Device]:
    if not raw:
        raise RecordingsError(f'{where}: "devices" is empty.')
    devices = {}
    for name, spec in raw.items():
        at = f'{where}, device "{name}"'
        if not isinstance(spec, dict):
            raise RecordingsError(f"{at} must be an object, not {_kind(spec)}.")
        label = _need(spec, "label", str, at)
        viewport = spec.get("viewport") or {}
        width = viewport.get("width") if isinstance(viewport, dict) else None
        height = viewport.get("height") if isinstance(viewport, dict) else None
        devices[name] = Device(
            name,
            label,
            width if isinstance(width, int) else None,
            height if isinstance(height, int) else None,
        )
    return devices


def _flow(raw: Any, where: str, devices: dict[str, Device]) -> Flow:
    if not isinstance(raw, dict):
        raise RecordingsError(f"{where} must be an object, not {_kind(raw)}.")
    flow_id = _need(raw, "id", str, where)
    where = f'{where} ("{flow_id}")'
    raw_steps = _need(raw, "steps", list, where)
    if not raw_steps:
        raise RecordingsError(f"{where} has no steps.")
    steps = tuple(
        _step(step, f"{where}, step {n}", devices) for n, step in enumerate(raw_steps, 1)
    )
    recorded_at = raw.get("recorded_at") or {}
    if not isinstance(recorded_at, dict):
        raise RecordingsError(f'{where}: "recorded_at" must be an object.')
    return Flow(
        id=flow_id,
        path=_need(raw, "path", str, where),
        title=_need(raw, "title", str, where),
        when=_optional_text(raw, "when", where),
        next=_optional_text(raw, "next", where),
        scenario=_optional_text(raw, "scenario", where),
        steps=steps,
        recorded_at={k: v for k, v in recorded_at.items() if isinstance(v, str)},
    )


def _step(raw: Any, where: str, devices: dict[str, Device]) -> Step:
    if not isinstance(raw, dict):
        raise RecordingsError(f"{where} must be an object, not {_kind(raw)}.")
    images = _need(raw, "images", dict, where)
    crops = raw.get("crops") or {}
    if not isinstance(crops, dict):
        raise RecordingsError(f'{where}: "crops" must be an object.')
    for device, image in [*images.items(), *crops.items()]:
        if image is None:
            continue
        if not isinstance(image, str) or not image:
            raise RecordingsError(f'{where}: the image for "{device}" must be a file name.')
        pure = PurePosixPath(image)
        if pure.is_absolute() or ".." in pure.parts or "\\" in image:
            raise RecordingsError(
                f'{where}: the image "{image}" must be a path inside the recordings folder.'
            )
    boxes = raw.get("boxes") or {}
    durations = raw.get("duration_ms") or {}
    number = _need(raw, "number", int, where)
    return Step(
        number=number,
        id=_need(raw, "id", str, where),
        title=_need(raw, "title", str, where),
        instruction=_need(raw, "instruction", str, where),
        action=_optional_text(raw, "action", where),
        target=raw.get("target") if isinstance(raw.get("target"), str) else None,
        images=dict(images),
        crops=dict(crops),
        boxes={d: _box(b) for d, b in boxes.items()} if isinstance(boxes, dict) else {},
        duration_ms={
            d: v for d, v in durations.items() if isinstance(v, int)
        } if isinstance(durations, dict) else {},
    )


def _box(raw: Any) -> Box | None:
    keys = ("x", "y", "width", "height")
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), int | float) for k in keys):
        return None
    return Box(*(float(raw[k]) for k in keys))


def _need(raw: dict, key: str, kind: type, where: str) -> Any:
    if key not in raw:
        raise RecordingsError(f'{where}: "{key}" is missing.')
    value = raw[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordingsError(
            f'{where}: "{key}" must be {_KIND_NAMES[kind]}, not {_kind(value)}.'
        )
    if kind is str and not value.strip():
        raise RecordingsError(f'{where}: "{key}" is empty.')
    return value


def _optional_text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordingsError(f'{where}: "{key}" must be text, not {_kind(value)}.')
    return value.strip()


_KIND_NAMES = {str: "text", int: "a whole number", dict: "an object", list: "a list"}


def _kind(value: Any) -> str:
    names = {
        dict: "an object", list: "a list", str: "text", bool: "true/false",
        int: "a number", float: "a number", type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


# --- images --------------------------------------------------------------------------------


def crop_bytes(recordings: Recordings, step: Step, device: str) -> bytes | None:
    """The close-up PNG of ``step`` on ``device``, or None when there is none to show."""
    relative = step.crop(device)
    if not relative:
        return None
    path = recordings.image_file(relative)
    try:
        return read_image(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def image_bytes(recordings: Recordings, step: Step, device: str) -> bytes:
    """The PNG of ``step`` on ``device``; ImageMissing says which file and why."""
    relative = step.image(device)
    if not relative:
        label = recordings.devices[device].label if device in recordings.devices else device
        raise ImageMissing(f"Step {step.number} was not recorded on {label}.")
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
