"""Starting a coached tour as a trainee does: open ``/coach/<flow>`` (a page that changes
nothing), then press its Start button (a form post with the page's token)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.support.forms import csrf_from

if TYPE_CHECKING:
    from playwright.sync_api import Page


def coach_address(flow_id: str, key: str | None = None) -> str:
    return f"/coach/{flow_id}" + (f"?practice={key}" if key else "")


def start_tour(client: Any, flow_id: str, key: str | None = None, *,
               follow_redirects: bool = False) -> Any:
    """The Start button's answer for an HTTP client (a ``TestClient`` or ``httpx.Client``):
    a redirect to the tour's first page, or a refusal."""
    page = client.get(coach_address(flow_id, key))
    assert page.status_code == 200, page.text
    fields = {"csrf_token": csrf_from(page.text, coach_address(flow_id, key))}
    if key:
        fields["practice"] = key
    return client.post(f"/coach/{flow_id}", data=fields, follow_redirects=follow_redirects)


def start_tour_in(page: Page, flow_id: str, key: str | None = None) -> None:
    """The same in a browser: the start page, then its Start button."""
    page.goto(coach_address(flow_id, key))
    page.get_by_role("button", name="Start", exact=True).click()
