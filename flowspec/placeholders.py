"""``{placeholders}`` in a flow's text, filled from the scenario the runner creates.

Order numbers and e-mail addresses differ per scenario copy, so a step says
``{orders[0]}`` and the runner fills it in; a definition is checked for unknown names.
"""

from __future__ import annotations

import re
import string
from dataclasses import fields, is_dataclass, replace
from typing import Any

PLACEHOLDERS = (
    "token",
    "buyer_email",
    "buyer_password",
    "seller_email",
    "seller_password",
    "orders",
    "buyer_ticket",  # a one-time sign-in ticket, new at each use
    "seller_ticket",
)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [s for item in value for s in _strings(item)]
    if is_dataclass(value) and not isinstance(value, type):
        return [s for f in fields(value) for s in _strings(getattr(value, f.name))]
    return []


def placeholder_problems(step: Any) -> list[str]:
    """Unknown or malformed ``{placeholders}`` in any text of ``step``."""
    found = []
    for text in _strings((step.action, step.target, step.expect)):
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError as error:
            found.append(f'bad placeholder in "{text}": {error}')
            continue
        for name in names:
            root = re.split(r"[.\[]", name, maxsplit=1)[0]
            if root not in PLACEHOLDERS:
                found.append(f"unknown placeholder {{{name}}} (known: {', '.join(PLACEHOLDERS)})")
    return found


def fill_in(value: Any, values: dict[str, Any]) -> Any:
    """``value`` with every ``{placeholder}`` in its text replaced from ``values``."""
    if isinstance(value, str):
        return value.format_map(values)
    if isinstance(value, tuple):
        return tuple(fill_in(item, values) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: fill_in(getattr(value, f.name), values) for f in fields(value)}
        return replace(value, **changes)
    return value
