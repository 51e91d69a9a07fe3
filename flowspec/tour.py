"""A flow as a coach's tour: its steps as the plain JSON the storefront's coach reads.

Nothing here re-describes a path: each step is the flow's own model serialised with its
aliases (title, instruction, target, action, expectations; an action's or expectation's
kind is called ``name`` there) with the scenario's values in place of its
``{placeholders}``, plus the words a person reads: how each expectation is described,
the step's element named so that it is unique without the highlight, and the label of
the coach's button for a step the buyer cannot do in the page.
"""

from __future__ import annotations

from typing import Any

from flowspec.steps import AdvanceClock, Flow, SellerAction, Step, Target


def coach_button(step: Step) -> str | None:
    """The label of the coach's button for a step it does for the trainee: the seller
    console's own words for a seller's answer, the step's description for time passing."""
    if isinstance(step.action, SellerAction):
        return step.action.answer.label
    if isinstance(step.action, AdvanceClock):
        return step.describe()
    return None


def target_words(target: Target) -> str:
    """The element in a person's words, with what holds it: "View details in Order 1001"
    (the scenario's own order number, so that it is unique without the highlight)."""
    own = target.name or target.label or target.text or target.role or ""
    return own if target.scope is None else f"{own} in {target_words(target.scope)}"


def step_json(number: int, step: Step) -> dict[str, Any]:
    """One filled-in step as the browser's coach shows and judges it."""
    data = step.model_dump(mode="json", by_alias=True, exclude={"coach"})
    data["instruction"] = step.coach_instruction
    data["number"] = number
    data["action"]["describe"] = step.describe()
    if step.target is not None:
        data["target_words"] = target_words(step.target)
    if (button := coach_button(step)) is not None:
        data["action"]["button"] = button
    for plain, expectation in zip(data["expect"], step.expect, strict=True):
        plain.update(expectation.for_coach())
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
