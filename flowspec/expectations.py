"""What must be true after a step, checked with a web-first assertion: one model per kind,
chosen by its ``expect`` field (called ``name`` in the coach's JSON)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from domain.wording import counted, one_of
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

    def for_coach(self) -> dict[str, Any]:
        """What the browser-side coach reads besides the fields: how to say it."""
        return {"describe": self.describe()}


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


# Where a word starts, alike in Python and in a browser (whose ``\b`` knows ASCII only).
WORD_START = r"(?<![A-Za-z0-9_])"


def _a_word(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z' -]*", value):
        raise ValueError(f'"{value}" is not a word to look for')
    return value


class MessageSays(_Expectation):
    """A message in the shopper's own words says enough: trimmed, it has at least
    ``min_length`` characters and mentions one of ``mentions`` (words, or the beginnings of
    words, in any case: "cancel" finds "Cancelling"). A text box is judged by what is typed
    in it, any other element by its text."""

    expect: Literal["message"] = Field("message", serialization_alias=NAME)
    target: Target
    mentions: Annotated[tuple[Annotated[str, AfterValidator(_a_word)], ...], Field(min_length=1)]
    min_length: Annotated[int, Field(ge=1)] = 1

    @property
    def typed(self) -> bool:
        """Whether the target is a text box, judged by its value rather than its text."""
        return self.target.role == "textbox" or self.target.label is not None

    @property
    def pattern(self) -> re.Pattern[str]:
        """The whole judgement as one pattern (found anywhere, case ignored), so the runner's
        web-first assertion and the browser-side coach judge alike; leading and trailing
        spaces count for nothing."""
        words = "|".join(re.escape(word) for word in self.mentions)
        return re.compile(
            rf"^\s*(?=\S)(?=[\s\S]{{{self.min_length - 1}}}[\s\S]*\S)"
            rf"(?=[\s\S]*?{WORD_START}(?:{words}))",
            re.IGNORECASE,
        )

    def hints(self) -> dict[str, str]:
        """What the coach says when a message is empty, too short, or off the subject."""
        return {
            "empty": "Your message is empty. Write it in your own words, or use the suggestion.",
            "short": f"Say a little more: write at least {counted(self.min_length, 'character')}.",
            "mention": "Say what you are asking for: your message should mention "
            f"{one_of(self.mentions)}.",
        }

    def lacks(self, text: str) -> str | None:
        """What ``text`` lacks, as the coach's hint says it, or None when it says enough."""
        written = text.strip()
        if not written:
            return self.hints()["empty"]
        if len(written) < self.min_length:
            return self.hints()["short"]
        return None if self.pattern.search(written) else self.hints()["mention"]

    def describe(self) -> str:
        return (
            f"{self.target.describe()} to hold a message of at least "
            f"{counted(self.min_length, 'character')} mentioning {one_of(self.mentions)}"
        )

    def for_coach(self) -> dict[str, Any]:
        return super().for_coach() | {"pattern": self.pattern.pattern, "hints": self.hints()}


Expectation = Annotated[
    Visible | NotVisible | HasText | Count | UrlContains | MessageSays,
    Field(discriminator="expect"),
]
