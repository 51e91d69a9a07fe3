"""What every part of the contract shares: its errors, its closed sets of words, its field
types, the model base, and reading and writing its JSON files."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    TypeAdapter,
    ValidationError,
)

from flowspec.contract.errors import explain

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
    """The screens every flow is recorded on (``flows.run.browser.device_profiles``)."""

    DESKTOP = "desktop"
    PHONE = "phone"


class ActionName(StrEnum):
    """What a step does; ``flowspec.steps`` has one Action class per name."""

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
