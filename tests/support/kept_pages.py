"""Telling a page sent from the render cache from one rendered, in the HTTP tests."""

import re

import httpx

SUBMISSION_KEY = re.compile(rb'(name="submission" value=")([^"]+)(")')
BADGE = re.compile(r'<dt>Status</dt><dd><span class="badge badge-\w+">([^<]+)</span>')
CLOCK = re.compile(r'data-clock="([^"]+)"')


def hits(app) -> int:
    return app.state.page_cache.hits


def kept(app, client: httpx.Client, path: str) -> httpx.Response:
    """``path`` seen twice: the second answer must come from the cache; it is returned."""
    client.get(path)
    before = hits(app)
    answer = client.get(path, follow_redirects=False)
    assert hits(app) == before + 1, f"{path} was not sent from the render cache"
    assert answer.status_code == 200, (path, answer.status_code)
    return answer


def submission_keys(body: bytes) -> list[bytes]:
    return [match.group(2) for match in SUBMISSION_KEY.finditer(body)]


def without_submission_keys(body: bytes) -> bytes:
    return SUBMISSION_KEY.sub(rb"\1KEY\3", body)


def status_on(page: str) -> str:
    """The order's status as the order details page shows it."""
    match = BADGE.search(page)
    assert match, "the page shows no order status"
    return match.group(1)


def clock_on(page: str) -> str:
    """The simulated time in a buyer page's header."""
    match = CLOCK.search(page)
    assert match, "the page shows no simulated clock"
    return match.group(1)
