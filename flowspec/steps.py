"""Flows as data: a flow is an ordered list of typed steps, checked when it is declared.

The same definition drives the regression run (it asserts), the recorder (it takes an
annotated screenshot per step) and the guide (it reads the manifest), so nothing about
a path is written twice. Text fields may hold ``{placeholders}`` filled from the
scenario the runner creates (see ``PLACEHOLDERS``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, ClassVar

from domain.lifecycle import SellerAction as SellerActionName
from flowspec.contract import ActionName
from flowspec.placeholders import PLACEHOLDERS, fill_in, placeholder_problems  # noqa: F401

# Re-exported: path modules and page objects import targets from here or from ``flows``.
from flowspec.targets import Target, by_label, by_role, by_text  # noqa: F401

PATHS = ("pre-verification", "post-verification", "refund", "coupon")
SELLER_ACTIONS = tuple(SellerActionName)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class FlowDefinitionError(ValueError):
    """A flow that cannot run as written; the message names the flow and the step."""


# --- actions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """What the shopper (or, for control actions, the trainer) does in a step."""

    name: ClassVar[str] = ""
    needs_target: ClassVar[bool] = False
    #: Capture the screenshot before acting (the click may leave the page) or after.
    capture_before: ClassVar[bool] = False
    #: Playwright waits for the target to be visible before doing it (fill, select,
    #: check), so the runner need not wait again afterwards.
    waits_for_target: ClassVar[bool] = False

    def problem(self) -> str | None:
        return None

    def describe(self, target: Target | None) -> str:
        on = f" {target.describe()}" if target else ""
        return f"{self.name.capitalize()}{on}"


@dataclass(frozen=True)
class Goto(Action):
    path: str | None = None
    name: ClassVar[str] = ActionName.GOTO

    def problem(self) -> str | None:
        if not self.path:
            return "goto needs a path"
        if not self.path.startswith("/"):
            return f'goto path "{self.path}" must start with "/"'
        return None

    def describe(self, target: Target | None) -> str:
        return f"Go to {self.path}"


@dataclass(frozen=True)
class Click(Action):
    name: ClassVar[str] = ActionName.CLICK
    needs_target: ClassVar[bool] = True
    capture_before: ClassVar[bool] = True


@dataclass(frozen=True)
class Fill(Action):
    value: str | None = None
    name: ClassVar[str] = ActionName.FILL
    needs_target: ClassVar[bool] = True
    waits_for_target: ClassVar[bool] = True

    def problem(self) -> str | None:
        return None if self.value else "fill needs a value"

    def describe(self, target: Target | None) -> str:
        return f'Fill {target.describe() if target else ""} with "{self.value}"'


@dataclass(frozen=True)
class Select(Action):
    option: str | None = None
    name: ClassVar[str] = ActionName.SELECT
    needs_target: ClassVar[bool] = True
    waits_for_target: ClassVar[bool] = True

    def problem(self) -> str | None:
        return None if self.option else "select needs an option"

    def describe(self, target: Target | None) -> str:
        return f'Select "{self.option}" in {target.describe() if target else ""}'


@dataclass(frozen=True)
class Check(Action):
    name: ClassVar[str] = ActionName.CHECK
    needs_target: ClassVar[bool] = True
    waits_for_target: ClassVar[bool] = True


@dataclass(frozen=True)
class Uncheck(Action):
    """Clear a ticked box; pictured after, so the screenshot shows the box cleared."""

    name: ClassVar[str] = "uncheck"
    needs_target: ClassVar[bool] = True
    waits_for_target: ClassVar[bool] = True


@dataclass(frozen=True)
class Observe(Action):
    """Nothing to do: the step points at something on the screen."""

    name: ClassVar[str] = ActionName.OBSERVE

    def describe(self, target: Target | None) -> str:
        return f"Look at {target.describe()}" if target else "Look at the page"


@dataclass(frozen=True)
class SellerAction(Action):
    """The seller answers, through the control API (as the trainer page would)."""

    order: str | None = None
    action: str | None = None
    message: str = ""
    name: ClassVar[str] = ActionName.SELLER

    def problem(self) -> str | None:
        if not self.order:
            return "seller needs an order number"
        if self.action not in SELLER_ACTIONS:
            return f'seller action "{self.action}" is not one of {", ".join(SELLER_ACTIONS)}'
        if self.action == SellerActionName.REPLY and not self.message:
            return "seller reply needs a message"
        return None

    def describe(self, target: Target | None) -> str:
        return f"Seller: {self.action} order {self.order}"


@dataclass(frozen=True)
class AdvanceClock(Action):
    """Simulated time passes, through the control API."""

    days: int = 0
    hours: int = 0
    name: ClassVar[str] = ActionName.ADVANCE_CLOCK

    def problem(self) -> str | None:
        if self.days < 0 or self.hours < 0 or self.days + self.hours == 0:
            return "advance-clock needs a positive number of days or hours"
        return None

    def describe(self, target: Target | None) -> str:
        return f"Advance the clock by {self.days} days {self.hours} hours"


ACTIONS: dict[str, type[Action]] = {
    a.name: a
    for a in (Goto, Click, Fill, Select, Check, Uncheck, Observe, SellerAction, AdvanceClock)
}


# --- expectations --------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    """Something that must be true after a step, checked with a web-first assertion."""

    name: ClassVar[str] = ""

    @property
    def subject(self) -> Target | None:
        """The element the expectation is about (None for page-level ones)."""
        return getattr(self, "target", None)

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Visible(Expectation):
    target: Target
    name: ClassVar[str] = "visible"

    def describe(self) -> str:
        return f"{self.target.describe()} to be visible"


@dataclass(frozen=True)
class NotVisible(Expectation):
    target: Target
    name: ClassVar[str] = "not-visible"

    def describe(self) -> str:
        return f"{self.target.describe()} not to be visible"


@dataclass(frozen=True)
class HasText(Expectation):
    """The target's text contains ``text`` (or equals it, with ``exact``)."""

    target: Target
    text: str
    exact: bool = False
    name: ClassVar[str] = "text"

    def describe(self) -> str:
        verb = "to have text" if self.exact else "to contain"
        return f'{self.target.describe()} {verb} "{self.text}"'


