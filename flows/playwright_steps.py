"""The Playwright side of a flow's plain definitions: find a Target, check an Expectation.

``flows.model`` and ``flows.targets`` say what a step concerns and what must follow;
this module is the only one that turns them into locators and web-first assertions.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from flows.model import Count, Expectation, HasText, NotVisible, UrlContains, Visible
from flows.targets import Target


def locate(target: Target, page: Page) -> Locator:
    """A Playwright locator for ``target`` (lazy; nothing is looked up yet)."""
    root: Page | Locator = locate(target.scope, page) if target.scope else page
    if target.role is not None:
        if target.name is None:
            return root.get_by_role(target.role)  # type: ignore[arg-type]
        return root.get_by_role(target.role, name=target.name, exact=target.exact)  # type: ignore[arg-type]
    if target.label is not None:
        return root.get_by_label(target.label, exact=target.exact)
    return root.get_by_text(target.text or "", exact=target.exact)


def verify(expectation: Expectation, page: Page, timeout_ms: float) -> None:
    """Wait until ``expectation`` holds or raise AssertionError (Playwright's ``expect``)."""
    match expectation:
        case Visible(target=target):
            expect(locate(target, page)).to_be_visible(timeout=timeout_ms)
        case NotVisible(target=target):
            expect(locate(target, page)).not_to_be_visible(timeout=timeout_ms)
        case HasText(target=target, text=text, exact=True):
            expect(locate(target, page)).to_have_text(text, timeout=timeout_ms)
        case HasText(target=target, text=text):
            expect(locate(target, page)).to_contain_text(text, timeout=timeout_ms)
        case Count(target=target, count=count):
            expect(locate(target, page)).to_have_count(count, timeout=timeout_ms)
        case UrlContains(fragment=fragment):
            expect(page).to_have_url(re.compile(re.escape(fragment)), timeout=timeout_ms)
        case _:
            raise TypeError(f"no check for {type(expectation).__name__}")
