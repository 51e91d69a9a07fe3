"""What the coach says is written for the trainee on the live page: no word of a picture,
the store's side in the trainee's own voice, counts that agree with their nouns; and where a
step asks for the trainee's own words, its criteria judge them and its sample passes them."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from flowspec.paths import load_flows
from flowspec.steps import (
    Click,
    Fill,
    Flow,
    FlowDefinitionError,
    Goto,
    MessageSays,
    Step,
    by_role,
)
from flowspec.tour import tour_steps
from tests.flowspec.test_tour_json import VALUES

FLOWS = load_flows()
BOX = by_role("textbox", "Message")
ASKS = MessageSays(target=BOX, mentions=("cancel", "refund"), min_length=20)
EMPTY = "Your message is empty. Write it in your own words, or use the suggestion."
SHORT = "Say a little more: write at least 20 characters."
OFF_TOPIC = "Say what you are asking for: your message should mention “cancel” or “refund”."


def coach_texts(flow: Flow) -> list[tuple[str, str]]:
    """Every sentence the coach shows for ``flow`` but the titles, which name what happens
    in the step (the tutorial's, "The store accepts"): (step id, text)."""
    said = []
    for step in tour_steps(flow, VALUES):
        texts = [step["instruction"], step["action"]["describe"],
                 step["action"].get("button") or "",
                 *(e["describe"] for e in step["expect"]),
                 *(hint for e in step["expect"] for hint in e.get("hints", {}).values())]
        said += [(step["id"], text) for text in texts if text]
    return said


# --- own words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lacking"),
    [
        ("Please cancel my order: wrong size.", None),
        ("  CANCELLING please, I ordered twice  ", None),
        ("I would like a refund for this order", None),
        ("", EMPTY),
        ("   \n ", EMPTY),
        ("Cancel it please", SHORT),
        ("      cancel it please      ", SHORT),
        ("What lovely weather we have had this week!", OFF_TOPIC),
        ("I want to uncancel nothing at all here", OFF_TOPIC),
    ],
)
def test_a_message_is_judged_by_its_criteria(text, lacking):
    assert ASKS.lacks(text) == lacking
    assert (ASKS.pattern.search(text) is not None) == (lacking is None)


def test_the_criteria_are_checked_when_written():
    with pytest.raises(ValidationError, match="is not a word to look for"):
        MessageSays(target=BOX, mentions=("can(cel",))
    with pytest.raises(ValidationError, match="at least 1 item"):
        MessageSays(target=BOX, mentions=())
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        MessageSays(target=BOX, mentions=("cancel",), min_length=0)


def flow_of(*steps: Step) -> Flow:
    return Flow(id="asking", path="post-verification", title="T", when="W", next="N",
                scenario="marked-shipped", steps=steps)


def test_a_sample_that_fails_its_own_criteria_is_refused_word_for_word():
    with pytest.raises(FlowDefinitionError) as refused:
        flow_of(Step(id="write", title="Write", instruction="Ask to cancel.",
                     action=Fill(value="Hello there"), target=BOX, expect=ASKS))

    assert str(refused.value) == (
        'flow "asking", step 1 "write": the sample message does not pass its own check: '
        '"Say a little more: write at least 20 characters."'
    )


def test_own_words_need_a_sample_to_fill_in():
    with pytest.raises(FlowDefinitionError) as refused:
        flow_of(Step(id="write", title="Write", instruction="Ask to cancel.",
                     action=Click(), target=BOX, expect=ASKS))

    assert str(refused.value) == (
        'flow "asking", step 1 "write": a message in the trainee\'s own words needs a fill '
        "with a sample"
    )


def asking_steps() -> list[tuple[str, Step]]:
    return [(flow.id, step) for flow in FLOWS.values() for step in flow.steps
            if step.message is not None]


def test_the_flows_ask_for_own_words_where_a_message_is_written():
    assert {step.id for _, step in asking_steps()} == {"write-message"}
    assert {flow_id for flow_id, _ in asking_steps()} == {
        "shipped-seller-cancels", "shipped-parcel-left"}


