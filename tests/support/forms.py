"""Reading a page's forms as a browser would: the CSRF token every form carries."""

import re

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str, where: str = "the page") -> str:
    """The form token on the page; a page without one fails the test saying so."""
    match = CSRF_FIELD.search(html)
    assert match, f"{where} has no CSRF token field"
    return match.group(1)


LABEL = re.compile(r'<label for="([^"]+)">([^<]+)</label>')


def labels(html: str) -> dict[str, str]:
    """Each ``<label for=...>`` on the page: the field's id and the label's text."""
    return dict(LABEL.findall(html))