@dataclass(frozen=True)
class Count(Expectation):
    target: Target
    count: int
    name: ClassVar[str] = "count"

    def describe(self) -> str:
        return f"{self.target.describe()} to appear {self.count} times"


@dataclass(frozen=True)
class UrlContains(Expectation):
    fragment: str
    name: ClassVar[str] = "url"

    def describe(self) -> str:
        return f'the address to contain "{self.fragment}"'


# --- steps and flows -----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing the shopper does, the element it concerns, and what must follow.

    ``action`` is an Action, or the name of one that takes no arguments ("click").
    """

    id: str
    title: str
    instruction: str
    action: Action | str = "observe"
    target: Target | None = None
    expect: tuple[Expectation, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.action, str) and self.action in ACTIONS:
            object.__setattr__(self, "action", ACTIONS[self.action]())
        if isinstance(self.expect, Expectation):
            object.__setattr__(self, "expect", (self.expect,))
        elif not isinstance(self.expect, tuple):
            object.__setattr__(self, "expect", tuple(self.expect))

    def describe(self) -> str:
        """``Click button "Cancel order"``: the step as a person would say it."""
        action = self.action if isinstance(self.action, Action) else Observe()
        return action.describe(self.target)

    def to_json(self) -> dict[str, Any]:
        """The step as plain JSON (a browser-side coach receives flows this way)."""
        return {
            "id": self.id,
            "title": self.title,
            "instruction": self.instruction,
            "action": _tagged(self.action) if isinstance(self.action, Action) else self.action,
            "target": asdict(self.target) if self.target else None,
            "expect": [_tagged(expectation) for expectation in self.expect],
        }

    def filled_in(self, values: dict[str, Any]) -> Step:
        """This step with the scenario's values in place of its ``{placeholders}``."""
        return replace(
            self,
            action=fill_in(self.action, values),
            target=fill_in(self.target, values),
            expect=fill_in(self.expect, values),
        )

    def problems(self) -> list[str]:
        """Everything wrong with this step on its own, in reading order."""
        found = []
        if not SLUG.fullmatch(self.id):
            found.append("id must be a slug (lowercase letters, digits and hyphens)")
        if not (self.title or "").strip():
            found.append("title is empty")
        if not (self.instruction or "").strip():
            found.append("instruction is empty")
        if not isinstance(self.action, Action):
            found.append(f'unknown action "{self.action}" (known: {", ".join(ACTIONS)})')
        else:
            if self.action.needs_target and self.target is None:
                found.append(f"{self.action.name} needs a target")
            if problem := self.action.problem():
                found.append(problem)
        if self.target is not None and (problem := self.target.problem()):
            found.append(problem)
        for n, expectation in enumerate(self.expect, 1):
            if not isinstance(expectation, Expectation):
                found.append(f"expectation {n} is not an expectation: {expectation!r}")
            elif hasattr(expectation, "target") and not isinstance(expectation.subject, Target):
                found.append(f"expectation {n} ({expectation.name}) needs a target")
            elif expectation.subject is not None and (problem := expectation.subject.problem()):
                found.append(f"expectation {n} ({expectation.name}): {problem}")
        found.extend(placeholder_problems(self))
        return found


@dataclass(frozen=True)
class Flow:
    """One path through the storefront, run against a fresh copy of ``scenario``."""

    id: str
    path: str
    title: str
    when: str
    next: str
    scenario: str
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        validate(self)

    def to_json(self) -> dict[str, Any]:
        """The flow and its steps as plain JSON, placeholders still unfilled."""
        plain = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "steps"}
        return {**plain, "steps": [step.to_json() for step in self.steps]}


def _tagged(part: Action | Expectation) -> dict[str, Any]:
    """An action or expectation as JSON: its name plus its own fields."""
    return {"name": str(part.name), **asdict(part)}


def validate(flow: Flow) -> None:
    """Raise FlowDefinitionError for the first thing that would stop ``flow`` running."""
    where = f'flow "{flow.id}"'
    if not SLUG.fullmatch(flow.id):
        raise FlowDefinitionError(
            f"{where}: id must be a slug (lowercase letters, digits and hyphens)"
        )
    if flow.path not in PATHS:
        raise FlowDefinitionError(
            f'{where}: unknown path "{flow.path}" (known: {", ".join(PATHS)})'
        )
    for field in ("title", "when", "next", "scenario"):
        if not (getattr(flow, field) or "").strip():
            raise FlowDefinitionError(f"{where}: {field} is empty")
    if not flow.steps:
        raise FlowDefinitionError(f"{where}: has no steps")
    seen: dict[str, int] = {}
    for number, step in enumerate(flow.steps, 1):
        if not isinstance(step, Step):
            raise FlowDefinitionError(f"{where}, step {number}: not a Step: {step!r}")
        at = f'{where}, step {number} "{step.id}"'
        if step.id in seen:
            raise FlowDefinitionError(f"{at}: id already used by step {seen[step.id]}")
        seen[step.id] = number
        if problems := step.problems():
            raise FlowDefinitionError(f"{at}: {problems[0]}")
