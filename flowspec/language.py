"""What every model of the flow language shares: frozen, no unknown fields, and one
readable error when a definition is wrong."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class FlowDefinitionError(ValueError):
    """A flow that cannot run as written; the message names the flow or step and the field."""


class FlowModel(BaseModel):
    """A part of a flow, checked when it is written down."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NamedModel(FlowModel):
    """A step or a flow: what is wrong with it is said as a FlowDefinitionError that
    names it (the parts inside it raise pydantic's own error when written alone)."""

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise FlowDefinitionError(self.explain(error, data)) from None

    @classmethod
    def explain(cls, error: ValidationError, data: dict[str, Any]) -> str:
        """The first problem as ``<what>: <field>: <what is wrong>``."""
        return explained(error, cls.__name__)


def explained(error: ValidationError, where: str, skip: int = 0) -> str:
    """``where: field: message`` for the first error, its location from ``skip`` on."""
    first = error.errors(include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"][skip:])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{where}: {f'{field}: ' if field else ''}{message}"
