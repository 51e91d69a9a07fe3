"""How far a trainee got in a coached practice: what the storefront's coach answers at
``GET /api/coach/{key}`` (and after each step the panel reports), and what the guide's
Practice page reads. The coach follows a flow, so its steps are the flow's steps."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Strict, TypeAdapter

from flowspec.contract.base import (
    AnyText,
    ContractError,
    ContractModel,
    Positive,
    Text,
    Whole,
    _validated,
)


class PracticeStep(ContractModel):
    """One step of the practised flow, numbered from 1."""

    number: Positive
    id: Text
    title: Text


class CoachProgress(ContractModel):
    """A coached practice: the flow, the scenario copy it runs on, the step the trainee is
    on, how many are done, and the coach's hint after a wrong move ("" when none)."""

    key: Text
    flow_id: Text
    title: Text
    token: Text
    step: Positive
    total: Positive
    completed: Whole
    done: Annotated[bool, Strict()]
    hint: AnyText = ""
    steps: tuple[PracticeStep, ...]

    @property
    def current(self) -> PracticeStep:
        """The step the trainee is on (the last one once the practice is done)."""
        return self.steps[min(self.step, len(self.steps)) - 1]


_PROGRESS = TypeAdapter(CoachProgress)


def parse_coach_progress(data: Any) -> CoachProgress:
    """The coach's answer as a model; ``ContractError`` names each field that is wrong."""
    return _validated(_PROGRESS, data, "coach progress", ContractError)
