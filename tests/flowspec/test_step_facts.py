"""Every recorded step's caption agrees with the rules and with the element it points at.

A caption that says "Day 2: processed" while the rules process a refund after one day,
or "choose Sign in" over a picture that outlines the e-mail box, misleads the reader
however good the picture is. The facts are read from the committed manifest (what the
guide shows) and checked against ``domain`` and the flow definitions.
"""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from domain.payments import REFUND_WINDOWS
from domain.refunds import STAGES, RefundTracker
from domain.statuses import OrderStatus
from domain.wording import NUMBERS
from flows.pictures.files import RECORDINGS_DIR
from flowspec.paths import load_flows
from flowspec.paths.refund import FINANCES_STEP
from flowspec.steps import AdvanceClock, HasText
from mock_site.core.settings import Settings

FLOWS = load_flows()
MANIFEST = json.loads((RECORDINGS_DIR / "manifest.json").read_text(encoding="utf-8"))
RECORDED = [(flow["id"], step) for flow in MANIFEST["flows"] for step in flow["steps"]]
NAMED_ROLES = ("button", "link", "textbox", "checkbox", "radio", "heading")
START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _ids(value) -> str:
    return f"{value[0]}-{value[1]['number']}" if isinstance(value, tuple) else str(value)


def _definition(flow_id: str, number: int):
    return FLOWS[flow_id].steps[number - 1]


def _days_passed(flow_id: str, number: int) -> int:
    steps = FLOWS[flow_id].steps[:number]
    return sum(s.action.days for s in steps if isinstance(s.action, AdvanceClock))


@pytest.mark.parametrize(("flow_id", "step"), RECORDED, ids=_ids)
def test_the_recorded_caption_is_the_flows_own(flow_id, step):
    definition = _definition(flow_id, step["number"])
    assert (step["id"], step["title"], step["instruction"]) == (
        definition.id, definition.title, definition.instruction)


@pytest.mark.parametrize(("flow_id", "step"), RECORDED, ids=_ids)
def test_the_highlighted_element_is_the_one_the_caption_names(flow_id, step):
    target = _definition(flow_id, step["number"]).target
    if target is None or target.role not in NAMED_ROLES or not target.name:
        return
    words = f"{step['title']} {step['instruction']}"
    assert target.name in words, f"the caption never names the outlined {step['target']}"
    for pressed in re.finditer(r"\b[Pp]ress ", step["instruction"]):
        said = step["instruction"][pressed.end():]
        assert said.startswith(target.name), f"says press {said[:20]!r}…, outlines {step['target']}"
        assert target.role in ("button", "link")


@pytest.mark.parametrize(("flow_id", "step"), RECORDED, ids=_ids)
def test_a_status_the_step_checks_is_the_status_its_caption_names(flow_id, step):
    definition = _definition(flow_id, step["number"])
    checked = {e.text for e in definition.expect if isinstance(e, HasText)} & set(OrderStatus)
    named = {status for status in OrderStatus if status in step["instruction"]}
    if checked and named:
        assert named <= checked | {OrderStatus.AWAITING_SHIPMENT}, (named, checked)
    for status in checked:
        if "status" in step["instruction"].lower() or "shows" in step["instruction"]:
            assert status in step["instruction"], f"the page shows {status}; the caption not"


DAY_TITLE = re.compile(r"^Day (\d+): (.+)$")
COUNTED = re.compile(r"\b(" + "|".join(NUMBERS) + r") (?:more )?days? pass", re.IGNORECASE)


@pytest.mark.parametrize(("flow_id", "step"), RECORDED, ids=_ids)
def test_day_counts_agree_with_the_clock_and_the_refund_rules(flow_id, step):
    number = step["number"]
    moved = _definition(flow_id, number).action
    if (said := COUNTED.search(step["instruction"])) is not None:
        assert isinstance(moved, AdvanceClock), "the caption says time passes; it does not"
        assert NUMBERS.index(said.group(1).lower()) == moved.days, step["instruction"]
    if (day := DAY_TITLE.match(step["title"])) is None:
        return
    assert int(day.group(1)) == _days_passed(flow_id, number), step["title"]
    method = next(m for m, w in REFUND_WINDOWS.items() if w.label in FLOWS[flow_id].title)
    tracker = RefundTracker(START, method)
    reached = tracker.stages_reached(START + timedelta(days=int(day.group(1))))
    expected = {"refund requested": 1, "processed": 2, "paid back": 3}[day.group(2)]
    assert reached == expected, f"{step['title']}: the rules have {STAGES[:reached]}"


def test_the_refund_path_points_already_closed_orders_at_its_finances_step():
    for flow in (f for f in FLOWS.values() if f.path == "refund"):
        assert flow.steps[FINANCES_STEP - 1].id == "open-finances"
        assert f"step {FINANCES_STEP}" in flow.when


def test_the_seller_answer_window_is_what_the_no_answer_path_lets_pass():
    passes = next(s for s in FLOWS["post-verification-no-answer"].steps
                  if isinstance(s.action, AdvanceClock))
    assert passes.action.days * 24 >= Settings().seller_response_hours


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_shopper_captions_do_not_speak_to_trainers(flow_id):
    flow = FLOWS[flow_id]
    for text in [flow.when, flow.next, *(f"{s.title} {s.instruction}" for s in flow.steps)]:
        assert not re.search(r"\btrainer\b|simulated clock", text, re.IGNORECASE), text
