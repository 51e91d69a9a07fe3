"""The one definition of what the flows write and the guide reads.

Three things cross from ``python -m flows`` to the guide: the recordings manifest
(``flows/recordings/manifest.json``), the report of the latest run
(``output/flows/latest-run.json``) and the progress events a run prints, one JSON object
per line. Each is a typed model here; the flows write through these models, the guide
and the tests read and build through them. Nothing here imports Playwright, SQLAlchemy
or Streamlit, so any part may import it cheaply.

New fields must get a default, so files written before them still load.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from flows.contract_errors import explain

MANIFEST_NAME = "manifest.json"
LATEST_RUN_NAME = "latest-run.json"
MANIFEST_VERSION = 1


class ContractError(ValueError):
    """A file or line that does not follow the contract; the message says where and why."""


class ManifestError(ContractError):
    """The manifest is missing or not one this code understands."""


class RunReportError(ContractError):
    """The latest-run report cannot be used."""


class DeviceName(StrEnum):
    """The screens every flow is recorded on (``flows.browser.device_profiles``)."""

    DESKTOP = "desktop"
    PHONE = "phone"


class ActionName(StrEnum):
    """What a step does; ``flows.model`` has one Action class per name."""

    GOTO = "goto"
    CLICK = "click"
    FILL = "fill"
    SELECT = "select"
    CHECK = "check"
    UNCHECK = "uncheck"
    OBSERVE = "observe"
    SELLER = "seller"
    ADVANCE_CLOCK = "advance-clock"


class StepStatus(StrEnum):
    """``changed``: the step did what it should but its picture differs from the baseline
    (a soft failure: the flow goes on, and the new picture can be accepted); ``failed``:
    an expectation failed or a target was missing, which stops the flow."""

    PASSED = "passed"
    CHANGED = "changed"
    FAILED = "failed"
    SKIPPED = "skipped"


class JobOutcome(StrEnum):
    """One flow on one device over all its attempts: ``flaky`` failed, then passed on a retry."""

    PASSED = "passed"
    FAILED = "failed"
    FLAKY = "flaky"


class RunKind(StrEnum):
    """``python -m flows run`` compares with the baselines; ``record`` writes them."""

    RUN = "run"
    RECORD = "record"


# --- field types ---------------------------------------------------------------------


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty")
    return value


def _inside_folder(value: str) -> str:
    pure = PurePosixPath(value)
    if not value or pure.is_absolute() or ".." in pure.parts or "\\" in value:
        raise ValueError(f'must be a path inside the recordings folder, not "{value}"')
    return value


Text = Annotated[str, Strict(), AfterValidator(_not_blank)]
AnyText = Annotated[str, Strict()]
Whole = Annotated[int, Strict(), Field(ge=0)]
Positive = Annotated[int, Strict(), Field(gt=0)]
ImagePath = Annotated[str, Strict(), AfterValidator(_inside_folder)]
# ISO 8601 as Python writes it (``+00:00``, not pydantic's ``Z``), so files stay unchanged.
Moment = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")]


class ContractModel(BaseModel):
    """Unknown fields are refused (a typo is an error, not silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the recordings manifest ---------------------------------------------------------


class Viewport(ContractModel):
    width: Positive
    height: Positive


class DeviceInfo(ContractModel):
    label: Text
    viewport: Viewport | None = None


class Box(ContractModel):
    """Where the step's element is on its screenshot, in whole screenshot pixels."""

    x: Annotated[int, Strict()]
    y: Annotated[int, Strict()]
    width: Whole
    height: Whole

    @classmethod
    def rounded(cls, box: dict[str, float] | None) -> Box | None:
        """The runner's fractional box (``flows.annotate.Box``), rounded for the manifest."""
        return cls(**{k: round(box[k]) for k in ("x", "y", "width", "height")}) if box else None


class Acceptance(ContractModel):
    """A reviewer accepted a changed picture as this step's new baseline."""

    at: Moment
    reviewer: Text
    run_started_at: Moment | None = None  # the run whose picture was accepted


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


# --- the latest run ------------------------------------------------------------------


class StepOutcome(ContractModel):
    """One step of one flow on one device; image paths are relative to the repository."""

    flow: Text
    device: DeviceName
    step: Whole  # 0 when the flow's scenario could not be created
    step_id: AnyText
    status: StepStatus
    message: AnyText = ""
    duration_ms: Whole | None = None
    expected: AnyText | None = None
    actual: AnyText | None = None
    diff: AnyText | None = None
    box: Box | None = None  # where the target was: what an accepted picture's entry needs
    aria: AnyText | None = None

    @property
    def acceptable(self) -> bool:
        """Only a changed picture can become the baseline, never a failed expectation."""
        return self.status is StepStatus.CHANGED and self.actual is not None


class JobResult(ContractModel):
    """One flow on one device: its outcome over every attempt, and where it ran."""

    flow: Text
    device: DeviceName
    outcome: JobOutcome
    duration_ms: Whole = 0
    attempts: Positive = 1
    endpoint: AnyText = "local"
    trace: AnyText | None = None  # relative to the repository, like the images
    earlier_failures: tuple[AnyText, ...] = ()  # what failed before the last attempt


class RunReport(ContractModel):
    """``output/flows/latest-run.json``: every step (of the last attempt) and one line per
    flow and device of the last run or recording; ``shards``: the ``I/N`` parts merged."""

    kind: RunKind
    started_at: Moment
    finished_at: Moment
    results: tuple[StepOutcome, ...] = ()
    jobs: tuple[JobResult, ...] = ()
    shards: tuple[AnyText, ...] = ()

    def job(self, flow: str, device: str) -> JobResult | None:
        return next((j for j in self.jobs if (j.flow, j.device) == (flow, device)), None)

    def counts(self) -> Counter[StepStatus]:
        return Counter(result.status for result in self.results)

    def groups(self) -> dict[tuple[str, str], list[StepOutcome]]:
        """Results per (flow, device), in the order the run produced them."""
        grouped: dict[tuple[str, str], list[StepOutcome]] = {}
        for result in self.results:
            grouped.setdefault((result.flow, result.device), []).append(result)
        return grouped


# --- progress events -----------------------------------------------------------------


class RunStarted(ContractModel):
    """First line of a run: how many step lines will follow (one per step and device)."""

    event: Literal["started"] = "started"
    kind: RunKind
    flows: tuple[Text, ...]
    devices: tuple[DeviceName, ...]
    steps: Whole


class StepFinished(StepOutcome):
    """A step passed or failed: its latest-run row, and how many steps its flow has.

    Skipped steps are not reported while running."""

    event: Literal["step"] = "step"
    total: Whole
    attempt: Positive = 1  # 2 and up: a retry (``--retries``)

    def describe(self) -> str:
        return f"{self.flow} [{self.device}] step {self.step} of {self.total}: {self.step_id}"


class JobFinished(JobResult):
    """A flow finished on a device, after its last attempt: its latest-run job line."""

    event: Literal["job"] = "job"


class Note(ContractModel):
    """Anything else the person running the command should read (a started storefront)."""

    event: Literal["note"] = "note"
    text: AnyText


class RunFinished(ContractModel):
    event: Literal["finished"] = "finished"
    flow_runs: Whole
    flow_runs_passed: Whole
    steps: dict[StepStatus, Whole] = {}
    summary: AnyText = ""


class Problem(ContractModel):
    """The command could not run at all (exit status 2); the text says what to fix."""

    event: Literal["problem"] = "problem"
    text: AnyText


ProgressEvent = Annotated[
    RunStarted | StepFinished | JobFinished | Note | RunFinished | Problem,
    Field(discriminator="event"),
]
_EVENT = TypeAdapter(ProgressEvent)


def event_line(event: ContractModel) -> str:
    """One event as the single line a run prints."""
    return event.model_dump_json()


def read_event(
    line: str,
) -> RunStarted | StepFinished | JobFinished | Note | RunFinished | Problem:
    """A printed line as its event; ContractError for any other line."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        raise ContractError(f"not a progress event: {line[:80]!r}") from None
    return _validated(_EVENT, data, "progress event")


# --- reading and writing files -------------------------------------------------------


def parse_manifest(data: Any) -> Manifest:
    """``data`` (parsed JSON) as a Manifest; ContractError says what is wrong and where."""
    return _validated(TypeAdapter(Manifest), data, MANIFEST_NAME, ManifestError)


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; ManifestError if it is missing, unreadable or foreign."""
    if not path.exists():
        raise ManifestError(f"no manifest at {path.name}: run `python -m flows record` first")
    return parse_manifest(read_json(path, ManifestError))


def read_run_report(path: Path) -> RunReport:
    return parse_run_report(read_json(path, RunReportError), path.name)


def parse_run_report(data: Any, name: str = LATEST_RUN_NAME) -> RunReport:
    return _validated(TypeAdapter(RunReport), data, name, RunReportError)


def read_json(path: Path, error_class: type[ContractError] = ContractError) -> Any:
    """The JSON in ``path``; ``error_class`` for an empty, unreadable or cut-off file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise error_class(f"{path.name} could not be read: {error}") from None
    if not text.strip():
        raise error_class(f"{path.name} is empty.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise error_class(
            f"{path.name} is not valid JSON (line {error.lineno}, column {error.colno}:"
            f" {error.msg}). It may have been cut off while being written."
        ) from None


def write_json(path: Path, model: ContractModel) -> Path:
    """``model`` as indented JSON, ending in a newline (the committed files' layout)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = model.model_dump(mode="json")
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _validated(
    adapter: TypeAdapter, data: Any, name: str, error_class: type[ContractError] = ContractError
) -> Any:
    try:
        return adapter.validate_python(data)
    except ValidationError as error:
        lines = [explain(e, data, name) for e in error.errors(include_url=False)]
        raise error_class("\n".join(lines)) from None
