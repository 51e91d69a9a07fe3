"""A form sent twice shows what the first sending did.

Each form carries a random ``submission`` key. The second sending of the same form (a
double click, a resend after a slow answer, the browser's back button) gets the first
one's outcome: the same page and the same message, and nothing is done twice. A form
loaded afresh has a new key, so asking again is still answered by the rules.
"""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from mock_site.core.models import Cancellation, Message, Order, Refund
from mock_site.services.control import get_scenario
from mock_site.services.orders import cancel_order
from tests.support.forms import SUBMISSION, csrf_from, flashes, form_of
from tests.support.order_numbers import order_number
from tests.support.sign_in import sign_in_buyer, sign_in_seller

VERIFYING = order_number("payment-being-verified")
AWAITING_SHIPMENT = order_number("awaiting-shipment")
SHIPPED = order_number("marked-shipped")
CANCELLED = "Your order was cancelled. The refund has started."


def rows(app, model, token: str, number: str) -> int:
    with app.state.db.transaction() as session:
        scenario = get_scenario(session, token)
        return session.scalar(
            select(func.count()).select_from(model).join(Order, model.order_id == Order.id)
            .where(Order.scenario_id == scenario.id, Order.number == number))


def cancel_twice(client, number: str):
    """The buyer's answers to one cancel form (reason: changed my mind) sent twice."""
    form = form_of(client, f"/orders/{number}/cancel", reason="changed_mind")
    return [client.post(f"/orders/{number}/cancel", data=form) for _ in range(2)]


def test_a_double_submit_of_cancel_shows_the_confirmation_twice(app, client, world_factory):
    world = world_factory("payment-being-verified")
    sign_in_buyer(client, world)

    first, second = cancel_twice(client, VERIFYING)

    for answer in (first, second):
        assert answer.status_code == 200
        assert answer.url.path == f"/orders/{VERIFYING}"
        assert flashes(answer.text) == [CANCELLED]
    assert rows(app, Refund, world.token, VERIFYING) == 1
    assert rows(app, Cancellation, world.token, VERIFYING) == 1


def test_submits_of_one_form_at_the_same_moment_all_show_the_confirmation(
        app, client, world_factory):
    world = world_factory("payment-being-verified")
    sign_in_buyer(client, world)
    form = form_of(client, f"/orders/{VERIFYING}/cancel", reason="changed_mind")

    def submit(_):
        answer = client.post(f"/orders/{VERIFYING}/cancel", data=form, follow_redirects=False)
        return answer.status_code, answer.headers.get("location")

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(submit, range(4)))

    assert answers == [(303, f"/orders/{VERIFYING}")] * 4
    assert rows(app, Refund, world.token, VERIFYING) == 1


def test_a_request_sent_twice_is_sent_to_the_seller_once(app, client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    first, second = cancel_twice(client, AWAITING_SHIPMENT)
    assert flashes(first.text) == flashes(second.text) == [
        "Your cancellation request was sent to the seller."]
    assert rows(app, Cancellation, world.token, AWAITING_SHIPMENT) == 1


def test_a_new_form_asking_again_is_answered_by_the_rules(app, client, world_factory):
    world = world_factory("payment-being-verified")
    sign_in_buyer(client, world)
    client.post(f"/orders/{VERIFYING}/cancel",
                data=form_of(client, f"/orders/{VERIFYING}/cancel", reason="changed_mind"))
    again = {**form_of(client, f"/orders/{VERIFYING}/messages", reason="changed_mind"),
             "body": ""}  # the key of a form loaded afresh
    answer = client.post(f"/orders/{VERIFYING}/cancel", data=again)
    assert answer.status_code == 409
    assert "This order can no longer be cancelled." in answer.text


def test_a_message_sent_twice_is_sent_once(app, client, world_factory):
    world = world_factory("marked-shipped")
    sign_in_buyer(client, world)
    form = form_of(client, f"/orders/{SHIPPED}/messages", body="Please cancel, I moved.")
    for _ in range(2):
        answer = client.post(f"/orders/{SHIPPED}/messages", data=form)
        assert flashes(answer.text) == ["Your message was sent to the seller."]
    assert rows(app, Message, world.token, SHIPPED) == 1


def test_another_buyer_cannot_replay_someone_elses_form(app, client, world_factory):
    world = world_factory("payment-being-verified")
    sign_in_buyer(client, world)
    form = form_of(client, f"/orders/{VERIFYING}/cancel", reason="changed_mind")
    client.post(f"/orders/{VERIFYING}/cancel", data=form)
    other_world = world_factory("payment-being-verified")
    other = type(client)(app)
    sign_in_buyer(other, other_world)
    stolen = {**form, "csrf_token": csrf_from(other.get("/orders").text)}
    answer = other.post(f"/orders/{VERIFYING}/cancel", data=stolen)
    assert flashes(answer.text) == [CANCELLED]  # the other buyer's own order, cancelled
    assert rows(app, Refund, other_world.token, VERIFYING) == 1


def test_the_sellers_answer_sent_twice_shows_the_same_confirmation(app, client, world_factory):
    world = world_factory("awaiting-shipment")
    with app.state.db.transaction() as session:
        scenario = get_scenario(session, world.token)
        from mock_site.services import control
        buyer = control.scenario_account(session, scenario, "buyer")
        cancel_order(session, buyer, AWAITING_SHIPMENT, "changed_mind", None, 48)
    sign_in_seller(client, world)
    page = f"/seller/orders/{AWAITING_SHIPMENT}"
    form = form_of(client, page, action="accept")
    first = client.post(f"{page}/actions", data=form)
    second = client.post(f"{page}/actions", data=form)
    assert flashes(first.text) == flashes(second.text)
    assert flashes(first.text)[0].startswith("You accepted the cancellation.")
    assert rows(app, Refund, world.token, AWAITING_SHIPMENT) == 1


def test_the_trainers_clock_moves_once_for_a_double_submit(app, client, world_factory):
    world = world_factory("awaiting-shipment")
    form = form_of(client, f"/trainer/{world.token}", days="2")
    first = client.post(f"/trainer/{world.token}/clock", data=form)
    second = client.post(f"/trainer/{world.token}/clock", data=form)
    assert flashes(first.text) == flashes(second.text) == ["The clock is now Mar 4, 2026 09:00."]


def test_every_form_a_page_shows_carries_its_own_key(client, world_factory):
    world = world_factory("awaiting-shipment")
    sign_in_buyer(client, world)
    pages = [client.get(f"/orders/{AWAITING_SHIPMENT}/cancel").text,
             client.get(f"/orders/{AWAITING_SHIPMENT}/messages").text]
    keys = [SUBMISSION.search(page).group(1) for page in pages]
    assert len(set(keys)) == 2 and all(len(key) >= 16 for key in keys)


def test_the_submit_script_is_served_and_loaded_by_every_page(client):
    script = client.get("/static/forms.js")
    assert script.status_code == 200
    assert "submitting" in script.text
    for page in ("/login", "/seller/login", "/trainer"):
        assert '<script src="/static/forms.js" defer></script>' in client.get(page).text
