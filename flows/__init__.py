"""Playwright flows as data: one definition per path, one runner, a recorder and a CLI.

A path module imports what it needs from here::

    from flows import Flow, Step, Click, Fill, Select, Goto, Visible, HasText, by_role
"""

from flows.model import (
    AdvanceClock,
    Check,
    Click,
    Count,
    Fill,
    Flow,
    FlowDefinitionError,
    Goto,
    HasText,
    NotVisible,
    Observe,
    Select,
    SellerAction,
    Step,
    Target,
    Uncheck,
    UrlContains,
    Visible,
    by_label,
    by_role,
    by_text,
)

__all__ = [
    "AdvanceClock",
    "Check",
    "Click",
    "Count",
    "Fill",
    "Flow",
    "FlowDefinitionError",
    "Goto",
    "HasText",
    "NotVisible",
    "Observe",
    "Select",
    "SellerAction",
    "Step",
    "Target",
    "Uncheck",
    "UrlContains",
    "Visible",
    "by_label",
    "by_role",
    "by_text",
]
