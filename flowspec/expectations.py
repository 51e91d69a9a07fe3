"""What must be true after a step, checked with a web-first assertion: one model per kind,
chosen by its ``expect`` field (called ``name`` in the coach's JSON)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from flowspec.language import FlowModel
from flowspec.targets import Target

NAME = "name"  # what the coach's JSON calls the expectation's kind


class _Expectation(FlowModel):
    @property
    def subject(self) -> Target | None:
        """The element the expectation is about (None for page-level ones)."""
        return getattr(self, "target", None)

    def describe(self) -> str:
        raise NotImplementedError


class Visible(_Expectation):
    expect: Literal["visible"] = Field("visible", serialization_alias=NAME)
    target: Target

    def describe(self) -> str:
        return f"{self.target.describe()} to be visible"


class NotVisible(_Expectation):
    expect: Literal["not-visible"] = Field("not-visible", serialization_alias=NAME)
    target: Target

    def describe(self) -> str:
        return f"{self.target.describe()} not to be visible"


class HasText(_Expectation):
    """The target's text contains ``text`` (or equals it, with ``exact``)."""

    expect: Literal["text"] = Field("text", serialization_alias=NAME)
    target: Target
    text: str
    exact: bool = False

    def describe(self) -> str:
        verb = "to have text" if self.exact else "to contain"
        return f'{self.target.describe()} {verb} "{self.text}"'


class Count(_Expectation):
    expect: Literal["count"] = Field("count", serialization_alias=NAME)
    target: Target
    count: int

    def describe(self) -> str:
        return f"{self.target.describe()} to appear {self.count} times"


class UrlContains(_Expectation):
    expect: Literal["url"] = Field("url", serialization_alias=NAME)
    fragment: str

    def describe(self) -> str:
        return f'the address to contain "{self.fragment}"'


Expectation = Annotated[
    Visible | NotVisible | HasText | Count | UrlContains, Field(discriminator="expect")
]
