"""Nothing is lost on restart: the database, not the process, holds the state."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from domain import scenarios
from mock_site.core.models import Account, Order, Refund, Scenario
from mock_site.web.app import create_app
from tests.support.forms import csrf_from
from tests.support.order_numbers import order_number
from tests.support.sign_in import sign_in_demo_buyer

DEMO_ORDER = order_number("payment-being-verified")  # the demo account holds it too



def test_a_cancellation_survives_a_restart(settings):
    first = create_app(settings)
    client = TestClient(first)
    sign_in_demo_buyer(client)
    form = {"reason": "changed_mind",
            "csrf_token": csrf_from(client.get(f"/orders/{DEMO_ORDER}/cancel").text)}
    assert client.post(f"/orders/{DEMO_ORDER}/cancel", data=form).status_code == 200
    first.state.db.dispose()

    second = create_app(settings)
    try:
        with second.state.db.transaction() as session:
            demo = session.scalar(select(Scenario).where(Scenario.token == scenarios.DEMO_TOKEN))
            order = session.scalar(
                select(Order).where(Order.scenario_id == demo.id, Order.number == DEMO_ORDER)
            )
            refunds = session.scalar(
                select(func.count()).select_from(Refund).where(Refund.order_id == order.id)
            )
            demo_buyers = session.scalar(
                select(func.count()).select_from(Account)
                .where(Account.email == scenarios.DEMO_BUYER_EMAIL)
            )
            demo_worlds = session.scalar(
                select(func.count()).select_from(Scenario)
                .where(Scenario.token == scenarios.DEMO_TOKEN)
            )
            assert order.status == "Closed"
        assert refunds == 1
        assert demo_buyers == 1
        assert demo_worlds == 1

        again = TestClient(second)
        sign_in_demo_buyer(again)
        page = again.get(f"/orders/{DEMO_ORDER}/finances").text
        assert "Refund of US $24.99" in page
        assert page.count('class="stage reached"') == 1
    finally:
        second.state.db.dispose()


def test_a_session_cookie_still_works_after_a_restart(settings):
    first = create_app(settings)
    client = TestClient(first)
    sign_in_demo_buyer(client)
    first.state.db.dispose()

    second = create_app(settings)
    try:
        same_browser = TestClient(second, cookies=client.cookies)
        response = same_browser.get("/orders", follow_redirects=False)
        assert response.status_code == 200
        assert "My Orders" in response.text
    finally:
        second.state.db.dispose()
