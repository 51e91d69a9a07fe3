"""Methods as HTTP describes them: OPTIONS lists every method an
address answers, HEAD works wherever GET does, a wrong method says which are allowed."""

import pytest


@pytest.mark.parametrize(("path", "allowed"), [
    ("/api/scenarios", "GET, HEAD, OPTIONS, POST"),
    ("/api/scenarios/demo", "GET, HEAD, OPTIONS"),
    ("/api/scenarios/demo/clock", "OPTIONS, POST"),
    ("/login", "GET, HEAD, OPTIONS, POST"),
    ("/orders/123/cancel", "GET, HEAD, OPTIONS, POST"),
    ("/trainer/demo/buyer", "OPTIONS, POST"),
])
def test_options_answers_every_method_of_the_address(client, path, allowed):
    response = client.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allowed
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/login", "/seller/login", "/trainer", "/api/scenarios",
                                  "/api/scenarios/demo", "/static/style.css", "/orders"])
def test_head_answers_wherever_get_does(client, path):
    get = client.get(path, follow_redirects=False)
    head = client.head(path, follow_redirects=False)
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers.get("content-type") == get.headers.get("content-type")
    assert head.headers.get("location") == get.headers.get("location")


def test_a_wrong_method_gets_405_with_the_allowed_ones(client):
    response = client.delete("/api/scenarios")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert response.json() == {"detail": "This address does not accept that kind of request."}
    page = client.put("/login")
    assert page.status_code == 405
    assert "does not accept that kind of request" in page.text
    assert page.headers["content-security-policy"]


def test_the_clock_takes_whole_numbers_written_as_decimals(client):
    token = client.post("/api/scenarios", json={"name": "awaiting-shipment"}).json()["token"]
    response = client.post(f"/api/scenarios/{token}/clock", json={"days": 1.0, "hours": 2.0})
    assert response.status_code == 200, response.text
    assert response.json()["now"] == "2026-03-03T11:00:00"
