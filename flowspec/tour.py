"""A flow as a coach's tour: its steps as the plain JSON the storefront's coach reads.

Nothing here re-describes a path: each step is the flow's own ``Step.to_json()`` (title,
instruction, target, action, expectations) with the scenario's values in place of its
``{placeholders}``, plus the words a person reads: how each expectation is described
and the label of the coach's button for a step the buyer cannot do in the page.
"""

from __future__ import annotations

from typing import Any

from domain.lifecycle import SellerAction as SellerActionName
from flowspec.steps import AdvanceClock, Flow, SellerAction, Step

#: Steps the coach does for the trainee with a button (the others happen in the page).
COACH_BUTTONS = (AdvanceClock, SellerAction)


def step_json(number: int, step: Step) -> dict[str, Any]:
    """One filled-in step as the browser's coach shows and judges it."""
    data = step.to_json()
    data["number"] = number
    data["action"]["describe"] = step.describe()
    if isinstance(step.action, SellerAction):
        # The seller console's own words for the action (its button reads the same).
        data["action"]["button"] = SellerActionName(step.action.action).label
    elif isinstance(step.action, AdvanceClock):
        data["action"]["button"] = step.describe()
    for plain, expectation in zip(data["expect"], step.expect, strict=True):
        plain["describe"] = expectation.describe()
    return data


def tour_steps(flow: Flow, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The flow's steps, filled in from ``values``, numbered from 1 as the runner numbers them."""
    return [
        step_json(number, step.filled_in(values))
        for number, step in enumerate(flow.steps, 1)
    ]


def coach_step(flow: Flow, number: int) -> Step | None:
    """Step ``number`` (from 1) of ``flow``, or None when there is no such step."""
    return flow.steps[number - 1] if 1 <= number <= len(flow.steps) else None
