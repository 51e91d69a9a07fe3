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
from pydantic_core import ErrorDetails

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

    def __repr__(self) -> str:
        return repr(self.value)  # error messages list the known actions as plain words


class StepStatus(StrEnum):
    """``changed``: the step did what it should but its picture differs from the baseline
    (a soft failure: the flow goes on, and the new picture can be accepted); ``failed``:
    an expectation failed or a target was missing, which stops the flow."""

    PASSED = "passed"
    CHANGED = "changed"
    FAILED = "failed"
    SKIPPED = "skipped"


class JobOutcome(StrEnum):
    """One flow on one device over all its attempts, and a whole run (its worst job):
    ``changed``: only pictures differ from the baselines (review them); ``failed``: a step
    stopped the flow; ``flaky`` failed, then passed on a retry. Worst first."""

    FAILED = "failed"
    CHANGED = "changed"
    FLAKY = "flaky"
    PASSED = "passed"


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
    """``data`` validated by ``adapter``; ``error_class`` with one line per problem."""
    try:
        return adapter.validate_python(data)
    except ValidationError as error:
        lines = [_explained(e, data, name) for e in error.errors(include_url=False)]
        raise error_class("\n".join(lines)) from None


# Lists and maps whose items a message names by number (or key) and id.
_ITEMS = {"devices": "device", "flows": "flow", "steps": "step", "results": "result", "jobs": "job"}
_EVENTS = {"started", "step", "job", "note", "finished", "problem"}  # a progress event's kinds


def _explained(error: ErrorDetails, data: Any, name: str) -> str:
    """Pydantic's message with where it applies: ``manifest.json, flow 2 ("refund"), step 3
    ("open"): number: Field required``."""
    where: list[str] = [name]
    fields: list[str] = []
    node = data
    loc = [part for part in error["loc"] if part != "[key]"]
    if len(loc) > 1 and loc[0] in _EVENTS:
        loc = loc[1:]  # the event's kind: its own "event" field says it already
    while loc:
        part = loc.pop(0)
        if fields or part not in _ITEMS or not loc:
            fields.append(str(part))
            continue
        key = loc.pop(0)
        node = _child(_child(node, part), key)
        label = f"{_ITEMS[str(part)]} {key + 1}" if isinstance(key, int) else (
            f'{_ITEMS[str(part)]} "{key}"')
        item_id = node.get("id") if isinstance(node, dict) else None
        where.append(f'{label} ("{item_id}")' if isinstance(item_id, str) else label)
    subject = f"{'.'.join(fields)}: " if fields else ""
    message = str(error["msg"]).removeprefix("Value error, ")
    given = error.get("input")
    if error["type"] not in ("value_error", "extra_forbidden") and isinstance(
        given, str | int | float
    ):
        message += f", not {json.dumps(given, ensure_ascii=False)}"
    return f"{', '.join(where)}: {subject}{message}"


def _child(node: Any, key: Any) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None
