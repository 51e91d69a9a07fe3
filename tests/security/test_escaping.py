"""Text people type comes back as text, never as markup.

Script-injection strings go into every field a person can type into (a buyer's
message, a seller's reply from the console, the trainer page and the API, the sign-in
e-mail and its "next" address, a cancellation reason, the ticked items, the trainer's
clock fields, a seller action's name, a scenario name, the My Orders tab, an order
number in the address). Every page where the text shows up, or could, is read back:
the raw string is never there, and where the text is shown, its escaped form is.

The browser test (test_pages_in_a_browser.py) loads the same kind of pages in Chromium
and checks that no dialog opens. The guide's exported HTML is checked here too.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

import pytest
from markupsafe import escape

from tests.security.shop import visitor
from tests.support.worlds import World, create_world

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
]


@dataclasses.dataclass
class Shown:
    """A page read back: whether the typed text must appear on it (escaped)."""

    label: str
    html: str
    must_show: bool = True


Case = Callable[..., list[Shown]]
CASES: dict[str, Case] = {}


def case(name: str):
    def register(func: Case) -> Case:
        CASES[name] = func
        return func
    return register


def buyer_and_seller(app, scenario: str) -> tuple[World, object, object]:
    world = create_world(app.state.db, scenario)
    return world, visitor(app, "buyer", "buyer", world), visitor(app, "seller", "seller", world)


def everywhere_the_order_shows(app, world, buyer, seller) -> list[Shown]:
    number = world.numbers[0]
    anon = visitor(app, "trainer")
    return [
        Shown("buyer's messages page", buyer.send("GET", f"/orders/{number}/messages").text),
        Shown("seller's order page", seller.send("GET", f"/seller/orders/{number}").text),
        Shown("buyer's order details", buyer.send("GET", f"/orders/{number}").text, False),
        Shown("seller console", seller.send("GET", "/seller").text, False),
        Shown("trainer page", anon.send("GET", f"/trainer/{world.token}").text, False),
    ]


@case("a buyer's message")
def _message(app, payload):
    world, buyer, seller = buyer_and_seller(app, "marked-shipped")
    sent = buyer.send("POST", f"/orders/{world.numbers[0]}/messages", {"body": payload})
    assert sent.status_code == 303
    return everywhere_the_order_shows(app, world, buyer, seller)


@case("a message too long to send (shown again as a draft)")
def _draft(app, payload):
    world, buyer, _ = buyer_and_seller(app, "marked-shipped")
    body = (payload + " ") * (1001 // len(payload) + 1)
    page = buyer.send("POST", f"/orders/{world.numbers[0]}/messages", {"body": body})
    assert page.status_code == 400
    return [Shown("messages page with the draft", page.text)]


def _seller_replies(app, payload, send) -> list[Shown]:
    """A seller's reply holding ``payload``, sent by ``send(world, buyer, seller, reply)``
    (which checks the answer), then every page where the order shows."""
    world, buyer, seller = buyer_and_seller(app, "marked-shipped")
    send(world, buyer, seller, {"action": "reply", "message": payload})
    return everywhere_the_order_shows(app, world, buyer, seller)


@case("a seller's reply from the console")
def _console_reply(app, payload):
    def send(world, buyer, seller, reply):
        answer = seller.send("POST", f"/seller/orders/{world.numbers[0]}/actions", reply)
        assert answer.status_code == 303

    return _seller_replies(app, payload, send)


@case("a seller's reply from the trainer page")
def _trainer_reply(app, payload):
    def send(world, buyer, seller, reply):
        page = f"/trainer/{world.token}/orders/{world.numbers[0]}/seller"
        assert visitor(app, "trainer").send("POST", page, reply).status_code == 303

    return _seller_replies(app, payload, send)


@case("a seller's reply through the API")
def _api_reply(app, payload):
    def send(world, buyer, seller, reply):
        url = f"/api/scenarios/{world.token}/orders/{world.numbers[0]}/seller"
        assert buyer.client.post(url, json=reply).status_code == 200

    return _seller_replies(app, payload, send)


@case("the sign-in e-mail")
def _email(app, payload):
    anon = visitor(app, "visitor")
    buyer_page = anon.send("POST", "/login", {"email": payload, "password": "x"})
    seller_page = anon.send("POST", "/seller/login", {"email": payload, "password": "x"})
    assert (buyer_page.status_code, seller_page.status_code) == (400, 401)
    return [Shown("buyer sign-in page", buyer_page.text),
            Shown("seller sign-in page", seller_page.text)]


@case("the address to go to after signing in")
def _next(app, payload):
    anon = visitor(app, "visitor")
    return [
        Shown("buyer sign-in page",
              anon.client.get("/login", params={"next": "/" + payload}).text),
        Shown("buyer sign-in page after a wrong password",
              anon.send("POST", "/login", {"email": "a@b.c", "next": "/" + payload}).text),
        Shown("seller sign-in page",
              anon.client.get("/seller/login", params={"next": "/seller/" + payload}).text),
    ]


@case("a cancellation reason code")
def _reason(app, payload):
    world, buyer, _ = buyer_and_seller(app, "payment-being-verified")
    page = buyer.send("POST", f"/orders/{world.numbers[0]}/cancel", {"reason": payload})
    assert page.status_code == 400
    return [Shown("cancel form", page.text, False)]


@case("the ticked items")
def _items(app, payload):
    world, buyer, _ = buyer_and_seller(app, "store-coupon")
    page = buyer.send("POST", f"/orders/{world.numbers[0]}/cancel",
                      {"reason": "other", "choosing_items": "1", "items": [payload, "1"]})
    assert page.status_code == 400
    return [Shown("cancel form", page.text, False)]


@case("the trainer's clock fields")
def _clock(app, payload):
    world = create_world(app.state.db, "awaiting-shipment")
    trainer = visitor(app, "trainer")
    shown = []
    for field in ("days", "hours"):
        trainer.send("POST", f"/trainer/{world.token}/clock", {field: payload})
        shown.append(Shown(f"trainer page after {field}",
                           trainer.send("GET", f"/trainer/{world.token}").text, False))
    return shown


@case("a seller action's name")
def _action(app, payload):
    world, _, seller = buyer_and_seller(app, "awaiting-shipment")
    trainer = visitor(app, "trainer")
    number = world.numbers[0]
    seller.send("POST", f"/seller/orders/{number}/actions", {"action": payload})
    trainer.send("POST", f"/trainer/{world.token}/orders/{number}/seller", {"action": payload})
    return [Shown("seller's order page", seller.send("GET", f"/seller/orders/{number}").text),
            Shown("trainer page", trainer.send("GET", f"/trainer/{world.token}").text)]


@case("a scenario name on the trainer page")
def _scenario_name(app, payload):
    trainer = visitor(app, "trainer")
    sent = trainer.send("POST", "/trainer/scenarios", {"name": payload})
    assert sent.status_code == 303
    return [Shown("trainer page", trainer.send("GET", "/trainer").text)]


@case("the My Orders tab")
def _tab(app, payload):
    world, buyer, _ = buyer_and_seller(app, "awaiting-shipment")
    return [Shown("My Orders", buyer.client.get("/orders", params={"tab": payload}).text, False)]


@case("an order number in the address")
def _number(app, payload):
    world, buyer, seller = buyer_and_seller(app, "awaiting-shipment")
    trainer = visitor(app, "trainer")
    return [
        Shown("buyer's order page", buyer.client.get(f"/orders/{payload}").text, False),
        Shown("buyer's cancel page", buyer.client.get(f"/orders/{payload}/cancel").text, False),
        Shown("seller's order page", seller.client.get(f"/seller/orders/{payload}").text, False),
        Shown("trainer page", trainer.client.get(f"/trainer/{payload}").text, False),
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", CASES)
def test_typed_text_comes_back_escaped_everywhere_it_appears(app, field, payload):
    pages = CASES[field](app, payload)
    assert pages
    for page in pages:
        assert payload not in page.html, f"{field}: raw markup on the {page.label}"
        for tag in ("<script>alert", "<img src=x", "<svg onload"):
            assert tag not in page.html, f"{field}: {tag} on the {page.label}"
        if page.must_show:
            assert str(escape(payload)) in page.html, f"{field}: not shown on the {page.label}"


# --- the guide's exported HTML ------------------------------------------------------------

def test_the_guides_export_escapes_every_text_from_the_recordings(tmp_path, monkeypatch):
    """Flow and step texts come from a file anyone can edit; the export shows them as text."""
    from flowspec.contract import Manifest, RecordedFlow, RecordedStep
    from guide import export
    from guide.data.recordings import Recordings

    payload = PAYLOADS[1]
    step = RecordedStep(number=1, action="click", **_texts(RecordedStep, payload))
    flow = RecordedFlow(steps=(step,), **_texts(RecordedFlow, payload))
    recordings = Recordings(str(tmp_path), Manifest(flows=(flow,)))
    document = export.build_html(recordings)
    assert payload not in document
    assert "<img src=x" not in document
    assert str(escape(payload)) in document or html.escape(payload) in document


def _texts(model, text: str) -> dict[str, str]:
    """The payload in every text field of a recording's model (the contract's)."""
    optional_text = "typing.Optional[typing.Annotated[str,"
    return {
        name: text
        for name, field in model.model_fields.items()
        if field.annotation is str or str(field.annotation).startswith(optional_text)
    }