@pytest.mark.parametrize(("flow_id", "step"), asking_steps(), ids=lambda v: getattr(v, "id", v))
def test_every_sample_message_passes_the_criteria_it_is_judged_by(flow_id, step):
    flow = FLOWS[flow_id]
    filled = step.filled_in(VALUES)
    sample = filled.action.value
    assert filled.message.lacks(sample) is None
    assert filled.message.pattern.search(sample)
    # Once sent, the conversation is judged by the same criteria, so own words pass there too.
    sent = flow.steps[flow.steps.index(step) + 1]
    assert [e.model_copy(update={"target": BOX}) for e in sent.expect] == [filled.message]


# --- the coach's own wording --------------------------------------------------------------

PICTURE = re.compile(r"\b(picture|screenshot)s?\b", re.IGNORECASE)
NARRATED = re.compile(r"\bthe store (presses|answers|writes|opens|sees|agrees)\b", re.IGNORECASE)
WRONG_PLURAL = re.compile(r"(?<![\d.])(1 (days|hours|characters)|0 (days|hours))\b|\b[02-9] (day|hour)\b")


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_the_coach_never_speaks_of_a_picture_or_narrates_the_trainees_part(flow_id):
    titles = [(step.id, step.title) for step in FLOWS[flow_id].steps]
    for step_id, text in coach_texts(FLOWS[flow_id]) + titles:
        assert not PICTURE.search(text), (step_id, text)
        assert not WRONG_PLURAL.search(text), (step_id, text)
    for step_id, text in coach_texts(FLOWS[flow_id]):
        assert not NARRATED.search(text), (step_id, text)


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_on_the_stores_side_the_coach_speaks_to_the_trainee_as_the_store(flow_id):
    as_store = False
    for step in FLOWS[flow_id].steps:
        if isinstance(step.action, Goto) and "{seller_ticket}" in step.action.path:
            assert step.coach_instruction.startswith("Now act as the store: "), step.id
            as_store = True
        elif isinstance(step.action, Goto) and "{buyer_ticket}" in step.action.path and as_store:
            assert step.coach_instruction.startswith("Now be the buyer again: "), step.id
            as_store = False
        elif as_store:
            assert step.coach_instruction.startswith("As the store, "), step.id


@pytest.mark.parametrize("flow_id", sorted(FLOWS))
def test_the_coach_names_the_element_the_trainee_presses(flow_id):
    for step in FLOWS[flow_id].steps:
        target = step.target
        if step.coach is None or target is None or target.role not in ("button", "link"):
            continue
        assert target.name and target.name in step.coach, (step.id, step.coach)


def test_a_sentence_about_the_picture_is_left_out_of_the_coach():
    step = FLOWS["pre-verification"].steps[1]

    assert "(The picture shows a sample address" in step.instruction
    assert step.coach_instruction == "Type the e-mail address of your account in the Email box."


@pytest.mark.parametrize(
    ("instruction", "coach"),
    [
        ("Press Send. The picture shows the page after it.", "Press Send."),
        ("In the screenshot the box is empty. Type here.", "Type here."),
        ("Press Send (see the picture) and wait.", "Press Send and wait."),
        ("Press Send.", "Press Send."),
    ],
)
def test_only_the_sentences_about_the_picture_are_left_out(instruction, coach):
    assert Step(id="s", title="S", instruction=instruction).coach_instruction == coach


def test_a_caption_only_about_the_picture_needs_words_for_the_coach():
    with pytest.raises(FlowDefinitionError) as refused:
        flow_of(Step(id="look", title="Look", instruction="(The picture shows the box.)"))

    assert str(refused.value) == (
        'flow "asking", step 1 "look": the instruction only speaks of the picture: give the '
        "coach its own words"
    )
    flow_of(Step(id="look", title="Look", instruction="(The picture shows the box.)",
                 coach="Look at the box."))


def test_the_tutorial_keeps_its_own_caption():
    tour = {step["id"]: step for step in tour_steps(FLOWS["post-verification"], VALUES)}
    declared = {step.id: step for step in FLOWS["post-verification"].steps}

    assert declared["seller-accepts"].instruction == (
        "The store answers: it agrees and presses Accept cancellation.")
    assert tour["seller-accepts"]["instruction"] == (
        "As the store, agree: press Accept cancellation in the seller console.")
    assert "coach" not in tour["seller-accepts"]
