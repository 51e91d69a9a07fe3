"""What a storefront page says, read from its HTML in the HTTP tests."""

import re

BADGE = re.compile(r'<dt>Status</dt><dd><span class="badge badge-\w+">([^<]+)</span>')


def status_on(page: str) -> str:
    """The order's status as the order details page shows it."""
    match = BADGE.search(page)
    assert match, "the page shows no order status"
    return match.group(1)
