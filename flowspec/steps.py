"""Flows as data: a flow is an ordered list of typed steps, checked when it is declared.

The same definition drives the regression run (it asserts), the recorder (it takes an
annotated screenshot per step) and the guide (it reads the manifest), so nothing about
a path is written twice. Text fields may hold ``{placeholders}`` filled from the
scenario the runner creates (see ``PLACEHOLDERS``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from domain.paths import PathId
from domain.scenarios import ScenarioName

# Re-exported: path modules and page objects import the whole language from here.
from flowspec.actions import (  # noqa: F401
    CONTROL_ACTIONS,
    Action,
    AdvanceClock,
    Check,
    Click,
    Fill,
    Goto,
    Observe,
    Select,
    SellerAction,
    Uncheck,
)
from flowspec.expectations import (  # noqa: F401
    Count,
    Expectation,
    HasText,
    MessageSays,
    NotVisible,
    UrlContains,
    Visible,
)
from flowspec.language import FlowDefinitionError, NamedModel, explained  # noqa: F401
from flowspec.placeholders import PLACEHOLDERS, fill_in, placeholder_problems  # noqa: F401
from flowspec.targets import Target, by_label, by_role, by_text  # noqa: F401

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A sentence of a caption that speaks of the tutorial's picture, in brackets or not.
PICTURE_SENTENCE = re.compile(
    r"\s*\([^()]*\b(?:picture|screenshot)s?\b[^()]*\)|[^.!?()]*\b(?:picture|screenshot)s?\b[^.!?]*[.!?]",
    re.IGNORECASE,
)


def _slug(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise ValueError("must be a slug (lowercase letters, digits and hyphens)")
    return value


def _written(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty")
    return value


Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, AfterValidator(_written)]
_PARTS = {"action", "target", "expect"}  # where placeholders may be


class Step(NamedModel):
    """One thing the shopper does, the element it concerns, and what must follow.

    ``action`` may be written as the name of an action that takes no arguments
    (``"click"``), and ``expect`` as a single expectation. ``instruction`` is the tutorial's
    caption; ``coach`` is what the live coach says instead, in the trainee's voice, where the
    caption would not do on the live page (it narrates the store's side, which the trainee
    plays there, or leaves the coach's next move unsaid).
    """

    id: Slug
    title: Text
    instruction: Text
    action: Action = Observe()
    target: Target | None = None
    expect: tuple[Expectation, ...] = ()
    coach: Text | None = None

    @field_validator("action", mode="before")
    @classmethod
    def _by_name(cls, value: Any) -> Any:
        return {"action": value} if isinstance(value, str) else value

    @field_validator("expect", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return (value,) if isinstance(value, BaseModel) else value

    @classmethod
    def explain(cls, error: ValidationError, data: dict[str, Any]) -> str:
        return explained(error, f'step "{data.get("id")}"')

    def describe(self) -> str:
        """``Click button "Cancel order"``: the step as a person would say it."""
        return self.action.describe(self.target)

    @property
    def coach_instruction(self) -> str:
        """What the coach says: its own words, else the caption without the sentences that
        speak of a picture (the coach shows the live page, not a picture)."""
        if self.coach is not None:
            return self.coach
        return PICTURE_SENTENCE.sub("", self.instruction).strip()

    @property
    def message(self) -> MessageSays | None:
        """What a message in the trainee's own words must say, where the step asks for one:
        a check of what is typed in the step's own element (its value is the sample)."""
        found = (e for e in self.expect if isinstance(e, MessageSays) and e.target == self.target)
        return next(found, None)

    def filled_in(self, values: dict[str, Any]) -> Step:
        """This step with the scenario's values in place of its ``{placeholders}``."""
        filled = fill_in(self.model_dump(include=_PARTS), values)
        return Step.model_validate(self.model_dump() | filled)

    def problem(self) -> str | None:
        """What stops this step running in a flow (its action's element, its placeholders)."""
        if self.action.needs_target and self.target is None:
            return f"{self.action.name} needs a target"
        if not self.coach_instruction:
            return "the instruction only speaks of the picture: give the coach its own words"
        if (message := self.message) is not None:
            if not isinstance(self.action, Fill):
                return "a message in the trainee's own words needs a fill with a sample"
            if (lacking := message.lacks(self.action.value)) is not None:
                return f'the sample message does not pass its own check: "{lacking}"'
        found = placeholder_problems(self.model_dump(mode="json", include=_PARTS))
        return found[0] if found else None


class Flow(NamedModel):
    """One path through the storefront, run against a fresh copy of ``scenario``."""

    id: Slug
    path: PathId
    title: Text
    when: Text
    next: Text
    scenario: ScenarioName
    steps: Annotated[tuple[Step, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _runnable(self) -> Flow:
        seen: dict[str, int] = {}
        for number, step in enumerate(self.steps, 1):
            if step.id in seen:
                raise ValueError(
                    f'step {number} "{step.id}": id already used by step {seen[step.id]}'
                )
            seen[step.id] = number
            if problem := step.problem():
                raise ValueError(f'step {number} "{step.id}": {problem}')
        return self

    @classmethod
    def explain(cls, error: ValidationError, data: dict[str, Any]) -> str:
        """``flow "refund", step 3 "open": <what is wrong>``."""
        where, loc = f'flow "{data.get("id")}"', error.errors()[0]["loc"]
        if len(loc) > 1 and loc[0] == "steps" and isinstance(loc[1], int):
            steps = list(data.get("steps") or ())
            step = steps[loc[1]] if loc[1] < len(steps) else {}
            step_id = step.id if isinstance(step, Step) else dict(step).get("id")
            return explained(error, f'{where}, step {loc[1] + 1} "{step_id}"', skip=2)
        if not loc:  # the flow's own check, which names the step itself
            return f"{where}, {error.errors()[0]['msg'].removeprefix('Value error, ')}"
        return explained(error, where)
