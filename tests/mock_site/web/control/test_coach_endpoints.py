"""The coach's storefront side: starting a tour, the panel's endpoints, the guide's view."""

import re

import pytest
from sqlalchemy import func, select

from flowspec.paths import load_flows
from mock_site.core.models import Base
from tests.support.coach import start_tour
from tests.support.sign_in import sign_in_demo_buyer

FLOWS = load_flows()
KEY = "a-practice-key-of-24-chr"


@pytest.fixture
def coached(client):
    """A browser that opened the post-verification tour, and the panel's tour data."""
    response = start_tour(client, "post-verification", KEY)
    assert response.status_code == 303
    client.get(response.headers["location"])
    return client.get("/coach/tour").json()


def test_a_tour_starts_on_a_fresh_copy_at_the_flows_first_page(client):
    first = start_tour(client, "post-verification", KEY)
    second = start_tour(client, "post-verification", KEY)

    assert first.headers["location"] != second.headers["location"]
    assert first.headers["location"].startswith("/trainer/")
    assert "shop_coach" in first.headers["set-cookie"]
    assert "HttpOnly" in first.headers["set-cookie"]
    page = client.get(second.headers["location"])
    assert page.url.path == "/orders"
    assert f'<script src="/static/coach/coach.js" async data-tour="{KEY}~' in page.text


def test_a_signed_out_flow_starts_signed_out(client):
    sign_in_demo_buyer(client)
    response = start_tour(client, "pre-verification")
    assert response.headers["location"] == "/login"
    assert client.get("/orders", follow_redirects=False).status_code == 303


def row_counts(app) -> dict[str, int]:
    with app.state.db.transaction(write=False) as session:
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}


@pytest.mark.parametrize("flow_id", ["pre-verification", "post-verification"])
def test_opening_the_link_changes_nothing_and_signs_nobody_out(app, client, flow_id):
    sign_in_demo_buyer(client)
    before = row_counts(app)

    page = client.get(f"/coach/{flow_id}?practice={KEY}", follow_redirects=False)

    assert page.status_code == 200
    assert row_counts(app) == before
    assert "shop_coach" not in page.headers.get("set-cookie", "")
    assert client.get("/orders", follow_redirects=False).status_code == 200
    assert client.get(f"/api/coach/{KEY}").status_code == 404
    assert '<button type="submit" class="btn btn-primary">Start</button>' in page.text
    assert f'name="practice" value="{KEY}"' in page.text
    assert "fresh practice copy" in page.text


def test_the_start_page_says_who_will_be_signed_in(client):
    signs_in = client.get("/coach/post-verification").text
    signs_out = client.get("/coach/pre-verification").text
    assert "You will be signed in as the copy's shopper in this browser." in signs_in
    assert "you will be signed out first" in signs_out


def test_starting_a_tour_that_signs_in_ends_no_other_sign_in(app, client):
    sign_in_demo_buyer(client)
    sessions = row_counts(app)["sign_ins"]

    start_tour(client, "post-verification", KEY, follow_redirects=True)

    assert row_counts(app)["sign_ins"] == sessions + 1  # the copy's shopper's, added


def test_starting_needs_the_pages_token(app, client):
    before = row_counts(app)
    response = client.post("/coach/post-verification", data={"practice": KEY},
                           follow_redirects=False)
    assert response.status_code == 403
    assert row_counts(app) == before


def test_pages_without_a_tour_load_no_coach(client):
    assert "coach" not in client.get("/login").text


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/coach/no-such-flow", 404, "There is no tour called “no-such-flow”."),
    ("/coach/pre-verification?practice=short", 422, "The practice key must be 16 to 64"),
    ("/coach/pre-verification?practice=" + "k" * 65, 422, "The practice key must be 16 to 64"),
    ("/api/coach/not-a-key-that-exists", 404, "There is no coached practice with that key."),
    ("/coach/tour", 404, "No coached practice is running in this browser."),
])
def test_bad_requests_say_why(client, path, status, message):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == status
    assert message in response.text


def test_the_tour_is_the_flows_own_steps_filled_in(coached):
    flow = FLOWS["post-verification"]
    assert [s["title"] for s in coached["steps"]] == [s.title for s in flow.steps]
    view = coached["steps"][2]
    order = coached["values"]["orders"][0]
    assert view["target"]["scope"]["name"] == f"Order {order}"
    assert view["expect"][0]["describe"] == 'heading "Order details" to be visible'
    assert (coached["step"], coached["total"], coached["completed"]) == (1, 10, 0)


def test_progress_moves_forward_only_and_the_guide_reads_it(client, coached):
    csrf = coached["csrf"]
    moved = client.post("/coach/tour/progress", data={"csrf_token": csrf, "step": "4"})
    assert moved.json()["completed"] == 3

    back = client.post("/coach/tour/progress", data={"csrf_token": csrf, "step": "2"})
    assert back.status_code == 409
    assert "on step 4 of 10" in back.json()["detail"]
    hinted = client.post("/coach/tour/progress", data={
        "csrf_token": csrf, "step": "4", "hint": "This is Contact seller; this step wants "
                                                 "Cancel order."})
    assert hinted.status_code == 200
    seen = client.get(f"/api/coach/{KEY}").json()
    assert (seen["step"], seen["completed"], seen["done"]) == (4, 3, False)
    assert seen["hint"].startswith("This is Contact seller")


def test_progress_needs_the_forms_token(client, coached):
    response = client.post("/coach/tour/progress", data={"step": "2"})
    assert response.status_code == 403


def test_the_coach_does_only_steps_the_buyer_cannot(client, coached):
    response = client.post("/coach/tour/act", data={"csrf_token": coached["csrf"], "step": "1"})
    assert response.status_code == 409
    assert response.json()["detail"] == "Step 1 is yours to do in the page."


def test_the_clock_step_moves_the_copys_clock(client):
    start = start_tour(client, "post-verification-no-answer", KEY, follow_redirects=True)
    tour = client.get("/coach/tour").json()
    csrf = tour["csrf"]
    before = client.get(f"/api/scenarios/{tour['token']}").json()["now"]

    done = client.post("/coach/tour/act", data={"csrf_token": csrf, "step": "8"})

    assert start.status_code == 200 and done.status_code == 200
    assert client.get(f"/api/scenarios/{tour['token']}").json()["now"] > before
    assert client.get(f"/api/coach/{KEY}").json()["step"] == 8


def test_closing_the_coach_forgets_it_in_this_browser(client, coached):
    response = client.post("/coach/tour/stop", data={"csrf_token": coached["csrf"]})
    assert response.status_code == 204
    assert client.get("/coach/tour").status_code == 404
    assert client.get(f"/api/coach/{KEY}").status_code == 200


def test_go_fills_the_address_in_with_a_one_time_sign_in_link(client, coached):
    response = client.post("/coach/tour/go", data={"csrf_token": coached["csrf"], "step": "7"})
    location = response.json()["location"]
    assert re.fullmatch(r"/trainer/sign-in/[A-Za-z0-9_-]{20,}", location), location
    assert client.get(location, follow_redirects=False).headers["location"] == "/seller"
    again = client.post("/coach/tour/go", data={"csrf_token": coached["csrf"], "step": "7"})
    assert again.json()["location"] != location  # a new ticket each time, never reused
