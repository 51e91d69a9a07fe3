"""Playwright flows as data: one definition per path, one runner, a recorder and a CLI.

A path module imports the plain definitions it needs from ``flows.model``::

    from flows.model import Flow, Step, Click, Fill, Select, Goto, Visible, HasText, by_role
"""
