"""The recordings manifest (``flows/recordings/manifest.json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    Field,
    Strict,
    TypeAdapter,
    field_validator,
    model_validator,
)

from flowspec.contract.base import (
    MANIFEST_NAME,
    MANIFEST_VERSION,
    ActionName,
    AnyText,
    ContractModel,
    DeviceName,
    ImagePath,
    ManifestError,
    Moment,
    Positive,
    Text,
    Whole,
    _validated,
    read_json,
)


class Viewport(ContractModel):
    width: Positive
    height: Positive


class DeviceInfo(ContractModel):
    label: Text
    viewport: Viewport | None = None


# Whole numbers stay whole (the files hold them), fractions stay fractions (the runner
# measures them, and the outline is drawn from them).
Coordinate = Annotated[int, Strict()] | Annotated[float, Strict()]
Size = Annotated[int, Strict(), Field(ge=0)] | Annotated[float, Strict(), Field(ge=0)]


class Box(ContractModel):
    """Where the step's element is on its screenshot, in screenshot pixels: as measured
    while running, whole (``rounded``) in the manifest and the run report."""

    x: Coordinate
    y: Coordinate
    width: Size
    height: Size

    def rounded(self) -> Box:
        """The box in whole pixels, as the files keep it."""
        return Box(x=round(self.x), y=round(self.y), width=round(self.width),
                   height=round(self.height))


class Acceptance(ContractModel):
    """A reviewer accepted a changed picture as this step's new baseline."""

    at: Moment
    reviewer: Text
    run_started_at: Moment | None = None  # the run whose picture was accepted
    # The accepted PNG's SHA-256: a recording keeps the acceptance while its picture is this.
    picture: AnyText | None = Field(default=None, exclude_if=lambda value: value is None)


class RecordedStep(ContractModel):
    """One step of a recorded flow; per-device values are keyed by device name."""

    number: Positive
    id: Text
    title: Text
    instruction: Text
    action: ActionName
    target: AnyText | None = None
    images: dict[DeviceName, ImagePath | None] = {}
    #: The part of the screenshot around the step's element, readable at its own size.
    crops: dict[DeviceName, ImagePath | None] = {}
    boxes: dict[DeviceName, Box | None] = {}
    aria: dict[DeviceName, AnyText | None] = {}
    duration_ms: dict[DeviceName, Whole | None] = {}
    # Only devices whose picture a reviewer accepted; left out of the file while empty.
    accepted: dict[DeviceName, Acceptance] = Field(default={}, exclude_if=lambda value: not value)

    def image(self, device: str) -> str | None:
        """The screenshot (relative to the recordings folder) on ``device``, if recorded."""
        return self.images.get(device)  # type: ignore[call-overload]

    def crop(self, device: str) -> str | None:
        """The readable close-up around the step's element on ``device``, if recorded."""
        return self.crops.get(device)  # type: ignore[call-overload]


class RecordedFlow(ContractModel):
    id: Text
    path: Text
    title: Text
    when: AnyText = ""
    next: AnyText = ""
    scenario: AnyText = ""
    recorded_at: dict[DeviceName, Moment | None] = {}
    steps: Annotated[tuple[RecordedStep, ...], Field(min_length=1)]


class Manifest(ContractModel):
    """``flows/recordings/manifest.json``: the devices and every recorded flow's steps."""

    version: Annotated[int, Strict()] = MANIFEST_VERSION
    devices: dict[DeviceName, DeviceInfo] = {}
    flows: tuple[RecordedFlow, ...] = ()

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version != MANIFEST_VERSION:
            raise ValueError(f"is {version}; this code reads version {MANIFEST_VERSION}")
        return version

    @model_validator(mode="after")
    def _unique_flows(self) -> Manifest:
        seen: set[str] = set()
        for flow in self.flows:
            if flow.id in seen:
                raise ValueError(f'the flow id "{flow.id}" is used twice')
            seen.add(flow.id)
        return self

    def flow(self, flow_id: str) -> RecordedFlow | None:
        return next((flow for flow in self.flows if flow.id == flow_id), None)


def parse_manifest(data: Any) -> Manifest:
    """``data`` (parsed JSON) as a Manifest; ContractError says what is wrong and where."""
    return _validated(TypeAdapter(Manifest), data, MANIFEST_NAME, ManifestError)

def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; ManifestError if it is missing, unreadable or foreign."""
    if not path.exists():
        raise ManifestError(f"no manifest at {path.name}: run `python -m flows record` first")
    return parse_manifest(read_json(path, ManifestError))
