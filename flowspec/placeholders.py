"""``{placeholders}`` in a flow's text, filled from the scenario the runner creates.

Order numbers and e-mail addresses differ per scenario copy, so a step says
``{orders[0]}`` and the runner fills it in; a definition is checked for unknown names.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Sequence
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
TICKETS = {"buyer_ticket": "buyer", "seller_ticket": "seller"}
# What a ticket placeholder shows where no ticket may be handed out (a page's text).
TICKET_STAND_IN = "ticket"


def scenario_values(
    *,
    token: str,
    buyer_email: str,
    buyer_password: str,
    seller_email: str,
    seller_password: str,
    orders: Sequence[str],
    ticket: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """What fills a flow's ``{placeholders}`` for one scenario copy.

    With ``ticket``, each ``{buyer_ticket}`` or ``{seller_ticket}`` is a fresh one-time
    sign-in ticket, ``ticket("buyer")`` or ``ticket("seller")``, asked for at each use;
    without, a stand-in that signs nobody in.
    """
    values = {
        "token": token,
        "buyer_email": buyer_email,
        "buyer_password": buyer_password,
        "seller_email": seller_email,
        "seller_password": seller_password,
        "orders": list(orders),
    }
    if ticket is None:
        return values | dict.fromkeys(TICKETS, TICKET_STAND_IN)
    return _WithTickets(values, ticket)


class _WithTickets(dict[str, Any]):
    """Placeholder values whose ticket fields are issued on each use."""

    def __init__(self, values: dict[str, Any], ticket: Callable[[str], str]) -> None:
        super().__init__(values)
        self._ticket = ticket

    def __missing__(self, key: str) -> str:
        if key in TICKETS:
            return self._ticket(TICKETS[key])
        raise KeyError(key)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return _strings(list(value.values()))
    return []


def placeholder_problems(data: Any) -> list[str]:
    """Unknown or malformed ``{placeholders}`` in any text of ``data`` (plain JSON-like data)."""
    found = []
    for text in _strings(data):
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
    """``value`` (plain JSON-like data) with every ``{placeholder}`` in its text replaced
    from ``values``."""
    if isinstance(value, str):
        return value.format_map(values)
    if isinstance(value, list | tuple):
        return [fill_in(item, values) for item in value]
    if isinstance(value, dict):
        return {key: fill_in(item, values) for key, item in value.items()}
    return value
