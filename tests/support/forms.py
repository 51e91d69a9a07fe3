"""Reading a page's forms as a browser would: the CSRF token every form carries, the
submission key of each form, the labels, and the flash messages the page shows."""

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


FLASH = re.compile(r'class="flash flash-\w+"[^>]*>([^<]+)<')
SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')


def flashes(html: str) -> list[str]:
    """The flash messages on the page, in order."""
    return FLASH.findall(html)


def form_of(client, page: str, **fields) -> dict:
    """The fields a browser sends from ``page``'s form: its tokens and ``fields``."""
    html = client.get(page).text
    key = SUBMISSION.search(html)
    return {**fields, "csrf_token": csrf_from(html, page), "submission": key.group(1) if key else ""}
