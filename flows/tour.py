"""A flow as a coach's tour: its steps as plain JSON the storefront's coach reads in the browser.

Nothing here re-describes a path: each step's title, instruction, target, action and
expectations are the flow's own, with the scenario's values in place of ``{placeholders}``.
The browser finds targets by the same role and accessible name the runner uses.
"""

from __future__ import annotations

from typing import Any

from flows.model import (
    AdvanceClock,
    Check,
    Click,
    Count,
    Expectation,
    Fill,
    Flow,
    Goto,
    HasText,
    NotVisible,
    Observe,
    Select,
    SellerAction,
    Step,
    Target,
    UrlContains,
    Visible,
)

#: The steps a trainee does in the page, and those the coach does for them with a button.
PAGE_ACTIONS = {Click: "click", Fill: "fill", Select: "select", Check: "check", Observe: "observe"}
COACH_ACTIONS = {Goto: "goto", AdvanceClock: "clock", SellerAction: "seller"}


def target_json(target: Target | None) -> dict[str, Any] | None:
    """A target as the browser looks for it: role and name (or label, or text), and scope."""
    if target is None:
        return None
    return {
        "role": target.role,
        "name": target.name,
        "label": target.label,
        "text": target.text,
        "exact": target.exact,
        "scope": target_json(target.scope),
        "describe": target.describe(),
    }


def expectation_json(expectation: Expectation) -> dict[str, Any]:
    """One expectation as data the browser can check on the page it is showing."""
    data: dict[str, Any] = {
        "kind": expectation.name,
        "describe": expectation.describe(),
        "target": target_json(expectation.subject),
    }
    if isinstance(expectation, HasText):
        data |= {"text": expectation.text, "exact": expectation.exact}
    elif isinstance(expectation, Count):
        data["count"] = expectation.count
    elif isinstance(expectation, UrlContains):
        data["fragment"] = expectation.fragment
    elif not isinstance(expectation, Visible | NotVisible):
        raise TypeError(f"the coach cannot check a {expectation.name!r} expectation")
    return data


def action_json(step: Step, seller_labels: dict[str, str]) -> dict[str, Any]:
    """What the trainee does (``kind``), the value to type or choose, or the coach's button."""
    action = step.action
    kinds = PAGE_ACTIONS | COACH_ACTIONS
    kind = kinds.get(type(action))
    if kind is None:
        raise TypeError(f"the coach cannot show a {type(action).__name__} step")
    data: dict[str, Any] = {"kind": kind, "describe": step.describe()}
    if isinstance(action, Fill):
        data["value"] = action.value
    elif isinstance(action, Select):
        data["value"] = action.option
    elif isinstance(action, Goto):
        data["path"] = action.path
    elif isinstance(action, AdvanceClock):
        data |= {"days": action.days, "hours": action.hours, "button": step.describe()}
    elif isinstance(action, SellerAction):
        data |= {"order": action.order, "action": action.action, "message": action.message,
                 "button": seller_labels.get(action.action or "", step.describe())}
    return data


def tour_steps(
    flow: Flow, values: dict[str, Any], seller_labels: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The flow's steps, filled in from ``values``, numbered from 1 as the runner numbers them."""
    steps = []
    for number, step in enumerate(flow.steps, 1):
        filled = step.filled_in(values)
        steps.append({
            "number": number,
            "id": filled.id,
            "title": filled.title,
            "instruction": filled.instruction,
            "action": action_json(filled, seller_labels or {}),
            "target": target_json(filled.target),
            "expect": [expectation_json(e) for e in filled.expect],
        })
    return steps


def coach_step(flow: Flow, number: int) -> Step | None:
    """Step ``number`` (from 1) of ``flow``, or None when there is no such step."""
    return flow.steps[number - 1] if 1 <= number <= len(flow.steps) else None
