"""The storefront's operations: load rows, ask the rules (``domain``), write the outcome.

Each function runs inside the caller's transaction (``Database.transaction``), so an
operation either happens whole or not at all. Functions raise ``NotFound`` for
anything the caller may not see and ``ActionRefused`` (with a message for the user)
for anything the rules do not allow; neither changes a row.
"""


class NotFound(LookupError):
    """The thing does not exist, or belongs to someone else (we do not say which)."""


class ActionRefused(ValueError):
    """The rules do not allow this now; the message says why, for the user."""
