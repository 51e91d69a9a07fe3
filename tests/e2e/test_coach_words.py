"""The coach takes a message in the trainee's own words where the step asks for one: a
message that says enough is sent and the tour goes on to the end; an empty, short or
off-topic one is not sent, and the hint says what it lacks; the flow's sample is offered as
a suggestion. What the coach says is written for the live page, not for a picture."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from flows.run.coached import STEP_TIMEOUT_MS, CoachedTrainee
from flows.run.playwright_steps import verify
from flowspec.pages import ContactSeller
from flowspec.paths import load_flows
from flowspec.steps import Fill, MessageSays
from flowspec.tour import step_json
from tests.e2e import test_coach

FLOWS = load_flows()
ASKING = [flow_id for flow_id, flow in FLOWS.items()
          if any(step.message is not None for step in flow.steps)]
OWN_WORDS = "Could you cancel my order, please? I picked the wrong colour."
pytestmark = [pytest.mark.browser, pytest.mark.e2e]


# The coach's tests share one browser context per test, on both screens.
device_name, context, page = test_coach.device_name, test_coach.context, test_coach.page


def coached_to(page: Page, flow_id: str, device: str, step_id: str) -> tuple[CoachedTrainee, int]:
    """A trainee who followed the coach up to (not including) step ``step_id``, and its number."""
    trainee = test_coach.coached_to(page, flow_id, device, step_id)
    number = next(n for n, step in enumerate(FLOWS[flow_id].steps, 1) if step.id == step_id)
    return trainee, number


def criteria(flow_id: str) -> MessageSays:
    message = next(step.message for step in FLOWS[flow_id].steps if step.message is not None)
    assert message is not None
    return message


def sample(trainee: CoachedTrainee, number: int) -> str:
    """The flow's own message at step ``number``: what the runner types, the coach suggests."""
    action = trainee.flow.steps[number - 1].action
    assert isinstance(action, Fill)
    return action.value


def step_count(trainee: CoachedTrainee, number: int) -> str:
    return f"Step {number} of {len(trainee.flow.steps)}"


@pytest.mark.parametrize("flow_id", ASKING)
def test_a_message_in_own_words_is_sent_and_the_tour_goes_on(page: Page, device_name, flow_id):
    trainee, number = coached_to(page, flow_id, device_name, "write-message")
    expect(trainee.panel).to_contain_text(sample(trainee, number))

    page.get_by_role("textbox", name="Message").fill(OWN_WORDS)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("list", name="Conversation")).to_contain_text(OWN_WORDS)
    expect(trainee.panel).to_contain_text(step_count(trainee, number + 2), timeout=STEP_TIMEOUT_MS)
    for later, declared in enumerate(trainee.flow.steps[number + 1:], number + 2):
        trainee.do_step(later, declared.filled_in(trainee.values))
    expect(trainee.panel).to_contain_text(f"Done: all {len(trainee.flow.steps)} steps",
                                          timeout=STEP_TIMEOUT_MS)


@pytest.mark.parametrize("flow_id", ASKING)
def test_an_empty_short_or_off_topic_message_is_refused_with_a_hint(page: Page, device_name,
                                                                    flow_id):
    trainee, number = coached_to(page, flow_id, device_name, "write-message")
    hints = criteria(flow_id).hints()
    box, send = page.get_by_role("textbox", name="Message"), page.get_by_role("button", name="Send")

    for written, hint in [("", hints["empty"]),
                          ("What lovely weather we have had this week!", hints["mention"]),
                          ("Cancel it, please.", hints["short"])]:
        box.fill(written)
        send.click()
        expect(trainee.panel).to_contain_text(hint)
        expect(trainee.panel).to_contain_text(step_count(trainee, number))
        expect(page.get_by_role("list", name="Conversation")).to_have_count(0)

    trainee.panel.get_by_role("button", name="Use the suggestion").click()

    expect(box).to_have_value(sample(trainee, number))
    expect(trainee.panel).to_contain_text(step_count(trainee, number + 1))
    expect(trainee.panel).not_to_contain_text(hints["short"])
    send.click()
    expect(trainee.panel).to_contain_text(step_count(trainee, number + 2), timeout=STEP_TIMEOUT_MS)


@pytest.mark.parametrize("device_name", ["desktop"])
@pytest.mark.parametrize(
    ("written", "holds"),
    [(OWN_WORDS, True), ("  Please CANCEL it now, thank you  ", True),
     ("What lovely weather we have had this week!", False), ("Cancel it, please.", False),
     ("I want to uncancel nothing at all, thank you", False)],
)
def test_the_runner_and_the_coach_judge_a_message_alike(page: Page, written, holds):
    flow = FLOWS[ASKING[0]]
    number, step = next((n, s) for n, s in enumerate(flow.steps, 1) if s.message is not None)
    message = criteria(ASKING[0])
    page.goto("/login")
    coach_takes_it = page.evaluate(
        """async ([step, text]) => {
            const { typedEnough } = await import("/static/coach/expect.js");
            return typedEnough(step, text);
        }""", [step_json(number, step), written])
    page.set_content('<label for="m">Message</label><textarea id="m"></textarea>'
                     '<ol aria-label="Conversation"><li></li></ol>')
    page.get_by_role("textbox", name="Message").fill(written)
    page.locator("li").evaluate("(item, text) => { item.textContent = text; }", written)

    assert coach_takes_it == holds
    assert (message.lacks(written) is None) == holds
    for judged in (message, message.model_copy(update={"target": ContactSeller.thread})):
        if holds:
            verify(judged, page, timeout_ms=500)
        else:
            with pytest.raises(AssertionError):
                verify(judged, page, timeout_ms=500)


@pytest.mark.parametrize("device_name", ["desktop"])
def test_the_coach_speaks_of_the_page_not_of_a_picture(page: Page):
    trainee, number = coached_to(page, "pre-verification", "desktop", "enter-email")

    expect(trainee.panel).to_contain_text(
        "Type the e-mail address of your account in the Email box.")
    expect(trainee.panel).not_to_contain_text("picture")
