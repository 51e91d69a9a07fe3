"""How a step names the element it concerns: as a shopper would find it, never by CSS.

Plain data (no Playwright): ``flows.run.playwright_steps.locate`` turns a Target into a
locator, and the guide or a browser-side coach can read one as JSON.
"""

from __future__ import annotations

from pydantic import model_validator

from flowspec.language import FlowModel


class Target(FlowModel):
    """How a shopper would find an element: by role and name, by label, or by text.

    Role-based first, so every run also checks that the storefront is accessible.
    Page objects return Targets; ``inside`` scopes one within another (an order card).
    """

    role: str | None = None
    name: str | None = None
    label: str | None = None
    text: str | None = None
    exact: bool = False
    scope: Target | None = None

    @model_validator(mode="after")
    def _one_way_to_find_it(self) -> Target:
        kinds = [k for k in ("role", "label", "text") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a target needs exactly one of role, label or text")
        if not getattr(self, kinds[0]):
            raise ValueError(f"the target's {kinds[0]} is empty")
        return self

    def inside(self, scope: Target) -> Target:
        """The same target, looked for only within ``scope``."""
        return self.model_copy(update={"scope": scope})

    def describe(self) -> str:
        """Short human wording used in messages and the manifest: ``button "Cancel order"``."""
        if self.role is not None:
            own = self.role if self.name is None else f'{self.role} "{self.name}"'
        elif self.label is not None:
            own = f'field labelled "{self.label}"'
        else:
            own = f'text "{self.text}"'
        return f"{own} in {self.scope.describe()}" if self.scope else own


def by_role(role: str, name: str | None = None, *, exact: bool = False) -> Target:
    """Target an element by ARIA role and accessible name."""
    return Target(role=role, name=name, exact=exact)


def by_label(label: str, *, exact: bool = False) -> Target:
    """Target a form control by its label."""
    return Target(label=label, exact=exact)


def by_text(text: str, *, exact: bool = False) -> Target:
    """Target an element by its visible text (for things without a role)."""
    return Target(text=text, exact=exact)
