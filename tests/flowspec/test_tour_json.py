"""The browser-side coach reads a flow's steps as JSON: its shape (field names and values)
stays exactly what the coach's scripts read, whatever the models look like inside."""

from __future__ import annotations

import json
from pathlib import Path

from flowspec.paths import load_flows
from flowspec.steps import (
    AdvanceClock,
    Count,
    Fill,
    Flow,
    Goto,
    HasText,
    MessageSays,
    NotVisible,
    Select,
    SellerAction,
    Step,
    Uncheck,
    UrlContains,
    Visible,
    by_label,
    by_role,
    by_text,
)
from flowspec.tour import step_json, tour_steps

DATA = Path(__file__).parent / "data"
VALUES = {
    "token": "tok", "buyer_email": "b@example.com", "buyer_password": "pw1",
    "seller_email": "s@example.com", "seller_password": "pw2",
    "orders": ["1001", "1002", "1003", "1004"], "buyer_ticket": "ticket",
    "seller_ticket": "ticket",
}
GO = by_role("button", "Go")
EVERY_ACTION = Flow(
    id="every-action", path="refund", title="T", when="W", next="N", scenario="showcase",
    steps=(
        Step(id="a", title="A", instruction="Do a", action=Goto(path="/x/{token}"),
             expect=UrlContains(fragment="/x")),
        Step(id="b", title="B", instruction="Do b", action="click",
             target=GO.inside(by_role("article", "Order 1")), expect=Visible(target=GO)),
        Step(id="c", title="C", instruction="Do c", action=Fill(value="hi"),
             target=by_label("Message", exact=True),
             expect=HasText(target=GO, text="x", exact=True)),
        Step(id="d", title="D", instruction="Do d", action=Select(option="Two"),
             target=by_label("Pick"), expect=Count(target=GO, count=2)),
        Step(id="e", title="E", instruction="Do e", action="check", target=by_text("Tick"),
             expect=NotVisible(target=GO)),
        Step(id="f", title="F", instruction="Do f", action=Uncheck(), target=by_text("Tick")),
        Step(id="g", title="G", instruction="Do g", action="observe"),
        Step(id="h", title="H", instruction="Do h",
             action=SellerAction(order="1", answer="accept")),
        Step(id="i", title="I", instruction="Do i",
             action=SellerAction(order="1", answer="reply", message="Hello")),
        Step(id="j", title="J", instruction="Do j", action=AdvanceClock(days=1, hours=2)),
        Step(id="k", title="K", instruction="Write k. (The picture shows a sample.)",
             action=Fill(value="Please cancel it, thanks"), target=by_role("textbox", "Note"),
             expect=MessageSays(target=by_role("textbox", "Note"), mentions=("cancel", "stop"),
                                min_length=10)),
        Step(id="l", title="L", instruction="The store does l", coach="As the store, do l",
             action="observe"),
    ),
)


def expected(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_a_flows_tour_is_the_json_the_coach_reads():
    tour = tour_steps(load_flows()["refund-balance"], VALUES)

    assert json.dumps(tour) == json.dumps(expected("tour_refund_balance.json"))


def test_every_action_and_expectation_keeps_its_coach_json():
    tour = [step_json(number, step) for number, step in enumerate(EVERY_ACTION.steps, 1)]

    assert json.dumps(tour) == json.dumps(expected("tour_every_action.json"))


def test_a_step_reads_back_from_its_own_json():
    for step in EVERY_ACTION.steps:
        assert Step.model_validate(step.model_dump(mode="json")) == step
