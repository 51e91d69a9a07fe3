"""What the shopper (or, for control actions, the trainer) does in a step: one model per
action, chosen by its ``action`` field.

In the coach's JSON (``model_dump(by_alias=True)``) the action's kind is called ``name``
and the seller's answer ``action``, the shape the browser-side coach reads.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field, model_validator

from domain.lifecycle import SellerAction as SellerAnswer
from domain.wording import duration
from flowspec.contract import ActionName
from flowspec.language import FlowModel
from flowspec.targets import Target

NAME = "name"  # what the coach's JSON calls the action's kind


def _filled(what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not value:
            raise ValueError(f"{what} needs a value")
        return value

    return AfterValidator(check)


class _Action(FlowModel):
    #: The action needs the step's element.
    needs_target: ClassVar[bool] = False
    #: Capture the screenshot before acting (the click may leave the page) or after.
    capture_before: ClassVar[bool] = False
    #: Playwright waits for the target to be visible before doing it (fill, select,
    #: check), so the runner need not wait again afterwards.
    waits_for_target: ClassVar[bool] = False

    @property
    def name(self) -> ActionName:
        """The action's kind (``click``), as the manifest names it."""
        return ActionName(getattr(self, "action"))  # noqa: B009  (each kind declares it)

    def describe(self, target: Target | None) -> str:
        on = f" {target.describe()}" if target else ""
        return f"{self.name.capitalize()}{on}"


class _OnTarget(_Action):
    needs_target: ClassVar[bool] = True


class _FormInput(_OnTarget):
    """Fill, select, check: Playwright waits for the control itself."""

    waits_for_target: ClassVar[bool] = True


class Goto(_Action):
    action: Literal[ActionName.GOTO] = Field(ActionName.GOTO, serialization_alias=NAME)
    path: str

    @model_validator(mode="after")
    def _in_the_shop(self) -> Goto:
        if not self.path.startswith("/"):
            raise ValueError(f'goto path "{self.path}" must start with "/"')
        return self

    def describe(self, target: Target | None) -> str:
        return f"Go to {self.path}"


class Click(_OnTarget):
    action: Literal[ActionName.CLICK] = Field(ActionName.CLICK, serialization_alias=NAME)
    capture_before: ClassVar[bool] = True


class Fill(_FormInput):
    action: Literal[ActionName.FILL] = Field(ActionName.FILL, serialization_alias=NAME)
    value: Annotated[str, _filled("fill")]

    def describe(self, target: Target | None) -> str:
        return f'{super().describe(target)} with "{self.value}"'


class Select(_FormInput):
    action: Literal[ActionName.SELECT] = Field(ActionName.SELECT, serialization_alias=NAME)
    option: Annotated[str, _filled("select")]

    def describe(self, target: Target | None) -> str:
        return f'Select "{self.option}" in {target.describe() if target else ""}'


class Check(_FormInput):
    action: Literal[ActionName.CHECK] = Field(ActionName.CHECK, serialization_alias=NAME)


class Uncheck(_FormInput):
    """Clear a ticked box; pictured after, so the screenshot shows the box cleared."""

    action: Literal[ActionName.UNCHECK] = Field(ActionName.UNCHECK, serialization_alias=NAME)


class Observe(_Action):
    """Nothing to do: the step points at something on the screen."""

    action: Literal[ActionName.OBSERVE] = Field(ActionName.OBSERVE, serialization_alias=NAME)

    def describe(self, target: Target | None) -> str:
        return f"Look at {target.describe()}" if target else "Look at the page"


class SellerAction(_Action):
    """The seller answers, through the control API (as the trainer page would)."""

    action: Literal[ActionName.SELLER] = Field(ActionName.SELLER, serialization_alias=NAME)
    order: Annotated[str, _filled("seller order")]
    answer: SellerAnswer = Field(serialization_alias="action")
    message: str = ""

    @model_validator(mode="after")
    def _reply_says_something(self) -> SellerAction:
        if self.answer is SellerAnswer.REPLY and not self.message:
            raise ValueError("seller reply needs a message")
        return self

    def describe(self, target: Target | None) -> str:
        return f"Seller: {self.answer} order {self.order}"


class AdvanceClock(_Action):
    """Simulated time passes, through the control API."""

    action: Literal[ActionName.ADVANCE_CLOCK] = Field(
        ActionName.ADVANCE_CLOCK, serialization_alias=NAME
    )
    days: Annotated[int, Field(ge=0)] = 0
    hours: Annotated[int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _time_passes(self) -> AdvanceClock:
        if self.days + self.hours == 0:
            raise ValueError("advance-clock needs a positive number of days or hours")
        return self

    def describe(self, target: Target | None) -> str:
        return f"Advance the clock by {duration(self.days, self.hours)}"


Action = Annotated[
    Goto | Click | Fill | Select | Check | Uncheck | Observe | SellerAction | AdvanceClock,
    Field(discriminator="action"),
]
#: Actions the coach does for the trainee with a button (the others happen in the page).
CONTROL_ACTIONS = (AdvanceClock, SellerAction)
