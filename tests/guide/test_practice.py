"""Practice mode against a stand-in storefront, and the control API client on its own."""

import httpx
import pytest

from domain.scenarios import SCENARIOS
from guide.storefront import Storefront, StorefrontError, StorefrontUnavailable

PRACTICE = "guide/pages/practice.py"


def test_shop_not_running_says_how_to_start_it(guide_env, open_page):
    at = open_page(PRACTICE)
    assert not at.exception
    assert "scripts/run_guide.sh" in at.warning[0].value
    assert "python -m mock_site" in at.warning[0].value


def _start(open_page, choice: str):
    at = open_page(PRACTICE)
    at.selectbox(key="_w.practice.choice").set_value(choice).run()
    at.button(key="practice.start").click().run()
    assert not at.exception
    return at


def test_start_check_and_hint(storefront, open_page):
    at = _start(open_page, "scenario:payment-being-verified")
    token = next(iter(storefront.states))
    assert ("POST", "/api/scenarios", {"name": "payment-being-verified"}) in storefront.calls
    links = [b.proto.url for b in at.get("link_button")]
    assert links[0].endswith(f"/trainer/{token}/buyer")

    at.button(key="practice.check").click().run()
    assert "Next: Ask to cancel, with a reason." in at.info[0].value

    # the trainee cancels in the shop
    shop_order = storefront.states[token]["orders"][0]
    shop_order.update(status="Closed", cancellation={"status": "immediate", "reason": "other"})
    at.button(key="practice.check").click().run()
    assert "Next: The refund has started." in at.info[0].value
    shop_order["refunds"] = [{"amount_cents": 2499, "method": "bank_card", "stages_reached": 1}]
    at.button(key="practice.check").click().run()
    assert "Every checkpoint is done" in at.success[0].value


def test_recorded_flows_become_the_choices(recorded, storefront, open_page):
    at = open_page(PRACTICE)
    assert at.selectbox(key="_w.practice.choice").options == [
        "Before the payment is verified: Title of pre-verification",
        "After the payment is verified: Title of post-verification-request",
    ]


def test_seller_helper_calls_the_control_api(storefront, open_page):
    at = _start(open_page, "scenario:awaiting-shipment")
    token = next(iter(storefront.states))
    number = SCENARIOS["awaiting-shipment"].orders[0].number
    at.button(key="practice.seller.accept").click().run()
    assert not at.exception
    assert ("POST", f"/api/scenarios/{token}/orders/{number}/seller",
            {"action": "accept", "message": ""}) in storefront.calls
    at.button(key="practice.clock.1 day").click().run()
    assert ("POST", f"/api/scenarios/{token}/clock", {"days": 1, "hours": 0}) in storefront.calls


def test_shop_stopping_mid_practice_is_a_message(storefront, open_page):
    at = _start(open_page, "scenario:payment-being-verified")
    storefront.stop()
    at.button(key="practice.check").click().run()
    assert not at.exception
    assert at.warning or at.error


# --- the client on its own --------------------------------------------------------------------


def _client(handler) -> Storefront:
    return Storefront("http://shop.test", transport=httpx.MockTransport(handler))


def test_refused_request_shows_the_shops_own_message():
    shop = _client(lambda request: httpx.Response(409, json={"detail": "Already cancelled."}))
    with pytest.raises(StorefrontError, match="^Already cancelled.$"):
        shop.seller("t", "1", "accept")


def test_control_switched_off():
    shop = _client(lambda request: httpx.Response(404, json={"detail": "Not Found"}))
    with pytest.raises(StorefrontError, match="switched off"):
        shop.scenarios()


def test_not_a_storefront():
    shop = _client(lambda request: httpx.Response(200, text="<html>hello</html>"))
    with pytest.raises(StorefrontError, match="not like the storefront"):
        shop.scenarios()


def test_connection_refused_is_unavailable():
    def refuse(request):
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(StorefrontUnavailable, match="Nothing answers at http://shop.test"):
        _client(refuse).state("t")
